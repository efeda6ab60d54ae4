//! `recently-played import spotify-history PATH`: Spotify's streaming history export (the
//! zip, the folder it unpacks to, or one of its files) into the store, streaming: one row
//! in memory at a time, a batch of rows per transaction.
//!
//! Each row is stored once ([`matching`] says when a row is a play a sync stored), so an
//! import run again, after a sync or before one, adds nothing twice; a file or row that
//! cannot be read is said, naming it, and the rest goes on.

pub(crate) mod matching;
mod row;
mod rows;
mod source;

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use listening_record::ListeningRecord;

use crate::clause;
use crate::exit::Exit;
use crate::store::{Holds, Imported, LOCK_PATIENCE, Store, StoreError, lock_for_sync};
use rows::RowsError;
use source::{Export, Generation, HistoryFile};

/// What `import -h` says of it, in the list of commands.
pub(crate) const IMPORT_SUMMARY: &str =
    "Import a listening history export (Spotify's) into the local database";

/// What `import --help` says before the sources.
pub(crate) const IMPORT_ABOUT: &str = "\
Imports a listening history export into the local database, each play once: run again, or
after a sync, or before one, it adds nothing twice.";

/// `import`: which export.
#[derive(Debug, PartialEq, Eq, clap::Args)]
pub(crate) struct ImportArgs {
    #[command(subcommand)]
    source: ImportSource,
}

/// The exports `import` reads.
#[derive(Debug, PartialEq, Eq, clap::Subcommand)]
enum ImportSource {
    /// Spotify's streaming history: the zip Spotify sends, the folder it unpacks to, or one
    /// of its JSON files.
    #[command(long_about = SPOTIFY_HISTORY_ABOUT)]
    SpotifyHistory(SpotifyHistoryArgs),
}

const SPOTIFY_HISTORY_ABOUT: &str = "\
Imports Spotify's streaming history (Privacy settings, \"Download your data\"): the zip
Spotify sends, the folder it unpacks to, or one of its JSON files.

The extended streaming history (Streaming_History_Audio_*.json, older endsong_*.json) is
every play since the account began: tracks, podcast episodes, audiobooks, skips, short and
offline plays, each with how long it was listened to, why it started and ended, whether it
was skipped, shuffled, offline or in a private session (columns ms_played, reason_start,
reason_end, skipped, shuffle, offline, incognito_mode; source = 'export'). The account
data (StreamingHistory_music_*.json) is the last year only, and less: no track IDs (plays
are known by title and artist), times to the minute, and nothing of why or how; where a
folder holds both, only the extended history is read.

A row that is a play a sync stored (the same track, the API's time within 30 s of the
row's end or start) joins it (source = 'api_and_export'); a later sync joins the plays it
finds to the rows imported. A file that cannot be read, or a row without a time, is said
by name and row; the rest is imported, and the exit status is 1. Rows are committed in
batches: an import stopped anywhere is carried on by running it again.";

/// `import spotify-history`'s arguments.
#[derive(Debug, PartialEq, Eq, clap::Args)]
struct SpotifyHistoryArgs {
    /// The export: a .zip, a folder, or a .json file.
    #[arg(value_name = "PATH")]
    path: PathBuf,
    /// The database (SQLite); default: history.sqlite3 in your data directory
    /// (~/.local/share/recently-played on Linux).
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Keep the IP address, user agent and user name each row carries.
    ///
    /// Dropped by default: they say where you were and on which device for years, which
    /// a listening history does not need, and a store is exported and shared.
    #[arg(long)]
    keep_personal_fields: bool,
}

/// Rows committed per transaction: big enough that commits cost little, small enough that
/// a stop loses seconds of work.
const BATCH: usize = 10_000;

/// How many bad rows of a file are said one by one; the rest are counted.
const ROWS_SAID: usize = 5;

/// Runs `import`.
pub(crate) async fn run(args: ImportArgs) -> ExitCode {
    let ImportSource::SpotifyHistory(args) = args.source;
    match spotify_history(args).await {
        Ok(true) => Exit::Success.into(),
        Ok(false) => Exit::Failure.into(),
        Err(sentence) => {
            eprintln!("recently-played: {}.", clause(&sentence));
            Exit::Failure.into()
        }
    }
}

/// Imports every history file of the export; whether all of it was read. `Err`: nothing
/// (more) could be imported.
async fn spotify_history(args: SpotifyHistoryArgs) -> Result<bool, String> {
    let path = crate::store::path_or_default(args.db).map_err(|e| e.to_string())?;
    let mut export = Export::open(&args.path).map_err(|e| e.to_string())?;
    let mut store = Store::open(&path).map_err(|e| e.to_string())?;
    // One writer at a time: a sync joining its plays to rows this import is adding.
    let _lock = lock_for_sync(&path, LOCK_PATIENCE)
        .await
        .map_err(|e| e.to_string())?;
    store.claim(Holds::Services).map_err(|e| e.to_string())?;

    for left_out in &export.left_out {
        eprintln!(
            "{left_out}: account data, not read: the extended streaming history beside it \
             holds the same plays and more."
        );
    }
    let files = export.files.clone();
    if files
        .iter()
        .any(|f| f.generation == Some(Generation::AccountData))
    {
        eprintln!(
            "The account data (StreamingHistory_music_*.json) has no track IDs, times only \
             to the minute, and nothing of why a play started or ended, skips, shuffle or \
             offline: its plays are known by title and artist."
        );
    }
    let progress = Progress::new(files.iter().map(|f| f.size).sum());
    let mut total = Tally::default();
    let mut complete = true;
    for file in &files {
        progress.reading(file);
        let reader = export
            .read(file)
            .map_err(|e| format!("cannot read {}: {e}", file.shown));
        let tally = match reader {
            Ok(reader) => import_file(
                &mut store,
                file,
                progress.wrap(reader),
                args.keep_personal_fields,
            ),
            Err(sentence) => Err(FileStop::File(sentence)),
        };
        match tally {
            Ok(tally) => {
                progress.println(tally.line(&file.shown));
                complete &= tally.bad_rows == 0;
                total.add(&tally);
            }
            Err(FileStop::File(sentence)) => {
                progress.println_err(&sentence);
                complete = false;
            }
            Err(FileStop::Store(sentence)) => {
                drop(progress);
                say_total(&total, &path, args.keep_personal_fields);
                return Err(sentence);
            }
        }
    }
    drop(progress);
    say_total(&total, &path, args.keep_personal_fields);
    Ok(complete)
}

fn say_total(total: &Tally, path: &std::path::Path, kept_personal: bool) {
    println!(
        "{}",
        total.line(&format!("Spotify history into {}", path.display()))
    );
    if total.personal > 0 && !kept_personal {
        eprintln!(
            "{} rows carried an IP address, user agent or user name: not stored \
             (--keep-personal-fields keeps them).",
            total.personal
        );
    }
}

/// What one file (or the whole import) did.
#[derive(Default)]
struct Tally {
    rows: usize,
    stored: Imported,
    bad_rows: usize,
    /// Rows with a personal field.
    personal: usize,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.rows += other.rows;
        self.stored.new += other.stored.new;
        self.stored.joined += other.stored.joined;
        self.stored.already += other.stored.already;
        self.bad_rows += other.bad_rows;
        self.personal += other.personal;
    }

    fn store(
        &mut self,
        store: &mut Store,
        batch: &mut Vec<ListeningRecord>,
    ) -> Result<(), StoreError> {
        let imported = store.import_batch(batch)?;
        batch.clear();
        self.stored.new += imported.new;
        self.stored.joined += imported.joined;
        self.stored.already += imported.already;
        Ok(())
    }

    fn line(&self, name: &str) -> String {
        format!(
            "{name}: {} rows: {} new, {} joined to synced plays, {} already stored{}",
            self.rows,
            self.stored.new,
            self.stored.joined,
            self.stored.already,
            match self.bad_rows {
                0 => String::new(),
                n => format!(", {n} not imported"),
            }
        )
    }
}

/// Why a file was not imported to its end.
enum FileStop {
    /// This file: said, and the others go on.
    File(String),
    /// The database: nothing more can be imported.
    Store(String),
}

/// Imports the rows of `file`, committing every [`BATCH`] rows and at its end.
fn import_file(
    store: &mut Store,
    file: &HistoryFile,
    reader: impl Read,
    keep_personal: bool,
) -> Result<Tally, FileStop> {
    let mut tally = Tally::default();
    let mut batch = Vec::with_capacity(BATCH);
    let read = rows::for_each_object(reader, |number, row| {
        tally.rows += 1;
        tally.personal += usize::from(row::PERSONAL_FIELDS.iter().any(|f| row.contains_key(*f)));
        match row::record(row, keep_personal) {
            Ok(record) => batch.push(record),
            Err(e) => {
                tally.bad_rows += 1;
                if tally.bad_rows <= ROWS_SAID {
                    eprintln!("{}: row {number} {e}; not imported.", file.shown);
                }
            }
        }
        if batch.len() < BATCH {
            Ok(())
        } else {
            tally.store(store, &mut batch)
        }
    });
    let stored_before = |number: usize, tally: &Tally| {
        format!(
            "the {} rows before it are imported, the rest of the file is not; import \
             again once it is fixed (or downloaded again): rows already imported are not \
             added twice",
            number.saturating_sub(1).min(tally.rows)
        )
    };
    let read = match read {
        Ok(_) => tally.store(store, &mut batch).map_err(RowsError::Stopped),
        Err(RowsError::Stopped(e)) => Err(RowsError::Stopped(e)),
        // What was read before the fault is whole: keep it.
        Err(fault) => tally
            .store(store, &mut batch)
            .map_err(RowsError::Stopped)
            .and(Err(fault)),
    };
    match read {
        Ok(()) => {
            if tally.bad_rows > ROWS_SAID {
                eprintln!(
                    "{}: {} more rows without a time; not imported.",
                    file.shown,
                    tally.bad_rows - ROWS_SAID
                );
            }
            Ok(tally)
        }
        Err(RowsError::Stopped(e)) => Err(FileStop::Store(format!(
            "{}; the rows of {} before it were stored: import again to carry on (rows \
             already imported are not added twice)",
            clause(&e.to_string()),
            file.shown
        ))),
        Err(RowsError::NotAnExport { row, reason }) => Err(FileStop::File(format!(
            "{}: not a Spotify streaming history file at row {row} ({reason}); {}",
            file.shown,
            stored_before(row, &tally)
        ))),
        Err(RowsError::Unreadable { row, reason }) => Err(FileStop::File(format!(
            "{}: cannot be read at row {row} ({reason}); {}",
            file.shown,
            stored_before(row, &tally)
        ))),
    }
}

/// The progress bar on a terminal: bytes read of all the files; nothing otherwise.
struct Progress(Option<ProgressBar>);

impl Progress {
    fn new(bytes: u64) -> Self {
        Self(std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{msg} {wide_bar} {bytes}/{total_bytes} ({binary_bytes_per_sec}, {eta})",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        }))
    }

    fn reading(&self, file: &HistoryFile) {
        if let Some(bar) = &self.0 {
            let name = file
                .shown
                .rsplit(['/', '\\', ':'])
                .next()
                .unwrap_or(&file.shown);
            bar.set_message(name.to_string());
        }
    }

    fn wrap<'a>(&self, reader: Box<dyn Read + 'a>) -> Box<dyn Read + 'a> {
        match &self.0 {
            Some(bar) => Box::new(bar.wrap_read(reader)),
            None => reader,
        }
    }

    fn println(&self, line: String) {
        match &self.0 {
            Some(bar) => bar.suspend(|| println!("{line}")),
            None => println!("{line}"),
        }
    }

    fn println_err(&self, sentence: &str) {
        let line = crate::output::printable(&format!("{}.", clause(sentence)));
        match &self.0 {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

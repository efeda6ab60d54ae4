//! `recently-played export`: the stored history as JSON Lines or CSV, one normalized
//! [`ListeningRecord`] per play, read and written one row at a time.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, SecondsFormat, Utc};
use listening_record::{ListeningRecord, Playback};

use crate::store::{ExportStop, Filter, Store};

/// The output formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Format {
    /// One JSON object per line: the record's fields, `item` the raw play.
    #[default]
    JsonLines,
    /// A header, then one row per play; `artists` joined by `"; "`, `item` as JSON text.
    Csv,
}

/// What `export` was asked.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ExportArgs {
    /// `--db PATH`.
    pub(crate) db: Option<PathBuf>,
    /// `--format jsonl|csv`.
    pub(crate) format: Format,
    /// `--service spotify|amazon_music`.
    pub(crate) service: Option<String>,
    /// `--since TIME`: strictly after.
    pub(crate) since: Option<DateTime<Utc>>,
    /// `--until TIME`: at or before.
    pub(crate) until: Option<DateTime<Utc>>,
}

/// The CSV columns, in order: the record's fields, then where it came from and what an
/// export says of the play (empty for a play only an API listed; `export_row` the export's
/// row as JSON).
const CSV_HEADER: [&str; 24] = [
    "service",
    "played_at",
    "key",
    "kind",
    "id",
    "title",
    "artists",
    "album",
    "duration_ms",
    "isrc",
    "context",
    "item",
    "source",
    "ended_at",
    "ms_played",
    "reason_start",
    "reason_end",
    "skipped",
    "shuffle",
    "offline",
    "incognito_mode",
    "platform",
    "conn_country",
    "export_row",
];

/// Writes the plays `args` selects to stdout.
pub(crate) fn run(args: ExportArgs) -> ExitCode {
    let path = match crate::store::path_or_default(args.db.clone()) {
        Ok(path) => path,
        Err(e) => return fail(&e.to_string()),
    };
    if !path.exists() {
        return fail(&format!(
            "no database at {}; run `recently-played sync` first",
            path.display()
        ));
    }
    let store = match Store::open(&path) {
        Ok(store) => store,
        Err(e) => return fail(&e.to_string()),
    };
    let filter = Filter {
        service: args.service.clone(),
        since: args.since,
        until: args.until,
    };
    let stdout = io::stdout().lock();
    match write(&store, &filter, args.format, stdout) {
        Ok(()) => ExitCode::SUCCESS,
        Err(ExportStop::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(ExportStop::Output(e)) => fail(&format!("cannot write: {e}")),
        Err(ExportStop::Store(e)) => fail(&e.to_string()),
    }
}

/// Writes every selected play to `out` in `format`, one at a time.
pub(crate) fn write(
    store: &Store,
    filter: &Filter,
    format: Format,
    out: impl Write,
) -> Result<(), ExportStop> {
    let out = BufWriter::new(out);
    match format {
        Format::JsonLines => {
            let mut out = out;
            store.for_each(filter, |record| {
                // `io::Error::from` keeps a write's own error (a closed pipe) as it was.
                serde_json::to_writer(&mut out, &record)
                    .map_err(|e| ExportStop::Output(io::Error::from(e)))?;
                out.write_all(b"\n").map_err(ExportStop::Output)
            })?;
            out.flush().map_err(ExportStop::Output)
        }
        Format::Csv => {
            let mut csv = csv::Writer::from_writer(out);
            // Keep an I/O error's kind, so that a closed pipe is told apart.
            let csv_error = |e: csv::Error| match e.into_kind() {
                csv::ErrorKind::Io(e) => ExportStop::Output(e),
                other => ExportStop::Output(io::Error::other(format!("{other:?}"))),
            };
            csv.write_record(CSV_HEADER).map_err(csv_error)?;
            store.for_each(filter, |record| {
                csv.write_record(csv_row(&record)).map_err(csv_error)
            })?;
            csv.flush().map_err(ExportStop::Output)
        }
    }
}

fn csv_row(record: &ListeningRecord) -> [String; 24] {
    let playback = record.playback.as_ref();
    let text = |field: fn(&Playback) -> &Option<String>| {
        playback.and_then(|p| field(p).clone()).unwrap_or_default()
    };
    let flag = |field: fn(&Playback) -> Option<bool>| {
        playback
            .and_then(field)
            .map(|b| b.to_string())
            .unwrap_or_default()
    };
    [
        record.service.to_string(),
        record.played_at_rfc3339(),
        record.key.clone(),
        record.kind.clone(),
        record.id.clone().unwrap_or_default(),
        record.title.clone().unwrap_or_default(),
        record.artists_joined(),
        record.album.clone().unwrap_or_default(),
        record
            .duration_ms
            .map(|ms| ms.to_string())
            .unwrap_or_default(),
        record.isrc.clone().unwrap_or_default(),
        record.context.clone().unwrap_or_default(),
        record.item.to_string(),
        record.source.to_string(),
        playback
            .map(|p| p.ended_at.to_rfc3339_opts(SecondsFormat::Millis, true))
            .unwrap_or_default(),
        playback
            .and_then(|p| p.ms_played)
            .map(|ms| ms.to_string())
            .unwrap_or_default(),
        text(|p| &p.reason_start),
        text(|p| &p.reason_end),
        flag(|p| p.skipped),
        flag(|p| p.shuffle),
        flag(|p| p.offline),
        flag(|p| p.incognito_mode),
        text(|p| &p.platform),
        text(|p| &p.conn_country),
        playback.map(|p| p.row.to_string()).unwrap_or_default(),
    ]
}

fn fail(sentence: &str) -> ExitCode {
    eprintln!(
        "recently-played: {}.",
        crate::output::printable(crate::clause(sentence))
    );
    ExitCode::FAILURE
}

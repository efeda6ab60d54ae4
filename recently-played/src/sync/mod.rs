//! `recently-played sync`: fetch what each service has that the store does not, and append
//! it, page by page, each page committed with where the sync stands.
//!
//! Plays arrive late, with their own older times (spotify/web-api #512, #531, #724, #1199,
//! #1441: up to 12 hours), so every poll re-reads an *overlap* of what is stored, and the
//! store's unique key makes what it re-reads a no-op:
//!
//! Each service syncs by one of two strategies, which it picks ([`crate::service::Reader`]):
//!
//! - [`time_cursor`], for a service that serves the plays after a time (Spotify): the
//!   overlap is the service's window of kept plays, or [`OVERLAP`], whichever reaches
//!   further back.
//! - [`newest_first`], for a service with opaque page tokens and no time filter (Amazon
//!   Music): newest first, [`OVERLAP`] past the newest play of the last complete walk.
//!
//! Either way each play is stored under a unique key (service, time, [`ListeningRecord::key`]),
//! so a page fetched twice (an overlap, a page stored before a crash, a relinked track)
//! adds nothing. A `Retry-After` the client would not wait is kept in the store, and no
//! later run asks that service before it is over.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub(crate) mod newest_first;
pub(crate) mod time_cursor;

use client_support::{DocumentedError, Error, History};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use listening_record::{ListeningRecord, RecordError};

use crate::service::{self, Service, Target};
use crate::store::{Committed, Gap, Holds, LOCK_PATIENCE, Store, StoreError, lock_for_sync};
use crate::targets::Targets;
use crate::{clause, env_var};

/// How often `sync --watch` polls unless told: Spotify keeps only the 50 most recent plays,
/// about 2.5 h of continuous listening at 3 min a track; every 15 min leaves a tenfold
/// margin (a gap needs 50 plays between two polls). Amazon Music documents no limit.
pub(crate) const DEFAULT_EVERY: Duration = Duration::from_secs(15 * 60);

/// How far before the newest stored play each poll reads again: twice the longest lag
/// reported (spotify/web-api #1441, "12 hours").
pub(crate) const OVERLAP: Duration = Duration::from_secs(24 * 60 * 60);

/// How long one service's sync may take in a run (or a poll of `--watch`) unless told: a
/// server that answers slowly and never ends would otherwise hold the run for ever. Both
/// services within 10 min leave a scheduled sync at the default 15 min interval done
/// before the next one starts. What was fetched is kept, and the next run carries on: a
/// first sync of a long history takes a few runs.
pub(crate) const DEFAULT_DEADLINE: Duration = Duration::from_secs(5 * 60);

/// The longest a rate-limited `--watch` waits between polls, however often it was told to
/// slow down.
const MAX_BACKOFF: Duration = Duration::from_secs(4 * 60 * 60);

/// For tests only: exit (status 86) right after committing this many pages, as a crash
/// would, to prove that a sync stopped at any page loses and doubles nothing.
pub(crate) const STOP_AFTER_PAGES_VAR: &str = "RECENTLY_PLAYED_TEST_STOP_AFTER_PAGES";

/// What `sync` was asked.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct SyncArgs {
    /// `--db PATH`.
    pub(crate) db: Option<PathBuf>,
    /// `--watch`.
    pub(crate) watch: bool,
    /// `--every DURATION`.
    pub(crate) every: Option<Duration>,
    /// `--sandbox`: the built-in sandbox even where services are configured.
    pub(crate) sandbox: bool,
    /// `--deadline DURATION`: the longest one service's sync may take in a run.
    pub(crate) deadline: Option<Duration>,
}

/// What one service's sync did.
#[derive(Default)]
pub(crate) struct Synced {
    new: usize,
    stored: usize,
    pages: usize,
    gap: Option<Gap>,
    note: Option<String>,
    interrupted: bool,
}

/// What a sync stored so far, page by page: for its line, and for a gap's note.
#[derive(Default)]
pub(crate) struct Tally {
    new: usize,
    pages: usize,
    /// The oldest new play, Unix milliseconds.
    oldest_new: Option<i64>,
}

impl Tally {
    /// Counts a committed page, tells the run (the test stop, the spinner), and says
    /// whether to stop after it (Ctrl-C).
    fn count(&mut self, page: Committed, control: &mut Control, progress: &mut Progress) -> bool {
        self.new += page.new;
        self.oldest_new = match (self.oldest_new, page.oldest_new_ms) {
            (Some(so_far), Some(this)) => Some(so_far.min(this)),
            (so_far, this) => so_far.or(this),
        };
        self.pages += 1;
        control.committed();
        progress.update(self.new, self.pages);
        control.stopping()
    }
}

/// Why one service's sync stopped early.
pub(crate) struct Failed {
    sentence: String,
    /// How long to wait before asking again, when waiting cures it (a rate limit).
    retry_after: Option<Duration>,
    /// The `Retry-After` the service sent, kept in the store so that no run asks sooner.
    asked_to_wait: Option<Duration>,
    /// The service refused the request itself (400, 404, 422): from a saved page token,
    /// that token is no longer accepted.
    refused_request: bool,
}

impl Failed {
    /// A failure that waiting does not cure.
    pub(crate) fn from_sentence(sentence: String) -> Self {
        Self {
            sentence,
            retry_after: None,
            asked_to_wait: None,
            refused_request: false,
        }
    }
}

impl From<StoreError> for Failed {
    fn from(e: StoreError) -> Self {
        Self::from_sentence(e.to_string())
    }
}

/// Shared by every page of a run: Ctrl-C, the test stop, the pages committed.
pub(crate) struct Control {
    stop: Arc<AtomicBool>,
    stop_after_pages: Option<usize>,
    pages: usize,
}

impl Control {
    pub(crate) fn committed(&mut self) {
        self.pages += 1;
        if self.stop_after_pages == Some(self.pages) {
            eprintln!(
                "recently-played: stopping after {} pages ({STOP_AFTER_PAGES_VAR}).",
                self.pages
            );
            std::process::exit(86);
        }
    }

    pub(crate) fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}

/// `sync` and `sync --watch`.
pub(crate) async fn run(args: SyncArgs) -> ExitCode {
    let path = match crate::store::path_or_default(args.db.clone()) {
        Ok(path) => path,
        Err(e) => return fail(&e.to_string()),
    };
    let mut store = match Store::open(&path) {
        Ok(store) => store,
        Err(e) => return fail(&e.to_string()),
    };
    let targets = crate::targets::choose(args.sandbox).await;
    let holds = if targets.sandbox {
        Holds::Sandbox
    } else {
        Holds::Services
    };
    if let Err(e) = store.claim(holds) {
        return fail(&e.to_string());
    }
    let sandboxed = targets.sandboxed();
    if !sandboxed.is_empty() {
        eprintln!("{}\n", crate::sandbox::banner(&sandboxed));
    }

    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!(
                "recently-played: stopping after the current page (Ctrl-C again to quit now)."
            );
            flag.store(true, Ordering::SeqCst);
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(130);
            }
        }
    });
    let mut control = Control {
        stop,
        stop_after_pages: env_var(STOP_AFTER_PAGES_VAR).and_then(|n| n.parse().ok()),
        pages: 0,
    };

    let every = args.every.unwrap_or(DEFAULT_EVERY);
    let mut backoff = 0u32;
    loop {
        let deadline = args.deadline.unwrap_or(DEFAULT_DEADLINE);
        // One sync of a store at a time; a watch takes the lock for each poll only.
        let (failed, retry_after) = match lock_for_sync(&path, LOCK_PATIENCE).await {
            Ok(_lock) => once(&mut store, &targets, &mut control, &path, deadline).await,
            Err(busy) => {
                eprintln!("recently-played: {}.", clause(&busy.to_string()));
                (true, None)
            }
        };
        if !args.watch || control.stopping() {
            return if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            };
        }
        backoff = match retry_after {
            Some(_) => (backoff + 1).min(MAX_DOUBLINGS),
            None => 0,
        };
        let wait = wait_before_next_poll(every, retry_after, backoff);
        if wait > every {
            eprintln!(
                "recently-played: rate limited; next poll in {} s.",
                wait.as_secs()
            );
        }
        let until = Instant::now() + wait;
        while Instant::now() < until && !control.stopping() {
            tokio::time::sleep(Duration::from_millis(200).min(until - Instant::now())).await;
        }
        if control.stopping() {
            return ExitCode::SUCCESS;
        }
    }
}

/// How many times in a row a rate-limited `--watch` doubles its interval, at most.
const MAX_DOUBLINGS: u32 = 8;

/// How long a `--watch` waits before its next poll: its interval `every`, or, after a poll
/// that was rate limited (`asked` is what the service asked to wait), at least that and at
/// least `every` doubled for each of the `in_a_row` polls rate limited in a row, but no
/// more than [`MAX_BACKOFF`] (or `every`, if that is longer).
fn wait_before_next_poll(every: Duration, asked: Option<Duration>, in_a_row: u32) -> Duration {
    match asked {
        Some(asked) => asked
            .max(every.saturating_mul(1 << in_a_row.min(MAX_DOUBLINGS)))
            .min(MAX_BACKOFF.max(every)),
        None => every,
    }
}

/// One poll of every service of the run; whether any failed, and how long a rate limit
/// asked to wait.
async fn once(
    store: &mut Store,
    targets: &Targets,
    control: &mut Control,
    path: &std::path::Path,
    deadline: Duration,
) -> (bool, Option<Duration>) {
    let mut failed = false;
    let mut retry_after = None;
    for (service, target) in &targets.services {
        // `Ok(None)`: not synced (not configured, or rate limited until later).
        let result = match target {
            Ok(Some(target)) if control.stopping() => {
                // Ctrl-C came during another service's sync: not one page more.
                store
                    .count(service.key)
                    .map_err(Failed::from)
                    .map(|stored| {
                        Some(Synced {
                            stored,
                            interrupted: true,
                            ..Synced::default()
                        })
                    })
            }
            Ok(Some(target)) => match rate_limited_until(store, service) {
                Ok(None) => within(deadline, service.reader.sync(target, store, control)).await,
                other => other.map(|_| None),
            },
            Ok(None) => Ok(None),
            Err(sentence) => Err(Failed::from_sentence(sentence.clone())),
        };
        let target = target.as_ref().ok().and_then(Option::as_ref);
        match result {
            Ok(None) => {}
            Ok(Some(synced)) => said(service, target, synced, path),
            Err(e) => {
                failed = true;
                retry_after = retry_after.max(e.retry_after);
                let mut sentence = clause(&e.sentence).to_string();
                if let Some(wait) = e.asked_to_wait {
                    let until = now_ms().saturating_add(wait.as_millis() as i64);
                    match store.set_not_before(service.key, Some(until)) {
                        Ok(()) => sentence.push_str(&format!(
                            "; no sync asks it again before {}",
                            service::rfc3339(until)
                        )),
                        Err(e) => sentence.push_str(&format!("; {}", clause(&e.to_string()))),
                    }
                }
                eprintln!(
                    "{}",
                    crate::output::printable(&format!("{}: {sentence}.", service.name))
                );
            }
        }
    }
    (failed, retry_after)
}

/// Says what one service's sync did: its line on stdout, what to know on stderr.
fn said(service: &Service, target: Option<&Target>, synced: Synced, path: &std::path::Path) {
    println!(
        "{:<13} {:>6} new  {:>8} stored  {:>4} pages  {}{}",
        service.name,
        synced.new,
        synced.stored,
        synced.pages,
        path.display(),
        target
            .map(|t| format!("  ← {}", t.label))
            .unwrap_or_default()
    );
    if synced.interrupted {
        eprintln!(
            "{}: stopped after the current page; the next sync carries on from there.",
            service.name
        );
    }
    if let Some(note) = synced.note {
        eprintln!("{}: {note}", service.name);
    }
    if let Some(gap) = synced.gap {
        eprintln!("{}: gap: {}", service.name, gap.note);
    }
}

/// `sync` stopped at `deadline` if it takes longer. Each page is committed as it comes, so
/// what was fetched before is kept, with where the sync stood.
async fn within(
    deadline: Duration,
    sync: impl std::future::Future<Output = Result<Synced, Failed>>,
) -> Result<Option<Synced>, Failed> {
    match tokio::time::timeout(deadline, sync).await {
        Ok(synced) => synced.map(Some),
        Err(_) => Err(Failed::from_sentence(format!(
            "stopped at its deadline of {} (--deadline); what it fetched is stored, and the \
             next sync carries on from there",
            crate::commands::show_duration(deadline)
        ))),
    }
}

/// Whether `service` asked, in an earlier run, not to be asked before a time still to
/// come: if so it is said, and the time returned; a time gone by is forgotten.
fn rate_limited_until(store: &Store, service: &Service) -> Result<Option<i64>, Failed> {
    let Some(until) = store.not_before(service.key)? else {
        return Ok(None);
    };
    if until <= now_ms() {
        store.set_not_before(service.key, None)?;
        return Ok(None);
    }
    eprintln!(
        "{}: skipped: it rate limited an earlier sync and asked not to be called again \
         before {} (calling sooner lengthens the penalty).",
        service.name,
        service::rfc3339(until)
    );
    Ok(Some(until))
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn fail(sentence: &str) -> ExitCode {
    eprintln!("recently-played: {}.", clause(sentence));
    ExitCode::FAILURE
}

pub(crate) fn failed<B: DocumentedError>(
    service: &Service,
    target: &Target,
    error: &Error<B>,
) -> Failed {
    let (retry_after, asked_to_wait) = match error {
        Error::RateLimited { retry_after, .. } => {
            (Some(retry_after.unwrap_or(DEFAULT_EVERY)), *retry_after)
        }
        _ => (None, None),
    };
    Failed {
        sentence: service::explain(service, target, error),
        retry_after,
        asked_to_wait,
        refused_request: matches!(
            error,
            Error::BadRequest(_) | Error::NotFound(_) | Error::UnexpectedStatus(_)
        ),
    }
}

/// A spinner on stderr for a sync that lasts longer than a moment, and only on a terminal.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: bool,
    name: &'static str,
}

impl Progress {
    pub(crate) fn new(name: &'static str) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar
        });
        Self {
            bar,
            started: Instant::now(),
            shown: false,
            name,
        }
    }

    pub(crate) fn update(&mut self, new: usize, pages: usize) {
        let Some(bar) = &self.bar else { return };
        if !self.shown && self.started.elapsed() > Duration::from_millis(300) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(120));
            self.shown = true;
        }
        bar.set_message(format!("{}: {new} new plays, {pages} pages", self.name));
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Reads `history` page by page: `page` gets each page's plays (as records) and where the
/// walk stands after it, and says whether to stop. A page whose plays meet what is stored
/// (`overlap`) is the last one. A malformed play is said and skipped, costing nothing else;
/// an error ends the walk after the pages before it are handed over.
pub(crate) async fn pages<I, P, B>(
    service: &Service,
    history: &mut History<I, P, Error<B>>,
    mut page: impl FnMut(Vec<ListeningRecord>, Option<P>) -> Result<bool, Failed>,
    mut overlap: impl FnMut(&ListeningRecord) -> bool,
    on_error: impl Fn(&Error<B>) -> Failed,
) -> Result<bool, Failed>
where
    I: Send + Unpin + 'static + TryInto<ListeningRecord, Error = RecordError>,
    P: Clone + PartialEq + std::fmt::Debug + Send + Sync + Unpin + 'static,
    B: DocumentedError + Send + Unpin + 'static,
{
    let say = |what: &dyn std::fmt::Display| {
        eprintln!(
            "{}.",
            crate::output::printable(&format!("{}: {what}", service.name))
        );
    };
    while let Some(walked) = history.next_page().await {
        let walked = walked.map_err(|e| on_error(&e))?;
        for malformed in &walked.malformed {
            say(malformed);
        }
        let mut met = false;
        let mut records = Vec::with_capacity(walked.items.len());
        for item in walked.items {
            match item.try_into() {
                Ok(record) => {
                    met |= overlap(&record);
                    records.push(record);
                }
                Err(e) => say(&e),
            }
        }
        if page(records, walked.resume_point)? || met {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn a_watch_waits_its_interval_unless_rate_limited() {
        assert_eq!(wait_before_next_poll(MINUTE, None, 0), MINUTE);
    }

    #[test]
    fn a_rate_limited_watch_waits_what_was_asked_or_the_interval_doubled_per_time_in_a_row() {
        let secs = Duration::from_secs;
        // Asked for less than the doubled interval: the doubled interval.
        assert_eq!(wait_before_next_poll(MINUTE, Some(secs(1)), 1), secs(120));
        assert_eq!(wait_before_next_poll(MINUTE, Some(secs(1)), 3), secs(480));
        // Asked for more: what was asked.
        assert_eq!(wait_before_next_poll(MINUTE, Some(secs(900)), 1), secs(900));
        // Never more than MAX_BACKOFF, however long asked or however many times in a row.
        assert_eq!(
            wait_before_next_poll(MINUTE, Some(secs(86_400)), 1),
            MAX_BACKOFF
        );
        assert_eq!(wait_before_next_poll(MINUTE, Some(secs(1)), 8), MAX_BACKOFF);
        assert_eq!(
            wait_before_next_poll(MINUTE, Some(secs(1)), u32::MAX),
            MAX_BACKOFF
        );
        // An interval longer than MAX_BACKOFF is kept.
        let day = secs(86_400);
        assert_eq!(wait_before_next_poll(day, Some(secs(1)), 2), day);
    }
}

//! `recently-played report`: one self-contained HTML page of charts from the store (plays
//! and listening time per day or week, top artists, recordings and albums, when you
//! listen, what the range holds), written to a file. It reads the store read-only
//! ([`query`]), counts in one pass ([`figures`]), draws SVG ([`charts`]) and fills one
//! template ([`page`]).

mod charts;
mod figures;
mod page;
mod query;

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::store::{Filter, StoreError};

/// What `report --help` says before the flags.
pub(crate) const REPORT_ABOUT: &str = "\
Writes one HTML page of charts from the local database: plays and listening time per day
(per week over long ranges) and per service; the top artists, recordings and albums; when
you listen, by hour and weekday in your time zone; and what the range holds (first and last
play, plays per service, the gaps syncs recorded). The page is one file that loads nothing
from elsewhere: open it offline, print it, read it with a screen reader (each chart's
figures are also a table). A recording played on two services, or under two IDs of one, is
counted once where its plays share an ISRC.";

/// `report`'s flags.
#[derive(Debug, PartialEq, Eq, clap::Args)]
pub(crate) struct ReportArgs {
    /// The database (SQLite); default: history.sqlite3 in your data directory
    /// (~/.local/share/recently-played on Linux).
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
    /// The page to write (replaced if it exists).
    #[arg(long, value_name = "FILE", default_value = "report.html")]
    out: PathBuf,
    /// Only plays strictly after TIME: RFC 3339 (2024-05-01T10:00:00Z) or Unix milliseconds.
    #[arg(long, value_name = "TIME", value_parser = crate::cli::parse_time)]
    since: Option<DateTime<Utc>>,
    /// Only plays at or before TIME: RFC 3339 or Unix milliseconds.
    #[arg(long, value_name = "TIME", value_parser = crate::cli::parse_time)]
    until: Option<DateTime<Utc>>,
    /// Only this service's plays.
    #[arg(long, value_name = "SERVICE", value_parser = crate::cli::service_key())]
    service: Option<&'static str>,
    /// The time zone days and hours are counted in, by its IANA name (Europe/Berlin,
    /// America/New_York, UTC); default: $TZ if it names one, else the system's.
    #[arg(long, value_name = "ZONE", value_parser = parse_zone)]
    tz: Option<Tz>,
}

/// Why no page was written, each a sentence.
#[derive(Debug)]
pub(crate) enum ReportError {
    /// No `--db` and no data directory.
    Store(StoreError),
    /// No database at the path.
    NoDatabase(PathBuf),
    /// A store older than the columns the report reads.
    OldSchema { path: PathBuf, version: i64 },
    /// A query failed.
    Sql {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// A chart or the page could not be made.
    Render(String),
    /// The page could not be written.
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Store(e) => e.fmt(f),
            Self::NoDatabase(path) => write!(
                f,
                "no database at {}; run `recently-played sync` first",
                path.display()
            ),
            Self::OldSchema { path, version } => write!(
                f,
                "the database {} has schema version {version}, older than the report reads; \
                 run `recently-played sync` (or `export`) on it once to bring it up to date",
                path.display()
            ),
            Self::Sql { path, source } => {
                write!(f, "the database {} failed: {source}", path.display())
            }
            Self::Render(reason) => write!(f, "the page could not be made: {reason}"),
            Self::Write { path, source } => {
                write!(f, "cannot write {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for ReportError {}

/// Writes the page `args` asks for, and says on stderr where and what it holds.
pub(crate) fn run(args: ReportArgs) -> ExitCode {
    match write_report(&args) {
        Ok(said) => {
            eprintln!("{said}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "recently-played: {}.",
                crate::output::printable(crate::clause(&e.to_string()))
            );
            ExitCode::FAILURE
        }
    }
}

fn write_report(args: &ReportArgs) -> Result<String, ReportError> {
    let path = crate::store::path_or_default(args.db.clone()).map_err(ReportError::Store)?;
    let (zone, zone_source) = match args.tz {
        Some(zone) => (zone, "--tz"),
        None => system_zone(),
    };
    let filter = Filter {
        service: args.service.map(str::to_string),
        since: args.since,
        until: args.until,
    };
    let known: Vec<&str> = crate::services::ALL
        .iter()
        .filter(|s| filter.service.as_deref().is_none_or(|only| only == s.key))
        .map(|s| s.key)
        .collect();
    let mut figures = figures::Figures::new(zone, &known);
    let mut conn = query::open(&path)?;
    let gaps = query::read(&mut conn, &path, &filter, &mut figures)?;
    drop(conn);
    let html = page::render(&page::Request {
        figures: &figures,
        gaps: &gaps,
        filter: &filter,
        zone_source,
        generated_at: Utc::now(),
    })?;
    write_atomically(&args.out, html.as_bytes())?;
    Ok(format!(
        "Wrote {} ({} plays; days and hours in {zone}).",
        args.out.display(),
        figures.plays()
    ))
}

/// `value` as an IANA time zone.
fn parse_zone(value: &str) -> Result<Tz, String> {
    value.trim().parse::<Tz>().map_err(|_| {
        "not an IANA time zone name (Europe/Berlin, America/New_York, UTC)".to_string()
    })
}

/// $TZ where it names a zone, else the system's, else UTC; and which it was.
fn system_zone() -> (Tz, &'static str) {
    if let Some(zone) =
        crate::env_var("TZ").and_then(|tz| parse_zone(tz.trim_start_matches(':')).ok())
    {
        return (zone, "$TZ");
    }
    match iana_time_zone::get_timezone()
        .ok()
        .and_then(|name| parse_zone(&name).ok())
    {
        Some(zone) => (zone, "the system's zone"),
        None => (Tz::UTC, "UTC: the system's zone could not be read"),
    }
}

/// Writes `bytes` to `path` through a temporary file beside it, so that the page is
/// replaced whole or not at all.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let write_error = |source| ReportError::Write {
        path: path.to_path_buf(),
        source,
    };
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(folder).map_err(write_error)?;
    file.write_all(bytes).map_err(write_error)?;
    file.persist(path).map_err(|e| write_error(e.error))?;
    Ok(())
}

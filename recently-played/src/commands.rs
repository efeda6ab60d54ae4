//! The command line of `sync` and `export`: their flags, read by clap into what
//! [`crate::sync::run`] and [`crate::export::run`] take.

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

use crate::cli::{fill, parse_time, service_key};
use crate::export::{ExportArgs, Format};
use crate::services;
use crate::sync::SyncArgs;

/// `sync` with the help that names the services: how each carries on (`--help`), and why
/// `--watch` polls as often as it does.
pub(crate) fn with_sync_help(sync: clap::Command) -> clap::Command {
    let carries_on: Vec<String> = services::ALL
        .iter()
        .map(|service| format!("{} {}", service.name, service.help.sync))
        .collect();
    let about = fill(&format!(
        "Fetches what each service has that the local database does not, and appends it, \
         each play once however often it runs or wherever it was stopped. {}. When a poll \
         finds the service no longer holds what was stored last, the gap is recorded (table \
         `gaps`) and reported: plays may have been lost.",
        carries_on.join("; ")
    ));
    let keeps: Vec<String> = services::ALL
        .iter()
        .filter_map(|service| Some(format!("{} {}", service.name, service.help.keeps?)))
        .collect();
    let every = match keeps.is_empty() {
        true => "default 15m".to_string(),
        false => format!("default 15m: {}", keeps.join("; ")),
    };
    let watch = format!(
        "Poll until Ctrl-C, which stops cleanly after the current page.\n\n{}",
        fill(&format!(
            "Every --every DURATION ({every}), waiting longer after a rate limit."
        ))
    );
    sync.long_about(about)
        .mut_arg("watch", |arg| arg.long_help(watch))
}

/// What `export --help` says before the flags.
pub(crate) const EXPORT_ABOUT: &str = "\
Writes the stored plays, oldest first, as JSON Lines (default) or CSV: one record per play,
its fields (service, played_at, kind, id, title, artists, album, ...; every column in
recently-played/README.md) and `item`, the play as the service sent it.";

/// `sync`'s flags.
#[derive(Debug, PartialEq, Eq, clap::Args)]
pub(crate) struct SyncCommand {
    /// The database (SQLite); default: history.sqlite3 in your data directory
    /// (~/.local/share/recently-played on Linux).
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Poll until Ctrl-C, which stops cleanly after the current page.
    #[arg(long)]
    watch: bool,
    /// How often --watch polls: 30s, 15m, 2h, or seconds.
    #[arg(
        long,
        value_name = "DURATION",
        value_parser = parse_duration,
        requires = "watch"
    )]
    every: Option<Duration>,
    /// The longest one service's sync may take in a run or poll (default 5m).
    ///
    /// 5m, so that both end within a 15 min schedule: past it the sync stops, keeps what
    /// it fetched and carries on at the next run.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    deadline: Option<Duration>,
    /// Sync the built-in sandbox even where services are configured.
    #[arg(long)]
    sandbox: bool,
}

impl From<SyncCommand> for SyncArgs {
    fn from(command: SyncCommand) -> Self {
        let SyncCommand {
            db,
            watch,
            every,
            deadline,
            sandbox,
        } = command;
        SyncArgs {
            db,
            watch,
            every,
            sandbox,
            deadline,
        }
    }
}

/// `export`'s flags.
#[derive(Debug, PartialEq, Eq, clap::Args)]
pub(crate) struct ExportCommand {
    /// The database (SQLite); default: history.sqlite3 in your data directory
    /// (~/.local/share/recently-played on Linux).
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
    /// JSON Lines or CSV.
    #[arg(long, value_name = "FORMAT", default_value = "jsonl", value_parser = format_parser())]
    format: Format,
    /// Only this service's plays.
    #[arg(long, value_name = "SERVICE", value_parser = service_key())]
    service: Option<&'static str>,
    /// Only plays strictly after TIME: RFC 3339 (2024-05-01T10:00:00Z) or Unix milliseconds.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    since: Option<DateTime<Utc>>,
    /// Only plays at or before TIME: RFC 3339 or Unix milliseconds.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    until: Option<DateTime<Utc>>,
}

impl From<ExportCommand> for ExportArgs {
    fn from(command: ExportCommand) -> Self {
        ExportArgs {
            db: command.db,
            format: command.format,
            service: command.service.map(str::to_string),
            since: command.since,
            until: command.until,
        }
    }
}

/// `--format`: `jsonl` (or `json`) and `csv`.
fn format_parser() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new([
        PossibleValue::new("jsonl")
            .alias("json")
            .help("one JSON object per line: the record's fields, `item` the raw play"),
        PossibleValue::new("csv")
            .help("a header, then one row per play; `artists` joined by \"; \", `item` as JSON"),
    ])
    .map(|name| match name.as_str() {
        "csv" => Format::Csv,
        _ => Format::JsonLines,
    })
}

/// `d` as a user would write it: `5m`, `90s`, `2h`.
pub(crate) fn show_duration(d: Duration) -> String {
    match d.as_secs() {
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// `30s`, `15m`, `2h`, or a number of seconds; at least one second, at most a week.
pub(crate) fn parse_duration(value: &str) -> Result<Duration, String> {
    let value = value.trim();
    let (number, unit) = match value.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => value.split_at(at),
        None => (value, "s"),
    };
    let scale = match unit.trim() {
        "s" | "sec" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        _ => 0,
    };
    let seconds = number.parse::<u64>().ok().map(|n| n.saturating_mul(scale));
    match seconds {
        Some(s @ 1..=604_800) => Ok(Duration::from_secs(s)),
        _ => Err("not a duration from 1s to 1 week (30s, 15m, 2h, or seconds)".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_take_seconds_minutes_and_hours() {
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("45"), Ok(Duration::from_secs(45)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("99999999999999999999h").is_err());
    }

    /// `args` after `recently-played`, as one subcommand's arguments, or clap's error.
    fn subcommand(args: &[&str]) -> Result<crate::cli::Command, clap::Error> {
        let line = ["recently-played"]
            .iter()
            .chain(args)
            .map(std::ffi::OsString::from);
        crate::cli::parse(line).map(|cli| cli.command.expect("a subcommand"))
    }

    fn sync_args(args: &[&str]) -> Result<SyncArgs, clap::error::ErrorKind> {
        let line: Vec<&str> = ["sync"].iter().chain(args).copied().collect();
        match subcommand(&line) {
            Ok(crate::cli::Command::Sync(command)) => Ok(command.into()),
            Ok(other) => panic!("not sync: {other:?}"),
            Err(e) => Err(e.kind()),
        }
    }

    fn export_args(args: &[&str]) -> Result<ExportArgs, clap::error::ErrorKind> {
        let line: Vec<&str> = ["export"].iter().chain(args).copied().collect();
        match subcommand(&line) {
            Ok(crate::cli::Command::Export(command)) => Ok(command.into()),
            Ok(other) => panic!("not export: {other:?}"),
            Err(e) => Err(e.kind()),
        }
    }

    #[test]
    fn watch_every_takes_30s_15m_and_1h_and_needs_watch() {
        for (every, seconds) in [("30s", 30), ("15m", 900), ("1h", 3600)] {
            assert_eq!(
                sync_args(&["--watch", "--every", every]),
                Ok(SyncArgs {
                    db: None,
                    watch: true,
                    every: Some(Duration::from_secs(seconds)),
                    sandbox: false,
                    deadline: None,
                })
            );
        }
        assert_eq!(
            sync_args(&["--every=1h", "--watch", "--db", "x.sqlite3"]).map(|a| a.every),
            Ok(Some(Duration::from_secs(3600)))
        );
        assert!(sync_args(&["--watch", "--every", "fortnightly"]).is_err());
        assert!(sync_args(&["--watch", "--every"]).is_err());
        assert_eq!(
            sync_args(&["--every", "30s"]),
            Err(clap::error::ErrorKind::MissingRequiredArgument)
        );
        assert_eq!(sync_args(&["--watch"]).map(|a| a.every), Ok(None));
    }

    #[test]
    fn sync_takes_a_deadline_shown_as_it_is_written() {
        assert_eq!(
            sync_args(&["--deadline", "90s"]).map(|a| a.deadline),
            Ok(Some(Duration::from_secs(90)))
        );
        assert!(sync_args(&["--deadline", "0s"]).is_err());
        for (written, secs) in [("5m", 300), ("90s", 90), ("2h", 7200)] {
            assert_eq!(show_duration(Duration::from_secs(secs)), written);
        }
    }

    #[test]
    fn sync_takes_the_sandbox_by_name() {
        assert_eq!(sync_args(&["--sandbox"]).map(|a| a.sandbox), Ok(true));
        assert_eq!(sync_args(&[]).map(|a| a.sandbox), Ok(false));
    }

    #[test]
    fn export_takes_a_format_a_service_by_either_name_and_a_time_range() {
        assert_eq!(export_args(&[]), Ok(ExportArgs::default()));
        let service = crate::services::ALL[crate::services::ALL.len() - 1];
        let args = export_args(&[
            "--format",
            "csv",
            "--service",
            service.command,
            "--since",
            "0",
            "--until",
            "2024-05-01T10:00:00Z",
            "--db",
            "h.sqlite3",
        ])
        .unwrap();
        assert_eq!(args.format, Format::Csv);
        assert_eq!(args.service.as_deref(), Some(service.key));
        assert_eq!(args.since, DateTime::from_timestamp_millis(0));
        assert_eq!(
            args.until,
            DateTime::from_timestamp_millis(1_714_557_600_000)
        );
        assert_eq!(args.db, Some(PathBuf::from("h.sqlite3")));
        for (format, expected) in [("json", Format::JsonLines), ("jsonl", Format::JsonLines)] {
            assert_eq!(
                export_args(&["--format", format]).map(|a| a.format),
                Ok(expected)
            );
        }
        for service in crate::services::ALL {
            for name in [service.command, service.key] {
                assert_eq!(
                    export_args(&["--service", name]).map(|a| a.service),
                    Ok(Some(service.key.to_string()))
                );
            }
        }
        for refused in [
            &["--format", "xml"][..],
            &["--service", "deezer"],
            &["--until", "tomorrow"],
            &["--watch"],
        ] {
            assert!(export_args(refused).is_err(), "{refused:?}");
        }
    }
}

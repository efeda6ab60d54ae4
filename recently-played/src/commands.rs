//! The command line of `sync` and `export`, after their name.

use std::path::PathBuf;
use std::time::Duration;

use lexopt::prelude::*;

use crate::export::{ExportArgs, Format};
use crate::sync::SyncArgs;

pub(crate) const HELP: &str = "\
KEEPING THE HISTORY:
    recently-played sync [--db PATH] [--watch [--every DURATION]] [--deadline DURATION]
                         [--sandbox]
    recently-played export [--db PATH] [--format jsonl|csv] [--service NAME]
                           [--since TIME] [--until TIME]

    sync      Fetches what each service has that the local database does not, and
              appends it, each play once however often it runs or wherever it was
              stopped. Spotify resumes after the newest stored play; Amazon Music, which
              has no time filter, walks back until it meets a play already stored. When
              a poll finds the service no longer holds what was stored last, the gap is
              recorded (table `gaps`) and reported: plays may have been lost.
    --watch   Polls until Ctrl-C (which stops cleanly after the current page), every
              DURATION (default 15m: Spotify keeps only your last 50 plays, about 2.5 h
              of listening), waiting longer after a rate limit.
    --every DURATION   30s, 15m, 2h, or seconds.
    --deadline DURATION
              The longest one service's sync may take in a run or poll (default 5m, so
              that both end within a 15 min schedule): past it the sync stops, keeps
              what it fetched and carries on at the next run.
    export    Writes the stored plays, oldest first, as JSON Lines (default) or CSV: one
              record per play {service, played_at, kind, id, title, artists, album,
              context, item}. --service spotify|amazon_music; --since TIME (strictly
              after) and --until TIME (at or before), as for --since above.
    --db PATH The database (SQLite); default: history.sqlite3 in your data directory
              (~/.local/share/recently-played on Linux).
";

/// `sync`'s flags.
pub(crate) fn parse_sync(parser: &mut lexopt::Parser) -> Result<SyncArgs, String> {
    let mut args = SyncArgs {
        db: None,
        watch: false,
        every: None,
        sandbox: false,
        deadline: None,
    };
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("db") => args.db = Some(PathBuf::from(parser.value().map_err(|e| e.to_string())?)),
            Long("watch") => args.watch = true,
            Long("sandbox") => args.sandbox = true,
            Long("deadline") => {
                args.deadline = Some(parse_duration(&text(parser, "--deadline")?)?);
            }
            Long("every") => args.every = Some(parse_duration(&text(parser, "--every")?)?),
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    if args.every.is_some() && !args.watch {
        return Err("`--every` sets how often `--watch` polls; add `--watch`".to_string());
    }
    Ok(args)
}

/// `export`'s flags.
pub(crate) fn parse_export(parser: &mut lexopt::Parser) -> Result<ExportArgs, String> {
    let mut args = ExportArgs::default();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("db") => args.db = Some(PathBuf::from(parser.value().map_err(|e| e.to_string())?)),
            Long("format") => {
                args.format = match text(parser, "--format")?.as_str() {
                    "jsonl" | "json" => Format::JsonLines,
                    "csv" => Format::Csv,
                    other => return Err(format!("`--format {other}`: say jsonl or csv")),
                }
            }
            Long("service") => {
                let name = text(parser, "--service")?;
                let service = crate::services::named(&name).ok_or_else(|| {
                    let keys: Vec<&str> = crate::services::ALL.iter().map(|s| s.key).collect();
                    format!("`--service {name}`: say {}", keys.join(" or "))
                })?;
                args.service = Some(service.key.to_string());
            }
            Long("since") => args.since = Some(crate::cli::parse_time(&text(parser, "--since")?)?),
            Long("until") => args.until = Some(crate::cli::parse_time(&text(parser, "--until")?)?),
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    Ok(args)
}

fn text(parser: &mut lexopt::Parser, flag: &str) -> Result<String, String> {
    parser
        .value()
        .map_err(|e| e.to_string())?
        .into_string()
        .map_err(|_| format!("the value of `{flag}` is not valid UTF-8"))
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
        _ => Err(format!(
            "`{value}` is not a duration from 1s to 1 week (30s, 15m, 2h, or seconds)"
        )),
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

    fn sync_args(args: &[&str]) -> Result<SyncArgs, String> {
        let mut parser = lexopt::Parser::from_args(args.iter().map(std::ffi::OsString::from));
        parse_sync(&mut parser)
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
        assert!(sync_args(&["--every", "30s"]).is_err());
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
}

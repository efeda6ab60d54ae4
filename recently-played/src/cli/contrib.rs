//! The service files in `contrib/` run commands this parser reads as they mean: a renamed
//! flag or subcommand fails here, not on a user's machine.

use std::ffi::OsString;

use crate::cli::{Command, parse};
use crate::exit::Exit;
use crate::sync::SyncArgs;

const WATCH_SERVICE: &str = include_str!("../../contrib/systemd/recently-played.service");
const ONE_SYNC_SERVICE: &str = include_str!("../../contrib/systemd/recently-played-sync.service");
const TIMER: &str = include_str!("../../contrib/systemd/recently-played-sync.timer");
const LAUNCHD_AGENT: &str = include_str!("../../contrib/launchd/recently-played.sync.plist");

/// Where `cargo install` puts the binary, as each file names it.
const SYSTEMD_BINARY: &str = "%h/.cargo/bin/recently-played";
const LAUNCHD_BINARY: &str = "exec \"$HOME/.cargo/bin/recently-played\"";

/// The value of `key=` in a unit file; it must be there once.
fn unit_value<'a>(unit: &'a str, key: &str) -> &'a str {
    let values: Vec<&str> = unit
        .lines()
        .filter_map(|line| line.strip_prefix(key)?.strip_prefix('='))
        .collect();
    assert_eq!(values.len(), 1, "{key}= once in:\n{unit}");
    values[0].trim()
}

/// What the command line `arguments` (after the program) asks, as `sync`'s arguments.
fn sync_of(arguments: &[&str]) -> SyncArgs {
    let line = std::iter::once("recently-played").chain(arguments.iter().copied());
    match parse(line.map(OsString::from)) {
        Ok(cli) => match cli.command {
            Some(Command::Sync(command)) => command.into(),
            other => panic!("{arguments:?} is not a sync: {other:?}"),
        },
        Err(e) => panic!("{arguments:?} does not parse: {e}"),
    }
}

/// The arguments after `binary` in `command`.
fn after<'a>(command: &'a str, binary: &str) -> Vec<&'a str> {
    command
        .strip_prefix(binary)
        .unwrap_or_else(|| panic!("{command:?} does not start with {binary:?}"))
        .split_whitespace()
        .collect()
}

#[test]
fn the_systemd_units_run_sync_watch_and_one_sync() {
    let watch = sync_of(&after(
        unit_value(WATCH_SERVICE, "ExecStart"),
        SYSTEMD_BINARY,
    ));
    assert!(
        watch.watch && watch.every.is_none() && watch.db.is_none(),
        "{watch:?}"
    );
    let once = sync_of(&after(
        unit_value(ONE_SYNC_SERVICE, "ExecStart"),
        SYSTEMD_BINARY,
    ));
    assert!(!once.watch, "{once:?}");
}

#[test]
fn the_systemd_units_stop_sync_as_ctrl_c_does_and_give_up_on_a_usage_error() {
    // `sync` stops cleanly on SIGINT alone.
    for unit in [WATCH_SERVICE, ONE_SYNC_SERVICE] {
        assert_eq!(unit_value(unit, "KillSignal"), "SIGINT");
    }
    assert_eq!(
        unit_value(WATCH_SERVICE, "RestartPreventExitStatus"),
        Exit::Usage.code().to_string()
    );
    // The timer starts the service of its own name.
    assert!(unit_value(TIMER, "OnUnitActiveSec").ends_with("min"));
    assert!(!TIMER.contains("Unit="), "the timer names no other unit");
}

#[test]
fn the_launchd_agent_runs_sync_watch() {
    let array = LAUNCHD_AGENT
        .split_once("<key>ProgramArguments</key>")
        .and_then(|(_, rest)| rest.split_once("</array>"))
        .expect("a ProgramArguments array")
        .0;
    let arguments: Vec<String> = array
        .split("<string>")
        .skip(1)
        .map(|item| {
            let text = item.split_once("</string>").expect("a closed <string>").0;
            text.replace("&gt;", ">")
                .replace("&lt;", "<")
                .replace("&amp;", "&")
        })
        .collect();
    assert_eq!(arguments[..2], ["/bin/sh", "-c"], "{arguments:?}");
    assert_eq!(arguments.len(), 3, "{arguments:?}");
    // The shell's words up to the redirection of its output to the log.
    let words: Vec<&str> = after(&arguments[2], LAUNCHD_BINARY)
        .into_iter()
        .take_while(|word| !word.starts_with('>'))
        .collect();
    let watch = sync_of(&words);
    assert!(watch.watch && watch.every.is_none(), "{watch:?}");
}

//! What an installed command offers besides its work: `--version`, `--help` per subcommand,
//! completions and a man page, usage errors that exit 2, and quiet ends on a closed pipe.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use music_history_sandbox::amazon::{AmazonMusicHistory, AmazonMusicSimulation};
use music_history_sandbox::spotify::{SpotifyHistory, SpotifySimulation};

use crate::common::{
    PATIENCE, Running, against, recently_played, run, run_with_stdout, stderr, stdout,
};

/// The subcommands every one of the outputs below must name.
const SUBCOMMANDS: [&str; 6] = ["sync", "export", "login", "logout", "completions", "man"];

fn assert_ok(output: &Output) {
    assert!(
        output.status.success(),
        "{:?}: {}",
        output.status,
        stderr(output)
    );
}

#[test]
fn version_prints_the_crate_version() {
    for flag in ["--version", "-V"] {
        let output = run(&mut recently_played(&[flag]));
        assert_ok(&output);
        assert_eq!(
            stdout(&output),
            format!("recently-played {}\n", env!("CARGO_PKG_VERSION"))
        );
        assert!(stderr(&output).is_empty());
    }
}

#[test]
fn completions_are_printed_for_each_shell_naming_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = run(&mut recently_played(&["completions", shell]));
        assert_ok(&output);
        let script = stdout(&output);
        for name in SUBCOMMANDS.iter().chain(&["since", "watch", "no-browser"]) {
            assert!(script.contains(name), "{shell}: no {name} in:\n{script}");
        }
    }
    // bash's script offers the services by name where one is asked.
    let bash = stdout(&run(&mut recently_played(&["completions", "bash"])));
    assert!(bash.contains("complete -F _recently__played"), "{bash}");
    assert!(bash.trim_end().ends_with("recently-played\nfi"), "{bash}");
    assert!(bash.contains("spotify amazon-music"), "{bash}");
}

#[test]
fn man_prints_a_roff_page_naming_the_subcommands_and_the_exit_statuses() {
    let output = run(&mut recently_played(&["man"]));
    assert_ok(&output);
    let page = stdout(&output);
    assert!(page.contains(".TH recently-played 1"), "{page}");
    for name in SUBCOMMANDS {
        assert!(page.contains(name), "no {name} in the man page");
    }
    assert!(page.contains("EXIT STATUS"), "{page}");

    for (command, flag) in [("sync", "\\-\\-watch"), ("login", "\\-\\-no\\-browser")] {
        let output = run(&mut recently_played(&["man", command]));
        assert_ok(&output);
        let page = stdout(&output);
        assert!(
            page.contains(&format!(".TH recently-played-{command} 1")),
            "{page}"
        );
        assert!(page.contains(flag), "no {flag} in:\n{page}");
    }
}

#[test]
fn each_subcommand_has_its_own_help() {
    for (subcommand, flags) in [
        (
            "sync",
            &["--watch", "--every", "--deadline", "--db", "--sandbox"][..],
        ),
        (
            "export",
            &["--format", "--service", "--since", "--until", "--db"],
        ),
        ("login", &["--port", "--redirect-uri", "--no-browser"]),
        ("logout", &["<SERVICE>"]),
        (
            "completions",
            &["bash", "zsh", "fish", "powershell", "elvish"],
        ),
        ("man", &["roff", "[COMMAND]"]),
    ] {
        for help in ["--help", "-h"] {
            let output = run(&mut recently_played(&[subcommand, help]));
            assert_ok(&output);
            let said = stdout(&output);
            assert!(
                said.contains(&format!("Usage: recently-played {subcommand}")),
                "{subcommand} {help}:\n{said}"
            );
            for flag in flags {
                assert!(
                    said.contains(flag),
                    "{subcommand} {help}: no {flag} in:\n{said}"
                );
            }
            // The walk's flags are not the subcommand's.
            assert!(!said.contains("--serve"), "{subcommand} {help}:\n{said}");
        }
    }
    // `--help`, not `-h`, says what each command needs and does at length.
    for (subcommand, needle) in [("login", "SPOTIFY_CLIENT_ID"), ("sync", "table `gaps`")] {
        let long = stdout(&run(&mut recently_played(&[subcommand, "--help"])));
        assert!(long.contains(needle), "{subcommand} --help: no {needle}");
        let short = stdout(&run(&mut recently_played(&[subcommand, "-h"])));
        assert!(!short.contains(needle), "{subcommand} -h: {needle}");
    }
}

#[test]
fn help_lists_every_exit_status() {
    let output = run(&mut recently_played(&["--help"]));
    assert_ok(&output);
    let help = stdout(&output);
    let statuses = help
        .split_once("EXIT STATUS:")
        .unwrap_or_else(|| panic!("no EXIT STATUS in:\n{help}"))
        .1;
    for code in ["0", "1", "2", "130"] {
        assert!(
            statuses
                .lines()
                .any(|line| line.trim_start().starts_with(&format!("{code} "))),
            "no status {code} in:\n{statuses}"
        );
    }
}

#[test]
fn a_usage_error_exits_2_with_one_sentence() {
    for args in [
        &["--verbose"][..],
        &["--json", "sync"],
        &["sync", "--json"],
        &["export", "--format", "xml"],
        &["completions", "tcsh"],
        &["completions"],
        &["login", "tidal"],
        &["logout"],
        &["frobnicate"],
        &["man", "frobnicate"],
    ] {
        let output = run(&mut recently_played(args));
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let said = stderr(&output);
        assert_eq!(said.lines().count(), 1, "{args:?}: {said}");
        assert!(said.starts_with("recently-played: "), "{args:?}: {said}");
        assert!(
            said.trim_end().ends_with("; see --help."),
            "{args:?}: {said}"
        );
        assert!(stdout(&output).is_empty(), "{args:?}");
    }
}

/// A pipe whose reading end is already closed: each write to it fails with `EPIPE`.
fn closed_pipe() -> Stdio {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    writer.into()
}

/// `command`'s run with its stdout read for one line and then closed, as `| head -1` does.
fn read_one_line_then_close(command: &mut Command) -> (String, Output) {
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut running = Running(child);
    let mut first = String::new();
    BufReader::new(running.0.stdout.take().unwrap())
        .read_line(&mut first)
        .expect("a first line");
    // The reader is dropped here: the pipe is closed with the rest unread.
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        match running.0.try_wait().expect("the run can be waited for") {
            Some(status) => break status,
            None if Instant::now() < deadline => thread::sleep(Duration::from_millis(10)),
            None => panic!("the run did not end within {PATIENCE:?} of its reader leaving"),
        }
    };
    let mut said = Vec::new();
    std::io::Read::read_to_end(&mut running.0.stderr.take().unwrap(), &mut said).unwrap();
    (
        first,
        Output {
            status,
            stdout: Vec::new(),
            stderr: said,
        },
    )
}

/// A database synced from the built-in sandbox, in a directory removed with it.
fn synced_database() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir
        .path()
        .join("history.sqlite3")
        .to_str()
        .unwrap()
        .to_string();
    assert_ok(&run(&mut recently_played(&["sync", "--db", &db])));
    (dir, db)
}

#[test]
fn export_piped_to_head_ends_quietly() {
    let (_dir, db) = synced_database();
    // More than a pipe holds, so that the run is still writing when the reader leaves.
    let everything = run(&mut recently_played(&["export", "--db", &db]));
    assert!(
        everything.stdout.len() > 1 << 17,
        "{} bytes",
        everything.stdout.len()
    );

    let (first, output) = read_one_line_then_close(&mut recently_played(&["export", "--db", &db]));
    assert!(first.starts_with('{'), "{first}");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
}

#[test]
fn every_command_ends_quietly_on_a_closed_stdout() {
    let (_dir, db) = synced_database();
    for args in [
        &["export", "--db", &db][..],
        &["export", "--db", &db, "--format", "csv"],
        &["completions", "bash"],
        &["man"],
        &["--help"],
        &["sync", "--help"],
        &["--version"],
        &[],
        &["logout", "spotify"],
    ] {
        let output = run_with_stdout(&mut recently_played(args), closed_pipe());
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(stderr(&output).is_empty(), "{args:?}: {}", stderr(&output));
    }
    // These say on stderr what they do; of the closed pipe, nothing.
    for args in [&["--json"][..], &["sync", "--db", &db]] {
        let output = run_with_stdout(&mut recently_played(args), closed_pipe());
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
        let said = stderr(&output);
        for sign in ["panicked", "pipe", "cannot print", "error"] {
            assert!(!said.to_lowercase().contains(sign), "{args:?}: {said}");
        }
    }
}

/// Once no one reads the plays, the walk asks no further service for them.
#[tokio::test(flavor = "multi_thread")]
async fn a_walk_whose_reader_left_asks_the_next_service_nothing() {
    let spotify = SpotifySimulation::start(SpotifyHistory::realistic(10, 1)).await;
    let amazon = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(10, 1)).await;
    // JSON Lines: nothing is written before the first page's plays, so Spotify is asked once.
    let mut walk = against(&spotify, &amazon, &["--json"]);
    let output = tokio::task::spawn_blocking(move || run_with_stdout(&mut walk, closed_pipe()))
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(spotify.request_count(), 1);
    assert_eq!(amazon.request_count(), 0);
}

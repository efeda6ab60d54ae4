//! What the tests share: the binary with no configuration, runs of it that cannot outlast
//! [`PATIENCE`], and readers of what it printed.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{OnceLock, mpsc};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use music_history_sandbox::amazon::{AmazonMusicHistory, TrackPlay};
use serde_json::Value;

/// Every environment variable the program reads for a service, as its `--help` lists them
/// (CREDENTIALS: a row per variable, which the program makes from each service's
/// `Service::variables`, the variables it reads). Every run here has them removed, so that
/// no test reaches a real service. They are read from the binary, not listed here, so that
/// a new service's are removed without this file knowing the service.
pub(crate) fn variables() -> &'static [String] {
    static VARIABLES: OnceLock<Vec<String>> = OnceLock::new();
    VARIABLES.get_or_init(|| {
        // Nothing from the environment (`COLUMNS`, say) changes how the help is laid out.
        let output = run(Command::new(env!("CARGO_BIN_EXE_recently-played"))
            .arg("--help")
            .env_clear());
        assert!(output.status.success(), "--help fails: {output:?}");
        let help = stdout(&output);
        let found = credentials_variables(&help);
        assert!(
            !found.is_empty(),
            "no variables in the CREDENTIALS of:\n{help}"
        );
        found
    })
}

/// The variables the CREDENTIALS section of `help` lists: each row's first word, where it
/// is a variable's name (capitals, digits and underscores, with an underscore).
fn credentials_variables(help: &str) -> Vec<String> {
    let section = help
        .lines()
        .skip_while(|line| *line != "CREDENTIALS:")
        .skip(1)
        .take_while(|line| line.is_empty() || line.starts_with(' '));
    section
        .filter_map(|line| line.strip_prefix("    "))
        .filter_map(|row| {
            row.split_whitespace()
                .next()
                .filter(|_| !row.starts_with(' '))
        })
        .filter(|word| {
            word.contains('_')
                && word
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
        .map(str::to_string)
        .collect()
}

/// The binary with no configuration at all: whatever the test environment holds is
/// removed, and the config directory is an empty one, so that no sign-in stored on this
/// machine is used.
pub(crate) fn recently_played(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_recently-played"));
    command.args(args);
    for variable in variables() {
        command.env_remove(variable);
    }
    command.env(
        "XDG_CONFIG_HOME",
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-sign-in"),
    );
    command
}

/// How long a test waits for the binary: for a run to end, or for a line it prints. The
/// longest run here (both services against endless servers, stopped at their page budgets)
/// takes seconds; one still going after this is walking without end, and fails its test.
pub(crate) const PATIENCE: Duration = Duration::from_secs(30);

/// A child process of the test, killed when this is dropped: when the test is done with it,
/// and when the test fails first.
pub(crate) struct Running(pub(crate) Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Sends SIGINT to `running` and waits for it to exit, off the runtime and at most
/// [`PATIENCE`]: whether the signal was sent, and the exit status (`None`: it did not exit
/// in time, and is killed as `running` drops).
pub(crate) async fn interrupt(running: Running) -> (bool, Option<std::process::ExitStatus>) {
    let pid = running.0.id().to_string();
    let sent = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .is_ok_and(|s| s.success());
    let status = tokio::task::spawn_blocking(move || {
        let mut running = running;
        let deadline = Instant::now() + PATIENCE;
        loop {
            match running.0.try_wait() {
                Ok(Some(status)) => return Some(status),
                Ok(None) if Instant::now() < deadline => {
                    thread::sleep(Duration::from_millis(50));
                }
                _ => return None,
            }
        }
    })
    .await
    .unwrap();
    (sent, status)
}

/// The lines `pipe` carries, read on a thread of their own, so that a test can wait for the
/// next one with `recv_timeout`.
pub(crate) fn lines_of(pipe: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (lines, receiver) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    receiver
}

/// Everything `pipe` carries until it closes, read on a thread of its own, so that a child
/// that fills one pipe is never blocked while the test waits on it.
fn read_to_end(mut pipe: impl Read + Send + 'static) -> JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

/// Runs `command` to its end, as `Command::output` does, but for [`PATIENCE`] at most: a run
/// still going then is killed and the test fails, saying so and what the run said on stderr.
pub(crate) fn run(command: &mut Command) -> Output {
    run_with_stdout(command, Stdio::piped())
}

/// [`run`], with the run's stdout sent to `stdout`: it is captured only if that is a pipe.
pub(crate) fn run_with_stdout(command: &mut Command, stdout: Stdio) -> Output {
    let child = command
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut running = Running(child);
    let stdout = running.0.stdout.take().map(read_to_end);
    let stderr = read_to_end(running.0.stderr.take().expect("a piped stderr"));
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        match running.0.try_wait().expect("the run can be waited for") {
            Some(status) => break status,
            None if Instant::now() < deadline => thread::sleep(Duration::from_millis(10)),
            None => {
                drop(running);
                let said = String::from_utf8_lossy(&stderr.join().unwrap_or_default()).into_owned();
                panic!(
                    "the run did not end within {PATIENCE:?} (a walk without end?); killed it. \
                     It said on stderr: {said:?}"
                );
            }
        }
    };
    Output {
        status,
        stdout: stdout.map_or_else(Vec::new, |out| out.join().expect("stdout is read")),
        stderr: stderr.join().expect("stderr is read"),
    }
}

/// Runs `command` off the async runtime, so that a simulation the test started keeps serving.
/// A run that fails the test (see [`run`]) fails it with its own message.
pub(crate) async fn run_beside_simulation(mut command: Command) -> Output {
    tokio::task::spawn_blocking(move || run(&mut command))
        .await
        .unwrap_or_else(|failed| std::panic::resume_unwind(failed.into_panic()))
}

pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// The seeded size and seed, as the banner states them: "… 250 plays per service, seed 2024."
pub(crate) fn seeded(said: &str) -> (usize, u64) {
    let banner = said
        .lines()
        .find(|line| line.starts_with("Built-in sandbox"))
        .unwrap_or_else(|| panic!("no sandbox banner in {said:?}"));
    let number_before = |marker: &str| -> u64 {
        let (head, _) = banner.split_once(marker).expect(marker);
        head.rsplit(' ').next().unwrap().parse().unwrap()
    };
    let seed = banner.split_once("seed ").unwrap().1.trim_end_matches('.');
    (
        number_before(" plays per service") as usize,
        seed.parse().unwrap(),
    )
}

/// (plays, requests) from the summary line of `service`.
pub(crate) fn summary(said: &str, service: &str) -> (usize, usize) {
    let line = said
        .lines()
        .find(|line| line.starts_with(service) && line.contains(" request"))
        .unwrap_or_else(|| panic!("no summary line for {service} in {said:?}"));
    let words: Vec<&str> = line[service.len()..].split_whitespace().collect();
    assert!(
        words[1].starts_with("play") && words[3].starts_with("request"),
        "{line}"
    );
    (words[0].parse().unwrap(), words[2].parse().unwrap())
}

pub(crate) fn json_lines(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("every stdout line is one JSON object"))
        .collect()
}

pub(crate) fn of_service<'a>(lines: &'a [Value], service: &str) -> Vec<&'a Value> {
    lines.iter().filter(|l| l["service"] == service).collect()
}

pub(crate) fn played_at(line: &Value) -> DateTime<Utc> {
    line["played_at"].as_str().unwrap().parse().unwrap()
}

/// "me"'s plays of tracks, newest first, as the simulation serves them (ties in given order).
pub(crate) fn my_tracks(history: &AmazonMusicHistory) -> Vec<TrackPlay> {
    let mut tracks = history.users[0].tracks.clone();
    tracks.sort_by_key(|play| std::cmp::Reverse(play.played_at.timestamp_millis()));
    tracks
}

/// The binary pointed at simulations a test started, with their (sandbox) credentials.
pub(crate) fn against(
    spotify: &music_history_sandbox::spotify::SpotifySimulation,
    amazon: &music_history_sandbox::amazon::AmazonMusicSimulation,
    args: &[&str],
) -> Command {
    let mut command = recently_played(args);
    command
        .env("SPOTIFY_API_BASE_URL", spotify.base_url())
        .env("AMAZON_MUSIC_API_BASE_URL", amazon.base_url())
        .env_remove("RECENTLY_PLAYED_TEST_STOP_AFTER_PAGES");
    command
}

/// How many plays of `service` the database at `db` holds, counted with SQLite itself.
pub(crate) fn stored(db: &std::path::Path, service: &str) -> usize {
    let conn = rusqlite::Connection::open(db).expect("the database opens");
    conn.query_row(
        "SELECT count(*) FROM plays WHERE service = ?1",
        [service],
        |row| row.get::<_, i64>(0),
    )
    .expect("plays can be counted") as usize
}

/// The stored `(played_at_ms, item id)` of `service`, oldest first.
pub(crate) fn stored_plays(db: &std::path::Path, service: &str) -> Vec<(i64, Option<String>)> {
    let conn = rusqlite::Connection::open(db).expect("the database opens");
    let mut stmt = conn
        .prepare(
            "SELECT played_at_ms, item_id FROM plays WHERE service = ?1
             ORDER BY played_at_ms, play_key",
        )
        .unwrap();
    stmt.query_map([service], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

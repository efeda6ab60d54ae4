//! `sync` and `export`: the history kept in a local database, each play exactly once,
//! against simulations started by each test (no credentials: the sandbox's are sent).

use std::path::{Path, PathBuf};

use music_history_sandbox::Fault;
use music_history_sandbox::amazon::{AmazonMusicHistory, AmazonMusicSimulation, TrackPlay};
use music_history_sandbox::spotify::{SpotifyHistory, SpotifyPlay, SpotifySimulation};

use crate::common::*;

pub(crate) const SPOTIFY: &str = "spotify";
pub(crate) const AMAZON: &str = "amazon_music";

pub(crate) struct Sims {
    pub(crate) spotify: SpotifySimulation,
    pub(crate) amazon: AmazonMusicSimulation,
    pub(crate) me: String,
    /// Newest play time so far, to add newer ones.
    now_ms: i64,
    added: usize,
}

impl Sims {
    pub(crate) async fn start(plays: usize) -> Self {
        let spotify = SpotifyHistory::realistic(plays, 7);
        let amazon = AmazonMusicHistory::realistic(plays, 7);
        let me = amazon.me.clone();
        let now_ms = spotify
            .plays
            .iter()
            .map(SpotifyPlay::played_at_ms)
            .chain(
                amazon.users[0]
                    .tracks
                    .iter()
                    .map(|p| p.played_at.timestamp_millis()),
            )
            .max()
            .unwrap_or(0);
        Self {
            spotify: SpotifySimulation::start(spotify).await,
            amazon: AmazonMusicSimulation::start(amazon).await,
            me,
            now_ms,
            added: 0,
        }
    }

    /// `n` new plays on each service, three minutes apart, newer than any so far.
    pub(crate) fn listen(&mut self, n: usize) {
        for _ in 0..n {
            self.now_ms += 180_000;
            self.added += 1;
            let id = format!("added{:06}", self.added);
            self.spotify
                .record_play(SpotifyPlay::new(self.now_ms, &id, "New Song", "New Artist"));
            self.amazon
                .record_track_play(&self.me, TrackPlay::new(self.now_ms, &id, "New Song"));
        }
    }

    pub(crate) async fn sync(
        &self,
        db: &Path,
        stop_after_pages: Option<usize>,
    ) -> std::process::Output {
        let db = db.to_str().unwrap();
        let mut command = against(&self.spotify, &self.amazon, &["sync", "--db", db]);
        if let Some(n) = stop_after_pages {
            command.env("RECENTLY_PLAYED_TEST_STOP_AFTER_PAGES", n.to_string());
        }
        run_beside_simulation(command).await
    }

    /// What each service serves now: `(played_at_ms, item id)`, oldest first.
    fn served(&self) -> (Vec<(i64, Option<String>)>, usize) {
        let mut spotify: Vec<_> = self
            .spotify
            .plays()
            .iter()
            .map(|p| (p.played_at_ms(), p.track.id.clone()))
            .collect();
        spotify.sort();
        (spotify, 0)
    }
}

pub(crate) fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.sqlite3");
    (dir, db)
}

pub(crate) fn assert_ok(output: &std::process::Output) {
    assert!(
        output.status.success(),
        "{}{}",
        stdout(output),
        stderr(output)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn two_syncs_with_plays_between_store_every_play_once_and_the_second_only_the_new() {
    let (_dir, db) = temp_db();
    let mut sims = Sims::start(120).await;
    let first = sims.sync(&db, None).await;
    assert_ok(&first);
    assert_eq!((stored(&db, SPOTIFY), stored(&db, AMAZON)), (120, 120));

    sims.listen(30);
    let second = sims.sync(&db, None).await;
    assert_ok(&second);
    let said = stdout(&second);
    let new = |service: &str| -> usize {
        let line = said.lines().find(|l| l.starts_with(service)).unwrap();
        let words: Vec<&str> = line[service.len()..].split_whitespace().collect();
        assert_eq!(words[1], "new", "{line}");
        words[0].parse().unwrap()
    };
    assert_eq!((new("Spotify"), new("Amazon Music")), (30, 30), "{said}");
    let stored_said = |service: &str| -> usize {
        let line = said.lines().find(|l| l.starts_with(service)).unwrap();
        let words: Vec<&str> = line[service.len()..].split_whitespace().collect();
        assert_eq!(words[3], "stored", "{line}");
        words[2].parse().unwrap()
    };
    assert_eq!(
        (stored_said("Spotify"), stored_said("Amazon Music")),
        (150, 150),
        "{said}"
    );
    assert_eq!((stored(&db, SPOTIFY), stored(&db, AMAZON)), (150, 150));
    assert_eq!(stored_plays(&db, SPOTIFY), sims.served().0);

    // A third sync with nothing new adds nothing.
    assert_ok(&sims.sync(&db, None).await);
    assert_eq!((stored(&db, SPOTIFY), stored(&db, AMAZON)), (150, 150));
    assert!(!stderr(&second).contains("gap"), "{}", stderr(&second));
}

/// A sync of the built-in sandbox says so, naming both services; a sync of services that
/// were configured (here, simulations started by the test) does not.
#[tokio::test(flavor = "multi_thread")]
async fn only_a_sync_of_the_built_in_sandbox_says_it_is_one() {
    let (_dir, db) = temp_db();
    let built_in =
        run_beside_simulation(recently_played(&["sync", "--db", db.to_str().unwrap()])).await;
    assert_ok(&built_in);
    let said = stderr(&built_in);
    assert!(
        said.contains("Built-in sandbox on 127.0.0.1 for Spotify, Amazon Music and ListenBrainz"),
        "{said}"
    );

    let (_dir, db) = temp_db();
    let configured = Sims::start(10).await.sync(&db, None).await;
    assert_ok(&configured);
    assert!(
        !stderr(&configured).contains("Built-in sandbox"),
        "{}",
        stderr(&configured)
    );
}

/// Spotify in a private session (`204`) stores nothing and says why; the sync is not a
/// failure, and says nothing of the kind when Spotify answers.
#[tokio::test(flavor = "multi_thread")]
async fn a_private_session_is_said_and_stores_nothing() {
    let (_dir, db) = temp_db();
    let sims = Sims::start(10).await;
    sims.spotify.inject(Fault::Body {
        status: 204,
        body: Vec::new(),
        content_type: None,
    });
    let private = sims.sync(&db, None).await;
    assert_ok(&private);
    let said = format!("{}{}", stdout(&private), stderr(&private));
    assert!(said.contains("private session"), "{said}");
    assert_eq!((stored(&db, SPOTIFY), stored(&db, AMAZON)), (0, 10));

    let public = sims.sync(&db, None).await;
    assert_ok(&public);
    let said = format!("{}{}", stdout(&public), stderr(&public));
    assert!(!said.contains("private session"), "{said}");
    assert_eq!(stored(&db, SPOTIFY), 10);
}

/// A service that fails is a failed sync (exit 1, one sentence naming it) that loses
/// nothing: the other service is stored, and the next sync stores the rest.
#[tokio::test(flavor = "multi_thread")]
async fn a_service_that_fails_fails_the_sync_and_the_next_sync_stores_what_it_missed() {
    let (_dir, db) = temp_db();
    let sims = Sims::start(120).await;
    // The first request and both of its retries.
    for _ in 0..3 {
        sims.spotify.inject(Fault::ServerError);
    }
    let failed = sims.sync(&db, None).await;
    let said = stderr(&failed);
    assert!(!failed.status.success(), "{said}");
    assert!(
        said.lines()
            .any(|line| line.starts_with("Spotify:") && line.contains("the service failed (500")),
        "{said}"
    );
    assert_eq!((stored(&db, SPOTIFY), stored(&db, AMAZON)), (0, 120));

    assert_ok(&sims.sync(&db, None).await);
    assert_eq!((stored(&db, SPOTIFY), stored(&db, AMAZON)), (120, 120));
}

/// Each page is committed as it comes: a sync killed after Spotify's first page asks next
/// time for what follows the overlap of what it stored (the earlier of just before the
/// 50th newest stored play and 24 h before the newest), not for everything again.
#[tokio::test(flavor = "multi_thread")]
async fn a_sync_killed_after_a_page_asks_next_time_only_for_the_overlap_and_what_follows() {
    let (_dir, db) = temp_db();
    let sims = Sims::start(150).await;
    let killed = sims.sync(&db, Some(1)).await;
    assert_eq!(killed.status.code(), Some(86), "{}", stderr(&killed));
    let stored_before = stored_plays(&db, SPOTIFY);
    assert_eq!(stored_before.len(), 50);
    let newest = stored_before.last().unwrap().0;
    let fiftieth_newest = stored_before[stored_before.len() - 50].0;
    let overlap_start = (fiftieth_newest - 1).min(newest - 24 * 3_600_000).max(0);
    assert!(overlap_start > 0, "not everything again");
    let asked_before = sims.spotify.requests().len();
    assert_ok(&sims.sync(&db, None).await);
    let next_sync = sims.spotify.requests();
    assert_eq!(
        next_sync[asked_before].query_values("after"),
        [overlap_start.to_string().as_str()]
    );
    assert_eq!(stored(&db, SPOTIFY), 150);
}

/// Kill points: every page of a first sync (Spotify's 3 pages of 50, then Amazon Music's
/// 3 of 60), and every page of an incremental one with plays added before and after the
/// kill; each time the sync run again must leave exactly the plays served, once.
#[tokio::test(flavor = "multi_thread")]
async fn a_sync_killed_after_any_page_and_run_again_stores_each_play_exactly_once() {
    for kill_after in 1..=6 {
        let (_dir, db) = temp_db();
        let sims = Sims::start(150).await;
        let killed = sims.sync(&db, Some(kill_after)).await;
        assert_eq!(killed.status.code(), Some(86), "{}", stderr(&killed));
        assert_ok(&sims.sync(&db, None).await);
        assert_eq!(
            (stored(&db, SPOTIFY), stored(&db, AMAZON)),
            (150, 150),
            "killed after page {kill_after}"
        );
        assert_eq!(stored_plays(&db, SPOTIFY), sims.served().0);
    }
    // Incremental: 150 stored, 230 new (Spotify 5 pages, Amazon Music 4), killed after
    // page k, 20 more played, then run again.
    for kill_after in [1, 3, 5, 6, 7, 8] {
        let (_dir, db) = temp_db();
        let mut sims = Sims::start(150).await;
        assert_ok(&sims.sync(&db, None).await);
        sims.listen(230);
        let killed = sims.sync(&db, Some(kill_after)).await;
        assert_eq!(killed.status.code(), Some(86), "{}", stderr(&killed));
        sims.listen(20);
        let again = sims.sync(&db, None).await;
        assert_ok(&again);
        assert_eq!(
            (stored(&db, SPOTIFY), stored(&db, AMAZON)),
            (400, 400),
            "incremental, killed after page {kill_after}: {}",
            stdout(&again)
        );
        assert_eq!(stored_plays(&db, SPOTIFY), sims.served().0);
        // And once more: nothing new, nothing doubled.
        assert_ok(&sims.sync(&db, None).await);
        assert_eq!((stored(&db, SPOTIFY), stored(&db, AMAZON)), (400, 400));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_poll_after_more_plays_than_spotify_keeps_records_a_gap_and_says_so() {
    let (_dir, db) = temp_db();
    let mut sims = Sims::start(40).await;
    sims.spotify.set_retention(Some(50));
    assert_ok(&sims.sync(&db, None).await);

    // 30 plays between polls: the window still reaches the stored newest. No gap.
    sims.listen(30);
    let fine = sims.sync(&db, None).await;
    assert_ok(&fine);
    assert!(!stderr(&fine).contains("gap"), "{}", stderr(&fine));

    // 60 plays between polls, Spotify keeps 50: ten were never seen.
    sims.listen(60);
    let late = sims.sync(&db, None).await;
    assert_ok(&late);
    let said = stderr(&late);
    assert!(said.contains("Spotify: gap:"), "{said}");
    assert!(
        said.contains("may be lost")
            && said.contains("poll more often (sync --watch polls every 15 min)"),
        "{said}"
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let gaps: Vec<(String, i64)> = conn
        .prepare("SELECT service, new_plays FROM gaps")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(gaps, [(SPOTIFY.to_string(), 50)]);
    assert_eq!(stored(&db, SPOTIFY), 40 + 30 + 50);
}

#[tokio::test(flavor = "multi_thread")]
async fn export_round_trips_what_was_stored_as_json_lines_and_csv() {
    let (_dir, db) = temp_db();
    let sims = Sims::start(120).await;
    assert_ok(&sims.sync(&db, None).await);
    let path = db.to_str().unwrap();

    let output = run(&mut recently_played(&["export", "--db", path]));
    assert_ok(&output);
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 240);
    let spotify: Vec<(i64, Option<String>)> = of_service(&lines, SPOTIFY)
        .iter()
        .map(|l| {
            (
                played_at(l).timestamp_millis(),
                l["id"].as_str().map(str::to_string),
            )
        })
        .collect();
    assert_eq!(spotify, stored_plays(&db, SPOTIFY));
    let first = &lines[0];
    for field in [
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
    ] {
        assert!(first.get(field).is_some(), "no {field} in {first}");
    }
    // Each record parses back as the library's type, raw item included; a Spotify play
    // carries its track's length and ISRC as the item does.
    for line in &lines {
        let record: listening_record::ListeningRecord =
            serde_json::from_value(line.clone()).unwrap();
        assert!(!record.key.is_empty());
        if record.service == listening_record::Service::Spotify {
            assert_eq!(
                record.duration_ms,
                record.item["track"]["duration_ms"].as_u64(),
                "{line}"
            );
            assert!(record.duration_ms.is_some(), "{line}");
            assert_eq!(
                record.isrc.as_deref(),
                record.item["track"]["external_ids"]["isrc"].as_str()
            );
        }
    }

    let csv = run(&mut recently_played(&[
        "export",
        "--db",
        path,
        "--format",
        "csv",
        "--service",
        "amazon_music",
    ]));
    assert_ok(&csv);
    let text = stdout(&csv);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let item_column = header.iter().position(|h| h == "item").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 120);
    assert!(rows.iter().all(|r| &r[0] == AMAZON));
    let item: serde_json::Value = serde_json::from_str(&rows[0][item_column]).unwrap();
    assert!(item.get("node").is_some(), "{item}");

    // --since (strictly after) and --until (at or before) slice without overlap.
    let middle = played_at(&lines[120]).timestamp_millis().to_string();
    let before = json_lines(&run(&mut recently_played(&[
        "export", "--db", path, "--until", &middle,
    ])));
    let after = json_lines(&run(&mut recently_played(&[
        "export", "--db", path, "--since", &middle,
    ])));
    assert_eq!(before.len() + after.len(), 240);
    assert!(
        before
            .iter()
            .all(|l| played_at(l).timestamp_millis() <= middle.parse::<i64>().unwrap())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_poll_after_more_plays_than_amazon_keeps_records_a_gap_and_says_so() {
    let (_dir, db) = temp_db();
    let mut sims = Sims::start(40).await;
    sims.amazon.set_retention(Some(50));
    assert_ok(&sims.sync(&db, None).await);

    // 30 plays between polls: the history still holds the stored newest. No gap.
    sims.listen(30);
    let fine = sims.sync(&db, None).await;
    assert_ok(&fine);
    assert!(!stderr(&fine).contains("gap"), "{}", stderr(&fine));
    assert!(gaps(&db).is_empty());

    // 60 plays between polls, the simulation keeps 50: the walk never meets the anchor.
    sims.listen(60);
    let late = sims.sync(&db, None).await;
    assert_ok(&late);
    let said = stderr(&late);
    assert!(said.contains("Amazon Music: gap:"), "{said}");
    assert!(
        said.contains("may be lost") && said.contains("Poll more often"),
        "{said}"
    );
    assert_eq!(gaps(&db), [(AMAZON.to_string(), 50)]);
    assert_eq!(stored(&db, AMAZON), 40 + 30 + 50);
    // Spotify kept everything: no gap for it.
    assert_eq!(stored(&db, SPOTIFY), 40 + 30 + 60);
}

/// `(service, new_plays)` of every recorded gap.
fn gaps(db: &Path) -> Vec<(String, i64)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.prepare("SELECT service, new_plays FROM gaps ORDER BY rowid")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}
#[test]
fn a_bad_every_is_one_sentence_and_exit_2() {
    for args in [
        &["sync", "--watch", "--every", "soon"][..],
        &["sync", "--watch", "--every", "0s"],
        &["sync", "--watch", "--every", "3d"],
        &["sync", "--every", "30s"],
    ] {
        let output = run(&mut recently_played(args));
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let said = stderr(&output);
        assert_eq!(said.lines().count(), 1, "{args:?}: {said}");
        assert!(said.starts_with("recently-played: "), "{said}");
        assert!(said.trim_end().ends_with("see --help."), "{said}");
        assert!(stdout(&output).is_empty());
    }
}

/// Waits, at most [`PATIENCE`], for one poll's two summary lines on `said`:
/// `(Spotify new, Amazon Music new)`, or `None` if they did not come in time.
fn next_poll(said: &std::sync::mpsc::Receiver<String>) -> Option<(usize, usize)> {
    let deadline = std::time::Instant::now() + PATIENCE;
    let (mut spotify, mut amazon) = (None, None);
    while spotify.is_none() || amazon.is_none() {
        let line = said
            .recv_timeout(deadline.saturating_duration_since(std::time::Instant::now()))
            .ok()?;
        let new = |service: &str| {
            line.strip_prefix(service)
                .and_then(|rest| rest.split_whitespace().next()?.parse::<usize>().ok())
        };
        spotify = spotify.or(new("Spotify"));
        amazon = amazon.or(new("Amazon Music"));
    }
    Some((spotify?, amazon?))
}

/// `sync --watch --every 2s` polls, waits, polls again, and on SIGINT stops with status 0,
/// every play stored once. Every read and wait is bounded by [`PATIENCE`], and a poll that does not
/// come fails the test at once (a walk without end never prints its summary).
#[tokio::test(flavor = "multi_thread")]
async fn a_watch_polls_again_and_stops_cleanly_on_sigint() {
    use std::io::{BufReader, Read};
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    let (_dir, db) = temp_db();
    let mut sims = Sims::start(120).await;
    let path = db.to_str().unwrap();
    let mut child = against(
        &sims.spotify,
        &sims.amazon,
        &["sync", "--db", path, "--watch", "--every", "2s"],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("the binary starts");
    let said = lines_of(child.stdout.take().unwrap());
    let stderr_pipe = child.stderr.take().unwrap();
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = BufReader::new(stderr_pipe).read_to_string(&mut text);
        text
    });
    // Killed whatever happens, the test failing included.
    let running = Running(child);
    // Stops the watch and fails, with what it said on stderr (its pipe closes once killed).
    let gave_up = |running: Running, errors: std::thread::JoinHandle<String>, poll: &str| -> ! {
        drop(running);
        panic!(
            "no {poll} poll within {PATIENCE:?}: {}",
            errors.join().unwrap()
        )
    };

    // Off the runtime, so that the simulations keep serving while the test waits.
    let (first, said) = tokio::task::spawn_blocking(move || (next_poll(&said), said))
        .await
        .unwrap();
    let Some(first) = first else {
        gave_up(running, errors, "first")
    };
    let first_seen = Instant::now();
    sims.listen(10);
    let (second, _said) = tokio::task::spawn_blocking(move || (next_poll(&said), said))
        .await
        .unwrap();
    let Some(second) = second else {
        gave_up(running, errors, "second")
    };
    // At least the 2 s between polls, less 1 s for this test reading the first poll late.
    let between = first_seen.elapsed();

    let (sent, status) = interrupt(running).await;
    let errors = errors.join().unwrap();
    assert!(sent, "kill -INT failed");
    assert_eq!(first, (120, 120), "{errors}");
    assert_eq!(second, (10, 10), "{errors}");
    assert!(
        between >= Duration::from_secs(1),
        "polled again after {between:?}"
    );
    assert_eq!(status.and_then(|s| s.code()), Some(0), "{errors}");
    assert!(
        errors.contains("stopping after the current page"),
        "{errors}"
    );
    assert_eq!((stored(&db, SPOTIFY), stored(&db, AMAZON)), (130, 130));
    assert_eq!(stored_plays(&db, SPOTIFY), sims.served().0);
}

/// Three first syncs of one new store started together (a cron job overlapping a slow run,
/// a watch beside a manual sync): the schema is made once, each sync waits its turn, and
/// every play is stored once.
#[tokio::test(flavor = "multi_thread")]
async fn syncs_of_one_store_started_together_each_succeed_and_store_every_play_once() {
    let (_dir, db) = temp_db();
    let sims = Sims::start(120).await;
    let runs = (0..3).map(|_| sims.sync(&db, None));
    let outputs = futures_util::future::join_all(runs).await;
    for output in &outputs {
        assert_ok(output);
        assert!(
            !stderr(output).contains("already exists"),
            "{}",
            stderr(output)
        );
    }
    assert_eq!((stored(&db, SPOTIFY), stored(&db, AMAZON)), (120, 120));
    let new: usize = outputs
        .iter()
        .filter_map(|output| {
            stdout(output)
                .lines()
                .find(|line| line.starts_with("Spotify"))
                .and_then(|line| line.split_whitespace().nth(1)?.parse::<usize>().ok())
        })
        .sum();
    assert_eq!(new, 120, "the plays were new to exactly one of them");
}

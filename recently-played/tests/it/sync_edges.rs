//! `sync` at its edges: a malformed play in the middle of a page, Amazon Music plays that
//! share a track or an instant, a `--watch` that a service rate-limits, and Ctrl-C during
//! one service's sync.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use music_history_sandbox::Fault;
use music_history_sandbox::amazon::{
    self, AmazonMusicHistory, AmazonMusicSimulation, AmazonMusicUser, TrackPlay,
};
use music_history_sandbox::hostile::{Hostile, HostileServer};
use music_history_sandbox::spotify::{self, SpotifyHistory, SpotifySimulation};
use serde_json::Value;

use crate::common::*;
use crate::sync::{AMAZON, SPOTIFY, Sims, assert_ok, temp_db};

/// GETs `path` (below the simulation's base URL) with the sandbox's credentials: the body
/// as the simulation serves it.
async fn raw_page(base_url: &str, path: &str, token: &str, api_key: Option<&str>) -> Value {
    let mut request = client_support::http::client_builder()
        .build()
        .unwrap()
        .get(format!("{base_url}{path}"))
        .bearer_auth(token);
    if let Some(key) = api_key {
        request = request.header("x-api-key", key);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn millis(time: &Value) -> i64 {
    time.as_str()
        .expect("a time")
        .parse::<DateTime<Utc>>()
        .expect("an RFC 3339 time")
        .timestamp_millis()
}

fn serve(page: &Value) -> Fault {
    Fault::Body {
        status: 200,
        body: serde_json::to_vec(page).unwrap(),
        content_type: Some("application/json".into()),
    }
}

/// The time of every play Spotify serves now, oldest first.
fn spotify_times(sim: &SpotifySimulation) -> Vec<i64> {
    let mut times: Vec<i64> = sim.plays().iter().map(|p| p.played_at_ms()).collect();
    times.sort();
    times
}

/// The time of every stored play of `service`, oldest first.
fn stored_times(db: &Path, service: &str) -> Vec<i64> {
    stored_plays(db, service).into_iter().map(|p| p.0).collect()
}

/// One malformed play costs only itself: a sync whose first page of each service has a
/// play in its middle that does not decode stores every play before and after it (the rest
/// of that page and the pages that follow), says which one it skipped, and the next sync
/// goes on from there: it stores the new plays, and the skipped play once it decodes.
#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_play_mid_page_costs_only_itself_and_the_next_sync_goes_on() {
    let (_dir, db) = temp_db();
    let mut sims = Sims::start(120).await;

    // A first sync asks Spotify for everything after 0 (3 pages of 50, oldest first) and
    // Amazon Music for its newest 60 (2 pages): each first page is served with its 26th
    // play broken.
    let mut page = raw_page(
        sims.spotify.base_url(),
        "/me/player/recently-played?after=0&limit=50",
        spotify::DEFAULT_ACCESS_TOKEN,
        None,
    )
    .await;
    let broken_spotify = millis(&page["items"][25]["played_at"]);
    page["items"][25]["track"] = Value::Null;
    sims.spotify.inject(serve(&page));
    let mut page = raw_page(
        sims.amazon.base_url(),
        "/player/recentlyPlayed?limit=60",
        amazon::DEFAULT_ACCESS_TOKEN,
        Some(amazon::DEFAULT_API_KEY),
    )
    .await;
    let edges = &mut page["data"]["user"]["recentTrackPlayback"]["edges"];
    assert_eq!(edges.as_array().map(Vec::len), Some(60));
    let broken_amazon = millis(&edges[25]["playedAt"]);
    edges[25] = Value::Null;
    sims.amazon.inject(serve(&page));

    let first = sims.sync(&db, None).await;
    assert_ok(&first);
    let said = stderr(&first);
    let skipped: Vec<&str> = said
        .lines()
        .filter(|line| line.contains("item 25 of the page") && line.contains("does not decode"))
        .collect();
    assert_eq!(skipped.len(), 2, "one line per malformed play: {said}");
    // Each names its service, as the walk's do.
    assert!(
        skipped.iter().any(|line| line.starts_with("Spotify: ")),
        "{said}"
    );
    assert!(
        skipped
            .iter()
            .any(|line| line.starts_with("Amazon Music: ")),
        "{said}"
    );
    let mut expected = spotify_times(&sims.spotify);
    expected.retain(|at| *at != broken_spotify);
    assert_eq!(expected.len(), 119);
    assert_eq!(stored_times(&db, SPOTIFY), expected, "{said}");
    let amazon_first = stored_times(&db, AMAZON);
    assert_eq!(amazon_first.len(), 119, "{said}");
    assert!(!amazon_first.contains(&broken_amazon));

    // Ten new plays; the skipped ones are served well again.
    sims.listen(10);
    let second = sims.sync(&db, None).await;
    assert_ok(&second);
    assert!(
        !stderr(&second).contains("does not decode"),
        "{}",
        stderr(&second)
    );
    assert_eq!(stored_times(&db, SPOTIFY), spotify_times(&sims.spotify));
    let amazon_second = stored_times(&db, AMAZON);
    assert_eq!(amazon_second.len(), 130);
    assert!(amazon_second.contains(&broken_amazon));
    assert!(amazon_first.iter().all(|at| amazon_second.contains(at)));

    // And a sync with nothing new stores nothing twice.
    assert_ok(&sims.sync(&db, None).await);
    assert_eq!((stored(&db, SPOTIFY), stored(&db, AMAZON)), (130, 130));
}

/// 2024-05-01T12:00:00Z.
const NOON: i64 = 1_714_564_800_000;

/// `(played_at_ms, kind, item id, title)` of every stored Amazon Music play, oldest first.
fn stored_amazon(db: &Path) -> Vec<(i64, String, Option<String>, Option<String>)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT played_at_ms, kind, item_id, title FROM plays WHERE service = ?1
             ORDER BY played_at_ms, kind, item_id, title",
        )
        .unwrap();
    stmt.query_map([AMAZON], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn play(
    at: i64,
    kind: &str,
    id: Option<&str>,
    title: &str,
) -> (i64, String, Option<String>, Option<String>) {
    (
        at,
        kind.to_string(),
        id.map(str::to_string),
        Some(title.to_string()),
    )
}

/// Track plays (whose edges name no history entry) are told apart by the track and the
/// time: a track played twice is two plays, two tracks played at the same instant are two
/// plays, and syncs run again, with more such plays between them, store each exactly once.
#[tokio::test(flavor = "multi_thread")]
async fn amazon_track_plays_are_each_stored_once_a_track_played_twice_twice() {
    let mut me = AmazonMusicUser::new("listener", Some("Listener"));
    me.tracks = vec![
        TrackPlay::new(NOON - 600_000, "T1", "Song"),
        TrackPlay::new(NOON - 500_000, "T2", "Changes"),
        TrackPlay::new(NOON - 300_000, "T2", "Changes"),
        TrackPlay::new(NOON - 300_000, "T3", "Other Song"),
        // The newest play, which the next sync walks back to.
        TrackPlay::new(NOON - 100_000, "T4", "Mix"),
    ];
    let spotify = SpotifySimulation::start(SpotifyHistory::realistic(3, 7)).await;
    let amazon = AmazonMusicSimulation::start(AmazonMusicHistory::new(me)).await;
    let (_dir, db) = temp_db();
    let sync = || {
        let path = db.to_str().unwrap().to_string();
        run_beside_simulation(against(&spotify, &amazon, &["sync", "--db", &path]))
    };

    let first = sync().await;
    assert_ok(&first);
    let mut expected = vec![
        play(NOON - 600_000, "Track", Some("T1"), "Song"),
        play(NOON - 500_000, "Track", Some("T2"), "Changes"),
        play(NOON - 300_000, "Track", Some("T2"), "Changes"),
        play(NOON - 300_000, "Track", Some("T3"), "Other Song"),
        play(NOON - 100_000, "Track", Some("T4"), "Mix"),
    ];
    assert_eq!(stored_amazon(&db), expected, "{}", stderr(&first));

    // The same track a third time, another at the same instant, and a track played before.
    amazon.record_track_play("listener", TrackPlay::new(NOON + 100_000, "T2", "Changes"));
    amazon.record_track_play("listener", TrackPlay::new(NOON + 100_000, "T5", "Third"));
    amazon.record_track_play("listener", TrackPlay::new(NOON + 200_000, "T1", "Song"));
    let second = sync().await;
    assert_ok(&second);
    expected.extend([
        play(NOON + 100_000, "Track", Some("T2"), "Changes"),
        play(NOON + 100_000, "Track", Some("T5"), "Third"),
        play(NOON + 200_000, "Track", Some("T1"), "Song"),
    ]);
    assert_eq!(stored_amazon(&db), expected, "{}", stdout(&second));
    let new_said = stdout(&second);
    let line = new_said
        .lines()
        .find(|line| line.starts_with("Amazon Music"))
        .unwrap();
    assert_eq!(
        line["Amazon Music".len()..].split_whitespace().next(),
        Some("3"),
        "{line}"
    );

    // Once more with nothing new: nothing doubled.
    assert_ok(&sync().await);
    assert_eq!(stored_amazon(&db), expected);
}

/// Which stream a line of the watch came on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stream {
    Stdout,
    Stderr,
}

/// The lines of both pipes, each with the moment it was read, on one channel.
fn timed_lines(
    stdout: impl Read + Send + 'static,
    stderr: impl Read + Send + 'static,
) -> mpsc::Receiver<(Instant, Stream, String)> {
    let (lines, receiver) = mpsc::channel();
    for (pipe, stream) in [
        (Box::new(stdout) as Box<dyn Read + Send>, Stream::Stdout),
        (Box::new(stderr), Stream::Stderr),
    ] {
        let lines = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                if lines.send((Instant::now(), stream, line)).is_err() {
                    break;
                }
            }
        });
    }
    receiver
}

/// `sync --watch --every 2s` against a Spotify that rate-limits the first poll (its three
/// attempts each answered `429` with `Retry-After: 1`): the watch says it backs off, waits
/// the interval doubled (4 s, longer than the 1 s asked) before the next poll, which stores
/// Spotify's plays, and after that poll, not rate limited, is back to its 2 s interval.
#[tokio::test(flavor = "multi_thread")]
async fn a_rate_limited_watch_waits_longer_before_its_next_poll_then_returns_to_its_interval() {
    let (_dir, db) = temp_db();
    let sims = Sims::start(20).await;
    for _ in 0..3 {
        sims.spotify.inject(Fault::RateLimited {
            retry_after_secs: 1,
        });
    }
    let path = db.to_str().unwrap();
    let mut child = against(
        &sims.spotify,
        &sims.amazon,
        &["sync", "--db", path, "--watch", "--every", "2s"],
    )
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("the binary starts");
    let lines = timed_lines(child.stdout.take().unwrap(), child.stderr.take().unwrap());
    // Killed whatever happens, the test failing included.
    let running = Running(child);

    // Three polls: the first stores only Amazon Music's plays (one summary line), the next
    // two both services'. Read off the runtime, so that the simulations keep serving.
    let (said, lines) = tokio::task::spawn_blocking(move || {
        let deadline = Instant::now() + PATIENCE;
        let mut said: Vec<(Instant, Stream, String)> = Vec::new();
        let summaries = |said: &[(Instant, Stream, String)]| {
            said.iter()
                .filter(|(_, stream, line)| *stream == Stream::Stdout && line.contains(" new "))
                .count()
        };
        while summaries(&said) < 5 {
            match lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(line) => said.push(line),
                Err(_) => break,
            }
        }
        (said, lines)
    })
    .await
    .unwrap();
    let transcript = || {
        said.iter()
            .map(|(_, stream, line)| format!("{stream:?}: {line}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let summaries: Vec<(Instant, &str)> = said
        .iter()
        .filter(|(_, stream, line)| *stream == Stream::Stdout && line.contains(" new "))
        .map(|(at, _, line)| (*at, line.as_str()))
        .collect();
    assert_eq!(
        summaries.len(),
        5,
        "three polls within {PATIENCE:?}:\n{}",
        transcript()
    );
    let new = |line: &str, service: &str| -> Option<usize> {
        line.strip_prefix(service)?
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    };
    // The first poll: Spotify rate limited (no summary), Amazon Music stored.
    assert_eq!(
        new(summaries[0].1, "Amazon Music"),
        Some(20),
        "{}",
        transcript()
    );
    assert_eq!(new(summaries[1].1, "Spotify"), Some(20), "{}", transcript());
    assert_eq!(
        new(summaries[2].1, "Amazon Music"),
        Some(0),
        "{}",
        transcript()
    );
    assert_eq!(new(summaries[3].1, "Spotify"), Some(0), "{}", transcript());

    let backing_off: Vec<&str> = said
        .iter()
        .filter(|(_, stream, line)| *stream == Stream::Stderr && line.contains("next poll in"))
        .map(|(_, _, line)| line.as_str())
        .collect();
    assert_eq!(
        backing_off,
        ["recently-played: rate limited; next poll in 4 s."],
        "{}",
        transcript()
    );
    assert!(
        said.iter()
            .any(|(_, stream, line)| *stream == Stream::Stderr
                && line.starts_with("Spotify: rate limited")),
        "{}",
        transcript()
    );
    // From the end of one poll (its last summary line) to the next poll's first line.
    let after_rate_limit = summaries[1].0 - summaries[0].0;
    let after_a_good_poll = summaries[3].0 - summaries[2].0;
    assert!(
        after_rate_limit >= Duration::from_millis(3_500),
        "polled again {after_rate_limit:?} after a rate limit, not the 4 s it said:\n{}",
        transcript()
    );
    assert!(
        after_a_good_poll >= Duration::from_millis(1_500) && after_a_good_poll < after_rate_limit,
        "polled again {after_a_good_poll:?} after a poll that was not rate limited (interval 2 s; \
         {after_rate_limit:?} after the rate limit):\n{}",
        transcript()
    );

    // Stopped with SIGINT: status 0, the last poll having succeeded.
    let (sent, status) = interrupt(running).await;
    assert!(sent, "kill -INT failed");
    drop(lines);
    assert_eq!(status.and_then(|s| s.code()), Some(0), "{}", transcript());
    assert_eq!((stored(&db, SPOTIFY), stored(&db, AMAZON)), (20, 20));
}

/// Ctrl-C while Spotify's sync reads a page: Spotify stops after that page, and Amazon
/// Music, synced next, asks for nothing and says it was stopped, with what it already
/// stored.
#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_during_one_service_s_sync_stops_the_next_before_its_first_page() {
    let (_dir, db) = temp_db();
    let sims = Sims::start(30).await;
    assert_ok(&sims.sync(&db, None).await);
    let amazon_requests = sims.amazon.request_count();
    // Spotify's pages now take two seconds each: the signal comes while one is read.
    let slow = Hostile::Slow(
        Duration::from_secs(2),
        Box::new(Hostile::SpotifyEndlessPages),
    );
    let spotify = HostileServer::start(slow).await;
    let mut child = against(
        &sims.spotify,
        &sims.amazon,
        &["sync", "--db", db.to_str().unwrap()],
    )
    .env("SPOTIFY_API_BASE_URL", spotify.base_url())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("the binary starts");
    let read_all = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let said = read_all(Box::new(child.stdout.take().unwrap()));
    let errors = read_all(Box::new(child.stderr.take().unwrap()));
    // Killed whatever happens, the test failing included.
    let running = Running(child);
    let asked = Instant::now();
    while spotify.request_count() == 0 && asked.elapsed() < PATIENCE {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        spotify.request_count(),
        1,
        "Spotify's first page was never asked for"
    );

    let (sent, status) = interrupt(running).await;
    assert!(sent, "kill -INT failed");
    let (said, errors) = (said.join().unwrap(), errors.join().unwrap());
    assert!(status.is_some(), "it did not stop: {said}{errors}");
    assert_eq!(spotify.request_count(), 1, "Spotify read on: {errors}");
    assert_eq!(
        sims.amazon.request_count(),
        amazon_requests,
        "Amazon Music was asked after Ctrl-C: {errors}"
    );
    let amazon = said
        .lines()
        .find(|line| line.starts_with("Amazon Music"))
        .unwrap_or_else(|| panic!("no Amazon Music line: {said}{errors}"));
    let counts: Vec<&str> = amazon
        .split_whitespace()
        .skip(2)
        .step_by(2)
        .take(3)
        .collect();
    assert_eq!(counts, ["0", "30", "0"], "new, stored, pages: {amazon}");
    assert!(
        errors.contains(
            "Amazon Music: stopped after the current page; the next sync carries on from there."
        ),
        "{errors}"
    );
    assert_eq!(stored(&db, AMAZON), 30);
}

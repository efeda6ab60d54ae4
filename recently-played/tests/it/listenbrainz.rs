//! ListenBrainz through the binary: `sync` keeps every listen once (listens of one second
//! apart, late ones within the overlap, a sync stopped after a page), the next sync asks
//! only for the last day, `login listenbrainz` stores a pasted token it checked, and
//! `export` writes listens with the record's fields.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use music_history_sandbox::listenbrainz::{
    DEFAULT_TOKEN, ListenBrainzHistory, ListenBrainzListen, ListenBrainzSimulation,
};

use crate::common::*;

const SERVICE: &str = "listenbrainz";

/// The binary pointed at `sim` with its token, as a user who set the variables.
fn against(sim: &ListenBrainzSimulation, args: &[&str]) -> Command {
    let mut command = recently_played(args);
    command
        .env("LISTENBRAINZ_API_BASE_URL", sim.base_url())
        .env("LISTENBRAINZ_TOKEN", DEFAULT_TOKEN);
    command
}

fn db_in(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("listenbrainz");
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join(name);
    let _ = std::fs::remove_file(&db);
    db
}

/// What the simulation serves, as `(listened_at in ms, recording_msid)`, sorted.
fn served(sim: &ListenBrainzSimulation) -> Vec<(i64, String)> {
    let mut served: Vec<_> = sim
        .listens()
        .iter()
        .map(|l| (l.listened_at * 1000, l.recording_msid().to_string()))
        .collect();
    served.sort_unstable();
    served
}

/// What the store holds of ListenBrainz, as `(played_at_ms, play_key)`, sorted.
fn kept(db: &Path) -> Vec<(i64, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT played_at_ms, play_key FROM plays WHERE service = ?1
             ORDER BY played_at_ms, play_key",
        )
        .unwrap();
    stmt.query_map([SERVICE], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

async fn sync(sim: &ListenBrainzSimulation, db: &Path, stop_after_pages: Option<usize>) -> Output {
    let mut command = against(sim, &["sync", "--db", db.to_str().unwrap()]);
    match stop_after_pages {
        Some(n) => command.env("RECENTLY_PLAYED_TEST_STOP_AFTER_PAGES", n.to_string()),
        None => command.env_remove("RECENTLY_PLAYED_TEST_STOP_AFTER_PAGES"),
    };
    run_beside_simulation(command).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_first_sync_keeps_every_listen_once_and_the_next_asks_only_for_the_last_day() {
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(2_500, 11)).await;
    let db = db_in("first-and-next.sqlite3");
    let output = sync(&sim, &db, None).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let first = kept(&db);
    assert_eq!(first, served(&sim), "every listen, once");
    assert!(
        first.windows(2).any(|pair| pair[0].0 == pair[1].0),
        "the history has listens that share a second"
    );

    // New listens: two in one second, one in the second of the newest stored (another
    // recording), and one submitted late, an hour before the newest stored.
    let newest = sim.listens()[0].listened_at;
    for listen in [
        ListenBrainzListen::new(newest + 300, "New Artist", "First of a second"),
        ListenBrainzListen::new(newest + 300, "New Artist", "Second of a second"),
        ListenBrainzListen::new(newest, "New Artist", "Same second as the newest"),
        ListenBrainzListen::new(newest - 3_600, "Offline Artist", "Scrobbled late"),
    ] {
        assert!(sim.record_listen(listen));
    }
    sim.clear_requests();
    let output = sync(&sim, &db, None).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        kept(&db),
        served(&sim),
        "the new listens, once, and no other"
    );
    // One request for whose the token is, one page of the last day's listens.
    let asked = sim.requests();
    let paths: Vec<&str> = asked.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(asked.len(), 2, "{paths:?}");
    let page = asked.iter().find(|r| r.path.ends_with("/listens")).unwrap();
    let min_ts: i64 = page
        .query
        .iter()
        .find(|(key, _)| key == "min_ts")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap();
    assert!(
        (newest - 86_400 - 1..newest - 3_600).contains(&min_ts),
        "asked from {min_ts}, the newest stored being {newest}"
    );

    let output = sync(&sim, &db, None).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(kept(&db), served(&sim), "nothing new, nothing stored twice");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sync_stopped_after_a_page_is_resumed_by_the_next_with_each_listen_once() {
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(2_500, 12)).await;
    let db = db_in("stopped.sqlite3");
    let output = sync(&sim, &db, Some(1)).await;
    let stored = kept(&db).len();
    assert!(
        (1..2_500).contains(&stored),
        "stopped after a page of 1000 (less a second left to the next): {stored}; {}",
        stderr(&output)
    );
    let output = sync(&sim, &db, None).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(kept(&db), served(&sim));
}

#[tokio::test(flavor = "multi_thread")]
async fn login_stores_a_pasted_token_it_checked_and_later_runs_read_its_users_listens() {
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(30, 13)).await;
    let config = Path::new(env!("CARGO_TARGET_TMPDIR")).join("listenbrainz-login");
    let _ = std::fs::remove_dir_all(&config);
    let login = |token: &'static str| {
        let mut command = recently_played(&["login", "listenbrainz"]);
        command
            .env("XDG_CONFIG_HOME", &config)
            .env("LISTENBRAINZ_API_BASE_URL", sim.base_url())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        async move {
            tokio::task::spawn_blocking(move || {
                let mut child = command.spawn().unwrap();
                let mut stdin = child.stdin.take().unwrap();
                writeln!(stdin, "{token}").unwrap();
                drop(stdin);
                child.wait_with_output().unwrap()
            })
            .await
            .unwrap()
        }
    };

    let refused = login("not-a-token-it-knows").await;
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("does not know that token"),
        "{}",
        stderr(&refused)
    );
    let stored = config.join("recently-played").join("listenbrainz.json");
    assert!(
        !stored.exists(),
        "nothing stored for a token the service refused"
    );

    let accepted = login(DEFAULT_TOKEN).await;
    assert!(accepted.status.success(), "{}", stderr(&accepted));
    let said = format!("{}{}", stdout(&accepted), stderr(&accepted));
    assert!(said.contains("as sandbox-listener"), "{said}");
    assert!(
        !said.contains(DEFAULT_TOKEN),
        "the token is never printed: {said}"
    );
    assert!(stored.exists());

    // A later run needs no variable but where the service is, and reads the user stored
    // with the token rather than asking whose it is again.
    sim.clear_requests();
    let mut walk = recently_played(&["--json"]);
    walk.env("XDG_CONFIG_HOME", &config)
        .env("LISTENBRAINZ_API_BASE_URL", sim.base_url());
    let output = run_beside_simulation(walk).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(of_service(&lines, SERVICE).len(), 30);
    let asked: Vec<String> = sim.requests().iter().map(|r| r.path.clone()).collect();
    assert!(
        asked.iter().all(|path| !path.ends_with("/validate-token")),
        "{asked:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn export_writes_listens_with_their_artists_album_and_what_identifies_the_recording() {
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(400, 14)).await;
    let db = db_in("export.sqlite3");
    let output = sync(&sim, &db, None).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let output = run(&mut recently_played(&[
        "export",
        "--db",
        db.to_str().unwrap(),
    ]));
    assert!(output.status.success(), "{}", stderr(&output));
    let lines = json_lines(&output);
    let listens = of_service(&lines, SERVICE);
    assert_eq!(listens.len(), 400);
    for line in &listens {
        assert!(!line["artists"].as_array().unwrap().is_empty(), "{line}");
        assert!(line["title"].is_string(), "{line}");
        assert_eq!(line["key"], line["item"]["recording_msid"], "{line}");
    }
    assert!(listens.iter().any(|l| l["album"].is_string()));
    assert!(listens.iter().any(|l| l["isrc"].is_string()));
    assert!(
        listens.iter().any(|l| l["id"].is_string()),
        "a recording MBID"
    );
    assert!(listens.iter().any(|l| l["duration_ms"].is_u64()));
}

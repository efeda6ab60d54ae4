//! `sync` against the services as public reports describe them, not as their documents do:
//! plays that arrive late with older times, tracks relinked to another ID, refresh tokens
//! that are single use or end at a fixed age, rate limits of a day, page tokens that
//! expire, and stores that must never mix simulated plays with real ones. Each test counts
//! rows in the store the binary wrote.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use music_history_sandbox::Fault;
use music_history_sandbox::amazon::TrackPlay;
use music_history_sandbox::spotify::{self, SpotifyHistory, SpotifyPlay, SpotifySimulation};
use rusqlite::Connection;

use crate::common::*;
use crate::sync::{AMAZON, SPOTIFY, Sims, assert_ok, temp_db};

const HOUR_MS: i64 = 3_600_000;

fn count(db: &Path, sql: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(sql, [], |row| row.get(0))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_play_that_arrives_late_with_an_older_time_is_stored_by_the_next_sync() {
    let (_dir, db) = temp_db();
    let sims = Sims::start(60).await;
    // As the real service: only the newest 50 plays are kept.
    sims.spotify
        .set_retention(Some(spotify_web_api::DOCUMENTED_PLAYS));
    assert_ok(&sims.sync(&db, None).await);
    assert_eq!(stored(&db, SPOTIFY), 50);
    let amazon_before = stored(&db, AMAZON);
    let newest = stored_plays(&db, SPOTIFY).last().unwrap().0;

    // Two hours late, an hour older than the newest play already synced.
    let late_ms = newest - HOUR_MS;
    sims.spotify.record_play(SpotifyPlay::new(
        late_ms,
        "lateTrack000000000000",
        "Late",
        "Lag",
    ));
    sims.amazon
        .record_track_play(&sims.me, TrackPlay::new(late_ms, "lateTrack", "Late"));
    assert_ok(&sims.sync(&db, None).await);
    assert!(
        stored_plays(&db, SPOTIFY)
            .iter()
            .any(|(at, id)| *at == late_ms && id.as_deref() == Some("lateTrack000000000000")),
        "the late Spotify play is stored"
    );
    assert_eq!(stored(&db, SPOTIFY), 51);
    assert_eq!(
        stored(&db, AMAZON),
        amazon_before + 1,
        "the late Amazon play too"
    );

    // A third sync finds nothing new: the overlap re-reads, the key keeps each play once.
    let third = sims.sync(&db, None).await;
    assert_ok(&third);
    assert_eq!(
        (stored(&db, SPOTIFY), stored(&db, AMAZON)),
        (51, amazon_before + 1)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_play_served_with_a_relinked_track_id_is_stored_once() {
    let (_dir, db) = temp_db();
    let mut sims = Sims::start(40).await;
    assert_ok(&sims.sync(&db, None).await);
    let stored_before = stored_plays(&db, SPOTIFY);
    let (newest_ms, newest_id) = stored_before.last().unwrap().clone();
    assert!(sims.spotify.relink(newest_ms, "relinkedTrackId0000000"));
    sims.listen(1);
    assert_ok(&sims.sync(&db, None).await);
    let after = stored_plays(&db, SPOTIFY);
    assert_eq!(after.len(), stored_before.len() + 1, "only the new play");
    let at_that_time: Vec<_> = after.iter().filter(|(at, _)| *at == newest_ms).collect();
    assert_eq!(at_that_time.len(), 1, "{at_that_time:?}");
    assert_eq!(at_that_time[0].1, newest_id, "the play as first stored");
}

#[tokio::test(flavor = "multi_thread")]
async fn after_a_rate_limit_of_a_day_no_run_asks_that_service_before_it_ends() {
    let (_dir, db) = temp_db();
    let mut sims = Sims::start(20).await;
    sims.spotify.inject(Fault::RateLimited {
        retry_after_secs: 80_000,
    });
    let before = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let limited = sims.sync(&db, None).await;
    assert_eq!(limited.status.code(), Some(1), "{}", stderr(&limited));
    let said = stderr(&limited);
    assert!(
        said.contains("Spotify: rate limited: retry after 80000 s"),
        "{said}"
    );
    assert!(said.contains("no sync asks it again before 20"), "{said}");
    assert_eq!(stored(&db, AMAZON), 20, "the other service synced");
    let not_before = count(
        &db,
        "SELECT not_before_ms FROM sync_state WHERE service = 'spotify'",
    );
    let asked = before.as_millis() as i64 + 80_000_000;
    assert!(
        (asked..asked + 60_000).contains(&not_before),
        "{not_before}"
    );

    sims.listen(2);
    let sent = sims.spotify.request_count();
    let next = sims.sync(&db, None).await;
    assert_ok(&next);
    assert_eq!(
        sims.spotify.request_count(),
        sent,
        "not one request to Spotify"
    );
    let said = stderr(&next);
    assert!(said.contains("Spotify: skipped"), "{said}");
    assert!(said.contains("before 20"), "{said}");
    assert_eq!(stored(&db, AMAZON), 22, "Amazon Music still synced");
    assert_eq!(stored(&db, SPOTIFY), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn with_only_spotify_configured_no_other_service_is_simulated_into_the_store() {
    let (_dir, db) = temp_db();
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(30, 3)).await;
    let mut only_spotify = recently_played(&["sync", "--db", db.to_str().unwrap()]);
    only_spotify.env("SPOTIFY_API_BASE_URL", sim.base_url());
    let output = run_beside_simulation(only_spotify).await;
    assert_ok(&output);
    assert_eq!((stored(&db, SPOTIFY), stored(&db, AMAZON)), (30, 0));
    let said = stderr(&output);
    assert!(
        said.contains("Amazon Music: not configured, skipped"),
        "{said}"
    );
    assert!(!said.contains("Built-in sandbox"), "{said}");

    // The store now holds a service's plays: the built-in sandbox's are refused.
    let sandbox =
        run_beside_simulation(recently_played(&["sync", "--db", db.to_str().unwrap()])).await;
    assert_eq!(sandbox.status.code(), Some(1));
    let said = stderr(&sandbox);
    assert!(
        said.contains("holds plays of the configured services"),
        "{said}"
    );
    assert!(said.contains("give another --db"), "{said}");
    assert_eq!((stored(&db, SPOTIFY), stored(&db, AMAZON)), (30, 0));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_of_simulated_plays_refuses_a_real_sync() {
    let (_dir, db) = temp_db();
    let db_arg = db.to_str().unwrap();
    assert_ok(&run_beside_simulation(recently_played(&["sync", "--db", db_arg])).await);
    let simulated = stored(&db, SPOTIFY);
    assert!(simulated > 0);
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(5, 4)).await;
    let mut real = recently_played(&["sync", "--db", db_arg]);
    real.env("SPOTIFY_API_BASE_URL", sim.base_url());
    let refused = run_beside_simulation(real).await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("holds the built-in sandbox's simulated plays"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(sim.request_count(), 0);
    assert_eq!(stored(&db, SPOTIFY), simulated);
}

/// An unattended run: a client id and a refresh token in the environment, nothing stored.
fn unattended(
    sim: &SpotifySimulation,
    refresh: &str,
    config: &Path,
    db: &Path,
) -> std::process::Command {
    let mut command = recently_played(&["sync", "--db", db.to_str().unwrap()]);
    command
        .env("XDG_CONFIG_HOME", config)
        .env("SPOTIFY_CLIENT_ID", spotify::DEFAULT_CLIENT_ID)
        .env("SPOTIFY_REFRESH_TOKEN", refresh)
        .env("SPOTIFY_ACCOUNTS_BASE_URL", sim.accounts_base_url())
        .env("SPOTIFY_API_BASE_URL", sim.base_url());
    command
}

#[tokio::test(flavor = "multi_thread")]
async fn two_runs_with_the_same_refresh_token_survive_its_rotation_and_a_new_one_wins() {
    let (_dir, db) = temp_db();
    let config = tempfile::tempdir().unwrap();
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(10, 5)).await;
    let first_token = sim.issue_tokens().refresh_token;
    for run in 1..=2 {
        // Each run must refresh: the access token a run before kept has expired.
        sim.expire_access_tokens();
        let output =
            run_beside_simulation(unattended(&sim, &first_token, config.path(), &db)).await;
        assert_ok(&output);
        let printed = format!("{}{}", stdout(&output), stderr(&output));
        assert!(!printed.contains(&first_token), "run {run}: {printed}");
        assert_eq!(sim.token_grants().refresh_token, run, "one refresh per run");
    }
    let kept = config.path().join("recently-played/spotify.from-env.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&kept).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "readable by the user alone");
    }
    let file: serde_json::Value = serde_json::from_slice(&std::fs::read(&kept).unwrap()).unwrap();
    let live = file["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(live, first_token, "the rotated successor is kept");

    // The user sets a new refresh token: it wins over the successors of the old one.
    let new_token = sim.issue_tokens().refresh_token;
    sim.expire_access_tokens();
    let output = run_beside_simulation(unattended(&sim, &new_token, config.path(), &db)).await;
    assert_ok(&output);
    assert_eq!(sim.token_grants().refresh_token, 3);
    let file: serde_json::Value = serde_json::from_slice(&std::fs::read(&kept).unwrap()).unwrap();
    assert_ne!(file["refresh_token"].as_str().unwrap(), live);
    let printed = format!("{}{}", stdout(&output), stderr(&output));
    assert!(
        !printed.contains(&new_token) && !printed.contains(&live),
        "{printed}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sign_in_near_its_six_month_end_is_said_with_the_days_left() {
    let (_dir, db) = temp_db();
    let config = tempfile::tempdir().unwrap();
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(5, 6)).await;
    let tokens = sim.issue_tokens();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let stored = serde_json::json!({
        "client_id": spotify::DEFAULT_CLIENT_ID,
        "client_secret": null,
        "auth_base_url": sim.accounts_base_url(),
        "access_token": tokens.access_token,
        "refresh_token": tokens.refresh_token,
        "expires_at": now + 3000,
        "scope": "user-read-recently-played",
        // 7 days and an hour left: "about 7 days" however long the test takes.
        "signed_in_at": now - 175 * 86_400 + 3_600,
    });
    let dir = config.path().join("recently-played");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("spotify.json"), stored.to_string()).unwrap();
    let mut command = recently_played(&["sync", "--db", db.to_str().unwrap()]);
    command
        .env("XDG_CONFIG_HOME", config.path())
        .env("SPOTIFY_API_BASE_URL", sim.base_url());
    let output = run_beside_simulation(command).await;
    assert_ok(&output);
    let said = stderr(&output);
    assert!(
        said.contains("Spotify: the sign-in ends in about 7 days (Spotify ends a sign-in 6 months"),
        "{said}"
    );
    assert!(said.contains("`recently-played login spotify`"), "{said}");

    // Two months in, nothing is said.
    let young = stored_with(&stored, "signed_in_at", now - 60 * 86_400);
    std::fs::write(dir.join("spotify.json"), young.to_string()).unwrap();
    let mut command = recently_played(&["sync", "--db", db.to_str().unwrap()]);
    command
        .env("XDG_CONFIG_HOME", config.path())
        .env("SPOTIFY_API_BASE_URL", sim.base_url());
    let output = run_beside_simulation(command).await;
    assert_ok(&output);
    assert!(
        !stderr(&output).contains("sign-in ends"),
        "{}",
        stderr(&output)
    );
}

fn stored_with(value: &serde_json::Value, key: &str, number: u64) -> serde_json::Value {
    let mut value = value.clone();
    value[key] = number.into();
    value
}

#[tokio::test(flavor = "multi_thread")]
async fn a_saved_page_token_the_service_no_longer_accepts_restarts_the_walk_exactly_once() {
    let (_dir, db) = temp_db();
    let sims = Sims::start(250).await;
    // Spotify's 5 pages, then Amazon Music's first two of 5 (pages of 60): its walk is
    // under way, and what it saved to resume from is a page token.
    let killed = sims.sync(&db, Some(7)).await;
    assert_eq!(killed.status.code(), Some(86), "{}", stderr(&killed));
    assert_eq!(stored(&db, AMAZON), 120);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM sync_state WHERE json_extract(state, '$.pending.cursor') IS NOT NULL"
        ),
        1
    );
    sims.amazon.expire_page_tokens();
    let resumed = sims.sync(&db, None).await;
    assert_ok(&resumed);
    assert!(
        stderr(&resumed).contains("no longer accepted; walking again from the newest play"),
        "{}",
        stderr(&resumed)
    );
    assert_eq!(stored(&db, AMAZON), 250);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM (SELECT DISTINCT played_at_ms, play_key FROM plays
             WHERE service = 'amazon_music')"
        ),
        250
    );
    // And the next sync is not wedged.
    assert_ok(&sims.sync(&db, None).await);
    assert_eq!(stored(&db, AMAZON), 250);
}

/// The store written by the release before this one (`tests/fixtures`, two syncs of the
/// built-in sandbox by it), with one play stored twice under two track IDs as relinking
/// made it: migrated, every row is kept, the copy aside, and a sync goes on from it.
#[tokio::test(flavor = "multi_thread")]
async fn a_store_written_by_the_previous_release_is_migrated_with_every_row_kept() {
    let (_dir, db) = temp_db();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/history-schema-1.sqlite3"),
        &db,
    )
    .unwrap();
    let rows = |db: &Path, table: &str| -> Vec<(String, i64, Option<String>, String)> {
        let conn = Connection::open(db).unwrap();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT service, played_at_ms, item_id, raw FROM {table} ORDER BY id"
            ))
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let (first_ms, first_key): (i64, String) = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT played_at_ms, play_key FROM plays WHERE service = 'spotify' ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_ne!(first_key, "play", "schema 1 keyed Spotify plays by track");
    // As schema 1 stored a relinked play: a second row, the same time, another track ID.
    Connection::open(&db)
        .unwrap()
        .execute(
            "INSERT INTO plays (service, played_at, played_at_ms, play_key, kind, item_id,
                 title, artists, album, context, raw, synced_at)
             SELECT service, played_at, played_at_ms, 'relinkedId', kind, 'relinkedId', title,
                 artists, album, context, raw, synced_at
             FROM plays WHERE service = 'spotify' AND played_at_ms = ?1",
            [first_ms],
        )
        .unwrap();
    let before = rows(&db, "plays");
    assert_eq!(before.len(), 253 + 253 + 1);

    let export = run(&mut recently_played(&[
        "export",
        "--db",
        db.to_str().unwrap(),
    ]));
    assert!(export.status.success(), "{}", stderr(&export));
    // Amazon Music's rows were its recently played entities: kept aside (schema 5), no
    // longer plays.
    assert_eq!(json_lines(&export).len(), 253);
    let after = rows(&db, "plays");
    let aside = rows(&db, "relinked_copies");
    assert_eq!(aside.len(), 1);
    assert_eq!(aside[0].2.as_deref(), Some("relinkedId"));
    let entities = rows(&db, "entity_plays");
    assert_eq!(entities.len(), 253);
    let mut kept = after.clone();
    kept.extend(aside);
    kept.extend(entities);
    kept.sort();
    let mut expected = before;
    expected.sort();
    assert_eq!(kept, expected, "every row, in plays or aside");
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM plays WHERE service = 'spotify' AND play_key <> 'play'"
        ),
        0
    );
    assert_eq!(
        count(&db, "PRAGMA user_version"),
        latest_schema_version().await
    );

    // A sync of the same sandbox goes on from the migrated store: two more plays each.
    let mut sync = recently_played(&["sync", "--db", db.to_str().unwrap()]);
    sync.env("RECENTLY_PLAYED_SANDBOX_EXTRA_PLAYS", "5");
    let synced = run_beside_simulation(sync).await;
    assert_ok(&synced);
    assert_eq!((stored(&db, SPOTIFY), stored(&db, AMAZON)), (255, 255));
}

/// The schema version of a store this build makes from nothing (a sync of the sandbox).
async fn latest_schema_version() -> i64 {
    let (_dir, db) = temp_db();
    assert_ok(
        &run_beside_simulation(recently_played(&["sync", "--db", db.to_str().unwrap()])).await,
    );
    count(&db, "PRAGMA user_version")
}

/// The store written by the release before this one (`tests/fixtures`, two syncs of the
/// built-in sandbox by it, schema 2): migrated with every row kept, each Spotify play gains
/// its track's length and ISRC from the play as stored, Amazon Music's entity rows are set
/// aside (schema 5) and its walk, now of track plays, starts afresh.
#[tokio::test(flavor = "multi_thread")]
async fn a_store_written_by_schema_2_is_migrated_with_every_row_kept_and_synced_on() {
    let (_dir, db) = temp_db();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/history-schema-2.sqlite3"),
        &db,
    )
    .unwrap();
    let rows = |db: &Path, table: &str| -> Vec<(String, i64, String, Option<String>, String)> {
        let conn = Connection::open(db).unwrap();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT service, played_at_ms, play_key, item_id, raw FROM {table} ORDER BY id"
            ))
            .unwrap();
        stmt.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    assert_eq!(count(&db, "PRAGMA user_version"), 2);
    let anchor: String = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT anchor_key FROM sync_state WHERE service = 'amazon_music'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let before = rows(&db, "plays");
    assert_eq!(before.len(), 253 + 253);

    let export = run(&mut recently_played(&[
        "export",
        "--db",
        db.to_str().unwrap(),
    ]));
    assert_ok(&export);
    // Amazon Music's rows were its recently played entities: kept aside (schema 5), no
    // longer plays.
    assert_eq!(json_lines(&export).len(), 253);
    let mut kept = rows(&db, "plays");
    kept.extend(rows(&db, "entity_plays"));
    kept.sort();
    let mut expected = before;
    expected.sort();
    assert_eq!(kept, expected, "every row as it was, in plays or aside");
    assert_eq!(
        count(&db, "PRAGMA user_version"),
        latest_schema_version().await
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM plays WHERE service = 'spotify'
               AND duration_ms IS json_extract(raw, '$.track.duration_ms')
               AND isrc IS json_extract(raw, '$.track.external_ids.isrc')
               AND duration_ms > 0"
        ),
        253,
        "each Spotify play has its track's length and ISRC"
    );
    let state: Option<String> = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT json_extract(state, '$.anchor[1]') FROM sync_state
             WHERE service = 'amazon_music'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(anchor.starts_with("entry:"), "an entity play: {anchor}");
    assert_eq!(
        state, None,
        "Amazon Music's walk starts afresh: its anchor was an entity play"
    );

    let mut sync = recently_played(&["sync", "--db", db.to_str().unwrap()]);
    sync.env("RECENTLY_PLAYED_SANDBOX_EXTRA_PLAYS", "5");
    let synced = run_beside_simulation(sync).await;
    assert_ok(&synced);
    assert_eq!((stored(&db, SPOTIFY), stored(&db, AMAZON)), (255, 255));
}

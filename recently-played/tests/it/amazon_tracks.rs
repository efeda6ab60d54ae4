//! Amazon Music's history as plays of tracks, named by the catalog: what a sync stores, what
//! it asks the catalog (each track once), and what it does when the catalog cannot answer.

use std::collections::BTreeSet;
use std::path::Path;

use music_history_sandbox::amazon::{
    AmazonMusicHistory, AmazonMusicSimulation, AmazonMusicUser, EntityPlay, TrackPlay, entity,
};
use music_history_sandbox::spotify::{SpotifyHistory, SpotifySimulation};
use rusqlite::Connection;
use serde_json::Value;

use crate::common::*;
use crate::sync::{AMAZON, assert_ok, temp_db};

/// A listener with `tracks` distinct tracks, each played twice, and entity plays beside them
/// (albums, playlists, artists, shows: what the tracks were played from).
fn listener(tracks: usize) -> AmazonMusicHistory {
    let mut me = AmazonMusicUser::new("listener", Some("Listener"));
    let mut at = 1_714_564_800_000;
    for round in 0..2 {
        for i in 0..tracks {
            at += 200_000;
            me.tracks.push(TrackPlay::new(
                at,
                &format!("B0TRACK{i:04}"),
                &format!("Song {i} ({round})"),
            ));
        }
    }
    let kinds = [
        amazon_music_web_api::types::EntityType::Album,
        amazon_music_web_api::types::EntityType::Playlist,
        amazon_music_web_api::types::EntityType::Artist,
        amazon_music_web_api::types::EntityType::PodcastShow,
        amazon_music_web_api::types::EntityType::Track,
    ];
    me.entities = kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            EntityPlay::new(
                &format!("entry-{i}"),
                1_714_564_800_000 + 100_000 * i as i64,
                entity(*kind, &format!("B0ENTITY{i:03}"), &format!("Entity {i}")),
            )
        })
        .collect();
    AmazonMusicHistory::new(me)
}

struct Setup {
    spotify: SpotifySimulation,
    amazon: AmazonMusicSimulation,
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
}

impl Setup {
    async fn start(history: AmazonMusicHistory) -> Self {
        let (dir, db) = temp_db();
        Self {
            spotify: SpotifySimulation::start(SpotifyHistory::realistic(3, 7)).await,
            amazon: AmazonMusicSimulation::start(history).await,
            _dir: dir,
            db,
        }
    }

    async fn sync(&self) -> std::process::Output {
        let db = self.db.to_str().unwrap();
        run_beside_simulation(against(&self.spotify, &self.amazon, &["sync", "--db", db])).await
    }
}

/// Every stored Amazon Music play: (kind, track ID, artists, album, duration, ISRC).
type Row = (
    String,
    Option<String>,
    Vec<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
);

fn amazon_rows(db: &Path) -> Vec<Row> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT kind, item_id, artists, album, duration_ms, isrc FROM plays
             WHERE service = 'amazon_music' ORDER BY played_at_ms",
        )
        .unwrap();
    stmt.query_map([], |r| {
        let artists: String = r.get(2)?;
        Ok((
            r.get(0)?,
            r.get(1)?,
            serde_json::from_str(&artists).unwrap(),
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// What the catalog says of `id`, as a row of `plays` should say it.
fn named_by_catalog(amazon: &AmazonMusicSimulation, id: &str) -> Row {
    let track = amazon.catalog_track(id).expect("the catalog knows it");
    (
        "Track".into(),
        Some(id.into()),
        track.artists.into_iter().filter_map(|a| a.name).collect(),
        track.album.and_then(|a| a.title),
        track.duration.map(|s| s as i64 * 1000),
        track.isrc,
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn after_a_sync_every_amazon_play_is_a_track_play_named_by_the_catalog_and_no_entity_is_one()
{
    let setup = Setup::start(listener(6)).await;
    let synced = setup.sync().await;
    assert_ok(&synced);
    let rows = amazon_rows(&setup.db);
    assert_eq!(rows.len(), 12, "every play of a track, and nothing else");
    for row in &rows {
        let id = row.1.as_deref().expect("a track play names its track");
        assert!(!row.2.is_empty(), "{row:?}");
        assert_eq!(row, &named_by_catalog(&setup.amazon, id));
    }
    assert!(
        rows.iter()
            .all(|row| !row.1.as_deref().unwrap().starts_with("B0ENTITY")),
        "no album, artist, playlist, show or entity track is a play"
    );
    // The export says the same.
    let export = run(&mut recently_played(&[
        "export",
        "--db",
        setup.db.to_str().unwrap(),
        "--service",
        AMAZON,
    ]));
    assert_ok(&export);
    let lines = json_lines(&export);
    assert_eq!(lines.len(), 12);
    for line in &lines {
        let expected = named_by_catalog(&setup.amazon, line["id"].as_str().unwrap());
        let artists: Vec<String> = serde_json::from_value(line["artists"].clone()).unwrap();
        assert_eq!(artists, expected.2);
        assert_eq!(line["album"].as_str(), expected.3.as_deref());
        assert_eq!(line["duration_ms"].as_i64(), expected.4);
        assert_eq!(line["isrc"].as_str(), expected.5.as_deref());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn each_track_is_looked_up_once_and_a_sync_with_no_new_track_asks_the_catalog_nothing() {
    let setup = Setup::start(listener(5)).await;
    assert_ok(&setup.sync().await);
    assert_eq!(
        setup.amazon.catalog_request_count(),
        5,
        "five tracks, played twice each"
    );
    let looked_up: BTreeSet<String> = setup
        .amazon
        .requests()
        .iter()
        .filter(|r| r.path_segments.get(1).is_some_and(|s| s == "tracks"))
        .map(|r| r.path_segments[2].clone())
        .collect();
    assert_eq!(looked_up.len(), 5, "no track asked twice: {looked_up:?}");

    assert_ok(&setup.sync().await);
    assert_eq!(
        setup.amazon.catalog_request_count(),
        5,
        "nothing new, nothing asked"
    );

    // A new play of a known track: stored named, still without asking.
    setup.amazon.record_track_play(
        "listener",
        TrackPlay::new(1_800_000_000_000, "B0TRACK0002", "Again"),
    );
    assert_ok(&setup.sync().await);
    assert_eq!(setup.amazon.catalog_request_count(), 5);
    let rows = amazon_rows(&setup.db);
    assert_eq!(rows.len(), 11);
    assert_eq!(
        rows.last().unwrap(),
        &named_by_catalog(&setup.amazon, "B0TRACK0002")
    );
    // A play of a new track: one request.
    setup.amazon.record_track_play(
        "listener",
        TrackPlay::new(1_800_000_100_000, "B0NEWTRACK", "New"),
    );
    assert_ok(&setup.sync().await);
    assert_eq!(setup.amazon.catalog_request_count(), 6);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_track_the_catalog_does_not_know_keeps_its_play_and_is_looked_up_again_later() {
    let setup = Setup::start(listener(3)).await;
    setup.amazon.set_track_unknown("B0TRACK0001", true);
    let first = setup.sync().await;
    assert_ok(&first);
    assert!(
        stderr(&first).contains("1 track the catalog does not know"),
        "{}",
        stderr(&first)
    );
    let rows = amazon_rows(&setup.db);
    assert_eq!(rows.len(), 6, "the unknown track's plays are kept");
    let unnamed: Vec<&Row> = rows.iter().filter(|r| r.2.is_empty()).collect();
    assert_eq!(unnamed.len(), 2);
    assert!(
        unnamed
            .iter()
            .all(|r| r.1.as_deref() == Some("B0TRACK0001"))
    );
    assert_eq!(setup.amazon.catalog_request_count(), 3);

    // Asked again at the next sync, and named once the catalog knows it.
    assert_ok(&setup.sync().await);
    assert_eq!(setup.amazon.catalog_request_count(), 4);
    setup.amazon.set_track_unknown("B0TRACK0001", false);
    let named = setup.sync().await;
    assert_ok(&named);
    assert!(
        !stderr(&named).contains("does not know"),
        "{}",
        stderr(&named)
    );
    assert_eq!(setup.amazon.catalog_request_count(), 5);
    for row in amazon_rows(&setup.db) {
        assert_eq!(
            row,
            named_by_catalog(&setup.amazon, row.1.as_deref().unwrap())
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_catalog_that_refuses_or_rate_limits_costs_no_play_and_says_so_once() {
    for (status, said) in [
        (403, "lacks the music::catalog scope"),
        (429, "rate limited the look-ups"),
        (500, "stopped"),
    ] {
        let setup = Setup::start(listener(4)).await;
        setup.amazon.set_catalog_failure(Some(status));
        let synced = setup.sync().await;
        assert_ok(&synced);
        let err = stderr(&synced);
        assert_eq!(err.matches(said).count(), 1, "{status}: {err}");
        let rows = amazon_rows(&setup.db);
        assert_eq!(rows.len(), 8, "{status}: every play kept");
        assert!(rows.iter().all(|r| r.2.is_empty()), "{status}");
        // The look-ups stopped at the first refusal (a 500 is retried by the client).
        let asked = setup.amazon.catalog_request_count();
        let sends = if status == 500 { 3 } else { 1 };
        assert_eq!(asked, sends, "{status}: {err}");

        setup.amazon.set_catalog_failure(None);
        assert_ok(&setup.sync().await);
        assert!(
            amazon_rows(&setup.db).iter().all(|r| !r.2.is_empty()),
            "{status}: named at the next sync"
        );
    }
}

/// A store as schema 4 and before left it (the committed fixture, two syncs of the sandbox
/// when Amazon Music's history was its entities): every row is kept, the entities in
/// `entity_plays`, none of them a play; the next sync stores the track plays, named.
#[tokio::test(flavor = "multi_thread")]
async fn a_store_of_entity_plays_is_migrated_with_every_row_kept_and_no_entity_counted() {
    let (_dir, db) = temp_db();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/history-schema-1.sqlite3"),
        &db,
    )
    .unwrap();
    let rows = |sql: &str| -> Vec<(String, i64, String, Value)> {
        let conn = Connection::open(&db).unwrap();
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |r| {
            let raw: String = r.get(3)?;
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                serde_json::from_str(&raw).unwrap(),
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    let before = rows(
        "SELECT service, played_at_ms, kind, raw FROM plays WHERE service = 'amazon_music' ORDER BY id",
    );
    assert_eq!(before.len(), 253);
    assert!(
        before.iter().all(|r| r.3.get("playedDate").is_some()),
        "entity edges"
    );

    let setup = Setup::start(listener(2)).await;
    let synced = run_beside_simulation(against(
        &setup.spotify,
        &setup.amazon,
        &["sync", "--db", db.to_str().unwrap()],
    ))
    .await;
    assert_ok(&synced);
    let moved = rows("SELECT service, played_at_ms, kind, raw FROM entity_plays ORDER BY id");
    assert_eq!(moved, before, "every entity row, as it was");
    let amazon_plays = amazon_rows(&db);
    assert_eq!(
        amazon_plays.len(),
        4,
        "only the plays of tracks the sync read"
    );
    assert!(
        amazon_plays
            .iter()
            .all(|r| r.0 == "Track" && !r.2.is_empty())
    );
    let spotify: i64 = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM plays WHERE service = 'spotify' AND kind = 'track'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(spotify >= 253, "Spotify's rows stay: {spotify}");
}

//! The catalog's tracks: what a service's catalog said of each track its plays name, kept
//! once per track (`tracks`, keyed by service and track ID), and copied into the plays of
//! that track, so that a reader of `plays` finds artists, album, duration and ISRC there.

use listening_record::TrackDetails;
use rusqlite::params;

use super::{Store, StoreError, now};

impl Store {
    /// The IDs of `service`'s tracks that plays name and `tracks` does not hold yet, the
    /// most recently played first, at most `limit` of them.
    pub(crate) fn tracks_to_look_up(
        &self,
        service: &str,
        limit: usize,
    ) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT item_id FROM plays
                 WHERE service = ?1 AND kind = 'Track' AND item_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM tracks
                                   WHERE tracks.service = plays.service
                                     AND tracks.id = plays.item_id)
                 GROUP BY item_id
                 ORDER BY max(played_at_ms) DESC, item_id
                 LIMIT ?2",
            )
            .map_err(|e| self.sql(e))?;
        stmt.query_map(params![service, limit as i64], |row| row.get(0))
            .and_then(Iterator::collect)
            .map_err(|e| self.sql(e))
    }

    /// Keeps what the catalog said of track `id` (`raw`, as decoded, and `details`, in the
    /// record's terms) and writes `details` into the stored plays of that track, in one
    /// transaction. Asked again for a track it holds, it replaces what it held.
    pub(crate) fn save_track(
        &mut self,
        service: &str,
        id: &str,
        details: &TrackDetails,
        raw: &serde_json::Value,
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        tx.execute(
            "INSERT INTO tracks (service, id, artists, album, duration_ms, isrc, raw, fetched_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (service, id) DO UPDATE SET
                 artists = excluded.artists, album = excluded.album,
                 duration_ms = excluded.duration_ms, isrc = excluded.isrc,
                 raw = excluded.raw, fetched_at = excluded.fetched_at",
            params![
                service,
                id,
                serde_json::Value::from(details.artists.clone()).to_string(),
                details.album,
                details.duration_ms.and_then(|ms| i64::try_from(ms).ok()),
                details.isrc,
                raw.to_string(),
                now(),
            ],
        )
        .map_err(sql)?;
        fill_plays(&tx, service, Some(id)).map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Writes what `tracks` holds into every play of `service` that names a held track
    /// and does not say the same yet (a play stored after its track was looked up); how
    /// many plays changed.
    pub(crate) fn fill_plays_from_tracks(&self, service: &str) -> Result<usize, StoreError> {
        fill_plays(&self.conn, service, None).map_err(|e| self.sql(e))
    }
}

/// The plays of `service` (of track `id` only, when given) that `tracks` knows, given what
/// it holds of their track; only those that differ are written.
fn fill_plays(
    conn: &rusqlite::Connection,
    service: &str,
    id: Option<&str>,
) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE plays SET artists = tracks.artists, album = tracks.album,
                          duration_ms = tracks.duration_ms, isrc = tracks.isrc
         FROM tracks
         WHERE plays.service = ?1 AND plays.kind = 'Track'
           AND tracks.service = plays.service AND tracks.id = plays.item_id
           AND (?2 IS NULL OR plays.item_id = ?2)
           AND (plays.artists IS NOT tracks.artists OR plays.album IS NOT tracks.album
                OR plays.duration_ms IS NOT tracks.duration_ms
                OR plays.isrc IS NOT tracks.isrc)",
        params![service, id],
    )
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;
    use crate::store::{MIGRATIONS, SyncState};

    /// The migration that moved Amazon Music's entity rows aside.
    fn entities_moved() -> usize {
        MIGRATIONS
            .iter()
            .position(|m| m.contains("CREATE TABLE entity_plays"))
            .expect("the migration is there")
    }

    fn insert(
        conn: &Connection,
        id: i64,
        service: &str,
        at: i64,
        key: &str,
        kind: &str,
        raw: &str,
    ) {
        conn.execute(
            "INSERT INTO plays (id, service, played_at, played_at_ms, play_key, kind, item_id,
                 title, artists, raw, synced_at)
             VALUES (?1, ?2, 'x', ?3, ?4, ?5, ?6, 't', '[]', ?7, 'x')",
            params![id, service, at, key, kind, format!("I{id}"), raw],
        )
        .unwrap();
    }

    /// A store as the migrations before left it: its Amazon Music entity rows move aside
    /// whole, every other row stays, and Amazon Music's sync starts afresh (its anchor was
    /// an entity play) but keeps a rate limit's time.
    #[test]
    fn entity_rows_move_aside_whole_and_every_other_row_stays() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        let conn = Connection::open(&path).unwrap();
        for (version, migration) in MIGRATIONS[..entities_moved()].iter().enumerate() {
            conn.execute_batch(migration).unwrap();
            conn.pragma_update(None, "user_version", version as i64 + 1)
                .unwrap();
        }
        let entity =
            r#"{"id":"e1","playedDate":"2024-05-01T12:00:00Z","node":{"_type":"Album","id":"A"}}"#;
        let track = r#"{"playedAt":"2024-05-01T12:00:00Z","node":{"id":"T"}}"#;
        insert(&conn, 1, "amazon_music", 10, "entry:e1", "Album", entity);
        insert(&conn, 2, "amazon_music", 20, "Track:T", "Track", track);
        insert(&conn, 3, "spotify", 10, "play", "track", "{}");
        insert(&conn, 4, "amazon_music", 30, "Track:X", "Track", entity);
        conn.execute_batch(
            "INSERT INTO sync_state (service, state, not_before_ms, updated_at) VALUES
                 ('amazon_music', '{\"anchor\":[30,\"Track:X\"]}', 99, 'x'),
                 ('spotify', '{}', NULL, 'x');",
        )
        .unwrap();
        let before: Vec<(i64, String)> = conn
            .prepare("SELECT id, raw FROM plays ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        drop(conn);

        let store = Store::open(&path).unwrap();
        let ids = |table: &str| -> Vec<i64> {
            store
                .conn
                .prepare(&format!("SELECT id FROM {table} ORDER BY id"))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        assert_eq!(
            ids("entity_plays"),
            [1, 4],
            "the entity edges, whatever their kind"
        );
        assert_eq!(ids("plays"), [2, 3]);
        let kept: Vec<(i64, String)> = store
            .conn
            .prepare(
                "SELECT id, raw FROM plays UNION ALL SELECT id, raw FROM entity_plays ORDER BY 1",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(kept, before, "every row, as it was");
        assert_eq!(store.state("amazon_music").unwrap(), SyncState::default());
        assert_eq!(store.not_before("amazon_music").unwrap(), Some(99));
        assert_eq!(store.count("amazon_music").unwrap(), 1);
    }

    fn details(artist: &str) -> TrackDetails {
        TrackDetails {
            artists: vec![artist.to_owned()],
            album: Some("Album".to_owned()),
            duration_ms: Some(232_000),
            isrc: Some("USQ4E1300686".to_owned()),
        }
    }

    /// Tracks to look up are those plays name and `tracks` does not hold, newest played
    /// first, each once; a track saved fills its plays, and only its own.
    #[test]
    fn each_unheld_track_is_wanted_once_newest_first_and_saving_one_fills_only_its_plays() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("history.sqlite3")).unwrap();
        for (id, at, item) in [(1, 10, "A"), (2, 20, "B"), (3, 30, "A"), (4, 40, "C")] {
            store
                .conn
                .execute(
                    "INSERT INTO plays (id, service, played_at, played_at_ms, play_key, kind,
                         item_id, artists, raw, synced_at)
                     VALUES (?1, 'amazon_music', 'x', ?2, ?3, 'Track', ?3, '[]', '{}', 'x')",
                    params![id, at, item],
                )
                .unwrap();
        }
        assert_eq!(
            store.tracks_to_look_up("amazon_music", 10).unwrap(),
            ["C", "A", "B"]
        );
        assert_eq!(store.tracks_to_look_up("amazon_music", 1).unwrap(), ["C"]);
        assert!(store.tracks_to_look_up("spotify", 10).unwrap().is_empty());

        store
            .save_track(
                "amazon_music",
                "A",
                &details("Pharrell"),
                &serde_json::json!({}),
            )
            .unwrap();
        assert_eq!(
            store.tracks_to_look_up("amazon_music", 10).unwrap(),
            ["C", "B"]
        );
        let artists: Vec<(String, String)> = store
            .conn
            .prepare("SELECT item_id, artists FROM plays ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let named = r#"["Pharrell"]"#.to_owned();
        assert_eq!(
            artists,
            [
                ("A".into(), named.clone()),
                ("B".into(), "[]".into()),
                ("A".into(), named),
                ("C".into(), "[]".into())
            ]
        );
        // A play stored later of a held track is filled by the next fill, once.
        store
            .conn
            .execute(
                "INSERT INTO plays (service, played_at, played_at_ms, play_key, kind, item_id,
                     artists, raw, synced_at)
                 VALUES ('amazon_music', 'x', 50, 'A', 'Track', 'A', '[]', '{}', 'x')",
                [],
            )
            .unwrap();
        assert_eq!(store.fill_plays_from_tracks("amazon_music").unwrap(), 1);
        assert_eq!(store.fill_plays_from_tracks("amazon_music").unwrap(), 0);
    }
}

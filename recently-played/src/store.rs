//! The local history: one SQLite file (rusqlite, SQLite bundled), migrated with
//! `user_version`, where each play is stored once and each page of a sync is committed in
//! one transaction together with where the sync stands.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use listening_record::{ListeningRecord, Playback, Source};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

mod tracks;

/// The schema, one migration per `user_version`: migration `i` takes a database from
/// version `i` to `i + 1`. Never edit one that has shipped; add the next.
const MIGRATIONS: &[&str] = &[
    // 1: plays, where each sync stands, and the gaps found.
    "
    CREATE TABLE plays (
        id           INTEGER PRIMARY KEY,
        service      TEXT    NOT NULL,  -- 'spotify' | 'amazon_music'
        played_at    TEXT    NOT NULL,  -- RFC 3339, UTC, milliseconds
        played_at_ms INTEGER NOT NULL,  -- the same, Unix milliseconds
        play_key     TEXT    NOT NULL,  -- names the play within service and time
        kind         TEXT    NOT NULL,
        item_id      TEXT,
        title        TEXT,
        artists      TEXT    NOT NULL,  -- JSON array of names
        album        TEXT,
        context      TEXT,
        raw          TEXT    NOT NULL,  -- the play as the client decoded it (JSON)
        synced_at    TEXT    NOT NULL,
        UNIQUE (service, played_at_ms, play_key)
    );
    CREATE INDEX plays_by_time ON plays (played_at_ms);
    CREATE TABLE sync_state (
        service        TEXT PRIMARY KEY,
        sync_point     TEXT,     -- Spotify: the window the next sync asks for ('after=<ms>')
        anchor_ms      INTEGER,  -- Amazon Music: the newest play of the last complete walk
        anchor_key     TEXT,
        pending_top_ms INTEGER,  -- Amazon Music: the newest play of a walk not yet complete
        pending_top_key TEXT,
        pending_cursor TEXT,     -- ... and where it stands: page token and plays skipped
        pending_skip   INTEGER,
        pending_started INTEGER NOT NULL DEFAULT 0, -- 1 while such a walk is under way
        updated_at     TEXT NOT NULL
    );
    CREATE TABLE gaps (
        id          INTEGER PRIMARY KEY,
        service     TEXT    NOT NULL,
        detected_at TEXT    NOT NULL,
        after_ms    INTEGER,  -- the newest play stored before the poll
        before_ms   INTEGER,  -- the oldest play the poll found
        new_plays   INTEGER   NOT NULL,
        note        TEXT      NOT NULL
    );
    ",
    // 2: a Spotify play is named by its time alone ('play' is listening_record's
    // SPOTIFY_PLAY_KEY): the same play can come back with another track ID (relinking,
    // spotify/web-api #1232), and schema 1 stored it once per ID. Such copies move to
    // `relinked_copies`, kept as they were, no longer counted as plays. Spotify's sync now
    // re-reads an overlap on every poll, so its saved `after` goes. A rate limit outlives
    // the run (`not_before_ms`), and the store says whose plays it holds (`store_info`).
    "
    CREATE TABLE relinked_copies (
        id           INTEGER PRIMARY KEY,  -- the play's id in `plays` before schema 2
        service      TEXT    NOT NULL,
        played_at    TEXT    NOT NULL,
        played_at_ms INTEGER NOT NULL,
        play_key     TEXT    NOT NULL,  -- the track ID it was stored under
        kind         TEXT    NOT NULL,
        item_id      TEXT,
        title        TEXT,
        artists      TEXT    NOT NULL,
        album        TEXT,
        context      TEXT,
        raw          TEXT    NOT NULL,
        synced_at    TEXT    NOT NULL
    );
    INSERT INTO relinked_copies
        SELECT * FROM plays AS later
        WHERE service = 'spotify' AND EXISTS (
            SELECT 1 FROM plays AS first
            WHERE first.service = 'spotify' AND first.played_at_ms = later.played_at_ms
              AND first.id < later.id);
    DELETE FROM plays WHERE id IN (SELECT id FROM relinked_copies);
    UPDATE plays SET play_key = 'play' WHERE service = 'spotify';
    ALTER TABLE sync_state DROP COLUMN sync_point;
    ALTER TABLE sync_state ADD COLUMN not_before_ms INTEGER;  -- rate limited: ask no sooner
    CREATE TABLE store_info (
        key   TEXT PRIMARY KEY,  -- 'holds': whose plays ('sandbox' | 'services')
        value TEXT NOT NULL
    );
    ",
    // 3: the record gains how long the recording is and its ISRC (filled in for the Spotify
    // plays already stored, from the play as decoded), and where each service's sync
    // stands is one JSON value (`SyncState`) instead of columns one service uses: a
    // service added later needs no migration for its own state.
    "
    ALTER TABLE plays ADD COLUMN duration_ms INTEGER;  -- the recording's length, where known
    ALTER TABLE plays ADD COLUMN isrc TEXT;            -- the recording's ISRC, where known
    UPDATE plays SET
        duration_ms = json_extract(raw, '$.track.duration_ms'),
        isrc = json_extract(raw, '$.track.external_ids.isrc')
    WHERE service = 'spotify' AND json_valid(raw);
    CREATE INDEX plays_by_isrc ON plays (isrc) WHERE isrc IS NOT NULL;
    CREATE TABLE sync_state_3 (
        service       TEXT PRIMARY KEY,
        state         TEXT NOT NULL DEFAULT '{}',  -- where the sync stands (JSON, SyncState)
        not_before_ms INTEGER,                     -- rate limited: ask no sooner
        updated_at    TEXT NOT NULL
    );
    INSERT INTO sync_state_3 (service, state, not_before_ms, updated_at)
        SELECT service,
               json_object(
                   'anchor', CASE WHEN anchor_ms IS NULL OR anchor_key IS NULL THEN NULL
                                  ELSE json_array(anchor_ms, anchor_key) END,
                   'pending', CASE WHEN pending_started = 0 THEN NULL ELSE json_object(
                       'top', CASE WHEN pending_top_ms IS NULL OR pending_top_key IS NULL
                                   THEN NULL ELSE json_array(pending_top_ms, pending_top_key) END,
                       'cursor', pending_cursor,
                       'skip', max(coalesce(pending_skip, 0), 0)) END),
               not_before_ms, updated_at
        FROM sync_state;
    DROP TABLE sync_state;
    ALTER TABLE sync_state_3 RENAME TO sync_state;
    ",
    // 4: plays imported from Spotify's streaming history export (`recently-played import`).
    // Each play says where it came from; one the export has keeps what the export says of
    // it (`playback`, JSON: listening_record::Playback, the export's row included), with
    // columns to filter on read from it. `export_key` names the export's row, so that an
    // import run again adds nothing, even for a row joined to a play a sync stored. The
    // index by item finds the same play from the other source (src/import/matching.rs).
    "
    ALTER TABLE plays ADD COLUMN source TEXT NOT NULL DEFAULT 'api';  -- 'api' | 'export' | 'api_and_export'
    ALTER TABLE plays ADD COLUMN export_key TEXT;  -- the export's row: '<ts ms> <uri or names>'
    ALTER TABLE plays ADD COLUMN playback TEXT;    -- what the export says of the play (JSON)
    ALTER TABLE plays ADD COLUMN ms_played INTEGER
        GENERATED ALWAYS AS (json_extract(playback, '$.ms_played')) VIRTUAL;
    ALTER TABLE plays ADD COLUMN reason_start TEXT
        GENERATED ALWAYS AS (json_extract(playback, '$.reason_start')) VIRTUAL;
    ALTER TABLE plays ADD COLUMN reason_end TEXT
        GENERATED ALWAYS AS (json_extract(playback, '$.reason_end')) VIRTUAL;
    ALTER TABLE plays ADD COLUMN skipped INTEGER
        GENERATED ALWAYS AS (json_extract(playback, '$.skipped')) VIRTUAL;
    ALTER TABLE plays ADD COLUMN shuffle INTEGER
        GENERATED ALWAYS AS (json_extract(playback, '$.shuffle')) VIRTUAL;
    ALTER TABLE plays ADD COLUMN offline INTEGER
        GENERATED ALWAYS AS (json_extract(playback, '$.offline')) VIRTUAL;
    ALTER TABLE plays ADD COLUMN incognito_mode INTEGER
        GENERATED ALWAYS AS (json_extract(playback, '$.incognito_mode')) VIRTUAL;
    CREATE UNIQUE INDEX plays_by_export_key ON plays (export_key) WHERE export_key IS NOT NULL;
    CREATE INDEX plays_by_item ON plays (service, item_id, played_at_ms);
    ",
    // 5: Amazon Music's history is its plays of tracks (`/player/recentlyPlayed`). Until
    // now its sync walked the recently played *entities* (`/me/recentlyPlayedEntities`:
    // what was played from, an album, playlist, artist, show or track, dated when it
    // began), and stored them as plays. Those rows move, every column kept as it was and
    // each under its id in `plays`, to `entity_plays`: still there to read, no longer
    // counted as plays. They are told apart by the play as decoded (`raw`): an entity's
    // edge is dated `playedDate`, a track play's `playedAt`. The Amazon Music sync starts
    // afresh (its anchor was an entity play, which no walk of the tracks meets again);
    // the unique key keeps what it reads again once. `tracks` keeps what the catalog said
    // of each track, looked up once (src/store/tracks.rs).
    "
    CREATE TABLE entity_plays (
        id           INTEGER PRIMARY KEY,  -- the row's id in `plays` before schema 5
        service      TEXT    NOT NULL,
        played_at    TEXT    NOT NULL,
        played_at_ms INTEGER NOT NULL,
        play_key     TEXT    NOT NULL,
        kind         TEXT    NOT NULL,     -- the entity's `_type`: Album, Playlist, ...
        item_id      TEXT,
        title        TEXT,
        artists      TEXT    NOT NULL,
        album        TEXT,
        context      TEXT,
        raw          TEXT    NOT NULL,     -- the entity edge as decoded
        synced_at    TEXT    NOT NULL,
        duration_ms  INTEGER,
        isrc         TEXT
    );
    INSERT INTO entity_plays (id, service, played_at, played_at_ms, play_key, kind, item_id,
                              title, artists, album, context, raw, synced_at, duration_ms, isrc)
        SELECT id, service, played_at, played_at_ms, play_key, kind, item_id, title, artists,
               album, context, raw, synced_at, duration_ms, isrc
        FROM plays
        WHERE service = 'amazon_music' AND json_valid(raw)
          AND json_type(raw, '$.playedDate') IS NOT NULL;
    DELETE FROM plays WHERE id IN (SELECT id FROM entity_plays);
    UPDATE sync_state SET state = '{}' WHERE service = 'amazon_music';
    CREATE TABLE tracks (
        service     TEXT    NOT NULL,  -- whose catalog: 'amazon_music'
        id          TEXT    NOT NULL,  -- the track's ID, as the plays' item_id
        artists     TEXT    NOT NULL,  -- JSON array of names, as plays.artists
        album       TEXT,
        duration_ms INTEGER,
        isrc        TEXT,
        raw         TEXT    NOT NULL,  -- what the catalog answered (JSON)
        fetched_at  TEXT    NOT NULL,
        PRIMARY KEY (service, id)
    );
    ",
];

/// What can go wrong with the store, each a sentence naming the file.
#[derive(Debug)]
pub(crate) enum StoreError {
    /// No `--db` and no data directory could be found for this user.
    NoDataDir,
    /// The file or its folder could not be opened or created.
    Open { path: PathBuf, reason: String },
    /// The file was written by a newer version of this program.
    TooNew { path: PathBuf, version: i64 },
    /// The store holds plays of the built-in sandbox and a sync of the services was
    /// asked for, or the other way round.
    Mixed { path: PathBuf, holds: Holds },
    /// Another sync of this store held it longer than a sync waits.
    Busy {
        path: PathBuf,
        waited: std::time::Duration,
    },
    /// A query failed.
    Sql {
        path: PathBuf,
        source: rusqlite::Error,
    },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoDataDir => f.write_str(
                "no data directory found for this user (is HOME set?); give one with --db PATH",
            ),
            Self::Open { path, reason } => {
                write!(f, "cannot open the database {}: {reason}", path.display())
            }
            Self::TooNew { path, version } => write!(
                f,
                "the database {} has schema version {version}, newer than this program's {}; \
                 use a newer recently-played",
                path.display(),
                MIGRATIONS.len()
            ),
            Self::Mixed { path, holds } => write!(
                f,
                "the database {} holds {}, and this sync would add {}; they never share a \
                 store, since nothing could tell their plays apart later: give another --db",
                path.display(),
                holds.described(),
                holds.other().described()
            ),
            Self::Busy { path, waited } => write!(
                f,
                "another sync of {} (a --watch, or a scheduled run) was still under way after \
                 {} s; this one did not sync, to leave it alone: try again later",
                path.display(),
                waited.as_secs()
            ),
            Self::Sql { path, source } => {
                write!(f, "the database {} failed: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for StoreError {}

/// Where a service's sync stands, as committed with the last page (one JSON value in
/// `sync_state.state`, whatever the strategy keeps).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SyncState {
    /// Amazon Music: the newest play of the last complete walk, `(ms, key)`: a walk that
    /// meets it again has overlapped what is stored.
    pub(crate) anchor: Option<(i64, String)>,
    /// Amazon Music: a walk committed in part and not complete.
    pub(crate) pending: Option<Pending>,
}

/// Whose plays a store holds: the built-in sandbox's, or the services' (the real ones, or
/// whatever the environment pointed the clients at). A store holds one or the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Holds {
    /// The built-in simulations' plays.
    Sandbox,
    /// The configured services' plays.
    Services,
}

impl Holds {
    fn as_str(self) -> &'static str {
        match self {
            Self::Sandbox => "sandbox",
            Self::Services => "services",
        }
    }

    fn described(self) -> &'static str {
        match self {
            Self::Sandbox => "the built-in sandbox's simulated plays",
            Self::Services => "plays of the configured services",
        }
    }

    fn other(self) -> Self {
        match self {
            Self::Sandbox => Self::Services,
            Self::Services => Self::Sandbox,
        }
    }
}

/// What one committed page added.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Committed {
    /// How many of its plays were new.
    pub(crate) new: usize,
    /// The oldest of those, Unix milliseconds.
    pub(crate) oldest_new_ms: Option<i64>,
}

/// A walk newest first that stored some pages and has not reached what was stored before.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Pending {
    /// Its first (newest) play: the anchor once the walk is complete.
    pub(crate) top: Option<(i64, String)>,
    /// The page token to resume from (`None`: the first page).
    pub(crate) cursor: Option<String>,
    /// How many plays of that page were already stored.
    pub(crate) skip: usize,
}

/// A gap a poll found: plays between `after_ms` and `before_ms` may be lost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Gap {
    pub(crate) after_ms: Option<i64>,
    pub(crate) before_ms: Option<i64>,
    pub(crate) new_plays: usize,
    pub(crate) note: String,
}

/// Which stored plays to read.
#[derive(Clone, Debug, Default)]
pub(crate) struct Filter {
    pub(crate) service: Option<String>,
    /// Strictly after.
    pub(crate) since: Option<DateTime<Utc>>,
    /// At or before.
    pub(crate) until: Option<DateTime<Utc>>,
}

/// The open database.
pub(crate) struct Store {
    conn: Connection,
    path: PathBuf,
}

/// Held while a sync writes to a store: one sync (or poll of `--watch`) at a time, so that
/// neither overwrites where the other stands. Released when dropped (or when the process
/// ends, however it ends: the operating system drops the lock with the file).
pub(crate) struct SyncLock {
    _file: std::fs::File,
}

/// How long a sync waits for another one of the same store to finish.
pub(crate) const LOCK_PATIENCE: std::time::Duration = std::time::Duration::from_secs(60);

/// Takes the sync lock of the store at `path` (`<path>.lock`), waiting at most `patience`
/// for a sync under way to finish.
pub(crate) async fn lock_for_sync(
    path: &Path,
    patience: std::time::Duration,
) -> Result<SyncLock, StoreError> {
    let mut lock_path = path.as_os_str().to_owned();
    lock_path.push(".lock");
    let lock_path = PathBuf::from(lock_path);
    let open_error = |reason: String| StoreError::Open {
        path: lock_path.clone(),
        reason,
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| open_error(e.to_string()))?;
    let until = std::time::Instant::now() + patience;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(SyncLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < until => {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(StoreError::Busy {
                    path: path.to_path_buf(),
                    waited: patience,
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(open_error(e.to_string())),
        }
    }
}

/// `recently-played/history.sqlite3` in the user's data directory
/// (`~/.local/share/recently-played` on Linux, `~/Library/Application Support/…` on macOS,
/// `%APPDATA%\…` on Windows).
pub(crate) fn default_path() -> Result<PathBuf, StoreError> {
    directories::ProjectDirs::from("", "", "recently-played")
        .map(|dirs| dirs.data_dir().join("history.sqlite3"))
        .ok_or(StoreError::NoDataDir)
}

/// `db` (`--db PATH`), or the [`default_path`] when none was given.
pub(crate) fn path_or_default(db: Option<PathBuf>) -> Result<PathBuf, StoreError> {
    db.map_or_else(default_path, Ok)
}

impl Store {
    /// Opens (creating it and its folder if need be) and migrates the database at `path`.
    pub(crate) fn open(path: &Path) -> Result<Self, StoreError> {
        let open_error = |reason: String| StoreError::Open {
            path: path.to_path_buf(),
            reason,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| open_error(e.to_string()))?;
        }
        let conn = Connection::open(path).map_err(|e| open_error(e.to_string()))?;
        let mut store = Self {
            conn,
            path: path.to_path_buf(),
        };
        store
            .conn
            .busy_timeout(std::time::Duration::from_secs(5))
            .map_err(|e| store.sql(e))?;
        // WAL: a reader (`export`, a user's query) never blocks a sync's commits.
        let _: String = store
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(|e| store.sql(e))?;
        store.migrate()?;
        Ok(store)
    }

    fn sql(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sql {
            path: self.path.clone(),
            source,
        }
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        loop {
            // Each migration and its version number in one transaction, taken for writing
            // before the version is read: a crash leaves the file at one version or the
            // next, and of several runs opening a new store at once (a cron job beside a
            // watch), one migrates while the others wait, then find nothing to do.
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(sql)?;
            let version: i64 = tx
                .query_row("PRAGMA user_version", [], |row| row.get(0))
                .map_err(sql)?;
            let Some(migration) = usize::try_from(version)
                .ok()
                .and_then(|done| MIGRATIONS.get(done))
            else {
                if version > MIGRATIONS.len() as i64 {
                    return Err(StoreError::TooNew {
                        path: self.path.clone(),
                        version,
                    });
                }
                return tx.commit().map_err(sql);
            };
            tx.execute_batch(migration).map_err(sql)?;
            tx.pragma_update(None, "user_version", version + 1)
                .map_err(sql)?;
            tx.commit().map_err(sql)?;
        }
    }

    /// Where `service`'s sync stands.
    pub(crate) fn state(&self, service: &str) -> Result<SyncState, StoreError> {
        let state: Option<String> = self
            .conn
            .query_row(
                "SELECT state FROM sync_state WHERE service = ?1",
                [service],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.sql(e))?;
        let Some(state) = state else {
            return Ok(SyncState::default());
        };
        serde_json::from_str(&state).map_err(|e| {
            self.sql(rusqlite::Error::FromSqlConversionFailure(
                0,
                rusqlite::types::Type::Text,
                Box::new(e),
            ))
        })
    }

    /// Records that this store holds `holds`' plays, or refuses if it holds plays of the
    /// other kind. A store made before schema 2 says nothing, and one that holds no play
    /// yet takes either: its next sync decides.
    pub(crate) fn claim(&self, holds: Holds) -> Result<(), StoreError> {
        let held: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM store_info WHERE key = 'holds'",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.sql(e))?;
        let empty = || -> Result<bool, StoreError> {
            self.conn
                .query_row("SELECT NOT EXISTS (SELECT 1 FROM plays)", [], |row| {
                    row.get(0)
                })
                .map_err(|e| self.sql(e))
        };
        match held {
            Some(held) if held == holds.as_str() => Ok(()),
            // A store that holds no play yet (a first sync that failed) takes either.
            Some(_) if !empty()? => Err(StoreError::Mixed {
                path: self.path.clone(),
                holds: holds.other(),
            }),
            _ => self
                .conn
                .execute(
                    "INSERT INTO store_info (key, value) VALUES ('holds', ?1)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [holds.as_str()],
                )
                .map(drop)
                .map_err(|e| self.sql(e)),
        }
    }

    /// Until when (Unix milliseconds) `service` asked not to be called again, if it did.
    pub(crate) fn not_before(&self, service: &str) -> Result<Option<i64>, StoreError> {
        self.conn
            .query_row(
                "SELECT not_before_ms FROM sync_state WHERE service = ?1",
                [service],
                |row| row.get(0),
            )
            .optional()
            .map(Option::flatten)
            .map_err(|e| self.sql(e))
    }

    /// Keeps (or, `None`, clears) the time before which `service` is not to be asked.
    pub(crate) fn set_not_before(
        &self,
        service: &str,
        not_before_ms: Option<i64>,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO sync_state (service, not_before_ms, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (service) DO UPDATE SET
                     not_before_ms = excluded.not_before_ms, updated_at = excluded.updated_at",
                params![service, not_before_ms, now()],
            )
            .map(drop)
            .map_err(|e| self.sql(e))
    }

    /// Where a walk that re-reads an overlap starts (exclusive, Unix milliseconds): the
    /// earlier of just before the `plays`-th newest stored play of `service` (the oldest,
    /// if fewer are stored) and `span_ms` before the newest. `None` when none is stored.
    /// Plays only an export has do not count: the service never lists them.
    pub(crate) fn overlap_start(
        &self,
        service: &str,
        plays: usize,
        span_ms: i64,
    ) -> Result<Option<i64>, StoreError> {
        let nth_newest = |n: usize| {
            self.conn
                .query_row(
                    "SELECT played_at_ms FROM plays WHERE service = ?1 AND source != 'export'
                     ORDER BY played_at_ms DESC LIMIT 1 OFFSET ?2",
                    params![service, n as i64],
                    |row| row.get::<_, i64>(0),
                )
                .optional()
                .map_err(|e| self.sql(e))
        };
        let Some(newest) = nth_newest(0)? else {
            return Ok(None);
        };
        let oldest = self
            .conn
            .query_row(
                "SELECT min(played_at_ms) FROM plays WHERE service = ?1 AND source != 'export'",
                [service],
                |row| row.get::<_, i64>(0),
            )
            .map_err(|e| self.sql(e))?;
        let by_count = nth_newest(plays.saturating_sub(1))?.unwrap_or(oldest);
        Ok(Some(
            by_count
                .saturating_sub(1)
                .min(newest.saturating_sub(span_ms))
                .max(0),
        ))
    }

    /// Stores `records` (those already stored are left as they are) and `state`, in one
    /// transaction: after a crash, the file holds the page and where the sync stood after
    /// it, or neither. Says what was new.
    pub(crate) fn commit_page(
        &mut self,
        service: &str,
        records: &[ListeningRecord],
        state: &SyncState,
    ) -> Result<Committed, StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        let inserted = insert_plays(&tx, records).map_err(sql)?;
        write_state(&tx, service, state).map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(inserted)
    }

    /// Notes a gap.
    pub(crate) fn record_gap(&self, service: &str, gap: &Gap) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO gaps (service, detected_at, after_ms, before_ms, new_plays, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    service,
                    now(),
                    gap.after_ms,
                    gap.before_ms,
                    gap.new_plays as i64,
                    gap.note
                ],
            )
            .map(drop)
            .map_err(|e| self.sql(e))
    }

    /// The newest play of `service` a sync stored: `(played_at_ms, key)` (a play only an
    /// export has is none: the service never lists it).
    pub(crate) fn newest(&self, service: &str) -> Result<Option<(i64, String)>, StoreError> {
        self.conn
            .query_row(
                "SELECT played_at_ms, play_key FROM plays WHERE service = ?1 AND source != 'export'
                 ORDER BY played_at_ms DESC LIMIT 1",
                [service],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// How many plays of `service` are stored.
    pub(crate) fn count(&self, service: &str) -> Result<usize, StoreError> {
        self.conn
            .query_row(
                "SELECT count(*) FROM plays WHERE service = ?1",
                [service],
                |row| row.get::<_, i64>(0),
            )
            .map(|n| n.max(0) as usize)
            .map_err(|e| self.sql(e))
    }

    /// Calls `each` with every stored play that `filter` selects, oldest first, one row at
    /// a time (memory does not grow with the history).
    pub(crate) fn for_each(
        &self,
        filter: &Filter,
        mut each: impl FnMut(ListeningRecord) -> Result<(), ExportStop>,
    ) -> Result<(), ExportStop> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT service, played_at_ms, play_key, kind, item_id, title, artists, album,
                        duration_ms, isrc, context, raw, source, playback
                 FROM plays
                 WHERE (?1 IS NULL OR service = ?1)
                   AND (?2 IS NULL OR played_at_ms > ?2)
                   AND (?3 IS NULL OR played_at_ms <= ?3)
                 ORDER BY played_at_ms, service, play_key",
            )
            .map_err(|e| ExportStop::Store(self.sql(e)))?;
        let mut rows = stmt
            .query(params![
                filter.service,
                filter.since.map(|t| t.timestamp_millis()),
                filter.until.map(|t| t.timestamp_millis())
            ])
            .map_err(|e| ExportStop::Store(self.sql(e)))?;
        while let Some(row) = rows.next().map_err(|e| ExportStop::Store(self.sql(e)))? {
            let record = record_from_row(row).map_err(|e| ExportStop::Store(self.sql(e)))?;
            each(record)?;
        }
        Ok(())
    }
}

/// Why a read of the store stopped.
#[derive(Debug)]
pub(crate) enum ExportStop {
    /// The database failed.
    Store(StoreError),
    /// Writing failed (a closed pipe, a full disk).
    Output(std::io::Error),
}

fn record_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ListeningRecord> {
    let text_failure = |column, e: Box<dyn std::error::Error + Send + Sync>| {
        rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, e)
    };
    let service: String = row.get(0)?;
    let ms: i64 = row.get(1)?;
    let artists: String = row.get(6)?;
    let raw: String = row.get(11)?;
    let source: String = row.get(12)?;
    let playback: Option<String> = row.get(13)?;
    Ok(ListeningRecord {
        service: service.parse().map_err(|e| text_failure(0, Box::new(e)))?,
        played_at: DateTime::from_timestamp_millis(ms)
            .ok_or_else(|| rusqlite::Error::IntegralValueOutOfRange(1, ms))?,
        key: row.get(2)?,
        kind: row.get(3)?,
        id: row.get(4)?,
        title: row.get(5)?,
        artists: serde_json::from_str(&artists).map_err(|e| text_failure(6, Box::new(e)))?,
        album: row.get(7)?,
        duration_ms: row
            .get::<_, Option<i64>>(8)?
            .and_then(|ms| u64::try_from(ms).ok()),
        isrc: row.get(9)?,
        context: row.get(10)?,
        item: serde_json::from_str(&raw).map_err(|e| text_failure(11, Box::new(e)))?,
        source: source.parse().map_err(|e| text_failure(12, Box::new(e)))?,
        playback: playback
            .map(|text| serde_json::from_str(&text))
            .transpose()
            .map_err(|e| text_failure(13, Box::new(e)))?,
    })
}

fn insert_plays(tx: &Transaction<'_>, records: &[ListeningRecord]) -> rusqlite::Result<Committed> {
    // The unique key (service, played_at_ms, play_key) makes a play seen again a no-op:
    // overlaps between polls, and pages stored before a crash, are not stored twice.
    let mut exists = tx.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM plays
                        WHERE service = ?1 AND played_at_ms = ?2 AND play_key = ?3)",
    )?;
    let mut committed = Committed::default();
    for record in records {
        let at = record.played_at_ms();
        let stored: bool = exists
            .query_row(params![record.service.as_str(), at, record.key], |row| {
                row.get(0)
            })?;
        // A play an imported export already has becomes this one, keeping what the
        // export says: the same listen is not stored a second time.
        if stored || (record.source == Source::Api && join_export_row(tx, record)?) {
            continue;
        }
        let inserted = insert_play(tx, record, None)?;
        if inserted > 0 {
            committed.new += inserted;
            committed.oldest_new_ms = Some(committed.oldest_new_ms.map_or(at, |o| o.min(at)));
        }
    }
    Ok(committed)
}

/// Inserts `record` unless its unique key (or `export_key`) is stored: how many rows it
/// added, 0 or 1.
fn insert_play(
    tx: &Transaction<'_>,
    record: &ListeningRecord,
    export_key: Option<&str>,
) -> rusqlite::Result<usize> {
    let mut insert = tx.prepare_cached(
        "INSERT OR IGNORE INTO plays
            (service, played_at, played_at_ms, play_key, kind, item_id, title, artists,
             album, duration_ms, isrc, context, raw, synced_at, source, export_key, playback)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?;
    insert.execute(params![
        record.service.as_str(),
        record.played_at_rfc3339(),
        record.played_at_ms(),
        record.key,
        record.kind,
        record.id,
        record.title,
        artists_json(record),
        record.album,
        record.duration_ms.and_then(|ms| i64::try_from(ms).ok()),
        record.isrc,
        record.context,
        record.item.to_string(),
        now(),
        record.source.as_str(),
        export_key,
        record.playback.as_ref().map(playback_json).transpose()?,
    ])
}

fn artists_json(record: &ListeningRecord) -> String {
    serde_json::Value::from(record.artists.clone()).to_string()
}

fn playback_json(playback: &Playback) -> rusqlite::Result<String> {
    serde_json::to_string(playback)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

// --- Imports (`recently-played import`, src/import/): plays from an export of the
// listening history, each stored once whichever source stored it first.

/// What a batch of imported plays did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Imported {
    /// Plays stored that no sync had (`source` `export`).
    pub(crate) new: usize,
    /// Rows joined to the play a sync had stored (`source` `api_and_export`).
    pub(crate) joined: usize,
    /// Rows an earlier import had stored already.
    pub(crate) already: usize,
}

impl Store {
    /// Stores plays read from an export (each a [`Source::Export`] record with its
    /// [`Playback`]), in one transaction: a row an earlier import stored is left alone, one
    /// that is the same listen as a play a sync stored ([`crate::import::matching`]) is
    /// joined to it, and the rest are added.
    pub(crate) fn import_batch(
        &mut self,
        records: &[ListeningRecord],
    ) -> Result<Imported, StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        let mut imported = Imported::default();
        for record in records {
            match import_play(&tx, record).map_err(sql)? {
                Joined::Already => imported.already += 1,
                Joined::ToStored => imported.joined += 1,
                Joined::New => imported.new += 1,
            }
        }
        tx.commit().map_err(sql)?;
        Ok(imported)
    }
}

/// What became of one imported row.
enum Joined {
    Already,
    ToStored,
    New,
}

fn import_play(tx: &Transaction<'_>, record: &ListeningRecord) -> rusqlite::Result<Joined> {
    let Some(playback) = &record.playback else {
        return Err(rusqlite::Error::ToSqlConversionFailure(
            "an imported play without what the export says of it".into(),
        ));
    };
    // The row's own name in the export: its time and what `key` says was played.
    let export_key = format!("{} {}", playback.ended_at.timestamp_millis(), record.key);
    let mut known =
        tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM plays WHERE export_key = ?1)")?;
    if known.query_row([&export_key], |row| row.get::<_, bool>(0))? {
        return Ok(Joined::Already);
    }
    let (from, to) = crate::import::matching::api_window(playback);
    // With an ID, the plays of that ID (by index); without, every play of the window.
    let mut candidates = tx.prepare_cached(
        "SELECT id, played_at_ms, item_id, title, artists FROM plays
         WHERE service = ?1 AND item_id = ?4 AND played_at_ms BETWEEN ?2 AND ?3
           AND source = 'api'
         UNION ALL
         SELECT id, played_at_ms, item_id, title, artists FROM plays
         WHERE ?4 IS NULL AND service = ?1 AND played_at_ms BETWEEN ?2 AND ?3
           AND source = 'api'",
    )?;
    let mut nearest: Option<(i64, i64, i64)> = None;
    let mut rows = candidates.query(params![record.service.as_str(), from, to, record.id])?;
    while let Some(row) = rows.next()? {
        let stored = crate::import::matching::Item {
            id: row.get(2)?,
            title: row.get(3)?,
            artists: serde_json::from_str(&row.get::<_, String>(4)?).unwrap_or_default(),
        };
        let at: i64 = row.get(1)?;
        if !stored.same_as(&crate::import::matching::Item::of(record)) {
            continue;
        }
        if let Some(distance) = crate::import::matching::distance(at, playback) {
            let candidate = (distance, at, row.get(0)?);
            nearest = Some(nearest.map_or(candidate, |n| n.min(candidate)));
        }
    }
    drop(rows);
    if let Some((_, _, id)) = nearest {
        tx.prepare_cached(
            "UPDATE plays SET source = 'api_and_export', export_key = ?2, playback = ?3
             WHERE id = ?1",
        )?
        .execute(params![id, export_key, playback_json(playback)?])?;
        return Ok(Joined::ToStored);
    }
    Ok(match insert_play(tx, record, Some(&export_key))? {
        0 => Joined::Already,
        _ => Joined::New,
    })
}

/// When `record`, a play a sync read, is a listen an imported export already has (a row
/// stored with `source` `export`), that row becomes this play, keeping what the export
/// says of it: whether it did.
fn join_export_row(tx: &Transaction<'_>, record: &ListeningRecord) -> rusqlite::Result<bool> {
    let at = record.played_at_ms();
    let (from, to) = crate::import::matching::export_window(at);
    // The rows of its ID, and those without one (the account data, local files), each by
    // index.
    let mut candidates = tx.prepare_cached(
        "SELECT id, item_id, title, artists, playback FROM plays
         WHERE service = ?1 AND item_id = ?4 AND played_at_ms BETWEEN ?2 AND ?3
           AND source = 'export'
         UNION ALL
         SELECT id, item_id, title, artists, playback FROM plays
         WHERE service = ?1 AND item_id IS NULL AND played_at_ms BETWEEN ?2 AND ?3
           AND source = 'export'",
    )?;
    let item = crate::import::matching::Item::of(record);
    let mut nearest: Option<(i64, i64)> = None;
    let mut rows = candidates.query(params![record.service.as_str(), from, to, record.id])?;
    while let Some(row) = rows.next()? {
        let stored = crate::import::matching::Item {
            id: row.get(1)?,
            title: row.get(2)?,
            artists: serde_json::from_str(&row.get::<_, String>(3)?).unwrap_or_default(),
        };
        let Some(playback) = row
            .get::<_, Option<String>>(4)?
            .and_then(|text| serde_json::from_str::<Playback>(&text).ok())
        else {
            continue;
        };
        if !stored.same_as(&item) {
            continue;
        }
        if let Some(distance) = crate::import::matching::distance(at, &playback) {
            let candidate = (distance, row.get(0)?);
            nearest = Some(nearest.map_or(candidate, |n| n.min(candidate)));
        }
    }
    drop(rows);
    let Some((_, id)) = nearest else {
        return Ok(false);
    };
    tx.prepare_cached(
        "UPDATE plays SET
            played_at = ?2, played_at_ms = ?3, play_key = ?4, kind = ?5, item_id = ?6,
            title = ?7, artists = ?8, album = ?9, duration_ms = ?10, isrc = ?11, context = ?12,
            raw = ?13, synced_at = ?14, source = 'api_and_export'
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        record.played_at_rfc3339(),
        at,
        record.key,
        record.kind,
        record.id,
        record.title,
        artists_json(record),
        record.album,
        record.duration_ms.and_then(|ms| i64::try_from(ms).ok()),
        record.isrc,
        record.context,
        record.item.to_string(),
        now(),
    ])?;
    Ok(true)
}

fn write_state(tx: &Transaction<'_>, service: &str, state: &SyncState) -> rusqlite::Result<()> {
    let state = serde_json::to_string(state)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    tx.execute(
        "INSERT INTO sync_state (service, state, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (service) DO UPDATE SET
             state = excluded.state, updated_at = excluded.updated_at",
        params![service, state, now()],
    )
    .map(drop)
}

fn now() -> String {
    DateTime::<Utc>::from(std::time::SystemTime::now())
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user_version(path: &Path) -> i64 {
        Connection::open(path)
            .unwrap()
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap()
    }

    #[test]
    fn a_new_database_is_at_the_latest_version_and_a_newer_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        drop(Store::open(&path).unwrap());
        assert_eq!(user_version(&path), MIGRATIONS.len() as i64);
        // Opening again migrates nothing and changes nothing.
        drop(Store::open(&path).unwrap());
        assert_eq!(user_version(&path), MIGRATIONS.len() as i64);

        let newer = MIGRATIONS.len() as i64 + 1;
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", newer)
            .unwrap();
        let refused = Store::open(&path).err().expect("a newer schema is refused");
        assert!(
            matches!(refused, StoreError::TooNew { version, .. } if version == newer),
            "{refused}"
        );
    }

    /// Where each sync stood in schema 2's columns is the same `SyncState` in schema 3's
    /// one JSON value, and a rate limit's time is kept.
    #[test]
    fn schema_2_sync_state_columns_become_the_same_state_and_the_rate_limit_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        let conn = Connection::open(&path).unwrap();
        for (version, migration) in MIGRATIONS[..2].iter().enumerate() {
            conn.execute_batch(migration).unwrap();
            conn.pragma_update(None, "user_version", version as i64 + 1)
                .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO sync_state (service, anchor_ms, anchor_key, pending_started,
                 pending_top_ms, pending_top_key, pending_cursor, pending_skip, updated_at,
                 not_before_ms)
             VALUES ('newest_first', 10, 'entry:a', 1, 30, 'entry:c', 'token 2', 4, 'x', NULL),
                    ('other', NULL, NULL, 1, NULL, NULL, NULL, NULL, 'x', NULL),
                    ('spotify', NULL, NULL, 0, NULL, NULL, NULL, NULL, 'x', 99);",
        )
        .unwrap();
        drop(conn);
        let store = Store::open(&path).unwrap();
        // (A service name no later migration touches: schema 5 restarts Amazon Music's.)
        assert_eq!(
            store.state("newest_first").unwrap(),
            SyncState {
                anchor: Some((10, "entry:a".into())),
                pending: Some(Pending {
                    top: Some((30, "entry:c".into())),
                    cursor: Some("token 2".into()),
                    skip: 4,
                }),
            }
        );
        assert_eq!(
            store.state("other").unwrap(),
            SyncState {
                anchor: None,
                pending: Some(Pending::default()),
            },
            "a walk started whose first page was not yet stored"
        );
        assert_eq!(store.state("spotify").unwrap(), SyncState::default());
        assert_eq!(store.not_before("spotify").unwrap(), Some(99));
        assert_eq!(store.state("never synced").unwrap(), SyncState::default());
    }

    #[tokio::test]
    async fn a_second_sync_waits_for_the_lock_and_gives_up_in_one_sentence() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        let held = lock_for_sync(&path, LOCK_PATIENCE).await.unwrap();
        let patience = std::time::Duration::from_millis(300);
        let started = std::time::Instant::now();
        let busy = lock_for_sync(&path, patience).await.err().expect("held");
        assert!(started.elapsed() >= patience);
        assert!(matches!(busy, StoreError::Busy { .. }), "{busy}");
        assert!(busy.to_string().contains("another sync of"), "{busy}");
        drop(held);
        assert!(
            lock_for_sync(&path, patience).await.is_ok(),
            "released when dropped"
        );
    }

    #[test]
    fn a_store_takes_either_kind_until_it_holds_a_play_then_refuses_the_other() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("history.sqlite3")).unwrap();
        store.claim(Holds::Sandbox).unwrap();
        store.claim(Holds::Services).unwrap();
        let play: ListeningRecord = serde_json::from_value(serde_json::json!({
            "service": "spotify", "played_at": "2024-05-01T12:00:00.000Z", "key": "play",
            "kind": "track", "id": "x", "title": "t", "artists": [], "album": null,
            "duration_ms": null, "isrc": null, "context": null, "item": {}
        }))
        .unwrap();
        store
            .commit_page("spotify", &[play], &SyncState::default())
            .unwrap();
        store.claim(Holds::Services).unwrap();
        let refused = store.claim(Holds::Sandbox).unwrap_err();
        assert!(matches!(refused, StoreError::Mixed { .. }), "{refused}");
    }
}

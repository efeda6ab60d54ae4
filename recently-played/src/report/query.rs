//! Reading the store for the report: opened read-only (a report never changes the file,
//! and reads a store a sync is writing), one row at a time into [`Figures`].

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, params};

use super::ReportError;
use super::figures::{Figures, StoredPlay};
use crate::store::Filter;

/// The first schema with the columns the report reads (`duration_ms`, `isrc`).
const FIRST_READABLE_VERSION: i64 = 3;

/// How long a read waits for a sync that is committing a page.
const BUSY_PATIENCE: Duration = Duration::from_secs(5);

/// A gap a sync recorded: plays between `after_ms` and `before_ms` may be missing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RecordedGap {
    /// The service's key.
    pub(crate) service: String,
    /// When the sync found it (RFC 3339, as stored).
    pub(crate) detected_at: String,
    /// The newest play stored before it.
    pub(crate) after_ms: Option<i64>,
    /// The oldest play found after it.
    pub(crate) before_ms: Option<i64>,
    /// The plays that poll found.
    pub(crate) new_plays: i64,
    /// What the sync said.
    pub(crate) note: String,
}

/// The store at `path`, opened for reading only.
pub(crate) fn open(path: &Path) -> Result<Connection, ReportError> {
    if !path.exists() {
        return Err(ReportError::NoDatabase(path.to_path_buf()));
    }
    let sql = sql_error(path);
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(&sql)?;
    conn.busy_timeout(BUSY_PATIENCE).map_err(&sql)?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(&sql)?;
    if version < FIRST_READABLE_VERSION {
        return Err(ReportError::OldSchema {
            path: path.to_path_buf(),
            version,
        });
    }
    Ok(conn)
}

/// Counts every play `filter` selects into `figures`, and returns the gaps recorded for
/// the range (those that end after its start and begin before its end), all in one read
/// transaction so that a sync committing meanwhile is seen whole or not at all.
pub(crate) fn read(
    conn: &mut Connection,
    path: &Path,
    filter: &Filter,
    figures: &mut Figures,
) -> Result<Vec<RecordedGap>, ReportError> {
    let sql = sql_error(path);
    let tx = conn.transaction().map_err(&sql)?;
    let since = filter.since.map(|t| t.timestamp_millis());
    let until = filter.until.map(|t| t.timestamp_millis());
    {
        let mut plays = tx
            .prepare(
                "SELECT service, played_at_ms, item_id, title, artists, album, duration_ms, isrc
                 FROM plays
                 WHERE (?1 IS NULL OR service = ?1)
                   AND (?2 IS NULL OR played_at_ms > ?2)
                   AND (?3 IS NULL OR played_at_ms <= ?3)",
            )
            .map_err(&sql)?;
        let mut rows = plays
            .query(params![filter.service, since, until])
            .map_err(&sql)?;
        while let Some(row) = rows.next().map_err(&sql)? {
            figures.add(play_from_row(row).map_err(&sql)?);
        }
    }
    let mut gaps = tx
        .prepare(
            "SELECT service, detected_at, after_ms, before_ms, new_plays, note FROM gaps
             WHERE (?1 IS NULL OR service = ?1)
               AND (?2 IS NULL OR before_ms IS NULL OR before_ms > ?2)
               AND (?3 IS NULL OR after_ms IS NULL OR after_ms <= ?3)
             ORDER BY detected_at, id",
        )
        .map_err(&sql)?;
    let found = gaps
        .query_map(params![filter.service, since, until], |row| {
            Ok(RecordedGap {
                service: row.get(0)?,
                detected_at: row.get(1)?,
                after_ms: row.get(2)?,
                before_ms: row.get(3)?,
                new_plays: row.get(4)?,
                note: row.get(5)?,
            })
        })
        .and_then(Iterator::collect)
        .map_err(&sql)?;
    Ok(found)
}

fn play_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredPlay> {
    let artists: String = row.get(4)?;
    Ok(StoredPlay {
        service: row.get(0)?,
        played_at_ms: row.get(1)?,
        item_id: row.get(2)?,
        title: row.get(3)?,
        artists: serde_json::from_str(&artists).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, Box::new(e))
        })?,
        album: row.get(5)?,
        duration_ms: row
            .get::<_, Option<i64>>(6)?
            .and_then(|ms| u64::try_from(ms).ok()),
        isrc: row.get(7)?,
    })
}

fn sql_error(path: &Path) -> impl Fn(rusqlite::Error) -> ReportError {
    let path: PathBuf = path.to_path_buf();
    move |source| ReportError::Sql {
        path: path.clone(),
        source,
    }
}

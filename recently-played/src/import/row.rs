//! One row of the export made a [`ListeningRecord`] (`source` `export`), whichever of its
//! generations wrote it:
//!
//! - the extended streaming history, `Streaming_History_Audio_*.json` and the older
//!   `endsong_*.json` (the same fields; the older names its IP address `ip_addr_decrypted`
//!   and adds `user_agent_decrypted` and `username`): `ts`, `ms_played`, the track's,
//!   episode's or audiobook chapter's names and URI, why it started and ended, `skipped`,
//!   `shuffle`, `offline`, `incognito_mode`, `platform`, `conn_country`;
//! - the account data, `StreamingHistory_music_*.json`: `endTime` (to the minute),
//!   `artistName`, `trackName`, `msPlayed`, and nothing else: no URI (so no ID, and a play
//!   is known by its names), no album, no reasons.
//!
//! Lenient where the export drifts: a field missing, null or of another type is `None`,
//! and every field is kept in the row, those not named here included. Strict where it
//! matters: a row without a time is an error.

use chrono::{DateTime, NaiveDateTime, Utc};
use listening_record::{ListeningRecord, Playback, Service, Source};
use serde_json::{Map, Value};

/// The fields that say who and where the user is, not what was played: the IP address
/// (`ip_addr`; older `ip_addr_decrypted`), the device's user agent (`user_agent_decrypted`)
/// and the account's name (`username`). Dropped unless asked for: a listening history is
/// shared, exported and charted, and years of addresses say where its owner lived and
/// travelled, which nothing here needs.
pub(crate) const PERSONAL_FIELDS: [&str; 4] = [
    "ip_addr",
    "ip_addr_decrypted",
    "user_agent_decrypted",
    "username",
];

/// Why a row is not a play.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum RowError {
    /// Neither `ts` nor `endTime`.
    NoTime,
    /// A time that is not one.
    BadTime { field: &'static str, value: String },
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoTime => f.write_str("has no time (`ts`, or `endTime` in the account data)"),
            Self::BadTime { field, value } => {
                write!(f, "has a `{field}` that is no time: {value:?}")
            }
        }
    }
}

/// The play `row` records; personal fields dropped unless `keep_personal`.
pub(crate) fn record(
    mut row: Map<String, Value>,
    keep_personal: bool,
) -> Result<ListeningRecord, RowError> {
    if !keep_personal {
        for field in PERSONAL_FIELDS {
            row.remove(field);
        }
    }
    if row.get("ts").is_some_and(|ts| !ts.is_null()) {
        extended(row)
    } else if row.get("endTime").is_some_and(|t| !t.is_null()) {
        account_data(row)
    } else {
        Err(RowError::NoTime)
    }
}

fn text(row: &Map<String, Value>, field: &str) -> Option<String> {
    row.get(field)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn flag(row: &Map<String, Value>, field: &str) -> Option<bool> {
    row.get(field).and_then(Value::as_bool)
}

fn count(row: &Map<String, Value>, field: &str) -> Option<u64> {
    row.get(field).and_then(Value::as_u64)
}

/// What was played, as the extended history names it.
struct Played {
    kind: &'static str,
    uri: Option<String>,
    title: Option<String>,
    artist: Option<String>,
    album: Option<String>,
}

fn played(row: &Map<String, Value>) -> Played {
    let track = Played {
        kind: "track",
        uri: text(row, "spotify_track_uri"),
        title: text(row, "master_metadata_track_name"),
        artist: text(row, "master_metadata_album_artist_name"),
        album: text(row, "master_metadata_album_album_name"),
    };
    let episode = || Played {
        kind: "episode",
        uri: text(row, "spotify_episode_uri"),
        title: text(row, "episode_name"),
        artist: None,
        album: text(row, "episode_show_name"),
    };
    let chapter = || Played {
        kind: "audiobook_chapter",
        uri: text(row, "audiobook_chapter_uri"),
        title: text(row, "audiobook_chapter_title"),
        artist: None,
        album: text(row, "audiobook_title"),
    };
    let named = |p: &Played| p.uri.is_some() || p.title.is_some();
    if named(&track) {
        return track;
    }
    [episode(), chapter()]
        .into_iter()
        .find(named)
        .unwrap_or(Played {
            kind: "unknown",
            ..track
        })
}

fn extended(row: Map<String, Value>) -> Result<ListeningRecord, RowError> {
    let ts = row.get("ts").ok_or(RowError::NoTime)?;
    let ended_at = ts
        .as_str()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| RowError::BadTime {
            field: "ts",
            value: ts.to_string(),
        })?;
    let played = played(&row);
    let playback = Playback {
        ended_at,
        ms_played: count(&row, "ms_played"),
        reason_start: text(&row, "reason_start"),
        reason_end: text(&row, "reason_end"),
        skipped: flag(&row, "skipped"),
        shuffle: flag(&row, "shuffle"),
        offline: flag(&row, "offline"),
        incognito_mode: flag(&row, "incognito_mode"),
        platform: text(&row, "platform"),
        conn_country: text(&row, "conn_country"),
        row: Value::Object(row),
    };
    Ok(exported(played, playback))
}

fn account_data(row: Map<String, Value>) -> Result<ListeningRecord, RowError> {
    let end_time = row.get("endTime").ok_or(RowError::NoTime)?;
    // "2021-10-14 17:54", in UTC.
    let ended_at = end_time
        .as_str()
        .and_then(|t| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M").ok())
        .map(|t| t.and_utc())
        .ok_or_else(|| RowError::BadTime {
            field: "endTime",
            value: end_time.to_string(),
        })?;
    let played = Played {
        kind: "track",
        uri: None,
        title: text(&row, "trackName"),
        artist: text(&row, "artistName"),
        album: None,
    };
    let playback = Playback {
        ended_at,
        ms_played: count(&row, "msPlayed"),
        reason_start: None,
        reason_end: None,
        skipped: None,
        shuffle: None,
        offline: None,
        incognito_mode: None,
        platform: None,
        conn_country: None,
        row: Value::Object(row),
    };
    Ok(exported(played, playback))
}

fn exported(played: Played, playback: Playback) -> ListeningRecord {
    // A URI names what was played; a local file, and every play of the account data,
    // has none, only names.
    let key = match &played.uri {
        Some(uri) => format!("export:{uri}"),
        None => format!(
            "export:{}:{}\u{1f}{}",
            played.kind,
            played.title.as_deref().unwrap_or_default(),
            played.artist.as_deref().unwrap_or_default()
        ),
    };
    ListeningRecord {
        service: Service::Spotify,
        // Stored at its end, as the export dates it; joined to a play a sync stored, at
        // the API's time.
        played_at: playback.ended_at,
        key,
        kind: played.kind.to_string(),
        // `spotify:track:4iV5W9uYEdYUVa79Axb7Rh`: the ID the API gives is its last part.
        id: played
            .uri
            .as_deref()
            .map(|uri| uri.rsplit(':').next().unwrap_or(uri).to_string()),
        title: played.title,
        artists: played.artist.into_iter().collect(),
        album: played.album,
        duration_ms: None,
        isrc: None,
        context: None,
        item: Value::Null,
        source: Source::Export,
        playback: Some(playback),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_of(row: Value) -> &'static str {
        played(row.as_object().expect("an object")).kind
    }

    #[test]
    fn a_row_is_a_track_an_episode_a_chapter_or_of_an_unknown_kind() {
        use serde_json::json;
        assert_eq!(kind_of(json!({"master_metadata_track_name": "T"})), "track");
        assert_eq!(
            kind_of(json!({"spotify_track_uri": "spotify:track:1"})),
            "track"
        );
        assert_eq!(kind_of(json!({"episode_name": "E"})), "episode");
        assert_eq!(
            kind_of(json!({"audiobook_chapter_title": "C"})),
            "audiobook_chapter"
        );
        assert_eq!(kind_of(json!({"ts": "2024-05-01T10:00:00Z"})), "unknown");
    }
}

#![doc = include_str!("../README.md")]

use amazon_music_web_api::types::{EntityPlaybackEdge, TrackPlaybackEdge};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use spotify_web_api::types::PlayHistory;

/// The `service` of a Spotify play (the client's `SERVICE`).
pub const SPOTIFY: &str = spotify_web_api::SERVICE;

/// The `service` of an Amazon Music play (the client's `SERVICE`).
pub const AMAZON_MUSIC: &str = amazon_music_web_api::SERVICE;

/// The [`ListeningRecord::key`] of every Spotify play: with the service and the time of
/// play, the time alone names a Spotify play.
pub const SPOTIFY_PLAY_KEY: &str = "play";

/// One play, normalized: the fields both services have, named alike, plus the play as the
/// client decoded it.
///
/// Serialized (JSON Lines, the store's columns) with its fields in this order; `played_at`
/// as RFC 3339 at millisecond precision, the unit of both services' times.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListeningRecord {
    /// Which service: [`SPOTIFY`] or [`AMAZON_MUSIC`].
    pub service: String,
    /// When the play happened (millisecond precision).
    #[serde(with = "millis_rfc3339")]
    pub played_at: DateTime<Utc>,
    /// What was played: Spotify's `track.type` (`"track"`, `"episode"`), Amazon Music's
    /// `_type` (`"Track"`, `"Album"`, `"Playlist"`, …, or an unknown kind as sent).
    pub kind: String,
    /// The catalogue ID of what was played, where it has one (a local file has none).
    pub id: Option<String>,
    /// Its title, where known.
    pub title: Option<String>,
    /// Its artists' names, in the service's order; empty where the service gives none
    /// (Amazon Music's history nodes carry no artists).
    pub artists: Vec<String>,
    /// The album's name, where the service gives one (Spotify's tracks).
    pub album: Option<String>,
    /// Where it was played from: Spotify's context URI (`spotify:playlist:…`); `None` when
    /// there was none, and always for Amazon Music, whose history says nothing of it.
    pub context: Option<String>,
    /// The play exactly as the client decoded it, serialized back.
    pub item: Value,
}

impl ListeningRecord {
    /// `played_at` in Unix milliseconds, as the store keeps it.
    pub fn played_at_ms(&self) -> i64 {
        self.played_at.timestamp_millis()
    }

    /// `played_at` as written: RFC 3339 in UTC with milliseconds.
    pub fn played_at_rfc3339(&self) -> String {
        self.played_at.to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    /// What names this play within its service and time of play, so that the same play
    /// stored twice is recognised: with `service` and `played_at` it is the store's unique
    /// key.
    ///
    /// - Spotify: nothing more than the time, [`SPOTIFY_PLAY_KEY`]. The same play can come
    ///   back with another track ID (track relinking, spotify/web-api #1232), so an ID in
    ///   the key would store it twice. An account plays one stream at a time (a second
    ///   device takes playback over), so two different plays never share a millisecond;
    ///   what this would wrongly merge is two plays the service itself dates to the same
    ///   millisecond, which its cursors cannot tell apart either.
    /// - Amazon Music: `entry:` and the history entry's `id` when the edge has one (it
    ///   names this very play), else `kind:` and the node's ID, else `kind:title`.
    pub fn key(&self) -> String {
        if self.service != AMAZON_MUSIC {
            return SPOTIFY_PLAY_KEY.to_string();
        }
        if let Some(entry) = self.item.get("id").and_then(Value::as_str) {
            return format!("entry:{entry}");
        }
        match &self.id {
            Some(id) => format!("{}:{id}", self.kind),
            None => format!("{}:{}", self.kind, self.title.as_deref().unwrap_or("")),
        }
    }

    /// The artists as one CSV cell: names joined by `"; "`.
    pub fn artists_joined(&self) -> String {
        self.artists.join("; ")
    }
}

/// The fields are read from the item's JSON rather than its Rust fields, so that the
/// client crates may refine their item types without this conversion changing.
impl From<PlayHistory> for ListeningRecord {
    fn from(play: PlayHistory) -> Self {
        let played_at = play.played_at;
        let item = serde_json::to_value(&play).unwrap_or(Value::Null);
        let text = |pointer: &str| {
            item.pointer(pointer)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let artists = item
            .pointer("/track/artists")
            .and_then(Value::as_array)
            .map(|artists| {
                artists
                    .iter()
                    .filter_map(|a| a.get("name").and_then(Value::as_str))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        Self {
            service: SPOTIFY.to_string(),
            played_at,
            kind: text("/track/type").unwrap_or_else(|| "track".to_string()),
            id: text("/track/id"),
            title: text("/track/name"),
            artists,
            album: text("/track/album/name"),
            context: text("/context/uri"),
            item,
        }
    }
}

impl From<EntityPlaybackEdge> for ListeningRecord {
    fn from(edge: EntityPlaybackEdge) -> Self {
        let played_at = edge.played_date;
        let kind = edge.node.kind().to_string();
        let id = edge.node.id().map(str::to_string);
        let title = edge.node.title().map(str::to_string);
        Self {
            service: AMAZON_MUSIC.to_string(),
            played_at,
            kind,
            id,
            title,
            artists: Vec::new(),
            album: None,
            context: None,
            item: serde_json::to_value(&edge).unwrap_or(Value::Null),
        }
    }
}

impl From<TrackPlaybackEdge> for ListeningRecord {
    fn from(edge: TrackPlaybackEdge) -> Self {
        let item = serde_json::to_value(&edge).unwrap_or(Value::Null);
        let text = |pointer: &str| {
            item.pointer(pointer)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        Self {
            service: AMAZON_MUSIC.to_string(),
            played_at: edge.played_at,
            kind: "Track".to_string(),
            id: text("/node/id"),
            title: text("/node/title"),
            artists: Vec::new(),
            album: None,
            context: None,
            item,
        }
    }
}

/// `played_at` as RFC 3339 with milliseconds, `Z` for UTC.
mod millis_rfc3339 {
    use chrono::{DateTime, SecondsFormat, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(time: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&time.to_rfc3339_opts(SecondsFormat::Millis, true))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use amazon_music_web_api::EntityNode;

    fn spotify_play(at: &str, track_id: &str) -> ListeningRecord {
        let play: PlayHistory = serde_json::from_value(serde_json::json!({
            "played_at": at, "context": null,
            "track": {
                "id": track_id, "name": "Song", "type": "track",
                "uri": format!("spotify:track:{track_id}"), "artists": [],
                "available_markets": [], "disc_number": 1, "duration_ms": 1,
                "explicit": false, "external_urls": {}, "track_number": 1
            }
        }))
        .unwrap();
        ListeningRecord::from(play)
    }

    #[test]
    fn a_relinked_spotify_play_has_the_same_key_and_time_and_another_play_another_time() {
        let play = spotify_play("2024-05-01T11:59:59.123Z", "4iV5W9uYEdYUVa79Axb7Rh");
        let relinked = spotify_play("2024-05-01T11:59:59.123Z", "0relinkedTrackId000000");
        assert_ne!(play.id, relinked.id);
        assert_eq!(
            (play.played_at_ms(), play.key()),
            (relinked.played_at_ms(), relinked.key())
        );
        let later = spotify_play("2024-05-01T11:59:59.124Z", "4iV5W9uYEdYUVa79Axb7Rh");
        assert_ne!(
            (play.played_at_ms(), play.key()),
            (later.played_at_ms(), later.key())
        );
    }

    #[test]
    fn an_amazon_edge_is_keyed_by_its_history_entry_and_round_trips_through_json() {
        let edge = EntityPlaybackEdge {
            id: Some("recentlyPlayedId2".into()),
            node: serde_json::from_value::<EntityNode>(serde_json::json!(
                {"_type": "Album", "id": "B0847V9254", "title": "Changes"}
            ))
            .unwrap(),
            played_date: DateTime::from_timestamp_millis(1_657_843_360_566).unwrap(),
        };
        let record = ListeningRecord::from(edge);
        assert_eq!(record.kind, "Album");
        assert_eq!(record.key(), "entry:recentlyPlayedId2");
        assert_eq!(record.played_at_rfc3339(), "2022-07-15T00:02:40.566Z");
        let line = serde_json::to_string(&record).unwrap();
        assert_eq!(
            serde_json::from_str::<ListeningRecord>(&line).unwrap(),
            record
        );
    }
}

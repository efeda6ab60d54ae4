#![doc = include_str!("../README.md")]

use std::fmt;
use std::str::FromStr;

use amazon_music_web_api::types::{CatalogTrack, EntityPlaybackEdge, TrackPlaybackEdge};
use chrono::{DateTime, SecondsFormat, Utc};
use listenbrainz_api::types::{Listen, MbidMapping};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use spotify_web_api::incremental::Play;
use spotify_web_api::types::PlayHistory;

/// The [`ListeningRecord::key`] of every Spotify play: with the service and the time of
/// play, the time alone names a Spotify play (`spotify_web_api::PLAY_KEY`).
pub const SPOTIFY_PLAY_KEY: &str = spotify_web_api::PLAY_KEY;

/// A service whose plays a record can hold, written as its client's `SERVICE` name
/// (`"spotify"`, `"amazon_music"`) in JSON, CSV and the store.
///
/// ```
/// use listening_record::Service;
///
/// let service: Service = "amazon_music".parse()?;
/// assert_eq!(service, Service::AmazonMusic);
/// assert_eq!(service.to_string(), amazon_music_web_api::SERVICE);
/// assert_eq!(serde_json::to_string(&Service::Spotify)?, r#""spotify""#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Service {
    /// Spotify's recently played tracks (`spotify_web_api`).
    Spotify,
    /// Amazon Music's recently played history (`amazon_music_web_api`).
    AmazonMusic,
    /// A ListenBrainz user's listens (`listenbrainz_api`).
    #[serde(rename = "listenbrainz")]
    ListenBrainz,
}

impl Service {
    /// Every service, in the order the program lists them.
    pub const ALL: [Self; 3] = [Self::Spotify, Self::AmazonMusic, Self::ListenBrainz];

    /// The name stored and written: the client crate's `SERVICE`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Spotify => spotify_web_api::SERVICE,
            Self::AmazonMusic => amazon_music_web_api::SERVICE,
            Self::ListenBrainz => listenbrainz_api::SERVICE,
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A service name that is none of [`Service::ALL`].
///
/// ```
/// let error = "tidal".parse::<listening_record::Service>().unwrap_err();
/// assert_eq!(error.to_string(), "no service is named `tidal` (spotify, amazon_music, listenbrainz)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownService(pub String);

impl fmt::Display for UnknownService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Service::ALL.iter().map(|s| s.as_str()).collect();
        write!(f, "no service is named `{}` ({})", self.0, names.join(", "))
    }
}

impl std::error::Error for UnknownService {}

impl FromStr for Service {
    type Err = UnknownService;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == name)
            .ok_or_else(|| UnknownService(name.to_string()))
    }
}

/// Where a record came from: an API's history, an export of the listening history, or
/// both (a play an API listed that the export also has, stored once).
///
/// ```
/// use listening_record::Source;
///
/// assert_eq!("api_and_export".parse::<Source>(), Ok(Source::ApiAndExport));
/// assert_eq!(Source::Export.to_string(), "export");
/// assert_eq!(serde_json::to_string(&Source::Api)?, r#""api""#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Listed by the service's API (a sync).
    #[default]
    Api,
    /// Only in an export of the listening history (`recently-played import`): skips,
    /// short plays, podcast episodes, audiobooks, offline plays, plays before the first
    /// sync.
    Export,
    /// Listed by the API and found in an export too: the API's fields, and the export's
    /// account of the play in [`ListeningRecord::playback`].
    ApiAndExport,
}

impl Source {
    /// Every source.
    pub const ALL: [Self; 3] = [Self::Api, Self::Export, Self::ApiAndExport];

    /// The name stored and written.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Api => "api",
            Self::Export => "export",
            Self::ApiAndExport => "api_and_export",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Source {
    type Err = UnknownSource;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == name)
            .ok_or_else(|| UnknownSource(name.to_string()))
    }
}

/// A source name that is none of [`Source::ALL`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownSource(pub String);

impl fmt::Display for UnknownSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no source is named `{}` (api, export, api_and_export)",
            self.0
        )
    }
}

impl std::error::Error for UnknownSource {}

/// How a play went, as an export of the listening history tells it (Spotify's "Extended
/// streaming history", or its shorter account data): what no API says, kept so that a
/// user can filter on it (skips, short plays, offline or private plays).
///
/// Each field is `None` where the export's row lacks it (the account data has only the
/// time, the names and `ms_played`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Playback {
    /// When the stream ended: the export's `ts` (to the second), or the account data's
    /// `endTime` (to the minute).
    #[serde(with = "millis_rfc3339")]
    pub ended_at: DateTime<Utc>,
    /// How long it was listened to, in milliseconds (`ms_played`, `msPlayed`).
    pub ms_played: Option<u64>,
    /// Why it started (`trackdone`, `clickrow`, `fwdbtn`, ...).
    pub reason_start: Option<String>,
    /// Why it ended (`trackdone`, `fwdbtn`, `endplay`, `logout`, ...).
    pub reason_end: Option<String>,
    /// Whether it was skipped.
    pub skipped: Option<bool>,
    /// Whether shuffle was on.
    pub shuffle: Option<bool>,
    /// Whether it was played offline.
    pub offline: Option<bool>,
    /// Whether it was played in a private session.
    pub incognito_mode: Option<bool>,
    /// The device's platform, as the export names it.
    pub platform: Option<String>,
    /// The country of the connection (ISO 3166-1 alpha-2).
    pub conn_country: Option<String>,
    /// The export's row as it was read: every field, those this crate does not name
    /// included (personal ones, such as the IP address, only where the importer kept them).
    pub row: Value,
}

/// A play that could not be made a record: its decoded form could not be written back as
/// JSON (`item`; not seen with the clients' types, whose every field serializes), or its
/// time is outside what a record holds (a ListenBrainz `listened_at` beyond chrono's
/// range). Kept typed so that either is an error, never a silent `null`.
#[derive(Debug)]
pub struct RecordError(Why);

#[derive(Debug)]
enum Why {
    Json(serde_json::Error),
    Time(i64),
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Why::Json(e) => write!(f, "the play could not be kept as JSON: {e}"),
            Why::Time(seconds) => write!(f, "the play's time ({seconds} s) is out of range"),
        }
    }
}

impl std::error::Error for RecordError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0 {
            Why::Json(e) => Some(e),
            Why::Time(_) => None,
        }
    }
}

/// One play, normalized: the fields every service has, named alike, plus the play as the
/// client decoded it.
///
/// Serialized (JSON Lines, the store's columns) with its fields in this order; `played_at`
/// as RFC 3339 at millisecond precision, the unit of both services' times.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListeningRecord {
    /// Which service.
    pub service: Service,
    /// When the play happened (millisecond precision).
    #[serde(with = "millis_rfc3339")]
    pub played_at: DateTime<Utc>,
    /// What names this play within its service and time of play, so that the same play
    /// stored twice is recognised: with `service` and `played_at` it is the store's unique
    /// key. It is the client's `incremental::Play::play_id`, whose docs give each rule.
    pub key: String,
    /// What was played: Spotify's `track.type` (`"track"`, `"episode"`), Amazon Music's
    /// `_type` (`"Track"`, `"Album"`, `"Playlist"`, …, or an unknown kind as sent).
    pub kind: String,
    /// The catalogue ID of what was played, where it has one (a local file has none).
    pub id: Option<String>,
    /// Its title, where known.
    pub title: Option<String>,
    /// Its artists' names, in the service's order; empty where the service gives none.
    pub artists: Vec<String>,
    /// The album's name, where the service gives one.
    pub album: Option<String>,
    /// How long the recording is, in milliseconds, where the service says.
    pub duration_ms: Option<u64>,
    /// The recording's ISRC, where the service gives one: what names the same recording
    /// on two services.
    pub isrc: Option<String>,
    /// Where it was played from: Spotify's context URI (`spotify:playlist:…`); `None` when
    /// there was none, and for services whose history says nothing of it.
    pub context: Option<String>,
    /// The play exactly as the client decoded it, serialized back; `null` for a play only
    /// an export has (its row is in [`playback`](Self::playback)).
    pub item: Value,
    /// Where the record came from (absent from records written before there were exports:
    /// `api`).
    #[serde(default)]
    pub source: Source,
    /// What the export says of the play, where an export has it (`source` `export` or
    /// `api_and_export`).
    #[serde(default)]
    pub playback: Option<Playback>,
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

    /// The artists as one CSV cell: names joined by `"; "`.
    pub fn artists_joined(&self) -> String {
        self.artists.join("; ")
    }
}

fn item_json(play: &impl Serialize) -> Result<Value, RecordError> {
    serde_json::to_value(play).map_err(|e| RecordError(Why::Json(e)))
}

/// A Spotify play, keyed [`SPOTIFY_PLAY_KEY`]: the time alone names it.
impl TryFrom<PlayHistory> for ListeningRecord {
    type Error = RecordError;

    fn try_from(play: PlayHistory) -> Result<Self, RecordError> {
        let item = item_json(&play)?;
        let key = play.play_id().key;
        let PlayHistory {
            context,
            played_at,
            track,
        } = play;
        Ok(Self {
            service: Service::Spotify,
            played_at,
            key,
            kind: track.type_,
            id: track.id,
            title: Some(track.name),
            artists: track.artists.into_iter().map(|a| a.name).collect(),
            album: track.album.map(|a| a.name),
            duration_ms: u64::try_from(track.duration_ms).ok(),
            isrc: track.external_ids.and_then(|ids| ids.isrc),
            context: context.map(|c| c.uri),
            item,
            source: Source::Api,
            playback: None,
        })
    }
}

/// An Amazon Music entity play: keyed by its history entry where the edge names one.
impl TryFrom<EntityPlaybackEdge> for ListeningRecord {
    type Error = RecordError;

    fn try_from(edge: EntityPlaybackEdge) -> Result<Self, RecordError> {
        let item = item_json(&edge)?;
        let kind = edge.node.kind().to_string();
        let id = edge.node.id().map(str::to_string);
        let title = edge.node.title().map(str::to_string);
        let key = edge.play_id().key;
        Ok(Self {
            service: Service::AmazonMusic,
            played_at: edge.played_date,
            key,
            kind,
            id,
            title,
            artists: Vec::new(),
            album: None,
            duration_ms: None,
            isrc: None,
            context: None,
            item,
            source: Source::Api,
            playback: None,
        })
    }
}

/// An Amazon Music track play: keyed by its track.
impl TryFrom<TrackPlaybackEdge> for ListeningRecord {
    type Error = RecordError;

    fn try_from(edge: TrackPlaybackEdge) -> Result<Self, RecordError> {
        let item = item_json(&edge)?;
        let key = edge.play_id().key;
        let TrackPlaybackEdge { node, played_at } = edge;
        Ok(Self {
            service: Service::AmazonMusic,
            played_at,
            key,
            kind: "Track".to_string(),
            id: Some(node.id),
            title: node.title,
            artists: Vec::new(),
            album: None,
            duration_ms: None,
            isrc: None,
            context: None,
            item,
            source: Source::Api,
            playback: None,
        })
    }
}

/// A ListenBrainz listen: keyed by its `recording_msid` (with its time, what the server
/// keeps one listen per). Its artists are the mapped MusicBrainz artist credits when the
/// listen is mapped, else the `artist_name` as submitted; its `id` the recording's
/// MusicBrainz ID (mapped, else as submitted); `isrc` and `duration_ms` (or `duration`, in
/// seconds) as the submitting player gave them in `additional_info`.
impl TryFrom<Listen> for ListeningRecord {
    type Error = RecordError;

    fn try_from(listen: Listen) -> Result<Self, RecordError> {
        let item = item_json(&listen)?;
        let key = listenbrainz_api::incremental::Play::play_id(&listen).key;
        let played_at = DateTime::from_timestamp(listen.listened_at, 0)
            .ok_or(RecordError(Why::Time(listen.listened_at)))?;
        let track = listen.track_metadata;
        let info = track.additional_info;
        let mapping: Option<MbidMapping> = track.mbid_mapping;
        let artists = match &mapping {
            Some(mapping) if !mapping.artists.is_empty() => mapping
                .artists
                .iter()
                .map(|artist| artist.artist_credit_name.clone())
                .collect(),
            _ => vec![track.artist_name],
        };
        let id = mapping
            .map(|mapping| mapping.recording_mbid)
            .or(info.recording_mbid);
        let duration_ms = whole_number(info.duration_ms.as_ref())
            .or_else(|| whole_number(info.duration.as_ref()).and_then(|s| s.checked_mul(1000)));
        Ok(Self {
            service: Service::ListenBrainz,
            played_at,
            key,
            kind: "track".to_string(),
            id,
            title: Some(track.track_name),
            artists,
            album: track.release_name,
            duration_ms,
            isrc: info
                .isrc
                .as_ref()
                .and_then(Value::as_str)
                .map(str::to_string),
            context: None,
            item,
            source: Source::Api,
            playback: None,
        })
    }
}

/// A length as the player submitted it: a positive whole number, or text or a float that
/// reads as one (the server checks only listens submitted since 2022-04-12).
fn whole_number(value: Option<&Value>) -> Option<u64> {
    let value = value?;
    let number = match value {
        Value::String(text) => text.trim().parse::<f64>().ok()?,
        other => other.as_f64()?,
    };
    (1.0..1e15).contains(&number).then_some(number as u64)
}

/// What Amazon Music's catalog (`GET /tracks/{id}`) adds to the plays of a track, in the
/// record's terms: the artists' names in the catalog's order, the album's title, the length
/// in milliseconds (the catalog gives whole seconds) and the ISRC.
///
/// ```
/// use amazon_music_web_api::types::CatalogTrack;
/// use listening_record::TrackDetails;
///
/// let track: CatalogTrack = serde_json::from_value(serde_json::json!({
///     "id": "B076YT2CBT", "duration": 232, "isrc": "USQ4E1300686",
///     "album": {"id": "B076YSK8CS", "title": "G I R L"},
///     "artists": [{"id": "B000QJPQTA", "name": "Pharrell Williams"}]
/// }))?;
/// let details = TrackDetails::from(&track);
/// assert_eq!(details.artists, ["Pharrell Williams"]);
/// assert_eq!((details.album.as_deref(), details.duration_ms), (Some("G I R L"), Some(232_000)));
/// assert_eq!(details.isrc.as_deref(), Some("USQ4E1300686"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrackDetails {
    /// The artists' names, in the catalog's order (an artist without a name is left out).
    pub artists: Vec<String>,
    /// The album's title.
    pub album: Option<String>,
    /// The track's length in milliseconds.
    pub duration_ms: Option<u64>,
    /// The recording's ISRC.
    pub isrc: Option<String>,
}

impl From<&CatalogTrack> for TrackDetails {
    fn from(track: &CatalogTrack) -> Self {
        Self {
            artists: track
                .artists
                .iter()
                .filter_map(|artist| artist.name.clone())
                .collect(),
            album: track.album.as_ref().and_then(|album| album.title.clone()),
            duration_ms: track.duration.map(|seconds| seconds.saturating_mul(1_000)),
            isrc: track.isrc.clone().filter(|isrc| !isrc.is_empty()),
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

    fn listen(listened_at: i64, track_metadata: Value) -> Result<ListeningRecord, RecordError> {
        let listen: Listen = serde_json::from_value(serde_json::json!({
            "listened_at": listened_at, "inserted_at": 1_700_000_500,
            "recording_msid": "msid-1", "user_name": "rob",
            "track_metadata": track_metadata,
        }))
        .unwrap();
        ListeningRecord::try_from(listen)
    }

    #[test]
    fn a_mapped_listen_names_the_credited_artists_the_recording_and_what_the_player_gave() {
        let record = listen(
            1_700_000_000,
            serde_json::json!({
                "artist_name": "A feat. B", "track_name": "Song", "release_name": "Album",
                "additional_info": {"recording_msid": "msid-1", "isrc": "GBAYE0000001",
                                    "duration_ms": 215_000, "recording_mbid": "submitted"},
                "mbid_mapping": {"recording_mbid": "mapped", "artists": [
                    {"artist_credit_name": "A", "artist_mbid": "a", "join_phrase": " feat. "},
                    {"artist_credit_name": "B", "artist_mbid": "b", "join_phrase": ""}]}
            }),
        )
        .unwrap();
        assert_eq!(record.service, Service::ListenBrainz);
        assert_eq!(
            (record.key.as_str(), record.played_at_ms()),
            ("msid-1", 1_700_000_000_000)
        );
        assert_eq!(record.artists, ["A", "B"]);
        assert_eq!(record.id.as_deref(), Some("mapped"));
        assert_eq!(
            (record.title.as_deref(), record.album.as_deref()),
            (Some("Song"), Some("Album"))
        );
        assert_eq!(
            (record.isrc.as_deref(), record.duration_ms),
            (Some("GBAYE0000001"), Some(215_000))
        );
        assert_eq!(
            record.item["track_metadata"]["mbid_mapping"]["recording_mbid"],
            "mapped"
        );
    }

    #[test]
    fn an_unmapped_listen_keeps_what_was_submitted_and_refuses_a_time_out_of_range() {
        let record = listen(
            1_700_000_000,
            serde_json::json!({
                "artist_name": "A feat. B", "track_name": "Song",
                "additional_info": {"recording_msid": "msid-1", "duration": "240",
                                    "recording_mbid": "submitted", "isrc": 7}
            }),
        )
        .unwrap();
        assert_eq!(record.artists, ["A feat. B"]);
        assert_eq!(record.id.as_deref(), Some("submitted"));
        assert_eq!(
            (record.album, record.isrc, record.duration_ms),
            (None, None, Some(240_000))
        );
        for nonsense in [
            serde_json::json!(0),
            serde_json::json!(-5),
            serde_json::json!("long"),
            serde_json::json!(2.5e300),
        ] {
            let record = listen(
                1,
                serde_json::json!({
                    "artist_name": "A", "track_name": "S",
                    "additional_info": {"recording_msid": "msid-1", "duration_ms": nonsense}
                }),
            )
            .unwrap();
            assert_eq!(record.duration_ms, None, "{nonsense}");
        }
        let refused = listen(i64::MAX, serde_json::json!({
            "artist_name": "A", "track_name": "S", "additional_info": {"recording_msid": "msid-1"}
        }))
        .unwrap_err();
        assert!(refused.to_string().contains("out of range"), "{refused}");
    }

    fn spotify_play(at: &str, track_id: &str) -> ListeningRecord {
        let play: PlayHistory = serde_json::from_value(serde_json::json!({
            "played_at": at,
            "context": {"type": "playlist", "uri": "spotify:playlist:1", "href": null},
            "track": {
                "id": track_id, "name": "Song", "type": "track",
                "uri": format!("spotify:track:{track_id}"),
                "artists": [
                    {"name": "First", "type": "artist", "external_urls": {}},
                    {"name": "Second", "type": "artist", "external_urls": {}}
                ],
                "album": {"name": "The Album", "artists": [], "images": [], "external_urls": {}, "type": "album"},
                "available_markets": [], "disc_number": 1, "duration_ms": 215_000,
                "external_ids": {"isrc": "USUM71703861"},
                "explicit": false, "external_urls": {}, "track_number": 1
            }
        }))
        .unwrap();
        ListeningRecord::try_from(play).unwrap()
    }

    #[test]
    fn a_spotify_play_reads_its_typed_fields() {
        let record = spotify_play("2024-05-01T11:59:59.123Z", "4iV5W9uYEdYUVa79Axb7Rh");
        assert_eq!(record.service, Service::Spotify);
        assert_eq!(record.kind, "track");
        assert_eq!(record.id.as_deref(), Some("4iV5W9uYEdYUVa79Axb7Rh"));
        assert_eq!(record.title.as_deref(), Some("Song"));
        assert_eq!(record.artists, ["First", "Second"]);
        assert_eq!(record.album.as_deref(), Some("The Album"));
        assert_eq!(record.duration_ms, Some(215_000));
        assert_eq!(record.isrc.as_deref(), Some("USUM71703861"));
        assert_eq!(record.context.as_deref(), Some("spotify:playlist:1"));
        assert_eq!(record.item["track"]["duration_ms"], 215_000);
    }

    #[test]
    fn a_relinked_spotify_play_has_the_same_key_and_time_and_another_play_another_time() {
        let play = spotify_play("2024-05-01T11:59:59.123Z", "4iV5W9uYEdYUVa79Axb7Rh");
        let relinked = spotify_play("2024-05-01T11:59:59.123Z", "0relinkedTrackId000000");
        assert_ne!(play.id, relinked.id);
        assert_eq!(play.key, SPOTIFY_PLAY_KEY);
        assert_eq!(
            (play.played_at_ms(), &play.key),
            (relinked.played_at_ms(), &relinked.key)
        );
        let later = spotify_play("2024-05-01T11:59:59.124Z", "4iV5W9uYEdYUVa79Axb7Rh");
        assert_ne!(
            (play.played_at_ms(), &play.key),
            (later.played_at_ms(), &later.key)
        );
    }

    fn entity_edge(entry: Option<&str>, node: Value) -> ListeningRecord {
        ListeningRecord::try_from(EntityPlaybackEdge {
            id: entry.map(str::to_string),
            node: serde_json::from_value::<EntityNode>(node).unwrap(),
            played_date: DateTime::from_timestamp_millis(1_657_843_360_566).unwrap(),
        })
        .unwrap()
    }

    #[test]
    fn an_amazon_edge_is_keyed_by_its_entry_else_its_node_else_its_title() {
        let album = serde_json::json!({"_type": "Album", "id": "B0847V9254", "title": "Changes"});
        assert_eq!(
            entity_edge(Some("recentlyPlayedId2"), album.clone()).key,
            "entry:recentlyPlayedId2"
        );
        assert_eq!(entity_edge(None, album).key, "Album:B0847V9254");
        let untitled = serde_json::json!({"_type": "Audiobook", "title": "Mix"});
        let record = entity_edge(None, untitled);
        assert_eq!(record.key, "Audiobook:Mix");
        assert_eq!((record.id, record.title.as_deref()), (None, Some("Mix")));
    }

    #[test]
    fn an_amazon_track_play_is_keyed_by_its_track() {
        let edge: TrackPlaybackEdge = serde_json::from_value(serde_json::json!({
            "node": {"id": "B07XYZ", "title": "Song"},
            "playedAt": "2022-07-15T00:02:40.566Z"
        }))
        .unwrap();
        let record = ListeningRecord::try_from(edge).unwrap();
        assert_eq!(
            (
                record.key.as_str(),
                record.kind.as_str(),
                record.title.as_deref()
            ),
            ("Track:B07XYZ", "Track", Some("Song"))
        );
    }

    #[test]
    fn a_record_round_trips_through_json_with_its_service_named_as_the_client_names_it() {
        let record = entity_edge(
            Some("recentlyPlayedId2"),
            serde_json::json!({"_type": "Album", "id": "B0847V9254", "title": "Changes"}),
        );
        assert_eq!(record.played_at_rfc3339(), "2022-07-15T00:02:40.566Z");
        let line = serde_json::to_string(&record).unwrap();
        assert!(line.starts_with(r#"{"service":"amazon_music","#), "{line}");
        assert_eq!(
            serde_json::from_str::<ListeningRecord>(&line).unwrap(),
            record
        );
    }

    #[test]
    fn a_record_written_before_sources_reads_as_an_api_play_and_an_exported_one_round_trips() {
        let old = r#"{"service":"spotify","played_at":"2024-05-01T12:00:00.000Z","key":"play",
            "kind":"track","id":"x","title":"t","artists":[],"album":null,"duration_ms":null,
            "isrc":null,"context":null,"item":{}}"#;
        let record: ListeningRecord = serde_json::from_str(old).unwrap();
        assert_eq!((record.source, record.playback), (Source::Api, None));

        let exported = ListeningRecord {
            source: Source::Export,
            item: Value::Null,
            playback: Some(Playback {
                ended_at: DateTime::from_timestamp_millis(1_714_564_800_000).unwrap(),
                ms_played: Some(31_000),
                reason_start: Some("clickrow".into()),
                reason_end: Some("fwdbtn".into()),
                skipped: Some(true),
                shuffle: Some(false),
                offline: Some(false),
                incognito_mode: Some(false),
                platform: Some("android".into()),
                conn_country: Some("SE".into()),
                row: serde_json::json!({"ts": "2024-05-01T12:00:00Z", "unknown": 1}),
            }),
            ..record
        };
        let line = serde_json::to_string(&exported).unwrap();
        assert!(line.contains(r#""source":"export""#), "{line}");
        assert_eq!(
            serde_json::from_str::<ListeningRecord>(&line).unwrap(),
            exported
        );
        for source in Source::ALL {
            assert_eq!(source.to_string().parse::<Source>(), Ok(source));
        }
        assert!("API".parse::<Source>().is_err());
    }

    #[test]
    fn every_service_parses_from_the_name_it_is_written_as_and_nothing_else_does() {
        for service in Service::ALL {
            assert_eq!(service.to_string().parse::<Service>(), Ok(service));
        }
        assert!("Spotify".parse::<Service>().is_err());
    }
}

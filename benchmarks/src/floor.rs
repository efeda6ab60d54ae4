//! The least a listening history needs from each page: the floor the generated types are
//! measured against.
//!
//! Fields are owned and timestamps are parsed into [`DateTime<Utc>`], as any consumer of a
//! history would need them; everything else in the page is skipped by serde. The gap between
//! these and the generated types is therefore the cost of decoding the rest of the object
//! model, not of a cheaper representation of the same facts.
//!
//! ```
//! let page = benchmarks::spotify_recently_played(benchmarks::SpotifyVariant::AsServed);
//! let floor: benchmarks::floor::SpotifyPage = serde_json::from_slice(&page)?;
//! assert_eq!(floor.items.len(), 50);
//! # Ok::<(), serde_json::Error>(())
//! ```

use chrono::{DateTime, Utc};
use serde::Deserialize;

/// A Spotify recently-played page, reduced to its plays.
#[derive(Debug, Deserialize)]
pub struct SpotifyPage {
    /// The plays, newest first.
    pub items: Vec<SpotifyPlay>,
}

/// One Spotify play.
#[derive(Debug, Deserialize)]
pub struct SpotifyPlay {
    /// When the track was played.
    pub played_at: DateTime<Utc>,
    /// What was played.
    pub track: SpotifyTrack,
    /// Where it was played from, if anywhere.
    pub context: Option<SpotifyContext>,
}

/// The track of a Spotify play.
#[derive(Debug, Deserialize)]
pub struct SpotifyTrack {
    /// The Spotify ID; `None` for a local file.
    pub id: Option<String>,
    /// The track's name.
    pub name: String,
    /// Its artists.
    pub artists: Vec<SpotifyArtist>,
    /// Its length in milliseconds.
    pub duration_ms: u64,
}

/// An artist of a Spotify track.
#[derive(Debug, Deserialize)]
pub struct SpotifyArtist {
    /// The artist's name.
    pub name: String,
}

/// The context of a Spotify play.
#[derive(Debug, Deserialize)]
pub struct SpotifyContext {
    /// The context's Spotify URI.
    pub uri: String,
}

/// An Amazon Music recently-played-entities page, reduced to its plays.
#[derive(Debug, Deserialize)]
pub struct AmazonPage {
    /// The response's `data`.
    pub data: AmazonData,
}

/// The `data` of an Amazon page.
#[derive(Debug, Deserialize)]
pub struct AmazonData {
    /// The user whose history it is.
    pub user: AmazonUser,
}

/// The user of an Amazon page.
#[derive(Debug, Deserialize)]
pub struct AmazonUser {
    /// Their page of plays.
    #[serde(rename = "recentEntitiesPlayback")]
    pub recent_entities_playback: AmazonConnection,
}

/// An Amazon page of plays.
#[derive(Debug, Deserialize)]
pub struct AmazonConnection {
    /// The plays, newest first.
    pub edges: Vec<AmazonEdge>,
}

/// One Amazon play.
#[derive(Debug, Deserialize)]
pub struct AmazonEdge {
    /// When the entity was played.
    #[serde(rename = "playedDate")]
    pub played_date: DateTime<Utc>,
    /// What was played.
    pub node: AmazonNode,
}

/// The entity of an Amazon play, whatever its kind.
#[derive(Debug, Deserialize)]
pub struct AmazonNode {
    /// Its kind (`"Track"`, `"Album"`, … or one added later).
    #[serde(rename = "_type")]
    pub kind: String,
    /// Its ID.
    pub id: String,
    /// Its title, for kinds that have one.
    pub title: Option<String>,
    /// Its name, for kinds that have one.
    pub name: Option<String>,
}

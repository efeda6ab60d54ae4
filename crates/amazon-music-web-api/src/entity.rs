//! The kinds of entity an entity-history edge can point at, open to kinds added later.

use serde::{Deserialize, Deserializer, Serialize};

use crate::types;

/// The `node` of an entity-history edge: one of the documented kinds, discriminated by
/// `_type`, or [`EntityNode::Unknown`] for a kind this crate does not know yet.
///
/// The service may add kinds at any time; one it adds must not make a whole page fail, so an
/// unrecognised `_type` (or a node without one) keeps its raw JSON instead.
///
/// ```
/// use amazon_music_web_api::EntityNode;
///
/// let node: EntityNode = serde_json::from_str(
///     r#"{"_type": "Album", "id": "B0847V9254", "title": "Changes"}"#,
/// )?;
/// assert_eq!(node.kind(), "Album");
/// assert_eq!(node.id(), Some("B0847V9254"));
///
/// let future: EntityNode = serde_json::from_str(r#"{"_type": "Audiobook", "id": "X1"}"#)?;
/// assert!(matches!(future, EntityNode::Unknown(_)));
/// assert_eq!(future.kind(), "Audiobook");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum EntityNode {
    /// `_type: Album`.
    Album(types::Album),
    /// `_type: Artist`.
    Artist(types::Artist),
    /// `_type: Category`.
    Category(types::Category),
    /// `_type: Playlist`.
    Playlist(types::Playlist),
    /// `_type: PodcastEpisode`.
    PodcastEpisode(types::PodcastEpisode),
    /// `_type: PodcastShow`.
    PodcastShow(types::PodcastShow),
    /// `_type: Track`.
    Track(types::Track),
    /// `_type: User`.
    User(types::User),
    /// A kind this crate does not know, exactly as the service sent it.
    Unknown(serde_json::Value),
}

impl EntityNode {
    /// The node's `_type` as sent (`"Album"`, …; for an unknown kind, whatever it said, or
    /// `""` when it had none).
    pub fn kind(&self) -> &str {
        match self {
            Self::Album(_) => "Album",
            Self::Artist(_) => "Artist",
            Self::Category(_) => "Category",
            Self::Playlist(_) => "Playlist",
            Self::PodcastEpisode(_) => "PodcastEpisode",
            Self::PodcastShow(_) => "PodcastShow",
            Self::Track(_) => "Track",
            Self::User(_) => "User",
            Self::Unknown(raw) => raw.get("_type").and_then(|t| t.as_str()).unwrap_or(""),
        }
    }

    /// The entity's ID, when it has one.
    pub fn id(&self) -> Option<&str> {
        match self {
            Self::Album(node) => Some(&node.id),
            Self::Artist(node) => Some(&node.id),
            Self::Category(node) => Some(&node.id),
            Self::Playlist(node) => Some(&node.id),
            Self::PodcastEpisode(node) => Some(&node.id),
            Self::PodcastShow(node) => Some(&node.id),
            Self::Track(node) => Some(&node.id),
            Self::User(node) => Some(&node.id),
            Self::Unknown(raw) => raw.get("id").and_then(|id| id.as_str()),
        }
    }

    /// The entity's title, or its name where it has no title.
    pub fn title(&self) -> Option<&str> {
        let (title, name) = match self {
            Self::Album(n) => (&n.title, &n.name),
            Self::Artist(n) => (&n.title, &n.name),
            Self::Category(n) => (&n.title, &n.name),
            Self::Playlist(n) => (&n.title, &n.name),
            Self::PodcastEpisode(n) => (&n.title, &n.name),
            Self::PodcastShow(n) => (&n.title, &n.name),
            Self::Track(n) => (&n.title, &n.name),
            Self::User(n) => (&n.title, &n.name),
            Self::Unknown(raw) => {
                return ["title", "name"]
                    .iter()
                    .find_map(|key| raw.get(key).and_then(|v| v.as_str()));
            }
        };
        title.as_deref().or(name.as_deref())
    }
}

impl<'de> Deserialize<'de> for EntityNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = serde_json::Value::deserialize(deserializer)?;
        let kind = raw.get("_type").and_then(|t| t.as_str()).unwrap_or("");
        // A known kind decodes strictly: a malformed Album is an error, not an unknown kind.
        fn known<T: serde::de::DeserializeOwned, E: serde::de::Error>(
            raw: serde_json::Value,
        ) -> Result<T, E> {
            serde_json::from_value(raw).map_err(E::custom)
        }
        Ok(match kind {
            "Album" => Self::Album(known(raw)?),
            "Artist" => Self::Artist(known(raw)?),
            "Category" => Self::Category(known(raw)?),
            "Playlist" => Self::Playlist(known(raw)?),
            "PodcastEpisode" => Self::PodcastEpisode(known(raw)?),
            "PodcastShow" => Self::PodcastShow(known(raw)?),
            "Track" => Self::Track(known(raw)?),
            "User" => Self::User(known(raw)?),
            _ => Self::Unknown(raw),
        })
    }
}

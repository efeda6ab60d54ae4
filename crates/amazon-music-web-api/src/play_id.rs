//! What names an Amazon Music play, for keeping the history exactly once
//! ([`incremental`](crate::incremental)).

use client_support::incremental::{Play, PlayId};

use crate::types::{EntityPlaybackEdge, TrackPlaybackEdge};

/// An entity play is named by its history entry (`entry:` and the edge's `id`) when the
/// edge has one, since that names this very play; else by what was played (`kind:` and
/// the node's ID, else `kind:` and its title), which with the time of play tells two plays
/// apart unless the same thing is listed twice in one millisecond.
///
/// ```
/// use amazon_music_web_api::incremental::Play;
/// use amazon_music_web_api::types::EntityPlaybackEdge;
///
/// let edge: EntityPlaybackEdge = serde_json::from_value(serde_json::json!({
///     "id": "recentlyPlayedId2", "playedDate": "2022-07-15T00:02:40.566Z",
///     "node": {"_type": "Album", "id": "B0847V9254", "title": "Changes"}
/// }))?;
/// assert_eq!(edge.play_id().key, "entry:recentlyPlayedId2");
/// # Ok::<(), serde_json::Error>(())
/// ```
impl Play for EntityPlaybackEdge {
    fn play_id(&self) -> PlayId {
        let at_ms = self.played_date.timestamp_millis();
        let kind = self.node.kind();
        let key = match (&self.id, self.node.id()) {
            (Some(entry), _) => format!("entry:{entry}"),
            (None, Some(id)) => format!("{kind}:{id}"),
            (None, None) => format!("{kind}:{}", self.node.title().unwrap_or("")),
        };
        PlayId::new(at_ms, key)
    }
}

/// A track play is named `Track:` and the track's ID: its edge names no history entry.
///
/// ```
/// use amazon_music_web_api::incremental::Play;
/// use amazon_music_web_api::types::TrackPlaybackEdge;
///
/// let edge: TrackPlaybackEdge = serde_json::from_value(serde_json::json!({
///     "playedAt": "2022-07-15T00:02:40.566Z", "node": {"id": "B07XYZ", "title": "Song"}
/// }))?;
/// assert_eq!(edge.play_id().key, "Track:B07XYZ");
/// # Ok::<(), serde_json::Error>(())
/// ```
impl Play for TrackPlaybackEdge {
    fn play_id(&self) -> PlayId {
        PlayId::new(
            self.played_at.timestamp_millis(),
            format!("Track:{}", self.node.id),
        )
    }
}

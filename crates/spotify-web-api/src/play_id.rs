//! What names a Spotify play, for keeping the history exactly once
//! ([`incremental`](crate::incremental)).

use client_support::incremental::{Play, PlayId};

use crate::types::PlayHistory;

/// The key of every Spotify play: with the time of play, the time alone names it.
pub const PLAY_KEY: &str = "play";

/// A Spotify play is named by its time alone ([`PLAY_KEY`]): the same play can come back
/// with another track ID (track relinking, spotify/web-api #1232), so an ID in its name
/// would keep it twice. An account plays one stream at a time (a second device takes
/// playback over), so two different plays never share a millisecond; what this would
/// wrongly merge is two plays the service itself dates to the same millisecond, which its
/// cursors cannot tell apart either.
///
/// ```
/// use spotify_web_api::incremental::Play;
/// use spotify_web_api::types::PlayHistory;
///
/// let play: PlayHistory = serde_json::from_value(serde_json::json!({
///     "played_at": "2024-05-01T10:00:00.123Z", "context": null,
///     "track": {"name": "Song", "type": "track", "artists": [], "available_markets": [],
///               "disc_number": 1, "duration_ms": 1, "explicit": false,
///               "external_urls": {}, "track_number": 1}
/// }))?;
/// let id = play.play_id();
/// assert_eq!((id.at_ms, id.key.as_str()), (1_714_557_600_123, spotify_web_api::PLAY_KEY));
/// # Ok::<(), serde_json::Error>(())
/// ```
impl Play for PlayHistory {
    fn play_id(&self) -> PlayId {
        PlayId::new(self.played_at.timestamp_millis(), PLAY_KEY)
    }
}

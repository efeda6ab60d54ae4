//! Shortcuts into the nested response documents (`data.user.<connection>`).

use crate::Entry;
use crate::types;

impl types::RecentlyPlayedTracksResponse {
    /// The page's edges (`data.user.recentTrackPlayback.edges`), newest first, each one
    /// decoded on its own (an [`Entry::Malformed`](client_support::Entry::Malformed) keeps
    /// one that did not decode); empty when the response has no history object.
    pub fn edges(&self) -> &[Entry<types::TrackPlaybackEdge>] {
        self.connection().map_or(&[], |c| &c.edges)
    }

    /// The page's `pageInfo`: `hasNextPage`, and the `token` to send as the next `cursor`.
    pub fn page_info(&self) -> Option<&types::PageInfo> {
        self.connection().map(|c| &c.page_info)
    }

    fn connection(&self) -> Option<&types::TrackPlaybackConnection> {
        self.data.user.as_ref()?.recent_track_playback.as_ref()
    }
}

impl types::RecentlyPlayedEntitiesResponse {
    /// The page's edges (`data.user.recentEntitiesPlayback.edges`), newest first, each one
    /// decoded on its own; empty when the response has no history object.
    pub fn edges(&self) -> &[Entry<types::EntityPlaybackEdge>] {
        self.connection().map_or(&[], |c| &c.edges)
    }

    /// The page's `pageInfo`: `hasNextPage`, and the `token` to send as the next `cursor`.
    pub fn page_info(&self) -> Option<&types::PageInfo> {
        self.connection().map(|c| &c.page_info)
    }

    fn connection(&self) -> Option<&types::EntityPlaybackConnection> {
        self.data.user.as_ref()?.recent_entities_playback.as_ref()
    }
}

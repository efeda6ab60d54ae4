//! What names a ListenBrainz listen, for keeping the history exactly once
//! ([`incremental`](crate::incremental)).

use client_support::incremental::{Play, PlayId};

use crate::types::Listen;

/// A listen is named by its time (whole seconds, as milliseconds) and its
/// `recording_msid`: the server keeps one listen per (user, `listened_at`, `recording_msid`)
/// and drops a second one silently (its unique index, `admin/timescale/create_indexes.sql`
/// line 5), so two listens of one second are two recordings, told apart by their msids.
///
/// ```
/// use listenbrainz_api::incremental::Play;
/// use listenbrainz_api::types::Listen;
///
/// let listen: Listen = serde_json::from_value(serde_json::json!({
///     "listened_at": 1_700_000_000, "inserted_at": 1_700_000_100,
///     "recording_msid": "b4d7a0f2-1c3e-4a5b-9d6f-0e1f2a3b4c5d", "user_name": "rob",
///     "track_metadata": {"artist_name": "Röyksopp", "track_name": "Some Resolve",
///         "additional_info": {"recording_msid": "b4d7a0f2-1c3e-4a5b-9d6f-0e1f2a3b4c5d"}}
/// }))?;
/// let id = listen.play_id();
/// assert_eq!((id.at_ms, id.key.as_str()), (1_700_000_000_000, "b4d7a0f2-1c3e-4a5b-9d6f-0e1f2a3b4c5d"));
/// # Ok::<(), serde_json::Error>(())
/// ```
impl Play for Listen {
    fn play_id(&self) -> PlayId {
        PlayId::new(
            self.listened_at.saturating_mul(1000),
            self.recording_msid.as_str(),
        )
    }
}

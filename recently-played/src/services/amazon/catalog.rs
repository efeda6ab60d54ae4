//! Naming what was played: each Amazon Music track the stored plays name is looked up once
//! in the catalog (`GET /tracks/{id}`), what the catalog says is kept in the store's
//! `tracks`, and the plays of that track gain its artists, album, length and ISRC.
//!
//! A look-up never costs a play: the plays are stored before any look-up, and a track the
//! catalog does not know (`404`), or a look-up that fails, is simply asked again at a later
//! sync. A rate limit, a token without `music::catalog` (`403`) or any other failure stops
//! the look-ups of this sync, in one sentence of its report; the sync itself succeeds.

use amazon_music_web_api::{AmazonMusicClient, Error, SERVICE, TrackId};
use listening_record::TrackDetails;

use super::AMAZON_MUSIC;
use crate::service::{self, Target};
use crate::store::Store;
use crate::sync::Failed;

/// The most tracks one sync looks up. Each is one request; 200 at the sandbox's pace, or a
/// few hundred milliseconds each against the service, take well under a minute, which
/// leaves the walk most of a sync's default deadline (5 min). A sync every 15 minutes meets
/// a few new tracks (at 3 min a track, 5), so only a first sync of a long history has more,
/// and the next syncs look up the rest, 200 at a time, newest first.
pub(super) const MAX_LOOKUPS_PER_SYNC: usize = 200;

/// Looks up the tracks the plays of `store` name and the store does not hold yet (at most
/// [`MAX_LOOKUPS_PER_SYNC`]), and fills in the plays: a note for the sync's report when
/// something is left to say.
pub(super) async fn look_up_tracks(
    client: &AmazonMusicClient,
    target: &Target,
    store: &mut Store,
) -> Result<Option<String>, Failed> {
    // Plays stored since their track was looked up.
    store.fill_plays_from_tracks(SERVICE)?;
    let wanted = store.tracks_to_look_up(SERVICE, MAX_LOOKUPS_PER_SYNC)?;
    let mut unknown = 0;
    let mut asked = 0;
    let mut stopped = None;
    for id in &wanted {
        asked += 1;
        // An ID no request can carry is one the catalog cannot know either.
        let Ok(track_id) = TrackId::new(id.as_str()) else {
            unknown += 1;
            continue;
        };
        match client.track(track_id).await {
            Ok(Some(track)) => {
                let raw = serde_json::to_value(&track).map_err(|e| {
                    Failed::from_sentence(format!("the catalog's track {id} cannot be kept: {e}"))
                })?;
                store.save_track(SERVICE, id, &TrackDetails::from(&track), &raw)?;
            }
            Ok(None) | Err(Error::NotFound(_)) => unknown += 1,
            Err(error) => {
                stopped = Some(error);
                break;
            }
        }
    }
    let left = wanted.len() - asked;
    let mut said = Vec::new();
    match &stopped {
        Some(Error::Forbidden(_)) => said.push(format!(
            "the catalog refused to name the tracks (403): the token {} lacks the \
             music::catalog scope, so the plays are kept without artists, album, duration or \
             ISRC; sign in again with `recently-played login {}` to add them",
            target.whose, AMAZON_MUSIC.command
        )),
        Some(Error::RateLimited { .. }) => said.push(format!(
            "the catalog rate limited the look-ups of tracks; {} are left for the next sync",
            left + 1
        )),
        Some(error) => said.push(format!(
            "looking up tracks in the catalog stopped ({}); {} are left for the next sync",
            crate::clause(&service::explain(&AMAZON_MUSIC, target, error)),
            left + 1
        )),
        None if wanted.len() == MAX_LOOKUPS_PER_SYNC => said.push(format!(
            "looked up {MAX_LOOKUPS_PER_SYNC} tracks, the most one sync does; the next sync \
             looks up the rest"
        )),
        None => {}
    }
    if unknown > 0 {
        said.push(format!(
            "{unknown} track{} the catalog does not know {} kept without artists or album, and \
             looked up again at the next sync",
            if unknown == 1 { "" } else { "s" },
            if unknown == 1 { "is" } else { "are" },
        ));
    }
    Ok((!said.is_empty()).then(|| said.join("; ")))
}

//! The catalog the Amazon Music simulation answers `GET /v1/tracks/{id}` from: it knows every
//! track any user's history plays (each made up once, from its ID, when the play is first
//! seen), until a test says otherwise.

use std::collections::{BTreeMap, BTreeSet};

use amazon_music_web_api::types;
use chrono::{DateTime, Utc};
use wiremock::ResponseTemplate;

use crate::random::{self, Rng, UPPER_ALNUM};
use crate::record::{RecordedRequest, percent_encode};
use crate::server::{self, Param, Rejection, reject};

use super::paging::{bad_request, fnv1a};

/// The tracks the simulated catalog knows, and what a test made of it.
#[derive(Default)]
pub(super) struct Catalog {
    tracks: BTreeMap<String, types::CatalogTrack>,
    /// Tracks a test made unknown: answered `404` even though a history plays them.
    forgotten: BTreeSet<String>,
    /// A status every catalog request is answered with, when a test makes the catalog fail.
    failure: Option<u16>,
}

impl Catalog {
    /// Knows `track` from now on (a track already known keeps what the catalog says of it).
    pub(super) fn learn(&mut self, track: &types::TrackSummary) {
        self.tracks
            .entry(track.id.clone())
            .or_insert_with(|| made_up(track));
    }

    /// Answers `404` for `id` from now on (`true`), or knows it again (`false`).
    pub(super) fn set_unknown(&mut self, id: &str, unknown: bool) {
        if unknown {
            self.forgotten.insert(id.to_owned());
        } else {
            self.forgotten.remove(id);
        }
    }

    /// Answers every catalog request with `status` from now on; `None` answers again.
    pub(super) fn set_failure(&mut self, status: Option<u16>) {
        self.failure = status;
    }

    /// What the catalog says of `id`, if it knows it.
    pub(super) fn get(&self, id: &str) -> Option<&types::CatalogTrack> {
        self.tracks.get(id).filter(|_| !self.forgotten.contains(id))
    }

    /// `GET /v1/tracks/{id}`: the spec's `TrackResponse`, or `404` for a track it does not
    /// know; `mediaType`, when given, once and `AUDIO` or `VIDEO` (else `400`).
    pub(super) fn answer(
        &self,
        request: &RecordedRequest,
        id: &str,
    ) -> Result<ResponseTemplate, Rejection> {
        if let Some(status) = self.failure {
            return Err(match status {
                429 => reject(429, "TOO_MANY_REQUESTS", "Too many requests. Retry later."),
                _ => reject(
                    status,
                    "INTERNAL_SERVER_ERROR",
                    "An internal error occurred.",
                ),
            });
        }
        match server::param(request, "mediaType") {
            Param::Absent => {}
            Param::Once("AUDIO" | "VIDEO") => {}
            Param::Once(_) | Param::Repeated => {
                return Err(bad_request("mediaType must be given once, AUDIO or VIDEO."));
            }
        }
        let track = self
            .get(id)
            .ok_or_else(|| reject(404, "RESOURCE_NOT_FOUND", "No track has this ID."))?;
        let body = types::TrackResponse {
            data: types::TrackData {
                track: Some(track.clone()),
            },
        };
        Ok(server::json(200, &server::to_value(&body)))
    }
}

/// What the catalog says of a track it first sees played: its title and ID as played, the
/// album its link names (if it names one), and the rest made up from the ID alone, so the
/// same track is the same everywhere.
fn made_up(track: &types::TrackSummary) -> types::CatalogTrack {
    let mut rng = Rng::new(fnv1a(&[b"catalog", track.id.as_bytes()]));
    let album_id = track
        .url
        .as_deref()
        .and_then(|url| url.split("/albums/").nth(1))
        .and_then(|rest| rest.split(['/', '?']).next())
        .filter(|id| !id.is_empty())
        .map_or_else(
            || format!("B0{}", rng.string(UPPER_ALNUM, 8)),
            str::to_owned,
        );
    let artists = (0..rng.between(1, 2))
        .map(|_| {
            let id = format!("B0{}", rng.string(UPPER_ALNUM, 8));
            types::CatalogTrackArtist {
                url: Some(format!("https://music.amazon.com/artists/{id}")),
                name: Some(random::artist_name(&mut rng)),
                id,
            }
        })
        .collect();
    let released_ms = 946_684_800_000 + rng.below(24 * 365 * 86_400_000) as i64;
    types::CatalogTrack {
        album: Some(types::CatalogTrackAlbum {
            title: Some(random::title(&mut rng)),
            url: Some(format!(
                "https://music.amazon.com/albums/{}",
                percent_encode(&album_id)
            )),
            id: album_id,
        }),
        artists,
        audio_qualities: vec!["SD".to_owned(), "HD".to_owned()],
        duration: Some(rng.between(90, 420)),
        eligibility: None,
        global_asin: Some(track.id.clone()),
        id: track.id.clone(),
        isrc: Some(format!("QZ{}", rng.string(UPPER_ALNUM, 10))),
        market: None,
        music_territory: None,
        release_date: DateTime::<Utc>::from_timestamp_millis(released_ms),
        short_title: track.title.clone(),
        title: track.title.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(id: &str, url: &str) -> types::TrackSummary {
        types::TrackSummary {
            id: id.to_owned(),
            title: Some("Song".to_owned()),
            url: Some(url.to_owned()),
        }
    }

    #[test]
    fn a_track_is_made_up_from_its_id_alone_with_the_album_its_link_names() {
        let played = summary(
            "B0ABCDEFGH",
            "https://music.amazon.com/albums/B0ALBUM001/?trackAsin=B0ABCDEFGH&do=play",
        );
        let once = made_up(&played);
        assert_eq!(once, made_up(&played), "the same ID, the same track");
        assert_eq!(
            once.album.as_ref().map(|a| a.id.as_str()),
            Some("B0ALBUM001")
        );
        assert!(!once.artists.is_empty() && once.artists.iter().all(|a| a.name.is_some()));
        assert_eq!(once.title.as_deref(), Some("Song"));
        assert_ne!(made_up(&summary("B0OTHER000", "x")).isrc, once.isrc);
    }

    #[test]
    fn a_forgotten_track_is_unknown_until_known_again() {
        let mut catalog = Catalog::default();
        catalog.learn(&summary("B0ABCDEFGH", "x"));
        assert!(catalog.get("B0ABCDEFGH").is_some());
        catalog.set_unknown("B0ABCDEFGH", true);
        assert!(catalog.get("B0ABCDEFGH").is_none());
        catalog.set_unknown("B0ABCDEFGH", false);
        assert!(catalog.get("B0ABCDEFGH").is_some());
        assert!(catalog.get("B0NEVERSEEN").is_none());
    }
}

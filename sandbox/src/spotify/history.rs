//! What the Spotify simulation serves: plays, and a realistic history of them.

use chrono::{DateTime, Utc};
use spotify_web_api::types;

use super::DEFAULT_ACCESS_TOKEN;
use super::catalogue::{
    catalogue_album, catalogue_artist, catalogue_context, catalogue_track, collection_context,
    local_track,
};
use super::{fnv1a, from_millis};
use crate::random::{self, BASE62, Rng};

/// One play: a track, when it was played, and where from.
#[derive(Clone, Debug, PartialEq)]
pub struct SpotifyPlay {
    /// When the track was played (kept, and served, at millisecond precision).
    pub played_at: DateTime<Utc>,
    /// The track, with its album, served as is.
    pub track: types::Track,
    /// Where it was played from; `None` is served as `"context": null`.
    pub context: Option<types::Context>,
}

impl SpotifyPlay {
    /// A play, at `played_at_ms` (Unix milliseconds), of a catalogue track by one artist, on an
    /// album of theirs, from no context (add one with [`SpotifyPlay::with_context`]).
    ///
    /// ```
    /// use music_history_sandbox::spotify::SpotifyPlay;
    ///
    /// let play = SpotifyPlay::new(1_481_661_844_589, "2gNfxysfBRfl9Lvi9T3v6R", "Disciples", "Tame Impala")
    ///     .with_context("artist", "5INjqkS1o8h1imAzPqGZBb");
    /// assert_eq!(play.played_at_ms(), 1_481_661_844_589);
    /// assert_eq!(play.context.unwrap().uri, "spotify:artist:5INjqkS1o8h1imAzPqGZBb");
    /// let album = play.track.album.expect("a catalogue track has an album");
    /// assert_eq!(album.artists[0].name, "Tame Impala");
    /// assert!(album.release().is_some() && !album.images.is_empty());
    /// ```
    pub fn new(played_at_ms: i64, track_id: &str, track_name: &str, artist_name: &str) -> Self {
        let artist_id = Rng::new(fnv1a(artist_name.as_bytes())).string(BASE62, 22);
        let artist = catalogue_artist(&artist_id, artist_name);
        let mut rng = Rng::new(fnv1a(track_id.as_bytes()));
        let album_id = rng.string(BASE62, 22);
        let album = catalogue_album(&mut rng, &album_id, vec![artist.clone()]);
        Self {
            played_at: from_millis(played_at_ms),
            track: catalogue_track(&mut rng, track_id, track_name, vec![artist], album),
            context: None,
        }
    }

    /// The same play, from context `kind` (`"artist"`, `"album"`, `"playlist"`, `"show"`, …)
    /// with Spotify ID `id`.
    pub fn with_context(mut self, kind: &str, id: &str) -> Self {
        self.context = Some(catalogue_context(kind, id));
        self
    }

    /// When the track was played, in Unix milliseconds (the unit of the cursors).
    pub fn played_at_ms(&self) -> i64 {
        self.played_at.timestamp_millis()
    }
}

/// What a [`SpotifySimulation`](super::SpotifySimulation) starts from: the plays and who may read them.
#[derive(Clone, Debug, PartialEq)]
pub struct SpotifyHistory {
    /// The plays, in any order (served newest first).
    pub plays: Vec<SpotifyPlay>,
    /// The fixed access token accepted (default [`DEFAULT_ACCESS_TOKEN`]), beside the tokens
    /// the simulated accounts service issues.
    pub access_token: String,
    /// Whether the token carries the `user-read-recently-played` scope (default `true`).
    pub scope_granted: bool,
    /// Whether the user has a private session on, which turns every answer into `204`
    /// (default `false`).
    pub private_session: bool,
}

impl Default for SpotifyHistory {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

impl SpotifyHistory {
    /// These plays, readable with [`DEFAULT_ACCESS_TOKEN`], which has the scope; no private
    /// session.
    pub fn new(plays: Vec<SpotifyPlay>) -> Self {
        Self {
            plays,
            access_token: DEFAULT_ACCESS_TOKEN.to_owned(),
            scope_granted: true,
            private_session: false,
        }
    }

    /// `n` varied plays, the same for the same `seed`: played at distinct milliseconds, a few
    /// seconds to minutes apart, ending on 2024-05-01; some tracks played more than once;
    /// contexts of type `artist`, `album`, `playlist` and `collection`, and some `null`; some
    /// local files (`null` `id` and `href`, a `spotify:local:` URI, `is_local: true`, empty
    /// `external_ids`, an album with `null` ID, type and release date and no images); some
    /// tracks without `available_markets` or `popularity` (as apps in Development Mode
    /// receive them since February 2026; their `external_ids` came back in March 2026), and
    /// some with a `null` `preview_url`. Every eight consecutive plays hold each of those
    /// shapes. Catalogue tracks come
    /// from a few albums, each with a name, an ID, cover art in three sizes and a release date
    /// of day, month or year precision.
    ///
    /// ```
    /// use music_history_sandbox::spotify::SpotifyHistory;
    ///
    /// let history = SpotifyHistory::realistic(40, 1);
    /// assert_eq!(history.plays.len(), 40);
    /// assert_eq!(history, SpotifyHistory::realistic(40, 1));
    /// assert!(history.plays.iter().any(|play| play.context.is_none()));
    /// assert!(history.plays.iter().any(|play| play.track.id.is_none()));
    /// let albums = history.plays.iter().filter_map(|play| play.track.album.as_ref());
    /// assert!(albums.filter_map(|album| album.release()).count() > 20);
    /// ```
    pub fn realistic(n: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let artists: Vec<types::SimplifiedArtist> = (0..6)
            .map(|_| {
                let id = rng.string(BASE62, 22);
                catalogue_artist(&id, &random::artist_name(&mut rng))
            })
            .collect();
        let playlists: Vec<String> = (0..3).map(|_| rng.string(BASE62, 22)).collect();
        // A few albums, each by one of the artists.
        let albums: Vec<types::SimplifiedAlbum> = (0..(n / 9).max(4))
            .map(|_| {
                let id = rng.string(BASE62, 22);
                let artist = rng.pick(&artists).clone();
                catalogue_album(&mut rng, &id, vec![artist])
            })
            .collect();
        // (album id, track): a small catalogue, so that some tracks come back more than once.
        let catalogue: Vec<(String, types::Track)> = (0..(n / 3).max(8))
            .map(|_| {
                let album = rng.pick(&albums).clone();
                let mut credited = album.artists.clone();
                if rng.one_in(4) {
                    credited.push(rng.pick(&artists).clone());
                }
                let id = rng.string(BASE62, 22);
                let name = random::title(&mut rng);
                let album_id = album.id.clone().unwrap_or_default();
                let track = catalogue_track(&mut rng, &id, &name, credited, album);
                (album_id, track)
            })
            .collect();

        #[derive(Clone, Copy)]
        enum Shape {
            Artist,
            Album,
            Playlist,
            Collection,
            NoContext,
            Local,
        }
        let mut schedule = Vec::new();
        let mut played_at_ms: i64 = 1_714_564_800_000; // 2024-05-01T12:00:00Z
        let mut plays = Vec::with_capacity(n);
        for _ in 0..n {
            if schedule.is_empty() {
                schedule = vec![
                    Shape::Artist,
                    Shape::Album,
                    Shape::Playlist,
                    Shape::Collection,
                    Shape::NoContext,
                    Shape::Local,
                    Shape::Album,
                    Shape::Playlist,
                ];
                for i in (1..schedule.len()).rev() {
                    schedule.swap(i, rng.below(i as u64 + 1) as usize);
                }
            }
            let shape = schedule.pop().expect("refilled above");
            played_at_ms -= rng.between(31_000, 420_000) as i64;
            let (album_id, track) = rng.pick(&catalogue).clone();
            let (track, context) = match shape {
                Shape::Artist => {
                    let artist_id = track.artists[0].id.clone().unwrap_or_default();
                    (track, Some(catalogue_context("artist", &artist_id)))
                }
                Shape::Album => (track, Some(catalogue_context("album", &album_id))),
                Shape::Playlist => {
                    let playlist = rng.pick(&playlists).clone();
                    (track, Some(catalogue_context("playlist", &playlist)))
                }
                Shape::Collection => (track, Some(collection_context())),
                Shape::NoContext => (track, None),
                Shape::Local => {
                    let local = local_track(&mut rng);
                    let context = rng.one_in(2).then(collection_context);
                    (local, context)
                }
            };
            plays.push(SpotifyPlay {
                played_at: from_millis(played_at_ms),
                track,
                context,
            });
        }
        Self::new(plays)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn realistic_plays_are_newest_first_at_distinct_milliseconds() {
        let history = SpotifyHistory::realistic(100, 3);
        let times: Vec<i64> = history
            .plays
            .iter()
            .map(SpotifyPlay::played_at_ms)
            .collect();
        assert!(times.windows(2).all(|pair| pair[0] > pair[1]));
    }

    #[test]
    fn realistic_history_has_every_shape() {
        let plays = SpotifyHistory::realistic(16, 11).plays;
        let kinds: Vec<&str> = plays
            .iter()
            .filter_map(|play| play.context.as_ref().map(|c| c.type_.as_str()))
            .collect();
        for kind in ["artist", "album", "playlist", "collection"] {
            assert!(kinds.contains(&kind), "no {kind} context in {kinds:?}");
        }
        assert!(plays.iter().any(|play| play.context.is_none()));
        assert!(plays.iter().any(|play| {
            play.track.is_local == Some(true)
                && play.track.id.is_none()
                && play
                    .track
                    .uri
                    .as_deref()
                    .is_some_and(|uri| uri.starts_with("spotify:local:"))
                && play.track.href.is_none()
        }));
        assert!(
            plays.iter().all(|play| play.track.external_ids.is_some()),
            "every track has its external IDs, Development Mode ones too (since March 2026)"
        );
    }

    #[test]
    fn every_play_carries_its_album_and_catalogue_albums_have_art_and_a_release_date() {
        let plays = SpotifyHistory::realistic(200, 5).plays;
        let mut precisions = std::collections::BTreeSet::new();
        for play in &plays {
            let album = play.track.album.as_ref().expect("every track has an album");
            if play.track.is_local == Some(true) {
                assert_eq!((&album.id, album.release()), (&None, None));
                continue;
            }
            let release = album.release().expect("a well-formed release date");
            assert_eq!(
                Some(release.to_string()),
                album.release_date,
                "written back as sent"
            );
            precisions.insert(release.precision());
            assert_eq!(album.images.len(), 3);
            assert!(album.images.iter().all(|i| i.width.is_some()));
            assert!(album.id.is_some() && !album.name.is_empty());
        }
        assert_eq!(
            precisions,
            std::collections::BTreeSet::from(["day", "month", "year"])
        );
        // A play from an album context was played from its own album.
        for play in &plays {
            if let (Some(context), Some(album)) = (&play.context, &play.track.album)
                && context.type_ == "album"
            {
                assert_eq!(Some(&context.uri), album.uri.as_ref());
            }
        }
    }

    #[test]
    fn different_seeds_give_different_histories() {
        assert_ne!(
            SpotifyHistory::realistic(10, 1),
            SpotifyHistory::realistic(10, 2)
        );
    }
}

//! A simulation of the Spotify Web API's `GET /me/player/recently-played`
//! (`specs/spotify-web-api.yaml`).
//!
//! What it does, beyond serving plays:
//!
//! - `Authorization: Bearer <token>` must carry [`SpotifyHistory::access_token`]: `401`
//!   otherwise (`"No token provided"` without the header, `"Invalid access token"` with a
//!   wrong one). A token without the `user-read-recently-played` scope gets `403`
//!   (`"Insufficient client scope"`).
//! - `limit` defaults to 20; anything but an integer in 1..=50 is `400` (`"Invalid limit"`).
//!   `before` and `after` are integers (Unix milliseconds) and mutually exclusive: `400`
//!   otherwise. A known parameter given twice is `400` as well.
//! - With a private session on, a valid request gets `204 No Content` and no body.
//! - Plays come newest first. No cursor: the newest `limit` plays. `before=T`: the newest
//!   `limit` plays strictly before `T`. `after=T`: the `limit` plays strictly after `T` that
//!   are closest to `T`, still newest first in the page.
//! - `cursors` holds the page's newest (`after`) and oldest (`before`) play times as numeric
//!   strings, and is `null` for an empty page. `next` continues in the request's direction
//!   (`before=<oldest>` backwards, `after=<newest>` forwards) while more plays lie that way,
//!   and is `null` otherwise. `href` is the request's own URL; `total` is never sent.
//! - Unknown paths get `404` and other methods `405` (with `Allow: GET`), with the same error
//!   body.
//!
//! Plays are kept at millisecond precision, the precision of the cursors; plays that share a
//! millisecond share a cursor position, so a page boundary between them skips the rest of them,
//! as strict `before`/`after` comparisons imply. Unlike the real service, history is not cut to
//! the newest 50 plays.

use chrono::{DateTime, Utc};
use serde_json::Value;
use spotify_web_api::{Entry, types};
use wiremock::ResponseTemplate;

use crate::fault::Fault;
use crate::random::{self, BASE62, Rng};
use crate::record::RecordedRequest;
use crate::server::{self, Param, Rejection, Service, Simulation};

/// The access token a [`SpotifyHistory`] accepts unless told otherwise.
pub const DEFAULT_ACCESS_TOKEN: &str = "sandbox-spotify-token";

/// The path the simulation serves, below its base URL.
const ENDPOINT: &str = "/me/player/recently-played";

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

/// What a [`SpotifySimulation`] starts from: the plays and who may read them.
#[derive(Clone, Debug, PartialEq)]
pub struct SpotifyHistory {
    /// The plays, in any order (served newest first).
    pub plays: Vec<SpotifyPlay>,
    /// The one access token accepted (default [`DEFAULT_ACCESS_TOKEN`]).
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
    /// local files (`null` `id`, `uri` and `href`, `is_local: true`, an album with no ID,
    /// images or release date); some tracks without `available_markets`, `external_ids`,
    /// `popularity` or `preview_url` (as apps in Development Mode receive them since February
    /// 2026). Every eight consecutive plays hold each of those shapes. Catalogue tracks come
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

/// A running simulation of the Spotify recently-played endpoint; it stops when dropped.
///
/// ```
/// use music_history_sandbox::spotify::{SpotifyHistory, SpotifySimulation};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let sim = SpotifySimulation::start(SpotifyHistory::realistic(3, 9)).await;
/// sim.set_private_session(true);
/// let response = client_support::http::client_builder().build()?
///     .get(format!("{}/me/player/recently-played", sim.base_url()))
///     .bearer_auth("sandbox-spotify-token")
///     .send()
///     .await?;
/// assert_eq!(response.status(), 204);
/// # Ok(())
/// # }
/// ```
pub struct SpotifySimulation {
    sim: Simulation<Spotify>,
}

impl std::fmt::Debug for SpotifySimulation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpotifySimulation")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

impl SpotifySimulation {
    /// Starts serving `history` on a free port of 127.0.0.1. Call it inside a Tokio runtime.
    pub async fn start(history: SpotifyHistory) -> Self {
        let mut plays: Vec<SpotifyPlay> = history
            .plays
            .into_iter()
            .map(|play| SpotifyPlay {
                played_at: server::to_millis(play.played_at),
                ..play
            })
            .collect();
        plays.sort_by_key(|play| std::cmp::Reverse(play.played_at));
        let service = Spotify {
            plays,
            access_token: history.access_token,
            scope_granted: history.scope_granted,
            private_session: history.private_session,
        };
        Self {
            sim: Simulation::start(service).await,
        }
    }

    /// The base URL to give a client, `http://127.0.0.1:<port>/v1` (the spec's server is
    /// `https://api.spotify.com/v1`).
    pub fn base_url(&self) -> &str {
        self.sim.base_url()
    }

    /// Queues `fault` to answer a coming request in place of the normal answer (see [`Fault`]).
    ///
    /// # Panics
    ///
    /// If `fault` is a [`Fault::Body`] whose status is not an HTTP status code.
    pub fn inject(&self, fault: Fault) {
        self.sim.inject(fault);
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.sim.requests()
    }

    /// How many requests were received so far.
    pub fn request_count(&self) -> usize {
        self.sim.request_count()
    }

    /// Forgets the requests received so far (for long benchmark runs).
    pub fn clear_requests(&self) {
        self.sim.clear_requests();
    }

    /// Accepts `token`, and only it, from now on.
    pub fn set_access_token(&self, token: impl Into<String>) {
        let token = token.into();
        self.sim.with_service(|s| s.access_token = token);
    }

    /// Grants or withdraws the token's `user-read-recently-played` scope.
    pub fn set_scope_granted(&self, granted: bool) {
        self.sim.with_service(|s| s.scope_granted = granted);
    }

    /// Turns the user's private session on (every answer `204`) or off.
    pub fn set_private_session(&self, on: bool) {
        self.sim.with_service(|s| s.private_session = on);
    }

    /// Adds a play to the history, as if the user had just finished listening to it.
    pub fn record_play(&self, play: SpotifyPlay) {
        let play = SpotifyPlay {
            played_at: server::to_millis(play.played_at),
            ..play
        };
        self.sim.with_service(|s| {
            let at = s.plays.partition_point(|p| p.played_at >= play.played_at);
            s.plays.insert(at, play);
        });
    }

    /// The history as served now, newest first, at millisecond precision.
    pub fn plays(&self) -> Vec<SpotifyPlay> {
        self.sim.with_service(|s| s.plays.clone())
    }
}

/// The simulated service's state.
struct Spotify {
    /// Newest first, millisecond precision.
    plays: Vec<SpotifyPlay>,
    access_token: String,
    scope_granted: bool,
    private_session: bool,
}

/// Which way a request pages.
enum Direction {
    /// No cursor, or `before`: newest first from `before` (exclusive) back.
    Back(Option<i64>),
    /// `after`: the plays just after `T` (exclusive).
    Forward(i64),
}

impl Service for Spotify {
    fn answer(
        &mut self,
        request: &RecordedRequest,
        base_url: &str,
    ) -> Result<ResponseTemplate, Rejection> {
        if request.path != format!("/v1{ENDPOINT}") {
            return Err(bad(404, "Service not found"));
        }
        if request.method != "GET" {
            return Err(bad(405, "Method not allowed"));
        }
        let token = request.header("authorization").map(|value| {
            value
                .split_once(' ')
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                .map(|(_, token)| token)
        });
        match token {
            None => return Err(bad(401, "No token provided")),
            Some(token) if token != Some(self.access_token.as_str()) => {
                return Err(bad(401, "Invalid access token"));
            }
            Some(_) => {}
        }
        if !self.scope_granted {
            return Err(bad(403, "Insufficient client scope"));
        }
        let limit = match server::param(request, "limit") {
            Param::Absent => 20,
            Param::Once(value) => match value.parse::<usize>() {
                Ok(limit @ 1..=50) => limit,
                _ => return Err(bad(400, "Invalid limit")),
            },
            Param::Repeated => return Err(bad(400, "Invalid limit")),
        };
        let direction = match (
            timestamp_param(request, "before")?,
            timestamp_param(request, "after")?,
        ) {
            (Some(_), Some(_)) => {
                return Err(bad(
                    400,
                    "before and after are mutually exclusive: specify at most one of them",
                ));
            }
            (before, None) => Direction::Back(before),
            (None, Some(after)) => Direction::Forward(after),
        };
        if self.private_session {
            return Ok(ResponseTemplate::new(204));
        }
        let origin = base_url.strip_suffix("/v1").unwrap_or(base_url);
        let href = match &request.raw_query {
            Some(query) => format!("{origin}{}?{query}", request.path),
            None => format!("{origin}{}", request.path),
        };
        Ok(self.page(direction, limit, href, base_url))
    }

    /// `{"error": {"status": <status>, "message": <message>}}`.
    fn error(&self, rejection: &Rejection) -> ResponseTemplate {
        let body = types::ErrorResponse {
            error: types::ErrorObject {
                message: rejection.message.clone(),
                status: i32::from(rejection.status),
            },
        };
        server::json(rejection.status, &server::to_value(&body))
    }

    fn rate_limited(&self) -> Rejection {
        bad(429, "API rate limit exceeded")
    }

    fn server_error(&self) -> Rejection {
        bad(500, "Server error")
    }
}

impl Spotify {
    fn page(
        &self,
        direction: Direction,
        limit: usize,
        href: String,
        base_url: &str,
    ) -> ResponseTemplate {
        // The page, and the cursor of the next one (`before=<oldest>` or `after=<newest>`)
        // when more plays lie that way.
        let (page, next): (&[SpotifyPlay], Option<(&str, &SpotifyPlay)>) = match direction {
            Direction::Back(before) => {
                let start = match before {
                    Some(t) => self.plays.partition_point(|p| p.played_at_ms() >= t),
                    None => 0,
                };
                let older = &self.plays[start..];
                let page = &older[..limit.min(older.len())];
                let more = older.len() > limit;
                (page, page.last().filter(|_| more).map(|p| ("before", p)))
            }
            Direction::Forward(after) => {
                let end = self.plays.partition_point(|p| p.played_at_ms() > after);
                let start = end.saturating_sub(limit);
                let page = &self.plays[start..end];
                (
                    page,
                    page.first().filter(|_| start > 0).map(|p| ("after", p)),
                )
            }
        };
        let cursors = page
            .first()
            .zip(page.last())
            .map(|(newest, oldest)| types::Cursors {
                after: Some(newest.played_at_ms().to_string()),
                before: Some(oldest.played_at_ms().to_string()),
            });
        let next = next.map(|(param, play)| {
            let at = play.played_at_ms();
            format!("{base_url}{ENDPOINT}?{param}={at}&limit={limit}")
        });
        let body = types::CursorPagedPlayHistory {
            cursors,
            href,
            items: page
                .iter()
                .map(|play| types::PlayHistory {
                    context: play.context.clone(),
                    played_at: play.played_at,
                    track: play.track.clone(),
                })
                .map(Entry::Item)
                .collect(),
            limit: limit as i32,
            next,
            total: None,
        };
        let mut body = server::to_value(&body);
        // The generated types leave out a `None`; the service sends `null` (spec: nullable).
        for key in ["next", "cursors"] {
            body.as_object_mut()
                .expect("a paging object is a JSON object")
                .entry(key)
                .or_insert(Value::Null);
        }
        let items = body["items"].as_array_mut().expect("items is an array");
        for (item, play) in items.iter_mut().zip(page) {
            item["played_at"] = Value::String(server::rfc3339_millis(&play.played_at));
            item.as_object_mut()
                .expect("a play history object is a JSON object")
                .entry("context")
                .or_insert(Value::Null);
        }
        server::json(200, &body)
    }
}

/// Reads the optional integer (Unix milliseconds) query parameter `key`.
fn timestamp_param(request: &RecordedRequest, key: &str) -> Result<Option<i64>, Rejection> {
    match server::param(request, key) {
        Param::Absent => Ok(None),
        Param::Once(value) => value.parse::<i64>().map(Some).map_err(|_| {
            bad(
                400,
                format!("Invalid {key}: it must be a Unix timestamp in milliseconds"),
            )
        }),
        Param::Repeated => Err(bad(400, format!("Invalid {key}: give it at most once"))),
    }
}

/// Spotify's error bodies carry no code.
fn bad(status: u16, message: impl Into<String>) -> Rejection {
    server::reject(status, "", message)
}

fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).expect("play time within chrono's range")
}

/// FNV-1a: a stable seed from a name, so that `SpotifyPlay::new` needs no randomness.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn external(kind: &str, id: &str) -> types::ExternalUrls {
    types::ExternalUrls {
        spotify: Some(format!("https://open.spotify.com/{kind}/{id}")),
        extra: Default::default(),
    }
}

fn catalogue_artist(id: &str, name: &str) -> types::SimplifiedArtist {
    types::SimplifiedArtist {
        external_urls: external("artist", id),
        href: Some(format!("https://api.spotify.com/v1/artists/{id}")),
        id: Some(id.to_owned()),
        name: name.to_owned(),
        type_: "artist".to_owned(),
        uri: Some(format!("spotify:artist:{id}")),
    }
}

/// An album by `artists`: cover art in three sizes, a release date of day, month or year
/// precision, and (unless the app is one that no longer receives them) its markets.
fn catalogue_album(
    rng: &mut Rng,
    id: &str,
    artists: Vec<types::SimplifiedArtist>,
) -> types::SimplifiedAlbum {
    let art = rng.string(b"0123456789abcdef", 24);
    let images = [("b273", 640), ("1e02", 300), ("4851", 64)]
        .map(|(kind, size)| types::Image {
            height: Some(size),
            url: format!("https://i.scdn.co/image/ab67616d0000{kind}{art}"),
            width: Some(size),
        })
        .to_vec();
    let year = rng.between(1960, 2024);
    let (release_date, precision) = match rng.below(8) {
        0 => (format!("{year}"), "year"),
        1 => (format!("{year}-{:02}", rng.between(1, 12)), "month"),
        _ => (
            format!("{year}-{:02}-{:02}", rng.between(1, 12), rng.between(1, 28)),
            "day",
        ),
    };
    let album_type = *rng.pick(&["album", "album", "single", "compilation"]);
    types::SimplifiedAlbum {
        album_type: Some(album_type.to_owned()),
        artists,
        available_markets: if rng.one_in(3) {
            Vec::new()
        } else {
            ["CA", "MX", "US"].map(str::to_owned).to_vec()
        },
        external_urls: external("album", id),
        href: Some(format!("https://api.spotify.com/v1/albums/{id}")),
        id: Some(id.to_owned()),
        images,
        name: random::title(rng),
        release_date: Some(release_date),
        release_date_precision: Some(precision.to_owned()),
        restrictions: None,
        total_tracks: Some(rng.between(1, 18) as i32),
        type_: "album".to_owned(),
        uri: Some(format!("spotify:album:{id}")),
    }
}

fn catalogue_track(
    rng: &mut Rng,
    id: &str,
    name: &str,
    artists: Vec<types::SimplifiedArtist>,
    album: types::SimplifiedAlbum,
) -> types::Track {
    // Since February 2026, apps in Development Mode receive no `available_markets`,
    // `external_ids` or `popularity` on tracks.
    let trimmed = rng.one_in(3);
    let preview_url = (!rng.one_in(2)).then(|| {
        format!(
            "https://p.scdn.co/mp3-preview/{}",
            rng.string(b"0123456789abcdef", 40)
        )
    });
    types::Track {
        album: Some(album),
        artists,
        available_markets: if trimmed {
            Vec::new()
        } else {
            ["CA", "MX", "US"].map(str::to_owned).to_vec()
        },
        disc_number: 1,
        duration_ms: rng.between(95_000, 420_000) as i64,
        explicit: rng.one_in(5),
        external_ids: (!trimmed).then(|| types::ExternalIds {
            ean: None,
            isrc: Some(format!("QZ{}", rng.string(b"0123456789", 10))),
            upc: None,
            extra: Default::default(),
        }),
        external_urls: external("track", id),
        href: Some(format!("https://api.spotify.com/v1/tracks/{id}")),
        id: Some(id.to_owned()),
        is_local: Some(false),
        is_playable: None,
        linked_from: None,
        name: name.to_owned(),
        popularity: (!trimmed).then(|| rng.below(101) as i32),
        preview_url,
        restrictions: None,
        track_number: rng.between(1, 14) as i32,
        type_: "track".to_owned(),
        uri: Some(format!("spotify:track:{id}")),
    }
}

/// A local file: no Spotify ID, URI or Web API link, for the track, its artist or its album,
/// whose name is all that is known of it.
fn local_track(rng: &mut Rng) -> types::Track {
    let empty = || types::ExternalUrls {
        spotify: None,
        extra: Default::default(),
    };
    types::Track {
        album: Some(types::SimplifiedAlbum {
            album_type: None,
            artists: Vec::new(),
            available_markets: Vec::new(),
            external_urls: empty(),
            href: None,
            id: None,
            images: Vec::new(),
            name: format!("{} (home recordings)", random::title(rng)),
            release_date: None,
            release_date_precision: None,
            restrictions: None,
            total_tracks: None,
            type_: "album".to_owned(),
            uri: None,
        }),
        artists: vec![types::SimplifiedArtist {
            external_urls: empty(),
            href: None,
            id: None,
            name: random::artist_name(rng),
            type_: "artist".to_owned(),
            uri: None,
        }],
        available_markets: Vec::new(),
        disc_number: 0,
        duration_ms: rng.between(60_000, 600_000) as i64,
        explicit: false,
        external_ids: None,
        external_urls: empty(),
        href: None,
        id: None,
        is_local: Some(true),
        is_playable: None,
        linked_from: None,
        name: format!("{} (demo)", random::title(rng)),
        popularity: None,
        preview_url: None,
        restrictions: None,
        track_number: 0,
        type_: "track".to_owned(),
        uri: None,
    }
}

fn catalogue_context(kind: &str, id: &str) -> types::Context {
    types::Context {
        external_urls: Some(external(kind, id)),
        href: Some(format!("https://api.spotify.com/v1/{kind}s/{id}")),
        type_: kind.to_owned(),
        uri: format!("spotify:{kind}:{id}"),
    }
}

/// The user's "Liked Songs": a context with no Web API endpoint.
fn collection_context() -> types::Context {
    types::Context {
        external_urls: Some(types::ExternalUrls {
            spotify: Some("https://open.spotify.com/collection/tracks".to_owned()),
            extra: Default::default(),
        }),
        href: None,
        type_: "collection".to_owned(),
        uri: "spotify:user:sandboxlistener:collection".to_owned(),
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
        assert!(plays.iter().any(|play| play.track.is_local == Some(true)
            && play.track.id.is_none()
            && play.track.uri.is_none()
            && play.track.href.is_none()));
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

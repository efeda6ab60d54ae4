//! A simulation of the Amazon Music Web API's player history methods
//! (`specs/amazon-music-web-api.yaml`): `GET /v1/player/recentlyPlayed`,
//! `GET /v1/me/recentlyPlayedEntities` and `GET /v1/users/{id}/recentlyPlayedEntities`.
//!
//! What it does, beyond serving plays:
//!
//! - Every request needs `Authorization: Bearer <token>` with
//!   [`AmazonMusicHistory::access_token`] (else `401`) and `x-api-key` with
//!   [`AmazonMusicHistory::api_key`] (else `403`); the token is checked first. Error bodies
//!   follow the spec's `ErrorResponse`: `{"error": {"status": "401", "code": ..., "message":
//!   ...}}`, `status` a string.
//! - `limit` defaults to 60 for tracks (at most 60) and 100 for entities (at most 100); anything
//!   but an integer in range is `400`. A known parameter given twice is `400`.
//! - `entityTypes` is ONE comma-separated value (`entityTypes=Album,Track`). A name that is not
//!   an `EntityType` is `400`, and so is a repeated `entityTypes` key (what a client that
//!   ignores `explode: false` sends). With a filter, only plays of the named kinds come back;
//!   a kind the spec does not know (an [`EntityNode::Unknown`]) cannot be named, so it comes
//!   back only when no filter is given.
//! - Edges come newest first (plays at the same instant in the order they were given).
//!   `pageInfo.token` continues after the page's last edge, and is `null` on the last page
//!   (`hasNextPage: false`); `edgeCount` counts the page's edges. A token is opaque: it
//!   holds a position and a checksum, so a garbled or forged `cursor` is `400`, and so is a
//!   token issued for another user, method or `entityTypes` filter. Tokens hold `:` and `+`,
//!   so a client that does not percent-encode query values is caught too. Plays added while a
//!   client pages do not shift its pages.
//! - `/users/{id}`: the `{id}` segment is percent-decoded exactly once and compared with the
//!   user IDs; an unknown ID is `404`. [`RecordedRequest::path_segments`] shows what arrived.
//! - Unknown paths get `404`, other methods `405` (with `Allow: GET`), with the same error body.
//!
//! [`RecordedRequest::path_segments`]: crate::RecordedRequest::path_segments

use std::collections::BTreeSet;

use amazon_music_web_api::types::{self, EntityType};
use amazon_music_web_api::{EntityNode, Entry};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use crate::fault::Fault;
use crate::random::{self, LOWER_BASE32, Rng, UPPER_ALNUM};
use crate::record::{RecordedRequest, percent_encode};
use crate::server::{self, Param, Rejection, Service, Simulation, reject};

/// The access token an [`AmazonMusicHistory`] accepts unless told otherwise.
pub const DEFAULT_ACCESS_TOKEN: &str = "sandbox-amazon-music-token";

/// The `x-api-key` (security profile ID) an [`AmazonMusicHistory`] accepts unless told
/// otherwise.
pub const DEFAULT_API_KEY: &str = "sandbox-amazon-music-api-key";

/// One play of a track, as `/player/recentlyPlayed` serves it.
#[derive(Clone, Debug, PartialEq)]
pub struct TrackPlay {
    /// When the track was played (kept, and served, at millisecond precision).
    pub played_at: DateTime<Utc>,
    /// The track, served as the edge's `node`.
    pub track: types::TrackSummary,
}

impl TrackPlay {
    /// A play, at `played_at_ms` (Unix milliseconds), of track `id` titled `title`.
    pub fn new(played_at_ms: i64, id: &str, title: &str) -> Self {
        Self {
            played_at: from_millis(played_at_ms),
            track: types::TrackSummary {
                id: id.to_owned(),
                title: Some(title.to_owned()),
                url: Some(format!(
                    "https://music.amazon.com/tracks/{}?do=play",
                    percent_encode(id)
                )),
            },
        }
    }
}

/// One play of an entity (album, playlist, podcast episode, …), as the entity methods serve it.
#[derive(Clone, Debug, PartialEq)]
pub struct EntityPlay {
    /// The history entry's ID (the edge's `id`), if it has one.
    pub id: Option<String>,
    /// When the entity was played (kept, and served, at millisecond precision).
    pub played_date: DateTime<Utc>,
    /// The entity, served as the edge's `node`; an [`EntityNode::Unknown`] is served as its
    /// raw JSON.
    pub node: EntityNode,
}

impl EntityPlay {
    /// A play, with history entry ID `id`, at `played_date_ms` (Unix milliseconds), of `node`
    /// (see [`entity`]).
    ///
    /// ```
    /// use amazon_music_web_api::types::EntityType;
    /// use music_history_sandbox::amazon::{EntityPlay, entity};
    ///
    /// let play = EntityPlay::new("recentlyPlayedId2", 1_657_843_360_566,
    ///     entity(EntityType::Album, "B0847V9254", "Changes"));
    /// assert_eq!(play.node.kind(), "Album");
    /// ```
    pub fn new(id: &str, played_date_ms: i64, node: EntityNode) -> Self {
        Self {
            id: Some(id.to_owned()),
            played_date: from_millis(played_date_ms),
            node,
        }
    }
}

/// A node of a documented `kind`, with this `id` and `title` and a made-up Amazon Music `url`.
/// For a kind the spec does not know, build an [`EntityNode::Unknown`] from raw JSON instead.
pub fn entity(kind: EntityType, id: &str, title: &str) -> EntityNode {
    let title = Some(title.to_owned());
    let segment = percent_encode(id);
    let url = |path: &str| Some(format!("https://music.amazon.com/{path}/{segment}"));
    match kind {
        EntityType::Album => EntityNode::Album(types::Album {
            id: id.to_owned(),
            name: None,
            title,
            type_: types::AlbumType::Album,
            url: url("albums"),
        }),
        EntityType::Artist => EntityNode::Artist(types::Artist {
            id: id.to_owned(),
            name: title,
            title: None,
            type_: types::ArtistType::Artist,
            url: url("artists"),
        }),
        EntityType::Category => EntityNode::Category(types::Category {
            id: id.to_owned(),
            name: None,
            title,
            type_: types::CategoryType::Category,
            url: url("categories"),
        }),
        EntityType::Playlist => EntityNode::Playlist(types::Playlist {
            id: id.to_owned(),
            name: None,
            title,
            type_: types::PlaylistType::Playlist,
            url: url("playlists"),
        }),
        EntityType::PodcastEpisode => EntityNode::PodcastEpisode(types::PodcastEpisode {
            id: id.to_owned(),
            name: None,
            title,
            type_: types::PodcastEpisodeType::PodcastEpisode,
            url: url("podcasts/episodes"),
        }),
        EntityType::PodcastShow => EntityNode::PodcastShow(types::PodcastShow {
            id: id.to_owned(),
            name: None,
            title,
            type_: types::PodcastShowType::PodcastShow,
            url: url("podcasts"),
        }),
        EntityType::Track => EntityNode::Track(types::Track {
            id: id.to_owned(),
            name: None,
            title,
            type_: types::TrackType::Track,
            url: url("tracks"),
        }),
        EntityType::User => EntityNode::User(types::User {
            id: id.to_owned(),
            name: title,
            title: None,
            type_: types::UserType::User,
            url: url("profiles"),
        }),
    }
}

/// One Amazon Music user and what they played.
#[derive(Clone, Debug, PartialEq)]
pub struct AmazonMusicUser {
    /// The user's Amazon Music ID: any non-empty text, `/`, `?`, `#`, `%` and any Unicode
    /// included (only `.` and `..` cannot be reached: URL parsing removes them as dot
    /// segments).
    pub id: String,
    /// The display name; `None` is served as `"name": null`.
    pub name: Option<String>,
    /// The tracks they played, in any order (served only for "me", by `/player/recentlyPlayed`).
    pub tracks: Vec<TrackPlay>,
    /// The entities they played, in any order.
    pub entities: Vec<EntityPlay>,
}

impl AmazonMusicUser {
    /// A user who has played nothing yet.
    pub fn new(id: &str, name: Option<&str>) -> Self {
        Self {
            id: id.to_owned(),
            name: name.map(str::to_owned),
            tracks: Vec::new(),
            entities: Vec::new(),
        }
    }
}

/// What an [`AmazonMusicSimulation`] starts from: the users, which of them owns the token,
/// and the credentials accepted.
#[derive(Clone, Debug, PartialEq)]
pub struct AmazonMusicHistory {
    /// Every user; with two of the same ID, the first one wins.
    pub users: Vec<AmazonMusicUser>,
    /// The ID of the user who owns the access token: "me" of `/me/...` and `/player/...`.
    pub me: String,
    /// The one access token accepted (default [`DEFAULT_ACCESS_TOKEN`]).
    pub access_token: String,
    /// The one `x-api-key` accepted (default [`DEFAULT_API_KEY`]).
    pub api_key: String,
}

impl AmazonMusicHistory {
    /// A history with one user, `me`, the token's owner, and the default credentials.
    pub fn new(me: AmazonMusicUser) -> Self {
        Self {
            me: me.id.clone(),
            users: vec![me],
            access_token: DEFAULT_ACCESS_TOKEN.to_owned(),
            api_key: DEFAULT_API_KEY.to_owned(),
        }
    }

    /// The same history with one more user.
    pub fn with_user(mut self, user: AmazonMusicUser) -> Self {
        self.users.push(user);
        self
    }

    /// Two users, the same for the same `seed`: "me" (`users[0]`, named) with `n` track plays
    /// and `n` entity plays, and another user (`users[1]`, no name, as in the documented
    /// example) with `n` entity plays. Plays are a few seconds to minutes apart and end on
    /// 2024-05-01; entities are of kinds Track, Album, Playlist, PodcastEpisode, Artist and
    /// PodcastShow (each within every eight plays), with now and then two at the same
    /// instant, as in the documented example; and, for `n >= 2`, one of "me"'s entity plays
    /// is of a kind the spec does not know (`"_type": "Audiobook"`).
    ///
    /// ```
    /// use music_history_sandbox::amazon::AmazonMusicHistory;
    ///
    /// let history = AmazonMusicHistory::realistic(20, 5);
    /// assert_eq!(history.me, history.users[0].id);
    /// assert_eq!(history.users[0].entities.len(), 20);
    /// assert!(history.users[0].entities.iter().any(|play| play.node.kind() == "Audiobook"));
    /// ```
    pub fn realistic(n: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let mut me = AmazonMusicUser::new(&rng.string(LOWER_BASE32, 26), Some("Sandbox Listener"));
        let mut other = AmazonMusicUser::new(&rng.string(LOWER_BASE32, 26), None);

        let catalogue: Vec<(String, String, String)> = (0..(n / 3).max(8))
            .map(|_| {
                let asin = format!("B0{}", rng.string(UPPER_ALNUM, 8));
                let album = format!("B0{}", rng.string(UPPER_ALNUM, 8));
                (asin, album, random::title(&mut rng))
            })
            .collect();
        let mut played_at_ms: i64 = 1_714_564_800_000; // 2024-05-01T12:00:00Z
        for _ in 0..n {
            played_at_ms -= rng.between(31_000, 420_000) as i64;
            let (asin, album, title) = rng.pick(&catalogue);
            me.tracks.push(TrackPlay {
                played_at: from_millis(played_at_ms),
                track: types::TrackSummary {
                    id: asin.clone(),
                    title: Some(title.clone()),
                    url: Some(format!(
                        "https://music.amazon.com/albums/{album}/?trackAsin={asin}&do=play"
                    )),
                },
            });
        }
        me.entities = realistic_entities(&mut rng, n);
        if n >= 2 {
            let at = n / 2;
            let raw = json!({
                "_type": "Audiobook",
                "id": format!("AB{}", rng.string(UPPER_ALNUM, 8)),
                "title": random::title(&mut rng),
                "narrator": random::artist_name(&mut rng),
                "url": "https://music.amazon.com/audiobooks",
            });
            me.entities[at].node = EntityNode::Unknown(raw);
        }
        other.entities = realistic_entities(&mut rng, n);
        Self::new(me).with_user(other)
    }
}

/// `n` entity plays, newest first, each kind within every eight plays.
fn realistic_entities(rng: &mut Rng, n: usize) -> Vec<EntityPlay> {
    let mut schedule: Vec<EntityType> = Vec::new();
    let mut played_ms: i64 = 1_714_564_800_000;
    (0..n)
        .map(|i| {
            if schedule.is_empty() {
                schedule = vec![
                    EntityType::Track,
                    EntityType::Album,
                    EntityType::Playlist,
                    EntityType::PodcastEpisode,
                    EntityType::Track,
                    EntityType::Artist,
                    EntityType::Album,
                    EntityType::PodcastShow,
                ];
                for j in (1..schedule.len()).rev() {
                    schedule.swap(j, rng.below(j as u64 + 1) as usize);
                }
            }
            let kind = schedule.pop().expect("refilled above");
            // Now and then two entities at the same instant (an album and its playlist).
            if i == 0 || !rng.one_in(6) {
                played_ms -= rng.between(31_000, 900_000) as i64;
            }
            let id = match kind {
                EntityType::Playlist | EntityType::PodcastEpisode | EntityType::PodcastShow => {
                    let hex = rng.string(b"0123456789abcdef", 32);
                    format!(
                        "{}-{}-{}-{}-{}",
                        &hex[..8],
                        &hex[8..12],
                        &hex[12..16],
                        &hex[16..20],
                        &hex[20..]
                    )
                }
                _ => format!("B0{}", rng.string(UPPER_ALNUM, 8)),
            };
            let title = match kind {
                EntityType::Artist => random::artist_name(rng),
                EntityType::PodcastEpisode => {
                    format!("Episode {}: {}", rng.between(1, 120), random::title(rng))
                }
                _ => random::title(rng),
            };
            EntityPlay::new(
                &format!("recentlyPlayedId{}", i + 1),
                played_ms,
                entity(kind, &id, &title),
            )
        })
        .collect()
}

/// A running simulation of the Amazon Music player history methods; it stops when dropped.
///
/// ```
/// use music_history_sandbox::amazon::{AmazonMusicHistory, AmazonMusicSimulation};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(10, 2)).await;
/// let response = client_support::http::client_builder().build()?
///     .get(format!("{}/me/recentlyPlayedEntities?entityTypes=Album,Track", sim.base_url()))
///     .bearer_auth("sandbox-amazon-music-token")
///     .header("x-api-key", "sandbox-amazon-music-api-key")
///     .send()
///     .await?;
/// assert_eq!(response.status(), 200);
/// let page: amazon_music_web_api::types::RecentlyPlayedEntitiesResponse = response.json().await?;
/// let edges = page.data.user.unwrap().recent_entities_playback.unwrap().edges;
/// assert!(edges.iter().all(|edge| {
///     edge.item().is_some_and(|edge| ["Album", "Track"].contains(&edge.node.kind()))
/// }));
/// # Ok(())
/// # }
/// ```
pub struct AmazonMusicSimulation {
    sim: Simulation<AmazonMusic>,
}

impl std::fmt::Debug for AmazonMusicSimulation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AmazonMusicSimulation")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

impl AmazonMusicSimulation {
    /// Starts serving `history` on a free port of 127.0.0.1. Call it inside a Tokio runtime.
    ///
    /// # Panics
    ///
    /// If `history.me` is not the ID of one of `history.users`.
    pub async fn start(history: AmazonMusicHistory) -> Self {
        let mut users: Vec<UserState> = Vec::new();
        for user in history.users {
            if users.iter().all(|known| known.id != user.id) {
                users.push(UserState::new(user));
            }
        }
        let me = users
            .iter()
            .position(|user| user.id == history.me)
            .unwrap_or_else(|| panic!("AmazonMusicHistory::me ({:?}) names no user", history.me));
        let next_seq = users
            .iter()
            .map(|user| user.tracks.len().max(user.entities.len()) as u64)
            .max()
            .unwrap_or(0);
        let service = AmazonMusic {
            users,
            me,
            access_token: history.access_token,
            api_key: history.api_key,
            next_seq,
        };
        Self {
            sim: Simulation::start(service).await,
        }
    }

    /// The base URL to give a client, `http://127.0.0.1:<port>/v1` (the spec's server is
    /// `https://api.music.amazon.dev/v1`).
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

    /// Accepts `api_key`, and only it, as `x-api-key` from now on.
    pub fn set_api_key(&self, api_key: impl Into<String>) {
        let api_key = api_key.into();
        self.sim.with_service(|s| s.api_key = api_key);
    }

    /// Adds a track play to user `user_id`'s history, as if they had just played it.
    ///
    /// # Panics
    ///
    /// If no user has that ID.
    pub fn record_track_play(&self, user_id: &str, play: TrackPlay) {
        self.sim.with_service(|s| {
            let seq = s.take_seq();
            s.user_mut(user_id).tracks.insert((seq, play));
        });
    }

    /// Adds an entity play to user `user_id`'s history, as if they had just played it.
    ///
    /// # Panics
    ///
    /// If no user has that ID.
    pub fn record_entity_play(&self, user_id: &str, play: EntityPlay) {
        self.sim.with_service(|s| {
            let seq = s.take_seq();
            s.user_mut(user_id).entities.insert((seq, play));
        });
    }
}

/// A play that can be paged: when it happened, at millisecond precision.
trait Played: Clone {
    fn at(&self) -> DateTime<Utc>;
    fn truncated(self) -> Self;
}

impl Played for TrackPlay {
    fn at(&self) -> DateTime<Utc> {
        self.played_at
    }
    fn truncated(self) -> Self {
        Self {
            played_at: server::to_millis(self.played_at),
            ..self
        }
    }
}

impl Played for EntityPlay {
    fn at(&self) -> DateTime<Utc> {
        self.played_date
    }
    fn truncated(self) -> Self {
        Self {
            played_date: server::to_millis(self.played_date),
            ..self
        }
    }
}

/// Plays in serving order: newest first, then by sequence number (the order given, then the
/// order recorded). A play's position is `(time in ms, sequence number)`: what tokens hold.
struct Timeline<P> {
    plays: Vec<(u64, P)>,
}

impl<P: Played> Timeline<P> {
    fn new(plays: Vec<P>) -> Self {
        let mut timeline = Self {
            plays: Vec::with_capacity(plays.len()),
        };
        for (seq, play) in plays.into_iter().enumerate() {
            timeline.insert((seq as u64, play));
        }
        timeline
    }

    fn len(&self) -> usize {
        self.plays.len()
    }

    fn key(seq: u64, play: &P) -> (std::cmp::Reverse<i64>, u64) {
        (std::cmp::Reverse(play.at().timestamp_millis()), seq)
    }

    fn insert(&mut self, (seq, play): (u64, P)) {
        let play = play.truncated();
        let key = Self::key(seq, &play);
        let at = self.plays.partition_point(|(s, p)| Self::key(*s, p) <= key);
        self.plays.insert(at, (seq, play));
    }

    /// The plays after position `after` (all of them for `None`) that pass `keep`.
    fn after<'a>(
        &'a self,
        after: Option<(i64, u64)>,
        keep: impl Fn(&P) -> bool + 'a,
    ) -> impl Iterator<Item = &'a (u64, P)> + 'a {
        let start = match after {
            Some((ms, seq)) => {
                let key = (std::cmp::Reverse(ms), seq);
                self.plays.partition_point(|(s, p)| Self::key(*s, p) <= key)
            }
            None => 0,
        };
        self.plays[start..]
            .iter()
            .filter(move |(_, play)| keep(play))
    }
}

struct UserState {
    id: String,
    name: Option<String>,
    tracks: Timeline<TrackPlay>,
    entities: Timeline<EntityPlay>,
}

impl UserState {
    fn new(user: AmazonMusicUser) -> Self {
        Self {
            id: user.id,
            name: user.name,
            tracks: Timeline::new(user.tracks),
            entities: Timeline::new(user.entities),
        }
    }

    fn profile_url(&self) -> String {
        format!(
            "https://music.amazon.com/profiles/{}",
            percent_encode(&self.id)
        )
    }
}

/// The simulated service's state.
struct AmazonMusic {
    users: Vec<UserState>,
    /// Index of the token's owner in `users`.
    me: usize,
    access_token: String,
    api_key: String,
    /// The next sequence number for a recorded play (above every given one).
    next_seq: u64,
}

/// Which method a path names.
enum Route {
    Tracks,
    Entities { user: Option<String> },
}

impl Service for AmazonMusic {
    fn answer(
        &mut self,
        request: &RecordedRequest,
        _base_url: &str,
    ) -> Result<ResponseTemplate, Rejection> {
        let segments: Vec<&str> = request.path_segments.iter().map(String::as_str).collect();
        let route = match segments.as_slice() {
            ["v1", "player", "recentlyPlayed"] => Route::Tracks,
            ["v1", "me", "recentlyPlayedEntities"] => Route::Entities { user: None },
            ["v1", "users", id, "recentlyPlayedEntities"] => Route::Entities {
                user: Some((*id).to_owned()),
            },
            _ => {
                return Err(reject(
                    404,
                    "RESOURCE_NOT_FOUND",
                    "The requested resource was not found.",
                ));
            }
        };
        if request.method != "GET" {
            return Err(reject(
                405,
                "METHOD_NOT_ALLOWED",
                "Only GET is allowed here.",
            ));
        }
        self.authorize(request)?;
        match route {
            Route::Tracks => self.tracks(request),
            Route::Entities { user } => self.entities(request, user.as_deref()),
        }
    }

    /// The spec's `ErrorResponse`: `status` is the status code as a string.
    fn error(&self, rejection: &Rejection) -> ResponseTemplate {
        let body = types::ErrorResponse {
            error: types::ErrorObject {
                code: Some(rejection.code.to_owned()),
                message: rejection.message.clone(),
                payload: Default::default(),
                reference: None,
                status: rejection.status.to_string(),
                url: None,
            },
        };
        server::json(rejection.status, &server::to_value(&body))
    }

    fn rate_limited(&self) -> Rejection {
        reject(429, "TOO_MANY_REQUESTS", "Too many requests. Retry later.")
    }

    fn server_error(&self) -> Rejection {
        reject(500, "INTERNAL_SERVER_ERROR", "An internal error occurred.")
    }
}

impl AmazonMusic {
    fn take_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq - 1
    }

    fn user_mut(&mut self, id: &str) -> &mut UserState {
        self.users
            .iter_mut()
            .find(|user| user.id == id)
            .unwrap_or_else(|| panic!("no user has ID {id:?}"))
    }

    /// The token first (`401`), then the API key (`403`).
    fn authorize(&self, request: &RecordedRequest) -> Result<(), Rejection> {
        let token = request.header("authorization").map(|value| {
            value
                .split_once(' ')
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                .map(|(_, token)| token)
        });
        match token {
            None => return Err(reject(401, "UNAUTHORIZED", "Missing access token.")),
            Some(token) if token != Some(self.access_token.as_str()) => {
                return Err(reject(
                    401,
                    "INVALID_ACCESS_TOKEN",
                    "Access token is invalid or expired.",
                ));
            }
            Some(_) => {}
        }
        match request.header("x-api-key") {
            Some(key) if key == self.api_key => Ok(()),
            Some(_) => Err(reject(403, "FORBIDDEN", "Invalid x-api-key.")),
            None => Err(reject(403, "FORBIDDEN", "Missing x-api-key.")),
        }
    }

    fn tracks(&self, request: &RecordedRequest) -> Result<ResponseTemplate, Rejection> {
        let limit = limit_param(request, 60)?;
        let user = &self.users[self.me];
        let scope = fnv1a(&[b"tracks", user.id.as_bytes()]);
        let after = cursor_param(request, scope)?;
        let (page, token) = paginate(&user.tracks, after, limit, scope, |_| true);
        let connection = types::TrackPlaybackConnection {
            edge_count: Some(page.len() as u64),
            edges: page
                .iter()
                .map(|play| types::TrackPlaybackEdge {
                    node: play.track.clone(),
                    played_at: play.played_at,
                })
                .map(Entry::Item)
                .collect(),
            page_info: page_info(token),
        };
        let body = types::RecentlyPlayedTracksResponse {
            data: types::RecentlyPlayedTracksData {
                user: Some(types::TracksUser {
                    id: user.id.clone(),
                    name: user.name.clone(),
                    recent_track_playback: Some(connection),
                    url: Some(user.profile_url()),
                }),
            },
        };
        let times: Vec<_> = page.iter().map(|play| play.played_at).collect();
        let body = as_served(
            server::to_value(&body),
            "recentTrackPlayback",
            "playedAt",
            &times,
        );
        Ok(server::json(200, &body))
    }

    fn entities(
        &self,
        request: &RecordedRequest,
        user_id: Option<&str>,
    ) -> Result<ResponseTemplate, Rejection> {
        let limit = limit_param(request, 100)?;
        let kinds = entity_types_param(request)?;
        let user = match user_id {
            None => &self.users[self.me],
            Some(id) => self
                .users
                .iter()
                .find(|user| user.id == id)
                .ok_or_else(|| reject(404, "RESOURCE_NOT_FOUND", "No user has this ID."))?,
        };
        let filter = match &kinds {
            None => "*".to_owned(),
            Some(kinds) => kinds
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(","),
        };
        let scope = fnv1a(&[b"entities", user.id.as_bytes(), filter.as_bytes()]);
        let after = cursor_param(request, scope)?;
        let wanted = |play: &EntityPlay| match &kinds {
            None => true,
            Some(kinds) => {
                !matches!(play.node, EntityNode::Unknown(_))
                    && kinds
                        .iter()
                        .any(|kind| kind.to_string() == play.node.kind())
            }
        };
        let (page, token) = paginate(&user.entities, after, limit, scope, wanted);
        let connection = types::EntityPlaybackConnection {
            edge_count: Some(page.len() as u64),
            edges: page
                .iter()
                .map(|play| types::EntityPlaybackEdge {
                    id: play.id.clone(),
                    node: play.node.clone(),
                    played_date: play.played_date,
                })
                .map(Entry::Item)
                .collect(),
            page_info: page_info(token),
        };
        let body = types::RecentlyPlayedEntitiesResponse {
            data: types::RecentlyPlayedEntitiesData {
                user: Some(types::EntitiesUser {
                    id: user.id.clone(),
                    name: user.name.clone(),
                    recent_entities_playback: Some(connection),
                    url: Some(user.profile_url()),
                }),
            },
        };
        let times: Vec<_> = page.iter().map(|play| play.played_date).collect();
        let body = as_served(
            server::to_value(&body),
            "recentEntitiesPlayback",
            "playedDate",
            &times,
        );
        Ok(server::json(200, &body))
    }
}

/// The page after position `after`: up to `limit` plays that pass `keep`, and the token of
/// the next page when more follow.
fn paginate<P: Played>(
    timeline: &Timeline<P>,
    after: Option<(i64, u64)>,
    limit: usize,
    scope: u64,
    keep: impl Fn(&P) -> bool,
) -> (Vec<P>, Option<String>) {
    let mut rest = timeline.after(after, keep);
    let page: Vec<&(u64, P)> = rest.by_ref().take(limit).collect();
    let token = match (page.last(), rest.next()) {
        (Some((seq, last)), Some(_)) => {
            Some(issue_cursor(scope, last.at().timestamp_millis(), *seq))
        }
        _ => None,
    };
    (
        page.into_iter().map(|(_, play)| play.clone()).collect(),
        token,
    )
}

fn page_info(token: Option<String>) -> types::PageInfo {
    types::PageInfo {
        has_next_page: token.is_some(),
        token,
    }
}

/// The generated types leave out a `None`; the service sends `null` for the last page's token
/// and for a user without a display name (both nullable in the spec, as in the documented
/// examples), and times at millisecond precision.
fn as_served(mut body: Value, connection: &str, time_key: &str, times: &[DateTime<Utc>]) -> Value {
    if let Some(user) = body["data"]["user"].as_object_mut() {
        user.entry("name").or_insert(Value::Null);
    }
    let connection = &mut body["data"]["user"][connection];
    if let Some(page_info) = connection["pageInfo"].as_object_mut() {
        page_info.entry("token").or_insert(Value::Null);
    }
    if let Some(edges) = connection["edges"].as_array_mut() {
        for (edge, at) in edges.iter_mut().zip(times) {
            edge[time_key] = Value::String(server::rfc3339_millis(at));
        }
    }
    body
}

/// Reads `limit` (default and maximum `max`, minimum 1).
fn limit_param(request: &RecordedRequest, max: usize) -> Result<usize, Rejection> {
    let invalid = || bad_request(format!("limit must be an integer from 1 to {max}."));
    match server::param(request, "limit") {
        Param::Absent => Ok(max),
        Param::Once(value) => match value.parse::<usize>() {
            Ok(limit) if (1..=max).contains(&limit) => Ok(limit),
            _ => Err(invalid()),
        },
        Param::Repeated => Err(invalid()),
    }
}

/// Reads `entityTypes`: one comma-separated value of `EntityType` names, or nothing.
fn entity_types_param(
    request: &RecordedRequest,
) -> Result<Option<BTreeSet<EntityType>>, Rejection> {
    match server::param(request, "entityTypes") {
        Param::Absent => Ok(None),
        Param::Once(value) => value
            .split(',')
            .map(|name| {
                name.parse::<EntityType>().map_err(|_| {
                    bad_request(format!("Unknown entity type {name:?} in entityTypes."))
                })
            })
            .collect::<Result<_, _>>()
            .map(Some),
        Param::Repeated => Err(bad_request(
            "entityTypes is one comma-separated value (entityTypes=Album,Track), \
             not a repeated parameter.",
        )),
    }
}

/// Reads `cursor`: the position a token issued for `scope` continues after.
fn cursor_param(request: &RecordedRequest, scope: u64) -> Result<Option<(i64, u64)>, Rejection> {
    match server::param(request, "cursor") {
        Param::Absent => Ok(None),
        Param::Once(token) => match redeem_cursor(token) {
            Some((token_scope, position)) if token_scope == scope => Ok(Some(position)),
            Some(_) => Err(bad_request(
                "cursor belongs to another user, method or entityTypes filter.",
            )),
            None => Err(bad_request("cursor is not a token this service issued.")),
        },
        Param::Repeated => Err(bad_request("cursor must be given at most once.")),
    }
}

/// Salt of the tokens' checksum, so that a token cannot be made up without this source.
const CURSOR_SALT: &[u8] = b"music-history-sandbox/amazon/cursor/v1";

fn issue_cursor(scope: u64, ms: i64, seq: u64) -> String {
    let body = format!("{ms}:{seq}:{scope:016x}");
    let sum = fnv1a(&[CURSOR_SALT, body.as_bytes()]);
    format!("{body}+{sum:016x}")
}

/// The `(scope, position)` a token holds, or `None` if it is not one [`issue_cursor`] made.
fn redeem_cursor(token: &str) -> Option<(u64, (i64, u64))> {
    let (body, sum) = token.rsplit_once('+')?;
    if sum.len() != 16
        || u64::from_str_radix(sum, 16).ok()? != fnv1a(&[CURSOR_SALT, body.as_bytes()])
    {
        return None;
    }
    let mut parts = body.split(':');
    let ms = parts.next()?.parse().ok()?;
    let seq = parts.next()?.parse().ok()?;
    let scope = u64::from_str_radix(parts.next()?, 16).ok()?;
    parts.next().is_none().then_some((scope, (ms, seq)))
}

/// FNV-1a over the parts, each followed by a separator byte.
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.iter().chain(&[0xff]) {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

fn bad_request(message: impl Into<String>) -> Rejection {
    reject(400, "BAD_REQUEST", message)
}

fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).expect("play time within chrono's range")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_redeems_to_what_it_was_issued_for() {
        let token = issue_cursor(42, 1_649_747_125_758, 7);
        assert_eq!(redeem_cursor(&token), Some((42, (1_649_747_125_758, 7))));
    }

    #[test]
    fn a_garbled_token_redeems_to_nothing() {
        let token = issue_cursor(42, 1_649_747_125_758, 7);
        let garbled = [
            token.replacen('7', "8", 1),
            token.replace('+', " "),
            token[1..].to_owned(),
            format!("{token}0"),
            String::new(),
            "1:2:3".to_owned(),
        ];
        for garbled in garbled {
            assert_eq!(redeem_cursor(&garbled), None, "{garbled}");
        }
    }

    #[test]
    fn realistic_entities_hold_every_kind_and_one_unknown() {
        let history = AmazonMusicHistory::realistic(16, 4);
        let kinds: BTreeSet<&str> = history.users[0]
            .entities
            .iter()
            .map(|p| p.node.kind())
            .collect();
        for kind in [
            "Track",
            "Album",
            "Playlist",
            "PodcastEpisode",
            "Artist",
            "PodcastShow",
            "Audiobook",
        ] {
            assert!(kinds.contains(kind), "no {kind} in {kinds:?}");
        }
        let unknown = history.users[0]
            .entities
            .iter()
            .filter(|play| matches!(play.node, EntityNode::Unknown(_)))
            .count();
        assert_eq!(unknown, 1);
        assert_ne!(history.users[0].id, history.users[1].id);
    }
}

//! A simulation of the Amazon Music Web API's player history methods
//! (`specs/amazon-music-web-api.yaml`): `GET /v1/player/recentlyPlayed`,
//! `GET /v1/me/recentlyPlayedEntities` and `GET /v1/users/{id}/recentlyPlayedEntities`; and
//! of its catalog's `GET /v1/tracks/{id}`.
//!
//! What it does, beyond serving plays:
//!
//! - Every request needs `Authorization: Bearer <token>` with
//!   [`AmazonMusicHistory::access_token`] or a token Login with Amazon (below) issued and that
//!   has not expired (else `401`), and `x-api-key` with [`AmazonMusicHistory::api_key`] (else
//!   `403`); the token is checked first. An issued token must carry the method's scope, as
//!   the spec's `x-authorization-scope` gives it (else `403`): `music::history` for the two
//!   current-user methods, `music::catalog` for `/users/{id}` and `/tracks/{id}`. Error bodies follow the spec's
//!   `ErrorResponse`: `{"error": {"status": "401", "code": ..., "message": ...}}`, `status` a
//!   string.
//! - Login with Amazon (`https://www.amazon.com/ap/oa`, `https://api.amazon.com/auth/o2/token`)
//!   is served at the root of the same port, [`AmazonMusicSimulation::auth_base_url`]:
//!   `GET /ap/oa` and `POST /auth/o2/token`, for the client [`DEFAULT_CLIENT_ID`] with secret
//!   [`DEFAULT_CLIENT_SECRET`]. The user consents at once; see
//!   [`AmazonMusicSimulation::auth_base_url`] for the rules.
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
//!   client pages do not shift its pages. Tokens expire when the test says so
//!   ([`AmazonMusicSimulation::expire_page_tokens`]): `400` as well.
//! - `/users/{id}`: the `{id}` segment is percent-decoded exactly once and compared with the
//!   user IDs; an unknown ID is `404`. [`RecordedRequest::path_segments`] shows what arrived.
//! - No retention unless told: [`AmazonMusicSimulation::set_retention`] keeps only the newest
//!   N plays of every user, forgetting older ones as new plays come.
//! - The catalog knows every track a user's history plays, from the moment it is played (what
//!   it says of one is made up from its ID, the same every time): `/tracks/{id}` answers it,
//!   and `404` for any other ID. A test can make a track unknown
//!   ([`AmazonMusicSimulation::set_track_unknown`]) or every catalog request fail
//!   ([`AmazonMusicSimulation::set_catalog_failure`]: a `429` then carries `Retry-After:
//!   3600`), and count what the catalog was asked
//!   ([`AmazonMusicSimulation::catalog_request_count`]).
//! - Unknown paths get `404`, other methods `405` (with `Allow: GET`), with the same error body.
//! - [`AmazonMusicSimulation::set_rate_limit`]: a rate limit that lasts, and that every request
//!   made while limited lengthens (Spotify's, as reported; Amazon Music documents none).
//!
//! [`RecordedRequest::path_segments`]: crate::RecordedRequest::path_segments

mod catalog;
mod history;
mod paging;
mod sign_in;

pub use history::{AmazonMusicHistory, AmazonMusicUser, EntityPlay, TrackPlay, entity};

use std::time::Duration;

use amazon_music_web_api::types::{self};
use amazon_music_web_api::{EntityNode, Entry};
use wiremock::ResponseTemplate;

use crate::auth::AuthServer;
use crate::fault::Fault;
use crate::record::{RecordedRequest, percent_encode};
use crate::server::{self, Rejection, Service, Simulation, reject};

use catalog::Catalog;
use paging::*;

/// The access token an [`AmazonMusicHistory`] accepts unless told otherwise.
pub const DEFAULT_ACCESS_TOKEN: &str = "sandbox-amazon-music-token";

/// The `x-api-key` (security profile ID) an [`AmazonMusicHistory`] accepts unless told
/// otherwise.
pub const DEFAULT_API_KEY: &str = "sandbox-amazon-music-api-key";

/// The client ID of the one security profile Login with Amazon knows.
pub const DEFAULT_CLIENT_ID: &str = "sandbox-amazon-music-client";

/// That security profile's client secret, sent in the token request's form (or by HTTP
/// Basic).
pub const DEFAULT_CLIENT_SECRET: &str = "sandbox-amazon-music-secret";

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
        let mut catalog = Catalog::default();
        for play in history.users.iter().flat_map(|user| &user.tracks) {
            catalog.learn(&play.track);
        }
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
            catalog,
            users,
            me,
            access_token: history.access_token,
            api_key: history.api_key,
            next_seq,
            retention: None,
            page_generation: 0,
        };
        Self {
            sim: Simulation::start(service, Some(sign_in::LOGIN_WITH_AMAZON)).await,
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

    /// Rate-limits the app for `penalty` from now: every API request is answered `429` with
    /// the spec's `TooManyRequests` body (code `TOO_MANY_REQUESTS`) and `Retry-After` set to
    /// the whole seconds left, and each request received meanwhile adds
    /// [`RATE_LIMIT_EXTENSION`](crate::RATE_LIMIT_EXTENSION) to the penalty. Amazon Music
    /// documents no rate limits; this is Spotify's behaviour (penalties of about a day:
    /// your_spotify #411, spotipy #913, spotDL #2585; lengthened by calling again: spotipy
    /// #1158), for testing one client against both. Requests are still recorded; queued
    /// faults wait for the end of the penalty; Login with Amazon is not limited. `None` lifts
    /// the penalty at once.
    ///
    /// ```
    /// use std::time::Duration;
    /// use music_history_sandbox::amazon::{AmazonMusicHistory, AmazonMusicSimulation};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(3, 9)).await;
    /// sim.set_rate_limit(Some(Duration::from_secs(3_600)));
    /// let response = client_support::http::client_builder().build()?
    ///     .get(format!("{}/player/recentlyPlayed", sim.base_url()))
    ///     .send()
    ///     .await?;
    /// assert_eq!(response.status(), 429);
    /// let wait: u64 = response.headers()["retry-after"].to_str()?.parse()?;
    /// assert!((3_600..=3_660).contains(&wait), "an hour and one extension, less the time taken");
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_rate_limit(&self, penalty: Option<Duration>) {
        self.sim.set_rate_limit(penalty);
    }

    /// Every request received so far, oldest first, but those to the authorization server
    /// ([`AmazonMusicSimulation::auth_requests`]).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.sim.requests()
    }

    /// How many requests were received so far, those to the authorization server aside: a
    /// sign-in or a refresh does not change it.
    pub fn request_count(&self) -> usize {
        self.sim.request_count()
    }

    /// Forgets the requests received so far, the authorization server's too (for long
    /// benchmark runs).
    pub fn clear_requests(&self) {
        self.sim.clear_requests();
    }

    /// Accepts `token` in place of the fixed token from now on; the tokens Login with Amazon
    /// issued keep their own validity.
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
            s.catalog.learn(&play.track);
            s.user_mut(user_id).tracks.insert((seq, play));
            s.forget_beyond_retention();
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
            s.forget_beyond_retention();
        });
    }

    /// Makes track `id` unknown to the catalog from now on (`true`: `/tracks/{id}` answers
    /// `404` though a history plays it), or known again (`false`).
    pub fn set_track_unknown(&self, id: &str, unknown: bool) {
        self.sim
            .with_service(|s| s.catalog.set_unknown(id, unknown));
    }

    /// Answers every catalog request (`/tracks/{id}`) with `status` from now on, in the
    /// spec's error body (`429` with `Retry-After: 3600`, longer than a client waits); `None`
    /// answers again. The history methods are not affected.
    ///
    /// # Panics
    ///
    /// If `status` is not an error status (400 to 599).
    pub fn set_catalog_failure(&self, status: Option<u16>) {
        assert!(
            status.is_none_or(|s| (400..=599).contains(&s)),
            "a catalog failure is an error status, not {status:?}"
        );
        self.sim.with_service(|s| s.catalog.set_failure(status));
    }

    /// What the catalog says of track `id` now, if it knows it.
    pub fn catalog_track(&self, id: &str) -> Option<types::CatalogTrack> {
        self.sim.with_service(|s| s.catalog.get(id).cloned())
    }

    /// How many requests the catalog (`/tracks/...`) received so far.
    pub fn catalog_request_count(&self) -> usize {
        self.requests()
            .iter()
            .filter(|request| request.path_segments.get(1).is_some_and(|s| s == "tracks"))
            .count()
    }

    /// Keeps only the `plays` most recent plays of every user from now on, of each
    /// history (tracks and entities apart), forgetting older ones as new plays come, as
    /// [`SpotifySimulation::set_retention`](crate::spotify::SpotifySimulation::set_retention)
    /// does. Amazon Music documents no limit; this is for tests of what a client does when
    /// the history no longer reaches back to what it has seen. `None`, the default, keeps
    /// every play.
    pub fn set_retention(&self, plays: Option<usize>) {
        self.sim.with_service(|s| {
            s.retention = plays;
            s.forget_beyond_retention();
        });
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
    /// What `/tracks/{id}` answers from.
    catalog: Catalog,
    /// Index of the token's owner in `users`.
    me: usize,
    access_token: String,
    api_key: String,
    /// The next sequence number for a recorded play (above every given one).
    next_seq: u64,
    /// How many of the newest plays of each user's history are kept; `None` keeps all.
    retention: Option<usize>,
    /// The generation of page tokens issued now; older ones are refused as expired.
    page_generation: u64,
}

/// Which method a path names.
enum Route {
    Tracks,
    Entities { user: Option<String> },
    Track { id: String },
}

impl Service for AmazonMusic {
    fn answer(
        &mut self,
        request: &RecordedRequest,
        _base_url: &str,
        auth: Option<&AuthServer>,
    ) -> Result<ResponseTemplate, Rejection> {
        let auth = auth.expect("started with its authorization server");
        let segments: Vec<&str> = request.path_segments.iter().map(String::as_str).collect();
        let route = match segments.as_slice() {
            ["v1", "player", "recentlyPlayed"] => Route::Tracks,
            ["v1", "me", "recentlyPlayedEntities"] => Route::Entities { user: None },
            ["v1", "users", id, "recentlyPlayedEntities"] => Route::Entities {
                user: Some((*id).to_owned()),
            },
            ["v1", "tracks", id] => Route::Track {
                id: (*id).to_owned(),
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
        self.authorize(request, auth, route.scope())?;
        match route {
            Route::Tracks => self.tracks(request),
            Route::Entities { user } => self.entities(request, user.as_deref()),
            Route::Track { id } => match self.catalog.answer(request, &id) {
                // Longer than a client waits: a rate limit it must give up on.
                Err(limited) if limited.status == 429 => {
                    Ok(self.error(&limited).insert_header("retry-after", "3600"))
                }
                answered => answered,
            },
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
    fn forget_beyond_retention(&mut self) {
        if let Some(keep) = self.retention {
            for user in &mut self.users {
                user.tracks.truncate(keep);
                user.entities.truncate(keep);
            }
        }
    }

    /// Who issues the page tokens of what `scope_parts` name (method, user, filter) now.
    fn issuer(&self, scope_parts: &[&[u8]]) -> Issuer {
        Issuer {
            scope: fnv1a(scope_parts),
            generation: self.page_generation,
        }
    }

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

    fn tracks(&self, request: &RecordedRequest) -> Result<ResponseTemplate, Rejection> {
        let limit = limit_param(request, 60)?;
        let user = &self.users[self.me];
        let issuer = self.issuer(&[b"tracks", user.id.as_bytes()]);
        let after = cursor_param(request, issuer)?;
        let (page, token) = paginate(&user.tracks, after, limit, issuer, |_| true);
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
        let issuer = self.issuer(&[b"entities", user.id.as_bytes(), filter.as_bytes()]);
        let after = cursor_param(request, issuer)?;
        let wanted = |play: &EntityPlay| match &kinds {
            None => true,
            Some(kinds) => {
                !matches!(play.node, EntityNode::Unknown(_))
                    && kinds
                        .iter()
                        .any(|kind| kind.to_string() == play.node.kind())
            }
        };
        let (page, token) = paginate(&user.entities, after, limit, issuer, wanted);
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

//! A simulation of the Spotify Web API's `GET /me/player/recently-played`
//! (`specs/spotify-web-api.yaml`).
//!
//! What it does, beyond serving plays:
//!
//! - `Authorization: Bearer <token>` must carry [`SpotifyHistory::access_token`] or a token
//!   the accounts service below issued: `401` otherwise (`"No token provided"` without the
//!   header, `"The access token expired"` with an issued token past its expiry, `"Invalid
//!   access token"` with any other). A token without the `user-read-recently-played` scope
//!   gets `403` (`"Insufficient client scope"`).
//! - The accounts service (`https://accounts.spotify.com`) is served at the root of the same
//!   port, [`SpotifySimulation::accounts_base_url`]: `GET /authorize` and `POST /api/token`,
//!   for the client [`DEFAULT_CLIENT_ID`], a PKCE app that may also send
//!   [`DEFAULT_CLIENT_SECRET`]. The user consents at once; see
//!   [`SpotifySimulation::accounts_base_url`] for the rules.
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
//! - A play's members without a value are sent as `null`, as the service sends them, not
//!   left out: `"context": null`, and a local file's `id`, `href`, `preview_url`, its
//!   album's `album_type`, IDs and release date, its artist's IDs (its `uri` is a
//!   `spotify:local:` one). Every page validates against the spec under strict OpenAPI
//!   3.0.3 semantics (conformance's `realistic_pages`, and `.ci/strict_openapi.py`).
//! - Unknown paths get `404` and other methods `405` (with `Allow: GET`), with the same error
//!   body.
//! - [`SpotifySimulation::set_rate_limit`]: a rate limit of hours or a day, as reported
//!   (your_spotify #411, spotipy #913, spotDL #2585), that every request made while limited
//!   lengthens (spotipy #1158).
//!
//! Plays are kept at millisecond precision, the precision of the cursors; plays that share a
//! millisecond share a cursor position, so a page boundary between them skips the rest of them,
//! as strict `before`/`after` comparisons imply.
//!
//! The ways the real history departs from a plain log, as public reports describe them, are
//! each under the test's control:
//!
//! - the 50-play window: unlike the real service, the history is not cut to the newest 50
//!   plays unless [`SpotifySimulation::set_retention`] says so (spotify/web-api #764, #965);
//! - late plays, which appear hours after newer ones with their own older time:
//!   [`SpotifySimulation::record_play`] (spotify/web-api #512, #531, #724, #1199, #1441);
//! - track relinking, the same play served with another track id:
//!   [`SpotifySimulation::relink`] (spotify/web-api #1232).

mod catalogue;
mod history;
mod quirks;
mod sign_in;

pub use history::{SpotifyHistory, SpotifyPlay};

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;
use spotify_web_api::{Entry, types};
use wiremock::ResponseTemplate;

use crate::auth::AuthServer;
use crate::fault::Fault;
use crate::record::RecordedRequest;
use crate::server::{self, Param, Rejection, Service, Simulation};

/// The access token a [`SpotifyHistory`] accepts unless told otherwise.
pub const DEFAULT_ACCESS_TOKEN: &str = "sandbox-spotify-token";

/// The client ID of the one app the accounts service knows.
pub const DEFAULT_CLIENT_ID: &str = "sandbox-spotify-client";

/// That app's client secret: a PKCE app sends none, but the token endpoint accepts it, by HTTP
/// Basic or in the form.
pub const DEFAULT_CLIENT_SECRET: &str = "sandbox-spotify-secret";

/// The path the simulation serves, below its base URL.
const ENDPOINT: &str = "/me/player/recently-played";

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
            retention: None,
        };
        Self {
            sim: Simulation::start(service, Some(sign_in::ACCOUNTS)).await,
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

    /// Rate-limits the app for `penalty` from now, as Spotify does for hours on end (a
    /// `Retry-After` of 79,892 s in your_spotify #411, 81,654 s in spotipy #913, 86,400 s in
    /// spotDL #2585): every API request is answered `429` with `{"error": {"status": 429,
    /// "message": "API rate limit exceeded"}}` and `Retry-After` set to the whole seconds
    /// left, and each request received meanwhile adds
    /// [`RATE_LIMIT_EXTENSION`](crate::RATE_LIMIT_EXTENSION) to the penalty (calling again
    /// while limited lengthens it: spotipy #1158). Requests are still recorded; queued faults
    /// wait for the end of the penalty; the accounts service is not limited. `None` lifts the
    /// penalty at once.
    ///
    /// ```
    /// use std::time::Duration;
    /// use music_history_sandbox::spotify::{SpotifyHistory, SpotifySimulation};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sim = SpotifySimulation::start(SpotifyHistory::realistic(3, 9)).await;
    /// sim.set_rate_limit(Some(Duration::from_secs(86_400)));
    /// let http = client_support::http::client_builder().build()?;
    /// let url = format!("{}/me/player/recently-played", sim.base_url());
    /// let mut waits = Vec::new();
    /// for _ in 0..2 {
    ///     let response = http.get(&url).bearer_auth("sandbox-spotify-token").send().await?;
    ///     assert_eq!(response.status(), 429);
    ///     waits.push(response.headers()["retry-after"].to_str()?.parse::<u64>()?);
    /// }
    /// assert!(waits[0] > 86_400 && waits[1] > waits[0]);
    /// sim.set_rate_limit(None);
    /// let response = http.get(&url).bearer_auth("sandbox-spotify-token").send().await?;
    /// assert_eq!(response.status(), 200);
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_rate_limit(&self, penalty: Option<Duration>) {
        self.sim.set_rate_limit(penalty);
    }

    /// Every request received so far, oldest first, but those to the authorization server
    /// ([`SpotifySimulation::auth_requests`]).
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

    /// Accepts `token` in place of the fixed token from now on; the tokens the accounts
    /// service issued keep their own validity.
    pub fn set_access_token(&self, token: impl Into<String>) {
        let token = token.into();
        self.sim.with_service(|s| s.access_token = token);
    }

    /// Grants or withdraws the fixed token's `user-read-recently-played` scope (an issued
    /// token has the scopes the user consented to).
    pub fn set_scope_granted(&self, granted: bool) {
        self.sim.with_service(|s| s.scope_granted = granted);
    }

    /// Turns the user's private session on (every answer `204`) or off.
    pub fn set_private_session(&self, on: bool) {
        self.sim.with_service(|s| s.private_session = on);
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
    /// How many of the newest plays are kept; `None` keeps all.
    retention: Option<usize>,
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
        auth: Option<&AuthServer>,
    ) -> Result<ResponseTemplate, Rejection> {
        let auth = auth.expect("started with its authorization server");
        if request.path != format!("/v1{ENDPOINT}") {
            return Err(bad(404, "Service not found"));
        }
        if request.method != "GET" {
            return Err(bad(405, "Method not allowed"));
        }
        self.authorize(request, auth)?;
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
            explicit_nulls(item);
        }
        server::json(200, &body)
    }
}

/// The members of a play that the service sends as `null` when they have no value, and the
/// generated types leave out: the play's `context`; the track's `href`, `id`, `uri` and
/// `preview_url`; its album's `album_type`, `href`, `id`, `release_date`,
/// `release_date_precision` and `uri`; each artist's `href`, `id` and `uri`. A local file
/// comes back with `null` for its IDs and links (as in tekore #200: `"album_type": null,
/// "href": null, "id": null`), and many tracks with `"preview_url": null`, so the
/// explicit-null path of every reader is exercised end to end. (Members that apps in
/// Development Mode no longer receive, such as `popularity` or `available_markets`, are
/// left out, as the service leaves them out.)
fn explicit_nulls(item: &mut Value) {
    fn fill(object: &mut Value, keys: &[&str]) {
        if let Some(object) = object.as_object_mut() {
            for key in keys {
                object.entry(*key).or_insert(Value::Null);
            }
        }
    }
    fn fill_artists(artists: &mut Value) {
        for artist in artists.as_array_mut().into_iter().flatten() {
            fill(artist, &["href", "id", "uri"]);
        }
    }
    fill(item, &["context"]);
    let track = &mut item["track"];
    fill(track, &["href", "id", "uri", "preview_url"]);
    fill_artists(&mut track["artists"]);
    let album = &mut track["album"];
    fill(
        album,
        &[
            "album_type",
            "href",
            "id",
            "release_date",
            "release_date_precision",
            "uri",
        ],
    );
    fill_artists(&mut album["artists"]);
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

pub(super) fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).expect("play time within chrono's range")
}

/// FNV-1a: a stable seed from a name, so that `SpotifyPlay::new` (and ListenBrainz's
/// MessyBrainz IDs) need no randomness.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

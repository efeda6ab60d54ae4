//! A simulation of the ListenBrainz API's listening-history methods
//! (`specs/listenbrainz-api.yaml`): `GET /1/user/{user_name}/listens`,
//! `GET /1/user/{user_name}/listen-count` and `GET /1/validate-token`.
//!
//! Every behaviour is the server's, read from its source: metabrainz/listenbrainz-server at
//! commit `0a119846de26bcaa48503b6b65634d80e977c3b1` (paths below are in that repository) and
//! the rate limiter it uses, metabrainz/brainzutils-python v3.0.0 ("brainzutils").
//!
//! - **No token needed** to read listens or counts: those methods never read `Authorization`
//!   (`listenbrainz/webserver/views/api.py` lines 166-227), so any token sent is accepted.
//! - **Unknown user**: `404` `{"code": 404, "error": "Cannot find user: <name>"}`, before the
//!   parameters are read, so bad parameters for an unknown user are `404` too (`api.py` lines
//!   185-189, 215-217). Names match without regard to case (`listenbrainz/db/user.py` line
//!   192); `payload.user_id` repeats the name as the path gave it, each listen's `user_name`
//!   is the stored spelling (`api.py` line 196).
//! - **Parameters** of `listens` (`listenbrainz/webserver/views/api_tools.py` lines 445-453,
//!   469-477, 502-518): `count` defaults to 25, above 1000 is served as 1000, negative is `400`
//!   "Number of items requested should be positive", not an integer `400` `"Invalid count
//!   argument: <v>"`; `min_ts`/`max_ts` not an integer or outside the years 1 to 9999 is
//!   `400` `"Incorrect min_ts timestamp argument: <v>"`, far beyond them `500`; both together
//!   are accepted, `max_ts <= min_ts` is `400` "max_ts should be greater than min_ts".
//! - **Selection** (`listenbrainz/listenstore/timescale_listenstore.py`, `fetch_listens`,
//!   lines 209-387): bounds exclusive; no bound or `max_ts` only, the `count` newest before
//!   `max_ts`; `min_ts` (alone or with `max_ts`), the `count` oldest after it; always listed
//!   newest first. The payload's `latest_listen_ts` and `oldest_listen_ts` are the user's
//!   (0 without listens), not the page's (lines 120-135, 229-232, 693-698).
//! - **The server's windowed search**, on by default
//!   ([`ListenBrainzSimulation::set_windowed_search`]): with one bound or none, the server
//!   searches in windows of 30, 90, 270, ... days and stops early in three cases real clients
//!   meet (lines 36-43, 255-257, 300-350):
//!   - `min_ts` alone more than a second before the user's oldest listen: only the listens of
//!     the 30 days after `min_ts` (lines 334-336);
//!   - `max_ts` more than 10 minutes ahead of the clock: only the listens of the 30 days before
//!     it (lines 338-340);
//!   - walking back (`max_ts` alone, or no bound), a listen exactly 30, 120, 390, ... days
//!     before the first window's upper bound is in no window, and skipped (lines 255-257,
//!     347-350).
//!
//!   With both bounds, one exact query (lines 297-299, 330-332). A window past the years 1 to
//!   9999 is an uncaught `OverflowError`: `500` (line 301).
//! - **Listens**: whole seconds; several may share one, told apart by `recording_msid`; the
//!   same second and `recording_msid` twice is one listen, the second dropped
//!   (`admin/timescale/create_indexes.sql` line 5; `timescale_listenstore.py` lines 174-175).
//!   [`ListenBrainzSimulation::record_listen`] stores one at any time, with any
//!   `listened_at`, as imports do.
//! - **`validate-token`** (`api.py` lines 470-534): the token of `Authorization: Token <t>`
//!   (`Token` in any case; the token is what follows the first space), else the `token` query
//!   parameter the server still reads; a `Bearer` header is ignored. No token: `400` "You need
//!   to provide an Authorization token."; the user's token: `200` `{"code": 200, "message":
//!   "Token valid.", "valid": true, "user_name": <stored name>}`; any other: `200`
//!   `{"code": 200, "message": "Token invalid.", "valid": false}`.
//! - **Rate limits** (brainzutils `brainzutils/ratelimit.py` lines 102-163): every response of
//!   the three methods, errors included, carries `X-RateLimit-Limit`, `-Remaining`, `-Reset`
//!   and `-Reset-In`, counted in fixed windows aligned to Unix time; past the limit, `429`
//!   `{"code": 429, "error": "You have exceeded your rate limit. See the X-RateLimit-* response
//!   headers for more information on your current rate limit."}` with those headers and no
//!   `Retry-After` ([`ListenBrainzSimulation::set_rate_limit`], [`RateLimit`]).
//! - **Errors** are `{"code": <status>, "error": <message>}` (`listenbrainz/webserver/errors.py`
//!   lines 22-26, 134-154); an uncaught exception is `500` "An unknown error occured." (the
//!   server's spelling, lines 180-189). A path that matches no method, including a user name
//!   of one character or one that starts or ends with `/` (`listenbrainz/webserver/converters.py`
//!   lines 11-15), is `404` with werkzeug's message and no rate-limit headers; another method
//!   than `GET` on a method's path is `405` (with `Allow: GET`), also without them. (The
//!   server's error handlers do not name `405`, so its real body may not be JSON; the
//!   simulation answers it in the API's error shape, as its other simulations do.)
//! - [`ListenBrainzSimulation::set_listen_store_offline`]: `503` "The listen database is
//!   momentarily offline. ..." from the two listens methods
//!   (`listenbrainz/webserver/decorators.py` lines 35-48).
//! - A `User-Agent` containing `lovable.dev` gets `400` `{"code": 400, "message": "Please
//!   contact support@metabrainz.org for assistance."}` before anything else
//!   (`listenbrainz/webserver/__init__.py` lines 357-366).
//! - [`Fault`]s take the place of a method's answer: [`Fault::RateLimited`] is answered as the
//!   server answers `429` (its `retry_after_secs` as `X-RateLimit-Reset-In`, no `Retry-After`),
//!   [`Fault::ServerError`] as its `500`, both with the rate-limit headers.
//!
//! Not simulated: the server's hour-long page cache (`listenbrainz/webserver/listens_cache.py`),
//! deletions, other users, and MBID mappings that change: every answer is of the listens as
//! they are.

mod history;
mod params;
mod rate_limit;
mod search;

pub use history::{ListenBrainzHistory, ListenBrainzListen};
pub use rate_limit::RateLimit;

use std::time::{SystemTime, UNIX_EPOCH};

use client_support::Entry;
use listenbrainz_api::types;
use serde_json::json;
use wiremock::ResponseTemplate;

use crate::auth::AuthServer;
use crate::fault::Fault;
use crate::record::RecordedRequest;
use crate::server::{self, Rejection, Service, Simulation, reject};

use params::ListensQuery;
use rate_limit::Windows;
use search::Selection;

/// The user token a [`ListenBrainzHistory`] has unless told otherwise: `validate-token` says
/// it is [`DEFAULT_USER_NAME`]'s.
pub const DEFAULT_TOKEN: &str = "sandbox-listenbrainz-token";

/// The user a [`ListenBrainzHistory`] belongs to unless told otherwise.
pub const DEFAULT_USER_NAME: &str = "sandbox-listener";

/// A running simulation of the ListenBrainz listening-history methods; it stops when dropped.
///
/// ```
/// use music_history_sandbox::listenbrainz::{DEFAULT_USER_NAME, ListenBrainzHistory, ListenBrainzSimulation};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(40, 2)).await;
/// let response = client_support::http::client_builder().build()?
///     .get(format!("{}/1/user/{DEFAULT_USER_NAME}/listens?count=10", sim.base_url()))
///     .send()
///     .await?;
/// assert_eq!(response.status(), 200);
/// assert!(response.headers().contains_key("x-ratelimit-remaining"));
/// let page: listenbrainz_api::types::ListensResponse = response.json().await?;
/// assert_eq!(page.payload.count, 10);
/// assert_eq!(sim.request_count(), 1);
/// # Ok(())
/// # }
/// ```
pub struct ListenBrainzSimulation {
    sim: Simulation<ListenBrainz>,
}

impl std::fmt::Debug for ListenBrainzSimulation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListenBrainzSimulation")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

impl ListenBrainzSimulation {
    /// Starts serving `history` on a free port of 127.0.0.1. Call it inside a Tokio runtime.
    pub async fn start(history: ListenBrainzHistory) -> Self {
        let mut listens = history.listens;
        listens.sort_by_key(|listen| listen.listened_at);
        let mut kept: Vec<ListenBrainzListen> = Vec::with_capacity(listens.len());
        for listen in listens {
            let second = kept.partition_point(|l| l.listened_at < listen.listened_at);
            if kept[second..]
                .iter()
                .all(|l| l.recording_msid() != listen.recording_msid())
            {
                kept.push(listen);
            }
        }
        let service = ListenBrainz {
            user_name: history.user_name,
            token: history.token,
            listens: kept,
            windows: Windows::new(RateLimit::ALLOW_LISTED),
            windowed: true,
            offline: false,
        };
        Self {
            sim: Simulation::start(service, None).await,
        }
    }

    /// The base URL to give a client, `http://127.0.0.1:<port>` (the spec's server is
    /// `https://api.listenbrainz.org`; every path starts with `/1`).
    pub fn base_url(&self) -> &str {
        self.sim.base_url()
    }

    /// Queues `fault` to answer a coming request in place of the normal answer (see [`Fault`]
    /// and, for how `429` and `500` are answered here, the module).
    ///
    /// # Panics
    ///
    /// If `fault` is a [`Fault::Body`] whose status is not an HTTP status code.
    pub fn inject(&self, fault: Fault) {
        self.sim.inject(fault);
    }

    /// Limits requests to `limit` from now on, counting afresh; `None` goes back to the
    /// default, [`RateLimit::ALLOW_LISTED`], which no test reaches. The server's limit for
    /// ordinary clients is [`RateLimit::PER_IP`]. Past the limit a request is answered `429`
    /// with `X-RateLimit-Remaining: 0`, `X-RateLimit-Reset-In` the seconds to the window's end,
    /// and no `Retry-After`; it still counts (brainzutils `brainzutils/ratelimit.py` lines
    /// 102-163).
    ///
    /// ```
    /// use music_history_sandbox::listenbrainz::{ListenBrainzHistory, ListenBrainzSimulation, RateLimit};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(3, 9)).await;
    /// // One request per window of (about) 31 years: the second is refused.
    /// sim.set_rate_limit(Some(RateLimit { requests: 1, window_secs: 1_000_000_000 }));
    /// let http = client_support::http::client_builder().build()?;
    /// let url = format!("{}/1/user/sandbox-listener/listen-count", sim.base_url());
    /// assert_eq!(http.get(&url).send().await?.status(), 200);
    /// let refused = http.get(&url).send().await?;
    /// assert_eq!(refused.status(), 429);
    /// assert_eq!(refused.headers()["x-ratelimit-remaining"], "0");
    /// assert!(!refused.headers().contains_key("retry-after"));
    /// sim.set_rate_limit(None);
    /// assert_eq!(http.get(&url).send().await?.status(), 200);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Panics
    ///
    /// If `limit` allows no request or has a window of no time: the server's headers have
    /// neither.
    pub fn set_rate_limit(&self, limit: Option<RateLimit>) {
        let limit = limit.unwrap_or(RateLimit::ALLOW_LISTED);
        assert!(
            limit.requests > 0 && limit.window_secs > 0,
            "a rate limit allows at least one request per window of at least a second: {limit:?}"
        );
        self.sim.with_service(|s| s.windows.set(limit));
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

    /// Stores `listen` now, in its place by `listened_at`, as the server stores a submitted or
    /// imported listen: its `inserted_at` becomes the present second (the row's `created`,
    /// `admin/timescale/create_tables.sql` line 5), and the next request serves it where its
    /// time puts it, behind newer listens a walk may have read already if it is old (an
    /// import, `listen_type` "import"). Returns `false`, storing nothing, if the user already
    /// has a listen at that second with that `recording_msid` (the server drops it:
    /// `timescale_listenstore.py` lines 174-175).
    ///
    /// ```
    /// use music_history_sandbox::listenbrainz::{ListenBrainzHistory, ListenBrainzListen, ListenBrainzSimulation};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(5, 1)).await;
    /// let newest = sim.listens()[0].listened_at;
    /// // Listened to a year before, imported only now.
    /// let import = ListenBrainzListen::new(newest - 365 * 86_400, "Röyksopp", "Some Resolve");
    /// assert!(sim.record_listen(import.clone()));
    /// assert!(!sim.record_listen(import), "the same second and recording_msid: one listen");
    /// let listens = sim.listens();
    /// assert_eq!((listens.len(), listens[0].listened_at), (6, newest));
    /// assert!(listens[5].inserted_at > newest);
    /// # }
    /// ```
    pub fn record_listen(&self, listen: ListenBrainzListen) -> bool {
        let listen = ListenBrainzListen {
            inserted_at: unix_now() as i64,
            ..listen
        };
        self.sim.with_service(|s| s.store(listen))
    }

    /// The listens as stored now, newest first.
    pub fn listens(&self) -> Vec<ListenBrainzListen> {
        self.sim
            .with_service(|s| s.listens.iter().rev().cloned().collect())
    }

    /// Turns the server's windowed search on (the default) or off. On, a request with one
    /// bound or none is answered as the server answers it, with the early stops and the
    /// skipped window edges the module lists (`timescale_listenstore.py` lines 36-43, 255-257,
    /// 300-350); off, every request is one exact query, as a request with both bounds always
    /// is.
    ///
    /// ```
    /// use music_history_sandbox::listenbrainz::{ListenBrainzHistory, ListenBrainzListen, ListenBrainzSimulation};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let day = 86_400;
    /// let history = ListenBrainzHistory::new(vec![
    ///     ListenBrainzListen::new(1_700_000_000, "Röyksopp", "Some Resolve"),
    ///     ListenBrainzListen::new(1_700_000_000 + 40 * day, "Röyksopp", "Sorry"),
    /// ]);
    /// let sim = ListenBrainzSimulation::start(history).await;
    /// let http = client_support::http::client_builder().build()?;
    /// // min_ts more than a second before the oldest listen: the server looks 30 days ahead only.
    /// let url = format!("{}/1/user/sandbox-listener/listens?min_ts=0", sim.base_url());
    /// let count = |page: serde_json::Value| page["payload"]["count"].as_u64();
    /// assert_eq!(count(http.get(&url).send().await?.json().await?), Some(0));
    /// sim.set_windowed_search(false);
    /// assert_eq!(count(http.get(&url).send().await?.json().await?), Some(2));
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_windowed_search(&self, on: bool) {
        self.sim.with_service(|s| s.windowed = on);
    }

    /// Takes the listen store offline (`true`: the listens and listen-count methods answer
    /// `503`, `listenbrainz/webserver/decorators.py` lines 35-48) or back online.
    pub fn set_listen_store_offline(&self, offline: bool) {
        self.sim.with_service(|s| s.offline = offline);
    }
}

/// The simulated service's state.
struct ListenBrainz {
    /// The user's name as stored.
    user_name: String,
    token: String,
    /// Oldest first; same-second listens in the order they were stored.
    listens: Vec<ListenBrainzListen>,
    windows: Windows,
    /// Whether the server's windowed search is simulated.
    windowed: bool,
    /// Whether the listen store is offline.
    offline: bool,
}

/// The three methods, and the user a path names.
enum Route {
    Listens(String),
    ListenCount(String),
    ValidateToken,
}

impl Service for ListenBrainz {
    const BASE_PATH: &'static str = "";

    fn answer(
        &mut self,
        request: &RecordedRequest,
        _base_url: &str,
        _auth: Option<&AuthServer>,
    ) -> Result<ResponseTemplate, Rejection> {
        if request
            .header("user-agent")
            .is_some_and(|agent| agent.contains("lovable.dev"))
        {
            let body = json!({
                "code": 400,
                "message": "Please contact support@metabrainz.org for assistance.",
            });
            return Ok(server::json(400, &body));
        }
        let route = route(request)?;
        let now = unix_now();
        let verdict = self.windows.meet(now);
        let answer = if verdict.exceeded {
            Err(self.rate_limited())
        } else {
            self.method(route, request, now as i64)
        };
        Ok(verdict.headers(answer.unwrap_or_else(|r| self.error(&r)), now))
    }

    /// `{"code": <status>, "error": <message>}`.
    fn error(&self, rejection: &Rejection) -> ResponseTemplate {
        let body = types::ErrorResponse {
            code: i32::from(rejection.status),
            error: rejection.message.clone(),
        };
        server::json(rejection.status, &server::to_value(&body))
    }

    fn rate_limited(&self) -> Rejection {
        reject(
            429,
            "",
            "You have exceeded your rate limit. See the X-RateLimit-* response headers for more \
             information on your current rate limit.",
        )
    }

    fn server_error(&self) -> Rejection {
        unknown_error()
    }

    /// The server's `429`: counted, with the rate-limit headers saying the window ends in
    /// `retry_after_secs`, and no `Retry-After`.
    fn too_many_requests(&mut self, retry_after_secs: u64) -> ResponseTemplate {
        let now = unix_now();
        let verdict = self.windows.meet(now).refused_for(now, retry_after_secs);
        verdict.headers(self.error(&self.rate_limited()), now)
    }

    /// The server's `500`, counted, with the rate-limit headers.
    fn internal_error(&mut self) -> ResponseTemplate {
        let now = unix_now();
        let verdict = self.windows.meet(now);
        verdict.headers(self.error(&self.server_error()), now)
    }
}

impl ListenBrainz {
    /// What a method answers once the rate limiter let the request through.
    fn method(
        &self,
        route: Route,
        request: &RecordedRequest,
        now: i64,
    ) -> Result<ResponseTemplate, Rejection> {
        match route {
            Route::ValidateToken => self.validate_token(request),
            Route::Listens(name) => {
                self.online()?;
                self.user(&name)?;
                let query = params::listens_query(request)?;
                self.listens_page(name, query, now)
            }
            Route::ListenCount(name) => {
                self.online()?;
                self.user(&name)?;
                let body = types::ListenCountResponse {
                    payload: types::ListenCount {
                        count: self.listens.len() as i64,
                    },
                };
                Ok(server::json(200, &server::to_value(&body)))
            }
        }
    }

    fn online(&self) -> Result<(), Rejection> {
        if self.offline {
            return Err(reject(
                503,
                "",
                "The listen database is momentarily offline. Please wait a few minutes and try \
                 again.",
            ));
        }
        Ok(())
    }

    /// The user `name` names, in any case (`listenbrainz/db/user.py` line 192).
    fn user(&self, name: &str) -> Result<(), Rejection> {
        if name.to_lowercase() == self.user_name.to_lowercase() {
            Ok(())
        } else {
            Err(reject(404, "", format!("Cannot find user: {name}")))
        }
    }

    fn listens_page(
        &self,
        user_id: String,
        query: ListensQuery,
        now: i64,
    ) -> Result<ResponseTemplate, Rejection> {
        let selection = Selection {
            min_ts: query.min_ts,
            max_ts: query.max_ts,
            count: query.count,
        };
        let found = search::select(&self.listens, selection, self.windowed, now)
            .map_err(|_| unknown_error())?;
        let tally = |listen: Option<&ListenBrainzListen>| listen.map_or(0, |l| l.listened_at);
        let body = types::ListensResponse {
            payload: types::ListensPayload {
                count: found.len() as i32,
                latest_listen_ts: tally(self.listens.last()),
                listens: found
                    .iter()
                    .map(|&i| Entry::Item(self.listens[i].to_api(&self.user_name)))
                    .collect(),
                oldest_listen_ts: tally(self.listens.first()),
                user_id,
            },
        };
        Ok(server::json(200, &server::to_value(&body)))
    }

    /// `validate-token` (`listenbrainz/webserver/views/api.py` lines 470-534).
    fn validate_token(&self, request: &RecordedRequest) -> Result<ResponseTemplate, Rejection> {
        let token = match request
            .header("authorization")
            .filter(|value| value.to_lowercase().starts_with("token "))
        {
            // `header.split(" ")[1]`: "Token  x" gives "".
            Some(value) => value.split(' ').nth(1).unwrap_or_default(),
            None => request
                .query_values("token")
                .first()
                .copied()
                .unwrap_or_default(),
        };
        if token.is_empty() {
            return Err(reject(
                400,
                "",
                "You need to provide an Authorization token.",
            ));
        }
        let valid = token == self.token;
        let body = types::ValidateTokenResponse {
            code: 200,
            message: if valid {
                "Token valid."
            } else {
                "Token invalid."
            }
            .to_owned(),
            user_name: valid.then(|| self.user_name.clone()),
            valid,
        };
        Ok(server::json(200, &server::to_value(&body)))
    }

    /// Stores `listen` after the listens of its second, unless one of them has its
    /// `recording_msid`.
    fn store(&mut self, listen: ListenBrainzListen) -> bool {
        let start = self
            .listens
            .partition_point(|l| l.listened_at < listen.listened_at);
        let end = self
            .listens
            .partition_point(|l| l.listened_at <= listen.listened_at);
        if self.listens[start..end]
            .iter()
            .any(|l| l.recording_msid() == listen.recording_msid())
        {
            return false;
        }
        self.listens.insert(end, listen);
        true
    }
}

/// Which method `request` is for: `404` with werkzeug's message if none (a user name must
/// have two characters at least, and neither start nor end with `/`:
/// `listenbrainz/webserver/converters.py` lines 11-15), `405` for another method than `GET`.
fn route(request: &RecordedRequest) -> Result<Route, Rejection> {
    let segments: Vec<&str> = request.path_segments.iter().map(String::as_str).collect();
    let route = match segments.as_slice() {
        ["1", "validate-token"] => Some(Route::ValidateToken),
        [
            "1",
            "user",
            name @ ..,
            method @ ("listens" | "listen-count"),
        ] if !name.is_empty() => {
            let name = name.join("/");
            let routable =
                name.chars().count() >= 2 && !name.starts_with('/') && !name.ends_with('/');
            match *method {
                _ if !routable => None,
                "listens" => Some(Route::Listens(name)),
                _ => Some(Route::ListenCount(name)),
            }
        }
        _ => None,
    };
    let route = route.ok_or_else(|| {
        reject(
            404,
            "",
            "The requested URL was not found on the server. If you entered the URL manually \
             please check your spelling and try again.",
        )
    })?;
    if request.method != "GET" {
        return Err(reject(
            405,
            "",
            "The method is not allowed for the requested URL.",
        ));
    }
    Ok(route)
}

/// The server's answer to an exception it does not catch (`listenbrainz/webserver/errors.py`
/// lines 180-189; "occured" is its spelling).
fn unknown_error() -> Rejection {
    reject(500, "", "An unknown error occured.")
}

/// The server's clock, in Unix seconds.
fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

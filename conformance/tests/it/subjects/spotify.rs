//! Spotify, as the promise modules need it: `get_recently_played`, newest first, its
//! simulation serving realistic plays.

use conformance::spec::Example;
use futures_util::FutureExt;
use futures_util::future::LocalBoxFuture;
use music_history_sandbox::hostile::Hostile;
use music_history_sandbox::spotify::{self, SpotifyHistory, SpotifySimulation};
use music_history_sandbox::{Fault, RecordedRequest};
use proptest::prelude::{Just, any, prop_oneof};
use proptest::sample::Index;
use proptest::strategy::{BoxedStrategy, Strategy};
use reqwest::Method;
use schemars::r#gen::SchemaGenerator;
use serde_json::{Value, json};
use spotify_web_api::{
    AccessToken, Limit, RecentlyPlayed, RecentlyPlayedQuery, SpotifyClient, TimeWindow, UnixMillis,
};

use super::examples::decode;
use super::exchange::{get_json, send, send_on};
use super::walk::keyed;
use super::{
    Answers, Breakage, Captured, Client, Connection, Decoded, Documented, EndlessWalk,
    Exception, Failure,
    KeyedWalk, Misbehaviours, PageSizes, Plays, ServedPage, ServedPages, Simulation, Subject,
    TimeWindows, Traced, WholeHistories, Window, WithoutALimit,
};
use crate::common::{
    self, NEWEST_MS, limit_range, minimal_requests, spotify_plays, spotify_simulation,
};

/// The Spotify Web API's recently played tracks.
pub struct Spotify;

impl Subject for Spotify {
    fn name(&self) -> &'static str {
        "Spotify"
    }

    fn api(&self) -> &'static str {
        "spotify-web-api"
    }


    fn credential_headers(&self) -> Vec<(&'static str, String)> {
        let token = self.authorization(spotify::DEFAULT_ACCESS_TOKEN);
        vec![("authorization", token)]
    }

    fn walks_forward(&self) -> bool {
        true
    }

    fn time_windows(&self) -> Result<&dyn TimeWindows, &'static str> {
        Ok(self)
    }

    fn schema_exceptions(&self) -> &'static [Exception] {
        &[
            Exception {
                name: "spotify-after-and-before",
                reason: "`after` and `before` exclude each other; OpenAPI 3.0 cannot say so of two \
                         parameters",
                applies: |request| {
                    request.operation_id == "get_recently_played"
                        && request.has("after")
                        && request.has("before")
                },
                answered: 400,
            },
        ]
    }

    fn history_operation(&self) -> &'static str {
        "get_recently_played"
    }

    fn simulate(&self, times: &[i64]) -> LocalBoxFuture<'static, Box<dyn Simulation>> {
        let times = times.to_vec();
        async move { Box::new(spotify_simulation(&times).await) as Box<dyn Simulation> }
            .boxed_local()
    }

    fn client(&self, base_url: &str, connection: Connection) -> Box<dyn Client> {
        let token = connection
            .credentials
            .map_or(spotify::DEFAULT_ACCESS_TOKEN, |credentials| {
                credentials.token
            });
        let builder = SpotifyClient::builder(AccessToken::new(token).unwrap());
        Box::new(connected!(builder, base_url, connection))
    }
}

impl PageSizes for Spotify {
    fn fetch_without_a_limit(&self) -> WithoutALimit {
        WithoutALimit::SendsNone
    }

    fn walk_without_a_limit(&self) -> WithoutALimit {
        // The client documents pages of 50, the fewest requests.
        WithoutALimit::SendsTheMaximum
    }
}

impl Traced for Spotify {
    fn traced_as(&self) -> &'static str {
        "spotify"
    }

    fn cursor_parameter(&self) -> &'static str {
        // A walk back in time asks for the plays `before` the last one seen.
        "before"
    }

    fn simulated_secrets(&self) -> Vec<&'static str> {
        vec![spotify::DEFAULT_ACCESS_TOKEN]
    }
}

impl Documented for Spotify {
    fn response_types(&self, generator: &mut SchemaGenerator) {
        use conformance::generated::spotify::types as t;
        generator.subschema_for::<t::CursorPagedPlayHistory>();
        generator.subschema_for::<t::ErrorResponse>();
    }

    fn decode_example(&self, example: &Example) -> Option<Result<Decoded, String>> {
        use spotify_web_api::types as t;
        Some(
            match (example.operation_id.as_str(), example.status.as_str()) {
                ("get_recently_played", "200") => decode::<t::CursorPagedPlayHistory>(example),
                ("get_recently_played", "401" | "403" | "429") => {
                    decode::<t::ErrorResponse>(example)
                }
                _ => return None,
            },
        )
    }

    fn deep_breakages(&self, example: &Example) -> Vec<(&'static str, Breakage)> {
        let remove = |pointer: &str| Breakage::Remove(pointer.into());
        let replace = |pointer: &str, value: Value| Breakage::Replace(pointer.into(), value);
        if example.status != "200" {
            return vec![(
                "an error `status` that is a string (Spotify's is an integer)",
                replace("/error/status", json!("401")),
            )];
        }
        let mut breakages = vec![
            (
                "a play without its required `played_at`",
                remove("/items/0/played_at"),
            ),
            (
                "a `played_at` that is not a date-time",
                replace("/items/0/played_at", json!("yesterday")),
            ),
            ("a `limit` that is a string", replace("/limit", json!("2"))),
            (
                "a `duration_ms` that is not an integer",
                replace("/items/1/track/duration_ms", json!(1.5)),
            ),
            (
                "a track without its required `artists`",
                remove("/items/1/track/artists"),
            ),
        ];
        // A page whose first track carries its album (the full track object).
        if example.value.pointer("/items/0/track/album").is_some() {
            breakages.extend([
                (
                    "an album without its required `images`",
                    remove("/items/0/track/album/images"),
                ),
                (
                    "an album without its required `name`",
                    remove("/items/0/track/album/name"),
                ),
                (
                    "an album that is not an object",
                    replace("/items/0/track/album", json!("Currents")),
                ),
                (
                    "an image `height` that is a string",
                    replace("/items/0/track/album/images/0/height", json!("640")),
                ),
                (
                    "an image without its required `url`",
                    remove("/items/0/track/album/images/0/url"),
                ),
                (
                    "a `popularity` above 100",
                    replace("/items/0/track/popularity", json!(101)),
                ),
            ]);
        }
        breakages
    }
}

impl Answers for Spotify {
    fn every_kind_of_response(&self) -> LocalBoxFuture<'static, Vec<Captured>> {
        every_kind_of_response().boxed_local()
    }

    fn realistic_walks(
        &self,
        plays: usize,
        seed: u64,
        operation_id: &'static str,
        page_size: u32,
        max_pages: usize,
    ) -> LocalBoxFuture<'static, Vec<Vec<Captured>>> {
        let path = self.path(operation_id);
        async move {
            let sim = SpotifySimulation::start(SpotifyHistory::realistic(plays, seed)).await;
            let http = client_support::http::client_builder().build().unwrap();
            // Back from the newest play by `next`, and forward from the oldest by `after`.
            let mut walks = Vec::new();
            for first in [
                format!("{path}?limit={page_size}"),
                format!("{path}?after=0&limit={page_size}"),
            ] {
                walks.push(follow_next(&http, sim.base_url(), first, max_pages).await);
            }
            walks
        }
        .boxed_local()
    }

    fn unreachable_statuses(&self) -> &'static [(&'static str, u16, &'static str)] {
        &[
            (
                "get_recently_played",
                502,
                "sent by Spotify's gateways, not by the endpoint: the simulation has no gateway",
            ),
            (
                "get_recently_played",
                503,
                "sent by Spotify's gateways when the service is overloaded: the simulation \
                 never is",
            ),
        ]
    }
}

impl ServedPages for Spotify {
    fn broken_item_walks(&self) -> BoxedStrategy<(u32, Plays)> {
        page_sizes_and_times()
            .prop_filter("a play to break", |(_, times)| !times.is_empty())
            .prop_map(|(limit, times)| (limit, Plays::at(times)))
            .boxed()
    }

    fn simulate_plays(&self, plays: &Plays) -> LocalBoxFuture<'static, Box<dyn Simulation>> {
        self.simulate(&plays.times)
    }

    fn expected_keys(&self, plays: &Plays) -> Vec<String> {
        // Newest first, as drawn; no two plays of one millisecond.
        common::spotify_plays(&plays.times)
            .iter()
            .map(|play| key(play.played_at, &play.track.name))
            .collect()
    }

    fn pages(&self, plays: &Plays, page_size: u32) -> usize {
        // The page holding the oldest play carries `next: null`.
        minimal_requests(plays.times.len(), page_size)
    }

    fn served_page<'a>(
        &'a self,
        base_url: &'a str,
        _plays: &'a Plays,
        page_size: u32,
        page: usize,
    ) -> LocalBoxFuture<'a, ServedPage> {
        async move {
            // Follow the `next` links, as a walk does.
            let headers = self.credential_headers();
            let mut url = format!("{base_url}/me/player/recently-played?limit={page_size}");
            let mut body = get_json(&url, &headers).await;
            for _ in 0..page {
                url = body["next"].as_str().expect("a next page").to_string();
                body = get_json(&url, &headers).await;
            }
            ServedPage {
                body,
                yielded_before: page * page_size as usize,
            }
        }
        .boxed_local()
    }

    fn items_of<'a>(&self, page: &'a mut Value) -> &'a mut Vec<Value> {
        page["items"].as_array_mut().expect("items")
    }

    fn time_field(&self) -> &'static str {
        "played_at"
    }

    fn raw_key(&self, item: &Value) -> String {
        let at = item["played_at"].as_str().expect("a played_at");
        let at = chrono::DateTime::parse_from_rfc3339(at).expect("an RFC 3339 time");
        key(at.to_utc(), item["track"]["name"].as_str().expect("a track name"))
    }
}

impl WholeHistories for Spotify {
    fn history_order(&self) -> &'static str {
        "newest first"
    }

    fn whole_histories(&self, _operation_id: &str) -> BoxedStrategy<(u32, Plays)> {
        // One history, whichever operation reads it.
        page_sizes_and_times()
            .prop_map(|(limit, times)| (limit, Plays::at(times)))
            .boxed()
    }

    fn simulate_history(
        &self,
        _operation_id: &str,
        plays: &Plays,
    ) -> LocalBoxFuture<'static, Box<dyn Simulation>> {
        self.simulate_plays(plays)
    }

    fn history_keys(&self, _operation_id: &str, plays: &Plays) -> Vec<String> {
        self.expected_keys(plays)
    }
}

impl TimeWindows for Spotify {
    fn windowed_histories(&self) -> BoxedStrategy<(u32, Plays, Vec<Window>)> {
        // A time T: the time of a play, one millisecond either side of it, or anywhere
        // around the history; every case walks both "after T" and "before T".
        let offsets = prop_oneof![
            3 => Just(0i64),
            1 => Just(1i64),
            1 => Just(-1i64),
            3 => -700_000i64..=700_000,
        ];
        (page_sizes_and_times(), any::<Index>(), offsets)
            .prop_map(|((limit, times), play, offset)| {
                let around = if times.is_empty() {
                    NEWEST_MS
                } else {
                    times[play.index(times.len())]
                };
                let t = around + offset;
                let windows = vec![Window::After(t), Window::Before(t)];
                (limit, Plays::at(times), windows)
            })
            .boxed()
    }

    fn window_keys(&self, plays: &Plays, window: Window) -> Vec<String> {
        let mut keys: Vec<String> = plays
            .times
            .iter()
            .zip(self.expected_keys(plays))
            .filter(|(at, _)| window.holds(**at))
            .map(|(_, key)| key)
            .collect();
        // "After T" walks forward in time, oldest first, as `SpotifyClient::history` says.
        if matches!(window, Window::After(_)) {
            keys.reverse();
        }
        keys
    }
}

impl Misbehaviours for Spotify {
    fn error_body(&self, _status: u16) -> Vec<u8> {
        br#"{"error": {"status": 400, "message": "refused"}}"#.to_vec()
    }

    fn endless_pages(&self) -> Hostile {
        Hostile::SpotifyEndlessPages
    }

    fn hostile(&self, elsewhere: &str) -> Vec<Hostile> {
        vec![
            self.endless_pages(),
            Hostile::SpotifyEmptyPagesForever,
            Hostile::SpotifyNextNewerThanPage,
            Hostile::SpotifyOversizedPage(51),
            Hostile::SpotifyFailAfterFirstPage,
            Hostile::SpotifyNextLinkTo(elsewhere.to_string()),
            Hostile::SpotifyTerminalInjection,
            Hostile::SpotifyStuckCursor,
        ]
    }

    fn endless_walk(&self) -> EndlessWalk {
        // 21 pages of 50 at most: the documented budget.
        EndlessWalk {
            page_size: None,
            max_pages: None,
            pages: 21,
        }
    }
}

impl Simulation for SpotifySimulation {
    fn base_url(&self) -> &str {
        self.base_url()
    }

    fn requests(&self) -> Vec<RecordedRequest> {
        self.requests()
    }

    fn request_count(&self) -> usize {
        self.request_count()
    }

    fn inject(&self, fault: Fault) {
        self.inject(fault);
    }
}

impl Client for SpotifyClient {
    fn fetch<'a>(
        &'a self,
        operation_id: &'a str,
        limit: Option<i64>,
    ) -> LocalBoxFuture<'a, Result<usize, Failure>> {
        async move {
            let limit = limit
                .map(Limit::try_from)
                .transpose()
                .map_err(|refused| Failure::from(spotify_web_api::Error::from(refused)))?;
            let query = query(operation_id, limit);
            match SpotifyClient::fetch(self, &query).await? {
                RecentlyPlayed::Page(page) => Ok(page.items.len()),
                RecentlyPlayed::PrivateSession => Err(Failure::other("204 No Content")),
            }
        }
        .boxed_local()
    }

    fn walk(
        &self,
        operation_id: &str,
        page_size: Option<u32>,
        window: Option<Window>,
    ) -> Box<dyn KeyedWalk> {
        let limit = page_size.map(|size| Limit::new(size).expect("a page size Spotify takes"));
        let mut query = query(operation_id, limit);
        if let Some(window) = window {
            query = query.resume_from(match window {
                Window::After(after) => TimeWindow::After(UnixMillis::new(after)),
                Window::Before(before) => TimeWindow::Before(UnixMillis::new(before)),
                Window::Between(..) => panic!("Spotify takes one bound, not {window:?}"),
            });
        }
        let client = self.clone();
        keyed(
            self.history(query),
            |play| key(play.played_at, &play.track.name),
            move |from| client.history(query.resume_from(from)),
        )
    }
}

/// The query of `operation_id`, the latest plays, with `limit` if any.
fn query(operation_id: &str, limit: Option<Limit>) -> RecentlyPlayedQuery {
    assert_eq!(
        operation_id, "get_recently_played",
        "subjects/spotify.rs does not know how to call {operation_id}"
    );
    let query = RecentlyPlayedQuery::new();
    match limit {
        Some(limit) => query.limit(limit),
        None => query,
    }
}

/// Sends the simulation every kind of request the spec documents an answer for; the
/// answers.
async fn every_kind_of_response() -> Vec<Captured> {
    let times: Vec<i64> = (0..45).map(|i| NEWEST_MS - 60_000 * i).collect();

    let sim = SpotifySimulation::start(music_history_sandbox::spotify::SpotifyHistory::new(
        spotify_plays(&times),
    ))
    .await;
    let empty = spotify_simulation(&[]).await;
    let endpoint = "/me/player/recently-played";
    let token = format!("Bearer {}", spotify::DEFAULT_ACCESS_TOKEN);
    let auth: &[(&str, &str)] = &[("authorization", &token)];
    let middle = times[20];
    let mut captured = Vec::new();
    let queries = [
        String::new(),
        "?limit=1".into(),
        "?limit=20".into(),
        "?limit=50".into(),
        format!("?before={middle}&limit=10"),
        format!("?after={middle}&limit=10"),
        format!("?after={middle}"),
        format!("?before={}", times[44]),
        format!("?after={}", NEWEST_MS),
        "?before=0".into(),
    ];
    for query in &queries {
        captured.push(
            send(
                sim.base_url(),
                Method::GET,
                &format!("{endpoint}{query}"),
                auth,
            )
            .await,
        );
        captured.push(
            send(
                empty.base_url(),
                Method::GET,
                &format!("{endpoint}{query}"),
                auth,
            )
            .await,
        );
    }
    for bad in [
        "?limit=0",
        "?limit=51",
        "?limit=ten",
        "?limit=5&limit=6",
        "?before=1&after=2",
        "?before=yesterday",
    ] {
        captured.push(
            send(
                sim.base_url(),
                Method::GET,
                &format!("{endpoint}{bad}"),
                auth,
            )
            .await,
        );
    }
    captured.push(send(sim.base_url(), Method::GET, endpoint, &[]).await);
    captured.push(
        send(
            sim.base_url(),
            Method::GET,
            endpoint,
            &[("authorization", "Bearer stale")],
        )
        .await,
    );
    sim.set_scope_granted(false);
    captured.push(send(sim.base_url(), Method::GET, endpoint, auth).await);
    sim.set_scope_granted(true);
    sim.set_private_session(true);
    captured.push(
        send(
            sim.base_url(),
            Method::GET,
            &format!("{endpoint}?limit=5"),
            auth,
        )
        .await,
    );
    sim.set_private_session(false);
    sim.inject(Fault::RateLimited {
        retry_after_secs: 30,
    });
    captured.push(send(sim.base_url(), Method::GET, endpoint, auth).await);
    sim.inject(Fault::ServerError);
    captured.push(send(sim.base_url(), Method::GET, endpoint, auth).await);
    captured.push(
        send(
            sim.base_url(),
            Method::GET,
            "/me/player/recently-playe",
            auth,
        )
        .await,
    );
    captured.push(send(sim.base_url(), Method::POST, endpoint, auth).await);
    captured
}

/// Reads `first` and then every page its `next` links lead to, up to `max_pages + 1`
/// pages; each answer.
async fn follow_next(
    http: &reqwest::Client,
    base_url: &str,
    first: String,
    max_pages: usize,
) -> Vec<Captured> {
    let token = format!("Bearer {}", spotify::DEFAULT_ACCESS_TOKEN);
    let auth: &[(&str, &str)] = &[("authorization", &token)];
    let mut answers = Vec::new();
    let mut path = Some(first);
    while let Some(here) = path.take() {
        let answer = send_on(http, base_url, Method::GET, &here, auth).await;
        let page: Value = serde_json::from_slice(&answer.body).unwrap_or_default();
        answers.push(answer);
        if answers.len() > max_pages {
            break;
        }
        path = page["next"]
            .as_str()
            .map(|next| next.trim_start_matches(base_url).to_string());
    }
    answers
}

/// Gaps between Spotify plays: at least 1 ms. Spotify's cursors are milliseconds and the
/// simulation, like the service, cannot page between two plays of the same millisecond.
fn gaps() -> impl Strategy<Value = i64> {
    prop_oneof![1 => Just(1i64), 4 => 1i64..=600_000]
}

/// A Spotify page size (from the bounds table) and play times.
fn page_sizes_and_times() -> impl Strategy<Value = (u32, Vec<i64>)> {
    common::histories(limit_range("get_recently_played"), gaps())
}

/// The key that tells a play apart in a walk: its `played_at` (no two plays of a
/// simulated history share one) and its track's name, so that a walk yielding the right
/// times with the wrong tracks fails too.
fn key(played_at: chrono::DateTime<chrono::Utc>, track: &str) -> String {
    format!("{} {track}", played_at.to_rfc3339())
}

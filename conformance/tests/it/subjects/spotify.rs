//! Spotify, as the promise modules need it: `get_recently_played`, newest first, its
//! simulation serving realistic plays.

use conformance::responses::SpecResponses;
use conformance::spec::Example;
use futures_util::FutureExt;
use futures_util::future::LocalBoxFuture;
use music_history_sandbox::hostile::Hostile;
use music_history_sandbox::spotify::{self, SpotifySimulation};
use music_history_sandbox::{Fault, RecordedRequest};
use proptest::strategy::{BoxedStrategy, Strategy};
use reqwest::Method;
use schemars::r#gen::SchemaGenerator;
use serde_json::{Value, json};
use spotify_web_api::{
    AccessToken, Limit, RecentlyPlayed, RecentlyPlayedQuery, SpotifyClient, TimeWindow, UnixMillis,
};

use super::examples::decode;
use super::exchange::{get_json, send};
use super::walk::keyed;
use super::{
    Answers, Breakage, Captured, Client, Connection, Decoded, Documented, EndlessWalk, Failure,
    KeyedWalk, Misbehaviours, PageSizes, Plays, ServedPage, ServedPages, Simulation, Subject,
    Traced, WithoutALimit,
};
use crate::common::{
    NEWEST_MS, spotify_histories, spotify_plays, spotify_simulation, spotify_spec,
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

    fn spec(&self) -> &'static SpecResponses {
        spotify_spec()
    }

    fn credential_headers(&self) -> Vec<(&'static str, String)> {
        let token = self.authorization(spotify::DEFAULT_ACCESS_TOKEN);
        vec![("authorization", token)]
    }

    fn walks_forward(&self) -> bool {
        true
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
        spotify_histories()
            .prop_filter("a play to break", |(_, times)| !times.is_empty())
            .prop_map(|(limit, times)| (limit, Plays::at(times)))
            .boxed()
    }

    fn simulate_plays(&self, plays: &Plays) -> LocalBoxFuture<'static, Box<dyn Simulation>> {
        self.simulate(&plays.times)
    }

    fn expected_keys(&self, plays: &Plays) -> Vec<String> {
        // Newest first, as drawn; no two plays of one millisecond.
        plays.times.iter().map(|&at| played_at(at)).collect()
    }

    fn pages(&self, plays: &Plays, page_size: u32) -> usize {
        plays.times.len().div_ceil(page_size as usize)
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
        chrono::DateTime::parse_from_rfc3339(at)
            .expect("an RFC 3339 time")
            .to_utc()
            .to_rfc3339()
    }
}

impl Misbehaviours for Spotify {
    fn error_body(&self, _status: u16) -> Vec<u8> {
        br#"{"error": {"status": 400, "message": "refused"}}"#.to_vec()
    }

    fn endless_pages(&self) -> Hostile {
        Hostile::SpotifyEndlessPages
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
        after: Option<i64>,
    ) -> Box<dyn KeyedWalk> {
        let limit = page_size.map(|size| Limit::new(size).expect("a page size Spotify takes"));
        let mut query = query(operation_id, limit);
        if let Some(after) = after {
            query = query.resume_from(TimeWindow::After(UnixMillis::new(after)));
        }
        keyed(self.history(query), |play| play.played_at.to_rfc3339())
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

/// The key of a play at `at` (Unix milliseconds): its `played_at`, as a walk yields it.
fn played_at(at: i64) -> String {
    chrono::DateTime::from_timestamp_millis(at)
        .expect("a time in range")
        .to_rfc3339()
}

//! ListenBrainz, as the promise modules need it: a user's listens, oldest first, in whole
//! seconds; its simulation serves the suite's user.

use std::ops::Range;
use std::time::Duration;

use conformance::spec::Example;
use futures_util::FutureExt;
use futures_util::future::LocalBoxFuture;
use listenbrainz_api::{
    AccessToken, Count, ListenBrainzClient, ListenCountQuery, ListensQuery, TimeWindow,
    ValidateTokenQuery,
};
use music_history_sandbox::hostile::Hostile;
use music_history_sandbox::listenbrainz::{self, ListenBrainzHistory, ListenBrainzSimulation};
use music_history_sandbox::{Fault, RecordedRequest};
use proptest::prelude::{Just, any, prop_oneof};
use proptest::sample::Index;
use proptest::strategy::{BoxedStrategy, Strategy};
use reqwest::Method;
use schemars::r#gen::SchemaGenerator;
use serde_json::{Value, json};

use super::examples::decode;
use super::exchange::{get_json, send, send_on};
use super::walk::keyed;
use super::{
    Answers, Breakage, Captured, Client, Connection, Decoded, Documented, EndlessWalk,
    Exception, Failure, Request,
    KeyedWalk, Misbehaviours, PageSizes, Plays, ServedPage, ServedPages, Simulation, Subject,
    TimeWindows, Traced, WholeHistories, Window, WithoutALimit,
};
use crate::common::{
    MAX_PLAYS, NEWEST_MS, all_gaps, limit_range, listenbrainz_expected_keys,
    listenbrainz_minimal_requests, listenbrainz_simulation, listenbrainz_user, sizes,
    times_from_gaps,
};

/// The ListenBrainz API's listens.
pub struct ListenBrainz;

impl Subject for ListenBrainz {
    fn name(&self) -> &'static str {
        "ListenBrainz"
    }

    fn api(&self) -> &'static str {
        "listenbrainz-api"
    }


    fn path_parameters(&self, _operation_id: &str) -> Vec<(&'static str, &'static str)> {
        vec![("{user_name}", listenbrainz::DEFAULT_USER_NAME)]
    }

    fn credential_headers(&self) -> Vec<(&'static str, String)> {
        vec![(
            "authorization",
            self.authorization(listenbrainz::DEFAULT_TOKEN),
        )]
    }

    fn walks_forward(&self) -> bool {
        true
    }

    fn time_windows(&self) -> Result<&dyn TimeWindows, &'static str> {
        Ok(self)
    }

    fn schema_exceptions(&self) -> &'static [Exception] {
        &[
            // Before the two below, which never meet bounds out of order.
            Exception {
                name: "listenbrainz-bounds-out-of-order",
                reason: "`max_ts <= min_ts` is refused; OpenAPI 3.0 cannot order two parameters",
                applies: |request| {
                    let (Some(min), Some(max)) = (request.integer("min_ts"), request.integer("max_ts"))
                    else {
                        return false;
                    };
                    request.operation_id == "get_listens" && max <= min
                },
                answered: 400,
            },
            Exception {
                name: "listenbrainz-timestamps-beyond-the-years",
                reason: "a `min_ts` alone within 30 days of the year 10000 overflows the server's \
                         first window: the documented 500, which the schema's maximum keeps clear of",
                applies: |request| {
                    request.operation_id == "get_listens"
                        && count_is_read(request)
                        && !request.has("max_ts")
                        && request
                            .integer("min_ts")
                            .is_some_and(|min| min > MAX_MIN_TS && min <= LAST_SECOND_OF_9999)
                },
                answered: 500,
            },
            Exception {
                name: "listenbrainz-lenient-parameters",
                reason: "the server reads a `count` of 0, above 1000 or empty, and any time in the \
                         years 1 to 9999; the schemas keep to what is useful to send",
                applies: |request| {
                    let time_is_read = |name: &str| match request.value(name) {
                        None => true,
                        Some(value) => value
                            .as_i64()
                            .is_some_and(|t| (FIRST_SECOND_OF_YEAR_1..=LAST_SECOND_OF_9999).contains(&t)),
                    };
                    request.operation_id == "get_listens"
                        && count_is_read(request)
                        && time_is_read("min_ts")
                        && time_is_read("max_ts")
                },
                answered: 200,
            },
            // The two below never apply here: every request here names the simulation's user in
            // its path and sends its token. Schemathesis makes up both.
            Exception {
                name: "listenbrainz-unrouted-user-name",
                reason: "a user name the server's routes do not match is its generic 404, without \
                         the rate-limit headers the method's own 404 has",
                applies: |_| false,
                answered: 404,
            },
            Exception {
                name: "listenbrainz-token-is-not-a-credential",
                reason: "validate-token examines the token: none at all is 400, not 401",
                applies: |_| false,
                answered: 400,
            },
        ]
    }

    fn history_operation(&self) -> &'static str {
        "get_listens"
    }

    fn simulate(&self, times: &[i64]) -> LocalBoxFuture<'static, Box<dyn Simulation>> {
        let seconds: Vec<i64> = times.iter().map(|ms| ms / 1000).collect();
        async move { Box::new(listenbrainz_simulation(&seconds).await) as Box<dyn Simulation> }
            .boxed_local()
    }

    fn client(&self, base_url: &str, connection: Connection) -> Box<dyn Client> {
        let token = connection
            .credentials
            .map_or(listenbrainz::DEFAULT_TOKEN, |credentials| credentials.token);
        let builder = ListenBrainzClient::builder(AccessToken::new(token).unwrap());
        Box::new(connected!(builder, base_url, connection))
    }
}

impl PageSizes for ListenBrainz {
    fn fetch_without_a_limit(&self) -> WithoutALimit {
        // Its client always sends a `count`: the maximum, the fewest requests.
        WithoutALimit::SendsTheMaximum
    }

    fn walk_without_a_limit(&self) -> WithoutALimit {
        WithoutALimit::SendsTheMaximum
    }

    fn status_for_a_limit_outside(&self, value: i64) -> u16 {
        // Its server reads any `count` from 0 (above the maximum as the maximum, 0 as an
        // empty page) and refuses a negative one; the simulation does as it does.
        if value >= 0 { 200 } else { 400 }
    }

    fn smallest_page(&self) -> u32 {
        // A page of 1 cannot be paged past: the newest second of a full page is asked for
        // again. At 2, a walk of listens a second apart reads one new listen a page.
        2
    }

    fn limit_is_a_u32(&self) -> bool {
        // `Count` is made from a `u32` only, as its caller has one.
        true
    }
}

impl Traced for ListenBrainz {
    fn traced_as(&self) -> &'static str {
        "listenbrainz"
    }

    fn cursor_parameter(&self) -> &'static str {
        // The bound that moves from page to page of a walk forward in time.
        "min_ts"
    }

    fn simulated_secrets(&self) -> Vec<&'static str> {
        vec![listenbrainz::DEFAULT_TOKEN]
    }

    fn authorization(&self, token: &str) -> String {
        // As ListenBrainz reads a token: `Token`, not `Bearer`.
        format!("Token {token}")
    }
}

impl Documented for ListenBrainz {
    fn response_types(&self, generator: &mut SchemaGenerator) {
        use conformance::generated::listenbrainz::types as t;
        generator.subschema_for::<t::ListensResponse>();
        generator.subschema_for::<t::ListenCountResponse>();
        generator.subschema_for::<t::ValidateTokenResponse>();
        generator.subschema_for::<t::ErrorResponse>();
    }

    fn decode_example(&self, example: &Example) -> Option<Result<Decoded, String>> {
        use listenbrainz_api::types as t;
        Some(
            match (example.operation_id.as_str(), example.status.as_str()) {
                ("get_listens", "200") => decode::<t::ListensResponse>(example),
                ("get_listen_count", "200") => decode::<t::ListenCountResponse>(example),
                ("validate_token", "200") => decode::<t::ValidateTokenResponse>(example),
                (
                    "get_listens" | "get_listen_count" | "validate_token",
                    "400" | "404" | "429" | "500" | "503",
                ) => decode::<t::ErrorResponse>(example),
                _ => return None,
            },
        )
    }

    fn deep_breakages(&self, example: &Example) -> Vec<(&'static str, Breakage)> {
        let remove = |pointer: &str| Breakage::Remove(pointer.into());
        let replace = |pointer: &str, value: Value| Breakage::Replace(pointer.into(), value);
        let mut breakages = match (example.operation_id.as_str(), example.status.as_str()) {
            ("get_listens", "200") => vec![
                (
                    "a `count` above 1000",
                    replace("/payload/count", json!(1001)),
                ),
                (
                    "an `oldest_listen_ts` that is a string",
                    replace("/payload/oldest_listen_ts", json!("1771414107")),
                ),
            ],
            ("get_listen_count", "200") => vec![(
                "a `count` that is negative",
                replace("/payload/count", json!(-1)),
            )],
            ("validate_token", "200") => vec![(
                "a `valid` that is a string",
                replace("/valid", json!("true")),
            )],
            _ => vec![(
                "an error `code` that is a string (ListenBrainz's is an integer)",
                replace("/code", json!("404")),
            )],
        };
        // A page with a listen.
        if example.value.pointer("/payload/listens/0").is_some() {
            breakages.extend([
                (
                    "a listen without its required `listened_at`",
                    remove("/payload/listens/0/listened_at"),
                ),
                (
                    "a `listened_at` that is not an integer",
                    replace("/payload/listens/0/listened_at", json!(1771414107.5)),
                ),
                (
                    "a listen without its required `recording_msid`",
                    remove("/payload/listens/0/recording_msid"),
                ),
                (
                    "track metadata without its required `track_name`",
                    remove("/payload/listens/0/track_metadata/track_name"),
                ),
            ]);
        }
        breakages
    }
}

impl Answers for ListenBrainz {
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
            let history = ListenBrainzHistory::realistic(plays, seed);
            let sim = ListenBrainzSimulation::start(history).await;
            let http = client_support::http::client_builder().build().unwrap();
            let forward = walk_forward(&http, sim.base_url(), &path, page_size, max_pages).await;
            let back = walk_back(&http, sim.base_url(), &path, page_size, max_pages).await;
            vec![forward, back]
        }
        .boxed_local()
    }
}

impl ServedPages for ListenBrainz {
    fn broken_item_walks(&self) -> BoxedStrategy<(u32, Plays)> {
        // Seconds of their own (7 apart), so that page `p` starts at the `p * (count - 1)`th
        // listen.
        (8u32..=40, 1usize..=MAX_PLAYS)
            .prop_map(|(count, n)| {
                let times = (0..n as i64).map(|i| NEWEST_MS - 7_000 * i).collect();
                (count, Plays::at(times))
            })
            .boxed()
    }

    fn simulate_plays(&self, plays: &Plays) -> LocalBoxFuture<'static, Box<dyn Simulation>> {
        self.simulate(&plays.times)
    }

    fn expected_keys(&self, plays: &Plays) -> Vec<String> {
        listenbrainz_expected_keys(&seconds(plays))
            .into_iter()
            .map(|(at, msid)| format!("{at} {msid}"))
            .collect()
    }

    fn pages(&self, plays: &Plays, page_size: u32) -> usize {
        listenbrainz_minimal_requests(&seconds(plays), page_size)
    }

    fn served_page<'a>(
        &'a self,
        base_url: &'a str,
        plays: &'a Plays,
        page_size: u32,
        page: usize,
    ) -> LocalBoxFuture<'a, ServedPage> {
        async move {
            // Listens of seconds of their own: page `p` starts at the `p * (count - 1)`th,
            // asked for from a second before it.
            let mut oldest_first = seconds(plays);
            oldest_first.sort_unstable();
            let from = page * (page_size as usize - 1);
            let min_ts = if page == 0 { 0 } else { oldest_first[from] - 1 };
            let url = format!(
                "{base_url}/1/user/{}/listens?min_ts={min_ts}&max_ts={}&count={page_size}",
                listenbrainz::DEFAULT_USER_NAME,
                NEWEST_MS / 1000 + 10
            );
            ServedPage {
                body: get_json(&url, &self.credential_headers()).await,
                yielded_before: from,
            }
        }
        .boxed_local()
    }

    fn items_of<'a>(&self, page: &'a mut Value) -> &'a mut Vec<Value> {
        page["payload"]["listens"].as_array_mut().expect("listens")
    }

    fn breakable(&self, items: usize, page_size: u32) -> Range<usize> {
        // Not the newest listen of a full page: the next page asks for its second again, and
        // then it comes whole.
        usize::from(items == page_size as usize)..items
    }

    fn time_field(&self) -> &'static str {
        "listened_at"
    }

    fn raw_key(&self, item: &Value) -> String {
        let msid = item["recording_msid"].as_str().expect("a recording_msid");
        format!("{} {msid}", item["listened_at"])
    }
}

impl WholeHistories for ListenBrainz {
    fn history_order(&self) -> &'static str {
        "oldest first (by `recording_msid` within a second)"
    }

    fn whole_histories(&self, _operation_id: &str) -> BoxedStrategy<(u32, Plays)> {
        // One history, whichever operation reads it; listens of one second included.
        histories()
            .prop_map(|(count, seconds)| {
                let times = seconds.iter().map(|second| second * 1000).collect();
                (count, Plays::at(times))
            })
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

impl TimeWindows for ListenBrainz {
    fn windowed_histories(&self) -> BoxedStrategy<(u32, Plays, Vec<Window>)> {
        // Bounds at the second of a listen (or of several), one second either side of it, or
        // anywhere around the history; always after, and before now and then.
        let offsets = || prop_oneof![3 => Just(0i64), 1 => Just(1i64), 1 => Just(-1i64), 3 => -700i64..=700];
        let bound = move || (any::<Index>(), offsets());
        (histories(), bound(), proptest::option::of(bound()))
            .prop_map(|((count, seconds), after, before)| {
                let near = |(listen, offset): (Index, i64)| {
                    let around = if seconds.is_empty() {
                        NEWEST_MS / 1000
                    } else {
                        seconds[listen.index(seconds.len())]
                    };
                    (around + offset) * 1000
                };
                let window = match before {
                    None => Window::After(near(after)),
                    Some(before) => Window::Between(near(after), near(before)),
                };
                let times = seconds.iter().map(|second| second * 1000).collect();
                (count, Plays::at(times), vec![window])
            })
            .boxed()
    }

    fn window_keys(&self, plays: &Plays, window: Window) -> Vec<String> {
        // Oldest first, whichever the bounds, a second of several listens whole.
        listenbrainz_expected_keys(&seconds(plays))
            .into_iter()
            .filter(|(at, _)| window.holds(at * 1000))
            .map(|(at, msid)| format!("{at} {msid}"))
            .collect()
    }

    fn resolution_ms(&self) -> i64 {
        1000
    }
}

impl Misbehaviours for ListenBrainz {
    fn error_body(&self, status: u16) -> Vec<u8> {
        format!(r#"{{"code": {status}, "error": "refused"}}"#).into_bytes()
    }

    fn endless_pages(&self) -> Hostile {
        Hostile::ListenBrainzEndlessPages
    }

    fn hostile(&self, _elsewhere: &str) -> Vec<Hostile> {
        vec![self.endless_pages()]
    }

    fn endless_walk(&self) -> EndlessWalk {
        // Its documented budget is 2,000,000 listens (2,001 pages of 1,000): a walk against
        // an endless server is given 20 pages of 100, so that it ends in seconds.
        EndlessWalk {
            page_size: Some(100),
            max_pages: Some(20),
            pages: 20,
        }
    }

    fn rate_limited_wait(&self, retry_after_secs: u64) -> Duration {
        // Its rate limit counts in windows of whole seconds, and the simulation's window
        // ends a second later at the soonest (`X-RateLimit-Reset-In` is never 0).
        Duration::from_secs(retry_after_secs.max(1))
    }
}

impl Simulation for ListenBrainzSimulation {
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

impl Client for ListenBrainzClient {
    fn fetch<'a>(
        &'a self,
        operation_id: &'a str,
        limit: Option<i64>,
    ) -> LocalBoxFuture<'a, Result<usize, Failure>> {
        async move {
            // `Count` is made from a `u32`, as its caller has one; the properties draw no
            // value outside it for ListenBrainz.
            let count = limit
                .map(|value| Count::new(u32::try_from(value).expect("a count that fits in u32")))
                .transpose()
                .map_err(|refused| Failure::from(listenbrainz_api::Error::from(refused)))?;
            match operation_id {
                "get_listen_count" => {
                    let query = ListenCountQuery::new(listenbrainz_user());
                    ListenBrainzClient::fetch(self, &query).await?;
                    Ok(1)
                }
                "validate_token" => {
                    ListenBrainzClient::fetch(self, &ValidateTokenQuery).await?;
                    Ok(1)
                }
                _ => {
                    let query = query(operation_id, count);
                    Ok(ListenBrainzClient::fetch(self, &query).await?.listens.len())
                }
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
        let count = page_size.map(|size| Count::new(size).expect("a count ListenBrainz takes"));
        let mut query = query(operation_id, count);
        let second = |ms: i64| ms.div_euclid(1000);
        if let Some(window) = window {
            query = query.resume_from(match window {
                Window::After(after) => TimeWindow::after(second(after)),
                Window::Before(before) => TimeWindow::all().before(second(before)),
                Window::Between(after, before) => {
                    TimeWindow::after(second(after)).before(second(before))
                }
            });
        }
        let (client, resumable) = (self.clone(), query.clone());
        keyed(
            self.history(query),
            |listen| format!("{} {}", listen.listened_at, listen.recording_msid),
            move |from| client.history(resumable.clone().resume_from(from)),
        )
    }
}

/// The listens of the suite's user, with `count` if any.
fn query(operation_id: &str, count: Option<Count>) -> ListensQuery {
    assert_eq!(
        operation_id, "get_listens",
        "subjects/listenbrainz.rs does not know how to call {operation_id}"
    );
    let query = ListensQuery::new(listenbrainz_user());
    match count {
        Some(count) => query.count(count),
        None => query,
    }
}

/// Sends the simulation every kind of request the spec documents an answer for; the
/// answers.
async fn every_kind_of_response() -> Vec<Captured> {
    // Every other listen shares its second with the one before.
    let times: Vec<i64> = (0..60).map(|i| NEWEST_MS / 1000 - 60 * (i / 2)).collect();

    let sim = listenbrainz_simulation(&times).await;
    let empty = listenbrainz_simulation(&[]).await;
    let user = listenbrainz::DEFAULT_USER_NAME;
    let listens = format!("/1/user/{user}/listens");
    let count = format!("/1/user/{user}/listen-count");
    let token = format!("Token {}", listenbrainz::DEFAULT_TOKEN);
    let auth: &[(&str, &str)] = &[("authorization", &token)];
    let (oldest, newest, middle) = (times[59], times[0], times[30]);
    let mut captured = Vec::new();
    let queries = [
        String::new(),
        "?count=1".into(),
        "?count=25".into(),
        "?count=1000".into(),
        format!("?max_ts={middle}&count=10"),
        format!("?min_ts={middle}&count=10"),
        format!("?min_ts={}&max_ts={}&count=7", oldest - 1, newest + 1),
        format!("?min_ts={newest}"),
        "?max_ts=0".into(),
    ];
    for query in &queries {
        for base_url in [sim.base_url(), empty.base_url()] {
            let path = format!("{listens}{query}");
            captured.push(send(base_url, Method::GET, &path, auth).await);
        }
    }
    for bad in [
        "?count=-1",
        "?count=ten",
        "?min_ts=yesterday",
        "?max_ts=253402300800",
        "?min_ts=10&max_ts=10",
    ] {
        let path = format!("{listens}{bad}");
        captured.push(send(sim.base_url(), Method::GET, &path, auth).await);
    }
    for path in [
        &count,
        "/1/user/nobody-here/listens",
        "/1/user/nobody-here/listen-count",
    ] {
        captured.push(send(sim.base_url(), Method::GET, path, auth).await);
    }
    captured.push(send(empty.base_url(), Method::GET, &count, auth).await);
    let validate = "/1/validate-token";
    captured.push(send(sim.base_url(), Method::GET, validate, auth).await);
    let stale = [("authorization", "Token stale")];
    captured.push(send(sim.base_url(), Method::GET, validate, &stale).await);
    captured.push(send(sim.base_url(), Method::GET, validate, &[]).await);
    for path in [listens.as_str(), &count, validate] {
        sim.inject(Fault::RateLimited {
            retry_after_secs: 30,
        });
        captured.push(send(sim.base_url(), Method::GET, path, auth).await);
        sim.inject(Fault::ServerError);
        captured.push(send(sim.base_url(), Method::GET, path, auth).await);
    }
    sim.set_listen_store_offline(true);
    for path in [listens.as_str(), &count] {
        captured.push(send(sim.base_url(), Method::GET, path, auth).await);
    }
    sim.set_listen_store_offline(false);
    captured.push(send(sim.base_url(), Method::GET, "/1/user/x/listens", auth).await);
    captured.push(send(sim.base_url(), Method::POST, &listens, auth).await);
    captured
}

/// The seconds of the listens of a page as served, in its order.
fn seconds_of(page: &Value) -> Vec<i64> {
    page["payload"]["listens"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|listen| listen["listened_at"].as_i64())
        .collect()
}

/// Reads the listens at `path` forward with both bounds from before the oldest, `count` at
/// a time (as the client walks: each next `min_ts` a second before the newest listen of a
/// full page), after a first page of one that says where the history starts and ends; up
/// to `max_pages + 1` pages, each answer.
async fn walk_forward(
    http: &reqwest::Client,
    base_url: &str,
    path: &str,
    count: u32,
    max_pages: usize,
) -> Vec<Captured> {
    let first = send_on(http, base_url, Method::GET, &format!("{path}?count=1"), &[]).await;
    let page: Value = serde_json::from_slice(&first.body).unwrap_or_default();
    let bound = |name: &str| page["payload"][name].as_i64().unwrap_or(0);
    let (oldest, latest) = (bound("oldest_listen_ts"), bound("latest_listen_ts"));
    let mut answers = vec![first];
    let mut min_ts = oldest - 1;
    while answers.len() <= max_pages {
        let query = format!("{path}?min_ts={min_ts}&max_ts={}&count={count}", latest + 1);
        let answer = send_on(http, base_url, Method::GET, &query, &[]).await;
        let seconds = seconds_of(&serde_json::from_slice(&answer.body).unwrap_or_default());
        answers.push(answer);
        match seconds.iter().max() {
            Some(&newest) if seconds.len() == count as usize && newest - 1 > min_ts => {
                min_ts = newest - 1;
            }
            _ => break,
        }
    }
    answers
}

/// Reads the listens at `path` back from the newest with `max_ts` alone, `count` at a time;
/// up to `max_pages + 1` pages, each answer.
async fn walk_back(
    http: &reqwest::Client,
    base_url: &str,
    path: &str,
    count: u32,
    max_pages: usize,
) -> Vec<Captured> {
    let mut answers = Vec::new();
    let mut max_ts: Option<i64> = None;
    while answers.len() <= max_pages {
        let query = match max_ts {
            None => format!("{path}?count={count}"),
            Some(max_ts) => format!("{path}?max_ts={max_ts}&count={count}"),
        };
        let answer = send_on(http, base_url, Method::GET, &query, &[]).await;
        let oldest = seconds_of(&serde_json::from_slice(&answer.body).unwrap_or_default())
            .into_iter()
            .min();
        answers.push(answer);
        match oldest {
            Some(oldest) if max_ts.is_none_or(|was| oldest < was) => max_ts = Some(oldest),
            _ => break,
        }
    }
    answers
}

/// Gaps between ListenBrainz listens, in seconds: often 0, listens of the same second (told
/// apart by `recording_msid`), which a walk must never cut across pages.
fn gaps() -> impl Strategy<Value = i64> {
    prop_oneof![1 => Just(0i64), 4 => 1i64..=600]
}

/// A ListenBrainz page size and listen times in Unix seconds, newest first from
/// [`NEWEST_MS`]. The page size is at least 8: a page of `count` listens all in one second
/// cannot be paged past (the client says so), and at most 4 listens share a second here.
/// Small page sizes are drawn most often, so that a history of [`MAX_PLAYS`] takes pages.
fn histories() -> impl Strategy<Value = (u32, Vec<i64>)> {
    let max = *limit_range("get_listens").end();
    let counts = prop_oneof![3 => 8u32..=40, 1 => 8..=max];
    (counts, sizes(), all_gaps(gaps())).prop_map(|(count, size, gaps)| {
        (
            count,
            seconds_from_gaps(&gaps[..size.plays(count).min(MAX_PLAYS)]),
        )
    })
}

/// Listen times in Unix seconds from gaps in seconds, newest first from [`NEWEST_MS`]; no
/// more than 4 in one second.
fn seconds_from_gaps(gaps: &[i64]) -> Vec<i64> {
    let mut run = 0;
    let gaps: Vec<i64> = gaps
        .iter()
        .map(|&gap| {
            run = if gap == 0 { run + 1 } else { 0 };
            if run >= 4 {
                run = 0;
                1000
            } else {
                gap * 1000
            }
        })
        .collect();
    times_from_gaps(&gaps)
        .into_iter()
        .map(|ms| ms / 1000)
        .collect()
}

/// The times of `plays`, in Unix seconds, as listens are.
fn seconds(plays: &Plays) -> Vec<i64> {
    plays.times.iter().map(|ms| ms / 1000).collect()
}

/// The last second of the year 9999, the largest time the ListenBrainz server reads.
const LAST_SECOND_OF_9999: i64 = 253_402_300_799;
/// The first second of the year 1, the smallest.
const FIRST_SECOND_OF_YEAR_1: i64 = -62_135_596_800;
/// The schema's maximum of `min_ts`: 30 days before [`LAST_SECOND_OF_9999`].
const MAX_MIN_TS: i64 = 253_399_708_799;

/// Whether the server reads `request`'s `count`: none, empty (the default), or a whole
/// number from 0.
fn count_is_read(request: &Request) -> bool {
    match request.value("count") {
        None => true,
        Some(value) => value == "" || value.as_i64().is_some_and(|n| n >= 0),
    }
}

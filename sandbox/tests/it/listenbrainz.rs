//! The ListenBrainz simulation against the server's behaviour (`specs/listenbrainz-api.yaml`),
//! seen by a plain HTTP client.

use std::collections::HashSet;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use client_support::Entry;
use listenbrainz_api::types::{
    ErrorResponse, Listen, ListenCountResponse, ListensResponse, ValidateTokenResponse,
};
use music_history_sandbox::Fault;
use music_history_sandbox::listenbrainz::{
    DEFAULT_TOKEN, DEFAULT_USER_NAME, ListenBrainzHistory, ListenBrainzListen,
    ListenBrainzSimulation, RateLimit,
};
use serde_json::Value;

use crate::assert_within_max_pages;

const DAY: i64 = 86_400;
const RATE_HEADERS: [&str; 4] = [
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-ratelimit-reset-in",
];

fn client() -> reqwest::Client {
    client_support::http::client_builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client")
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64
}

struct Reply {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    /// The page, every listen decoded as the spec's `Listen`.
    fn page(&self) -> ListensResponse {
        assert_eq!(self.status, 200, "{}", String::from_utf8_lossy(&self.body));
        let page: ListensResponse =
            serde_json::from_slice(&self.body).expect("decodes as ListensResponse");
        assert_eq!(page.payload.count as usize, page.payload.listens.len());
        page
    }

    fn error(&self) -> ErrorResponse {
        let error: ErrorResponse =
            serde_json::from_slice(&self.body).expect("decodes as ErrorResponse");
        assert_eq!(error.code, i32::from(self.status));
        error
    }

    fn header(&self, name: &str) -> Option<i64> {
        self.headers
            .get(name)
            .map(|value| value.to_str().unwrap().parse().expect("an integer header"))
    }

    fn has_rate_headers(&self) -> bool {
        RATE_HEADERS
            .iter()
            .all(|name| self.headers.contains_key(*name))
    }
}

async fn send(request: reqwest::RequestBuilder) -> Reply {
    let response = request.send().await.expect("an HTTP response");
    Reply {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.bytes().await.expect("a body").to_vec(),
    }
}

/// `GET <base>{path}`, with `Authorization: <authorization>` if given.
async fn get(sim: &ListenBrainzSimulation, path: &str, authorization: Option<&str>) -> Reply {
    let mut request = client().get(format!("{}{path}", sim.base_url()));
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    send(request).await
}

async fn listens(sim: &ListenBrainzSimulation, query: &str) -> Reply {
    get(
        sim,
        &format!("/1/user/{DEFAULT_USER_NAME}/listens?{query}"),
        None,
    )
    .await
}

fn items(page: &ListensResponse) -> Vec<&Listen> {
    page.payload
        .listens
        .iter()
        .map(|entry| match entry {
            Entry::Item(listen) => listen,
            Entry::Malformed(malformed) => panic!("a listen off the spec: {malformed:?}"),
        })
        .collect()
}

fn times(page: &ListensResponse) -> Vec<i64> {
    items(page).iter().map(|l| l.listened_at).collect()
}

fn key(listen: &Listen) -> (i64, String) {
    (listen.listened_at, listen.recording_msid.clone())
}

fn all_keys(sim: &ListenBrainzSimulation) -> Vec<(i64, String)> {
    sim.listens()
        .iter()
        .map(|l| (l.listened_at, l.recording_msid().to_owned()))
        .collect()
}

/// A history of one listen at each of `times`.
async fn start_at(times: &[i64]) -> ListenBrainzSimulation {
    let listens = times
        .iter()
        .map(|&t| ListenBrainzListen::new(t, "Röyksopp", &format!("Track {t}")))
        .collect();
    ListenBrainzSimulation::start(ListenBrainzHistory::new(listens)).await
}

#[tokio::test]
async fn without_bounds_the_25_newest_come_newest_first_with_the_users_own_tally() {
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(300, 1)).await;
    let page = listens(&sim, "").await.page();
    let all = all_keys(&sim);
    let served: Vec<_> = items(&page).into_iter().map(key).collect();
    assert_eq!(served, all[..25]);
    assert_eq!(page.payload.latest_listen_ts, all[0].0);
    assert_eq!(page.payload.oldest_listen_ts, all[299].0);
    assert_eq!(page.payload.user_id, DEFAULT_USER_NAME);
    assert!(
        items(&page)
            .iter()
            .all(|l| l.user_name == DEFAULT_USER_NAME)
    );
}

#[tokio::test]
async fn a_count_above_1000_is_served_as_1000_and_a_bad_count_is_400() {
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(1_200, 2)).await;
    assert_eq!(listens(&sim, "count=5000").await.page().payload.count, 1000);
    assert_eq!(listens(&sim, "count=").await.page().payload.count, 25);
    assert_eq!(listens(&sim, "count=0").await.page().payload.count, 0);
    for (query, message) in [
        ("count=-1", "Number of items requested should be positive"),
        ("count=ten", "Invalid count argument: ten"),
    ] {
        let reply = listens(&sim, query).await;
        assert_eq!(reply.status, 400, "{query}");
        assert_eq!(reply.error().error, message);
        assert!(reply.has_rate_headers());
    }
}

#[tokio::test]
async fn bad_timestamps_are_400_and_far_ones_500() {
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(10, 3)).await;
    for (query, status, message) in [
        (
            "min_ts=5&max_ts=5",
            400,
            "max_ts should be greater than min_ts",
        ),
        (
            "min_ts=9&max_ts=5",
            400,
            "max_ts should be greater than min_ts",
        ),
        (
            "min_ts=yesterday",
            400,
            "Incorrect min_ts timestamp argument: yesterday",
        ),
        (
            "max_ts=1000000000000",
            400,
            "Incorrect max_ts timestamp argument: 1000000000000",
        ),
        (
            "max_ts=100000000000000000",
            500,
            "An unknown error occured.",
        ),
        // A 30-day window after it passes the year 9999.
        ("min_ts=253400000000", 500, "An unknown error occured."),
    ] {
        let reply = listens(&sim, query).await;
        assert_eq!(
            (reply.status, reply.error().error.as_str()),
            (status, message),
            "{query}"
        );
        assert!(reply.has_rate_headers(), "{query}");
    }
    // Both bounds: one query, no window to overflow.
    let both = listens(&sim, "min_ts=253400000000&max_ts=253402300799").await;
    assert_eq!(both.page().payload.count, 0);
}

#[tokio::test]
async fn an_unknown_user_is_404_before_the_parameters_are_read() {
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(10, 4)).await;
    for path in [
        "/1/user/sir_dumpsterfire/listens?count=-1&min_ts=x",
        "/1/user/sir_dumpsterfire/listen-count",
    ] {
        let reply = get(&sim, path, None).await;
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(reply.error().error, "Cannot find user: sir_dumpsterfire");
        assert!(reply.has_rate_headers());
    }
    // A slash inside a name, percent-encoded, reaches the method.
    let reply = get(&sim, "/1/user/a%2Fb/listens", None).await;
    assert_eq!(reply.error().error, "Cannot find user: a/b");
}

#[tokio::test]
async fn names_match_in_any_case_and_user_id_repeats_the_path() {
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(5, 5)).await;
    let page = get(&sim, "/1/user/SANDBOX-Listener/listens", None)
        .await
        .page();
    assert_eq!(page.payload.user_id, "SANDBOX-Listener");
    assert!(
        items(&page)
            .iter()
            .all(|l| l.user_name == DEFAULT_USER_NAME)
    );
    let count = get(&sim, "/1/user/Sandbox-LISTENER/listen-count", None).await;
    assert_eq!(count.status, 200);
}

#[tokio::test]
async fn min_ts_selects_the_oldest_after_it_max_ts_the_newest_before_it_bounds_exclusive() {
    let base = now() - 1_000;
    let sim = &start_at(&[100, 200, 300, 400, 500].map(|t| base + t)).await;
    let t = |x: i64| base + x;
    let q = |query: String| async move { times(&listens(sim, &query).await.page()) };
    assert_eq!(
        q(format!("min_ts={}&count=2", t(100))).await,
        [t(300), t(200)]
    );
    assert_eq!(
        q(format!("max_ts={}&count=2", t(500))).await,
        [t(400), t(300)]
    );
    assert_eq!(
        q(format!("min_ts={}&max_ts={}&count=9", t(100), t(500))).await,
        [t(400), t(300), t(200)]
    );
    assert_eq!(
        q(format!("min_ts={}&max_ts={}&count=2", t(100), t(500))).await,
        [t(300), t(200)],
        "both bounds: the oldest after min_ts"
    );
    let inner = listens(sim, &format!("min_ts={}&max_ts={}", t(200), t(400)))
        .await
        .page();
    assert_eq!(times(&inner), [t(300)]);
    assert_eq!(
        (
            inner.payload.latest_listen_ts,
            inner.payload.oldest_listen_ts
        ),
        (t(500), t(100)),
        "the user's newest and oldest, not the page's"
    );
}

#[tokio::test]
async fn a_walk_with_both_bounds_overlapping_a_second_returns_every_listen_once() {
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(400, 6)).await;
    let all = all_keys(&sim);
    assert!(
        all.windows(2).any(|pair| pair[0].0 == pair[1].0),
        "same-second listens"
    );
    let first = listens(&sim, "count=1").await.page().payload;
    let (oldest, latest) = (first.oldest_listen_ts, first.latest_listen_ts);
    let mut seen = HashSet::new();
    let mut min_ts = oldest - 1;
    let mut pages = 0;
    loop {
        pages += 1;
        assert_within_max_pages(pages);
        let query = format!("min_ts={min_ts}&max_ts={}&count=7", latest + 1);
        let page = listens(&sim, &query).await.page();
        let served = times(&page);
        assert!(
            served.windows(2).all(|pair| pair[0] >= pair[1]),
            "newest first"
        );
        seen.extend(items(&page).into_iter().map(key));
        match served.first() {
            Some(&newest) if newest < latest => min_ts = newest - 1,
            _ => break,
        }
    }
    assert_eq!(seen, all.into_iter().collect::<HashSet<_>>());
}

#[tokio::test]
async fn a_backward_walk_with_max_ts_returns_every_listen_once() {
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(400, 7)).await;
    sim.set_windowed_search(false);
    let all = all_keys(&sim);
    let mut seen = HashSet::new();
    let mut query = "count=9".to_owned();
    for pages in 1.. {
        assert_within_max_pages(pages);
        let page = listens(&sim, &query).await.page();
        seen.extend(items(&page).into_iter().map(key));
        match times(&page).last() {
            Some(&oldest) if page.payload.count == 9 => {
                query = format!("max_ts={}&count=9", oldest + 1)
            }
            _ => break,
        }
    }
    assert_eq!(seen, all.into_iter().collect::<HashSet<_>>());
}

#[tokio::test]
async fn min_ts_alone_before_the_oldest_listen_finds_only_its_first_30_days() {
    let oldest = 1_700_000_000;
    let sim = start_at(&[oldest, oldest + 20 * DAY, oldest + 40 * DAY]).await;
    let early = listens(&sim, &format!("min_ts={}", oldest - 2))
        .await
        .page();
    assert_eq!(times(&early), [oldest + 20 * DAY, oldest]);
    let from_zero = listens(&sim, "min_ts=0").await.page();
    assert_eq!(
        from_zero.payload.count, 0,
        "min_ts=0: nothing in 1970's first 30 days"
    );
    let just = listens(&sim, &format!("min_ts={}", oldest - 1))
        .await
        .page();
    assert_eq!(just.payload.count, 3);
    let both = listens(&sim, &format!("min_ts=0&max_ts={}", now()))
        .await
        .page();
    assert_eq!(both.payload.count, 3, "both bounds: no windows");
    sim.set_windowed_search(false);
    assert_eq!(listens(&sim, "min_ts=0").await.page().payload.count, 3);
}

#[tokio::test]
async fn max_ts_more_than_10_minutes_ahead_finds_only_its_first_30_days() {
    let today = now();
    let sim = start_at(&[today - 40 * DAY, today - DAY]).await;
    let ahead = listens(&sim, &format!("max_ts={}", today + DAY))
        .await
        .page();
    assert_eq!(times(&ahead), [today - DAY]);
    let present = listens(&sim, &format!("max_ts={today}")).await.page();
    assert_eq!(present.payload.count, 2);
    sim.set_windowed_search(false);
    let exact = listens(&sim, &format!("max_ts={}", today + DAY))
        .await
        .page();
    assert_eq!(exact.payload.count, 2);
}

#[tokio::test]
async fn walking_back_a_listen_on_a_window_edge_is_skipped() {
    let max = now() - DAY;
    let on_edges = [max - 30 * DAY, max - 120 * DAY, max - 390 * DAY];
    let sim = start_at(&[
        max - DAY,
        on_edges[0],
        on_edges[1],
        on_edges[2],
        max - 400 * DAY,
    ])
    .await;
    let walked = listens(&sim, &format!("max_ts={max}")).await.page();
    assert_eq!(times(&walked), [max - DAY, max - 400 * DAY]);
    let both = listens(&sim, &format!("min_ts=0&max_ts={max}"))
        .await
        .page();
    assert_eq!(both.payload.count, 5, "both bounds: no windows");
    sim.set_windowed_search(false);
    assert_eq!(
        listens(&sim, &format!("max_ts={max}"))
            .await
            .page()
            .payload
            .count,
        5
    );
}

#[tokio::test]
async fn a_late_import_lands_behind_newer_listens_and_a_new_listen_on_top() {
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(50, 8)).await;
    let before = listens(&sim, "count=1").await.page().payload;
    let count = |reply: Reply| -> i64 {
        assert_eq!(reply.status, 200);
        serde_json::from_slice::<ListenCountResponse>(&reply.body)
            .expect("decodes as ListenCountResponse")
            .payload
            .count
    };
    let path = format!("/1/user/{DEFAULT_USER_NAME}/listen-count");
    assert_eq!(count(get(&sim, &path, None).await), 50);

    let old = before.oldest_listen_ts - 3 * 365 * DAY;
    assert!(sim.record_listen(ListenBrainzListen::new(old, "Röyksopp", "Sorry")));
    let fresh = before.latest_listen_ts + 60;
    assert!(sim.record_listen(ListenBrainzListen::new(fresh, "Röyksopp", "Some Resolve")));
    assert_eq!(count(get(&sim, &path, None).await), 52);

    let newest = listens(&sim, "count=1").await.page();
    assert_eq!(times(&newest), [fresh]);
    assert_eq!(newest.payload.latest_listen_ts, fresh);
    assert_eq!(newest.payload.oldest_listen_ts, old);
    let imported = listens(&sim, &format!("min_ts={}&max_ts={}", old - 1, old + 1))
        .await
        .page();
    let listen = items(&imported)[0].clone();
    assert_eq!(listen.listened_at, old);
    assert!(
        listen.inserted_at >= now() - 60,
        "stored now, played years ago"
    );
    assert!(
        !sim.record_listen(ListenBrainzListen::new(old, "RÖYKSOPP", "sorry")),
        "the same listen"
    );
}

#[tokio::test]
async fn same_second_listens_are_told_apart_by_recording_msid() {
    let t = 1_771_414_109;
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::new(vec![
        ListenBrainzListen::new(t, "Röyksopp", "Some Resolve"),
        ListenBrainzListen::new(t, "Röyksopp", "Sorry"),
        ListenBrainzListen::new(t, "röyksopp", "some resolve"),
    ]))
    .await;
    let page = listens(&sim, "").await.page();
    let served = items(&page);
    assert_eq!(served.len(), 2, "the third is the first again");
    assert_eq!(served[0].listened_at, served[1].listened_at);
    assert_ne!(served[0].recording_msid, served[1].recording_msid);
    for listen in served {
        assert_eq!(
            listen.track_metadata.additional_info.recording_msid,
            listen.recording_msid
        );
    }
}

#[tokio::test]
async fn a_user_without_listens_has_zero_times() {
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::new(Vec::new())).await;
    let page = listens(&sim, "").await;
    assert_eq!(
        page.json(),
        serde_json::json!({"payload": {"count": 0, "latest_listen_ts": 0, "oldest_listen_ts": 0,
            "user_id": DEFAULT_USER_NAME, "listens": []}})
    );
}

#[tokio::test]
async fn realistic_listens_carry_mappings_and_the_optional_fields_of_the_spec() {
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(1_000, 9)).await;
    let reply = listens(&sim, "count=1000").await;
    let page = reply.page();
    let served = items(&page);
    let metadata = |f: fn(&Listen) -> bool| served.iter().filter(|l| f(l)).count();
    assert!(metadata(|l| l.track_metadata.mbid_mapping.is_none()) > 100);
    assert!(
        metadata(|l| {
            l.track_metadata
                .mbid_mapping
                .as_ref()
                .is_some_and(|m| !m.artists.is_empty() && m.recording_name.is_some())
        }) > 300
    );
    assert!(metadata(|l| l.track_metadata.additional_info.isrc.is_some()) > 100);
    assert!(metadata(|l| l.track_metadata.additional_info.duration_ms.is_some()) > 100);
    assert!(metadata(|l| l.track_metadata.release_name.is_none()) > 20);
    assert!(metadata(|l| l.inserted_at > l.listened_at) == 1000);
    // The wire form: an optional member without a value is left out, not `null`.
    let raw = reply.json();
    let unmapped = raw["payload"]["listens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["track_metadata"].get("mbid_mapping").is_none())
        .expect("an unmapped listen");
    assert!(unmapped["track_metadata"]["additional_info"]["recording_msid"].is_string());
}

#[tokio::test]
async fn a_long_history_builds_and_serves_pages_fast() {
    let started = Instant::now();
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(100_000, 10)).await;
    let all = all_keys(&sim);
    let middle = all[50_000].0;
    for query in [
        "count=1000".to_owned(),
        format!("max_ts={middle}&count=1000"),
        format!("min_ts={middle}&count=1000"),
        format!("min_ts={}&max_ts={middle}&count=1000", all[99_999].0 - 1),
    ] {
        assert_eq!(
            listens(&sim, &query).await.page().payload.count,
            1000,
            "{query}"
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn validate_token_reads_authorization_token_and_ignores_bearer() {
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(3, 11)).await;
    let validate = |authorization: Option<String>, query: &'static str| {
        let sim = &sim;
        async move {
            let path = format!("/1/validate-token{query}");
            get(sim, &path, authorization.as_deref()).await
        }
    };
    let valid = validate(Some(format!("Token {DEFAULT_TOKEN}")), "").await;
    assert!(valid.has_rate_headers());
    let valid: ValidateTokenResponse = serde_json::from_slice(&valid.body).unwrap();
    assert_eq!(
        (
            valid.code,
            valid.message.as_str(),
            valid.valid,
            valid.user_name.as_deref()
        ),
        (200, "Token valid.", true, Some(DEFAULT_USER_NAME))
    );
    let lower = validate(Some(format!("token {DEFAULT_TOKEN}")), "")
        .await
        .json();
    assert_eq!(lower["valid"], true);
    let other = validate(Some("Token not-a-token".into()), "").await;
    assert_eq!(other.status, 200);
    assert_eq!(
        other.json(),
        serde_json::json!({"code": 200, "message": "Token invalid.", "valid": false})
    );
    for authorization in [
        None,
        Some(format!("Bearer {DEFAULT_TOKEN}")),
        Some("Token  x".into()),
    ] {
        let reply = validate(authorization.clone(), "").await;
        assert_eq!(reply.status, 400, "{authorization:?}");
        assert_eq!(
            reply.error().error,
            "You need to provide an Authorization token."
        );
        assert!(reply.has_rate_headers());
    }
    // A `Bearer` header is ignored; the query parameter the server still reads is not.
    let query = validate(Some("Bearer x".into()), "?token=sandbox-listenbrainz-token").await;
    assert_eq!(query.json()["valid"], true);
}

#[tokio::test]
async fn listens_need_no_token_and_accept_any() {
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(3, 12)).await;
    let path = format!("/1/user/{DEFAULT_USER_NAME}/listens");
    for authorization in [
        None,
        Some("Token wrong"),
        Some("Bearer wrong"),
        Some("garbage"),
    ] {
        assert_eq!(
            get(&sim, &path, authorization).await.status,
            200,
            "{authorization:?}"
        );
    }
    let recorded = sim.requests();
    assert_eq!(recorded.len(), 4);
    assert_eq!(recorded[1].header("authorization"), Some("Token wrong"));
    assert_eq!(
        recorded[0].path_segments,
        ["1", "user", DEFAULT_USER_NAME, "listens"]
    );
}

#[tokio::test]
async fn every_method_response_carries_fixed_window_rate_limit_headers() {
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(3, 13)).await;
    let window = 1_000_000_000;
    sim.set_rate_limit(Some(RateLimit {
        requests: 10,
        window_secs: window as u64,
    }));
    let paths = [
        format!("/1/user/{DEFAULT_USER_NAME}/listens"),
        format!("/1/user/{DEFAULT_USER_NAME}/listens?count=-1"),
        "/1/user/nobody/listens".to_owned(),
        format!("/1/user/{DEFAULT_USER_NAME}/listen-count"),
        "/1/validate-token".to_owned(),
    ];
    for (i, path) in paths.iter().enumerate() {
        let reply = get(&sim, path, None).await;
        let at = now();
        assert_eq!(reply.header("x-ratelimit-limit"), Some(10), "{path}");
        assert_eq!(
            reply.header("x-ratelimit-remaining"),
            Some(9 - i as i64),
            "{path}"
        );
        let reset = reply
            .header("x-ratelimit-reset")
            .expect("X-RateLimit-Reset");
        let reset_in = reply
            .header("x-ratelimit-reset-in")
            .expect("X-RateLimit-Reset-In");
        assert_eq!(reset % window, 0, "aligned to the window");
        assert!((1..=window).contains(&reset_in));
        assert!(
            (reset - reset_in - at).abs() <= 2,
            "Reset - Reset-In is now"
        );
    }
}

#[tokio::test]
async fn past_the_limit_429_says_so_in_the_headers_without_retry_after() {
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(3, 14)).await;
    sim.set_rate_limit(Some(RateLimit {
        requests: 2,
        window_secs: 1_000_000_000,
    }));
    let path = format!("/1/user/{DEFAULT_USER_NAME}/listen-count");
    for _ in 0..2 {
        assert_eq!(get(&sim, &path, None).await.status, 200);
    }
    for _ in 0..2 {
        let refused = get(&sim, &path, None).await;
        assert_eq!(refused.status, 429);
        assert_eq!(
            refused.error().error,
            "You have exceeded your rate limit. See the X-RateLimit-* response headers for \
             more information on your current rate limit."
        );
        assert_eq!(refused.header("x-ratelimit-remaining"), Some(0));
        assert_eq!(refused.header("x-ratelimit-limit"), Some(2));
        assert!(refused.header("x-ratelimit-reset-in").unwrap() >= 1);
        assert!(!refused.headers.contains_key("retry-after"));
    }
    assert_eq!(sim.request_count(), 4, "refused requests are recorded");
    sim.set_rate_limit(None);
    let lifted = get(&sim, &path, None).await;
    assert_eq!(lifted.status, 200);
    assert_eq!(lifted.header("x-ratelimit-limit"), Some(100_000));
}

#[tokio::test]
async fn faults_are_answered_as_the_server_answers_them() {
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(3, 15)).await;
    let path = format!("/1/user/{DEFAULT_USER_NAME}/listens");
    sim.inject(Fault::RateLimited {
        retry_after_secs: 7,
    });
    sim.inject(Fault::ServerError);
    sim.inject(Fault::Drop);
    let limited = get(&sim, &path, None).await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("x-ratelimit-reset-in"), Some(7));
    assert_eq!(limited.header("x-ratelimit-remaining"), Some(0));
    assert!(!limited.headers.contains_key("retry-after"));
    let failed = get(&sim, &path, None).await;
    assert_eq!(
        (failed.status, failed.error().error.as_str()),
        (500, "An unknown error occured.")
    );
    assert!(failed.has_rate_headers());
    let dropped = client()
        .get(format!("{}{path}", sim.base_url()))
        .send()
        .await;
    assert!(
        dropped.is_err(),
        "the connection is closed without a response"
    );
    assert_eq!(get(&sim, &path, None).await.status, 200);
    assert_eq!(sim.request_count(), 4);
}

#[tokio::test]
async fn paths_that_match_no_method_are_404_and_other_methods_405_without_rate_headers() {
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(3, 16)).await;
    for path in [
        "/1/user/x/listens",
        "/1/user//listens",
        "/1/user/rob%2F/listens",
        "/1/user/rob/listens/",
        "/1/users/rob/listens",
        "/v1/user/rob/listens",
        "/1/validate-token/x",
    ] {
        let reply = get(&sim, path, None).await;
        assert_eq!(reply.status, 404, "{path}");
        assert!(
            reply
                .error()
                .error
                .starts_with("The requested URL was not found")
        );
        assert!(!reply.has_rate_headers(), "{path}");
    }
    let path = format!("{}/1/user/{DEFAULT_USER_NAME}/listens", sim.base_url());
    let reply = send(client().post(&path)).await;
    assert_eq!(reply.status, 405);
    assert_eq!(reply.headers["allow"], "GET");
    assert_eq!(reply.error().code, 405);
    assert!(!reply.has_rate_headers());
}

#[tokio::test]
async fn an_offline_listen_store_is_503_for_the_listens_methods() {
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(3, 17)).await;
    sim.set_listen_store_offline(true);
    for path in [
        format!("/1/user/{DEFAULT_USER_NAME}/listens"),
        "/1/user/nobody/listen-count".to_owned(),
    ] {
        let reply = get(&sim, &path, None).await;
        assert_eq!(reply.status, 503, "{path}");
        assert!(
            reply
                .error()
                .error
                .starts_with("The listen database is momentarily offline.")
        );
        assert!(reply.has_rate_headers());
    }
    let token = format!("Token {DEFAULT_TOKEN}");
    assert_eq!(
        get(&sim, "/1/validate-token", Some(&token)).await.status,
        200
    );
    sim.set_listen_store_offline(false);
    assert_eq!(listens(&sim, "").await.status, 200);
}

#[tokio::test]
async fn a_lovable_dev_user_agent_is_turned_away_before_any_method() {
    let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(3, 18)).await;
    let url = format!("{}/1/user/{DEFAULT_USER_NAME}/listens", sim.base_url());
    let reply = send(
        client()
            .get(url)
            .header("user-agent", "Mozilla/5.0 (lovable.dev)"),
    )
    .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json(),
        serde_json::json!({"code": 400, "message": "Please contact support@metabrainz.org for assistance."})
    );
}

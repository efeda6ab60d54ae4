//! What goes on the wire: both bounds and `count` on every listens request, the user name as
//! one path segment equal to itself, `Authorization: Token <token>` and no `api-version`; and
//! what the types refuse, which never reaches the network.

use crate::common;

use std::time::{SystemTime, UNIX_EPOCH};

use client_support::test_support::read_walk;
use common::{BASE, FakeListenBrainz, LISTENS, TOKEN, client, listens_page, param, user};
use listenbrainz_api::{
    AccessToken, Count, DEFAULT_BASE_URL, Error, ListenBrainzClient, ListenCountQuery,
    ListensQuery, MAX_AFTER, MAX_BEFORE, TimeWindow, UserName, ValidateTokenQuery,
};
use serde_json::json;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A server that answers every request with an empty page of listens and a count.
async fn answering_anything() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path(LISTENS))
        .respond_with(listens_page(vec![]))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "payload": {"count": 3, "listens": [], "latest_listen_ts": 0, "oldest_listen_ts": 0, "user_id": "x"},
            "code": 200, "message": "Token valid.", "valid": true, "user_name": "rob"
        })))
        .mount(&server)
        .await;
    server
}

/// A server that must receive no request at all.
async fn silent_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_listens_request_sends_both_bounds_and_a_count_of_1000_unless_told_otherwise() {
    let server = answering_anything().await;
    let client = client(&server);

    let before = now();
    client.fetch(&ListensQuery::new(user())).await.unwrap();
    let after = now();
    let window = TimeWindow::after(5).before(9);
    let query = ListensQuery::new(user())
        .count(Count::new(7).unwrap())
        .resume_from(window);
    client.fetch(&query).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let open = &requests[0];
    assert_eq!(open.url.path(), LISTENS);
    assert_eq!(param(open, "min_ts").as_deref(), Some("0"));
    assert_eq!(param(open, "count").as_deref(), Some("1000"));
    let max_ts: i64 = param(open, "max_ts")
        .expect("a window open to the present still sends max_ts")
        .parse()
        .unwrap();
    assert!(
        (before + 3601..=after + 3601).contains(&max_ts),
        "max_ts {max_ts} is not now + 3601 (now was {before}..={after})"
    );
    let bounded = &requests[1];
    let sent: Vec<_> = ["min_ts", "max_ts", "count"]
        .map(|name| param(bounded, name))
        .into();
    assert_eq!(sent, [Some("5".into()), Some("9".into()), Some("7".into())]);
}

#[tokio::test]
async fn every_page_of_a_walk_sends_both_bounds_and_the_walks_count() {
    let server = MockServer::start().await;
    // Two listens a second, so that pages of 3 cut seconds and the walk takes several pages.
    let history = (1..=8)
        .flat_map(|i| [(BASE + i, format!("a{i}")), (BASE + i, format!("b{i}"))])
        .collect();
    FakeListenBrainz::new(history, 7).mount(&server).await;
    let client = client(&server);
    let count = Count::new(3).unwrap();

    let bounded = TimeWindow::after(BASE).before(BASE + 6);
    let query = ListensQuery::new(user()).count(count).resume_from(bounded);
    let (listens, error) = read_walk(&mut client.history(query), 100)
        .await
        .expect_ended();
    assert!(error.is_none(), "{error:?}");
    assert_eq!(listens.len(), 10);
    let started = now();
    let open = ListensQuery::new(user())
        .count(count)
        .resume_from(TimeWindow::after(BASE + 5));
    let (listens, error) = read_walk(&mut client.history(open), 100)
        .await
        .expect_ended();
    let ended = now();
    assert!(error.is_none(), "{error:?}");
    assert_eq!(listens.len(), 6);

    let requests = server.received_requests().await.unwrap();
    assert!(requests.len() >= 4, "{} requests", requests.len());
    for request in &requests {
        assert_eq!(
            param(request, "count").as_deref(),
            Some("3"),
            "{}",
            request.url
        );
        assert!(param(request, "min_ts").is_some(), "{}", request.url);
        let max_ts: i64 = param(request, "max_ts").unwrap().parse().unwrap();
        assert!(
            max_ts == BASE + 6 || (started + 3601..=ended + 3601).contains(&max_ts),
            "{}",
            request.url
        );
    }
}

#[tokio::test]
async fn a_client_talks_to_the_real_api_by_default_and_says_where_it_sends_requests() {
    let real = ListenBrainzClient::new(AccessToken::new(TOKEN).unwrap()).unwrap();
    assert_eq!(real.base_url(), DEFAULT_BASE_URL);
    assert_eq!(real.base_url(), "https://api.listenbrainz.org");
    let server = answering_anything().await;
    assert_eq!(client(&server).base_url(), server.uri());
}

#[tokio::test]
async fn every_request_carries_the_token_as_token_not_bearer_and_no_api_version_header() {
    let server = answering_anything().await;
    let client = client(&server);
    client.fetch(&ListensQuery::new(user())).await.unwrap();
    client.fetch(&ListenCountQuery::new(user())).await.unwrap();
    client.fetch(&ValidateTokenQuery).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    for request in &requests {
        let headers = &request.headers;
        assert_eq!(
            headers["authorization"],
            format!("Token {TOKEN}"),
            "{}",
            request.url
        );
        assert!(
            headers.get("api-version").is_none(),
            "api-version was sent: {headers:?}"
        );
    }
}

/// User names a URL would reinterpret if they were pasted into the path unescaped.
const TRICKY_NAMES: &[&str] = &[
    "rob",
    "a/b",
    "/",
    "//x",
    "a?b=c",
    "?",
    "a#b",
    "#",
    "%",
    "%2F",
    "%2e%2e",
    "100%",
    "...",
    "./",
    "../x",
    "a/../b",
    " ",
    "a b",
    " rob ",
    "a+b",
    "a;b&c=d",
    "@:!$'()*,~-_",
    "<script>",
    "\t",
    "a\nb",
    "ü",
    "e\u{301}",
    "日本語",
    "😀",
    "\u{202e}rtl",
];

/// Percent-decodes once, as a server does with a path segment (`+` stays `+`).
fn percent_decode(segment: &str) -> Vec<u8> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap() * 16 + hex(l).unwrap()) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

#[tokio::test]
async fn every_user_name_arrives_as_exactly_one_path_segment_equal_to_itself() {
    let server = answering_anything().await;
    let client = client(&server);
    let long = "x/y?z#%".repeat(200);
    let names: Vec<&str> = TRICKY_NAMES
        .iter()
        .copied()
        .chain([long.as_str()])
        .collect();

    for name in &names {
        let user = UserName::new(*name).unwrap_or_else(|e| panic!("{name:?}: {e}"));
        assert_eq!(user.as_str(), *name);
        client
            .fetch(&ListensQuery::new(user.clone()))
            .await
            .unwrap_or_else(|e| panic!("{name:?}: {e}"));
        let count = client
            .fetch(&ListenCountQuery::new(user))
            .await
            .unwrap_or_else(|e| panic!("{name:?}: {e}"));
        assert_eq!(count, 3);
    }

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2 * names.len());
    for (name, pair) in names.iter().zip(requests.chunks(2)) {
        for (request, operation) in pair.iter().zip(["listens", "listen-count"]) {
            let segments: Vec<&str> = request.url.path().split('/').collect();
            assert_eq!(
                (
                    segments.len(),
                    segments[1],
                    segments[2],
                    segments[segments.len() - 1]
                ),
                (5, "1", "user", operation),
                "{name:?} arrived as {:?}",
                request.url.path()
            );
            assert_eq!(
                percent_decode(segments[3]),
                name.as_bytes(),
                "{name:?} arrived as {:?}",
                segments[3]
            );
        }
    }
}

#[test]
fn names_that_cannot_be_one_segment_are_refused_before_any_request_exists() {
    // No query can name a user but by an accepted `UserName`: refused here, nothing is sent.
    for name in ["", ".", "..", "\\", "a\\b", "..\\..\\me"] {
        let refused = UserName::new(name).unwrap_err();
        assert_eq!(
            (refused.parameter, refused.value.as_str()),
            ("user_name", name)
        );
        let error = Error::from(refused);
        assert!(matches!(error, Error::InvalidParameter(_)), "{error:?}");
        assert!(
            error
                .to_string()
                .starts_with("request not sent: `user_name`"),
            "{error}"
        );
        let kept = serde_json::to_string(name).unwrap();
        assert!(serde_json::from_str::<UserName>(&kept).is_err(), "{name:?}");
    }
}

#[tokio::test]
async fn a_count_outside_1_to_1000_never_reaches_the_network() {
    let server = silent_server().await;
    let client = client(&server);
    for n in [0, 1001, u32::MAX] {
        let sent = async {
            let query = ListensQuery::new(user()).count(Count::new(n)?);
            client.fetch(&query).await.map(drop)
        };
        let error = sent.await.unwrap_err();
        assert!(
            matches!(&error, Error::LimitOutOfRange(e) if (e.min, e.max) == (1, 1000)),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            format!("request not sent: `count` must be in 1..=1000, got {n}")
        );
    }
    assert_eq!(Count::new(1).unwrap(), Count::MIN);
    assert_eq!(Count::new(1000).unwrap(), Count::MAX);
}

#[tokio::test]
async fn a_window_the_server_would_refuse_or_misread_never_reaches_the_network() {
    let server = silent_server().await;
    let client = client(&server);
    let refused = [
        (TimeWindow::after(-1), "min_ts"),
        (TimeWindow::after(i64::MIN), "min_ts"),
        (TimeWindow::after(MAX_AFTER + 1), "min_ts"),
        (
            TimeWindow::after(MAX_AFTER + 1).before(MAX_BEFORE),
            "min_ts",
        ),
        (TimeWindow::after(0).before(MAX_BEFORE + 1), "max_ts"),
        (TimeWindow::after(0).before(i64::MAX), "max_ts"),
        (TimeWindow::after(0).before(-5), "max_ts"),
        (TimeWindow::after(9).before(9), "max_ts"),
        (TimeWindow::after(9).before(8), "max_ts"),
        (TimeWindow::after(0).before(0), "max_ts"),
        // Open to the present, which is long before this.
        (TimeWindow::after(MAX_AFTER), "max_ts"),
    ];
    for (window, parameter) in refused {
        let query = ListensQuery::new(user()).resume_from(window.clone());
        let error = client.fetch(&query).await.unwrap_err();
        assert!(
            matches!(&error, Error::InvalidParameter(e) if e.parameter == parameter),
            "{window:?}: {error:?}"
        );
        assert!(error.to_string().starts_with("request not sent"), "{error}");
        // A walk from it fails at once, where it started.
        let mut history = client.history(query);
        let (listens, error) = read_walk(&mut history, 1).await.expect_ended();
        assert!(listens.is_empty());
        assert!(
            matches!(&error, Some(Error::InvalidParameter(_))),
            "{window:?}: {error:?}"
        );
        assert_eq!(history.resume_point(), Some(window));
    }
}

#[tokio::test]
async fn the_widest_windows_the_server_reads_are_sent_as_given() {
    let server = answering_anything().await;
    let client = client(&server);
    for window in [
        TimeWindow::after(MAX_AFTER).before(MAX_BEFORE),
        TimeWindow::after(0).before(1),
    ] {
        let query = ListensQuery::new(user()).resume_from(window);
        client.fetch(&query).await.unwrap();
    }
    let sent: Vec<_> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| (param(r, "min_ts").unwrap(), param(r, "max_ts").unwrap()))
        .collect();
    let expected = [(MAX_AFTER, MAX_BEFORE), (0, 1)].map(|(a, b)| (a.to_string(), b.to_string()));
    assert_eq!(sent, expected);
}

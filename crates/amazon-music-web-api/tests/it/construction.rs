//! Building a client, and what every request carries.

use crate::common;

use amazon_music_web_api::{
    AccessToken, AmazonMusicClient, ApiKey, DEFAULT_BASE_URL, Error, SharedToken, TracksQuery,
};
use common::{API_KEY, TOKEN, base_url, client, tracks_page};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn a_client_is_one_line_and_talks_to_amazon_music_by_default() {
    let client = AmazonMusicClient::new(
        AccessToken::new(TOKEN).unwrap(),
        ApiKey::new(API_KEY).unwrap(),
    )
    .unwrap();
    assert_eq!(client.base_url(), DEFAULT_BASE_URL);
    assert_eq!(DEFAULT_BASE_URL, "https://api.music.amazon.dev/v1");
}

#[test]
fn neither_the_token_nor_the_api_key_appears_in_debug_output() {
    let builder = AmazonMusicClient::builder(
        SharedToken::new(AccessToken::new(TOKEN).unwrap()),
        ApiKey::new(API_KEY).unwrap(),
    );
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    let client_debug = format!("{client:?} {client:#?}");
    for debug in [builder_debug, client_debug] {
        assert!(
            !debug.contains(TOKEN) && !debug.contains(API_KEY),
            "{debug}"
        );
        assert!(debug.contains("<redacted>"), "{debug}");
    }
}

#[test]
fn plain_http_is_accepted_only_to_loopback() {
    // `Error` is client-support's large shared type (see lib.rs); only its variant matters.
    #[allow(clippy::result_large_err)]
    let build = |url: &str| {
        AmazonMusicClient::builder(
            AccessToken::new(TOKEN).unwrap(),
            ApiKey::new(API_KEY).unwrap(),
        )
        .base_url(url)
        .build()
    };
    for loopback in [
        "http://127.0.0.1:8080/v1",
        "http://localhost:1/v1",
        "http://[::1]:9/",
    ] {
        assert!(build(loopback).is_ok(), "{loopback} should be accepted");
    }
    for refused in [
        "http://api.music.amazon.dev/v1",
        "http://10.0.0.1/v1",
        "ftp://127.0.0.1/",
        "api.music.amazon.dev/v1",
    ] {
        let error = build(refused).unwrap_err();
        assert!(
            matches!(error, Error::InvalidBaseUrl(_)),
            "{refused}: {error:?}"
        );
        assert!(!error.to_string().contains(TOKEN));
    }
    assert_eq!(
        build("http://127.0.0.1:8080/v1/").unwrap().base_url(),
        "http://127.0.0.1:8080/v1"
    );
}

#[tokio::test]
async fn every_request_carries_the_bearer_token_and_the_api_key_but_no_api_version() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/player/recentlyPlayed"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("x-api-key", API_KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(tracks_page(&["a"], None)))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).fetch(&TracksQuery::new()).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].headers.get("api-version").is_none());
}

#[tokio::test]
async fn a_refreshed_token_is_sent_without_rebuilding_the_client() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tracks_page(&["a"], None)))
        .expect(2)
        .mount(&server)
        .await;
    let token = SharedToken::new(AccessToken::new("first-token").unwrap());
    let client = AmazonMusicClient::builder(token.clone(), ApiKey::new(API_KEY).unwrap())
        .base_url(&base_url(&server))
        .build()
        .unwrap();

    client.fetch(&TracksQuery::new()).await.unwrap();
    token.replace(AccessToken::new("refreshed-token").unwrap());
    client.fetch(&TracksQuery::new()).await.unwrap();

    let sent: Vec<_> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.headers["authorization"].to_str().unwrap().to_string())
        .collect();
    assert_eq!(sent, ["Bearer first-token", "Bearer refreshed-token"]);
}

#[tokio::test]
async fn a_closure_can_be_the_token_source() {
    let server = MockServer::start().await;
    Mock::given(header("authorization", "Bearer from-a-closure"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tracks_page(&[], None)))
        .expect(1)
        .mount(&server)
        .await;
    let client = AmazonMusicClient::builder(
        || AccessToken::new("from-a-closure").unwrap(),
        ApiKey::new(API_KEY).unwrap(),
    )
    .base_url(&base_url(&server))
    .build()
    .unwrap();
    client.fetch(&TracksQuery::new()).await.unwrap();
}

#[test]
fn a_credential_that_cannot_be_a_header_is_refused_by_its_constructor() {
    let token = format!("{TOKEN}\r\nX-Injected: 1");
    let error = Error::from(AccessToken::new(token).unwrap_err());
    assert!(
        matches!(&error, Error::InvalidCredential(e) if e.credential == "access token"),
        "{error:?}"
    );
    assert!(!format!("{error} {error:?}").contains(TOKEN));
    let key = format!("{API_KEY}\n");
    let error = Error::from(ApiKey::new(key).unwrap_err());
    assert!(
        matches!(&error, Error::InvalidCredential(e) if e.credential == "API key"),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "request not sent: the API key contains characters not allowed in an HTTP header"
    );
    assert!(!format!("{error} {error:?}").contains(API_KEY));
}

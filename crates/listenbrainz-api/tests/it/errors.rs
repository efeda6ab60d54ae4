//! Error answers: ListenBrainz's `{"code", "error"}` body as a typed error with its message,
//! a `429` waited out by its `X-RateLimit-Reset-In` (ListenBrainz sends no `Retry-After`),
//! a `5xx` retried, and the token in no error's `Display` or `Debug`, even when the server
//! echoes it.

use crate::common;

use std::time::{Duration, Instant};

use client_support::test_support::read_walk;
use common::{LISTENS, TOKEN, client, client_with, error_page, listen, listens_page, user};
use listenbrainz_api::{
    AccessToken, Error, ErrorBody, ListenBrainzClient, ListenCountQuery, ListensQuery, RetryPolicy,
    ValidateTokenQuery,
};
use reqwest::StatusCode;
use serde_json::json;
use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn an_unknown_user_is_not_found_with_the_servers_message() {
    let server = answering(error_page(404, "Cannot find user: rob")).await;
    let client = client(&server);
    let errors = [
        client.fetch(&ListensQuery::new(user())).await.unwrap_err(),
        client
            .fetch(&ListenCountQuery::new(user()))
            .await
            .unwrap_err(),
        read_walk(&mut client.history(ListensQuery::new(user())), 1)
            .await
            .expect_ended()
            .1
            .expect("the walk fails"),
    ];
    for error in errors {
        let Error::NotFound(inner) = &error else {
            panic!("{error:?}")
        };
        let ErrorBody::Documented(body) = &inner.body else {
            panic!("the documented error object: {error:?}")
        };
        assert_eq!(
            (body.code, body.error.as_str()),
            (404, "Cannot find user: rob")
        );
        assert_eq!(inner.status, StatusCode::NOT_FOUND);
        assert_eq!(error.to_string(), "not found (404): Cannot find user: rob");
    }
}

/// ListenBrainz's `429`: the rate-limit headers, no `Retry-After`.
fn rate_limited() -> ResponseTemplate {
    error_page(429, "You have exceeded your rate limit.")
        .insert_header("X-RateLimit-Limit", "30")
        .insert_header("X-RateLimit-Remaining", "0")
        .insert_header("X-RateLimit-Reset-In", "1")
        .insert_header("X-RateLimit-Reset", "1771414120")
}

#[tokio::test]
async fn a_rate_limit_is_waited_out_for_its_reset_in_and_the_request_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(path(LISTENS))
        .respond_with(rate_limited())
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path(LISTENS))
        .respond_with(listens_page(vec![listen(1_700_000_001, "a")]))
        .mount(&server)
        .await;
    // The default policy: nothing set on the builder.
    let client = ListenBrainzClient::builder(AccessToken::new(TOKEN).unwrap())
        .base_url(&server.uri())
        .build()
        .unwrap();

    let started = Instant::now();
    let page = client.fetch(&ListensQuery::new(user())).await.unwrap();
    let waited = started.elapsed();
    assert_eq!(page.listens.len(), 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert!(
        (Duration::from_millis(950)..Duration::from_secs(4)).contains(&waited),
        "waited {waited:?} for X-RateLimit-Reset-In: 1"
    );
}

#[tokio::test]
async fn without_retries_a_rate_limit_says_how_long_its_reset_in_asks_to_wait() {
    let server = answering(rate_limited()).await;
    let error = client(&server)
        .fetch(&ListensQuery::new(user()))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::RateLimited { .. }), "{error:?}");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(1)));
    assert!(error.is_transient());
    assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert!(error.to_string().contains("retry after 1 s"), "{error}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_server_error_is_retried_and_without_retries_reported() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(error_page(503, "The listen store is offline."))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(error_page(500, "An unknown error occured."))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(listens_page(vec![]))
        .with_priority(3)
        .mount(&server)
        .await;
    let retrying = RetryPolicy::new(3).initial_backoff(Duration::from_millis(1));
    let page = client_with(&server, retrying)
        .fetch(&ListensQuery::new(user()))
        .await
        .unwrap();
    assert!(page.listens.is_empty());
    assert_eq!(server.received_requests().await.unwrap().len(), 3);

    let server = answering(error_page(503, "The listen store is offline.")).await;
    let error = client(&server)
        .fetch(&ListensQuery::new(user()))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Server(_)), "{error:?}");
    assert!(error.is_transient());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// `error`'s `Display`, `Debug` and alternate `Debug`, which must not hold the token.
fn shown(error: &Error) -> String {
    format!("{error} {error:?} {error:#?}")
}

#[tokio::test]
async fn an_error_body_that_echoes_the_token_never_shows_it() {
    let echoes = [
        format!("Invalid token: {TOKEN}"),
        format!("Authorization: Token {TOKEN}"),
        format!("token={TOKEN}&x=1"),
    ];
    for status in [400, 401, 403, 404, 418, 429, 500, 503] {
        for echo in &echoes {
            for template in [
                error_page(status, echo),
                ResponseTemplate::new(status).set_body_string(format!("<pre>{echo}</pre>")),
            ] {
                let server = answering(template).await;
                let error = client(&server)
                    .fetch(&ListensQuery::new(user()))
                    .await
                    .unwrap_err();
                assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
                let shown = shown(&error);
                assert!(!shown.contains(TOKEN), "{status}: {shown}");
            }
        }
    }
}

#[tokio::test]
async fn a_success_body_that_echoes_the_token_where_it_does_not_decode_never_shows_it() {
    let bodies = [
        json!({"payload": {"count": TOKEN}}),
        json!({"code": 200, "message": "Token valid.", "valid": TOKEN}),
    ];
    for body in bodies {
        let server = answering(ResponseTemplate::new(200).set_body_json(body.clone())).await;
        let client = client(&server);
        let errors = [
            client
                .fetch(&ListenCountQuery::new(user()))
                .await
                .unwrap_err(),
            client.fetch(&ValidateTokenQuery).await.unwrap_err(),
        ];
        for error in errors {
            assert!(matches!(error, Error::Undecodable { .. }), "{error:?}");
            let shown = shown(&error);
            assert!(!shown.contains(TOKEN), "{body}: {shown}");
        }
    }
}

#[tokio::test]
async fn a_malformed_listen_that_echoes_the_token_never_shows_it() {
    let mut echoing = listen(1_700_000_001, "a");
    echoing["listened_at"] = TOKEN.into();
    let server = answering(listens_page(vec![echoing])).await;
    let mut walk = client(&server).history(ListensQuery::new(user()));
    let (listens, error) = read_walk(&mut walk, 1).await.expect_ended();
    assert!(listens.is_empty());
    let error = error.expect("the malformed listen is reported");
    assert!(matches!(error, Error::MalformedItem(_)), "{error:?}");
    let shown = shown(&error);
    assert!(!shown.contains(TOKEN), "{shown}");
}

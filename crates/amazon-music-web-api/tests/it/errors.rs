//! Error responses, undecodable bodies, transport failures and retries.

use crate::common;

use std::time::Duration;

use amazon_music_web_api::{
    AccessToken, AmazonMusicClient, ApiKey, Error, ErrorBody, MyEntitiesQuery, RetryPolicy,
    ServiceError, TracksQuery,
};
use common::{API_KEY, TOKEN, base_url, client, tracks_page};
use reqwest::StatusCode;
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn error_body(status: &str, code: &str, message: &str) -> serde_json::Value {
    json!({"error": {"status": status, "code": code, "message": message, "reference": "ebd91b"}})
}

async fn answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

async fn tracks_error(template: ResponseTemplate) -> Error {
    let server = answering(template).await;
    client(&server)
        .fetch(&TracksQuery::new())
        .await
        .unwrap_err()
}

fn documented(error: &ServiceError<amazon_music_web_api::types::ErrorResponse>) -> (&str, &str) {
    let ErrorBody::Documented(body) = &error.body else {
        panic!("expected the documented error object: {error:?}");
    };
    (&body.error.status, body.error.code.as_deref().unwrap_or(""))
}

#[tokio::test]
async fn documented_error_statuses_become_typed_errors_with_their_body() {
    let e = tracks_error(ResponseTemplate::new(401).set_body_json(error_body(
        "401",
        "INVALID_ACCESS_TOKEN",
        "Access token is invalid or expired.",
    )))
    .await;
    let Error::Unauthorized(inner) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(documented(inner), ("401", "INVALID_ACCESS_TOKEN"));
    assert_eq!(
        e.to_string(),
        "the access token was refused (401: Access token is invalid or expired.); it may have expired, get a new one"
    );

    let e = tracks_error(ResponseTemplate::new(403).set_body_json(error_body(
        "403",
        "AUTH_NO_MUSIC_ACCOUNT_FOUND",
        "No Amazon Music account found.",
    )))
    .await;
    let Error::Forbidden(inner) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(documented(inner), ("403", "AUTH_NO_MUSIC_ACCOUNT_FOUND"));

    let e = tracks_error(
        ResponseTemplate::new(429)
            .insert_header("retry-after", "7")
            .set_body_json(error_body("429", "TOO_MANY_REQUESTS", "Too many requests.")),
    )
    .await;
    let Error::RateLimited { retry_after, error } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(*retry_after, Some(Duration::from_secs(7)));
    assert_eq!(documented(error), ("429", "TOO_MANY_REQUESTS"));
    assert_eq!(e.status(), Some(StatusCode::TOO_MANY_REQUESTS));

    let e = tracks_error(ResponseTemplate::new(400).set_body_json(error_body(
        "400",
        "BAD_REQUEST",
        "Malformed request.",
    )))
    .await;
    assert!(matches!(e, Error::BadRequest(_)), "{e:?}");

    let e = tracks_error(ResponseTemplate::new(500).set_body_json(error_body(
        "500",
        "INTERNAL_SERVER_ERROR",
        "An internal error occurred.",
    )))
    .await;
    let Error::Server(inner) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(documented(inner), ("500", "INTERNAL_SERVER_ERROR"));
}

#[tokio::test]
async fn an_unknown_user_is_not_found() {
    let server = answering(ResponseTemplate::new(404).set_body_json(error_body(
        "404",
        "RESOURCE_NOT_FOUND",
        "The requested resource was not found.",
    )))
    .await;
    let e = client(&server)
        .fetch(&crate::common::for_user("nobody", MyEntitiesQuery::new()))
        .await
        .unwrap_err();
    let Error::NotFound(inner) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(documented(inner), ("404", "RESOURCE_NOT_FOUND"));
    assert_eq!(
        e.to_string(),
        "not found (404): The requested resource was not found."
    );
}

#[tokio::test]
async fn an_error_body_that_is_not_the_documented_object_is_kept_as_text() {
    let html = "<html><body>502 Bad Gateway</body></html>";
    let e = tracks_error(ResponseTemplate::new(502).set_body_raw(html, "text/html")).await;
    let Error::Server(ServiceError {
        status,
        body: ErrorBody::Raw(raw),
    }) = &e
    else {
        panic!("{e:?}")
    };
    assert_eq!((*status, raw.as_str()), (StatusCode::BAD_GATEWAY, html));

    let e = tracks_error(ResponseTemplate::new(403).set_body_json(json!({"message": "no"}))).await;
    assert!(
        matches!(&e, Error::Forbidden(ServiceError { body: ErrorBody::Raw(raw), .. }) if raw == r#"{"message":"no"}"#),
        "{e:?}"
    );

    let e = tracks_error(ResponseTemplate::new(401)).await;
    assert!(
        matches!(&e, Error::Unauthorized(ServiceError { body: ErrorBody::Raw(raw), .. }) if raw.is_empty()),
        "{e:?}"
    );
    assert!(e.to_string().contains("no body"), "{e}");

    let e = tracks_error(ResponseTemplate::new(418).set_body_string("teapot")).await;
    assert!(matches!(e, Error::UnexpectedStatus(_)), "{e:?}");
}

#[tokio::test]
async fn a_success_body_of_another_shape_is_undecodable() {
    for garbage in [
        ResponseTemplate::new(200).set_body_string("<html>hello</html>"),
        ResponseTemplate::new(200).set_body_json(json!({"data": {"user": {"id": 7}}})),
        ResponseTemplate::new(200).set_body_json(json!([1, 2, 3])),
        ResponseTemplate::new(200),
    ] {
        let e = tracks_error(garbage).await;
        assert!(
            matches!(e, Error::Undecodable { status, .. } if status == StatusCode::OK),
            "{e:?}"
        );
    }
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error_that_names_no_secret() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = AmazonMusicClient::builder(
        AccessToken::new(TOKEN).unwrap(),
        ApiKey::new(API_KEY).unwrap(),
    )
    .base_url(&format!("http://127.0.0.1:{port}/v1"))
    .build()
    .unwrap();
    let e = client.fetch(&TracksQuery::new()).await.unwrap_err();
    assert!(matches!(e, Error::Transport(_)), "{e:?}");
    let shown = format!("{e} {e:?}");
    assert!(
        !shown.contains(TOKEN) && !shown.contains(API_KEY),
        "{shown}"
    );
}

#[tokio::test]
async fn errors_never_show_the_token_or_the_api_key() {
    let e = tracks_error(ResponseTemplate::new(401).set_body_json(error_body(
        "401",
        "INVALID_ACCESS_TOKEN",
        "Access token is invalid or expired.",
    )))
    .await;
    let shown = format!("{e} {e:?} {e:#?}");
    assert!(
        !shown.contains(TOKEN) && !shown.contains(API_KEY),
        "{shown}"
    );
}

fn retrying_client(server: &MockServer, attempts: u32) -> AmazonMusicClient {
    AmazonMusicClient::builder(
        AccessToken::new(TOKEN).unwrap(),
        ApiKey::new(API_KEY).unwrap(),
    )
    .base_url(&base_url(server))
    .retry(RetryPolicy::new(attempts).initial_backoff(Duration::from_millis(1)))
    .build()
    .unwrap()
}

#[tokio::test]
async fn with_a_retry_policy_rate_limits_and_server_errors_are_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(2)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tracks_page(&["a"], None)))
        .with_priority(3)
        .expect(1)
        .mount(&server)
        .await;

    let page = retrying_client(&server, 3)
        .fetch(&TracksQuery::new())
        .await
        .unwrap();
    assert_eq!(page.edges()[0].item().unwrap().node.id, "a");
}

#[tokio::test]
async fn retries_are_on_by_default_bounded_and_can_be_turned_off() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500))
        .expect(3 + 1 + 2)
        .mount(&server)
        .await;

    let by_default = AmazonMusicClient::builder(
        AccessToken::new(TOKEN).unwrap(),
        ApiKey::new(API_KEY).unwrap(),
    )
    .base_url(&base_url(&server))
    .build()
    .unwrap();
    let e = by_default.fetch(&TracksQuery::new()).await.unwrap_err();
    assert!(matches!(e, Error::Server(_)), "{e:?}");
    let e = client(&server)
        .fetch(&TracksQuery::new())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Server(_)), "{e:?}");
    let e = retrying_client(&server, 2)
        .fetch(&TracksQuery::new())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Server(_)), "{e:?}");
}

#[tokio::test]
async fn a_client_error_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    let e = retrying_client(&server, 5)
        .fetch(&TracksQuery::new())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Unauthorized(_)), "{e:?}");
}

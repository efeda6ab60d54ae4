//! Every documented response, and the undocumented ones a client meets anyway.

use crate::common;

use std::time::Duration;

use common::{TOKEN, client, client_with, ok, page, recently_played, server};
use serde_json::json;
use spotify_web_api::types::{ErrorObject, ErrorResponse};
use spotify_web_api::{
    AccessToken, Error, ErrorBody, RecentlyPlayed, RecentlyPlayedQuery, RetryPolicy, ServiceError,
    SpotifyClient,
};
use wiremock::ResponseTemplate;

async fn respond(template: ResponseTemplate) -> Result<RecentlyPlayed, Error> {
    let server = server().await;
    recently_played()
        .respond_with(template)
        .mount(&server)
        .await;
    client(&server).fetch(&RecentlyPlayedQuery::new()).await
}

fn documented(status: i32, message: &str) -> ErrorBody<ErrorResponse> {
    ErrorBody::Documented(ErrorResponse {
        error: ErrorObject {
            status,
            message: message.to_string(),
        },
    })
}

fn error_json(status: u16, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(json!({ "error": { "status": status, "message": message } }))
}

/// Every error's message, to prove none of them carries the token.
fn assert_token_free(error: &Error) {
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
}

#[tokio::test]
async fn the_documented_example_response_decodes() {
    let spec: serde_json::Value = {
        let text = include_str!("../../../../specs/spotify-web-api.yaml");
        // The example is the JSON between `value:` and the 204; cut it out rather than
        // pulling a YAML parser into the tests.
        let start = text.find("value:\n                    {").unwrap() + "value:\n".len();
        let end = text[start..].find("\n        '204'").unwrap() + start;
        serde_json::from_str(&text[start..end]).unwrap()
    };
    let got = respond(ok(spec)).await.unwrap().into_page().unwrap();
    assert_eq!(got.items.len(), 2);
    assert_eq!(got.items[0].item().unwrap().track.name, "Disciples");
    assert_eq!(
        got.cursors.unwrap().before.as_deref(),
        Some("1481661737016")
    );
}

#[tokio::test]
async fn extra_fields_and_nulls_decode() {
    let got = respond(ok(page(&[2_000, 1_000], None))).await.unwrap();
    let page = got.into_page().unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.next, None);
    assert_eq!(page.items[0].item().unwrap().context, None);

    let empty = json!({ "items": [], "next": null, "cursors": null, "limit": 20, "href": "h" });
    let answer = respond(ok(empty)).await.unwrap();
    assert!(
        !answer.is_private_session(),
        "only a 204 is a private session"
    );
    let page = answer.into_page().unwrap();
    assert!(page.items.is_empty() && page.cursors.is_none());
}

#[tokio::test]
async fn a_204_is_the_private_session_outcome_not_an_error() {
    let got = respond(ResponseTemplate::new(204)).await.unwrap();
    assert_eq!(got, RecentlyPlayed::PrivateSession);
    assert!(got.is_private_session());
}

#[tokio::test]
async fn a_401_with_the_documented_body_is_unauthorized_with_spotifys_message() {
    let error = respond(error_json(401, "The access token expired"))
        .await
        .unwrap_err();
    assert_token_free(&error);
    let Error::Unauthorized(ServiceError { status, body }) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(status.as_u16(), 401);
    assert_eq!(*body, documented(401, "The access token expired"));
    assert!(error.to_string().contains("The access token expired"));
}

#[tokio::test]
async fn a_401_whose_body_is_not_json_keeps_the_raw_body() {
    let template =
        ResponseTemplate::new(401).set_body_raw("<html>Unauthorized</html>", "text/html");
    let error = respond(template).await.unwrap_err();
    assert_token_free(&error);
    let Error::Unauthorized(ServiceError { body, .. }) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        *body,
        ErrorBody::Raw("<html>Unauthorized</html>".to_string())
    );
}

#[tokio::test]
async fn a_403_is_forbidden_with_spotifys_message() {
    let error = respond(error_json(403, "Insufficient client scope"))
        .await
        .unwrap_err();
    assert_token_free(&error);
    let Error::Forbidden(ServiceError { body, .. }) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*body, documented(403, "Insufficient client scope"));
}

#[tokio::test]
async fn a_429_is_rate_limited_with_its_retry_after() {
    let template = error_json(429, "API rate limit exceeded").insert_header("Retry-After", "30");
    let error = respond(template).await.unwrap_err();
    assert_token_free(&error);
    let Error::RateLimited {
        retry_after,
        error: ServiceError { body, .. },
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*retry_after, Some(Duration::from_secs(30)));
    assert_eq!(*body, documented(429, "API rate limit exceeded"));
}

#[tokio::test]
async fn a_500_is_a_server_error() {
    let error = respond(ResponseTemplate::new(500).set_body_string("oops"))
        .await
        .unwrap_err();
    assert_token_free(&error);
    assert!(
        matches!(&error, Error::Server(e) if e.status == 500),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_200_that_is_not_a_page_is_undecodable_with_its_status() {
    let error =
        respond(ResponseTemplate::new(200).set_body_raw("{\"items\": 7", "application/json"))
            .await
            .unwrap_err();
    assert_token_free(&error);
    assert!(
        matches!(&error, Error::Undecodable { status, .. } if *status == 200),
        "{error:?}"
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = SpotifyClient::builder(AccessToken::new(TOKEN).unwrap())
        .base_url(&format!("http://127.0.0.1:{port}/v1"))
        .http_client(common::short_timeouts())
        .build()
        .unwrap();
    let error = client.fetch(&RecentlyPlayedQuery::new()).await.unwrap_err();
    assert_token_free(&error);
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    // reqwest's own message says only that sending failed; the innermost cause says why.
    let shown = error.to_string();
    assert!(
        shown.starts_with("the request failed in transit: ") && shown.contains("refused"),
        "{shown}"
    );
}

#[tokio::test]
async fn with_a_retry_policy_a_429_then_a_200_is_one_success_in_exactly_two_requests() {
    let server = server().await;
    recently_played()
        .respond_with(error_json(429, "API rate limit exceeded").insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    recently_played()
        .respond_with(ok(page(&[1_000], None)))
        .mount(&server)
        .await;
    let client = client_with(
        &server,
        AccessToken::new(TOKEN).unwrap(),
        RetryPolicy::new(3),
    );

    let got = client.fetch(&RecentlyPlayedQuery::new()).await.unwrap();
    assert_eq!(got.into_page().unwrap().items.len(), 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn without_a_retry_policy_a_429_is_sent_once_and_returned() {
    let server = server().await;
    recently_played()
        .respond_with(error_json(429, "API rate limit exceeded").insert_header("Retry-After", "0"))
        .expect(1)
        .mount(&server)
        .await;
    let error = client(&server)
        .fetch(&RecentlyPlayedQuery::new())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::RateLimited { .. }), "{error:?}");
}

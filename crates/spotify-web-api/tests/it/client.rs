//! Constructing the client, its token and where it sends it.

use crate::common;

use common::{TOKEN, client, client_with, ok, page, recently_played, server};
use spotify_web_api::{
    AccessToken, Error, RecentlyPlayedQuery, RetryPolicy, SharedToken, SpotifyClient,
};

#[test]
fn a_client_takes_one_line_and_talks_to_the_real_api_by_default() {
    let client = SpotifyClient::new(AccessToken::new(TOKEN).unwrap()).unwrap();
    assert_eq!(client.base_url(), "https://api.spotify.com/v1");
}

#[tokio::test]
async fn every_request_carries_the_token_and_not_the_generators_api_version_header() {
    let server = server().await;
    recently_played()
        .respond_with(ok(page(&[2_000], None)))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .fetch(&RecentlyPlayedQuery::new())
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    let headers = &requests[0].headers;
    assert_eq!(headers["authorization"], format!("Bearer {TOKEN}"));
    assert!(
        headers.get("api-version").is_none(),
        "api-version was sent: {headers:?}"
    );
}

#[tokio::test]
async fn a_refreshed_shared_token_is_sent_with_the_next_request() {
    let server = server().await;
    recently_played()
        .respond_with(ok(page(&[], None)))
        .expect(2)
        .mount(&server)
        .await;
    let token = SharedToken::new(AccessToken::new("first-token").unwrap());
    let client = client_with(&server, token.clone(), RetryPolicy::none());

    client.fetch(&RecentlyPlayedQuery::new()).await.unwrap();
    token.replace(AccessToken::new("refreshed-token").unwrap());
    client.fetch(&RecentlyPlayedQuery::new()).await.unwrap();

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
async fn plain_http_is_accepted_to_loopback_and_refused_elsewhere() {
    let server = server().await;
    for loopback in [
        server.uri(),
        "http://localhost:9/v1".to_string(),
        "http://[::1]:9".to_string(),
    ] {
        let built = SpotifyClient::builder(AccessToken::new(TOKEN).unwrap())
            .base_url(&loopback)
            .build();
        assert!(built.is_ok(), "{loopback} should be accepted");
    }
    for refused in [
        "http://api.spotify.com/v1",
        "http://10.0.0.7:8080/v1",
        "ftp://127.0.0.1/v1",
    ] {
        let built = SpotifyClient::builder(AccessToken::new(TOKEN).unwrap())
            .base_url(refused)
            .build();
        assert!(
            matches!(built, Err(Error::InvalidBaseUrl(_))),
            "{refused} should be refused: {built:?}"
        );
    }
}

#[tokio::test]
async fn the_token_is_in_no_debug_output_of_the_client() {
    let server = server().await;
    let shared = SharedToken::new(AccessToken::new(TOKEN).unwrap());
    let builder = SpotifyClient::builder(shared.clone()).base_url(&server.uri());
    assert!(!format!("{builder:?}").contains(TOKEN));
    let clients = [
        SpotifyClient::new(AccessToken::new(TOKEN).unwrap()).unwrap(),
        client(&server),
        builder.build().unwrap(),
        SpotifyClient::new(move || AccessToken::new(TOKEN).unwrap()).unwrap(),
    ];
    for client in clients {
        let debug = format!("{client:?} {client:#?}");
        assert!(!debug.contains(TOKEN), "{debug}");
        assert!(debug.contains("redacted"), "{debug}");
    }
}

#[test]
fn a_token_that_cannot_be_a_header_is_refused_by_its_constructor_without_printing_it() {
    let token = format!("{TOKEN}\r\nX-Injected: 1");
    let refused = AccessToken::new(token).unwrap_err();
    let error = Error::from(refused);
    assert!(matches!(error, Error::InvalidCredential(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "request not sent: the access token contains characters not allowed in an HTTP header"
    );
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
}

#[test]
fn the_client_its_calls_and_its_streams_can_move_between_tasks() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    fn send<T: Send>(_: &T) {}
    let client = SpotifyClient::new(AccessToken::new(TOKEN).unwrap()).unwrap();
    send_sync(&client);
    send(&client.fetch(&RecentlyPlayedQuery::new()));
    send(&client.history(RecentlyPlayedQuery::from(
        spotify_web_api::TimeWindow::Latest,
    )));
}

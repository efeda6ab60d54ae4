//! The documented parameters, sent exactly as documented, and nothing out of bounds.

use crate::common;

use common::{client, ok, page, recently_played, server};
use spotify_web_api::{
    Error, Limit, RecentlyPlayed, RecentlyPlayedQuery, SpotifyClient, TimeWindow, UnixMillis,
};
use wiremock::matchers::{query_param, query_param_is_missing};

/// What a caller with an untrusted number writes: the bound is checked before anything is sent.
async fn fetch_with_limit(client: &SpotifyClient, limit: u32) -> Result<RecentlyPlayed, Error> {
    let query = RecentlyPlayedQuery::new().limit(Limit::new(limit)?);
    client.fetch(&query).await
}

#[tokio::test]
async fn a_limit_outside_1_to_50_is_refused_and_nothing_is_sent() {
    let server = server().await;
    recently_played()
        .respond_with(ok(page(&[], None)))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server);
    for refused in [0, 51, u32::MAX] {
        let error = fetch_with_limit(&client, refused).await.unwrap_err();
        let Error::LimitOutOfRange(e) = &error else {
            panic!("{error:?}")
        };
        assert_eq!((e.min, e.max, e.value), (1, 50, i64::from(refused)));
    }
    server.verify().await;
}

#[tokio::test]
async fn a_limit_is_sent_verbatim() {
    let server = server().await;
    for limit in [1, 37, 50] {
        recently_played()
            .and(query_param("limit", limit.to_string()))
            .respond_with(ok(page(&[], None)))
            .expect(1)
            .mount(&server)
            .await;
        fetch_with_limit(&client(&server), limit).await.unwrap();
    }
    server.verify().await;
}

#[tokio::test]
async fn without_a_limit_or_window_no_such_key_is_sent() {
    let server = server().await;
    recently_played()
        .and(query_param_is_missing("limit"))
        .and(query_param_is_missing("before"))
        .and(query_param_is_missing("after"))
        .respond_with(ok(page(&[], None)))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .fetch(&RecentlyPlayedQuery::from(TimeWindow::Latest))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.query(), None);
}

#[tokio::test]
async fn before_and_after_are_sent_under_their_own_key_and_never_together() {
    let server = server().await;
    recently_played()
        .and(query_param("before", "1481661737016"))
        .and(query_param_is_missing("after"))
        .respond_with(ok(page(&[], None)))
        .expect(1)
        .mount(&server)
        .await;
    recently_played()
        .and(query_param("after", "1481661844589"))
        .and(query_param_is_missing("before"))
        .respond_with(ok(page(&[], None)))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    client
        .fetch(&RecentlyPlayedQuery::before(UnixMillis::new(1481661737016)))
        .await
        .unwrap();
    client
        .fetch(&RecentlyPlayedQuery::from(TimeWindow::After(
            UnixMillis::new(1481661844589),
        )))
        .await
        .unwrap();
    server.verify().await;
}

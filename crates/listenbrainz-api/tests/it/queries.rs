//! The answers of `fetch` for the two queries that are not pages (`ValidateTokenQuery`:
//! whose token it is, `None` for one the server does not know; `ListenCountQuery`: the
//! number), and what names a listen for an exactly-once store (`incremental::Play`).

use crate::common;

use client_support::test_support::read_walk;
use common::{BASE, FakeListenBrainz, client, user};
use listenbrainz_api::incremental::Play;
use listenbrainz_api::{Count, ListenCountQuery, ListensQuery, ValidateTokenQuery};
use serde_json::json;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answering(at: &str, body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_valid_token_answers_its_users_name() {
    let body = json!({"code": 200, "message": "Token valid.", "valid": true, "user_name": "rob"});
    let server = answering("/1/validate-token", body).await;
    let user = client(&server).fetch(&ValidateTokenQuery).await.unwrap();
    assert_eq!(user.as_deref(), Some("rob"));
}

#[tokio::test]
async fn a_token_the_server_does_not_know_answers_none() {
    for body in [
        json!({"code": 200, "message": "Token invalid.", "valid": false}),
        // Were a name sent with `valid: false`, it would still not be the token's user.
        json!({"code": 200, "message": "Token invalid.", "valid": false, "user_name": "rob"}),
    ] {
        let server = answering("/1/validate-token", body).await;
        let user = client(&server).fetch(&ValidateTokenQuery).await.unwrap();
        assert_eq!(user, None);
    }
}

#[tokio::test]
async fn the_listen_count_answers_the_number() {
    let server = answering(
        "/1/user/rob/listen-count",
        json!({"payload": {"count": 57353}}),
    )
    .await;
    let count = client(&server)
        .fetch(&ListenCountQuery::new(user()))
        .await
        .unwrap();
    assert_eq!(count, 57353);
}

#[tokio::test]
async fn a_listen_is_named_by_its_time_in_milliseconds_and_its_msid() {
    let msid = "b4d7a0f2-1c3e-4a5b-9d6f-0e1f2a3b4c5d";
    let history = vec![
        (BASE + 9, msid.to_string()),
        (BASE + 9, "other".to_string()),
    ];
    let server = MockServer::start().await;
    FakeListenBrainz::new(history, 1).mount(&server).await;
    let query = ListensQuery::new(user()).count(Count::new(5).unwrap());
    let (listens, error) = read_walk(&mut client(&server).history(query), 5)
        .await
        .expect_ended();
    assert!(error.is_none(), "{error:?}");
    let ids: Vec<(i64, String)> = listens
        .iter()
        .map(|listen| {
            let id = listen.play_id();
            (id.at_ms, id.key.as_str().to_string())
        })
        .collect();
    let at_ms = (BASE + 9) * 1000;
    assert_eq!(
        ids,
        [(at_ms, msid.to_string()), (at_ms, "other".to_string())]
    );
}

//! History streams: every edge once, newest first, across pages; resumable; never looping.

use crate::common;

use amazon_music_web_api::types::{EntityPlaybackEdge, EntityType, TrackPlaybackEdge};
use amazon_music_web_api::{
    EntitiesLimit, EntityNode, EntityTypes, Error, History, MyEntitiesQuery, ResumePoint,
    TracksLimit, TracksQuery, UserEntitiesQuery, UserId,
};
use client_support::test_support::read_walk;
use common::{client, entities_page, entities_with_edges, received_queries, tracks_page};
use futures_util::StreamExt;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Mounts a three-page history at `at`: `a b` -> `t1` -> `c d` -> `t2` -> `e` (last).
async fn three_pages(
    server: &MockServer,
    at: &str,
    page: fn(&[&str], Option<&str>) -> serde_json::Value,
) {
    for (cursor, ids, next) in [
        (None, &["a", "b"][..], Some("t1")),
        (Some("t1"), &["c", "d"][..], Some("t2")),
        (Some("t2"), &["e"][..], None),
    ] {
        let mock = Mock::given(method("GET")).and(path(at));
        let mock = match cursor {
            None => mock.and(query_param_is_missing("cursor")),
            Some(cursor) => mock.and(query_param("cursor", cursor)),
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(page(ids, next)))
            .expect(1)
            .mount(server)
            .await;
    }
}

/// Reads `history` to its end or first error: the edges it yielded, and the error it ended
/// with, if any. No history here holds more than 5 edges: a walk past 100 edges, or past
/// `test_support::TIME_LIMIT`, is going round or stuck, and fails the test saying so.
async fn drain<T: Send + Unpin + 'static>(history: &mut History<T>) -> (Vec<T>, Option<Error>) {
    read_walk(history, 100).await.expect_ended()
}

fn track_ids(edges: &[TrackPlaybackEdge]) -> Vec<&str> {
    edges.iter().map(|e| e.node.id.as_str()).collect()
}

fn entity_ids(edges: &[EntityPlaybackEdge]) -> Vec<&str> {
    edges.iter().map(|e| e.node.id().unwrap_or("?")).collect()
}

#[tokio::test]
async fn the_track_history_yields_every_edge_of_three_pages_once_in_order_and_stops() {
    let server = MockServer::start().await;
    three_pages(&server, "/v1/player/recentlyPlayed", tracks_page).await;
    let mut history =
        client(&server).history(TracksQuery::new().limit(TracksLimit::new(2).unwrap()));
    let (edges, error) = drain(&mut history).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(track_ids(&edges), ["a", "b", "c", "d", "e"]);
    assert_eq!(
        history.resume_point(),
        None,
        "the whole history was yielded"
    );
    assert_eq!(
        received_queries(&server).await,
        ["limit=2", "cursor=t1&limit=2", "cursor=t2&limit=2"]
    );
}

#[tokio::test]
async fn my_entity_history_yields_every_edge_of_three_pages_with_the_same_filter() {
    let server = MockServer::start().await;
    three_pages(&server, "/v1/me/recentlyPlayedEntities", entities_page).await;
    let kinds = EntityTypes::from([EntityType::Album, EntityType::Track]);
    let mut history = client(&server).history(
        MyEntitiesQuery::new()
            .entity_types(kinds.clone())
            .limit(EntitiesLimit::new(2).unwrap()),
    );
    let (edges, error) = drain(&mut history).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(entity_ids(&edges), ["a", "b", "c", "d", "e"]);
    assert_eq!(
        received_queries(&server).await,
        [
            "entityTypes=Album,Track&limit=2",
            "cursor=t1&entityTypes=Album,Track&limit=2",
            "cursor=t2&entityTypes=Album,Track&limit=2"
        ]
    );
}

#[tokio::test]
async fn a_users_entity_history_yields_every_edge_of_three_pages() {
    let server = MockServer::start().await;
    three_pages(
        &server,
        "/v1/users/k35wo4lm%2F34/recentlyPlayedEntities",
        entities_page,
    )
    .await;
    let mut history =
        client(&server).history(UserEntitiesQuery::new(UserId::new("k35wo4lm/34").unwrap()));
    let (edges, error) = drain(&mut history).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(entity_ids(&edges), ["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn a_repeated_token_stops_the_walk_with_an_error_instead_of_looping() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("cursor"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tracks_page(&["a"], Some("t1"))))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(query_param("cursor", "t1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tracks_page(&["b"], Some("t1"))))
        .expect(1)
        .mount(&server)
        .await;
    let mut history = client(&server).history(TracksQuery::new());
    let (edges, error) = drain(&mut history).await;
    assert_eq!(track_ids(&edges), ["a", "b"]);
    let Some(Error::RepeatedCursor(repeated)) = &error else {
        panic!("{error:?}")
    };
    // The cursor sent again, as the crate's own position type.
    assert_eq!(
        repeated
            .cursor
            .get::<ResumePoint>()
            .and_then(|p| p.cursor.as_deref()),
        Some("t1"),
        "{repeated:?}"
    );
    assert!(history.next().await.is_none());
}

#[tokio::test]
async fn resuming_after_an_error_loses_and_repeats_nothing() {
    let server = MockServer::start().await;
    // The second page fails once, then works.
    Mock::given(query_param("cursor", "t1"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    three_pages(&server, "/v1/player/recentlyPlayed", tracks_page).await;
    let client = client(&server);

    let mut history = client.history(TracksQuery::new());
    let (mut edges, error) = drain(&mut history).await;
    assert!(matches!(error, Some(Error::Server(_))), "{error:?}");
    assert_eq!(track_ids(&edges), ["a", "b"]);
    let resume = history.resume_point().expect("the history is not over");
    assert_eq!(resume, ResumePoint::at("t1".to_string()));

    let mut rest = client.history(TracksQuery::new().resume_from(resume));
    let (more, error) = drain(&mut rest).await;
    assert!(error.is_none(), "{error:?}");
    edges.extend(more);
    assert_eq!(track_ids(&edges), ["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn resuming_mid_page_skips_exactly_what_was_yielded() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("cursor"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tracks_page(&["a", "b", "c"], None)))
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server);
    let mut history = client.history(TracksQuery::new());
    let first = history.next().await.unwrap().unwrap();
    assert_eq!(first.node.id, "a");
    let resume = history.resume_point().unwrap();
    drop(history);

    let (rest, _) = drain(&mut client.history(TracksQuery::new().resume_from(resume))).await;
    assert_eq!(track_ids(&rest), ["b", "c"]);
}

#[tokio::test]
async fn a_next_page_without_a_token_is_an_error_not_the_end() {
    let server = MockServer::start().await;
    let mut page = tracks_page(&["a"], None);
    page["data"]["user"]["recentTrackPlayback"]["pageInfo"] =
        json!({"hasNextPage": true, "token": null});
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .expect(1)
        .mount(&server)
        .await;
    let mut history = client(&server).history(TracksQuery::new());
    let (edges, error) = drain(&mut history).await;
    assert!(edges.is_empty());
    let error = error.expect("an error");
    assert!(matches!(error, Error::Undecodable { .. }), "{error:?}");
    assert!(error.to_string().contains("`pageInfo.token`"), "{error}");
    assert_eq!(history.resume_point(), Some(ResumePoint::start()));
}

#[tokio::test]
async fn a_response_without_history_is_an_empty_history() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {}})))
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server);
    assert!(client.history(TracksQuery::new()).next().await.is_none());
    let mut entities = client.history(MyEntitiesQuery::new());
    assert!(entities.next().await.is_none());
}

#[tokio::test]
async fn unknown_kinds_extra_fields_and_nulls_do_not_fail_the_page() {
    let server = MockServer::start().await;
    let edges = vec![
        json!({"id": "r1", "playedDate": "2022-07-15T00:02:40.566Z",
               "node": {"_type": "Audiobook", "id": "AB1", "title": "A future kind", "chapters": 12}}),
        json!({"id": null, "playedDate": "2022-07-15T00:02:40.566Z", "rating": 5,
               "node": {"_type": "Album", "id": "B0847V9254", "title": null, "name": null,
                        "url": null, "artwork": {"size": 3}}}),
        json!({"playedDate": "2022-07-14T00:02:40.566Z",
               "node": {"id": "no-type-at-all"}}),
        json!({"playedDate": "2022-07-13T00:02:40.566Z",
               "node": {"_type": null, "id": "null-type"}}),
    ];
    let mut page = entities_with_edges(edges, None);
    page["data"]["user"]["recentEntitiesPlayback"]["edgeCount"] = json!(null);
    page["data"]["user"]["somethingNew"] = json!({"x": [1, 2]});
    page["extensions"] = json!({"trace": "abc"});
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&server)
        .await;

    let mut history = client(&server).history(MyEntitiesQuery::new());
    let (edges, error) = drain(&mut history).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(edges.len(), 4);

    let EntityNode::Unknown(raw) = &edges[0].node else {
        panic!("{:?}", edges[0].node)
    };
    assert_eq!(raw["chapters"], 12);
    assert_eq!(
        (edges[0].node.kind(), edges[0].node.id()),
        ("Audiobook", Some("AB1"))
    );
    assert_eq!(edges[0].node.title(), Some("A future kind"));

    let EntityNode::Album(album) = &edges[1].node else {
        panic!("{:?}", edges[1].node)
    };
    assert_eq!(
        (album.id.as_str(), album.title.as_deref()),
        ("B0847V9254", None)
    );
    assert_eq!(edges[1].id, None);

    assert!(matches!(edges[2].node, EntityNode::Unknown(_)));
    assert_eq!(edges[2].node.kind(), "");
    assert!(matches!(edges[3].node, EntityNode::Unknown(_)));
}

#[test]
fn a_history_is_a_stream_that_can_move_to_another_task() {
    fn assert_send_stream<S: futures_util::Stream + Send + 'static>() {}
    assert_send_stream::<History<TrackPlaybackEdge>>();
    assert_send_stream::<History<EntityPlaybackEdge>>();
}

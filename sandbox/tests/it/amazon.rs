//! The Amazon Music simulation against its documented behaviour, seen by a plain HTTP client.

use std::time::Duration;

use amazon_music_web_api::EntityNode;
use amazon_music_web_api::types::{
    EntityType, ErrorResponse, RecentlyPlayedEntitiesResponse, RecentlyPlayedTracksResponse,
};
use music_history_sandbox::amazon::{
    AmazonMusicHistory, AmazonMusicSimulation, AmazonMusicUser, DEFAULT_ACCESS_TOKEN,
    DEFAULT_API_KEY, EntityPlay, TrackPlay, entity,
};
use music_history_sandbox::{Fault, RATE_LIMIT_EXTENSION};
use serde_json::Value;

fn client() -> reqwest::Client {
    client_support::http::client_builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client")
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

    fn tracks(&self) -> RecentlyPlayedTracksResponse {
        assert_eq!(self.status, 200, "{}", String::from_utf8_lossy(&self.body));
        serde_json::from_slice(&self.body).expect("decodes as RecentlyPlayedTracksResponse")
    }

    fn entities(&self) -> RecentlyPlayedEntitiesResponse {
        assert_eq!(self.status, 200, "{}", String::from_utf8_lossy(&self.body));
        serde_json::from_slice(&self.body).expect("decodes as RecentlyPlayedEntitiesResponse")
    }

    fn error(&self) -> ErrorResponse {
        let error: ErrorResponse =
            serde_json::from_slice(&self.body).expect("decodes as ErrorResponse");
        assert_eq!(error.error.status, self.status.to_string());
        error
    }
}

/// GET `<base_url><path>` with these query pairs and credentials.
async fn request(
    sim: &AmazonMusicSimulation,
    path: &str,
    query: &[(&str, &str)],
    token: Option<&str>,
    api_key: Option<&str>,
) -> Reply {
    let mut request = client()
        .get(format!("{}{path}", sim.base_url()))
        .query(query);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(api_key) = api_key {
        request = request.header("x-api-key", api_key);
    }
    let response = request.send().await.expect("an HTTP response");
    Reply {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.bytes().await.expect("a body").to_vec(),
    }
}

async fn get(sim: &AmazonMusicSimulation, path: &str, query: &[(&str, &str)]) -> Reply {
    request(
        sim,
        path,
        query,
        Some(DEFAULT_ACCESS_TOKEN),
        Some(DEFAULT_API_KEY),
    )
    .await
}

/// One path segment, percent-encoded: everything but unreserved characters.
fn encode_segment(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(byte).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// Every entity page from `path` with `limit` and an optional `entityTypes`, following tokens:
/// the edges' `(id, kind)` in order, and the number of pages.
async fn walk_entities(
    sim: &AmazonMusicSimulation,
    path: &str,
    limit: &str,
    entity_types: Option<&str>,
) -> (Vec<(String, String)>, usize) {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut query = vec![("limit", limit)];
        if let Some(types) = entity_types {
            query.push(("entityTypes", types));
        }
        if let Some(cursor) = &cursor {
            query.push(("cursor", cursor));
        }
        let reply = get(sim, path, &query).await;
        let connection = reply
            .entities()
            .data
            .user
            .expect("user")
            .recent_entities_playback
            .expect("connection");
        pages += 1;
        crate::assert_within_max_pages(pages);
        assert_eq!(connection.edge_count, Some(connection.edges.len() as u64));
        seen.extend(connection.edges.iter().map(ok).map(|edge| {
            (
                edge.id.clone().expect("edge id"),
                edge.node.kind().to_owned(),
            )
        }));
        assert_eq!(
            connection.page_info.has_next_page,
            connection.page_info.token.is_some()
        );
        match connection.page_info.token {
            Some(token) => cursor = Some(token),
            None => {
                let raw = reply.json();
                let connection = &raw["data"]["user"]["recentEntitiesPlayback"];
                assert_eq!(connection["pageInfo"]["token"], Value::Null);
                return (seen, pages);
            }
        }
    }
}

fn ids_and_kinds(plays: &[EntityPlay]) -> Vec<(String, String)> {
    plays
        .iter()
        .map(|play| (play.id.clone().unwrap(), play.node.kind().to_owned()))
        .collect()
}

#[tokio::test]
async fn tracks_default_to_60_per_page_and_tokens_return_every_play_once_newest_first() {
    let history = AmazonMusicHistory::realistic(70, 1);
    let me = history.users[0].clone();
    let sim = AmazonMusicSimulation::start(history).await;

    let reply = get(&sim, "/player/recentlyPlayed", &[]).await;
    let user = reply.tracks().data.user.expect("user");
    assert_eq!(user.id, me.id);
    assert_eq!(user.name.as_deref(), Some("Sandbox Listener"));
    let first = user.recent_track_playback.expect("connection");
    assert_eq!(first.edges.len(), 60);
    assert_eq!(first.edge_count, Some(60));
    assert!(first.page_info.has_next_page);
    // Times as the service prints them: UTC, three decimals, `Z`.
    let raw = reply.json();
    let at = raw["data"]["user"]["recentTrackPlayback"]["edges"][0]["playedAt"]
        .as_str()
        .unwrap();
    assert_eq!(at.len(), "2022-03-29T09:29:32.376Z".len(), "{at}");

    let token = first.page_info.token.expect("token");
    let second = get(
        &sim,
        "/player/recentlyPlayed",
        &[("cursor", &token), ("limit", "60")],
    )
    .await
    .tracks()
    .data
    .user
    .unwrap()
    .recent_track_playback
    .unwrap();
    assert_eq!(second.edges.len(), 10);
    assert!(!second.page_info.has_next_page);
    assert_eq!(second.page_info.token, None);

    let served: Vec<_> = first
        .edges
        .iter()
        .chain(&second.edges)
        .map(ok)
        .map(|edge| (edge.played_at, edge.node.id.clone()))
        .collect();
    let expected: Vec<_> = me
        .tracks
        .iter()
        .map(|play| (play.played_at, play.track.id.clone()))
        .collect();
    assert_eq!(served, expected);
}

#[tokio::test]
async fn entities_default_to_100_per_page() {
    let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(120, 2)).await;
    let connection = get(&sim, "/me/recentlyPlayedEntities", &[])
        .await
        .entities()
        .data
        .user
        .unwrap()
        .recent_entities_playback
        .unwrap();
    assert_eq!(connection.edges.len(), 100);
    assert_eq!(connection.edge_count, Some(100));
    assert!(connection.page_info.has_next_page);
}

#[tokio::test]
async fn walking_entities_returns_every_play_exactly_once_newest_first_ties_included() {
    let history = AmazonMusicHistory::realistic(45, 3);
    let me = history.users[0].clone();
    let dates: Vec<_> = me.entities.iter().map(|play| play.played_date).collect();
    assert!(
        dates.windows(2).any(|pair| pair[0] == pair[1]),
        "the realistic history has plays at the same instant"
    );
    let sim = AmazonMusicSimulation::start(history).await;
    for limit in ["1", "7", "100"] {
        let (seen, _) = walk_entities(&sim, "/me/recentlyPlayedEntities", limit, None).await;
        assert_eq!(seen, ids_and_kinds(&me.entities), "limit={limit}");
    }
}

#[tokio::test]
async fn limits_outside_their_bounds_are_400() {
    let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(5, 4)).await;
    for (path, bad) in [
        ("/player/recentlyPlayed", "61"),
        ("/player/recentlyPlayed", "0"),
        ("/me/recentlyPlayedEntities", "101"),
        ("/me/recentlyPlayedEntities", "-3"),
        ("/me/recentlyPlayedEntities", "2.0"),
        ("/me/recentlyPlayedEntities", "ten"),
    ] {
        let reply = get(&sim, path, &[("limit", bad)]).await;
        assert_eq!(reply.status, 400, "{path}?limit={bad}");
        let error = reply.error();
        assert_eq!(error.error.code.as_deref(), Some("BAD_REQUEST"));
        assert_eq!(reply.json()["error"]["status"], "400");
    }
    for (path, good) in [
        ("/player/recentlyPlayed", "60"),
        ("/me/recentlyPlayedEntities", "100"),
        ("/me/recentlyPlayedEntities", "1"),
    ] {
        assert_eq!(get(&sim, path, &[("limit", good)]).await.status, 200);
    }
}

#[tokio::test]
async fn entity_types_filters_and_unknown_kinds_appear_only_unfiltered() {
    let history = AmazonMusicHistory::realistic(40, 5);
    let me = history.users[0].clone();
    let sim = AmazonMusicSimulation::start(history).await;

    let reply = get(
        &sim,
        "/me/recentlyPlayedEntities",
        &[("entityTypes", "Album,Track")],
    )
    .await;
    let edges = reply
        .entities()
        .data
        .user
        .unwrap()
        .recent_entities_playback
        .unwrap()
        .edges;
    let expected: Vec<_> = me
        .entities
        .iter()
        .filter(|play| matches!(play.node, EntityNode::Album(_) | EntityNode::Track(_)))
        .map(|play| play.id.clone())
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(
        edges
            .iter()
            .map(ok)
            .map(|edge| edge.id.clone())
            .collect::<Vec<_>>(),
        expected
    );

    let all = get(&sim, "/me/recentlyPlayedEntities", &[])
        .await
        .entities()
        .data
        .user
        .unwrap()
        .recent_entities_playback
        .unwrap()
        .edges;
    let unknown: Vec<_> = all
        .iter()
        .map(ok)
        .filter(|edge| matches!(edge.node, EntityNode::Unknown(_)))
        .collect();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].node.kind(), "Audiobook");

    let every_known_kind = "Album,Artist,Category,Playlist,PodcastEpisode,PodcastShow,Track,User";
    let (filtered, _) = walk_entities(
        &sim,
        "/me/recentlyPlayedEntities",
        "100",
        Some(every_known_kind),
    )
    .await;
    assert_eq!(filtered.len(), all.len() - 1);
}

#[tokio::test]
async fn tokens_stay_valid_for_the_same_filter_across_pages() {
    let history = AmazonMusicHistory::realistic(60, 6);
    let me = history.users[0].clone();
    let sim = AmazonMusicSimulation::start(history).await;
    let (seen, pages) = walk_entities(
        &sim,
        "/me/recentlyPlayedEntities",
        "3",
        Some("Playlist,PodcastEpisode"),
    )
    .await;
    let expected: Vec<_> = ids_and_kinds(&me.entities)
        .into_iter()
        .filter(|(_, kind)| kind == "Playlist" || kind == "PodcastEpisode")
        .collect();
    assert_eq!(seen, expected);
    assert!(pages > 2);
}

#[tokio::test]
async fn a_repeated_entity_types_key_or_an_unknown_type_is_400() {
    let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(10, 7)).await;
    for query in [
        &[("entityTypes", "Album"), ("entityTypes", "Track")][..],
        &[("entityTypes", "Album,Audiobook")],
        &[("entityTypes", "album")],
        &[("entityTypes", "Album, Track")],
        &[("entityTypes", "")],
    ] {
        let reply = get(&sim, "/me/recentlyPlayedEntities", query).await;
        assert_eq!(reply.status, 400, "{query:?}");
        reply.error();
    }
    let requests = sim.requests();
    assert_eq!(
        requests[0].query_values("entityTypes"),
        ["Album", "Track"],
        "the repeated key arrived as two pairs"
    );
}

#[tokio::test]
async fn garbled_forged_or_foreign_tokens_are_400() {
    let history = AmazonMusicHistory::realistic(30, 8);
    let other = history.users[1].id.clone();
    let sim = AmazonMusicSimulation::start(history).await;
    let token = get(
        &sim,
        "/me/recentlyPlayedEntities",
        &[("limit", "5"), ("entityTypes", "Album,Track,Playlist")],
    )
    .await
    .entities()
    .data
    .user
    .unwrap()
    .recent_entities_playback
    .unwrap()
    .page_info
    .token
    .expect("a token");
    assert!(token.contains('+'), "tokens test query encoding: {token}");

    let flipped = {
        let mut bytes = token.clone().into_bytes();
        bytes[0] = if bytes[0] == b'1' { b'2' } else { b'1' };
        String::from_utf8(bytes).unwrap()
    };
    let other_path = format!("/users/{other}/recentlyPlayedEntities");
    let cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "/me/recentlyPlayedEntities",
            vec![("cursor", "not-a-token")],
        ),
        ("/me/recentlyPlayedEntities", vec![("cursor", "")]),
        (
            "/me/recentlyPlayedEntities",
            vec![
                ("cursor", &flipped),
                ("entityTypes", "Album,Track,Playlist"),
            ],
        ),
        (
            "/me/recentlyPlayedEntities",
            vec![
                ("cursor", &token[..token.len() - 1]),
                ("entityTypes", "Album,Track,Playlist"),
            ],
        ),
        // The same token with another filter, another user, another method.
        ("/me/recentlyPlayedEntities", vec![("cursor", &token)]),
        (
            "/me/recentlyPlayedEntities",
            vec![("cursor", &token), ("entityTypes", "Album,Track")],
        ),
        (
            &other_path,
            vec![("cursor", &token), ("entityTypes", "Album,Track,Playlist")],
        ),
        ("/player/recentlyPlayed", vec![("cursor", &token)]),
    ];
    for (path, query) in &cases {
        let reply = get(&sim, path, query).await;
        assert_eq!(reply.status, 400, "{path} {query:?}");
        reply.error();
    }
    // The filter's order and repetitions do not matter; the token is still good.
    let reply = get(
        &sim,
        "/me/recentlyPlayedEntities",
        &[
            ("cursor", &token),
            ("entityTypes", "Track,Playlist,Album,Track"),
        ],
    )
    .await;
    assert_eq!(reply.status, 200);
    // A client that does not encode `+` sends a space, and gets 400.
    let unencoded = client()
        .get(format!(
            "{}/me/recentlyPlayedEntities?entityTypes=Album,Track,Playlist&cursor={token}",
            sim.base_url()
        ))
        .bearer_auth(DEFAULT_ACCESS_TOKEN)
        .header("x-api-key", DEFAULT_API_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(unencoded.status(), 400);
}

#[tokio::test]
async fn another_users_history_and_404_for_an_unknown_user() {
    let history = AmazonMusicHistory::realistic(12, 9);
    let me = history.users[0].clone();
    let other = history.users[1].clone();
    let sim = AmazonMusicSimulation::start(history).await;

    let reply = get(
        &sim,
        &format!("/users/{}/recentlyPlayedEntities", other.id),
        &[],
    )
    .await;
    let raw = reply.json();
    assert_eq!(
        raw["data"]["user"]["name"],
        Value::Null,
        "sent as an explicit null"
    );
    let user = reply.entities().data.user.unwrap();
    assert_eq!(user.id, other.id);
    assert_eq!(user.name, None);
    let edges = user.recent_entities_playback.unwrap().edges;
    let ids: Vec<_> = edges
        .iter()
        .map(ok)
        .map(|edge| edge.id.clone().unwrap())
        .collect();
    let expected: Vec<_> = ids_and_kinds(&other.entities)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(ids, expected);

    let mine = get(
        &sim,
        &format!("/users/{}/recentlyPlayedEntities", me.id),
        &[],
    )
    .await;
    let by_me = get(&sim, "/me/recentlyPlayedEntities", &[]).await;
    assert_eq!(mine.body, by_me.body);

    let unknown = get(&sim, "/users/nobody/recentlyPlayedEntities", &[]).await;
    assert_eq!(unknown.status, 404);
    assert_eq!(
        unknown.error().error.code.as_deref(),
        Some("RESOURCE_NOT_FOUND")
    );
}

#[tokio::test]
async fn a_user_id_is_one_path_segment_decoded_exactly_once() {
    let tricky = "dj/ß?#%20 x🎵+&=;";
    let mut user = AmazonMusicUser::new(tricky, Some("Tricky"));
    user.entities.push(EntityPlay::new(
        "recentlyPlayedId1",
        1_657_843_360_566,
        entity(EntityType::Playlist, "03263b84", "New songs"),
    ));
    let sim = AmazonMusicSimulation::start(
        AmazonMusicHistory::new(AmazonMusicUser::new("me", None)).with_user(user),
    )
    .await;

    let path = format!("/users/{}/recentlyPlayedEntities", encode_segment(tricky));
    let user = get(&sim, &path, &[]).await.entities().data.user.unwrap();
    assert_eq!(user.id, tricky);
    assert_eq!(user.recent_entities_playback.unwrap().edges.len(), 1);
    let recorded = sim.requests().pop().unwrap();
    assert_eq!(
        recorded.path_segments,
        ["v1", "users", tricky, "recentlyPlayedEntities"]
    );

    // Encoded twice, the id arrives as its own encoding: no such user.
    let twice = format!(
        "/users/{}/recentlyPlayedEntities",
        encode_segment(&encode_segment(tricky))
    );
    assert_eq!(get(&sim, &twice, &[]).await.status, 404);
    assert_eq!(
        sim.requests().pop().unwrap().path_segments[2],
        encode_segment(tricky)
    );
}

#[tokio::test]
async fn the_token_is_checked_first_then_the_api_key() {
    let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(3, 10)).await;
    let path = "/me/recentlyPlayedEntities";
    let cases = [
        (None, Some(DEFAULT_API_KEY), 401, "UNAUTHORIZED"),
        (
            Some("stale"),
            Some(DEFAULT_API_KEY),
            401,
            "INVALID_ACCESS_TOKEN",
        ),
        (Some("stale"), None, 401, "INVALID_ACCESS_TOKEN"),
        (Some(DEFAULT_ACCESS_TOKEN), None, 403, "FORBIDDEN"),
        (
            Some(DEFAULT_ACCESS_TOKEN),
            Some("other-key"),
            403,
            "FORBIDDEN",
        ),
    ];
    for (token, key, status, code) in cases {
        let reply = request(&sim, path, &[], token, key).await;
        assert_eq!(reply.status, status, "{token:?} {key:?}");
        assert_eq!(reply.error().error.code.as_deref(), Some(code));
        assert_eq!(reply.json()["error"]["status"], status.to_string());
    }

    sim.set_access_token("fresh");
    sim.set_api_key("new-key");
    assert_eq!(
        request(&sim, path, &[], Some("fresh"), Some("new-key"))
            .await
            .status,
        200
    );
    assert_eq!(get(&sim, path, &[]).await.status, 401);
}

#[tokio::test]
async fn plays_recorded_while_paging_do_not_shift_the_pages() {
    let history = AmazonMusicHistory::realistic(10, 11);
    let me = history.users[0].clone();
    let sim = AmazonMusicSimulation::start(history).await;
    let first = get(&sim, "/player/recentlyPlayed", &[("limit", "4")])
        .await
        .tracks()
        .data
        .user
        .unwrap()
        .recent_track_playback
        .unwrap();
    let newest = ok(&first.edges[0]).played_at.timestamp_millis();
    sim.record_track_play(
        &me.id,
        TrackPlay::new(newest + 60_000, "B0NEWTRACK", "Brand New"),
    );
    let second = get(
        &sim,
        "/player/recentlyPlayed",
        &[("limit", "4"), ("cursor", &first.page_info.token.unwrap())],
    )
    .await
    .tracks()
    .data
    .user
    .unwrap()
    .recent_track_playback
    .unwrap();
    assert_eq!(ok(&second.edges[0]).node.id, me.tracks[4].track.id);

    let latest = get(&sim, "/player/recentlyPlayed", &[("limit", "1")])
        .await
        .tracks()
        .data
        .user
        .unwrap()
        .recent_track_playback
        .unwrap();
    assert_eq!(ok(&latest.edges[0]).node.id, "B0NEWTRACK");
}

#[tokio::test]
async fn faults_rate_limit_fail_send_bytes_and_drop_then_service_resumes() {
    let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(3, 12)).await;
    let path = "/me/recentlyPlayedEntities";
    sim.inject(Fault::RateLimited {
        retry_after_secs: 3,
    });
    sim.inject(Fault::ServerError);
    sim.inject(Fault::Body {
        status: 200,
        body: b"<html>maintenance</html>".to_vec(),
        content_type: Some("text/html".to_owned()),
    });
    sim.inject(Fault::Drop);

    // Faults come before authentication.
    let limited = request(&sim, path, &[], None, None).await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.headers["retry-after"], "3");
    assert_eq!(
        limited.error().error.code.as_deref(),
        Some("TOO_MANY_REQUESTS")
    );

    let failed = get(&sim, path, &[]).await;
    assert_eq!(failed.status, 500);
    assert_eq!(failed.json()["error"]["status"], "500");
    failed.error();

    let html = get(&sim, path, &[]).await;
    assert_eq!(html.status, 200);
    assert_eq!(html.headers["content-type"], "text/html");
    assert_eq!(html.body, b"<html>maintenance</html>");

    let dropped = client()
        .get(format!("{}{path}", sim.base_url()))
        .bearer_auth(DEFAULT_ACCESS_TOKEN)
        .header("x-api-key", DEFAULT_API_KEY)
        .send()
        .await
        .expect_err("no HTTP response");
    assert!(
        dropped.is_request() && dropped.status().is_none(),
        "{dropped:?}"
    );
    assert!(!dropped.is_timeout(), "{dropped:?}");

    get(&sim, path, &[]).await.entities();
    assert_eq!(sim.request_count(), 5);
}

/// The `pageInfo.token` of a page of either method, and the IDs of its edges.
fn token_and_ids(reply: &Reply) -> (Option<String>, Vec<String>) {
    let raw = reply.json();
    assert_eq!(reply.status, 200, "{raw}");
    let user = &raw["data"]["user"];
    let connection = if user["recentTrackPlayback"].is_object() {
        &user["recentTrackPlayback"]
    } else {
        &user["recentEntitiesPlayback"]
    };
    let ids = connection["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| {
            let id = edge.get("id").filter(|id| id.is_string());
            id.unwrap_or(&edge["node"]["id"])
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let token = connection["pageInfo"]["token"].as_str().map(str::to_owned);
    (token, ids)
}

#[tokio::test]
async fn page_tokens_issued_before_expire_page_tokens_are_400_and_later_ones_work() {
    let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(30, 13)).await;
    let paths = ["/player/recentlyPlayed", "/me/recentlyPlayedEntities"];
    let mut old = Vec::new();
    for path in paths {
        let (token, _) = token_and_ids(&get(&sim, path, &[("limit", "5")]).await);
        let token = token.expect("a second page");
        let (_, second) =
            token_and_ids(&get(&sim, path, &[("limit", "5"), ("cursor", &token)]).await);
        old.push((path, token, second));
    }

    sim.expire_page_tokens();
    for (path, token, second) in &old {
        let refused = get(&sim, path, &[("limit", "5"), ("cursor", token)]).await;
        assert_eq!(refused.status, 400, "{path}");
        let error = refused.error().error;
        assert_eq!(error.code.as_deref(), Some("BAD_REQUEST"));
        assert!(error.message.contains("expired"), "{}", error.message);

        // A token issued after the call leads to the same page as before.
        let (fresh, _) = token_and_ids(&get(&sim, path, &[("limit", "5")]).await);
        let fresh = fresh.expect("a second page");
        assert_ne!(&fresh, token);
        let again = get(&sim, path, &[("limit", "5"), ("cursor", &fresh)]).await;
        assert_eq!(&token_and_ids(&again).1, second, "{path}");
    }
}

#[tokio::test]
async fn a_rate_limit_answers_every_request_429_too_many_requests_and_each_one_lengthens_it() {
    let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(3, 14)).await;
    sim.set_rate_limit(Some(Duration::from_secs(81_654)));
    let path = "/me/recentlyPlayedEntities";
    let mut waits = Vec::new();
    for _ in 0..2 {
        let limited = get(&sim, path, &[]).await;
        assert_eq!(limited.status, 429);
        assert_eq!(
            limited.error().error.code.as_deref(),
            Some("TOO_MANY_REQUESTS")
        );
        let wait = limited.headers["retry-after"].to_str().unwrap();
        waits.push(wait.parse::<u64>().unwrap());
    }
    let extension = RATE_LIMIT_EXTENSION.as_secs();
    let first = 81_654 + extension;
    assert!((first - 5..=first).contains(&waits[0]), "{waits:?}");
    assert!(
        (extension - 5..=extension).contains(&(waits[1] - waits[0])),
        "{waits:?}"
    );
    assert_eq!(sim.request_count(), 2);
    sim.set_rate_limit(None);
    get(&sim, path, &[]).await.entities();
}

/// The sandbox serves only well-formed edges.
fn ok<T>(entry: &amazon_music_web_api::Entry<T>) -> &T {
    entry.item().expect("the sandbox serves well-formed edges")
}

// The catalog: `/tracks/{id}`.

#[tokio::test]
async fn the_catalog_knows_every_track_the_history_plays_and_no_other() {
    let history = AmazonMusicHistory::realistic(30, 11);
    let played: std::collections::BTreeSet<String> = history.users[0]
        .tracks
        .iter()
        .map(|play| play.track.id.clone())
        .collect();
    let sim = AmazonMusicSimulation::start(history).await;
    for id in &played {
        let reply = get(&sim, &format!("/tracks/{}", encode_segment(id)), &[]).await;
        assert_eq!(
            reply.status,
            200,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        let answer: amazon_music_web_api::types::TrackResponse =
            serde_json::from_slice(&reply.body).expect("decodes as TrackResponse");
        let track = answer.data.track.expect("a track");
        assert_eq!(&track.id, id);
        assert!(!track.artists.is_empty() && track.duration.is_some() && track.isrc.is_some());
        assert_eq!(
            Some(track),
            sim.catalog_track(id),
            "what the catalog says, every time"
        );
    }
    let unknown = get(&sim, "/tracks/B0NEVERPLAYED", &[]).await;
    assert_eq!(unknown.status, 404);
    assert_eq!(
        unknown.error().error.code.as_deref(),
        Some("RESOURCE_NOT_FOUND")
    );
    // A track played later is known from then on.
    sim.record_track_play(
        &sim_me(&sim).await,
        TrackPlay::new(1_800_000_000_000, "B0NEWTRACK1", "New"),
    );
    assert_eq!(get(&sim, "/tracks/B0NEWTRACK1", &[]).await.status, 200);
    assert_eq!(sim.catalog_request_count(), played.len() + 2);
}

/// The ID of the token's owner, as the tracks method says it.
async fn sim_me(sim: &AmazonMusicSimulation) -> String {
    get(sim, "/player/recentlyPlayed", &[("limit", "1")])
        .await
        .tracks()
        .data
        .user
        .expect("a user")
        .id
}

#[tokio::test]
async fn a_test_can_make_a_track_unknown_or_the_catalog_fail_and_the_history_still_answers() {
    let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(5, 3)).await;
    let id = sim_me(&sim).await;
    sim.record_track_play(
        &id,
        TrackPlay::new(1_800_000_000_000, "B0KNOWN0001", "Known"),
    );
    sim.set_track_unknown("B0KNOWN0001", true);
    assert_eq!(get(&sim, "/tracks/B0KNOWN0001", &[]).await.status, 404);
    sim.set_track_unknown("B0KNOWN0001", false);
    assert_eq!(get(&sim, "/tracks/B0KNOWN0001", &[]).await.status, 200);

    sim.set_catalog_failure(Some(429));
    let limited = get(&sim, "/tracks/B0KNOWN0001", &[]).await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.headers["retry-after"], "3600");
    sim.set_catalog_failure(Some(500));
    assert_eq!(
        get(&sim, "/tracks/B0KNOWN0001", &[])
            .await
            .error()
            .error
            .status,
        "500"
    );
    assert_eq!(get(&sim, "/player/recentlyPlayed", &[]).await.status, 200);
    sim.set_catalog_failure(None);
    assert_eq!(
        get(&sim, "/tracks/B0KNOWN0001", &[("mediaType", "AUDIO")])
            .await
            .status,
        200
    );
    assert_eq!(
        get(&sim, "/tracks/B0KNOWN0001", &[("mediaType", "audio")])
            .await
            .status,
        400
    );
}

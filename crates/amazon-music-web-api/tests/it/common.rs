//! What the tests share: a mock Amazon Music server on 127.0.0.1, a client of it, and pages
//! shaped like the spec's examples.

#![allow(dead_code)]

use amazon_music_web_api::{
    AccessToken, AmazonMusicClient, ApiKey, MyEntitiesQuery, RetryPolicy, UserEntitiesQuery, UserId,
};
use serde_json::{Value, json};
use wiremock::MockServer;

pub const TOKEN: &str = "Atza|test-token-5ecret";
pub const API_KEY: &str = "amzn1.application.test-key-5ecret";

/// The base URL of a mock server, with the API's `/v1`.
pub fn base_url(server: &MockServer) -> String {
    format!("{}/v1", server.uri())
}

/// A client of `server` with a fixed token and API key, without retries.
pub fn client(server: &MockServer) -> AmazonMusicClient {
    AmazonMusicClient::builder(
        AccessToken::new(TOKEN).unwrap(),
        ApiKey::new(API_KEY).unwrap(),
    )
    .base_url(&base_url(server))
    .retry(RetryPolicy::none())
    .build()
    .expect("a loopback base URL is accepted")
}

/// A tracks page: one edge per id, and `pageInfo` from `next`.
pub fn tracks_page(ids: &[&str], next: Option<&str>) -> Value {
    let edges: Vec<Value> = ids
        .iter()
        .map(|id| {
            json!({
                "playedAt": "2022-03-29T09:29:32.376Z",
                "node": {"id": id, "title": format!("Track {id}"), "url": "https://music.amazon.com/x"}
            })
        })
        .collect();
    json!({"data": {"user": {
        "id": "zqll6htnhyb2welrqsrtrhdvaa",
        "name": "Tony Starked",
        "recentTrackPlayback": {
            "pageInfo": {"hasNextPage": next.is_some(), "token": next},
            "edgeCount": ids.len(),
            "edges": edges,
        }
    }}})
}

/// An entities page of albums, one per id.
pub fn entities_page(ids: &[&str], next: Option<&str>) -> Value {
    let edges: Vec<Value> = ids
        .iter()
        .map(|id| {
            json!({
                "id": format!("recentlyPlayed-{id}"),
                "playedDate": "2022-07-15T00:02:40.566Z",
                "node": {"_type": "Album", "id": id, "title": format!("Album {id}")}
            })
        })
        .collect();
    entities_with_edges(edges, next)
}

/// An entities page with the given raw edges.
pub fn entities_with_edges(edges: Vec<Value>, next: Option<&str>) -> Value {
    json!({"data": {"user": {
        "id": "j6qncekh7w5vldgykxisqhup7q",
        "name": null,
        "recentEntitiesPlayback": {
            "pageInfo": {"hasNextPage": next.is_some(), "token": next},
            "edgeCount": edges.len(),
            "edges": edges,
        }
    }}})
}

/// The raw query strings of every request `server` received, in order.
pub async fn received_queries(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .iter()
        .map(|request| request.url.query().unwrap_or("").to_string())
        .collect()
}

/// Percent-decodes once, as a server does with a path segment (`+` stays `+`).
pub fn percent_decode(segment: &str) -> Vec<u8> {
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

/// `query`, asked of the user `id` instead of the current user.
pub fn for_user(id: &str, query: MyEntitiesQuery) -> UserEntitiesQuery {
    UserEntitiesQuery {
        user: UserId::new(id).expect("a user ID the tests can send"),
        entity_types: query.entity_types,
        limit: query.limit,
        from: query.from,
    }
}

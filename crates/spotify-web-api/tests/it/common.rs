//! A Spotify stand-in on 127.0.0.1 (wiremock) and pages shaped like real responses.

#![allow(dead_code, missing_docs)] // each test file uses a different part

use std::time::Duration;

use chrono::{DateTime, SecondsFormat};
use serde_json::{Value, json};
use spotify_web_api::{AccessToken, RetryPolicy, SpotifyClient, TokenSource};
use wiremock::matchers::{method, path};
use wiremock::{MockBuilder, MockServer, ResponseTemplate};

/// What the tests send as a token, to look for in everything that must not contain it.
pub const TOKEN: &str = "BQD-test-token-d0-not-print";
pub const ENDPOINT: &str = "/v1/me/player/recently-played";

pub async fn server() -> MockServer {
    MockServer::start().await
}

/// `GET /v1/me/player/recently-played`, for `.and(...)`-ing more matchers onto.
pub fn recently_played() -> MockBuilder {
    wiremock::Mock::given(method("GET")).and(path(ENDPOINT))
}

pub fn client(server: &MockServer) -> SpotifyClient {
    client_with(
        server,
        AccessToken::new(TOKEN).unwrap(),
        RetryPolicy::none(),
    )
}

pub fn client_with(
    server: &MockServer,
    token: impl TokenSource,
    retry: RetryPolicy,
) -> SpotifyClient {
    SpotifyClient::builder(token)
        .base_url(&format!("{}/v1", server.uri()))
        .retry(retry)
        .http_client(short_timeouts())
        .build()
        .expect("a loopback base URL is accepted")
}

pub fn short_timeouts() -> reqwest::Client {
    client_support::http::client_builder()
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

/// A play at `ms`, with the nulls and extra fields real responses carry.
pub fn play(ms: i64) -> Value {
    let played_at = DateTime::from_timestamp_millis(ms)
        .unwrap()
        .to_rfc3339_opts(SecondsFormat::Millis, true);
    json!({
        "track": {
            "album": {
                "album_type": "album", "artists": [], "external_urls": {}, "images": [],
                "name": "Currents", "release_date": "2015-07-17",
                "release_date_precision": "day", "type": "album"
            },
            "artists": [{
                "external_urls": { "spotify": "https://open.spotify.com/artist/a" },
                "href": null, "id": null, "name": "Tame Impala", "type": "artist", "uri": null
            }],
            "disc_number": 1,
            "duration_ms": 108546,
            "explicit": false,
            "external_ids": { "isrc": "AUUM71500001" },
            "external_urls": {},
            "href": null,
            "id": format!("track{ms}"),
            "is_local": false,
            "name": format!("Track {ms}"),
            "popularity": 50,
            "preview_url": null,
            "track_number": 9,
            "type": "track",
            "uri": format!("spotify:track:track{ms}")
        },
        "played_at": played_at,
        "context": null
    })
}

/// A page of plays at `ms` (given newest first, as Spotify orders them); `older` is the
/// `before` cursor of its `next` link, `None` for `"next": null`.
pub fn page(ms: &[i64], older: Option<i64>) -> Value {
    let href = "https://api.spotify.com/v1/me/player/recently-played?limit=50";
    let cursors = match (ms.first(), ms.last()) {
        (Some(newest), Some(oldest)) => {
            json!({ "after": newest.to_string(), "before": oldest.to_string() })
        }
        _ => Value::Null,
    };
    json!({
        "items": ms.iter().map(|&t| play(t)).collect::<Vec<_>>(),
        "next": older.map(|b| format!("https://api.spotify.com/v1/me/player/recently-played?before={b}&limit=50")),
        "cursors": cursors,
        "limit": 50,
        "href": href
    })
}

pub fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// The `played_at` of each play, in ms, in the order given.
pub fn millis(plays: &[spotify_web_api::types::PlayHistory]) -> Vec<i64> {
    plays
        .iter()
        .map(|p| p.played_at.timestamp_millis())
        .collect()
}

/// A stand-in that pages over a fixed history the way the docs describe: newest first,
/// `before` / `after` exclusive, `next` carrying `before` while older plays remain, and
/// `after` answering with the oldest plays after the time.
pub struct FakeHistory {
    /// Play times in ms, newest first.
    pub plays: Vec<i64>,
}

impl wiremock::Respond for FakeHistory {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let param = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| v.parse::<i64>().ok())
        };
        let limit = param("limit").unwrap_or(20) as usize;
        let page: Vec<i64> = match (param("before"), param("after")) {
            (Some(_), Some(_)) => return ResponseTemplate::new(400),
            (None, Some(after)) => {
                let newer: Vec<i64> = self.plays.iter().copied().filter(|&t| t > after).collect();
                newer[newer.len().saturating_sub(limit)..].to_vec()
            }
            (before, None) => self
                .plays
                .iter()
                .copied()
                .filter(|&t| before.is_none_or(|b| t < b))
                .take(limit)
                .collect(),
        };
        let older = page
            .last()
            .filter(|&&oldest| self.plays.iter().any(|&t| t < oldest))
            .copied();
        ok(self::page(&page, older))
    }
}

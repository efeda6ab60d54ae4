//! Every response the simulations send conforms to the spec they simulate.
//!
//! A plain HTTP client (no generated types in the way) sends each simulation a range of
//! requests — pages at several limits and cursors, empty pages, the last page, a private
//! session, and requests that must fail: `400`, `401`, `403`, `404`, `429`, `500`, `503`,
//! `405` —
//! and each answer is checked against the spec: its status is declared for the operation and
//! its body matches the declared schema (a bodyless `204` has no body).
//!
//! A status the simulation sends but the spec does not declare must be listed in
//! [`UNDECLARED`], with the reason, and its body must still be the API's general error body
//! (`components/schemas/ErrorResponse`). And every status the bounds table documents for an
//! operation must have been seen, so the simulation is shown to produce each one.

use crate::common;

use std::collections::BTreeSet;

use common::*;
use conformance::responses::{Nonconforming, SpecResponses};
use conformance::schema::ResponseSchema;
use music_history_sandbox::Fault;
use music_history_sandbox::amazon::{self, AmazonMusicSimulation, AmazonMusicUser};
use music_history_sandbox::listenbrainz;
use music_history_sandbox::spotify::{self, SpotifySimulation};
use reqwest::Method;

/// Statuses a simulation sends for an operation although its spec does not declare them, and
/// why that is right.
const UNDECLARED: &[(&str, u16, &str)] = &[];

/// A documented status the simulation cannot be made to send for an operation, and why.
const UNREACHABLE: &[(&str, u16, &str)] = &[
    (
        "get_track",
        422,
        "the errors page gives no case of it for the catalog: the simulation answers every \
         malformed parameter with 400",
    ),
    (
        "get_recently_played_tracks",
        404,
        "the current user's history always exists: nothing on this path can be missing",
    ),
    (
        "get_my_recently_played_entities",
        404,
        "the current user's history always exists: nothing on this path can be missing",
    ),
    (
        "get_recently_played",
        502,
        "sent by Spotify's gateways, not by the endpoint: the simulation has no gateway",
    ),
    (
        "get_recently_played",
        503,
        "sent by Spotify's gateways when the service is overloaded: the simulation never is",
    ),
    (
        "get_recently_played_tracks",
        422,
        "the errors page gives no case of it for the Player methods: the simulation answers \
         every malformed parameter with 400",
    ),
    (
        "get_my_recently_played_entities",
        422,
        "the errors page gives no case of it for the Player methods: the simulation answers \
         every malformed parameter with 400",
    ),
    (
        "get_user_recently_played_entities",
        422,
        "the errors page gives no case of it for the Player methods: the simulation answers \
         every malformed parameter with 400",
    ),
];

/// One answer, and the request it answered.
struct Captured {
    request: String,
    method: Method,
    path: String,
    status: u16,
    content_type: Option<String>,
    body: Vec<u8>,
}

/// Sends `method <base_url><path_and_query>` with these headers.
async fn send(
    base_url: &str,
    method: Method,
    path_and_query: &str,
    headers: &[(&str, &str)],
) -> Captured {
    let url = format!("{base_url}{path_and_query}");
    let mut request = client_support::http::client_builder()
        .build()
        .unwrap()
        .request(method.clone(), &url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("the simulation answers");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    let path = response.url().path().to_string();
    let body = response.bytes().await.expect("a body").to_vec();
    Captured {
        request: format!("{method} {path_and_query}"),
        method,
        path,
        status,
        content_type,
        body,
    }
}

/// Checks every captured answer against `spec`; returns the problems and the
/// `(operationId, status)` pairs seen.
fn check_all(
    spec: &SpecResponses,
    captured: &[Captured],
) -> (Vec<String>, BTreeSet<(String, u16)>) {
    let error_body = ResponseSchema::for_component(spec.spec(), "ErrorResponse")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    let general_error = |answer: &Captured| -> Result<(), String> {
        let value: serde_json::Value = serde_json::from_slice(&answer.body)
            .map_err(|e| format!("the body is not JSON: {e}"))?;
        error_body
            .validate(&value)
            .map_err(|invalid| invalid.to_string())
    };
    for answer in captured {
        let at = format!("{} answered {}", answer.request, answer.status);
        let Some(operation_id) = spec.operation_for(answer.method.as_str(), &answer.path) else {
            // No operation of the spec: an unknown path or method gets the general error body.
            if !matches!(answer.status, 404 | 405) {
                problems.push(format!("{at}: names no operation, yet is not 404 or 405"));
            }
            if let Err(problem) = general_error(answer) {
                problems.push(format!("{at}: {problem}"));
            }
            continue;
        };
        seen.insert((operation_id.to_string(), answer.status));
        match spec.check(
            operation_id,
            answer.status,
            answer.content_type.as_deref(),
            &answer.body,
        ) {
            Ok(_) => {}
            Err(Nonconforming::UndeclaredStatus { .. })
                if UNDECLARED
                    .iter()
                    .any(|(id, status, _)| *id == operation_id && *status == answer.status) =>
            {
                if let Err(problem) = general_error(answer) {
                    problems.push(format!("{at} (undeclared, listed): {problem}"));
                }
            }
            Err(problem) => problems.push(format!("{at}: {problem}")),
        }
    }
    (problems, seen)
}

/// Fails with every problem, and with every documented status of the APIs' operations that
/// was never seen.
fn assert_conforms(api: &str, problems: Vec<String>, seen: &BTreeSet<(String, u16)>) {
    let mut problems = problems;
    for row in conformance::bounds::OPERATIONS
        .iter()
        .filter(|row| row.api == api)
    {
        for status in row.statuses {
            let reachable = !UNREACHABLE
                .iter()
                .any(|(id, code, _)| *id == row.operation_id && *code == status.code);
            if reachable && !seen.contains(&(row.operation_id.to_string(), status.code)) {
                problems.push(format!(
                    "{}: the simulation never answered {} ({}), which {} document",
                    row.operation_id, status.code, status.meaning, row.source
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "promise broken: every response the simulation sends conforms to the spec\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_spotify_simulation_response_matches_its_spec_schema() {
    let spec = spotify_spec();
    let times: Vec<i64> = (0..45).map(|i| NEWEST_MS - 60_000 * i).collect();
    let captured = block_on(async {
        let sim = SpotifySimulation::start(music_history_sandbox::spotify::SpotifyHistory::new(
            spotify_plays(&times),
        ))
        .await;
        let empty = spotify_simulation(&[]).await;
        let endpoint = "/me/player/recently-played";
        let token = format!("Bearer {}", spotify::DEFAULT_ACCESS_TOKEN);
        let auth: &[(&str, &str)] = &[("authorization", &token)];
        let middle = times[20];
        let mut captured = Vec::new();
        let queries = [
            String::new(),
            "?limit=1".into(),
            "?limit=20".into(),
            "?limit=50".into(),
            format!("?before={middle}&limit=10"),
            format!("?after={middle}&limit=10"),
            format!("?after={middle}"),
            format!("?before={}", times[44]),
            format!("?after={}", NEWEST_MS),
            "?before=0".into(),
        ];
        for query in &queries {
            captured.push(
                send(
                    sim.base_url(),
                    Method::GET,
                    &format!("{endpoint}{query}"),
                    auth,
                )
                .await,
            );
            captured.push(
                send(
                    empty.base_url(),
                    Method::GET,
                    &format!("{endpoint}{query}"),
                    auth,
                )
                .await,
            );
        }
        for bad in [
            "?limit=0",
            "?limit=51",
            "?limit=ten",
            "?limit=5&limit=6",
            "?before=1&after=2",
            "?before=yesterday",
        ] {
            captured.push(
                send(
                    sim.base_url(),
                    Method::GET,
                    &format!("{endpoint}{bad}"),
                    auth,
                )
                .await,
            );
        }
        captured.push(send(sim.base_url(), Method::GET, endpoint, &[]).await);
        captured.push(
            send(
                sim.base_url(),
                Method::GET,
                endpoint,
                &[("authorization", "Bearer stale")],
            )
            .await,
        );
        sim.set_scope_granted(false);
        captured.push(send(sim.base_url(), Method::GET, endpoint, auth).await);
        sim.set_scope_granted(true);
        sim.set_private_session(true);
        captured.push(
            send(
                sim.base_url(),
                Method::GET,
                &format!("{endpoint}?limit=5"),
                auth,
            )
            .await,
        );
        sim.set_private_session(false);
        sim.inject(Fault::RateLimited {
            retry_after_secs: 30,
        });
        captured.push(send(sim.base_url(), Method::GET, endpoint, auth).await);
        sim.inject(Fault::ServerError);
        captured.push(send(sim.base_url(), Method::GET, endpoint, auth).await);
        captured.push(
            send(
                sim.base_url(),
                Method::GET,
                "/me/player/recently-playe",
                auth,
            )
            .await,
        );
        captured.push(send(sim.base_url(), Method::POST, endpoint, auth).await);
        captured
    });
    let (problems, seen) = check_all(spec, &captured);
    assert_conforms("spotify-web-api", problems, &seen);
}

#[test]
fn every_amazon_simulation_response_matches_its_spec_schema() {
    let spec = amazon_spec();
    let times: Vec<i64> = (0..130).map(|i| NEWEST_MS - 60_000 * (i / 2)).collect();
    let specs: Vec<EntitySpec> = times
        .iter()
        .enumerate()
        .map(|(i, &at)| EntitySpec {
            at,
            kind: if i % 9 == 8 {
                Kind::Unknown("Audiobook")
            } else {
                Kind::Known(ENTITY_TYPES[i % 8])
            },
        })
        .collect();
    let captured = block_on(async {
        let mut other = AmazonMusicUser::new("listener 2/ü?#%", None);
        other.entities = entity_plays("listener-2", &specs[..7]);
        let lonely = AmazonMusicUser::new("lonely", Some("No Plays"));
        let sim: AmazonMusicSimulation =
            amazon_simulation(&times, &specs, vec![other, lonely]).await;
        let token = format!("Bearer {}", amazon::DEFAULT_ACCESS_TOKEN);
        let auth: &[(&str, &str)] = &[
            ("authorization", &token),
            ("x-api-key", amazon::DEFAULT_API_KEY),
        ];
        let paths = [
            "/player/recentlyPlayed",
            "/me/recentlyPlayedEntities",
            "/users/listener%202%2F%C3%BC%3F%23%25/recentlyPlayedEntities",
            "/users/lonely/recentlyPlayedEntities",
        ];
        let mut captured = Vec::new();
        for path in paths {
            for query in [
                "",
                "?limit=1",
                "?limit=60",
                "?limit=100",
                "?entityTypes=Album,Track&limit=3",
                "?entityTypes=User",
            ] {
                if path.contains("player") && query.contains("entityTypes") {
                    continue;
                }
                captured
                    .push(send(sim.base_url(), Method::GET, &format!("{path}{query}"), auth).await);
            }
            // Follow the tokens to the last page.
            let mut cursor: Option<String> = None;
            loop {
                let query = match &cursor {
                    None => "?limit=40".to_string(),
                    Some(token) => format!("?limit=40&cursor={}", percent_encode(token)),
                };
                let answer =
                    send(sim.base_url(), Method::GET, &format!("{path}{query}"), auth).await;
                let value: serde_json::Value =
                    serde_json::from_slice(&answer.body).unwrap_or_default();
                let connection = &value["data"]["user"];
                let page_info = connection
                    .get("recentTrackPlayback")
                    .or_else(|| connection.get("recentEntitiesPlayback"))
                    .map(|c| c["pageInfo"].clone())
                    .unwrap_or_default();
                captured.push(answer);
                match page_info["token"].as_str() {
                    Some(token) if page_info["hasNextPage"] == true => {
                        cursor = Some(token.to_string())
                    }
                    _ => break,
                }
            }
            for bad in [
                "?limit=0",
                "?limit=101",
                "?limit=x",
                "?cursor=forged",
                "?limit=1&limit=2",
                "?entityTypes=Album&entityTypes=Track",
                "?entityTypes=Bogus",
            ] {
                captured
                    .push(send(sim.base_url(), Method::GET, &format!("{path}{bad}"), auth).await);
            }
            captured.push(
                send(
                    sim.base_url(),
                    Method::GET,
                    path,
                    &[("x-api-key", amazon::DEFAULT_API_KEY)],
                )
                .await,
            );
            captured.push(
                send(
                    sim.base_url(),
                    Method::GET,
                    path,
                    &[
                        ("authorization", "Bearer stale"),
                        ("x-api-key", amazon::DEFAULT_API_KEY),
                    ],
                )
                .await,
            );
            captured.push(
                send(
                    sim.base_url(),
                    Method::GET,
                    path,
                    &[("authorization", &token)],
                )
                .await,
            );
            captured.push(
                send(
                    sim.base_url(),
                    Method::GET,
                    path,
                    &[("authorization", &token), ("x-api-key", "someone else's")],
                )
                .await,
            );
            sim.inject(Fault::RateLimited {
                retry_after_secs: 30,
            });
            captured.push(send(sim.base_url(), Method::GET, path, auth).await);
            sim.inject(Fault::ServerError);
            captured.push(send(sim.base_url(), Method::GET, path, auth).await);
            captured.push(send(sim.base_url(), Method::POST, path, auth).await);
        }
        captured.push(
            send(
                sim.base_url(),
                Method::GET,
                "/users/nobody/recentlyPlayedEntities",
                auth,
            )
            .await,
        );
        // The catalog: a track "me" played (`common::track_plays`), and every failure.
        let track = "/tracks/T000";
        for (path, headers) in [
            (track, auth),
            ("/tracks/T000?mediaType=AUDIO", auth),
            ("/tracks/T000?mediaType=audio", auth),
            ("/tracks/T000?mediaType=AUDIO&mediaType=VIDEO", auth),
            ("/tracks/never-played", auth),
            (track, &[("x-api-key", amazon::DEFAULT_API_KEY)][..]),
            (track, &[("authorization", token.as_str())][..]),
            (
                track,
                &[
                    ("authorization", token.as_str()),
                    ("x-api-key", "someone else's"),
                ][..],
            ),
        ] {
            captured.push(send(sim.base_url(), Method::GET, path, headers).await);
        }
        sim.inject(Fault::RateLimited {
            retry_after_secs: 30,
        });
        captured.push(send(sim.base_url(), Method::GET, track, auth).await);
        sim.inject(Fault::ServerError);
        captured.push(send(sim.base_url(), Method::GET, track, auth).await);
        captured.push(send(sim.base_url(), Method::POST, track, auth).await);
        captured.push(
            send(
                sim.base_url(),
                Method::GET,
                "/player/recentlyPlayedEntities",
                auth,
            )
            .await,
        );
        captured
    });
    let (problems, seen) = check_all(spec, &captured);
    assert_conforms("amazon-music-web-api", problems, &seen);
}

/// Percent-encodes everything but unreserved characters, as one query value.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(byte).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

#[test]
fn every_listenbrainz_simulation_response_matches_its_spec_schema() {
    let spec = listenbrainz_spec();
    // Every other listen shares its second with the one before.
    let times: Vec<i64> = (0..60).map(|i| NEWEST_MS / 1000 - 60 * (i / 2)).collect();
    let captured = block_on(async {
        let sim = listenbrainz_simulation(&times).await;
        let empty = listenbrainz_simulation(&[]).await;
        let user = listenbrainz::DEFAULT_USER_NAME;
        let listens = format!("/1/user/{user}/listens");
        let count = format!("/1/user/{user}/listen-count");
        let token = format!("Token {}", listenbrainz::DEFAULT_TOKEN);
        let auth: &[(&str, &str)] = &[("authorization", &token)];
        let (oldest, newest, middle) = (times[59], times[0], times[30]);
        let mut captured = Vec::new();
        let queries = [
            String::new(),
            "?count=1".into(),
            "?count=25".into(),
            "?count=1000".into(),
            format!("?max_ts={middle}&count=10"),
            format!("?min_ts={middle}&count=10"),
            format!("?min_ts={}&max_ts={}&count=7", oldest - 1, newest + 1),
            format!("?min_ts={newest}"),
            "?max_ts=0".into(),
        ];
        for query in &queries {
            for base_url in [sim.base_url(), empty.base_url()] {
                let path = format!("{listens}{query}");
                captured.push(send(base_url, Method::GET, &path, auth).await);
            }
        }
        for bad in [
            "?count=-1",
            "?count=ten",
            "?min_ts=yesterday",
            "?max_ts=253402300800",
            "?min_ts=10&max_ts=10",
        ] {
            let path = format!("{listens}{bad}");
            captured.push(send(sim.base_url(), Method::GET, &path, auth).await);
        }
        for path in [
            &count,
            "/1/user/nobody-here/listens",
            "/1/user/nobody-here/listen-count",
        ] {
            captured.push(send(sim.base_url(), Method::GET, path, auth).await);
        }
        captured.push(send(empty.base_url(), Method::GET, &count, auth).await);
        let validate = "/1/validate-token";
        captured.push(send(sim.base_url(), Method::GET, validate, auth).await);
        let stale = [("authorization", "Token stale")];
        captured.push(send(sim.base_url(), Method::GET, validate, &stale).await);
        captured.push(send(sim.base_url(), Method::GET, validate, &[]).await);
        for path in [listens.as_str(), &count, validate] {
            sim.inject(Fault::RateLimited {
                retry_after_secs: 30,
            });
            captured.push(send(sim.base_url(), Method::GET, path, auth).await);
            sim.inject(Fault::ServerError);
            captured.push(send(sim.base_url(), Method::GET, path, auth).await);
        }
        sim.set_listen_store_offline(true);
        for path in [listens.as_str(), &count] {
            captured.push(send(sim.base_url(), Method::GET, path, auth).await);
        }
        sim.set_listen_store_offline(false);
        captured.push(send(sim.base_url(), Method::GET, "/1/user/x/listens", auth).await);
        captured.push(send(sim.base_url(), Method::POST, &listens, auth).await);
        captured
    });
    let (problems, seen) = check_all(spec, &captured);
    assert_conforms("listenbrainz-api", problems, &seen);
}

/// Every page of a realistic history, read to its end, validates against the spec under the
/// strict reading of OpenAPI 3.0.3 that [`conformance::schema`] applies: local files with
/// their explicit `null`s and `spotify:local:` URIs, `null` contexts and `cursors`, tracks as
/// apps in Development Mode get them, entities of a kind the spec does not know, users
/// without a name.
mod realistic_pages {
    use music_history_sandbox::amazon::{self, AmazonMusicHistory, AmazonMusicSimulation};
    use music_history_sandbox::listenbrainz::{self, ListenBrainzHistory, ListenBrainzSimulation};
    use music_history_sandbox::spotify::{self, SpotifyHistory, SpotifySimulation};
    use proptest::prelude::*;
    use reqwest::Method;

    use super::percent_encode;
    use crate::common::*;

    /// One answer: the path it came from, its status, `Content-Type` and body.
    struct Answer {
        path: String,
        status: u16,
        content_type: Option<String>,
        body: Vec<u8>,
    }

    /// `GET <base_url><path_and_query>` with these headers, on `http` (one client per case:
    /// building one costs more than a page).
    async fn get(
        http: &reqwest::Client,
        base_url: &str,
        path_and_query: &str,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut request = http.request(Method::GET, format!("{base_url}{path_and_query}"));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("the simulation answers");
        Answer {
            path: response.url().path().to_string(),
            status: response.status().as_u16(),
            content_type: response
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
                .map(str::to_string),
            body: response.bytes().await.expect("a body").to_vec(),
        }
    }

    /// The configuration of these properties: [`config`], with at most 64 cases. Each case
    /// reads whole histories (up to 120 plays) to their end, several times; every eight plays
    /// of a realistic history hold each of its shapes, so 64 cases meet each of them hundreds
    /// of times.
    fn at_most_64_cases() -> ProptestConfig {
        let config = config();
        ProptestConfig {
            cases: config.cases.min(64),
            ..config
        }
    }

    /// Checks one answer against the spec: a declared status and a body of its schema.
    fn check(
        spec: &conformance::responses::SpecResponses,
        request: &str,
        answer: &Answer,
    ) -> Result<serde_json::Value, TestCaseError> {
        let operation = spec
            .operation_for("GET", &answer.path)
            .ok_or_else(|| TestCaseError::fail(format!("{request}: no operation")))?;
        let conforms = spec.check(
            operation,
            answer.status,
            answer.content_type.as_deref(),
            &answer.body,
        );
        promise(
            answer.status == 200 && conforms.is_ok(),
            "every page the simulation serves validates strictly against the spec",
            || format!("{request} answered {}: {conforms:?}", answer.status),
        )?;
        Ok(serde_json::from_slice(&answer.body).unwrap_or_default())
    }

    /// Reads `first` and then every page its `next` links lead to; returns the pages read.
    async fn spotify_walk(
        http: &reqwest::Client,
        sim: &SpotifySimulation,
        first: String,
    ) -> Result<usize, TestCaseError> {
        let token = format!("Bearer {}", spotify::DEFAULT_ACCESS_TOKEN);
        let auth: &[(&str, &str)] = &[("authorization", &token)];
        let mut path = Some(first);
        let mut pages = 0;
        while let Some(here) = path.take() {
            let answer = get(http, sim.base_url(), &here, auth).await;
            let page = check(spotify_spec(), &here, &answer)?;
            pages += 1;
            prop_assert!(pages <= 200, "the walk does not end");
            path = page["next"]
                .as_str()
                .map(|next| next.trim_start_matches(sim.base_url()).to_string());
        }
        Ok(pages)
    }

    /// Reads `path` with `limit`, then every page its tokens lead to.
    async fn amazon_walk(
        http: &reqwest::Client,
        sim: &AmazonMusicSimulation,
        path: &str,
        limit: u32,
    ) -> Result<usize, TestCaseError> {
        let token = format!("Bearer {}", amazon::DEFAULT_ACCESS_TOKEN);
        let auth: &[(&str, &str)] = &[
            ("authorization", &token),
            ("x-api-key", amazon::DEFAULT_API_KEY),
        ];
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let query = match &cursor {
                None => format!("{path}?limit={limit}"),
                Some(token) => format!("{path}?limit={limit}&cursor={}", percent_encode(token)),
            };
            let answer = get(http, sim.base_url(), &query, auth).await;
            let page = check(amazon_spec(), &query, &answer)?;
            pages += 1;
            prop_assert!(pages <= 200, "the walk does not end");
            let user = &page["data"]["user"];
            let info = user
                .get("recentTrackPlayback")
                .or_else(|| user.get("recentEntitiesPlayback"))
                .map(|c| c["pageInfo"].clone())
                .unwrap_or_default();
            match info["token"].as_str() {
                Some(token) if info["hasNextPage"] == true => cursor = Some(token.to_string()),
                _ => return Ok(pages),
            }
        }
    }

    /// Reads the listens forward with both bounds from before the oldest, `count` at a time
    /// (as the client walks: each next `min_ts` a second before the newest listen of a full
    /// page), then back from the newest with `max_ts` alone.
    async fn listenbrainz_walks(
        http: &reqwest::Client,
        sim: &ListenBrainzSimulation,
        count: u32,
    ) -> Result<usize, TestCaseError> {
        let listens = format!("/1/user/{}/listens", listenbrainz::DEFAULT_USER_NAME);
        let first = format!("{listens}?count=1");
        let page = check(
            listenbrainz_spec(),
            &first,
            &get(http, sim.base_url(), &first, &[]).await,
        )?;
        let (oldest, latest) = (
            &page["payload"]["oldest_listen_ts"],
            &page["payload"]["latest_listen_ts"],
        );
        let (oldest, latest) = (oldest.as_i64().unwrap_or(0), latest.as_i64().unwrap_or(0));
        let mut pages = 1;
        let mut min_ts = oldest - 1;
        loop {
            let query = format!(
                "{listens}?min_ts={min_ts}&max_ts={}&count={count}",
                latest + 1
            );
            let page = check(
                listenbrainz_spec(),
                &query,
                &get(http, sim.base_url(), &query, &[]).await,
            )?;
            pages += 1;
            prop_assert!(pages <= 400, "the walk does not end");
            let seconds: Vec<i64> = page["payload"]["listens"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|listen| listen["listened_at"].as_i64())
                .collect();
            match seconds.iter().max() {
                Some(&newest) if seconds.len() == count as usize && newest - 1 > min_ts => {
                    min_ts = newest - 1;
                }
                _ => break,
            }
        }
        let mut max_ts: Option<i64> = None;
        loop {
            let query = match max_ts {
                None => format!("{listens}?count={count}"),
                Some(max_ts) => format!("{listens}?max_ts={max_ts}&count={count}"),
            };
            let page = check(
                listenbrainz_spec(),
                &query,
                &get(http, sim.base_url(), &query, &[]).await,
            )?;
            pages += 1;
            prop_assert!(pages <= 400, "the walk does not end");
            let oldest = page["payload"]["listens"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|listen| listen["listened_at"].as_i64())
                .min();
            match oldest {
                Some(oldest) if max_ts.is_none_or(|was| oldest < was) => max_ts = Some(oldest),
                _ => return Ok(pages),
            }
        }
    }

    proptest! {
        #![proptest_config(at_most_64_cases())]

        /// Forward with both bounds and back with `max_ts`: every page of a realistic
        /// ListenBrainz history validates strictly.
        #[test]
        fn every_listenbrainz_page_of_a_realistic_history_validates_strictly(
            plays in 0usize..=MAX_PLAYS, seed in any::<u64>(), count in 2u32..=100,
        ) {
            block_on(async {
                let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(plays, seed)).await;
                let http = client_support::http::client_builder().build().unwrap();
                listenbrainz_walks(&http, &sim, count).await?;
                Ok::<(), TestCaseError>(())
            })?;
        }

        /// Back from the newest play by `next`, and forward from the oldest by `after`: every
        /// page of a realistic Spotify history validates strictly.
        #[test]
        fn every_spotify_page_of_a_realistic_history_validates_strictly(
            plays in 0usize..=MAX_PLAYS, seed in any::<u64>(), limit in 1u32..=50,
        ) {
            block_on(async {
                let sim = SpotifySimulation::start(SpotifyHistory::realistic(plays, seed)).await;
                let http = client_support::http::client_builder().build().unwrap();
                let endpoint = "/me/player/recently-played";
                spotify_walk(&http, &sim, format!("{endpoint}?limit={limit}")).await?;
                spotify_walk(&http, &sim, format!("{endpoint}?after=0&limit={limit}")).await?;
                Ok::<(), TestCaseError>(())
            })?;
        }

        /// The tracks, the current user's entities and the other user's entities, each to
        /// its last page: every page of a realistic Amazon Music history validates strictly.
        #[test]
        fn every_amazon_page_of_a_realistic_history_validates_strictly(
            plays in 0usize..=MAX_PLAYS, seed in any::<u64>(),
            tracks_limit in 1u32..=60, entities_limit in 1u32..=100,
        ) {
            block_on(async {
                let history = AmazonMusicHistory::realistic(plays, seed);
                let other = percent_encode(&history.users[1].id);
                let sim = AmazonMusicSimulation::start(history).await;
                let http = client_support::http::client_builder().build().unwrap();
                amazon_walk(&http, &sim, "/player/recentlyPlayed", tracks_limit).await?;
                amazon_walk(&http, &sim, "/me/recentlyPlayedEntities", entities_limit).await?;
                let user = format!("/users/{other}/recentlyPlayedEntities");
                amazon_walk(&http, &sim, &user, entities_limit).await?;
                Ok::<(), TestCaseError>(())
            })?;
        }
    }
}

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

use crate::subjects::{Captured, Subject, with_every_subject};

/// Statuses a simulation sends for an operation although its spec does not declare them, and
/// why that is right.
const UNDECLARED: &[(&str, u16, &str)] = &[];

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

/// Fails with every problem, and with every documented status of the subject's operations
/// that was never seen, but those it says its simulation cannot be made to send.
fn assert_conforms(subject: &dyn Subject, problems: Vec<String>, seen: &BTreeSet<(String, u16)>) {
    let mut problems = problems;
    let unreachable = subject.unreachable_statuses();
    for row in conformance::bounds::OPERATIONS
        .iter()
        .filter(|row| row.api == subject.api())
    {
        for status in row.statuses {
            let reachable = !unreachable
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
        "promise broken: every response the {} simulation sends conforms to the spec\n{}",
        subject.name(),
        problems.join("\n")
    );
}

/// Every service's simulation, sent every kind of request its spec documents an answer
/// for, answers each as its spec says.
fn every_simulation_response_matches_its_spec_schema(subject: &'static dyn Subject) {
    let captured = block_on(subject.every_kind_of_response());
    let (problems, seen) = check_all(subject.spec(), &captured);
    assert_conforms(subject, problems, &seen);
}

with_every_subject!(one_test_each every_simulation_response_matches_its_spec_schema);

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

    use crate::common::*;
    use crate::subjects::percent_encode;

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

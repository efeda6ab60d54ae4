//! `limit` (ListenBrainz's `count`), against the single statement of its documented bounds
//! and defaults (`conformance::bounds`), for every documented operation: the spec, the
//! client and the simulation must each agree with that table, so that any of them edited by
//! mistake fails.
//!
//! - A limit outside the bounds is refused by the client with a typed error
//!   (`Error::LimitOutOfRange`) before anything is sent; the spec's schema refuses it too,
//!   and so does the simulation (`400`) when a plain HTTP client sends it anyway (except
//!   ListenBrainz, which serves a `count` above the maximum as the maximum and `0` as an
//!   empty page, as its server does).
//! - A limit inside the bounds is sent verbatim, accepted by the spec's schema, and honoured
//!   by the simulation.
//! - No limit sends none, and the documented default applies (ListenBrainz's client always
//!   sends a `count`: the maximum, the fewest requests).

use crate::common;

use amazon_music_web_api::{
    AmazonMusicClient, EntitiesLimit, MyEntitiesQuery, TracksLimit, TracksQuery, UserEntitiesQuery,
    UserId,
};
use client_support::DocumentedError;
use common::*;
use listenbrainz_api::{Count, ListenBrainzClient, ListensQuery};
use music_history_sandbox::RecordedRequest;
use music_history_sandbox::amazon::{AmazonMusicSimulation, AmazonMusicUser};
use music_history_sandbox::listenbrainz::ListenBrainzSimulation;
use music_history_sandbox::spotify::SpotifySimulation;
use proptest::prelude::*;
use serde_json::json;
use spotify_web_api::{RecentlyPlayed, RecentlyPlayedQuery, RetryPolicy, SpotifyClient};

/// Every operation of the bounds table that takes a `limit`, by `operationId`: a row added
/// there is covered here (and fails until [`Service::call`] knows how to call it).
fn operations() -> Vec<&'static str> {
    conformance::bounds::OPERATIONS
        .iter()
        .filter(|row| row.limit.is_some())
        .map(|row| row.operation_id)
        .collect()
}

/// The documented page size of a row [`operations`] lists.
fn limit_of(row: &conformance::bounds::Documented) -> conformance::bounds::Limit {
    row.limit
        .unwrap_or_else(|| panic!("{} takes no limit", row.operation_id))
}

/// The other user of the Amazon simulations here.
const OTHER: &str = "listener-2";

/// A simulation serving `n` plays to every operation, and a client of it.
enum Service {
    Spotify(SpotifySimulation, SpotifyClient),
    Amazon(AmazonMusicSimulation, AmazonMusicClient),
    ListenBrainz(ListenBrainzSimulation, ListenBrainzClient),
}

impl Service {
    async fn start(operation_id: &str, n: usize) -> Self {
        let times: Vec<i64> = (0..n as i64).map(|i| NEWEST_MS - 1000 * i).collect();
        match documented(operation_id).api {
            "spotify-web-api" => {
                let sim = spotify_simulation(&times).await;
                let client = spotify_client(&sim, RetryPolicy::none());
                return Self::Spotify(sim, client);
            }
            "listenbrainz-api" => {
                let seconds: Vec<i64> = times.iter().map(|ms| ms / 1000).collect();
                let sim = listenbrainz_simulation(&seconds).await;
                let client = listenbrainz_client(&sim, RetryPolicy::none());
                return Self::ListenBrainz(sim, client);
            }
            _ => {}
        }
        let entities: Vec<EntitySpec> = times
            .iter()
            .map(|&at| EntitySpec {
                at,
                kind: Kind::Known(amazon_music_web_api::types::EntityType::Album),
            })
            .collect();
        let mut other = AmazonMusicUser::new(OTHER, None);
        other.entities = entity_plays(OTHER, &entities);
        let sim = amazon_simulation(&times, &entities, vec![other]).await;
        let client = amazon_client(&sim, RetryPolicy::none());
        Self::Amazon(sim, client)
    }

    fn requests(&self) -> Vec<RecordedRequest> {
        match self {
            Self::Spotify(sim, _) => sim.requests(),
            Self::Amazon(sim, _) => sim.requests(),
            Self::ListenBrainz(sim, _) => sim.requests(),
        }
    }

    fn base_url(&self) -> &str {
        match self {
            Self::Spotify(sim, _) => sim.base_url(),
            Self::Amazon(sim, _) => sim.base_url(),
            Self::ListenBrainz(sim, _) => sim.base_url(),
        }
    }

    /// The page size the client sends when given none: none, except ListenBrainz's, which
    /// sends the documented maximum.
    fn sends_without_a_limit(&self, row: &conformance::bounds::Documented) -> Option<u64> {
        match self {
            Self::ListenBrainz(..) => Some(limit_of(row).max),
            Self::Spotify(..) | Self::Amazon(..) => None,
        }
    }

    /// The status the simulation answers a plain request with this page size outside the
    /// documented bounds: `400`, except ListenBrainz's, which reads any `count` from 0
    /// (above the maximum as the maximum) and refuses a negative one, as its server does.
    fn refuses_outside_with(&self, value: i64) -> u16 {
        match self {
            Self::ListenBrainz(..) if value >= 0 => 200,
            _ => 400,
        }
    }

    /// One request of `operation_id` through the client, `limit` (if any) made into the
    /// client's own limit type as a caller would.
    async fn call(&self, operation_id: &str, limit: Option<i64>) -> Outcome {
        match (self, operation_id) {
            (Self::Spotify(_, client), "get_recently_played") => {
                let mut query = RecentlyPlayedQuery::new();
                if let Some(value) = limit {
                    match spotify_web_api::Limit::try_from(value) {
                        Ok(limit) => query = query.limit(limit),
                        Err(refused) => {
                            return Outcome::refused(spotify_web_api::Error::from(refused));
                        }
                    }
                }
                match client.fetch(&query).await {
                    Ok(RecentlyPlayed::Page(page)) => Outcome::Page(page.items.len()),
                    Ok(RecentlyPlayed::PrivateSession) => Outcome::Failed("204 No Content".into()),
                    Err(e) => Outcome::Failed(e.to_string()),
                }
            }
            (Self::Amazon(_, client), "get_recently_played_tracks") => {
                let mut query = TracksQuery::new();
                if let Some(value) = limit {
                    match TracksLimit::try_from(value) {
                        Ok(limit) => query = query.limit(limit),
                        Err(refused) => {
                            return Outcome::refused(amazon_music_web_api::Error::from(refused));
                        }
                    }
                }
                match client.fetch(&query).await {
                    Ok(page) => Outcome::Page(page.edges().len()),
                    Err(e) => Outcome::Failed(e.to_string()),
                }
            }
            (
                Self::Amazon(_, client),
                "get_my_recently_played_entities" | "get_user_recently_played_entities",
            ) => {
                let mut query = MyEntitiesQuery::new();
                if let Some(value) = limit {
                    match EntitiesLimit::try_from(value) {
                        Ok(limit) => query = query.limit(limit),
                        Err(refused) => {
                            return Outcome::refused(amazon_music_web_api::Error::from(refused));
                        }
                    }
                }
                let page = if operation_id == "get_my_recently_played_entities" {
                    client.fetch(&query).await
                } else {
                    client.fetch(&for_user(OTHER, query)).await
                };
                match page {
                    Ok(page) => Outcome::Page(page.edges().len()),
                    Err(e) => Outcome::Failed(e.to_string()),
                }
            }
            (Self::ListenBrainz(_, client), "get_listens") => {
                let mut query = ListensQuery::new(listenbrainz_user());
                if let Some(value) = limit {
                    // `Count` is built from a `u32`, as its `limit` type's caller has one;
                    // the properties draw no value outside it for ListenBrainz.
                    let value = u32::try_from(value).expect("a count that fits in u32");
                    match Count::new(value) {
                        Ok(count) => query = query.count(count),
                        Err(refused) => {
                            return Outcome::refused(listenbrainz_api::Error::from(refused));
                        }
                    }
                }
                match client.fetch(&query).await {
                    Ok(payload) => Outcome::Page(payload.listens.len()),
                    Err(e) => Outcome::Failed(e.to_string()),
                }
            }
            _ => panic!(
                "limits.rs does not know how to call {operation_id}: add it to `Service::call`"
            ),
        }
    }

    /// The status the simulation answers a plain request of `operation_id` with
    /// `<limit>=value`.
    async fn status_of_plain_request(&self, operation_id: &str, value: i64) -> u16 {
        // The path as the spec writes it; the one path parameter is a user ID (a name).
        let path = spec_of(operation_id)
            .spec()
            .operation(operation_id)
            .unwrap_or_else(|e| panic!("{e}"))
            .path()
            .replace("{id}", OTHER)
            .replace(
                "{user_name}",
                music_history_sandbox::listenbrainz::DEFAULT_USER_NAME,
            );
        let parameter = limit_of(documented(operation_id)).parameter;
        let mut request = client_support::http::client_builder()
            .build()
            .unwrap()
            .get(format!("{}{path}?{parameter}={value}", self.base_url()));
        request = match self {
            Self::Spotify(..) => {
                request.bearer_auth(music_history_sandbox::spotify::DEFAULT_ACCESS_TOKEN)
            }
            Self::Amazon(..) => request
                .bearer_auth(music_history_sandbox::amazon::DEFAULT_ACCESS_TOKEN)
                .header("x-api-key", music_history_sandbox::amazon::DEFAULT_API_KEY),
            // Reading listens needs no token.
            Self::ListenBrainz(..) => request,
        };
        request
            .send()
            .await
            .map_or(0, |response| response.status().as_u16())
    }
}

/// What one call came to.
enum Outcome {
    /// Refused before sending: the typed error's bounds and value, and its message.
    Refused {
        min: u32,
        max: u32,
        value: i64,
        message: String,
    },
    /// Some other error, or not the error expected.
    Failed(String),
    /// A page with this many items.
    Page(usize),
}

impl Outcome {
    /// What a client's error says of a refused limit: `Error::LimitOutOfRange` and its
    /// bounds, or anything else as a failure.
    fn refused<B: DocumentedError>(error: client_support::Error<B>) -> Self {
        match &error {
            client_support::Error::LimitOutOfRange(refused) => Self::Refused {
                min: refused.min,
                max: refused.max,
                value: refused.value,
                message: error.to_string(),
            },
            other => Self::Failed(format!("not Error::LimitOutOfRange: {other}")),
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Refused {
                min,
                max,
                value,
                message,
            } => {
                write!(
                    f,
                    "LimitOutOfRange {{ min: {min}, max: {max}, value: {value} }} ({message})"
                )
            }
            Self::Failed(why) => write!(f, "an error: {why}"),
            Self::Page(items) => write!(f, "a page of {items} plays"),
        }
    }
}

/// An operation and a limit outside its documented bounds: just below or above them, or far
/// out (negative, beyond `u32`). ListenBrainz's `Count` is made from a `u32` only (it has
/// no `TryFrom<i64>` as the other clients' limits have), so its values stay in `u32`.
fn operations_and_limits_outside() -> impl Strategy<Value = (&'static str, i64)> {
    proptest::sample::select(operations()).prop_flat_map(|operation_id| {
        let limit = limit_of(documented(operation_id));
        let (min, max) = (limit.min as i64, limit.max as i64);
        let outside = prop_oneof![
            Just(min - 1),
            Just(max + 1),
            Just(0i64),
            Just(i64::from(u32::MAX)),
            (max + 1)..=i64::from(u32::MAX) + 1,
            i64::MIN..min,
        ];
        let in_u32 = documented(operation_id).api == "listenbrainz-api";
        let outside = outside.prop_filter("a count that fits in u32", move |value| {
            !in_u32 || u32::try_from(*value).is_ok()
        });
        (Just(operation_id), outside)
    })
}

/// An operation, a limit inside its documented bounds (the bounds themselves often), and a
/// number of plays.
fn operations_and_limits_inside() -> impl Strategy<Value = (&'static str, i64, usize)> {
    proptest::sample::select(operations()).prop_flat_map(|operation_id| {
        let limit = limit_of(documented(operation_id));
        let (min, max) = (limit.min as i64, limit.max as i64);
        let inside = prop_oneof![Just(min), Just(max), min..=max];
        (Just(operation_id), inside, 0..=MAX_PLAYS)
    })
}

fn spec_of(operation_id: &str) -> &'static conformance::responses::SpecResponses {
    match documented(operation_id).api {
        "spotify-web-api" => spotify_spec(),
        "amazon-music-web-api" => amazon_spec(),
        "listenbrainz-api" => listenbrainz_spec(),
        other => panic!("limits.rs has no simulation of {other}"),
    }
}

proptest! {
    #![proptest_config(config())]

    /// A limit outside the documented bounds is refused by the client with
    /// `Error::LimitOutOfRange` naming the documented bounds, and nothing is sent; the spec's
    /// schema refuses it, and the simulation answers it with `400`.
    #[test]
    fn a_limit_outside_the_documented_bounds_is_refused_with_a_typed_error_and_no_request(
        (operation_id, value) in operations_and_limits_outside(),
    ) {
        let row = documented(operation_id);
        let promised = "any limit outside the documented bounds is refused with a typed error and zero requests";
        block_on(async {
            let service = Service::start(operation_id, 3).await;
            let outcome = service.call(operation_id, Some(value)).await;
            let sent = service.requests().len();
            let refused_as_documented = matches!(
                &outcome,
                Outcome::Refused { min, max, value: refused, message }
                    if u64::from(*min) == limit_of(row).min
                        && u64::from(*max) == limit_of(row).max
                        && *refused == value
                        && message.starts_with("request not sent")
            );
            promise(refused_as_documented && sent == 0, promised, || {
                format!(
                    "{operation_id} limit={value} ({} document {}..={}): the client gave {outcome} and sent {sent} requests",
                    row.source, limit_of(row).min, limit_of(row).max
                )
            })?;
            let spec = spec_of(operation_id);
            let parameter = limit_of(row).parameter;
            let accepted = spec.parameter_accepts(operation_id, parameter, "query", &json!(value))
                .unwrap_or_else(|e| panic!("{e}"));
            promise(!accepted, promised, || {
                format!(
                    "{}: {operation_id} `{parameter}` schema accepts {value}, outside the {}..={} {} document",
                    spec.spec().file(), limit_of(row).min, limit_of(row).max, row.source
                )
            })?;
            let status = service.status_of_plain_request(operation_id, value).await;
            let expected = service.refuses_outside_with(value);
            promise(status == expected, promised, || {
                format!(
                    "the simulation answered {operation_id} {parameter}={value} with {status}, not {expected} ({} document {}..={})",
                    row.source, limit_of(row).min, limit_of(row).max
                )
            })
        })?;
    }

    /// A limit inside the documented bounds is sent verbatim (`limit=<value>`, once), the
    /// spec's schema accepts it, and the simulation returns `min(n, limit)` plays.
    #[test]
    fn a_limit_inside_the_documented_bounds_is_sent_verbatim(
        (operation_id, value, n) in operations_and_limits_inside(),
    ) {
        let row = documented(operation_id);
        let promised = "any limit inside the documented bounds is accepted by the spec, the client and the simulation, and sent verbatim";
        let spec = spec_of(operation_id);
        let parameter = limit_of(row).parameter;
        let accepted = spec.parameter_accepts(operation_id, parameter, "query", &json!(value))
            .unwrap_or_else(|e| panic!("{e}"));
        promise(accepted, promised, || {
            format!(
                "{}: {operation_id} `{parameter}` schema refuses {value}, which {} allow ({}..={})",
                spec.spec().file(), row.source, limit_of(row).min, limit_of(row).max
            )
        })?;
        block_on(async {
            let service = Service::start(operation_id, n).await;
            let outcome = service.call(operation_id, Some(value)).await;
            let requests = service.requests();
            let sent: Vec<Vec<&str>> = requests.iter().map(|r| r.query_values(parameter)).collect();
            let verbatim = value.to_string();
            promise(sent == [vec![verbatim.as_str()]], promised, || {
                format!("{operation_id} {parameter}={value}: the requests carried {parameter} {sent:?}")
            })?;
            let expected = n.min(value as usize);
            promise(matches!(outcome, Outcome::Page(items) if items == expected), promised, || {
                format!(
                    "{operation_id} limit={value} over {n} plays: {outcome}, expected a page of {expected} \
                     ({} document {}..={})",
                    row.source, limit_of(row).min, limit_of(row).max
                )
            })
        })?;
    }

    /// Without a limit, no `limit` is sent and the page holds `min(n, default)` plays, the
    /// default being the documented one. (ListenBrainz's client sends `count=<maximum>`
    /// instead, and the page holds `min(n, maximum)`.)
    #[test]
    fn no_limit_sends_none_and_the_documented_default_applies(
        operation_id in proptest::sample::select(operations()),
        n in 0..=MAX_PLAYS,
    ) {
        let row = documented(operation_id);
        let promised = "no limit sends none, and the documented default applies";
        let parameter = limit_of(row).parameter;
        block_on(async {
            let service = Service::start(operation_id, n).await;
            let outcome = service.call(operation_id, None).await;
            let requests = service.requests();
            let sent: Vec<Vec<&str>> = requests.iter().map(|r| r.query_values(parameter)).collect();
            let sends = service.sends_without_a_limit(row);
            let expected_sent = sends.map(|max| max.to_string());
            let expected_sent: Vec<&str> = expected_sent.iter().map(String::as_str).collect();
            promise(sent == [expected_sent.clone()], promised, || {
                format!("{operation_id} without a limit: the requests carried {parameter} {sent:?}, expected {expected_sent:?}")
            })?;
            let expected = n.min(sends.unwrap_or(limit_of(row).default) as usize);
            promise(matches!(outcome, Outcome::Page(items) if items == expected), promised, || {
                format!(
                    "{operation_id} without a limit over {n} plays: {outcome}, expected a page of {expected} \
                     ({} document a default of {})",
                    row.source, limit_of(row).default
                )
            })
        })?;
    }

    /// A walk without a page size: Spotify's sends `limit=<documented maximum>` on every
    /// request (the client documents pages of 50, the fewest requests), and so does
    /// ListenBrainz's (`count=1000`); Amazon's send none, so pages have the documented
    /// default size and the walk costs `max(1, ceil(n / default))` requests.
    #[test]
    fn a_walk_without_a_limit_uses_the_documented_page_size(
        operation_id in proptest::sample::select(operations()),
        n in 0..=MAX_PLAYS,
    ) {
        let row = documented(operation_id);
        let promised = "a walk without a limit uses the documented page size";
        block_on(async {
            let service = Service::start(operation_id, n).await;
            let (walked, page_size, sends) = match &service {
                Service::Spotify(_, client) => {
                    let walked = read_walk(&mut client.history(RecentlyPlayedQuery::new()), n + 10).await;
                    let max = limit_of(row).max.to_string();
                    (walked.error.map(|e| e.to_string()).or(walked.cut_short.map(|cut| cut.to_string())),
                     limit_of(row).max, vec![max])
                }
                Service::Amazon(_, client) => {
                    let walked = match operation_id {
                        "get_recently_played_tracks" => {
                            let w = read_walk(&mut client.history(TracksQuery::new()), n + 10).await;
                            w.error.map(|e| e.to_string()).or(w.cut_short.map(|cut| cut.to_string()))
                        }
                        "get_my_recently_played_entities" => {
                            let w = read_walk(&mut client.history(MyEntitiesQuery::new()), n + 10).await;
                            w.error.map(|e| e.to_string()).or(w.cut_short.map(|cut| cut.to_string()))
                        }
                        _ => {
                            let w = read_walk(&mut client.history(UserEntitiesQuery::new(UserId::new(OTHER).unwrap())), n + 10).await;
                            w.error.map(|e| e.to_string()).or(w.cut_short.map(|cut| cut.to_string()))
                        }
                    };
                    (walked, limit_of(row).default, Vec::new())
                }
                Service::ListenBrainz(_, client) => {
                    let walked = read_walk(&mut client.history(ListensQuery::new(listenbrainz_user())), n + 10).await;
                    let max = limit_of(row).max.to_string();
                    (walked.error.map(|e| e.to_string()).or(walked.cut_short.map(|cut| cut.to_string())),
                     limit_of(row).max, vec![max])
                }
            };
            promise(walked.is_none(), promised, || format!("{operation_id}: the walk failed: {walked:?}"))?;
            let requests = service.requests();
            let parameter = limit_of(row).parameter;
            let wrong: Vec<Vec<&str>> = requests
                .iter()
                .map(|r| r.query_values(parameter))
                .filter(|sent| *sent != sends.iter().map(String::as_str).collect::<Vec<_>>())
                .collect();
            promise(wrong.is_empty(), promised, || {
                format!("{operation_id}: a walk without a limit sent {parameter} {wrong:?}, expected {sends:?} on every request")
            })?;
            let expected = minimal_requests(n, page_size as u32);
            promise(requests.len() == expected, promised, || {
                format!(
                    "{operation_id}: {n} plays at pages of {page_size}: {} requests, expected {expected}",
                    requests.len()
                )
            })
        })?;
    }
}

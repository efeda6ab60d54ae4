//! No response the server can send makes a client panic (or hang): whatever the status,
//! `Content-Type` and body — random bytes, documented examples (read from the specs)
//! truncated or with a part replaced by a wrong type, a huge number or deep nesting, deep
//! nesting alone — every call and every walk returns a value or an error.
//!
//! The body is served by the sandbox's `Fault::Body`, in place of the first page or of a
//! later page of a walk.

use crate::common;

use std::fmt;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use amazon_music_web_api::{EntityTypes, MyEntitiesQuery, TracksQuery, UserEntitiesQuery, UserId};
use common::*;
use conformance::spec::Spec;
use futures_util::FutureExt;
use listenbrainz_api::{Count, ListenCountQuery, ListensQuery, ValidateTokenQuery};
use music_history_sandbox::Fault;
use music_history_sandbox::amazon::AmazonMusicUser;
use proptest::prelude::*;
use serde_json::Value;
use spotify_web_api::{Limit, RecentlyPlayedQuery, RetryPolicy, TimeWindow, UnixMillis};

/// What is called: one request of an operation, or a walk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Call {
    SpotifyPage,
    SpotifyWalkBack,
    SpotifyWalkForward,
    TracksPage,
    TracksWalk,
    MyEntitiesPage,
    MyEntitiesWalk,
    UserEntitiesPage,
    UserEntitiesWalk,
    ListensPage,
    ListensWalk,
    ListenCount,
    ValidateToken,
}

const CALLS: [Call; 13] = [
    Call::SpotifyPage,
    Call::SpotifyWalkBack,
    Call::SpotifyWalkForward,
    Call::TracksPage,
    Call::TracksWalk,
    Call::MyEntitiesPage,
    Call::MyEntitiesWalk,
    Call::UserEntitiesPage,
    Call::UserEntitiesWalk,
    Call::ListensPage,
    Call::ListensWalk,
    Call::ListenCount,
    Call::ValidateToken,
];

impl Call {
    fn is_walk(self) -> bool {
        matches!(
            self,
            Self::SpotifyWalkBack
                | Self::SpotifyWalkForward
                | Self::TracksWalk
                | Self::MyEntitiesWalk
                | Self::UserEntitiesWalk
                | Self::ListensWalk
        )
    }
}

/// A response no documentation promises.
#[derive(Clone)]
struct Hostile {
    status: u16,
    content_type: Option<&'static str>,
    /// How the body was made, for the failure message.
    made: String,
    body: Vec<u8>,
}

impl fmt::Debug for Hostile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = String::from_utf8_lossy(&self.body);
        let excerpt: String = text.chars().take(300).collect();
        write!(
            f,
            "{} {:?}, {} ({} bytes): {excerpt:?}{}",
            self.status,
            self.content_type,
            self.made,
            self.body.len(),
            if text.chars().count() > 300 {
                "…"
            } else {
                ""
            }
        )
    }
}

/// Every documented example of every spec, as JSON values.
fn documented_examples() -> Vec<Value> {
    Spec::all()
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .flat_map(|spec| spec.examples().unwrap_or_else(|e| panic!("{e}")))
        .map(|example| example.value)
        .collect()
}

/// `[[[…]]]` or `{"a":{"a":…}}`, `depth` deep.
fn nested(depth: usize, objects: bool) -> String {
    if objects {
        format!("{}null{}", r#"{"a":"#.repeat(depth), "}".repeat(depth))
    } else {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth))
    }
}

/// JSON text that no field expects: wrong types, huge and tiny numbers, bad strings, and
/// deep nesting.
fn nasty_values() -> Vec<String> {
    let mut nasties: Vec<String> = [
        "null",
        "true",
        "false",
        "0",
        "-1",
        "1.5",
        "-0",
        "\"\"",
        "\"text\"",
        "[]",
        "{}",
        "[null]",
        "[1, \"a\", {}]",
        r#"{"_type": 7}"#,
        r#"{"_type": "Album"}"#,
        "1e999",
        "-1e999",
        "1e-400",
        "18446744073709551616",
        "-9223372036854775809",
        "9223372036854775807",
        "\"\\ud800\"",
        "\"\\u0000\"",
        "\"2016-13-45T99:99:99Z\"",
        "\"not a date\"",
        "\"9999999999999\"",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    nasties.push("9".repeat(400));
    nasties.push(format!("0.{}1", "0".repeat(400)));
    for depth in [127, 128, 129, 5000] {
        nasties.push(nested(depth, false));
        nasties.push(nested(depth, true));
    }
    nasties
}

/// `value` with the part that `path` leads to (each index chooses among the children of
/// the part reached so far) replaced by `nasty`, serialised.
fn replace_part(value: &Value, path: &[prop::sample::Index], nasty: &str) -> String {
    const MARK: &str = "\u{0}hostile\u{0}";
    // The JSON pointer of the part first, then the replacement.
    let mut pointer = String::new();
    let mut part = value;
    for index in path {
        let (key, next) = match part {
            Value::Array(items) if !items.is_empty() => {
                let at = index.index(items.len());
                (at.to_string(), &items[at])
            }
            Value::Object(fields) if !fields.is_empty() => {
                let (key, next) = fields
                    .iter()
                    .nth(index.index(fields.len()))
                    .expect("an index below the length");
                (key.replace('~', "~0").replace('/', "~1"), next)
            }
            _ => break,
        };
        pointer.push('/');
        pointer.push_str(&key);
        part = next;
    }
    let mut value = value.clone();
    *value
        .pointer_mut(&pointer)
        .expect("the pointer was just walked") = Value::String(MARK.to_string());
    let text = serde_json::to_string(&value).expect("a Value serialises");
    let mark = serde_json::to_string(MARK).expect("a string serialises");
    text.replacen(&mark, nasty, 1)
}

fn hostile_responses() -> impl Strategy<Value = Hostile> {
    let examples = documented_examples();
    let bodies = prop_oneof![
        2 => proptest::collection::vec(any::<u8>(), 0..600)
            .prop_map(|body| ("random bytes".to_string(), body)),
        3 => (proptest::sample::select(examples.clone()), any::<prop::sample::Index>())
            .prop_map(|(example, cut)| {
                let text = serde_json::to_vec(&example).expect("a Value serialises");
                let cut = cut.index(text.len().max(1));
                (format!("a documented example cut after {cut} bytes"), text[..cut.min(text.len())].to_vec())
            }),
        4 => (
            proptest::sample::select(examples),
            proptest::collection::vec(any::<prop::sample::Index>(), 0..10),
            proptest::sample::select(nasty_values()),
        )
            .prop_map(|(example, path, nasty)| {
                ("a documented example with a part replaced".to_string(), replace_part(&example, &path, &nasty).into_bytes())
            }),
        1 => proptest::sample::select(nasty_values())
            .prop_map(|nasty| ("a lone value".to_string(), nasty.into_bytes())),
    ];
    let statuses = prop_oneof![
        6 => Just(200u16),
        1 => proptest::sample::select(vec![
            100u16, 101, 103, 199, 201, 204, 206, 299, 301, 302, 304, 400, 401, 403, 404, 418, 429,
            500, 503, 599, 600, 999,
        ]),
    ];
    let content_types = proptest::sample::select(vec![
        Some("application/json"),
        Some("application/json; charset=utf-8"),
        Some("text/html"),
        Some("application/octet-stream"),
        None,
    ]);
    (statuses, content_types, bodies).prop_map(|(status, content_type, (made, body))| Hostile {
        status,
        content_type,
        made,
        body,
    })
}

/// What a call came to: how many items it yielded, and whether it ended with an error.
struct Outcome {
    items: usize,
    error: Option<String>,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.error {
            None => write!(f, "{} items and no error", self.items),
            Some(error) => write!(f, "{} items, then the error `{error}`", self.items),
        }
    }
}

fn outcome<T, E: ToString>(result: Result<T, E>, items: impl FnOnce(&T) -> usize) -> Outcome {
    match result {
        Ok(value) => Outcome {
            items: items(&value),
            error: None,
        },
        Err(e) => Outcome {
            items: 0,
            error: Some(e.to_string()),
        },
    }
}

fn walked<T, E: ToString>(walked: Walked<T, E>) -> Outcome {
    Outcome {
        items: walked.items.len(),
        error: walked.error.map(|e| e.to_string()),
    }
}

/// Three plays a second apart, for every operation; a walk reads them one per page, so a
/// "late" hostile body replaces the second page.
const PLAYS: [i64; 3] = [NEWEST_MS, NEWEST_MS - 1000, NEWEST_MS - 2000];
const OTHER: &str = "listener-2";

/// Makes `call` with `hostile` served in place of the first response, or (`late`, walks
/// only) of the second.
async fn call_with(call: Call, hostile: &Hostile, late: bool) -> Outcome {
    let fault = Fault::Body {
        status: hostile.status,
        body: hostile.body.clone(),
        content_type: hostile.content_type.map(str::to_string),
    };
    let late = late && call.is_walk();
    let cap = 50;
    match call {
        Call::SpotifyPage | Call::SpotifyWalkBack | Call::SpotifyWalkForward => {
            let sim = spotify_simulation(&PLAYS).await;
            let client = spotify_client(&sim, RetryPolicy::none());
            if !late {
                sim.inject(fault.clone());
            }
            let one = Limit::new(1).unwrap();
            match call {
                Call::SpotifyPage => {
                    outcome(client.fetch(&RecentlyPlayedQuery::new()).await, |page| {
                        page.clone().into_page().map_or(0, |p| p.items.len())
                    })
                }
                _ => {
                    let window = if call == Call::SpotifyWalkBack {
                        TimeWindow::Latest
                    } else {
                        TimeWindow::After(UnixMillis::new(NEWEST_MS - 10_000))
                    };
                    let mut history =
                        client.history(RecentlyPlayedQuery::in_window(window).limit(one));
                    let mut first = read_first(&mut history, 1).await;
                    if late {
                        sim.inject(fault);
                    }
                    let rest = read_walk(&mut history, cap).await;
                    first.items.extend(rest.items);
                    first.error = first.error.or(rest.error);
                    walked(first)
                }
            }
        }
        Call::ListensPage | Call::ListensWalk | Call::ListenCount | Call::ValidateToken => {
            let seconds: Vec<i64> = PLAYS.iter().map(|ms| ms / 1000).collect();
            let sim = listenbrainz_simulation(&seconds).await;
            let client = listenbrainz_client(&sim, RetryPolicy::none());
            if !late {
                sim.inject(fault.clone());
            }
            let query = ListensQuery::new(listenbrainz_user());
            match call {
                Call::ListensPage => outcome(client.fetch(&query).await, |page| page.listens.len()),
                Call::ListenCount => {
                    let count = ListenCountQuery::new(listenbrainz_user());
                    outcome(client.fetch(&count).await, |_| 1)
                }
                Call::ValidateToken => outcome(client.fetch(&ValidateTokenQuery).await, |_| 1),
                _ => {
                    // Two a page (one, the smallest, cannot be paged past: the newest second
                    // of a full page is asked for again), so a walk reads one listen a page.
                    let mut history = client.history(query.count(Count::new(2).unwrap()));
                    let mut first = read_first(&mut history, 1).await;
                    if late {
                        sim.inject(fault);
                    }
                    let rest = read_walk(&mut history, cap).await;
                    first.items.extend(rest.items);
                    first.error = first.error.or(rest.error);
                    walked(first)
                }
            }
        }
        _ => {
            let entities: Vec<EntitySpec> = PLAYS
                .iter()
                .map(|&at| EntitySpec {
                    at,
                    kind: Kind::Known(ENTITY_TYPES[0]),
                })
                .collect();
            let mut other = AmazonMusicUser::new(OTHER, None);
            other.entities = entity_plays(OTHER, &entities);
            let sim = amazon_simulation(&PLAYS, &entities, vec![other]).await;
            let client = amazon_client(&sim, RetryPolicy::none());
            if !late {
                sim.inject(fault.clone());
            }
            let one_track = amazon_music_web_api::TracksLimit::new(1).ok();
            let one_entity = amazon_music_web_api::EntitiesLimit::new(1).ok();
            let all = EntityTypes::new();
            macro_rules! walk_late {
                ($history:expr) => {{
                    let mut history = $history;
                    let mut first = read_first(&mut history, 1).await;
                    if late {
                        sim.inject(fault);
                    }
                    let rest = read_walk(&mut history, cap).await;
                    first.items.extend(rest.items);
                    first.error = first.error.or(rest.error);
                    walked(first)
                }};
            }
            match call {
                Call::TracksPage => outcome(client.fetch(&TracksQuery::new()).await, |page| {
                    page.edges().len()
                }),
                Call::MyEntitiesPage => {
                    outcome(client.fetch(&MyEntitiesQuery::new()).await, |page| {
                        page.edges().len()
                    })
                }
                Call::UserEntitiesPage => outcome(
                    client.fetch(&for_user(OTHER, MyEntitiesQuery::new())).await,
                    |page| page.edges().len(),
                ),
                Call::TracksWalk => {
                    walk_late!(client.history(TracksQuery {
                        limit: one_track,
                        ..TracksQuery::new()
                    }))
                }
                Call::MyEntitiesWalk => {
                    walk_late!(client.history(MyEntitiesQuery {
                        limit: one_entity,
                        ..MyEntitiesQuery::new().entity_types(all.clone())
                    }))
                }
                _ => {
                    walk_late!(
                        client.history(UserEntitiesQuery {
                            limit: one_entity,
                            ..UserEntitiesQuery::new(UserId::new(OTHER).unwrap())
                                .entity_types(all.clone())
                        })
                    )
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// Whatever the server sends, every call and walk returns a value or an error, without
    /// panicking and in bounded time; a `200` whose body is not JSON is an error, never a page.
    #[test]
    fn no_body_the_server_can_send_makes_the_client_panic(
        call in proptest::sample::select(CALLS.to_vec()),
        hostile in hostile_responses(),
        late in any::<bool>(),
    ) {
        let promised = "no body the server can send makes the client panic: it returns an error or a value";
        let result = block_on(async {
            let call = AssertUnwindSafe(call_with(call, &hostile, late)).catch_unwind();
            tokio::time::timeout(Duration::from_secs(20), call).await
        });
        let outcome = match result {
            Err(_) => {
                return Err(TestCaseError::fail(format!(
                    "promise broken: {promised}\n{call:?} (late: {late}) did not return within 20 s"
                )));
            }
            Ok(Err(panic)) => {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                return Err(TestCaseError::fail(format!(
                    "promise broken: {promised}\n{call:?} (late: {late}) panicked: {message}"
                )));
            }
            Ok(Ok(outcome)) => outcome,
        };
        // Syntax only: `1e999` is JSON, though no `f64` holds it.
        let not_json = serde_json::from_slice::<serde::de::IgnoredAny>(&hostile.body).is_err();
        promise(!(hostile.status == 200 && not_json && outcome.error.is_none()), promised, || {
            format!("{call:?} (late: {late}) took a 200 whose body is not JSON as a success: {outcome}")
        })?;
    }
}

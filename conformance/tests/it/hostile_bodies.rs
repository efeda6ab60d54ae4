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

use client_support::RetryPolicy;
use common::*;
use conformance::spec::Spec;
use futures_util::FutureExt;
use music_history_sandbox::Fault;
use proptest::prelude::*;
use serde_json::Value;

use crate::subjects::{ALL, Connection, Failure, Subject, Window};

/// How an operation is called.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum How {
    /// One request, without a page size.
    Request,
    /// A walk from where its query starts by default, one play a page.
    Walk,
    /// A walk forward in time from before the oldest play, one play a page.
    WalkForward,
}

/// What is called: one request of an operation of a service, or a walk.
#[derive(Clone, Copy)]
struct Call {
    /// The service called.
    subject: &'static dyn Subject,
    /// Its operation.
    operation_id: &'static str,
    /// How.
    how: How,
}

impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} ({:?})",
            self.subject.name(),
            self.operation_id,
            self.how
        )
    }
}

/// Every call of every service: one request of each operation, and every walk of each
/// history operation its service can make.
fn calls() -> Vec<Call> {
    let mut calls = Vec::new();
    for &subject in ALL {
        let call = |operation_id, how| Call {
            subject,
            operation_id,
            how,
        };
        calls.extend(
            subject
                .operations()
                .into_iter()
                .map(|id| call(id, How::Request)),
        );
        for operation_id in subject.history_operations() {
            calls.push(call(operation_id, How::Walk));
            if subject.walks_forward() {
                calls.push(call(operation_id, How::WalkForward));
            }
        }
    }
    calls
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

/// What one request came to.
fn outcome(result: Result<usize, Failure>) -> Outcome {
    match result {
        Ok(items) => Outcome { items, error: None },
        Err(e) => Outcome {
            items: 0,
            error: Some(e.to_string()),
        },
    }
}

/// What a walk came to.
fn walked<T, E: ToString>(walked: Walked<T, E>) -> Outcome {
    Outcome {
        items: walked.items.len(),
        error: walked.error.map(|e| e.to_string()),
    }
}

/// Three plays a second apart, for every operation; a walk reads them one per page, so a
/// "late" hostile body replaces the second page.
const PLAYS: [i64; 3] = [NEWEST_MS, NEWEST_MS - 1000, NEWEST_MS - 2000];

/// Makes `call` with `hostile` served in place of the first response, or (`late`, walks
/// only) of the second.
async fn call_with(call: Call, hostile: &Hostile, late: bool) -> Outcome {
    let fault = Fault::Body {
        status: hostile.status,
        body: hostile.body.clone(),
        content_type: hostile.content_type.map(str::to_string),
    };
    let late = late && call.how != How::Request;
    let cap = 50;
    let sim = call.subject.simulate(&PLAYS).await;
    let client = call
        .subject
        .client(sim.base_url(), Connection::simulated(RetryPolicy::none()));
    if !late {
        sim.inject(fault.clone());
    }
    let window = match call.how {
        How::Request => return outcome(client.fetch(call.operation_id, None).await),
        How::Walk => None,
        How::WalkForward => Some(Window::After(NEWEST_MS - 10_000)),
    };
    let page = Some(call.subject.smallest_page());
    let mut history = client.walk(call.operation_id, page, window);
    let mut first = read_first(&mut history, 1).await;
    if late {
        sim.inject(fault);
    }
    let rest = read_walk(&mut history, cap).await;
    first.items.extend(rest.items);
    first.error = first.error.or(rest.error);
    walked(first)
}

proptest! {
    #![proptest_config(config())]

    /// Whatever the server sends, every call and walk returns a value or an error, without
    /// panicking and in bounded time; a `200` whose body is not JSON is an error, never a page.
    #[test]
    fn no_body_the_server_can_send_makes_the_client_panic(
        call in proptest::sample::select(calls()),
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

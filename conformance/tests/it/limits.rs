//! `limit` (or whatever a service names its page size), against the single statement of its documented bounds
//! and defaults (`conformance::bounds`), for every documented operation: the spec, the
//! client and the simulation must each agree with that table, so that any of them edited by
//! mistake fails.
//!
//! - A limit outside the bounds is refused by the client with a typed error
//!   (`Error::LimitOutOfRange`) before anything is sent; the spec's schema refuses it too,
//!   and so does the simulation (`400`) when a plain HTTP client sends it anyway (unless
//!   its service reads such a page size otherwise, as its subject says).
//! - A limit inside the bounds is sent verbatim, accepted by the spec's schema, and honoured
//!   by the simulation.
//! - No limit sends none, and the documented default applies (unless its subject says the
//!   client always sends the maximum, the fewest requests).

use crate::common;
use crate::subjects::{self, Client, Connection, Failure, Simulation, Subject};

use client_support::RetryPolicy;
use common::*;
use proptest::prelude::*;
use serde_json::json;

/// Every operation of the bounds table that takes a `limit`, by `operationId`: a row added
/// there is covered here (and fails until its subject's [`Client::fetch`] knows how to call
/// it).
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

/// The service `operation_id` is an operation of.
fn subject_of(operation_id: &str) -> &'static dyn Subject {
    subjects::serving(documented(operation_id).api)
}

/// The simulation of an operation's service, serving `n` plays to every operation, and a
/// client of it.
struct Service {
    /// The service.
    subject: &'static dyn Subject,
    /// Its simulation.
    sim: Box<dyn Simulation>,
    /// A client of the simulation, without retries.
    client: Box<dyn Client>,
}

impl Service {
    /// The service of `operation_id`, simulated with `n` plays a second apart.
    async fn start(operation_id: &str, n: usize) -> Self {
        let times: Vec<i64> = (0..n as i64).map(|i| NEWEST_MS - 1000 * i).collect();
        let subject = subject_of(operation_id);
        let sim = subject.simulate(&times).await;
        let client = subject.client(sim.base_url(), Connection::simulated(RetryPolicy::none()));
        Self {
            subject,
            sim,
            client,
        }
    }

    /// One request of `operation_id` through the client, `limit` (if any) made into the
    /// client's own limit type as a caller would.
    async fn call(&self, operation_id: &str, limit: Option<i64>) -> Outcome {
        match self.client.fetch(operation_id, limit).await {
            Ok(items) => Outcome::Page(items),
            Err(failure) => Outcome::refused(failure),
        }
    }

    /// The status the simulation answers a plain request of `operation_id` with
    /// `<limit>=value`.
    async fn status_of_plain_request(&self, operation_id: &str, value: i64) -> u16 {
        let path = self.subject.path(operation_id);
        let parameter = limit_of(documented(operation_id)).parameter;
        let mut request = client_support::http::client_builder()
            .build()
            .unwrap()
            .get(format!("{}{path}?{parameter}={value}", self.sim.base_url()));
        for (name, value) in self.subject.credential_headers() {
            request = request.header(name, value);
        }
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
        /// The documented minimum the error names.
        min: u32,
        /// The documented maximum the error names.
        max: u32,
        /// The value refused.
        value: i64,
        /// The error's message.
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
    fn refused(failure: Failure) -> Self {
        match &failure.refused {
            Some(refused) => Self::Refused {
                min: refused.min,
                max: refused.max,
                value: refused.value,
                message: failure.message,
            },
            None => Self::Failed(format!("not Error::LimitOutOfRange: {failure}")),
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
/// out (negative, beyond `u32`); within `u32` for a client whose limit is made from a `u32`
/// only.
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
        let in_u32 = subject_of(operation_id).limit_is_a_u32();
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
            let sent = service.sim.requests().len();
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
            let spec = subject_of(operation_id).spec();
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
            let expected = service.subject.status_for_a_limit_outside(value);
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
        let spec = subject_of(operation_id).spec();
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
            let requests = service.sim.requests();
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
    /// default being the documented one. (A client whose subject says it sends the maximum
    /// sends `<limit>=<maximum>` instead, and the page holds `min(n, maximum)`.)
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
            let requests = service.sim.requests();
            let sent: Vec<Vec<&str>> = requests.iter().map(|r| r.query_values(parameter)).collect();
            let without = service.subject.fetch_without_a_limit();
            let sends = without.sent(&limit_of(row));
            let expected_sent = sends.map(|max| max.to_string());
            let expected_sent: Vec<&str> = expected_sent.iter().map(String::as_str).collect();
            promise(sent == [expected_sent.clone()], promised, || {
                format!("{operation_id} without a limit: the requests carried {parameter} {sent:?}, expected {expected_sent:?}")
            })?;
            let expected = n.min(without.served(&limit_of(row)) as usize);
            promise(matches!(outcome, Outcome::Page(items) if items == expected), promised, || {
                format!(
                    "{operation_id} without a limit over {n} plays: {outcome}, expected a page of {expected} \
                     ({} document a default of {})",
                    row.source, limit_of(row).default
                )
            })
        })?;
    }

    /// A walk without a page size sends, on every request, what its subject says
    /// (`Subject::walk_without_a_limit`): the documented maximum (the fewest requests), or
    /// none, so that pages have the documented default size; either way the walk costs
    /// `max(1, ceil(n / page size))` requests.
    #[test]
    fn a_walk_without_a_limit_uses_the_documented_page_size(
        operation_id in proptest::sample::select(operations()),
        n in 0..=MAX_PLAYS,
    ) {
        let row = documented(operation_id);
        let promised = "a walk without a limit uses the documented page size";
        block_on(async {
            let service = Service::start(operation_id, n).await;
            let walked = read_walk(&mut service.client.walk(operation_id, None, None), n + 10).await;
            let walked = walked.error.map(|e| e.to_string()).or(walked.cut_short.map(|cut| cut.to_string()));
            let without = service.subject.walk_without_a_limit();
            let page_size = without.served(&limit_of(row));
            let sends: Vec<String> = without.sent(&limit_of(row)).iter().map(u64::to_string).collect();
            promise(walked.is_none(), promised, || format!("{operation_id}: the walk failed: {walked:?}"))?;
            let requests = service.sim.requests();
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

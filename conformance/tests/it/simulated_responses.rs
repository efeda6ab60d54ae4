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
/// without a name, listens of one second.
mod realistic_pages {
    use proptest::prelude::*;

    use crate::common::*;
    use crate::subjects::{Captured, Subject, hold_property_in_at_most, with_every_subject};

    /// The most cases of this property: each case reads whole histories (up to 120 plays)
    /// to their end, several times; every eight plays of a realistic history hold each of
    /// its shapes, so 64 cases meet each of them hundreds of times.
    const AT_MOST_64_CASES: u32 = 64;

    /// The most pages one walk of a history of [`MAX_PLAYS`] plays may read: more, and it
    /// does not end.
    const MAX_PAGES: usize = 200;

    /// The largest page size drawn: larger pages would read a history of [`MAX_PLAYS`] in
    /// one or two, and meet no page boundary.
    const LARGEST_PAGE: u32 = 100;

    /// Every page of each walk a caller makes of a realistic history of every history
    /// operation of the subject (Spotify: back by `next` and forward by `after`; Amazon
    /// Music: by tokens; ListenBrainz: forward with both bounds and back with `max_ts`),
    /// read without a client, validates strictly, and each walk ends.
    fn every_page_of_a_realistic_history_validates_strictly(subject: &'static dyn Subject) {
        let operations = subject.history_operations();
        let page_sizes: Vec<_> = operations
            .iter()
            .map(|&operation_id| {
                let documented = limit_range(operation_id);
                subject.smallest_page()..=(*documented.end()).min(LARGEST_PAGE)
            })
            .collect();
        let cases = (0usize..=MAX_PLAYS, any::<u64>(), page_sizes);
        hold_property_in_at_most(
            subject,
            file!(),
            AT_MOST_64_CASES,
            cases,
            |(plays, seed, page_sizes)| {
                block_on(async {
                    for (&operation_id, page_size) in operations.iter().zip(page_sizes) {
                        let walks = subject
                            .realistic_walks(plays, seed, operation_id, page_size, MAX_PAGES)
                            .await;
                        for walk in walks {
                            check_walk(subject, operation_id, &walk)?;
                        }
                    }
                    Ok(())
                })
            },
        );
    }

    with_every_subject!(one_test_each every_page_of_a_realistic_history_validates_strictly);

    /// Checks every answer of one walk against the spec (a `200` with a body of its
    /// schema), and that the walk ended within [`MAX_PAGES`].
    fn check_walk(
        subject: &dyn Subject,
        operation_id: &str,
        walk: &[Captured],
    ) -> Result<(), TestCaseError> {
        let spec = subject.spec();
        let promised = "every page the simulation serves validates strictly against the spec";
        for answer in walk {
            let at = || {
                format!(
                    "{}: {} answered {}",
                    subject.name(),
                    answer.request,
                    answer.status
                )
            };
            let operation = spec.operation_for("GET", &answer.path);
            promise(operation == Some(operation_id), promised, || {
                format!("{}: not a request of {operation_id}", at())
            })?;
            let conforms = spec.check(
                operation_id,
                answer.status,
                answer.content_type.as_deref(),
                &answer.body,
            );
            promise(answer.status == 200 && conforms.is_ok(), promised, || {
                format!("{}: {conforms:?}", at())
            })?;
        }
        promise(walk.len() <= MAX_PAGES, "the walk ends", || {
            format!(
                "{} {operation_id}: more than {MAX_PAGES} pages",
                subject.name()
            )
        })
    }
}

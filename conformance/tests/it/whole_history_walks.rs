//! Walking a whole history through the public client API, against the simulations, for
//! every subject and every operation that reads a page of its history:
//!
//! - every play is returned exactly once, in the subject's order (newest first; ListenBrainz:
//!   oldest first), and the walk stops;
//! - the walk makes exactly the requests its paging needs, `max(1, ceil(n / limit))` where
//!   pages are cut anywhere (see [`common::minimal_requests`]; ListenBrainz, whose pages
//!   never cut a second, see [`common::listenbrainz_minimal_requests`]);
//! - every response the simulation sent on the way conforms to the spec: the client decoded
//!   it into the generated types, and replayed with a plain HTTP client it matches the schema
//!   the spec declares for its operation and status;
//! - a walk stopped anywhere resumes from the stream's resume point without losing or
//!   repeating a play.
//!
//! Histories hold 0 to 120 plays (empty ones and ones ending exactly on a page boundary
//! included) and page sizes are drawn from the whole documented range of the bounds table;
//! each subject says which ([`WholeHistories`](crate::subjects::WholeHistories)).

use crate::common;

use client_support::RetryPolicy;
use common::*;
use futures_util::StreamExt;
use proptest::prelude::*;

use crate::subjects::{
    Client, Connection, Plays, Simulation, Subject, hold_property, with_every_subject,
};

/// Holds `property` for every operation of `subject` that reads its history, over the
/// whole histories the subject draws for it, each case with `extra` drawn beside them.
fn for_every_history<T: std::fmt::Debug>(
    subject: &'static dyn Subject,
    extra: impl Strategy<Value = T> + Clone,
    property: impl AsyncFn(Case<'_>, T) -> Result<(), TestCaseError>,
) {
    for operation_id in subject.history_operations() {
        let cases = (subject.whole_histories(operation_id), extra.clone());
        hold_property(subject, file!(), cases, |((page_size, plays), extra)| {
            block_on(async {
                let sim = subject.simulate_history(operation_id, &plays).await;
                let client =
                    subject.client(sim.base_url(), Connection::simulated(RetryPolicy::none()));
                let case = Case {
                    subject,
                    operation_id,
                    page_size,
                    plays: &plays,
                    sim: sim.as_ref(),
                    client: client.as_ref(),
                };
                property(case, extra).await
            })
        });
    }
}

/// One case of a property: a subject's simulation of a whole history, and a client of it.
struct Case<'a> {
    /// The service.
    subject: &'static dyn Subject,
    /// The operation walked.
    operation_id: &'static str,
    /// The page size walked at.
    page_size: u32,
    /// The history simulated.
    plays: &'a Plays,
    /// Its simulation.
    sim: &'a dyn Simulation,
    /// A client of it, without retries.
    client: &'a dyn Client,
}

impl Case<'_> {
    /// The keys a walk of the whole history must yield, in order.
    fn expected(&self) -> Vec<String> {
        self.subject.history_keys(self.operation_id, self.plays)
    }

    /// Where the case stands, for a failure message.
    fn describe(&self) -> String {
        format!(
            "{} {}: {} plays at page size {}",
            self.subject.name(),
            self.operation_id,
            self.plays.times.len(),
            self.page_size
        )
    }
}

/// A walk yields every play once, in its subject's order, then ends and asks for nothing
/// more.
fn every_play_is_returned_exactly_once_in_order(subject: &'static dyn Subject) {
    for_every_history(subject, Just(()), async |case, ()| {
        let mut walk = case
            .client
            .walk(case.operation_id, Some(case.page_size), None);
        let walked = read_walk(&mut walk, case.plays.times.len() + 10).await;
        let promised = format!(
            "every play is returned exactly once, {}, and the walk stops",
            case.subject.history_order()
        );
        promise(walked.ended_cleanly(), &promised, || {
            format!("{}: {}", case.describe(), walked.how_it_ended())
        })?;
        let diff = difference(&walked.items, &case.expected());
        promise(diff.is_none(), &promised, || {
            format!("{}:\n{}", case.describe(), diff.unwrap_or_default())
        })?;
        let requests = case.sim.request_count();
        let again = walk.next().await;
        promise(
            again.is_none() && case.sim.request_count() == requests,
            &promised,
            || {
                format!(
                    "{}: the stream yielded again, or asked for more, after it ended",
                    case.describe()
                )
            },
        )
    });
}

with_every_subject!(one_test_each every_play_is_returned_exactly_once_in_order);

/// A walk makes exactly the requests its paging needs (`ServedPages::pages`): the last
/// page says there is no further one, so no empty page is asked for after a history that
/// ends on a page boundary, and an empty history costs one.
fn a_walk_makes_exactly_the_minimal_number_of_requests(subject: &'static dyn Subject) {
    for_every_history(subject, Just(()), async |case, ()| {
        let mut walk = case
            .client
            .walk(case.operation_id, Some(case.page_size), None);
        let walked = read_walk(&mut walk, case.plays.times.len() + 10).await;
        promise(
            walked.ended_cleanly(),
            "the walk ends without an error",
            || format!("{}: {}", case.describe(), walked.how_it_ended()),
        )?;
        let expected = case.subject.pages(case.plays, case.page_size);
        let made = case.sim.request_count();
        promise(
            made == expected,
            "a walk makes exactly the requests its paging needs",
            || format!("{}: {made} requests, expected {expected}", case.describe()),
        )
    });
}

with_every_subject!(one_test_each a_walk_makes_exactly_the_minimal_number_of_requests);

/// Every response the simulation sends a whole walk conforms to the spec, replayed with a
/// plain HTTP client.
fn every_page_a_walk_reads_conforms_to_the_spec(subject: &'static dyn Subject) {
    for_every_history(subject, Just(()), async |case, ()| {
        let mut walk = case
            .client
            .walk(case.operation_id, Some(case.page_size), None);
        let walked = read_walk(&mut walk, case.plays.times.len() + 10).await;
        promise(
            walked.ended_cleanly(),
            "the walk ends without an error",
            || format!("{}: {}", case.describe(), walked.how_it_ended()),
        )?;
        let requests = case.sim.requests();
        let problems = replay_and_check(case.sim.base_url(), &requests, case.subject.spec()).await;
        promise(
            problems.is_empty(),
            "every response the simulation sends conforms to the spec",
            || format!("{}:\n{}", case.describe(), problems.join("\n")),
        )
    });
}

with_every_subject!(one_test_each every_page_a_walk_reads_conforms_to_the_spec);

/// A walk stopped after any number of plays resumes from `History::resume_point`
/// ([`KeyedWalk::resumed`](crate::subjects::KeyedWalk::resumed)): the two walks together
/// yield every play exactly once, in order, a second or an instant cut by the stop included.
/// Once every play is yielded there is nothing to resume (or, for a walk forward in time,
/// nothing more to yield).
fn a_walk_stopped_anywhere_resumes_without_losing_or_repeating_a_play(
    subject: &'static dyn Subject,
) {
    for_every_history(subject, any::<prop::sample::Index>(), async |case, stop| {
        let n = case.plays.times.len();
        let mut walk = case
            .client
            .walk(case.operation_id, Some(case.page_size), None);
        let k = stop.index(n + 1);
        let mut got = read_first(&mut walk, k).await.items;
        let promised = "a walk stopped anywhere resumes from its resume point without losing or repeating a play";
        match walk.resumed() {
            Some(mut rest) => {
                let walked = read_walk(&mut rest, n + 10).await;
                promise(walked.ended_cleanly(), promised, || {
                    format!("{}: {}", case.describe(), walked.how_it_ended())
                })?;
                got.extend(walked.items);
            }
            None => promise(k == n, promised, || {
                format!("{}: no resume point after {k}", case.describe())
            })?,
        }
        let diff = difference(&got, &case.expected());
        promise(diff.is_none(), promised, || {
            format!(
                "{}: stopped after {k}:\n{}",
                case.describe(),
                diff.unwrap_or_default()
            )
        })
    });
}

with_every_subject!(
    one_test_each a_walk_stopped_anywhere_resumes_without_losing_or_repeating_a_play
);

/// Behaviour of ListenBrainz alone: its walks ask up to the present on every page.
mod listenbrainz {
    use listenbrainz_api::{Count, ListensQuery, RetryPolicy};
    use music_history_sandbox::listenbrainz::ListenBrainzListen;

    use super::common::*;

    /// Listens recorded while a walk runs, newer than where it stands (two in one second),
    /// are yielded by that walk, each once and in order: every page asks up to the present.
    #[test]
    fn listens_recorded_while_a_walk_runs_are_yielded_once_in_order() {
        block_on(walk_while_listens_are_recorded());
    }

    /// Walks 30 listens 10 at a time, recording three newer ones after the first page.
    async fn walk_while_listens_are_recorded() {
        let times: Vec<i64> = (0..30).map(|i| 1_700_000_000 + i * 60).collect();
        let sim = listenbrainz_simulation(&times).await;
        let client = listenbrainz_client(&sim, RetryPolicy::none());
        let query = ListensQuery::new(listenbrainz_user()).count(Count::new(10).unwrap());
        let mut history = client.history(query);
        let first = history
            .next_page()
            .await
            .expect("a page")
            .expect("no error");
        let newest = times[times.len() - 1];
        let added: Vec<ListenBrainzListen> = [newest + 1, newest + 1, newest + 120]
            .iter()
            .enumerate()
            .map(|(i, &at)| ListenBrainzListen::new(at, "Later Artist", &format!("Added {i}")))
            .collect();
        let mut expected = listenbrainz_expected_keys(&times);
        for listen in added {
            expected.push((listen.listened_at, listen.recording_msid().to_string()));
            assert!(sim.record_listen(listen));
        }
        expected.sort();
        let mut got: Vec<_> = first.items.iter().map(listenbrainz_key).collect();
        while let Some(page) = history.next_page().await {
            got.extend(page.expect("no error").items.iter().map(listenbrainz_key));
        }
        assert_eq!(got, expected);
    }
}

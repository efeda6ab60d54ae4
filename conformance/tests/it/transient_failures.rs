//! A page that fails transiently in the middle of a walk — `429` with `Retry-After: 0`, a
//! `500`, a dropped connection: the sandbox's `Fault::RateLimited`, `ServerError` and
//! `Drop` — loses and duplicates nothing:
//!
//! - with retries on, the walk yields every play exactly once, in its subject's order, at
//!   the cost of one extra request per fault;
//! - with retries off, each fault surfaces as its error (`RateLimited` with the
//!   `Retry-After`, `Server`, `Transport`), and a walk resumed from the stream's resume point
//!   carries on: the plays of all the walks together are every play exactly once, in order,
//!   again at one extra request per fault.
//!
//! Every subject, every operation that reads its history, over the whole histories the
//! subject draws for it. One to three faults hit the requests for randomly chosen pages
//! (several may hit the same page in a row). Backoffs are 1 ms, so the properties run fast.

use crate::common;

use client_support::RetryPolicy;
use common::*;
use music_history_sandbox::Fault;
use proptest::prelude::*;

use crate::subjects::{
    Connection, Failure, KeyedWalk, Plays, Simulation, Subject, Transient,
    hold_property_in_at_most, with_every_subject,
};

/// A fault on the request for one page of the walk (pages counted over the whole walk,
/// resumed walks included): `page` picks one of the walk's pages, whatever their number.
#[derive(Clone, Debug)]
struct PageFault {
    /// The page it hits.
    page: proptest::sample::Index,
    /// The fault.
    fault: Fault,
}

/// A transient fault: `429` with `Retry-After: 0`, a `500`, or a dropped connection.
fn transient_faults() -> impl Strategy<Value = Fault> {
    prop_oneof![
        Just(Fault::RateLimited {
            retry_after_secs: 0
        }),
        Just(Fault::ServerError),
        Just(Fault::Drop),
    ]
}

/// One to three faults.
fn page_faults() -> impl Strategy<Value = Vec<PageFault>> {
    proptest::collection::vec(
        (any::<proptest::sample::Index>(), transient_faults())
            .prop_map(|(page, fault)| PageFault { page, fault }),
        1..=3,
    )
}

/// Queues each fault so that the request for its page meets it: a queued fault answers the
/// simulation's next request, so a fault for page `p` is queued once `p` pages have been
/// served (every request but a faulted one serves a page), whatever the pages hold.
struct FaultPlan {
    /// `(page, fault)`, in page order (faults on one page in the order drawn).
    faults: Vec<(usize, Fault)>,
    /// How many of them are queued.
    injected: usize,
}

impl FaultPlan {
    /// The plan for a walk of `pages` pages.
    fn new(faults: &[PageFault], pages: usize) -> Self {
        let mut faults: Vec<(usize, Fault)> = faults
            .iter()
            .map(|f| (f.page.index(pages), f.fault.clone()))
            .collect();
        faults.sort_by_key(|(page, _)| *page);
        Self {
            faults,
            injected: 0,
        }
    }

    /// The faults, in the order they are injected.
    fn in_order(&self) -> Vec<Fault> {
        self.faults.iter().map(|(_, fault)| fault.clone()).collect()
    }

    /// Queues on `sim` every fault whose page is the next one it serves, unless queued.
    fn before_poll(&mut self, sim: &dyn Simulation) {
        // Each fault queued so far has been met, or is still queued for the next request.
        let served = sim.request_count().saturating_sub(self.injected);
        while let Some((page, fault)) = self.faults.get(self.injected) {
            if *page != served {
                break;
            }
            sim.inject(fault.clone());
            self.injected += 1;
        }
    }
}

/// Reads `walk` to its end or first error, queuing the plan's faults as it goes, each key
/// into `yielded` (the whole walk's, resumed walks included). The walk is read within
/// bounds (at most `cap` items, within `TIME_LIMIT`): past either, the case fails saying
/// which.
async fn walk_with_faults(
    walk: &mut Box<dyn KeyedWalk>,
    plan: &mut FaultPlan,
    sim: &dyn Simulation,
    yielded: &mut Vec<String>,
    cap: usize,
) -> Option<Failure> {
    let mut walk = Bounded::new(walk, cap);
    loop {
        plan.before_poll(sim);
        match futures_util::StreamExt::next(&mut walk).await {
            Some(Ok(key)) => yielded.push(key),
            Some(Err(failure)) => return Some(failure),
            None => return None,
        }
    }
}

/// Whether `failure` is how `fault` surfaces from `subject`'s client with retries off.
fn surfaced_as(subject: &dyn Subject, fault: &Fault, failure: &Failure) -> bool {
    match (fault, failure.transient) {
        (Fault::RateLimited { retry_after_secs }, Some(Transient::RateLimited(Some(wait)))) => {
            wait == subject.rate_limited_wait(*retry_after_secs)
        }
        (Fault::ServerError, Some(Transient::Server(status))) => status == 500,
        (Fault::Drop, Some(Transient::Transport)) => true,
        _ => false,
    }
}

/// The promise both properties guard.
const LOSES_NOTHING: &str =
    "a page that fails transiently in the middle of a walk loses and duplicates nothing";

/// The most cases of a walk with retries for a subject whose `429` costs real time: its
/// shortest wait is a second (ListenBrainz's rate-limit window), so the suite's 256 cases
/// took three minutes; 32 take about twenty seconds.
const CASES_THAT_WAIT: u32 = 32;

/// Holds `property` for every operation of `subject` that reads its history, over the
/// whole histories it draws and one to three faults, in at most `cases` cases.
fn for_every_history(
    subject: &'static dyn Subject,
    cases: u32,
    property: impl AsyncFn(Case<'_>) -> Result<(), TestCaseError>,
) {
    for operation_id in subject.history_operations() {
        let strategy = (subject.whole_histories(operation_id), page_faults());
        hold_property_in_at_most(
            subject,
            file!(),
            cases,
            strategy,
            |((page_size, plays), faults)| {
                block_on(property(Case {
                    subject,
                    operation_id,
                    page_size,
                    plays: &plays,
                    faults: &faults,
                }))
            },
        );
    }
}

/// One case: a walk of a whole history, and the faults that hit it.
struct Case<'a> {
    /// The service.
    subject: &'static dyn Subject,
    /// The operation walked.
    operation_id: &'static str,
    /// The page size walked at.
    page_size: u32,
    /// The history simulated.
    plays: &'a Plays,
    /// The faults.
    faults: &'a [PageFault],
}

impl Case<'_> {
    /// The pages a walk of the history reads without faults: one request each.
    fn pages(&self) -> usize {
        self.subject.pages(self.plays, self.page_size)
    }

    /// Where the case stands, for a failure message.
    fn describe(&self) -> String {
        format!(
            "{} {}: {} plays at page size {}, faults {:?}",
            self.subject.name(),
            self.operation_id,
            self.plays.times.len(),
            self.page_size,
            self.faults
        )
    }
}

/// With retries on, faults mid-walk cost one request each and lose nothing.
fn with_retries_a_transient_failure_loses_and_duplicates_nothing(subject: &'static dyn Subject) {
    let rate_limits_wait = !subject.rate_limited_wait(0).is_zero();
    let cases = if rate_limits_wait {
        CASES_THAT_WAIT
    } else {
        u32::MAX
    };
    for_every_history(subject, cases, async |case| {
        let sim = case
            .subject
            .simulate_history(case.operation_id, case.plays)
            .await;
        let client = case
            .subject
            .client(sim.base_url(), Connection::simulated(fast_retries()));
        let mut plan = FaultPlan::new(case.faults, case.pages());
        let mut walk = client.walk(case.operation_id, Some(case.page_size), None);
        let mut yielded = Vec::new();
        let cap = case.plays.times.len() + 10;
        let error = walk_with_faults(&mut walk, &mut plan, sim.as_ref(), &mut yielded, cap).await;
        promise(error.is_none(), LOSES_NOTHING, || {
            format!(
                "{}: with retries on, the walk failed: {}",
                case.describe(),
                error.as_ref().map(ToString::to_string).unwrap_or_default()
            )
        })?;
        let expected_keys = case.subject.history_keys(case.operation_id, case.plays);
        let diff = difference(&yielded, &expected_keys);
        promise(diff.is_none(), LOSES_NOTHING, || {
            format!("{}:\n{}", case.describe(), diff.unwrap_or_default())
        })?;
        let expected = case.pages() + case.faults.len();
        promise(
            sim.request_count() == expected,
            "each transient failure costs exactly one more request",
            || {
                format!(
                    "{}: {} requests, expected {expected}",
                    case.describe(),
                    sim.request_count()
                )
            },
        )
    });
}

with_every_subject!(one_test_each with_retries_a_transient_failure_loses_and_duplicates_nothing);

/// With retries off, each fault surfaces as its error, and walks resumed from the stream's
/// resume point lose and duplicate nothing.
fn without_retries_the_error_surfaces_and_resuming_loses_nothing(subject: &'static dyn Subject) {
    for_every_history(subject, u32::MAX, async |case| {
        let sim = case
            .subject
            .simulate_history(case.operation_id, case.plays)
            .await;
        let client = case
            .subject
            .client(sim.base_url(), Connection::simulated(RetryPolicy::none()));
        let mut plan = FaultPlan::new(case.faults, case.pages());
        let expected_errors = plan.in_order();
        let mut walk = client.walk(case.operation_id, Some(case.page_size), None);
        let (mut yielded, mut errors) = (Vec::new(), Vec::new());
        let cap = case.plays.times.len() + 10;
        while let Some(error) =
            walk_with_faults(&mut walk, &mut plan, sim.as_ref(), &mut yielded, cap).await
        {
            let Some(resumed) = walk.resumed() else {
                return Err(TestCaseError::fail(format!(
                    "promise broken: {LOSES_NOTHING}\n{}: after `{error}` the walk gave no resume point",
                    case.describe()
                )));
            };
            errors.push(error);
            promise(errors.len() <= expected_errors.len(), LOSES_NOTHING, || {
                format!("{}: more errors than faults: {errors:?}", case.describe())
            })?;
            walk = resumed;
        }
        let surfaced = errors.len() == expected_errors.len()
            && expected_errors
                .iter()
                .zip(&errors)
                .all(|(fault, error)| surfaced_as(case.subject, fault, error));
        promise(
            surfaced,
            "with retries off, a transient failure surfaces as its error",
            || format!("{}: surfaced as {errors:?}", case.describe()),
        )?;
        let expected_keys = case.subject.history_keys(case.operation_id, case.plays);
        let diff = difference(&yielded, &expected_keys);
        promise(diff.is_none(), LOSES_NOTHING, || {
            format!("{}:\n{}", case.describe(), diff.unwrap_or_default())
        })?;
        let expected = case.pages() + expected_errors.len();
        promise(
            sim.request_count() == expected,
            "each transient failure costs exactly one more request",
            || {
                format!(
                    "{}: {} requests, expected {expected}",
                    case.describe(),
                    sim.request_count()
                )
            },
        )
    });
}

with_every_subject!(one_test_each without_retries_the_error_surfaces_and_resuming_loses_nothing);

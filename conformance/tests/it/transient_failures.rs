//! A page that fails transiently in the middle of a walk — `429` with `Retry-After: 0`, a
//! `500`, a dropped connection: the sandbox's `Fault::RateLimited`, `ServerError` and
//! `Drop` — loses and duplicates nothing:
//!
//! - with retries on, the walk yields every play exactly once, newest first, at the cost of
//!   one extra request per fault;
//! - with retries off, each fault surfaces as its error (`RateLimited` with the
//!   `Retry-After`, `Server`, `Transport`), and a walk resumed from the stream's resume point
//!   carries on: the plays of all the walks together are every play exactly once, newest
//!   first, again at one extra request per fault.
//!
//! One to three faults hit the requests for randomly chosen pages (several may hit the
//! same page in a row). Backoffs are 1 ms, so the properties run fast.

// The clients' `Error` is large; whether to box it is client-support's call, not a test's.
#![allow(clippy::result_large_err)]

use crate::common;

use std::time::Duration;

use client_support::DocumentedError;
use common::*;
use music_history_sandbox::Fault;
use proptest::prelude::*;

/// A fault on the request for one page of the walk (pages counted over the whole walk,
/// resumed walks included): `page` picks one of the walk's pages, whatever their number.
#[derive(Clone, Debug)]
struct PageFault {
    page: proptest::sample::Index,
    fault: Fault,
}

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

/// Queues each fault just before the request for its page: pages are full but for the
/// last, so page `p` is asked for when `p * limit` plays have been yielded.
struct FaultPlan {
    /// `(page, fault)`, in page order (faults on one page in the order drawn).
    faults: Vec<(usize, Fault)>,
    injected: usize,
    limit: usize,
}

impl FaultPlan {
    /// The plan for a walk of `plays` plays at `limit` per page.
    fn new(faults: &[PageFault], plays: usize, limit: u32) -> Self {
        let pages = minimal_requests(plays, limit);
        let mut faults: Vec<(usize, Fault)> = faults
            .iter()
            .map(|f| (f.page.index(pages), f.fault.clone()))
            .collect();
        faults.sort_by_key(|(page, _)| *page);
        Self {
            faults,
            injected: 0,
            limit: limit as usize,
        }
    }

    /// The faults, in the order they are injected.
    fn in_order(&self) -> Vec<Fault> {
        self.faults.iter().map(|(_, fault)| fault.clone()).collect()
    }

    fn before_poll(&mut self, yielded: usize, inject: impl Fn(Fault)) {
        while let Some((page, fault)) = self.faults.get(self.injected) {
            if page * self.limit != yielded {
                break;
            }
            inject(fault.clone());
            self.injected += 1;
        }
    }
}

/// Reads `stream` to its end or first error, queuing the plan's faults as it goes;
/// `yielded` counts the plays of the whole walk, resumed walks included. The stream is read
/// within bounds (at most `cap` items, within `TIME_LIMIT`): past either, the case fails
/// saying which.
async fn walk_with_faults<S, T, E>(
    stream: &mut S,
    plan: &mut FaultPlan,
    yielded: &mut Vec<T>,
    cap: usize,
    inject: impl Fn(Fault),
) -> Option<E>
where
    S: futures_util::Stream<Item = Result<T, E>> + Unpin,
{
    let mut stream = Bounded::new(stream, cap);
    loop {
        plan.before_poll(yielded.len(), &inject);
        match futures_util::StreamExt::next(&mut stream).await {
            Some(Ok(item)) => yielded.push(item),
            Some(Err(error)) => return Some(error),
            None => return None,
        }
    }
}

/// Whether `error` is how `fault` surfaces with retries off.
fn surfaced_as<B: DocumentedError>(fault: &Fault, error: &client_support::Error<B>) -> bool {
    use client_support::Error;
    match (fault, error) {
        (
            Fault::RateLimited { retry_after_secs },
            Error::RateLimited {
                retry_after: Some(wait),
                ..
            },
        ) => *wait == Duration::from_secs(*retry_after_secs),
        (Fault::ServerError, Error::Server(e)) => e.status == 500,
        (Fault::Drop, Error::Transport(_)) => true,
        _ => false,
    }
}

const LOSES_NOTHING: &str =
    "a page that fails transiently in the middle of a walk loses and duplicates nothing";

mod spotify {
    use spotify_web_api::{Limit, RecentlyPlayedQuery, RetryPolicy};

    use super::*;

    fn cases() -> impl Strategy<Value = (u32, Vec<i64>, Vec<PageFault>)> {
        (spotify_histories(), page_faults())
            .prop_map(|((limit, times), faults)| (limit, times, faults))
    }

    proptest! {
        #![proptest_config(config())]

        /// With retries on, faults mid-walk cost one request each and lose nothing.
        #[test]
        fn with_retries_a_transient_failure_loses_and_duplicates_nothing((limit, times, faults) in cases()) {
            block_on(async {
                let sim = spotify_simulation(&times).await;
                let client = spotify_client(&sim, fast_retries());
                let fault_count = faults.len();
                let mut plan = FaultPlan::new(&faults, times.len(), limit);
                let query = RecentlyPlayedQuery::new().limit(Limit::new(limit).unwrap());
                let mut yielded = Vec::new();
                let error = walk_with_faults(&mut client.history(query), &mut plan, &mut yielded, times.len() + 10, |f| sim.inject(f)).await;
                promise(error.is_none(), LOSES_NOTHING, || {
                    format!("with retries on, the walk failed: {}", error.as_ref().map(ToString::to_string).unwrap_or_default())
                })?;
                let got: Vec<_> = yielded.iter().map(spotify_key).collect();
                let diff = difference(&got, &spotify_expected_keys(&times));
                promise(diff.is_none(), LOSES_NOTHING, || diff.unwrap_or_default())?;
                let expected = minimal_requests(times.len(), limit) + fault_count;
                promise(sim.request_count() == expected, "each transient failure costs exactly one more request", || {
                    format!("{} requests, expected {expected} ({fault_count} faults)", sim.request_count())
                })
            })?;
        }

        /// With retries off, each fault surfaces as its error, and walks resumed from the
        /// stream's resume point lose and duplicate nothing.
        #[test]
        fn without_retries_the_error_surfaces_and_resuming_loses_nothing((limit, times, faults) in cases()) {
            block_on(async {
                let sim = spotify_simulation(&times).await;
                let client = spotify_client(&sim, RetryPolicy::none());
                let mut plan = FaultPlan::new(&faults, times.len(), limit);
                let expected_errors = plan.in_order();
                let limit_ = Limit::new(limit).unwrap();
                let mut history = client.history(RecentlyPlayedQuery::new().limit(limit_));
                let mut yielded = Vec::new();
                let mut errors = Vec::new();
                while let Some(error) = walk_with_faults(&mut history, &mut plan, &mut yielded, times.len() + 10, |f| sim.inject(f)).await {
                    let Some(resume) = history.resume_point() else {
                        return Err(TestCaseError::fail(format!(
                            "promise broken: {LOSES_NOTHING}\nafter `{error}` the walk gave no resume point"
                        )));
                    };
                    errors.push(error);
                    promise(errors.len() <= expected_errors.len(), LOSES_NOTHING, || {
                        format!("more errors than faults: {:?}", errors.iter().map(ToString::to_string).collect::<Vec<_>>())
                    })?;
                    history = client.history(RecentlyPlayedQuery::in_window(resume).limit(limit_));
                }
                let surfaced = errors.len() == expected_errors.len()
                    && expected_errors.iter().zip(&errors).all(|(fault, error)| surfaced_as(fault, error));
                promise(surfaced, "with retries off, a transient failure surfaces as its error", || {
                    format!("faults {expected_errors:?} surfaced as {:?}", errors.iter().map(ToString::to_string).collect::<Vec<_>>())
                })?;
                let got: Vec<_> = yielded.iter().map(spotify_key).collect();
                let diff = difference(&got, &spotify_expected_keys(&times));
                promise(diff.is_none(), LOSES_NOTHING, || diff.unwrap_or_default())?;
                let expected = minimal_requests(times.len(), limit) + expected_errors.len();
                promise(sim.request_count() == expected, "each transient failure costs exactly one more request", || {
                    format!("{} requests, expected {expected}", sim.request_count())
                })
            })?;
        }
    }
}

mod amazon {
    use amazon_music_web_api::{
        EntitiesLimit, History, MyEntitiesQuery, ResumePoint, RetryPolicy, TracksLimit, TracksQuery,
    };

    use super::*;

    /// A track walk or an entity walk, its page size and history, and the faults.
    #[derive(Clone, Debug)]
    struct Case {
        entities: bool,
        limit: u32,
        times: Vec<i64>,
        faults: Vec<PageFault>,
    }

    fn cases() -> impl Strategy<Value = Case> {
        (
            any::<bool>(),
            histories(limit_range("get_recently_played_tracks"), amazon_gaps()),
            histories(
                limit_range("get_my_recently_played_entities"),
                amazon_gaps(),
            ),
            page_faults(),
        )
            .prop_map(|(entities, tracks, edges, faults)| {
                let (limit, times) = if entities { edges } else { tracks };
                Case {
                    entities,
                    limit,
                    times,
                    faults,
                }
            })
    }

    /// Every play of the case's history, as walks identify them, newest first.
    fn expected(case: &Case) -> Vec<String> {
        newest_first(
            &case
                .times
                .iter()
                .enumerate()
                .map(|(i, &at)| {
                    (
                        at,
                        if case.entities {
                            format!("{ME}-play{i}")
                        } else {
                            format!("T{i:03}")
                        },
                    )
                })
                .collect::<Vec<_>>(),
        )
    }

    fn specs(case: &Case) -> Vec<EntitySpec> {
        case.times
            .iter()
            .map(|&at| EntitySpec {
                at,
                kind: Kind::Known(ENTITY_TYPES[0]),
            })
            .collect()
    }

    /// The walk of `case` from `from`, as a stream of play identifiers.
    fn history(
        client: &amazon_music_web_api::AmazonMusicClient,
        case: &Case,
        from: ResumePoint,
    ) -> Walk {
        if case.entities {
            Walk::Entities(
                client.history(
                    MyEntitiesQuery::new()
                        .limit(EntitiesLimit::new(case.limit).unwrap())
                        .resume_from(from),
                ),
            )
        } else {
            Walk::Tracks(
                client.history(
                    TracksQuery::new()
                        .limit(TracksLimit::new(case.limit).unwrap())
                        .resume_from(from),
                ),
            )
        }
    }

    enum Walk {
        Tracks(History<amazon_music_web_api::types::TrackPlaybackEdge>),
        Entities(History<amazon_music_web_api::types::EntityPlaybackEdge>),
    }

    impl Walk {
        fn resume_point(&self) -> Option<ResumePoint> {
            match self {
                Self::Tracks(h) => h.resume_point(),
                Self::Entities(h) => h.resume_point(),
            }
        }
    }

    impl futures_util::Stream for Walk {
        type Item = Result<String, amazon_music_web_api::Error>;

        fn poll_next(
            self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            use futures_util::StreamExt;
            match self.get_mut() {
                Self::Tracks(h) => h
                    .poll_next_unpin(cx)
                    .map(|item| item.map(|r| r.map(|edge| edge.node.id))),
                Self::Entities(h) => h
                    .poll_next_unpin(cx)
                    .map(|item| item.map(|r| r.map(|edge| edge.id.unwrap_or_default()))),
            }
        }
    }

    proptest! {
        #![proptest_config(config())]

        /// With retries on, faults mid-walk cost one request each and lose nothing.
        #[test]
        fn with_retries_a_transient_failure_loses_and_duplicates_nothing(case in cases()) {
            block_on(async {
                let (tracks, entities) = if case.entities { (Vec::new(), specs(&case)) } else { (case.times.clone(), Vec::new()) };
                let sim = amazon_simulation(&tracks, &entities, Vec::new()).await;
                let client = amazon_client(&sim, fast_retries());
                let mut plan = FaultPlan::new(&case.faults, case.times.len(), case.limit);
                let mut yielded = Vec::new();
                let mut walk = history(&client, &case, ResumePoint::start());
                let error = walk_with_faults(&mut walk, &mut plan, &mut yielded, case.times.len() + 10, |f| sim.inject(f)).await;
                promise(error.is_none(), LOSES_NOTHING, || {
                    format!("with retries on, the walk failed: {}", error.as_ref().map(ToString::to_string).unwrap_or_default())
                })?;
                let diff = difference(&yielded, &expected(&case));
                promise(diff.is_none(), LOSES_NOTHING, || diff.unwrap_or_default())?;
                let expected = minimal_requests(case.times.len(), case.limit) + case.faults.len();
                promise(sim.request_count() == expected, "each transient failure costs exactly one more request", || {
                    format!("{} requests, expected {expected}", sim.request_count())
                })
            })?;
        }

        /// With retries off, each fault surfaces as its error, and walks resumed from the
        /// stream's resume point lose and duplicate nothing.
        #[test]
        fn without_retries_the_error_surfaces_and_resuming_loses_nothing(case in cases()) {
            block_on(async {
                let (tracks, entities) = if case.entities { (Vec::new(), specs(&case)) } else { (case.times.clone(), Vec::new()) };
                let sim = amazon_simulation(&tracks, &entities, Vec::new()).await;
                let client = amazon_client(&sim, RetryPolicy::none());
                let mut plan = FaultPlan::new(&case.faults, case.times.len(), case.limit);
                let expected_errors = plan.in_order();
                let mut yielded = Vec::new();
                let mut errors = Vec::new();
                let mut walk = history(&client, &case, ResumePoint::start());
                while let Some(error) = walk_with_faults(&mut walk, &mut plan, &mut yielded, case.times.len() + 10, |f| sim.inject(f)).await {
                    let Some(resume) = walk.resume_point() else {
                        return Err(TestCaseError::fail(format!(
                            "promise broken: {LOSES_NOTHING}\nafter `{error}` the walk gave no resume point"
                        )));
                    };
                    errors.push(error);
                    promise(errors.len() <= case.faults.len(), LOSES_NOTHING, || {
                        format!("more errors than faults: {:?}", errors.iter().map(ToString::to_string).collect::<Vec<_>>())
                    })?;
                    walk = history(&client, &case, resume);
                }
                let surfaced = errors.len() == expected_errors.len()
                    && expected_errors.iter().zip(&errors).all(|(fault, error)| surfaced_as(fault, error));
                promise(surfaced, "with retries off, a transient failure surfaces as its error", || {
                    format!("faults {expected_errors:?} surfaced as {:?}", errors.iter().map(ToString::to_string).collect::<Vec<_>>())
                })?;
                let diff = difference(&yielded, &expected(&case));
                promise(diff.is_none(), LOSES_NOTHING, || diff.unwrap_or_default())?;
                let expected = minimal_requests(case.times.len(), case.limit) + case.faults.len();
                promise(sim.request_count() == expected, "each transient failure costs exactly one more request", || {
                    format!("{} requests, expected {expected}", sim.request_count())
                })
            })?;
        }
    }
}

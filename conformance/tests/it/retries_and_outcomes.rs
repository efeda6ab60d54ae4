//! What retries do and do not do, and how walks end, for every client:
//!
//! - a client error (400, 401, 403, 404) is sent exactly once, retries on or not;
//! - a 429 waits what its `Retry-After` says before the next send (ListenBrainz's, which
//!   has none, what its `X-RateLimit-Reset-In` says);
//! - Spotify's `204` ends a walk as the private-session outcome, not as an error, and the
//!   walk can start again from where it stood;
//! - a forward walk (everything after a time) stopped anywhere resumes with neither loss nor
//!   repeat, oldest first.

use std::time::{Duration, Instant};

use listenbrainz_api::ListensQuery;
use music_history_sandbox::Fault;
use spotify_web_api::{Limit, Outcome, RecentlyPlayedQuery, RetryPolicy, TimeWindow, UnixMillis};

use crate::common::*;
use crate::subjects::{Connection, Subject, with_every_subject};

/// Plays a few seconds apart, for the cases that need a history but not a particular one.
fn a_few_plays() -> Vec<i64> {
    times_from_gaps(&[1_000; 3])
}

/// Every client error is sent once, whatever the service and the operation, retries on.
fn a_client_error_is_sent_exactly_once_with_retries_on(subject: &'static dyn Subject) {
    block_on(async {
        for operation_id in subject.history_operations() {
            for status in [400, 401, 403, 404] {
                let what = format!("{} {operation_id} {status}", subject.name());
                let sim = subject.simulate(&a_few_plays()).await;
                sim.inject(Fault::Body {
                    status,
                    body: subject.error_body(status),
                    content_type: Some("application/json".into()),
                });
                let client = subject.client(sim.base_url(), Connection::simulated(fast_retries()));
                let error = client.fetch(operation_id, None).await.expect_err(&what);
                assert_eq!(error.status, Some(status), "{what}: {error}");
                assert_eq!(sim.request_count(), 1, "{what} was retried");
            }
        }
    });
}

with_every_subject!(one_test_each a_client_error_is_sent_exactly_once_with_retries_on);

#[test]
fn a_listenbrainz_rate_limit_without_retry_after_waits_its_reset_in_before_the_next_send() {
    block_on(async {
        let retry = listenbrainz_api::RetryPolicy::new(2).max_total_wait(Duration::from_secs(5));
        let sim = listenbrainz_simulation(&[NEWEST_MS / 1000]).await;
        // Answered as the server answers a 429: `X-RateLimit-Reset-In: 1`, no `Retry-After`.
        sim.inject(Fault::RateLimited {
            retry_after_secs: 1,
        });
        let started = Instant::now();
        let page = listenbrainz_client(&sim, retry)
            .fetch(&ListensQuery::new(listenbrainz_user()))
            .await
            .unwrap();
        assert_eq!(page.listens.len(), 1);
        // Waiting less than the server asked is the failure; a loaded machine only adds.
        assert!(
            started.elapsed() >= Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(sim.request_count(), 2);
        // What the client waited for: a 429 that says how long only in its own header.
        sim.inject(Fault::RateLimited {
            retry_after_secs: 1,
        });
        let limited = client_support::http::client_builder()
            .build()
            .unwrap()
            .get(format!("{}/1/validate-token", sim.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(limited.status(), 429);
        assert!(limited.headers().get("retry-after").is_none());
        assert_eq!(limited.headers()["x-ratelimit-reset-in"], "1");
    });
}

/// A 429 is retried after the wait it asks for (ListenBrainz's in `X-RateLimit-Reset-In`),
/// and the page it then gets is the whole history.
fn a_rate_limit_waits_its_retry_after_before_the_next_send(subject: &'static dyn Subject) {
    block_on(async {
        let retry = RetryPolicy::new(2).max_total_wait(Duration::from_secs(5));
        let name = subject.name();
        let sim = subject.simulate(&a_few_plays()).await;
        sim.inject(Fault::RateLimited {
            retry_after_secs: 1,
        });
        let started = Instant::now();
        let page = subject
            .client(sim.base_url(), Connection::simulated(retry.clone()))
            .fetch(subject.history_operation(), None)
            .await;
        assert_eq!(page.ok(), Some(a_few_plays().len()), "{name}");
        // Waiting less than the server asked is the failure; a loaded machine only adds.
        assert!(
            started.elapsed() >= Duration::from_secs(1),
            "{name}: {:?}",
            started.elapsed()
        );
        assert_eq!(sim.request_count(), 2, "{name}");
    });
}

with_every_subject!(one_test_each a_rate_limit_waits_its_retry_after_before_the_next_send);

/// The budget is "at most": a wait that uses all of it is still made, by every client.
fn a_retry_after_of_exactly_the_whole_wait_budget_is_waited_and_retried(
    subject: &'static dyn Subject,
) {
    block_on(async {
        let retry = RetryPolicy::new(2).max_total_wait(Duration::from_secs(1));
        let name = subject.name();
        let sim = subject.simulate(&a_few_plays()).await;
        sim.inject(Fault::RateLimited {
            retry_after_secs: 1,
        });
        let page = subject
            .client(sim.base_url(), Connection::simulated(retry.clone()))
            .fetch(subject.history_operation(), None)
            .await;
        assert!(page.is_ok(), "{name}: {page:?}");
        assert_eq!(sim.request_count(), 2, "{name}");
    });
}

with_every_subject!(one_test_each a_retry_after_of_exactly_the_whole_wait_budget_is_waited_and_retried);

/// A wait longer than the policy allows is not made: every client fails at once, saying how
/// long the server asked it to wait.
fn a_retry_after_beyond_the_bound_fails_at_once_saying_how_long_to_wait(
    subject: &'static dyn Subject,
) {
    block_on(async {
        let name = subject.name();
        let sim = subject.simulate(&a_few_plays()).await;
        sim.inject(Fault::RateLimited {
            retry_after_secs: 120,
        });
        let client = subject.client(
            sim.base_url(),
            Connection::simulated(RetryPolicy::default()),
        );
        let started = Instant::now();
        let error = client
            .fetch(subject.history_operation(), None)
            .await
            .expect_err(name);
        assert!(started.elapsed() < Duration::from_secs(30), "{name}");
        assert_eq!(sim.request_count(), 1, "{name}");
        assert!(
            error.to_string().ends_with("retry after 120 s"),
            "{name}: {error}"
        );
    });
}

with_every_subject!(one_test_each a_retry_after_beyond_the_bound_fails_at_once_saying_how_long_to_wait);

#[test]
fn a_private_session_ends_a_walk_as_its_outcome_and_it_can_start_again() {
    block_on(async {
        let sim = spotify_simulation(&times_from_gaps(&[1_000; 4])).await;
        sim.set_private_session(true);
        let client = spotify_client(&sim, RetryPolicy::none());
        let mut history = client.history(RecentlyPlayedQuery::new());
        let walked = read_walk(&mut history, 10).await;
        assert!(
            walked.ended_cleanly() && walked.items.is_empty(),
            "{}",
            walked.how_it_ended()
        );
        assert_eq!(history.outcome(), Some(Outcome::PrivateSession));
        let resume = history.resume_point();
        assert_eq!(resume, Some(TimeWindow::Latest), "hidden, not finished");

        sim.set_private_session(false);
        let mut again = client.history(RecentlyPlayedQuery::new().resume_from(resume.unwrap()));
        let walked = read_walk(&mut again, 10).await;
        assert_eq!(walked.items.len(), 4, "{}", walked.how_it_ended());
        assert_eq!(again.outcome(), Some(Outcome::Complete));
    });
}

#[test]
fn a_forward_walk_stopped_anywhere_resumes_without_loss_or_repeat_oldest_first() {
    block_on(async {
        let times = times_from_gaps(&[1_000; 11]);
        let oldest = *times.iter().min().unwrap();
        let sim = spotify_simulation(&times).await;
        let client = spotify_client(&sim, RetryPolicy::none());
        let start =
            RecentlyPlayedQuery::after(UnixMillis::new(oldest - 1)).limit(Limit::new(3).unwrap());
        let mut expected = times.clone();
        expected.sort_unstable();
        for stop_after in 0..=expected.len() {
            let mut first = client.history(start);
            let mut seen: Vec<i64> = read_first(&mut first, stop_after)
                .await
                .items
                .iter()
                .map(|play| play.played_at.timestamp_millis())
                .collect();
            let resume = first.resume_point().expect("a forward walk always resumes");
            let mut rest = client.history(start.resume_from(resume));
            let walked = read_walk(&mut rest, 100).await;
            assert!(walked.ended_cleanly(), "{}", walked.how_it_ended());
            seen.extend(
                walked
                    .items
                    .iter()
                    .map(|play| play.played_at.timestamp_millis()),
            );
            assert_eq!(seen, expected, "stopped after {stop_after}");
            // Complete, a forward walk still says where the next one starts: after the newest.
            assert_eq!(
                rest.resume_point(),
                Some(TimeWindow::After(UnixMillis::new(
                    *expected.last().unwrap()
                )))
            );
        }
    });
}

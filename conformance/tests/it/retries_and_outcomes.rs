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

use amazon_music_web_api::{MyEntitiesQuery, TracksQuery};
use listenbrainz_api::ListensQuery;
use music_history_sandbox::Fault;
use spotify_web_api::{Limit, Outcome, RecentlyPlayedQuery, TimeWindow, UnixMillis};

use crate::common::*;

fn client_error(status: u16) -> Fault {
    Fault::Body {
        status,
        body: br#"{"error": {"status": 400, "message": "refused"}}"#.to_vec(),
        content_type: Some("application/json".into()),
    }
}

#[test]
fn a_client_error_is_sent_exactly_once_with_retries_on_for_both_clients() {
    block_on(async {
        for status in [400, 401, 403, 404] {
            let sim = spotify_simulation(&times_from_gaps(&[1_000; 3])).await;
            sim.inject(client_error(status));
            let client = spotify_client(&sim, fast_retries());
            let error = client.fetch(&RecentlyPlayedQuery::new()).await.unwrap_err();
            assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
            assert_eq!(sim.request_count(), 1, "Spotify {status} was retried");

            let sim = amazon_simulation(&[NEWEST_MS], &[], Vec::new()).await;
            sim.inject(client_error(status));
            let client = amazon_client(&sim, fast_retries());
            let error = client.fetch(&TracksQuery::new()).await.unwrap_err();
            assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
            assert_eq!(sim.request_count(), 1, "Amazon Music {status} was retried");

            let sim = listenbrainz_simulation(&[NEWEST_MS / 1000]).await;
            sim.inject(Fault::Body {
                status,
                body: format!(r#"{{"code": {status}, "error": "refused"}}"#).into_bytes(),
                content_type: Some("application/json".into()),
            });
            let client = listenbrainz_client(&sim, fast_retries());
            let query = ListensQuery::new(listenbrainz_user());
            let error = client.fetch(&query).await.unwrap_err();
            assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
            assert_eq!(sim.request_count(), 1, "ListenBrainz {status} was retried");
        }
    });
}

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

#[test]
fn a_rate_limit_waits_its_retry_after_before_the_next_send_for_both_clients() {
    block_on(async {
        let retry = spotify_web_api::RetryPolicy::new(2).max_total_wait(Duration::from_secs(5));

        let sim = spotify_simulation(&times_from_gaps(&[1_000; 3])).await;
        sim.inject(Fault::RateLimited {
            retry_after_secs: 1,
        });
        let started = Instant::now();
        let page = spotify_client(&sim, retry.clone())
            .fetch(&RecentlyPlayedQuery::new())
            .await
            .unwrap();
        assert!(page.into_page().is_some());
        // Waiting less than the server asked is the failure; a loaded machine only adds.
        assert!(
            started.elapsed() >= Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(sim.request_count(), 2);

        let sim = amazon_simulation(&[NEWEST_MS], &[], Vec::new()).await;
        sim.inject(Fault::RateLimited {
            retry_after_secs: 1,
        });
        let started = Instant::now();
        amazon_client(&sim, retry)
            .fetch(&TracksQuery::new())
            .await
            .unwrap();
        assert!(
            started.elapsed() >= Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(sim.request_count(), 2);
    });
}

#[test]
fn a_retry_after_of_exactly_the_whole_wait_budget_is_waited_and_retried() {
    block_on(async {
        // The budget is "at most": a wait that uses all of it is still made.
        let retry = spotify_web_api::RetryPolicy::new(2).max_total_wait(Duration::from_secs(1));
        let sim = spotify_simulation(&times_from_gaps(&[1_000; 3])).await;
        sim.inject(Fault::RateLimited {
            retry_after_secs: 1,
        });
        let page = spotify_client(&sim, retry)
            .fetch(&RecentlyPlayedQuery::new())
            .await;
        assert!(page.is_ok(), "{page:?}");
        assert_eq!(sim.request_count(), 2);
    });
}

#[test]
fn a_retry_after_beyond_the_bound_fails_at_once_saying_how_long_to_wait() {
    block_on(async {
        let sim = amazon_simulation(&[NEWEST_MS], &[], Vec::new()).await;
        sim.inject(Fault::RateLimited {
            retry_after_secs: 120,
        });
        let client = amazon_client(&sim, amazon_music_web_api::RetryPolicy::default());
        let started = Instant::now();
        let error = client.fetch(&MyEntitiesQuery::new()).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(30));
        assert_eq!(sim.request_count(), 1);
        assert!(error.to_string().ends_with("retry after 120 s"), "{error}");
    });
}

#[test]
fn a_private_session_ends_a_walk_as_its_outcome_and_it_can_start_again() {
    block_on(async {
        let sim = spotify_simulation(&times_from_gaps(&[1_000; 4])).await;
        sim.set_private_session(true);
        let client = spotify_client(&sim, spotify_web_api::RetryPolicy::none());
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
        let client = spotify_client(&sim, spotify_web_api::RetryPolicy::none());
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

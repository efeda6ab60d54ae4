//! Walking history: every play exactly once, in order, resumable, never looping.

use crate::common;

use client_support::test_support::{read_first, read_walk};
use common::{FakeHistory, TOKEN, client, client_with, millis, ok, page, recently_played, server};
use futures_util::StreamExt;
use spotify_web_api::types::PlayHistory;
use spotify_web_api::{
    AccessToken, Error, History, Limit, Outcome, RecentlyPlayedQuery, RetryPolicy, TimeWindow,
    UnixMillis,
};
use wiremock::ResponseTemplate;
use wiremock::matchers::{query_param, query_param_is_missing};

/// Reads `history` to its end or first error: the plays it yielded, and the error it ended
/// with, if any. No history here holds more than 7 plays: a walk past 100 plays, or past
/// `test_support::TIME_LIMIT`, is going round or stuck, and fails the test saying so.
async fn drain(history: &mut History) -> (Vec<PlayHistory>, Option<Error>) {
    read_walk(history, 100).await.expect_ended()
}

/// Three pages of two, newest first: 6000 5000 | 4000 3000 | 2000 1000.
async fn mount_three_pages(server: &wiremock::MockServer) {
    recently_played()
        .and(query_param_is_missing("before"))
        .respond_with(ok(page(&[6_000, 5_000], Some(5_000))))
        .mount(server)
        .await;
    recently_played()
        .and(query_param("before", "5000"))
        .respond_with(ok(page(&[4_000, 3_000], Some(3_000))))
        .mount(server)
        .await;
    recently_played()
        .and(query_param("before", "3000"))
        .respond_with(ok(page(&[2_000, 1_000], None)))
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_complete_walk_newest_first_hands_out_after_its_newest_play_as_the_sync_point() {
    let server = server().await;
    mount_three_pages(&server).await;
    let mut history = client(&server).history(RecentlyPlayedQuery::new());
    assert_eq!(
        history.sync_point(),
        None,
        "nothing is known before the walk"
    );
    let (plays, error) = drain(&mut history).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(plays.len(), 6);
    assert_eq!(history.resume_point(), None);
    assert_eq!(
        history.sync_point(),
        Some(TimeWindow::After(UnixMillis::new(6_000))),
        "the next incremental walk starts after the newest play seen"
    );
}

#[tokio::test]
async fn a_walk_back_follows_next_through_three_pages_newest_first_and_stops_on_null() {
    let server = server().await;
    mount_three_pages(&server).await;
    let mut history = client(&server).history(RecentlyPlayedQuery::from(TimeWindow::Latest));

    let (plays, error) = drain(&mut history).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(millis(&plays), [6_000, 5_000, 4_000, 3_000, 2_000, 1_000]);
    assert_eq!(
        history.resume_point(),
        None,
        "the whole history was yielded"
    );
    assert_eq!(history.outcome(), Some(Outcome::Complete));

    let requests = server.received_requests().await.unwrap();
    let befores: Vec<_> = requests
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "before")
                .map(|(_, v)| v.into_owned())
        })
        .collect();
    assert_eq!(befores, [None, Some("5000".into()), Some("3000".into())]);
    // A walk asks for the largest pages unless told otherwise.
    assert!(
        requests
            .iter()
            .all(|r| r.url.query_pairs().any(|(k, v)| k == "limit" && v == "50"))
    );
}

#[tokio::test]
async fn a_walk_back_from_a_time_starts_before_it() {
    let server = server().await;
    mount_three_pages(&server).await;
    let query = RecentlyPlayedQuery::before(UnixMillis::new(5_000)).limit(Limit::new(2).unwrap());
    let (plays, error) = drain(&mut client(&server).history(query)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(millis(&plays), [4_000, 3_000, 2_000, 1_000]);
}

#[tokio::test]
async fn a_cursor_that_does_not_move_back_stops_the_walk_instead_of_looping() {
    let server = server().await;
    recently_played()
        .and(query_param_is_missing("before"))
        .respond_with(ok(page(&[6_000, 5_000], Some(5_000))))
        .mount(&server)
        .await;
    recently_played()
        .and(query_param("before", "5000"))
        .respond_with(ok(page(&[4_000, 3_000], Some(5_000))))
        .expect(1)
        .mount(&server)
        .await;
    let mut history = client(&server).history(RecentlyPlayedQuery::from(TimeWindow::Latest));

    let (plays, error) = drain(&mut history).await;
    assert_eq!(millis(&plays), [6_000, 5_000, 4_000, 3_000]);
    assert!(
        matches!(&error, Some(Error::Protocol(e)) if e.reason.contains("not older")),
        "{error:?}"
    );
    assert!(
        history.next().await.is_none(),
        "a stopped walk stays stopped"
    );
    // Resuming from the last play yielded does not depend on the bad cursor.
    assert_eq!(
        history.resume_point(),
        Some(TimeWindow::Before(UnixMillis::new(3_000)))
    );
}

#[tokio::test]
async fn a_walk_forward_yields_everything_after_a_time_oldest_first() {
    let server = server().await;
    recently_played()
        .and(query_param("after", "1000"))
        .and(query_param_is_missing("before"))
        .respond_with(ok(page(&[3_000, 2_000], Some(2_000))))
        .expect(1)
        .mount(&server)
        .await;
    recently_played()
        .and(query_param("after", "3000"))
        .respond_with(ok(page(&[5_000, 4_000], Some(4_000))))
        .expect(1)
        .mount(&server)
        .await;
    recently_played()
        .and(query_param("after", "5000"))
        .respond_with(ok(page(&[], None)))
        .expect(1)
        .mount(&server)
        .await;
    let mut history = client(&server).history(RecentlyPlayedQuery::from(TimeWindow::After(
        UnixMillis::new(1_000),
    )));

    let (plays, error) = drain(&mut history).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(millis(&plays), [2_000, 3_000, 4_000, 5_000]);
    // The next sync starts after the newest play processed.
    assert_eq!(
        history.resume_point(),
        Some(TimeWindow::After(UnixMillis::new(5_000)))
    );
}

#[tokio::test]
async fn a_walk_forward_with_nothing_new_resumes_where_it_started() {
    let server = server().await;
    recently_played()
        .respond_with(ok(page(&[], None)))
        .expect(1)
        .mount(&server)
        .await;
    let start = TimeWindow::After(UnixMillis::new(9_000));
    let mut history = client(&server).history(start.into());
    let (plays, error) = drain(&mut history).await;
    assert!(plays.is_empty() && error.is_none());
    assert_eq!(history.resume_point(), Some(start));
}

#[tokio::test]
async fn resuming_after_an_error_loses_and_repeats_nothing() {
    let server = server().await;
    // The second page fails once, then works.
    recently_played()
        .and(query_param("before", "5000"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_three_pages(&server).await;
    let client = client(&server);

    let mut first = client.history(RecentlyPlayedQuery::from(TimeWindow::Latest));
    let (mut plays, error) = drain(&mut first).await;
    assert!(matches!(error, Some(Error::Server(_))), "{error:?}");
    let resume = first.resume_point().expect("the walk did not finish");
    assert_eq!(resume, TimeWindow::Before(UnixMillis::new(5_000)));

    let (rest, error) = drain(&mut client.history(resume.into())).await;
    assert!(error.is_none(), "{error:?}");
    plays.extend(rest);
    assert_eq!(millis(&plays), [6_000, 5_000, 4_000, 3_000, 2_000, 1_000]);
}

#[tokio::test]
async fn resuming_in_the_middle_of_a_page_loses_and_repeats_nothing() {
    let server = server().await;
    let plays = vec![6_000, 5_000, 4_000, 3_000, 2_000, 1_000];
    recently_played()
        .respond_with(FakeHistory { plays })
        .mount(&server)
        .await;
    let client = client(&server);
    let pages_of_two = RecentlyPlayedQuery::new().limit(Limit::new(2).unwrap());

    let mut first = client.history(pages_of_two);
    let mut plays = read_first(&mut first, 3).await.items;
    let resume = first.resume_point().unwrap();
    assert_eq!(resume, TimeWindow::Before(UnixMillis::new(4_000)));

    let (rest, error) = drain(&mut client.history(resume.into())).await;
    assert!(error.is_none(), "{error:?}");
    plays.extend(rest);
    assert_eq!(millis(&plays), [6_000, 5_000, 4_000, 3_000, 2_000, 1_000]);
}

#[tokio::test]
async fn a_forward_walk_in_small_pages_then_a_new_play_is_an_incremental_sync() {
    let server = server().await;
    let mut plays = vec![6_000, 5_000, 4_000, 3_000, 2_000, 1_000];
    recently_played()
        .respond_with(FakeHistory {
            plays: plays.clone(),
        })
        .mount(&server)
        .await;
    let client = client(&server);
    let pages_of_two =
        RecentlyPlayedQuery::after(UnixMillis::new(1_500)).limit(Limit::new(2).unwrap());

    let mut sync = client.history(pages_of_two);
    let (got, error) = drain(&mut sync).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(millis(&got), [2_000, 3_000, 4_000, 5_000, 6_000]);
    let resume = sync.resume_point().unwrap();
    assert_eq!(resume, TimeWindow::After(UnixMillis::new(6_000)));

    // A new play arrives; the next sync returns exactly it.
    server.reset().await;
    plays.insert(0, 7_000);
    recently_played()
        .respond_with(FakeHistory { plays })
        .mount(&server)
        .await;
    let (got, error) = drain(&mut client.history(resume.into())).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(millis(&got), [7_000]);
}

#[tokio::test]
async fn with_a_retry_policy_a_failing_page_is_retried_without_skipping_or_repeating() {
    let server = server().await;
    recently_played()
        .and(query_param("before", "3000"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_three_pages(&server).await;
    let retry = RetryPolicy::new(3).initial_backoff(std::time::Duration::from_millis(1));
    let client = client_with(&server, AccessToken::new(TOKEN).unwrap(), retry);

    let (plays, error) =
        drain(&mut client.history(RecentlyPlayedQuery::from(TimeWindow::Latest))).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(millis(&plays), [6_000, 5_000, 4_000, 3_000, 2_000, 1_000]);
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}

#[tokio::test]
async fn a_private_session_ends_the_walk_without_an_error_and_says_so() {
    let server = server().await;
    recently_played()
        .and(query_param_is_missing("before"))
        .respond_with(ok(page(&[6_000, 5_000], Some(5_000))))
        .mount(&server)
        .await;
    recently_played()
        .and(query_param("before", "5000"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let mut history = client(&server).history(RecentlyPlayedQuery::from(TimeWindow::Latest));

    let (plays, error) = drain(&mut history).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(millis(&plays), [6_000, 5_000]);
    assert_eq!(history.outcome(), Some(Outcome::PrivateSession));
    // The history is hidden, not finished: resuming later loses nothing.
    assert_eq!(
        history.resume_point(),
        Some(TimeWindow::Before(UnixMillis::new(5_000)))
    );
}

#[tokio::test]
async fn a_page_sent_out_of_order_is_yielded_newest_first_keeping_same_millisecond_plays_as_sent() {
    let server = server().await;
    let mut body = page(&[3_000, 5_000, 4_000, 5_000], None);
    body["items"][1]["track"]["id"] = "first-at-5000".into();
    body["items"][3]["track"]["id"] = "second-at-5000".into();
    recently_played()
        .respond_with(ok(body))
        .mount(&server)
        .await;
    let (plays, error) = drain(&mut client(&server).history(RecentlyPlayedQuery::new())).await;
    assert!(error.is_none(), "{error:?}");
    let yielded: Vec<(i64, Option<&str>)> = plays
        .iter()
        .map(|p| (p.played_at.timestamp_millis(), p.track.id.as_deref()))
        .collect();
    assert_eq!(
        yielded,
        [
            (5_000, Some("first-at-5000")),
            (5_000, Some("second-at-5000")),
            (4_000, Some("track4000")),
            (3_000, Some("track3000")),
        ]
    );
}

#[tokio::test]
async fn walking_forward_a_next_after_older_than_the_pages_newest_play_is_refused() {
    let server = server().await;
    let mut body = page(&[4_000, 3_000, 2_000], Some(2_000));
    // Newer than the `after` asked for, but older than a play of the page: following it
    // would yield 3000 and 4000 a second time.
    body["cursors"]["after"] = "2500".into();
    recently_played()
        .and(query_param("after", "1000"))
        .respond_with(ok(body))
        .expect(1)
        .mount(&server)
        .await;
    let mut history = client(&server).history(RecentlyPlayedQuery::from(TimeWindow::After(
        UnixMillis::new(1_000),
    )));

    let (plays, error) = drain(&mut history).await;
    assert_eq!(millis(&plays), [2_000, 3_000, 4_000]);
    assert!(
        matches!(&error, Some(Error::Protocol(e)) if e.reason.contains("older than the page's newest play")),
        "{error:?}"
    );
}

//! Walking the listens (`ListenBrainzClient::history`) against a stand-in that selects
//! exactly as the server does and orders the listens of one second arbitrarily: every
//! listen exactly once, oldest first, in (`listened_at`, `recording_msid`) order, the walk
//! ending; resumed from any listen, or synced after new ones, exactly the rest; and a
//! server that breaks its paging stopped with `Error::Protocol`, a malformed listen
//! reported in its place, an endless server stopped by the page budget.

use crate::common;

use client_support::test_support::{Bounded, read_first, read_walk};
use common::{
    BASE, FakeListenBrainz, LISTENS, Stored, block_on, client, config, keys, listen, listens_page,
    param, user,
};
use futures_util::StreamExt;
use listenbrainz_api::types::Listen;
use listenbrainz_api::{
    Count, Error, ListenBrainzClient, ListensQuery, Outcome, RetryPolicy, TimeWindow, Within,
};
use proptest::collection::{btree_map, btree_set};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Listens of up to 60 seconds after `BASE`, 1 to 6 in each second, with distinct msids
/// of 1 to 6 hex digits (so that one may be a prefix of another).
fn histories() -> impl Strategy<Value = Vec<Stored>> {
    btree_map(1i64..400, btree_set("[0-9a-f]{1,6}", 1..=6), 0..=60).prop_map(|seconds| {
        seconds
            .into_iter()
            .flat_map(|(second, msids)| msids.into_iter().map(move |m| (BASE + second, m)))
            .collect()
    })
}

/// The most listens `history` holds in one second.
fn most_in_one_second(history: &[Stored]) -> u32 {
    let mut per_second = std::collections::BTreeMap::<i64, u32>::new();
    for (t, _) in history {
        *per_second.entry(*t).or_default() += 1;
    }
    per_second.into_values().max().unwrap_or(0)
}

/// A count from 1 to 20 above the most listens `history` holds in one second, and a seed
/// for the order of ties.
fn count_and_seed(history: &[Stored]) -> impl Strategy<Value = (u32, u64)> + use<> {
    ((most_in_one_second(history) + 1)..=20, any::<u64>())
}

/// A history, a count that fits it and a seed.
fn walks() -> impl Strategy<Value = (Vec<Stored>, u32, u64)> {
    histories().prop_flat_map(|history| {
        let drawn = count_and_seed(&history);
        (Just(history), drawn).prop_map(|(history, (count, seed))| (history, count, seed))
    })
}

/// A history, the listens added after a complete walk of it (in later seconds, and in its
/// newest second with msids sorting after the newest listen's), a count that fits both,
/// and a seed.
fn syncs() -> impl Strategy<Value = (Vec<Stored>, Vec<Stored>, u32, u64)> {
    let later = btree_map(1i64..100, btree_set("[0-9a-f]{1,6}", 1..=6), 0..=20);
    let same_second = btree_set("[0-9a-f]{1,3}", 0..=4);
    (histories(), later, same_second).prop_flat_map(|(history, later, suffixes)| {
        let newest = history
            .iter()
            .max()
            .cloned()
            .unwrap_or((BASE, String::new()));
        let mut added: Vec<Stored> = later
            .into_iter()
            .flat_map(|(offset, msids)| msids.into_iter().map(move |m| (newest.0 + offset, m)))
            .collect();
        if !history.is_empty() {
            added.extend(
                suffixes
                    .iter()
                    .map(|s| (newest.0, format!("{}{s}", newest.1))),
            );
        }
        let all: Vec<Stored> = history.iter().chain(&added).cloned().collect();
        let drawn = count_and_seed(&all);
        (Just(history), Just(added), drawn)
            .prop_map(|(history, added, (count, seed))| (history, added, count, seed))
    })
}

fn query(count: u32) -> ListensQuery {
    ListensQuery::new(user()).count(Count::new(count).unwrap())
}

fn sorted(listens: &[Stored]) -> Vec<Stored> {
    let mut sorted = listens.to_vec();
    sorted.sort();
    sorted
}

/// `window` written as JSON and read back, as a program keeps it between runs.
fn kept(window: &TimeWindow) -> TimeWindow {
    serde_json::from_str(&serde_json::to_string(window).unwrap()).unwrap()
}

/// A stand-in serving `history` and a client of it.
async fn serving(
    history: Vec<Stored>,
    seed: u64,
) -> (MockServer, FakeListenBrainz, ListenBrainzClient) {
    let server = MockServer::start().await;
    let fake = FakeListenBrainz::new(history, seed);
    fake.mount(&server).await;
    let client = client(&server);
    (server, fake, client)
}

proptest! {
    #![proptest_config(config())]

    /// Every listen is yielded exactly once, oldest first in (`listened_at`,
    /// `recording_msid`) order, and the walk ends, however the server orders ties.
    #[test]
    fn every_listen_is_yielded_exactly_once_oldest_first_and_the_walk_ends(
        (history, count, seed) in walks()
    ) {
        let expected = sorted(&history);
        block_on(async {
            let (_server, _fake, client) = serving(history, seed).await;
            let mut walk = client.history(query(count));
            let walked = read_walk(&mut walk, expected.len() + 10).await;
            prop_assert!(walked.ended_cleanly(), "{}", walked.how_it_ended());
            prop_assert_eq!(keys(&walked.items), expected);
            prop_assert_eq!(walk.outcome(), Some(Outcome::Complete));
            Ok(())
        })?;
    }

    /// A walk stopped after any number of listens and resumed from its `resume_point()`,
    /// as it is and as JSON read back, yields exactly the listens it had not.
    #[test]
    fn a_walk_resumed_from_its_resume_point_yields_exactly_the_rest(
        (history, count, seed) in walks(),
        cut in any::<Index>(),
    ) {
        let expected = sorted(&history);
        let stop = cut.index(expected.len() + 1);
        block_on(async {
            let (_server, _fake, client) = serving(history, seed).await;
            let mut first = client.history(query(count));
            let head = read_first(&mut first, stop).await;
            prop_assert!(head.ended_cleanly(), "{}", head.how_it_ended());
            prop_assert_eq!(head.items.len(), stop);
            let resume = first.resume_point().expect("a walk stopped early can resume");
            prop_assert_eq!(&kept(&resume), &resume);
            for from in [resume.clone(), kept(&resume)] {
                let mut rest = client.history(query(count).resume_from(from));
                let walked = read_walk(&mut rest, expected.len() + 10).await;
                prop_assert!(walked.ended_cleanly(), "{}", walked.how_it_ended());
                let mut all = keys(&head.items);
                all.extend(keys(&walked.items));
                prop_assert_eq!(&all, &expected, "resumed from {:?}", resume);
            }
            Ok(())
        })?;
    }

    /// The `sync_point()` of a complete walk, kept as JSON, starts a walk that yields
    /// exactly the listens added since, those of the newest second seen included.
    #[test]
    fn a_walk_from_the_sync_point_yields_exactly_the_listens_added_since(
        (history, added, count, seed) in syncs()
    ) {
        block_on(async {
            let (_server, fake, client) = serving(history.clone(), seed).await;
            let mut first = client.history(query(count));
            prop_assert_eq!(first.sync_point(), None, "nothing is known before the walk");
            let walked = read_walk(&mut first, history.len() + 10).await;
            prop_assert!(walked.ended_cleanly(), "{}", walked.how_it_ended());
            let sync = first.sync_point().expect("a complete walk has a sync point");
            prop_assert_eq!(sync.before, None, "a sync point is open to the present");

            fake.history.lock().unwrap().extend(added.iter().cloned());
            let mut next = client.history(query(count).resume_from(kept(&sync)));
            let walked = read_walk(&mut next, added.len() + 10).await;
            prop_assert!(walked.ended_cleanly(), "{}", walked.how_it_ended());
            prop_assert_eq!(keys(&walked.items), sorted(&added), "synced from {:?}", sync);
            Ok(())
        })?;
    }
}

#[tokio::test]
async fn a_complete_walk_hands_out_the_window_after_its_newest_listen_as_the_sync_point() {
    let history = vec![
        (BASE + 1, "b".to_string()),
        (BASE + 3, "a".to_string()),
        (BASE + 3, "c".to_string()),
    ];
    let (_server, _fake, client) = serving(history, 1).await;
    let mut walk = client.history(query(5));
    let (listens, error) = read_walk(&mut walk, 10).await.expect_ended();
    assert!(error.is_none(), "{error:?}");
    assert_eq!(listens.len(), 3);
    let after_newest = TimeWindow {
        after: BASE + 2,
        before: None,
        within: Within::Through("c".into()),
    };
    assert_eq!(walk.sync_point(), Some(after_newest.clone()));
    assert_eq!(walk.resume_point(), Some(after_newest));
}

#[tokio::test]
async fn a_walk_that_finds_nothing_leaves_the_next_one_starting_where_it_did() {
    let (server, _fake, client) = serving(vec![], 1).await;
    let start = TimeWindow::after(BASE + 40);
    let mut walk = client.history(query(5).resume_from(start.clone()));
    let (listens, error) = read_walk(&mut walk, 10).await.expect_ended();
    assert!(listens.is_empty() && error.is_none(), "{error:?}");
    assert_eq!(walk.sync_point(), Some(start.clone()));
    assert_eq!(walk.resume_point(), Some(start));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn resuming_after_a_failed_page_loses_and_repeats_nothing() {
    let history: Vec<Stored> = (1..=6).map(|i| (BASE + i, format!("m{i}"))).collect();
    let (server, _fake, client) = serving(history.clone(), 1).await;
    // Pages of 3: the first holds seconds 1-3 and yields 1 and 2; the second starts after 2.
    Mock::given(path(LISTENS))
        .and(query_param("min_ts", (BASE + 2).to_string()))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;

    let mut first = client.history(query(3));
    let (mut listens, error) = read_walk(&mut first, 10).await.expect_ended();
    assert!(matches!(error, Some(Error::Server(_))), "{error:?}");
    assert_eq!(first.outcome(), Some(Outcome::Failed));
    assert_eq!(
        first.sync_point(),
        None,
        "a failed walk gives no sync point"
    );
    let resume = first.resume_point().unwrap();
    assert_eq!(resume, TimeWindow::after(BASE + 2));

    let (rest, error) = read_walk(&mut client.history(query(3).resume_from(resume)), 10)
        .await
        .expect_ended();
    assert!(error.is_none(), "{error:?}");
    listens.extend(rest);
    assert_eq!(keys(&listens), history);
}

/// Reads `walk` to its end or first error, at most 20 listens.
async fn drain(walk: &mut listenbrainz_api::History) -> (Vec<Listen>, Option<Error>) {
    read_walk(walk, 20).await.expect_ended()
}

fn is_protocol(error: &Option<Error>, says: &str) -> bool {
    matches!(error, Some(Error::Protocol(e)) if e.reason.contains(says))
}

#[tokio::test]
async fn a_second_fuller_than_a_page_is_read_with_larger_pages_and_a_page_of_one_walks() {
    // Three listens in one second, pages of two: that second is asked again with pages of
    // four, which hold it whole.
    let history = vec![
        (BASE + 1, "a".to_string()),
        (BASE + 5, "x".to_string()),
        (BASE + 5, "y".to_string()),
        (BASE + 5, "z".to_string()),
    ];
    let (server, _fake, client) = serving(history.clone(), 3).await;
    let mut walk = client.history(query(2));
    let (listens, error) = drain(&mut walk).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(keys(&listens), sorted(&history));
    let counts: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter_map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "count")
                .map(|(_, v)| v.into_owned())
        })
        .collect();
    assert_eq!(counts, ["2", "2", "4"]);
    // Pages of one: every page after the first is its window's first second alone.
    let (_server, _fake, client) = serving(history.clone(), 4).await;
    let (listens, error) = drain(&mut client.history(query(1))).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(keys(&listens), sorted(&history));
}

#[tokio::test]
async fn a_second_of_more_listens_than_the_most_a_page_holds_ends_with_a_protocol_error() {
    let history: Vec<Stored> = (0..1_001)
        .map(|i| (BASE + 5, format!("msid-{i:04}")))
        .collect();
    let (server, _fake, client) = serving(history, 3).await;
    let mut walk = client.history(query(1_000));
    let (listens, error) = drain(&mut walk).await;
    assert!(listens.is_empty());
    assert!(is_protocol(&error, "all in the second"), "{error:?}");
    // The first page leaves that second to the next, which is that second alone.
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert_eq!(walk.outcome(), Some(Outcome::Failed));
    assert_eq!(walk.resume_point(), Some(TimeWindow::after(BASE + 4)));
    assert!(walk.next().await.is_none(), "a stopped walk stays stopped");
}

#[tokio::test]
async fn a_page_with_more_listens_than_the_count_ends_with_a_protocol_error() {
    let server = MockServer::start().await;
    Mock::given(path(LISTENS))
        .respond_with(listens_page(vec![
            listen(BASE + 3, "c"),
            listen(BASE + 2, "b"),
            listen(BASE + 1, "a"),
        ]))
        .expect(1)
        .mount(&server)
        .await;
    let mut walk = client(&server).history(query(2));
    let (listens, error) = drain(&mut walk).await;
    assert!(listens.is_empty());
    assert!(is_protocol(&error, "more than the count of 2"), "{error:?}");
    assert_eq!(walk.resume_point(), Some(TimeWindow::all()));
}

#[tokio::test]
async fn a_listen_outside_the_window_asked_for_ends_with_a_protocol_error() {
    let window = TimeWindow::after(BASE).before(BASE + 10);
    for outside in [BASE, BASE + 10, BASE - 100, BASE + 1_000] {
        let server = MockServer::start().await;
        Mock::given(path(LISTENS))
            .respond_with(listens_page(vec![
                listen(outside.max(BASE + 2), "late"),
                listen(outside, "outside"),
                listen(outside.min(BASE + 1), "early"),
            ]))
            .expect(1)
            .mount(&server)
            .await;
        let mut walk = client(&server).history(query(5).resume_from(window.clone()));
        let (listens, error) = drain(&mut walk).await;
        assert!(listens.is_empty(), "{outside}: {listens:?}");
        assert!(
            is_protocol(&error, "outside the window"),
            "{outside}: {error:?}"
        );
        assert_eq!(walk.resume_point(), Some(window.clone()));
    }
}

#[tokio::test]
async fn a_listen_after_the_max_ts_sent_for_a_window_open_to_the_present_ends_with_a_protocol_error()
 {
    // The request asks for listens before now + 3601 s; one two days ahead is outside it,
    // and a sync point after it would refuse every later walk (`max_ts` not after `min_ts`).
    let two_days_ahead = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + 2 * 86_400;
    let server = MockServer::start().await;
    Mock::given(path(LISTENS))
        .respond_with(listens_page(vec![
            listen(two_days_ahead, "future"),
            listen(BASE + 1, "a"),
        ]))
        .mount(&server)
        .await;
    let mut walk = client(&server).history(query(5));
    let (listens, error) = drain(&mut walk).await;
    assert!(
        is_protocol(&error, "outside the window"),
        "the walk ended with {error:?} after {:?}, sync point {:?}",
        keys(&listens),
        walk.sync_point()
    );
}

#[tokio::test]
async fn a_malformed_listen_is_yielded_in_its_place_and_the_walk_goes_on() {
    let server = MockServer::start().await;
    let malformed = json!({"listened_at": BASE + 2, "recording_msid": 7, "user_name": "rob"});
    // The first page, full (count 3): its newest second (3) is left to the next page.
    Mock::given(path(LISTENS))
        .and(query_param("min_ts", "0"))
        .respond_with(listens_page(vec![
            listen(BASE + 3, "c"),
            malformed.clone(),
            listen(BASE + 1, "a"),
        ]))
        .with_priority(1)
        .mount(&server)
        .await;
    FakeListenBrainz::new(
        vec![
            (BASE + 1, "a".into()),
            (BASE + 3, "c".into()),
            (BASE + 4, "d".into()),
        ],
        1,
    )
    .mount(&server)
    .await;

    let mut walk = client(&server).history(query(3));
    let yielded: Vec<Result<Listen, Error>> = Bounded::new(&mut walk, 10).collect().await;
    let shape: Vec<Result<(i64, String), usize>> = yielded
        .iter()
        .map(|r| match r {
            Ok(l) => Ok((l.listened_at, l.recording_msid.clone())),
            Err(Error::MalformedItem(m)) => Err(m.index),
            Err(other) => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        shape,
        [
            Ok((BASE + 1, "a".into())),
            Err(1),
            Ok((BASE + 3, "c".into())),
            Ok((BASE + 4, "d".into())),
        ]
    );
    let Some(Err(Error::MalformedItem(item))) = yielded.get(1) else {
        unreachable!()
    };
    assert_eq!(item.page.get::<TimeWindow>(), Some(&TimeWindow::all()));
    assert_eq!(item.malformed.raw().get(), malformed.to_string());
    assert!(!yielded[1].as_ref().unwrap_err().is_fatal());
    assert_eq!(walk.outcome(), Some(Outcome::Complete));
}

#[tokio::test]
async fn a_walk_resumed_after_a_malformed_listen_yields_the_listens_after_it_of_its_second() {
    let server = MockServer::start().await;
    // Two listens of one second with a malformed one between them, as the walk yields them.
    Mock::given(path(LISTENS))
        .and(query_param("min_ts", "0"))
        .respond_with(listens_page(vec![
            listen(BASE + 1, "c"),
            json!({"listened_at": BASE + 1, "recording_msid": null}),
            listen(BASE + 1, "a"),
        ]))
        .with_priority(1)
        .mount(&server)
        .await;
    let history = vec![
        (BASE + 1, "a".to_string()),
        (BASE + 1, "c".to_string()),
        (BASE + 2, "d".to_string()),
    ];
    FakeListenBrainz::new(history, 5).mount(&server).await;
    let client = client(&server);

    let mut first = client.history(query(5));
    let (listens, error) = drain(&mut first).await;
    assert_eq!(keys(&listens), [(BASE + 1, "a".to_string())]);
    assert!(matches!(error, Some(Error::MalformedItem(_))), "{error:?}");
    // `try_next` stops at the malformed listen; the walk stands just before `c`.
    let resume = first.resume_point().unwrap();
    assert_eq!(
        resume,
        TimeWindow {
            after: BASE,
            before: None,
            within: Within::Before("c".into()),
        }
    );

    let mut rest = client.history(query(5).resume_from(kept(&resume)));
    let (listens, error) = drain(&mut rest).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(
        keys(&listens),
        [(BASE + 1, "c".to_string()), (BASE + 2, "d".to_string())]
    );
}

#[tokio::test]
async fn a_page_budget_stops_a_server_whose_pages_never_end() {
    let server = MockServer::start().await;
    // Always a full page: the `count` listens after `min_ts`, one a second.
    Mock::given(method("GET"))
        .respond_with(|request: &wiremock::Request| {
            let min_ts: i64 = param(request, "min_ts").unwrap().parse().unwrap();
            let count: i64 = param(request, "count").unwrap().parse().unwrap();
            let page = (1..=count).rev().map(|i| listen(min_ts + i, "m")).collect();
            listens_page(page)
        })
        .mount(&server)
        .await;
    let client = listenbrainz_api::ListenBrainzClient::builder(
        listenbrainz_api::AccessToken::new(common::TOKEN).unwrap(),
    )
    .base_url(&server.uri())
    .retry(RetryPolicy::none())
    .max_pages(3)
    .build()
    .unwrap();

    let mut walk = client.history(query(2).resume_from(TimeWindow::after(BASE)));
    let (listens, error) = drain(&mut walk).await;
    assert!(
        matches!(error, Some(Error::PageBudgetExhausted(b)) if b.pages == 3),
        "{error:?}"
    );
    assert_eq!(
        listens.iter().map(|l| l.listened_at).collect::<Vec<_>>(),
        [BASE + 1, BASE + 2, BASE + 3]
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    assert_eq!(walk.resume_point(), Some(TimeWindow::after(BASE + 3)));
}

//! Whatever a server sends, a walk ends within its budget, yields no play twice, sends the
//! credentials nowhere but the configured origin, and puts no secret in an error: every
//! client against every misbehaviour of the sandbox's hostile server.

use std::collections::HashSet;
use std::time::Duration;

use amazon_music_web_api::{AmazonMusicClient, ApiKey, MyEntitiesQuery};
use music_history_sandbox::hostile::{Hostile, HostileServer};
use spotify_web_api::{AccessToken, RecentlyPlayedQuery, RetryPolicy, SpotifyClient};

use crate::common::*;
use crate::subjects::{ALL, Connection, Credentials, KeyedWalk, Subject, with_every_subject};

const TOKEN: &str = "hostile-test-t0ken";
const API_KEY: &str = "amzn1.application.hostile-k3y";

/// Every misbehaviour: each subject's, in its service's shape, and those any HTTP server can
/// have. Page sizes are such that the endless ones end at their budget fast.
fn every_misbehaviour(elsewhere: &str) -> Vec<Hostile> {
    let in_a_service_shape = ALL.iter().flat_map(|subject| subject.hostile(elsewhere));
    in_a_service_shape
        .chain([
            Hostile::EndlessBody,
            Hostile::EchoCredentials(100_000),
            Hostile::SlowDrip,
            Hostile::NeverAnswers,
            Hostile::OversizeHeaders,
            Hostile::Gzip,
            Hostile::InvalidUtf8,
        ])
        .collect()
}

/// A client's HTTP settings for these servers: the default ones, but a 1 s request timeout so
/// that the servers that drip or never answer cost the suite seconds, not minutes.
fn http() -> reqwest::Client {
    client_support::http::client_builder()
        .timeout(Duration::from_secs(1))
        .build()
        .expect("an HTTP client")
}

/// What one walk did, in terms every promise is checked against.
struct Outcome {
    /// The identities of the items yielded, in order.
    keys: Vec<String>,
    /// The error the walk ended with, shown as a user would see it (Display and Debug).
    shown: Option<String>,
    /// How the read stopped: the walk's end or error, or the bound it passed.
    how_it_ended: String,
    /// Whether the walk ended by itself within the cap and the time allowed.
    ended: bool,
}

/// How long a walk against one of these servers may take: the longest, 101 pages of 100
/// entities, takes a few seconds, more than the suite's usual limit allows.
const HOSTILE_TIME_LIMIT: Duration = Duration::from_secs(30);

/// Walks `walk` to its end, within 20,000 items (more than any budget lets through) and
/// [`HOSTILE_TIME_LIMIT`]: these servers never stop by themselves, so a walk that does not
/// stop either is a failure of [`check`], not a test that runs on.
async fn walk_hostile(walk: &mut Box<dyn KeyedWalk>) -> Outcome {
    let walked = Bounded::new(walk, 20_000)
        .time_limit(HOSTILE_TIME_LIMIT)
        .read_to_end()
        .await;
    Outcome {
        shown: walked.error.as_ref().map(|e| format!("{e} {e:?}")),
        how_it_ended: walked.how_it_ended(),
        ended: walked.ended(),
        keys: walked.items,
    }
}

/// Fails, saying `what` was walked, unless the walk ended by itself, yielded no item twice,
/// sent at most `max_requests` and showed no secret in its error.
fn check(what: &str, outcome: &Outcome, server: &HostileServer, max_requests: usize) {
    assert!(
        outcome.ended,
        "{what}: the walk did not end: {}",
        outcome.how_it_ended
    );
    let unique: HashSet<&String> = outcome.keys.iter().collect();
    assert_eq!(
        unique.len(),
        outcome.keys.len(),
        "{what}: a play came twice"
    );
    assert!(
        server.request_count() <= max_requests,
        "{what}: {} requests, more than the budget of {max_requests}",
        server.request_count()
    );
    if let Some(shown) = &outcome.shown {
        for secret in [TOKEN, API_KEY, "aG9zdGlsZS10ZXN0LXQwa2Vu"] {
            assert!(!shown.contains(secret), "{what}: {secret} in {shown}");
        }
    }
}

/// Every service's walk, against every misbehaviour: a `next` link to another origin (a
/// server of the service's own endless pages) is never followed, and a walk against the
/// endless pages of its own service ends at its page budget, saying so.
fn every_walk_against_a_hostile_server_ends_within_budget_and_leaks_nothing(
    subject: &'static dyn Subject,
) {
    block_on(async {
        let elsewhere = HostileServer::start(subject.endless_pages()).await;
        let budget = subject.endless_walk();
        for hostile in every_misbehaviour(elsewhere.base_url()) {
            let server = HostileServer::start(hostile.clone()).await;
            let hangs = matches!(hostile, Hostile::SlowDrip | Hostile::NeverAnswers);
            let connection = Connection {
                credentials: Some(Credentials {
                    token: TOKEN,
                    api_key: API_KEY,
                }),
                retry: if hangs {
                    RetryPolicy::none()
                } else {
                    fast_retries()
                },
                http: Some(http()),
                max_pages: budget.max_pages,
            };
            let client = subject.client(server.base_url(), connection);
            let mut history = client.walk(subject.history_operation(), budget.page_size, None);
            let outcome = walk_hostile(&mut history).await;
            let what = format!("{}, {hostile:?}", subject.name());
            // Each page sent at most 4 times (the retries).
            check(&what, &outcome, &server, budget.pages * 4);
            if hostile == subject.endless_pages() {
                assert!(
                    outcome
                        .shown
                        .as_deref()
                        .is_some_and(|shown| shown.contains("PageBudgetExhausted")),
                    "{what}: {}",
                    outcome.how_it_ended
                );
            }
        }
        assert_eq!(
            elsewhere.request_count(),
            0,
            "{}: a `next` link to another origin was followed",
            subject.name()
        );
    });
}

with_every_subject!(one_test_each every_walk_against_a_hostile_server_ends_within_budget_and_leaks_nothing);

#[test]
fn the_budget_the_endless_servers_meet_is_the_documented_one() {
    block_on(async {
        let server = HostileServer::start(Hostile::SpotifyEndlessPages).await;
        let client = SpotifyClient::builder(AccessToken::new(TOKEN).unwrap())
            .base_url(server.base_url())
            .build()
            .unwrap();
        let mut history = client.history(RecentlyPlayedQuery::new());
        let walked = Bounded::new(&mut history, 5_000)
            .time_limit(HOSTILE_TIME_LIMIT)
            .read_to_end()
            .await;
        assert!(
            matches!(
                walked.error,
                Some(spotify_web_api::Error::PageBudgetExhausted(_))
            ),
            "{}",
            walked.how_it_ended()
        );
        assert_eq!(walked.items.len(), spotify_web_api::MAX_PLAYS_PER_WALK + 50);
        assert_eq!(server.request_count(), 21);
        assert!(history.resume_point().is_some());
    });
}

#[test]
fn a_spotify_cursor_that_does_not_move_ends_the_walk_with_what_came_before() {
    block_on(async {
        let server = HostileServer::start(Hostile::SpotifyStuckCursor).await;
        let client = SpotifyClient::builder(AccessToken::new(TOKEN).unwrap())
            .base_url(server.base_url())
            .build()
            .unwrap();
        let mut history = client.history(RecentlyPlayedQuery::new());
        let walked = Bounded::new(&mut history, 100).read_to_end().await;
        let error = walked
            .error
            .as_ref()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            matches!(walked.error, Some(spotify_web_api::Error::Protocol(_)))
                && error.contains("is not older than the one asked for"),
            "{}",
            walked.how_it_ended()
        );
        // The second page's play is older than the first page's: it is kept, and the walk
        // stops at the cursor that did not move instead of asking for it again.
        assert_eq!(walked.items.len(), 3, "{}", walked.how_it_ended());
        assert_eq!(server.request_count(), 2);
        assert!(history.resume_point().is_some());
    });
}

#[test]
fn an_amazon_page_token_that_comes_back_ends_the_walk_at_once_with_what_came_before() {
    block_on(async {
        let server = HostileServer::start(Hostile::AmazonTokenLoop).await;
        let client = AmazonMusicClient::builder(
            amazon_music_web_api::AccessToken::new(TOKEN).unwrap(),
            ApiKey::new(API_KEY).unwrap(),
        )
        .base_url(server.base_url())
        .build()
        .unwrap();
        let mut history = client.history(MyEntitiesQuery::new());
        let walked = Bounded::new(&mut history, 100).read_to_end().await;
        assert!(
            matches!(
                &walked.error,
                Some(amazon_music_web_api::Error::RepeatedCursor(repeated))
                    if repeated.to_string().contains("page-1")
            ),
            "{}",
            walked.how_it_ended()
        );
        // Pages 0, 1 and 2, each play once; `page-1` is not asked for twice.
        assert_eq!(walked.items.len(), 6, "{}", walked.how_it_ended());
        assert_eq!(server.request_count(), 3);
        assert!(history.resume_point().is_some());
    });
}

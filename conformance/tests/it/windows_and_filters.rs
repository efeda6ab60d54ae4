//! Parts of a history, through the public client API, against the simulations:
//!
//! - for every subject whose service has time windows ([`Subject::time_windows`]), a walk of
//!   a window yields exactly the plays strictly inside it, in the order the service walks it
//!   (Spotify: "after T" oldest first and "before T" newest first; ListenBrainz: oldest
//!   first, a second of several listens whole); the bounds are often the time of a play, or
//!   one unit either side of it, the boundary that "strictly" is about. A window with no time
//!   the service tells apart inside it yields nothing, or is refused;
//! - Amazon: `entityTypes` yields exactly the plays of those kinds (a kind the spec does not
//!   know is never among them), and `/users/{id}` yields that user's history and no one
//!   else's. Amazon Music alone filters by kind and serves other users' histories, so these
//!   stay with it.
//!
//! Each walk also makes exactly the requests its paging needs (`ServedPages::pages`:
//! `max(1, ceil(m / limit))`, `m` the plays it yields, where pages cut anywhere; see
//! `common::minimal_requests` and `common::listenbrainz_minimal_requests`).

use crate::common;

use client_support::RetryPolicy;
use common::*;
use proptest::test_runner::TestCaseError;

use crate::subjects::{
    Connection, Plays, Subject, TimeWindows, Window, hold_property, with_every_subject,
};

/// A walk of a time window yields exactly the plays strictly inside it, in the order its
/// service walks it, and makes exactly the requests its paging needs. A subject whose
/// service has no time windows says why, and the test says so and checks nothing for it.
fn a_time_window_yields_exactly_the_plays_strictly_inside_it(subject: &'static dyn Subject) {
    let windows = match subject.time_windows() {
        Ok(windows) => windows,
        Err(why) => {
            eprintln!("skipped for {}: {why}", subject.name());
            return;
        }
    };
    hold_property(
        subject,
        file!(),
        windows.windowed_histories(),
        |(page_size, plays, drawn)| {
            block_on(async {
                for window in drawn {
                    check_window(subject, windows, page_size, &plays, window).await?;
                }
                Ok(())
            })
        },
    );
}

with_every_subject!(one_test_each a_time_window_yields_exactly_the_plays_strictly_inside_it);

/// Walks `window` of `plays` at `page_size` and checks the plays and the request count.
async fn check_window(
    subject: &'static dyn Subject,
    windows: &dyn TimeWindows,
    page_size: u32,
    plays: &Plays,
    window: Window,
) -> Result<(), TestCaseError> {
    let sim = subject.simulate_plays(plays).await;
    let client = subject.client(sim.base_url(), Connection::simulated(RetryPolicy::none()));
    let operation_id = subject.history_operation();
    let mut walk = client.walk(operation_id, Some(page_size), Some(window));
    let walked = read_walk(&mut walk, plays.times.len() + 10).await;
    let promised = "a time window yields exactly the plays strictly inside it, in order";
    let at = || {
        format!(
            "{} {operation_id} {window:?} at page size {page_size}",
            subject.name()
        )
    };
    if window.is_empty_at(windows.resolution_ms()) {
        return promise(
            walked.error.is_some() || walked.items.is_empty(),
            promised,
            || format!("{}: {}", at(), walked.how_it_ended()),
        );
    }
    promise(walked.ended_cleanly(), promised, || {
        format!("{}: {}", at(), walked.how_it_ended())
    })?;
    let expected = windows.window_keys(plays, window);
    let diff = difference(&walked.items, &expected);
    promise(diff.is_none(), promised, || {
        format!("{}:\n{}", at(), diff.unwrap_or_default())
    })?;
    let inside = Plays::at(
        plays
            .times
            .iter()
            .copied()
            .filter(|&time| window.holds(time))
            .collect(),
    );
    let minimal = subject.pages(&inside, page_size);
    let made = sim.request_count();
    promise(
        made == minimal,
        "a walk makes exactly the requests its paging needs",
        || {
            format!(
                "{}: {} plays inside: {made} requests, expected {minimal}",
                at(),
                inside.times.len()
            )
        },
    )
}

/// Amazon Music's kind filter and other users' histories, which no other service has.
mod amazon {
    use amazon_music_web_api::{
        EntitiesLimit, EntityTypes, MyEntitiesQuery, RetryPolicy, UserEntitiesQuery, UserId,
    };
    use music_history_sandbox::amazon::AmazonMusicUser;
    use proptest::prelude::*;

    use super::common::*;

    fn entities_limit() -> impl Strategy<Value = u32> {
        limit_range("get_my_recently_played_entities")
    }

    proptest! {
        #![proptest_config(config())]

        /// `my_entity_history` with a set of kinds yields exactly the plays of those kinds,
        /// newest first; the empty set means every kind, unknown ones included.
        #[test]
        fn entity_types_yields_exactly_the_plays_of_those_types(
            plays in entity_histories(MAX_PLAYS),
            limit in entities_limit(),
            asked in proptest::sample::subsequence(ENTITY_TYPES.to_vec(), 0..=ENTITY_TYPES.len()),
        ) {
            block_on(async {
                let sim = amazon_simulation(&[], &plays, Vec::new()).await;
                let client = amazon_client(&sim, RetryPolicy::none());
                let kinds: EntityTypes = asked.iter().copied().collect();
                let mut history = client.history(MyEntitiesQuery::new().entity_types(kinds.clone()).limit(EntitiesLimit::new(limit).unwrap()));
                let walked = read_walk(&mut history, plays.len() + 10).await;
                let promised = "entityTypes yields exactly the plays of those types";
                promise(walked.ended_cleanly(), promised, || {
                    walked.how_it_ended()
                })?;
                let wanted = |kind: Kind| asked.is_empty() || matches!(kind, Kind::Known(k) if asked.contains(&k));
                let expected = newest_first(
                    &plays
                        .iter()
                        .enumerate()
                        .filter(|(_, play)| wanted(play.kind))
                        .map(|(i, play)| (play.at, (format!("{ME}-play{i}"), play.kind.name())))
                        .collect::<Vec<_>>(),
                );
                let got: Vec<(String, String)> = walked
                    .items
                    .iter()
                    .map(|edge| (edge.id.clone().unwrap_or_default(), edge.node.kind().to_string()))
                    .collect();
                let diff = difference(&got, &expected);
                promise(diff.is_none(), promised, || {
                    format!("entityTypes={kinds} at limit {limit}:\n{}", diff.unwrap_or_default())
                })?;
                let minimal = minimal_requests(expected.len(), limit);
                promise(sim.request_count() == minimal, "a walk makes exactly max(1, ceil(n / limit)) requests", || {
                    format!("entityTypes={kinds}: {} plays at limit {limit}: {} requests, expected {minimal}",
                        expected.len(), sim.request_count())
                })
            })?;
        }

        /// `user_entity_history(id)` yields exactly user `id`'s plays, newest first, and none
        /// of "me" or of any other user, whichever user is asked for ("me" included).
        #[test]
        fn a_users_history_is_theirs_and_no_one_elses(
            histories in proptest::collection::vec(entity_histories(40), 1..=4),
            mine in entity_histories(40),
            pick in any::<proptest::sample::Index>(),
            limit in entities_limit(),
        ) {
            block_on(async {
                let ids: Vec<String> = (0..histories.len()).map(|k| format!("listener-{k}")).collect();
                let others: Vec<AmazonMusicUser> = ids
                    .iter()
                    .zip(&histories)
                    .map(|(id, plays)| {
                        let mut user = AmazonMusicUser::new(id, None);
                        user.entities = entity_plays(id, plays);
                        user
                    })
                    .collect();
                let sim = amazon_simulation(&[], &mine, others).await;
                let client = amazon_client(&sim, RetryPolicy::none());
                // "me" is a user too, reachable by ID.
                let everyone: Vec<(&str, &[EntitySpec])> = std::iter::once((ME, mine.as_slice()))
                    .chain(ids.iter().map(String::as_str).zip(histories.iter().map(Vec::as_slice)))
                    .collect();
                let (id, plays) = everyone[pick.index(everyone.len())];
                let mut history = client.history(UserEntitiesQuery::new(UserId::new(id).unwrap()).limit(EntitiesLimit::new(limit).unwrap()));
                let walked = read_walk(&mut history, plays.len() + 10).await;
                let promised = "/users/{id} yields that user's history and no one else's";
                promise(walked.ended_cleanly(), promised, || {
                    format!("user {id:?}: {}", walked.how_it_ended())
                })?;
                let got: Vec<String> = walked.items.iter().map(|edge| edge.id.clone().unwrap_or_default()).collect();
                let expected = newest_first(
                    &plays.iter().enumerate().map(|(i, play)| (play.at, format!("{id}-play{i}"))).collect::<Vec<_>>(),
                );
                let someone_elses: Vec<&String> = got.iter().filter(|edge| !edge.starts_with(&format!("{id}-play"))).collect();
                promise(someone_elses.is_empty(), promised, || {
                    format!("user {id:?}'s walk yielded other users' plays: {someone_elses:?}")
                })?;
                let diff = difference(&got, &expected);
                promise(diff.is_none(), promised, || format!("user {id:?}:\n{}", diff.unwrap_or_default()))?;
                let wrong_path: Vec<String> = sim
                    .requests()
                    .iter()
                    .filter(|request| request.path_segments != ["v1", "users", id, "recentlyPlayedEntities"])
                    .map(|request| request.path.clone())
                    .collect();
                promise(wrong_path.is_empty(), promised, || {
                    format!("requests for user {id:?} went to {wrong_path:?}")
                })
            })?;
        }
    }
}

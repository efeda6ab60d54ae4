//! Parts of a history, through the public client API, against the simulations:
//!
//! - Spotify: a walk "after T" yields exactly the plays strictly after T (oldest first, as
//!   `SpotifyClient::history` documents for forward walks), and "before T" exactly those
//!   strictly before T (newest first); T is often the time of a play, the boundary that
//!   "strictly" is about.
//! - Amazon: `entityTypes` yields exactly the plays of those kinds (a kind the spec does not
//!   know is never among them), and `/users/{id}` yields that user's history and no one
//!   else's.
//!
//! - ListenBrainz: a walk of a `TimeWindow` yields exactly the listens strictly inside it,
//!   oldest first; its bounds are often the second of a listen, or of several.
//!
//! Each walk also makes exactly `max(1, ceil(m / limit))` requests, `m` the plays it yields
//! (see `common::minimal_requests`; ListenBrainz's, `common::listenbrainz_minimal_requests`).

use crate::common;

mod spotify {
    use proptest::prelude::*;
    use spotify_web_api::{Limit, RecentlyPlayedQuery, RetryPolicy, TimeWindow, UnixMillis};

    use super::common::*;

    /// A page size, play times, and a time T: the time of a play, one millisecond either
    /// side of it, or anywhere around the history.
    fn histories_and_a_time() -> impl Strategy<Value = (u32, Vec<i64>, i64)> {
        let offsets = prop_oneof![
            3 => Just(0i64),
            1 => Just(1i64),
            1 => Just(-1i64),
            3 => -700_000i64..=700_000,
        ];
        (
            spotify_histories(),
            any::<proptest::sample::Index>(),
            offsets,
        )
            .prop_map(|((limit, times), play, offset)| {
                let around = if times.is_empty() {
                    NEWEST_MS
                } else {
                    times[play.index(times.len())]
                };
                (limit, times, around + offset)
            })
    }

    /// Walks `window` at `limit` and checks the plays and the request count.
    async fn check_window(
        limit: u32,
        times: &[i64],
        window: TimeWindow,
        promised: &str,
        expected: Vec<(i64, String)>,
    ) -> Result<(), TestCaseError> {
        let sim = spotify_simulation(times).await;
        let client = spotify_client(&sim, RetryPolicy::none());
        let query = RecentlyPlayedQuery::in_window(window).limit(Limit::new(limit).unwrap());
        let walked = read_walk(&mut client.history(query), times.len() + 10).await;
        promise(walked.ended_cleanly(), promised, || walked.how_it_ended())?;
        let got: Vec<_> = walked.items.iter().map(spotify_key).collect();
        let diff = difference(&got, &expected);
        promise(diff.is_none(), promised, || {
            format!("{window:?} at limit {limit}:\n{}", diff.unwrap_or_default())
        })?;
        let minimal = minimal_requests(expected.len(), limit);
        promise(
            sim.request_count() == minimal,
            "a walk makes exactly max(1, ceil(n / limit)) requests",
            || {
                format!(
                    "{window:?}: {} plays at limit {limit}: {} requests, expected {minimal}",
                    expected.len(),
                    sim.request_count()
                )
            },
        )
    }

    proptest! {
        #![proptest_config(config())]

        /// `history(After(T))` yields exactly the plays strictly after T, oldest first.
        #[test]
        fn after_t_yields_exactly_the_plays_strictly_after_t((limit, times, t) in histories_and_a_time()) {
            let mut expected: Vec<_> = spotify_expected_keys(&times)
                .into_iter()
                .filter(|(at, _)| *at > t)
                .collect();
            expected.reverse();
            block_on(check_window(
                limit,
                &times,
                TimeWindow::After(UnixMillis::new(t)),
                "\"after T\" yields exactly the plays strictly after T, oldest first",
                expected,
            ))?;
        }

        /// `history(Before(T))` yields exactly the plays strictly before T, newest first.
        #[test]
        fn before_t_yields_exactly_the_plays_strictly_before_t((limit, times, t) in histories_and_a_time()) {
            let expected: Vec<_> = spotify_expected_keys(&times)
                .into_iter()
                .filter(|(at, _)| *at < t)
                .collect();
            block_on(check_window(
                limit,
                &times,
                TimeWindow::Before(UnixMillis::new(t)),
                "\"before T\" yields exactly the plays strictly before T, newest first",
                expected,
            ))?;
        }
    }
}

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

mod listenbrainz {
    use listenbrainz_api::{Count, ListensQuery, RetryPolicy, TimeWindow};
    use proptest::prelude::*;

    use super::common::*;

    /// A time near the history: the second of a listen, one second either side of it, or
    /// anywhere around the history.
    fn a_time(times: &[i64], listen: proptest::sample::Index, offset: i64) -> i64 {
        let around = if times.is_empty() {
            NEWEST_MS / 1000
        } else {
            times[listen.index(times.len())]
        };
        around + offset
    }

    fn offsets() -> impl Strategy<Value = i64> {
        prop_oneof![3 => Just(0i64), 1 => Just(1i64), 1 => Just(-1i64), 3 => -700i64..=700]
    }

    proptest! {
        #![proptest_config(config())]

        /// A walk of `TimeWindow { after, before }` yields exactly the listens strictly after
        /// `after` and strictly before `before`, oldest first, a second of several listens
        /// whole; its requests are those its paging needs.
        #[test]
        fn a_time_window_yields_exactly_the_listens_strictly_inside_it(
            (count, times) in listenbrainz_histories(),
            after in (any::<proptest::sample::Index>(), offsets()),
            before in proptest::option::of((any::<proptest::sample::Index>(), offsets())),
        ) {
            let after = a_time(&times, after.0, after.1);
            let before = before.map(|(listen, offset)| a_time(&times, listen, offset));
            let promised = "a time window yields exactly the listens strictly inside it, oldest first";
            let mut window = TimeWindow::after(after);
            if let Some(before) = before {
                window = window.before(before);
            }
            let inside: Vec<i64> = times
                .iter()
                .copied()
                .filter(|&t| t > after && before.is_none_or(|before| t < before))
                .collect();
            block_on(async {
                let sim = listenbrainz_simulation(&times).await;
                let client = listenbrainz_client(&sim, RetryPolicy::none());
                let query = ListensQuery::new(listenbrainz_user())
                    .count(Count::new(count).unwrap())
                    .resume_from(window.clone());
                let walked = read_walk(&mut client.history(query), times.len() + 10).await;
                // A window with no second inside it yields nothing, or is refused.
                if before.is_some_and(|before| before <= after + 1) {
                    promise(walked.error.is_some() || walked.items.is_empty(), promised, || {
                        format!("{window:?}: {}", walked.how_it_ended())
                    })?;
                    return Ok(());
                }
                promise(walked.ended_cleanly(), promised, || {
                    format!("{window:?}: {}", walked.how_it_ended())
                })?;
                let got: Vec<_> = walked.items.iter().map(listenbrainz_key).collect();
                let expected: Vec<_> = listenbrainz_expected_keys(&times)
                    .into_iter()
                    .filter(|(t, _)| inside.contains(t))
                    .collect();
                let diff = difference(&got, &expected);
                promise(diff.is_none(), promised, || {
                    format!("{window:?} at count {count}:\n{}", diff.unwrap_or_default())
                })?;
                let minimal = listenbrainz_minimal_requests(&inside, count);
                promise(
                    sim.request_count() == minimal,
                    "a walk makes exactly the requests its paging needs",
                    || format!("{window:?}: {} listens at count {count}: {} requests, expected {minimal}",
                        inside.len(), sim.request_count()),
                )
            })?;
        }
    }
}

//! Walking a whole history through the public client API, against the simulations:
//!
//! - every play is returned exactly once, newest first (ListenBrainz: oldest first), and the
//!   walk stops;
//! - the walk makes exactly the minimal number of requests, `max(1, ceil(n / limit))`
//!   (see [`common::minimal_requests`]; ListenBrainz, whose pages never cut a second, see
//!   [`common::listenbrainz_minimal_requests`]);
//! - a walk stopped anywhere resumes from the stream's resume point without losing or
//!   repeating a play;
//! - every response the simulation sent on the way conforms to the spec: the client decoded
//!   it into the generated types, and replayed with a plain HTTP client it matches the schema
//!   the spec declares for its operation and status.
//!
//! Histories hold 0 to 120 plays (empty ones and ones ending exactly on a page boundary
//! included) and page sizes are drawn from the whole documented range of the bounds table.

use crate::common;

mod spotify {
    use proptest::prelude::*;
    use spotify_web_api::{Limit, RecentlyPlayedQuery, RetryPolicy};

    use super::common::*;

    proptest! {
        #![proptest_config(config())]

        /// `history(Latest)` yields every play once, newest first, then ends and asks for
        /// nothing more; every page it read conforms to the spec.
        #[test]
        fn every_play_is_returned_exactly_once_newest_first((limit, times) in spotify_histories()) {
            block_on(async {
                let sim = spotify_simulation(&times).await;
                let client = spotify_client(&sim, RetryPolicy::none());
                let query = RecentlyPlayedQuery::new().limit(Limit::new(limit).unwrap());
                let mut history = client.history(query);
                let walked = read_walk(&mut history, times.len() + 10).await;
                let promised = "every play is returned exactly once, newest first, and the walk stops";
                promise(walked.ended_cleanly(), promised, || {
                    walked.how_it_ended()
                })?;
                let got: Vec<_> = walked.items.iter().map(spotify_key).collect();
                let expected = spotify_expected_keys(&times);
                let diff = difference(&got, &expected);
                promise(diff.is_none(), promised, || diff.unwrap_or_default())?;
                let requests = sim.request_count();
                let again = futures_util::StreamExt::next(&mut history).await;
                promise(again.is_none() && sim.request_count() == requests, promised, || {
                    "the stream yielded again, or asked for more, after it ended".to_string()
                })?;
                let problems = replay_and_check(sim.base_url(), &sim.requests(), spotify_spec()).await;
                promise(problems.is_empty(), "every response the simulation sends conforms to the spec", || {
                    problems.join("\n")
                })
            })?;
        }

        /// A walk back from the latest play makes exactly `max(1, ceil(n / limit))` requests:
        /// the page holding the oldest play carries `next: null`, so no empty page is asked
        /// for after a history that ends on a page boundary, and an empty history costs one.
        #[test]
        fn a_walk_makes_exactly_the_minimal_number_of_requests((limit, times) in spotify_histories()) {
            block_on(async {
                let sim = spotify_simulation(&times).await;
                let client = spotify_client(&sim, RetryPolicy::none());
                let query = RecentlyPlayedQuery::new().limit(Limit::new(limit).unwrap());
                let walked = read_walk(&mut client.history(query), times.len() + 10).await;
                promise(walked.ended_cleanly(), "the walk ends without an error", || {
                    walked.how_it_ended()
                })?;
                let expected = minimal_requests(times.len(), limit);
                promise(
                    sim.request_count() == expected,
                    "a walk makes exactly max(1, ceil(n / limit)) requests",
                    || format!("{} plays at limit {limit}: {} requests, expected {expected}",
                        times.len(), sim.request_count()),
                )
            })?;
        }

        /// A walk stopped after any number of plays resumes from `History::resume_point`
        /// (`Before(<last play yielded>)`): the two walks together yield every play exactly
        /// once, newest first. Once every play is yielded there is nothing to resume.
        #[test]
        fn a_walk_stopped_anywhere_resumes_without_losing_or_repeating_a_play(
            (limit, times) in spotify_histories(),
            stop in any::<proptest::sample::Index>(),
        ) {
            block_on(async {
                let sim = spotify_simulation(&times).await;
                let client = spotify_client(&sim, RetryPolicy::none());
                let limit = Limit::new(limit).unwrap();
                let mut history = client.history(RecentlyPlayedQuery::new().limit(limit));
                let k = stop.index(times.len() + 1);
                let mut got: Vec<_> = read_first(&mut history, k).await.items.iter().map(spotify_key).collect();
                let promised = "a walk stopped anywhere resumes from its resume point without losing or repeating a play";
                match history.resume_point() {
                    Some(window) => {
                        let mut rest = client.history(RecentlyPlayedQuery::in_window(window).limit(limit));
                        let walked = read_walk(&mut rest, times.len() + 10).await;
                        promise(walked.ended_cleanly(), promised, || walked.how_it_ended())?;
                        got.extend(walked.items.iter().map(spotify_key));
                    }
                    None => promise(k == times.len(), promised, || {
                        format!("no resume point after {k} of {} plays", times.len())
                    })?,
                }
                let diff = difference(&got, &spotify_expected_keys(&times));
                promise(diff.is_none(), promised, || format!("stopped after {k}:\n{}", diff.unwrap_or_default()))
            })?;
        }
    }
}

mod amazon {
    use amazon_music_web_api::{
        EntitiesLimit, MyEntitiesQuery, RetryPolicy, TracksLimit, TracksQuery,
    };
    use futures_util::StreamExt;
    use proptest::prelude::*;

    use super::common::*;

    fn track_histories() -> impl Strategy<Value = (u32, Vec<i64>)> {
        histories(limit_range("get_recently_played_tracks"), amazon_gaps())
    }

    fn entity_histories() -> impl Strategy<Value = (u32, Vec<EntitySpec>)> {
        limit_and_entity_history(limit_range("get_my_recently_played_entities"))
    }

    proptest! {
        #![proptest_config(config())]

        /// `track_history` yields every track play once, newest first (plays of the same
        /// instant in the service's order), then ends; every page conforms to the spec.
        #[test]
        fn every_track_play_is_returned_exactly_once_newest_first((limit, times) in track_histories()) {
            block_on(async {
                let sim = amazon_simulation(&times, &[], Vec::new()).await;
                let client = amazon_client(&sim, RetryPolicy::none());
                let mut history = client.history(TracksQuery::new().limit(TracksLimit::new(limit).unwrap()));
                let walked = read_walk(&mut history, times.len() + 10).await;
                let promised = "every play is returned exactly once, newest first, and the walk stops";
                promise(walked.ended_cleanly(), promised, || {
                    walked.how_it_ended()
                })?;
                let got: Vec<String> = walked.items.iter().map(|edge| edge.node.id.clone()).collect();
                let expected = newest_first(&times.iter().enumerate().map(|(i, &at)| (at, format!("T{i:03}"))).collect::<Vec<_>>());
                let diff = difference(&got, &expected);
                promise(diff.is_none(), promised, || diff.unwrap_or_default())?;
                let requests = sim.request_count();
                promise(history.next().await.is_none() && sim.request_count() == requests, promised, || {
                    "the stream yielded again, or asked for more, after it ended".to_string()
                })?;
                let problems = replay_and_check(sim.base_url(), &sim.requests(), amazon_spec()).await;
                promise(problems.is_empty(), "every response the simulation sends conforms to the spec", || {
                    problems.join("\n")
                })
            })?;
        }

        /// `my_entity_history` without a kind filter yields every entity play once, newest
        /// first, kinds the spec does not know included, then ends; every page conforms.
        #[test]
        fn every_entity_play_is_returned_exactly_once_newest_first((limit, plays) in entity_histories()) {
            block_on(async {
                let sim = amazon_simulation(&[], &plays, Vec::new()).await;
                let client = amazon_client(&sim, RetryPolicy::none());
                let mut history = client.history(MyEntitiesQuery::new().limit(EntitiesLimit::new(limit).unwrap()));
                let walked = read_walk(&mut history, plays.len() + 10).await;
                let promised = "every play is returned exactly once, newest first, and the walk stops";
                promise(walked.ended_cleanly(), promised, || {
                    walked.how_it_ended()
                })?;
                let got: Vec<String> = walked.items.iter().map(|edge| edge.id.clone().unwrap_or_default()).collect();
                let expected = newest_first(&plays.iter().enumerate().map(|(i, play)| (play.at, format!("{ME}-play{i}"))).collect::<Vec<_>>());
                let diff = difference(&got, &expected);
                promise(diff.is_none(), promised, || diff.unwrap_or_default())?;
                let requests = sim.request_count();
                promise(history.next().await.is_none() && sim.request_count() == requests, promised, || {
                    "the stream yielded again, or asked for more, after it ended".to_string()
                })?;
                let problems = replay_and_check(sim.base_url(), &sim.requests(), amazon_spec()).await;
                promise(problems.is_empty(), "every response the simulation sends conforms to the spec", || {
                    problems.join("\n")
                })
            })?;
        }

        /// Track and entity walks make exactly `max(1, ceil(n / limit))` requests: the page
        /// holding the last edge says `hasNextPage: false`, so no empty page is asked for
        /// after a history that ends on a page boundary, and an empty history costs one.
        #[test]
        fn a_walk_makes_exactly_the_minimal_number_of_requests(
            (track_limit, times) in track_histories(),
            (entity_limit, plays) in entity_histories(),
        ) {
            block_on(async {
                let sim = amazon_simulation(&times, &plays, Vec::new()).await;
                let client = amazon_client(&sim, RetryPolicy::none());
                let promised = "a walk makes exactly max(1, ceil(n / limit)) requests";

                let mut tracks = client.history(TracksQuery::new().limit(TracksLimit::new(track_limit).unwrap()));
                let walked = read_walk(&mut tracks, times.len() + 10).await;
                promise(walked.ended_cleanly(), "the walk ends without an error", || {
                    walked.how_it_ended()
                })?;
                let expected = minimal_requests(times.len(), track_limit);
                promise(sim.request_count() == expected, promised, || {
                    format!("tracks: {} plays at limit {track_limit}: {} requests, expected {expected}",
                        times.len(), sim.request_count())
                })?;

                let before = sim.request_count();
                let mut entities = client.history(MyEntitiesQuery::new().limit(EntitiesLimit::new(entity_limit).unwrap()));
                let walked = read_walk(&mut entities, plays.len() + 10).await;
                promise(walked.ended_cleanly(), "the walk ends without an error", || {
                    walked.how_it_ended()
                })?;
                let expected = minimal_requests(plays.len(), entity_limit);
                let made = sim.request_count() - before;
                promise(made == expected, promised, || {
                    format!("entities: {} plays at limit {entity_limit}: {made} requests, expected {expected}",
                        plays.len())
                })
            })?;
        }

        /// A track walk stopped after any number of plays resumes from
        /// `History::resume_point` (the page's cursor and how many of its edges were
        /// yielded): the two walks together yield every play exactly once, newest first.
        #[test]
        fn a_walk_stopped_anywhere_resumes_without_losing_or_repeating_a_play(
            (limit, times) in track_histories(),
            stop in any::<proptest::sample::Index>(),
        ) {
            block_on(async {
                let sim = amazon_simulation(&times, &[], Vec::new()).await;
                let client = amazon_client(&sim, RetryPolicy::none());
                let limit = Some(TracksLimit::new(limit).unwrap());
                let mut history = client.history(TracksQuery { limit, ..TracksQuery::new() });
                let k = stop.index(times.len() + 1);
                let mut got: Vec<String> = read_first(&mut history, k).await.items.into_iter().map(|edge| edge.node.id).collect();
                let promised = "a walk stopped anywhere resumes from its resume point without losing or repeating a play";
                match history.resume_point() {
                    Some(resume) => {
                        let mut rest = client.history((TracksQuery { limit, ..TracksQuery::new() }).resume_from(resume));
                        let walked = read_walk(&mut rest, times.len() + 10).await;
                        promise(walked.ended_cleanly(), promised, || walked.how_it_ended())?;
                        got.extend(walked.items.into_iter().map(|edge| edge.node.id));
                    }
                    None => promise(k == times.len(), promised, || {
                        format!("no resume point after {k} of {} plays", times.len())
                    })?,
                }
                let expected = newest_first(&times.iter().enumerate().map(|(i, &at)| (at, format!("T{i:03}"))).collect::<Vec<_>>());
                let diff = difference(&got, &expected);
                promise(diff.is_none(), promised, || format!("stopped after {k}:\n{}", diff.unwrap_or_default()))
            })?;
        }
    }
}

mod listenbrainz {
    use listenbrainz_api::{Count, ListensQuery, RetryPolicy};
    use music_history_sandbox::listenbrainz::ListenBrainzListen;
    use proptest::prelude::*;

    use super::common::*;

    /// Listens recorded while a walk runs, newer than where it stands (two in one second),
    /// are yielded by that walk, each once and in order: every page asks up to the present.
    #[test]
    fn listens_recorded_while_a_walk_runs_are_yielded_once_in_order() {
        block_on(walk_while_listens_are_recorded());
    }

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

    proptest! {
        #![proptest_config(config())]

        /// `history` yields every listen once, oldest first (by `recording_msid` within a
        /// second), then ends and asks for nothing more; every page it read conforms to the
        /// spec.
        #[test]
        fn every_listen_is_returned_exactly_once_oldest_first((count, times) in listenbrainz_histories()) {
            block_on(async {
                let sim = listenbrainz_simulation(&times).await;
                let client = listenbrainz_client(&sim, RetryPolicy::none());
                let query = ListensQuery::new(listenbrainz_user()).count(Count::new(count).unwrap());
                let mut history = client.history(query);
                let walked = read_walk(&mut history, times.len() + 10).await;
                let promised = "every listen is returned exactly once, oldest first, and the walk stops";
                promise(walked.ended_cleanly(), promised, || walked.how_it_ended())?;
                let got: Vec<_> = walked.items.iter().map(listenbrainz_key).collect();
                let diff = difference(&got, &listenbrainz_expected_keys(&times));
                promise(diff.is_none(), promised, || diff.unwrap_or_default())?;
                let requests = sim.request_count();
                let again = futures_util::StreamExt::next(&mut history).await;
                promise(again.is_none() && sim.request_count() == requests, promised, || {
                    "the stream yielded again, or asked for more, after it ended".to_string()
                })?;
                let problems = replay_and_check(sim.base_url(), &sim.requests(), listenbrainz_spec()).await;
                promise(problems.is_empty(), "every response the simulation sends conforms to the spec", || {
                    problems.join("\n")
                })
            })?;
        }

        /// A walk makes exactly the requests its paging needs
        /// ([`listenbrainz_minimal_requests`]): a page with fewer than `count` listens ends
        /// it, and a full page is followed from where its newest second begins.
        #[test]
        fn a_walk_makes_exactly_the_minimal_number_of_requests((count, times) in listenbrainz_histories()) {
            block_on(async {
                let sim = listenbrainz_simulation(&times).await;
                let client = listenbrainz_client(&sim, RetryPolicy::none());
                let query = ListensQuery::new(listenbrainz_user()).count(Count::new(count).unwrap());
                let walked = read_walk(&mut client.history(query), times.len() + 10).await;
                promise(walked.ended_cleanly(), "the walk ends without an error", || {
                    walked.how_it_ended()
                })?;
                let expected = listenbrainz_minimal_requests(&times, count);
                promise(
                    sim.request_count() == expected,
                    "a walk makes exactly the requests its paging needs",
                    || format!("{} listens at count {count}: {} requests, expected {expected}",
                        times.len(), sim.request_count()),
                )
            })?;
        }

        /// A walk stopped after any number of listens resumes from `History::resume_point`
        /// (a `TimeWindow`): the two walks together yield every listen exactly once, oldest
        /// first, a second cut by the stop included.
        #[test]
        fn a_walk_stopped_anywhere_resumes_without_losing_or_repeating_a_listen(
            (count, times) in listenbrainz_histories(),
            stop in any::<proptest::sample::Index>(),
        ) {
            block_on(async {
                let sim = listenbrainz_simulation(&times).await;
                let client = listenbrainz_client(&sim, RetryPolicy::none());
                let count = Count::new(count).unwrap();
                let mut history = client.history(ListensQuery::new(listenbrainz_user()).count(count));
                let k = stop.index(times.len() + 1);
                let mut got: Vec<_> = read_first(&mut history, k).await.items.iter().map(listenbrainz_key).collect();
                let promised = "a walk stopped anywhere resumes from its resume point without losing or repeating a listen";
                match history.resume_point() {
                    Some(window) => {
                        let query = ListensQuery::new(listenbrainz_user()).count(count).resume_from(window);
                        let walked = read_walk(&mut client.history(query), times.len() + 10).await;
                        promise(walked.ended_cleanly(), promised, || walked.how_it_ended())?;
                        got.extend(walked.items.iter().map(listenbrainz_key));
                    }
                    None => promise(k == times.len(), promised, || {
                        format!("no resume point after {k} of {} listens", times.len())
                    })?,
                }
                let diff = difference(&got, &listenbrainz_expected_keys(&times));
                promise(diff.is_none(), promised, || format!("stopped after {k}:\n{}", diff.unwrap_or_default()))
            })?;
        }
    }
}

//! One malformed item never costs the rest: a page served with any one item mutated (made
//! `null`, made a number, stripped of a required field, or given a wrong inner value — a
//! `null` track or `track_metadata`, an entity ID that is a number) loses no other item of
//! the walk, and the
//! walk reports exactly that item, with its index in the page and its JSON as sent, as a
//! non-fatal `MalformedItem` error, then goes on to the end.
//!
//! The page is the simulation's own response for that page, mutated and served in its place
//! with the sandbox's `Fault::Body`; any page of a multi-page walk can be the one.

use crate::common;

use common::*;
use futures_util::StreamExt;
use music_history_sandbox::{Fault, amazon, listenbrainz, spotify};
use proptest::prelude::*;
use serde_json::Value;

/// How the item is broken.
#[derive(Clone, Copy, Debug)]
enum Mutation {
    /// The whole item is `null`.
    Null,
    /// The whole item is a number.
    WrongType,
    /// The item's required time (`played_at`, `playedDate`, `listened_at`) is missing.
    MissingRequired,
    /// What the item holds is wrong: Spotify's `track` is `null`, and ListenBrainz's
    /// `track_metadata`; an Amazon node of a documented kind has a number for its `id` (an
    /// unknown kind has no shape to break, so its `playedDate` is not a date instead).
    WrongInside,
}

fn mutations() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::Null),
        Just(Mutation::WrongType),
        Just(Mutation::MissingRequired),
        Just(Mutation::WrongInside),
    ]
}

const KNOWN_KINDS: [&str; 8] = [
    "Album",
    "Artist",
    "Category",
    "Playlist",
    "PodcastEpisode",
    "PodcastShow",
    "Track",
    "User",
];

fn mutate(item: &mut Value, mutation: Mutation, time_field: &str) {
    match mutation {
        Mutation::Null => *item = Value::Null,
        Mutation::WrongType => *item = Value::from(42),
        Mutation::MissingRequired => {
            item.as_object_mut()
                .expect("an item is an object")
                .remove(time_field);
        }
        Mutation::WrongInside if item.get("track").is_some() => item["track"] = Value::Null,
        Mutation::WrongInside if item.get("track_metadata").is_some() => {
            item["track_metadata"] = Value::Null;
        }
        Mutation::WrongInside => {
            let kind = item["node"]["_type"].as_str().unwrap_or_default();
            if KNOWN_KINDS.contains(&kind) {
                item["node"]["id"] = Value::from(7);
            } else {
                item[time_field] = Value::from("yesterday");
            }
        }
    }
}

/// GETs `url` from a simulation with its credentials; the body as JSON.
async fn raw_page(url: &str, token: &str, api_key: Option<&str>) -> Value {
    let mut request = client_support::http::client_builder()
        .build()
        .expect("an HTTP client")
        .get(url)
        .bearer_auth(token);
    if let Some(key) = api_key {
        request = request.header("x-api-key", key);
    }
    let response = request.send().await.expect("the simulation answers");
    assert_eq!(response.status(), 200, "{url}");
    response.json().await.expect("a JSON page")
}

/// Whether the walk's results are: every item but the mutated one (`got` equal to
/// `expected` less `lost`), and exactly one error, the malformed item at `index` with
/// `raw` as its JSON.
fn check<E: std::fmt::Debug>(
    got: &[String],
    expected: &[String],
    lost: &str,
    errors: &[E],
    malformed: Option<(usize, Value)>,
    index: usize,
    raw: &Value,
) -> Result<(), TestCaseError> {
    let promised = "a malformed item loses no other item and is reported, alone";
    let mut want: Vec<String> = expected.to_vec();
    let at = want
        .iter()
        .position(|key| key == lost)
        .expect("the mutated item is in the history");
    want.remove(at);
    promise(got == want.as_slice(), promised, || {
        format!("mutated {lost}: got {got:?}\nexpected {want:?}")
    })?;
    promise(errors.len() == 1, promised, || {
        format!("errors: {errors:?}")
    })?;
    promise(malformed == Some((index, raw.clone())), promised, || {
        format!("reported {malformed:?}, mutated item {index}: {raw}")
    })
}

mod spotify_walks {
    use super::*;
    use spotify_web_api::{Error, Limit, Outcome, RecentlyPlayedQuery, RetryPolicy};

    proptest! {
        #![proptest_config(config())]

        /// Walking back through the plays with one item of one page broken yields every
        /// other play, newest first, and one `MalformedItem` naming the broken one.
        #[test]
        fn a_malformed_play_loses_no_other_play_and_is_reported_alone(
            (limit, times) in spotify_histories().prop_filter("a play to break", |(_, t)| !t.is_empty()),
            page_pick in any::<prop::sample::Index>(),
            item_pick in any::<prop::sample::Index>(),
            mutation in mutations(),
        ) {
            block_on(async {
                let sim = spotify_simulation(&times).await;
                let limit = limit as usize;
                let pages = times.len().div_ceil(limit);
                let page = page_pick.index(pages);
                // The page as the simulation serves it to the walk: follow its `next` links.
                let mut url = format!("{}/me/player/recently-played?limit={limit}", sim.base_url());
                let mut body = raw_page(&url, spotify::DEFAULT_ACCESS_TOKEN, None).await;
                for _ in 0..page {
                    url = body["next"].as_str().expect("a next page").to_string();
                    body = raw_page(&url, spotify::DEFAULT_ACCESS_TOKEN, None).await;
                }
                let items = body["items"].as_array_mut().expect("items");
                let index = item_pick.index(items.len());
                let lost = format!(
                    "{}",
                    chrono::DateTime::parse_from_rfc3339(items[index]["played_at"].as_str().unwrap())
                        .unwrap()
                        .timestamp_millis()
                );
                mutate(&mut items[index], mutation, "played_at");
                let raw = items[index].clone();
                let served = serde_json::to_vec(&body).unwrap();

                let client = spotify_client(&sim, RetryPolicy::none());
                let query = RecentlyPlayedQuery::new().limit(Limit::new(limit as u32).unwrap());
                // Read on past the malformed play, within bounds: its history, plus some.
                let mut history = Bounded::new(client.history(query), times.len() + 10);
                let (mut got, mut errors, mut malformed) = (Vec::new(), Vec::new(), None);
                let mut injected = false;
                loop {
                    if !injected && got.len() == page * limit {
                        // The walk is about to ask for the page to break.
                        sim.inject(Fault::Body {
                            status: 200,
                            body: served.clone(),
                            content_type: Some("application/json".into()),
                        });
                        injected = true;
                    }
                    match history.next().await {
                        None => break,
                        Some(Ok(play)) => got.push(play.played_at.timestamp_millis().to_string()),
                        Some(Err(Error::MalformedItem(item))) => {
                            let json: Value = serde_json::from_str(item.malformed.raw().get()).unwrap();
                            malformed = Some((item.index, json));
                            errors.push(format!("{item}"));
                        }
                        Some(Err(other)) => errors.push(other.to_string()),
                    }
                }
                let expected: Vec<String> = spotify_expected_keys(&times)
                    .into_iter()
                    .map(|(ms, _)| ms.to_string())
                    .collect();
                check(&got, &expected, &lost, &errors, malformed, index, &raw)?;
                let outcome = history.get_ref().outcome();
                promise(outcome == Some(Outcome::Complete), "the walk goes on to the end", || {
                    format!("{outcome:?}")
                })
            })?;
        }
    }
}

mod amazon_walks {
    use super::*;
    use amazon_music_web_api::{EntitiesLimit, Error, MyEntitiesQuery, Outcome, RetryPolicy};

    proptest! {
        #![proptest_config(config())]

        /// Walking my entity history with one edge of one page broken yields every other
        /// edge, in order, and one `MalformedItem` naming the broken one.
        #[test]
        fn a_malformed_edge_loses_no_other_edge_and_is_reported_alone(
            (limit, specs) in limit_and_entity_history(1..=100).prop_filter("an edge to break", |(_, s)| !s.is_empty()),
            page_pick in any::<prop::sample::Index>(),
            item_pick in any::<prop::sample::Index>(),
            mutation in mutations(),
        ) {
            block_on(async {
                let sim = amazon_simulation(&[], &specs, Vec::new()).await;
                let limit = limit as usize;
                let pages = specs.len().div_ceil(limit);
                let page = page_pick.index(pages);
                let base = format!("{}/me/recentlyPlayedEntities?limit={limit}", sim.base_url());
                let fetch = |url: String| async move {
                    raw_page(&url, amazon::DEFAULT_ACCESS_TOKEN, Some(amazon::DEFAULT_API_KEY)).await
                };
                let mut body = fetch(base.clone()).await;
                for _ in 0..page {
                    let token = body["data"]["user"]["recentEntitiesPlayback"]["pageInfo"]["token"]
                        .as_str()
                        .expect("a next page")
                        .to_string();
                    let url = reqwest::Url::parse_with_params(&base, [("cursor", token)])
                        .expect("a URL");
                    body = fetch(url.to_string()).await;
                }
                let edges = body["data"]["user"]["recentEntitiesPlayback"]["edges"]
                    .as_array_mut()
                    .expect("edges");
                let index = item_pick.index(edges.len());
                let lost = edges[index]["id"].as_str().expect("an edge ID").to_string();
                mutate(&mut edges[index], mutation, "playedDate");
                let raw = edges[index].clone();
                let served = serde_json::to_vec(&body).unwrap();

                let client = amazon_client(&sim, RetryPolicy::none());
                let query = MyEntitiesQuery::new().limit(EntitiesLimit::new(limit as u32).unwrap());
                // Read on past the malformed edge, within bounds: its history, plus some.
                let mut history = Bounded::new(client.history(query), specs.len() + 10);
                let (mut got, mut errors, mut malformed) = (Vec::new(), Vec::new(), None);
                let mut injected = false;
                loop {
                    if !injected && got.len() == page * limit {
                        sim.inject(Fault::Body {
                            status: 200,
                            body: served.clone(),
                            content_type: Some("application/json".into()),
                        });
                        injected = true;
                    }
                    match history.next().await {
                        None => break,
                        Some(Ok(edge)) => got.push(edge.id.clone().unwrap_or_default()),
                        Some(Err(Error::MalformedItem(item))) => {
                            let json: Value = serde_json::from_str(item.malformed.raw().get()).unwrap();
                            malformed = Some((item.index, json));
                            errors.push(format!("{item}"));
                        }
                        Some(Err(other)) => errors.push(other.to_string()),
                    }
                }
                let expected: Vec<String> = newest_first(
                    &specs
                        .iter()
                        .enumerate()
                        .map(|(i, spec)| (spec.at, format!("{ME}-play{i}")))
                        .collect::<Vec<_>>(),
                );
                check(&got, &expected, &lost, &errors, malformed, index, &raw)?;
                let outcome = history.get_ref().outcome();
                promise(outcome == Some(Outcome::Complete), "the walk goes on to the end", || {
                    format!("{outcome:?}")
                })
            })?;
        }
    }
}

/// Tolerant where nothing is lost: a value that is not a string, in an open map of strings
/// (`external_urls` of a track, its album, an artist or the context; a track's
/// `external_ids`), costs that value alone. Every play of the page decodes, with every string
/// of its maps; the odd value is dropped (`spotify_web_api::ExternalUrls` says why).
#[test]
fn a_non_string_value_in_an_open_map_of_strings_costs_the_play_nothing() {
    use serde_json::json;
    use spotify_web_api::{Entry, Limit, RecentlyPlayed, RecentlyPlayedQuery, RetryPolicy};

    block_on(async {
        let sim = spotify::SpotifySimulation::start(spotify::SpotifyHistory::realistic(8, 3)).await;
        let url = format!("{}/me/player/recently-played?limit=8", sim.base_url());
        let mut page = raw_page(&url, spotify::DEFAULT_ACCESS_TOKEN, None).await;
        let items = page["items"].as_array_mut().expect("items");
        assert_eq!(items.len(), 8);
        for item in items.iter_mut() {
            let track = &mut item["track"];
            track["external_urls"]["odd"] = json!(42);
            track["external_urls"]["list"] = json!(["https://example.com"]);
            track["external_urls"]["kept"] = json!("https://example.com/kept");
            track["external_ids"]["numeric"] = json!(12_345);
            track["external_ids"]["upc"] = json!(602_547);
            track["album"]["external_urls"]["object"] = json!({"url": "x"});
            track["artists"][0]["external_urls"]["spotify"] = json!(7);
            if item["context"].is_object() {
                item["context"]["external_urls"]["flag"] = json!(true);
            }
        }
        let poisoned = page.clone();
        sim.inject(Fault::Body {
            status: 200,
            body: serde_json::to_vec(&page).expect("JSON"),
            content_type: Some("application/json".to_owned()),
        });
        let client = spotify_client(&sim, RetryPolicy::none());
        let query = RecentlyPlayedQuery::new().limit(Limit::new(8).expect("a limit"));
        let RecentlyPlayed::Page(decoded) = client.fetch(&query).await.expect("the page") else {
            panic!("a page, not a private session");
        };
        assert_eq!(decoded.items.len(), 8);
        for (entry, sent) in decoded
            .items
            .iter()
            .zip(poisoned["items"].as_array().unwrap())
        {
            let Entry::Item(play) = entry else {
                panic!("a play with an odd value in a map was lost: {entry:?}");
            };
            let urls = &play.track.external_urls;
            assert_eq!(
                urls.spotify.as_deref(),
                sent["track"]["external_urls"]["spotify"].as_str(),
                "the strings are kept"
            );
            assert_eq!(
                urls.extra.get("kept").map(String::as_str),
                Some("https://example.com/kept")
            );
            assert!(!urls.extra.contains_key("odd") && !urls.extra.contains_key("list"));
            let ids = play.track.external_ids.as_ref().expect("external IDs");
            assert_eq!(
                ids.isrc.as_deref(),
                sent["track"]["external_ids"]["isrc"].as_str()
            );
            assert_eq!(
                ids.upc, None,
                "a number where the UPC's text goes is dropped"
            );
            assert!(ids.extra.is_empty());
            assert_eq!(play.track.artists[0].external_urls.spotify, None);
        }
    });
}

mod listenbrainz_walks {
    use super::*;
    use listenbrainz_api::{Count, Error, ListensQuery, Outcome, RetryPolicy};

    proptest! {
        #![proptest_config(config())]

        /// Walking forward through the listens with one item of one page broken yields
        /// every other listen, oldest first, and one `MalformedItem` naming the broken one.
        /// (Not the newest listen of a full page: the next page asks for its second again,
        /// and then it comes whole.)
        #[test]
        fn a_malformed_listen_loses_no_other_listen_and_is_reported_alone(
            count in 8usize..=40,
            n in 1usize..=MAX_PLAYS,
            page_pick in any::<prop::sample::Index>(),
            item_pick in any::<prop::sample::Index>(),
            mutation in mutations(),
        ) {
            // Seconds of their own, so that page `p` starts at the `p * (count - 1)`th.
            let times: Vec<i64> = (0..n as i64).map(|i| NEWEST_MS / 1000 - 7 * i).collect();
            let oldest_first: Vec<i64> = times.iter().rev().copied().collect();
            block_on(async {
                let sim = listenbrainz_simulation(&times).await;
                let pages = listenbrainz_minimal_requests(&times, count as u32);
                let page = page_pick.index(pages);
                let from = page * (count - 1);
                let min_ts = if page == 0 { 0 } else { oldest_first[from] - 1 };
                // The page as the simulation serves it to the walk.
                let url = format!(
                    "{}/1/user/{}/listens?min_ts={min_ts}&max_ts={}&count={count}",
                    sim.base_url(),
                    listenbrainz::DEFAULT_USER_NAME,
                    NEWEST_MS / 1000 + 10
                );
                let mut body = raw_page(&url, listenbrainz::DEFAULT_TOKEN, None).await;
                let listens = body["payload"]["listens"].as_array_mut().expect("listens");
                let full = listens.len() == count;
                let index = usize::from(full) + item_pick.index(listens.len() - usize::from(full));
                let lost = listens[index]["listened_at"].to_string();
                mutate(&mut listens[index], mutation, "listened_at");
                let raw = listens[index].clone();
                let served = serde_json::to_vec(&body).unwrap();

                let client = listenbrainz_client(&sim, RetryPolicy::none());
                let query = ListensQuery::new(listenbrainz_user()).count(Count::new(count as u32).unwrap());
                let mut history = Bounded::new(client.history(query), times.len() + 10);
                let (mut got, mut errors, mut malformed) = (Vec::new(), Vec::new(), None);
                let mut injected = false;
                loop {
                    if !injected && got.len() == from {
                        // The walk is about to ask for the page to break.
                        sim.inject(Fault::Body {
                            status: 200,
                            body: served.clone(),
                            content_type: Some("application/json".into()),
                        });
                        injected = true;
                    }
                    match history.next().await {
                        None => break,
                        Some(Ok(listen)) => got.push(listen.listened_at.to_string()),
                        Some(Err(Error::MalformedItem(item))) => {
                            let json: Value = serde_json::from_str(item.malformed.raw().get()).unwrap();
                            malformed = Some((item.index, json));
                            errors.push(format!("{item}"));
                        }
                        Some(Err(other)) => errors.push(other.to_string()),
                    }
                }
                let expected: Vec<String> = oldest_first.iter().map(i64::to_string).collect();
                check(&got, &expected, &lost, &errors, malformed, index, &raw)?;
                let outcome = history.get_ref().outcome();
                promise(outcome == Some(Outcome::Complete), "the walk goes on to the end", || {
                    format!("{outcome:?}")
                })
            })?;
        }
    }
}

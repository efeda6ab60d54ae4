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

use client_support::{Outcome, RetryPolicy};
use common::*;
use futures_util::StreamExt;
use music_history_sandbox::{Fault, spotify};
use proptest::prelude::*;
use serde_json::Value;

use crate::subjects::{Connection, Plays, Subject, hold_property, with_every_subject};

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

/// GETs `url` from a simulation with `token`; the body as JSON.
async fn raw_page(url: &str, token: &str) -> Value {
    let response = client_support::http::client_builder()
        .build()
        .expect("an HTTP client")
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .expect("the simulation answers");
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

/// Walking a history with one item of one page broken yields every other item, in order,
/// and one `MalformedItem` naming the broken one, then goes on to the end; each service with
/// its own histories and page sizes.
fn a_malformed_item_loses_no_other_item_and_is_reported_alone(subject: &'static dyn Subject) {
    let cases = (
        subject.broken_item_walks(),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        mutations(),
    );
    hold_property(
        subject,
        file!(),
        cases,
        |((page_size, plays), page_pick, item_pick, mutation)| {
            block_on(walk_past_a_broken_item(
                subject, page_size, &plays, page_pick, item_pick, mutation,
            ))
        },
    );
}

with_every_subject!(one_test_each a_malformed_item_loses_no_other_item_and_is_reported_alone);

/// One case: page `page_pick` of the walk of `plays` at `page_size` is served with its item
/// `item_pick` broken by `mutation`.
async fn walk_past_a_broken_item(
    subject: &'static dyn Subject,
    page_size: u32,
    plays: &Plays,
    page_pick: prop::sample::Index,
    item_pick: prop::sample::Index,
    mutation: Mutation,
) -> Result<(), TestCaseError> {
    let sim = subject.simulate_plays(plays).await;
    let page = page_pick.index(subject.pages(plays, page_size));
    // The page as the simulation serves it to the walk.
    let served = subject
        .served_page(sim.base_url(), plays, page_size, page)
        .await;
    let mut body = served.body;
    let items = subject.items_of(&mut body);
    let breakable = subject.breakable(items.len(), page_size);
    let index = breakable.start + item_pick.index(breakable.len());
    let lost = subject.raw_key(&items[index]);
    mutate(&mut items[index], mutation, subject.time_field());
    let raw = items[index].clone();
    let served_body = serde_json::to_vec(&body).unwrap();

    let client = subject.client(sim.base_url(), Connection::simulated(RetryPolicy::none()));
    let walk = client.walk(subject.history_operation(), Some(page_size), None);
    // Read on past the malformed item, within bounds: its history, plus some.
    let mut history = Bounded::new(walk, plays.times.len() + 10);
    let (mut got, mut errors, mut malformed) = (Vec::new(), Vec::new(), None);
    let mut injected = false;
    loop {
        if !injected && got.len() == served.yielded_before {
            // The walk is about to ask for the page to break.
            sim.inject(Fault::Body {
                status: 200,
                body: served_body.clone(),
                content_type: Some("application/json".into()),
            });
            injected = true;
        }
        match history.next().await {
            None => break,
            Some(Ok(key)) => got.push(key),
            Some(Err(failure)) => {
                if let Some(item) = &failure.malformed {
                    malformed = Some(item.as_ref().clone());
                }
                errors.push(failure.to_string());
            }
        }
    }
    let expected = subject.expected_keys(plays);
    check(&got, &expected, &lost, &errors, malformed, index, &raw)?;
    let outcome = history.get_ref().outcome();
    promise(
        outcome == Some(Outcome::Complete),
        "the walk goes on to the end",
        || format!("{}: {outcome:?}", subject.name()),
    )
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
        let mut page = raw_page(&url, spotify::DEFAULT_ACCESS_TOKEN).await;
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

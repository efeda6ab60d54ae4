//! What the property tests share: the proptest configuration, the runtime, the histories they
//! simulate, clients pointed at a simulation, walks, and checks whose messages name the
//! promise they guard.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::future::Future;
use std::ops::RangeInclusive;
use std::time::Duration;

use amazon_music_web_api::types::EntityType;
use amazon_music_web_api::{AmazonMusicClient, EntityNode};
use conformance::bounds;
use conformance::responses::SpecResponses;
use listenbrainz_api::{ListenBrainzClient, UserName};
use music_history_sandbox::RecordedRequest;
use music_history_sandbox::amazon::{
    self, AmazonMusicHistory, AmazonMusicSimulation, AmazonMusicUser, EntityPlay, TrackPlay,
};
use music_history_sandbox::listenbrainz::{
    self, ListenBrainzHistory, ListenBrainzListen, ListenBrainzSimulation,
};
use music_history_sandbox::spotify::{self, SpotifyHistory, SpotifyPlay, SpotifySimulation};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError};
use spotify_web_api::{RetryPolicy, SpotifyClient};

/// The largest history a case simulates: enough for many pages at small limits, small enough
/// for 256 cases of every property to run in seconds.
pub const MAX_PLAYS: usize = 120;

/// The newest play of every generated history: 2024-05-01T12:00:00Z.
pub const NEWEST_MS: i64 = 1_714_564_800_000;

/// The proptest configuration of every property: proptest's default, so that
/// `PROPTEST_CASES` (256 when unset) and the other `PROPTEST_*` variables apply, with failing
/// cases kept beside the test file (`tests/it/<file>.proptest-regressions`, to be committed),
/// and shrinking stopped after [`MAX_SHRINK_TIME_MS`] unless `PROPTEST_MAX_SHRINK_TIME`
/// says otherwise.
pub fn config() -> Config {
    let default = Config::default();
    Config {
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        max_shrink_time: match default.max_shrink_time {
            0 => MAX_SHRINK_TIME_MS,
            set => set,
        },
        ..default
    }
}

/// How long a failing property may shrink, in milliseconds: 20 s. Shrinking a failure
/// usually takes a few seconds; without a limit, a walk that never ends (stopped only by
/// `TIME_LIMIT` when it yields nothing) would cost that limit for each of up to a thousand
/// cases tried, and its test would run for an hour instead of failing within a minute.
/// Proptest says when it stops early, and how to let it shrink longer.
pub const MAX_SHRINK_TIME_MS: u32 = 20_000;

thread_local! {
    // libtest runs each test on a thread of its own (unless told to use one thread), so this
    // is one runtime per test, shared by its cases.
    static RUNTIME: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread Tokio runtime");
}

/// Runs `future` on this test's current-thread runtime.
pub fn block_on<F: Future>(future: F) -> F::Output {
    RUNTIME.with(|runtime| runtime.block_on(future))
}

/// Fails the case unless `kept`, with a message that names the promise broken.
pub fn promise(
    kept: bool,
    promise: &str,
    detail: impl FnOnce() -> String,
) -> Result<(), TestCaseError> {
    if kept {
        Ok(())
    } else {
        Err(TestCaseError::fail(format!(
            "promise broken: {promise}\n{}",
            detail()
        )))
    }
}

/// The row of `operation_id` in the bounds table.
pub fn documented(operation_id: &str) -> &'static bounds::Documented {
    bounds::operation(operation_id)
        .unwrap_or_else(|| panic!("{operation_id} has no row in conformance/src/bounds.rs"))
}

/// The documented `limit` range of `operation_id`, as `u32`s.
pub fn limit_range(operation_id: &str) -> RangeInclusive<u32> {
    let limit = documented(operation_id)
        .limit
        .unwrap_or_else(|| panic!("{operation_id} takes no limit"));
    let narrow = |n: u64| u32::try_from(n).expect("a documented limit fits in u32");
    narrow(limit.min)..=narrow(limit.max)
}

/// How many plays a history holds, whatever the page size.
#[derive(Clone, Copy, Debug)]
pub enum Size {
    /// No plays.
    Empty,
    /// Full pages, as many as the index picks among those that fit in [`MAX_PLAYS`]: the
    /// history ends exactly on a page boundary.
    Pages(proptest::sample::Index),
    /// This many plays (at most [`MAX_PLAYS`]).
    Plays(usize),
}

impl Size {
    /// The number of plays at page size `limit`.
    pub fn plays(self, limit: u32) -> usize {
        let page = (limit as usize).max(1);
        match self {
            Self::Empty => 0,
            Self::Pages(pages) => (1 + pages.index((MAX_PLAYS / page).max(1))) * page,
            Self::Plays(n) => n.min(MAX_PLAYS),
        }
    }
}

/// A history size: empty now and then, ending exactly on a page boundary often, anything up
/// to [`MAX_PLAYS`] otherwise.
pub fn sizes() -> impl Strategy<Value = Size> {
    prop_oneof![
        1 => Just(Size::Empty),
        3 => any::<proptest::sample::Index>().prop_map(Size::Pages),
        6 => (0..=MAX_PLAYS).prop_map(Size::Plays),
    ]
}

/// A page size drawn from `limits` and a history size (see [`sizes`]). Drawn independently,
/// so that a failing case shrinks both: fewer plays, smaller pages.
pub fn limit_and_size(limits: RangeInclusive<u32>) -> impl Strategy<Value = (u32, usize)> {
    (limits, sizes()).prop_map(|(limit, size)| (limit, size.plays(limit)))
}

/// Play times in Unix milliseconds, newest first, from [`NEWEST_MS`] back by `gaps`.
pub fn times_from_gaps(gaps: &[i64]) -> Vec<i64> {
    gaps.iter()
        .scan(NEWEST_MS, |at, gap| {
            *at -= gap;
            Some(*at)
        })
        .collect()
}

/// [`MAX_PLAYS`] gaps; a history of `n` plays takes the first `n` (so its length and its
/// times shrink independently).
pub fn all_gaps(gaps: impl Strategy<Value = i64>) -> impl Strategy<Value = Vec<i64>> {
    proptest::collection::vec(gaps, MAX_PLAYS)
}

/// Gaps between Amazon plays: often 0, two plays at the same instant (the documented example
/// has two), which Amazon's tokens page between.
pub fn amazon_gaps() -> impl Strategy<Value = i64> {
    prop_oneof![1 => Just(0i64), 4 => 1i64..=600_000]
}

/// A page size drawn from `limits` and play times with `gaps`.
pub fn histories(
    limits: RangeInclusive<u32>,
    gaps: impl Strategy<Value = i64>,
) -> impl Strategy<Value = (u32, Vec<i64>)> {
    (limit_and_size(limits), all_gaps(gaps))
        .prop_map(|((limit, n), gaps)| (limit, times_from_gaps(&gaps[..n])))
}

/// Varied plays (contexts, local files, …) at these times.
pub fn spotify_plays(times: &[i64]) -> Vec<SpotifyPlay> {
    SpotifyHistory::realistic(times.len(), times.len() as u64)
        .plays
        .into_iter()
        .zip(times)
        .map(|(play, &at)| SpotifyPlay {
            played_at: chrono::DateTime::from_timestamp_millis(at).expect("a time in range"),
            ..play
        })
        .collect()
}

/// A running Spotify simulation of plays at `times`.
pub async fn spotify_simulation(times: &[i64]) -> SpotifySimulation {
    SpotifySimulation::start(SpotifyHistory::new(spotify_plays(times))).await
}

/// How a Spotify play is told apart in a walk: its time (distinct by construction) and track.
pub fn spotify_key(play: &spotify_web_api::types::PlayHistory) -> (i64, String) {
    (play.played_at.timestamp_millis(), play.track.name.clone())
}

/// A Spotify client of `sim` with the simulation's token and `retry`.
pub fn spotify_client(sim: &SpotifySimulation, retry: RetryPolicy) -> SpotifyClient {
    SpotifyClient::builder(
        spotify_web_api::AccessToken::new(spotify::DEFAULT_ACCESS_TOKEN).unwrap(),
    )
    .base_url(sim.base_url())
    .retry(retry)
    .build()
    .expect("a client of the simulation")
}

/// An Amazon Music client of `sim` with the simulation's credentials and `retry`.
pub fn amazon_client(sim: &AmazonMusicSimulation, retry: RetryPolicy) -> AmazonMusicClient {
    AmazonMusicClient::builder(
        amazon_music_web_api::AccessToken::new(amazon::DEFAULT_ACCESS_TOKEN).unwrap(),
        amazon_music_web_api::ApiKey::new(amazon::DEFAULT_API_KEY).unwrap(),
    )
    .base_url(sim.base_url())
    .retry(retry)
    .build()
    .expect("a client of the simulation")
}

/// A ListenBrainz client of `sim` with the simulation's user token and `retry`.
pub fn listenbrainz_client(sim: &ListenBrainzSimulation, retry: RetryPolicy) -> ListenBrainzClient {
    ListenBrainzClient::builder(
        listenbrainz_api::AccessToken::new(listenbrainz::DEFAULT_TOKEN).unwrap(),
    )
    .base_url(sim.base_url())
    .retry(retry)
    .build()
    .expect("a client of the simulation")
}

/// The user of every ListenBrainz simulation here.
pub fn listenbrainz_user() -> UserName {
    UserName::new(listenbrainz::DEFAULT_USER_NAME).expect("the simulation's user name")
}

/// A listen at each of `times` (Unix seconds), each of its own recording (`Track <i>`), so
/// that listens of one second have their own `recording_msid`.
pub fn listenbrainz_listens(times: &[i64]) -> Vec<ListenBrainzListen> {
    times
        .iter()
        .enumerate()
        .map(|(i, &at)| ListenBrainzListen::new(at, "Sandbox Artist", &format!("Track {i}")))
        .collect()
}

/// A running ListenBrainz simulation of listens at `times` (Unix seconds).
pub async fn listenbrainz_simulation(times: &[i64]) -> ListenBrainzSimulation {
    ListenBrainzSimulation::start(ListenBrainzHistory::new(listenbrainz_listens(times))).await
}

/// How a listen is told apart: its second and `recording_msid`, as the server names it.
pub fn listenbrainz_key(listen: &listenbrainz_api::types::Listen) -> (i64, String) {
    (listen.listened_at, listen.recording_msid.clone())
}

/// The keys a walk of [`listenbrainz_listens`] at `times` must yield: oldest first, and by
/// `recording_msid` within a second.
pub fn listenbrainz_expected_keys(times: &[i64]) -> Vec<(i64, String)> {
    let mut keys: Vec<(i64, String)> = listenbrainz_listens(times)
        .iter()
        .map(|listen| (listen.listened_at, listen.recording_msid().to_string()))
        .collect();
    keys.sort();
    keys
}

/// The requests a ListenBrainz walk of `times` with pages of `count` needs: each full page
/// ends where its newest second begins (that second is asked for again, whole, by the next
/// request), and a page with fewer than `count` listens is the last.
pub fn listenbrainz_minimal_requests(times: &[i64], count: u32) -> usize {
    let mut oldest_first = times.to_vec();
    oldest_first.sort_unstable();
    let count = count as usize;
    let (mut from, mut requests) = (0, 0);
    loop {
        requests += 1;
        let page = &oldest_first[from..(from + count).min(oldest_first.len())];
        if page.len() < count {
            return requests;
        }
        let newest = page[count - 1];
        from += page.partition_point(|&at| at < newest);
    }
}

/// Retries on, fast: up to four sends of a request, backing off from 1 ms.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::new(4)
        .initial_backoff(Duration::from_millis(1))
        .max_total_wait(Duration::from_secs(10))
}

/// The kind of an entity play: a kind the spec documents, or one it does not know yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An `EntityType`.
    Known(EntityType),
    /// A `_type` the spec does not list.
    Unknown(&'static str),
}

impl Kind {
    /// The `_type` it is served with.
    pub fn name(self) -> String {
        match self {
            Self::Known(kind) => kind.to_string(),
            Self::Unknown(name) => name.to_string(),
        }
    }
}

/// Every kind the spec documents, in `EntityType` order.
pub const ENTITY_TYPES: [EntityType; 8] = [
    EntityType::Album,
    EntityType::Artist,
    EntityType::Category,
    EntityType::Playlist,
    EntityType::PodcastEpisode,
    EntityType::PodcastShow,
    EntityType::Track,
    EntityType::User,
];

/// A kind: mostly documented ones, now and then one the spec does not know.
pub fn kinds() -> impl Strategy<Value = Kind> {
    prop_oneof![
        8 => proptest::sample::select(ENTITY_TYPES.to_vec()).prop_map(Kind::Known),
        1 => proptest::sample::select(vec!["Audiobook", "LiveStream"]).prop_map(Kind::Unknown),
    ]
}

/// One simulated entity play: when, and of what kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntitySpec {
    /// Unix milliseconds.
    pub at: i64,
    /// The node's kind.
    pub kind: Kind,
}

/// Up to `max` entity plays, newest first, ties included.
pub fn entity_histories(max: usize) -> impl Strategy<Value = Vec<EntitySpec>> {
    (
        0..=max,
        proptest::collection::vec((amazon_gaps(), kinds()), max),
    )
        .prop_map(|(n, plays)| entity_specs(&plays[..n]))
}

/// An entities page size drawn from `limits` and entity plays (see [`sizes`]).
pub fn limit_and_entity_history(
    limits: RangeInclusive<u32>,
) -> impl Strategy<Value = (u32, Vec<EntitySpec>)> {
    (
        limit_and_size(limits),
        proptest::collection::vec((amazon_gaps(), kinds()), MAX_PLAYS),
    )
        .prop_map(|((limit, n), plays)| (limit, entity_specs(&plays[..n])))
}

/// Entity plays from `(gap, kind)` pairs.
fn entity_specs(plays: &[(i64, Kind)]) -> Vec<EntitySpec> {
    let gaps: Vec<i64> = plays.iter().map(|(gap, _)| *gap).collect();
    times_from_gaps(&gaps)
        .into_iter()
        .zip(plays)
        .map(|(at, (_, kind))| EntitySpec { at, kind: *kind })
        .collect()
}

/// The entity plays of user `owner`: edge IDs `<owner>-play<i>`, so every edge says whose
/// history it is from.
pub fn entity_plays(owner: &str, specs: &[EntitySpec]) -> Vec<EntityPlay> {
    specs
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let node_id = format!("N{i:03}");
            let title = format!("{} {i}", spec.kind.name());
            let node = match spec.kind {
                Kind::Known(kind) => amazon::entity(kind, &node_id, &title),
                Kind::Unknown(name) => EntityNode::Unknown(serde_json::json!({
                    "_type": name,
                    "id": node_id,
                    "title": title,
                })),
            };
            EntityPlay::new(&format!("{owner}-play{i}"), spec.at, node)
        })
        .collect()
}

/// Track plays at `times`, track IDs `T<i>`.
pub fn track_plays(times: &[i64]) -> Vec<TrackPlay> {
    times
        .iter()
        .enumerate()
        .map(|(i, &at)| TrackPlay::new(at, &format!("T{i:03}"), &format!("Track {i}")))
        .collect()
}

/// The ID of "me", the token's owner, in every Amazon simulation here.
pub const ME: &str = "sandbox-me";

/// A running Amazon simulation: "me" with these track and entity plays, and other users.
pub async fn amazon_simulation(
    tracks: &[i64],
    entities: &[EntitySpec],
    others: Vec<AmazonMusicUser>,
) -> AmazonMusicSimulation {
    let mut me = AmazonMusicUser::new(ME, Some("Sandbox Listener"));
    me.tracks = track_plays(tracks);
    me.entities = entity_plays(ME, entities);
    let history = others
        .into_iter()
        .fold(AmazonMusicHistory::new(me), AmazonMusicHistory::with_user);
    AmazonMusicSimulation::start(history).await
}

/// Newest first, plays of the same instant in the order given: the order Amazon serves.
pub fn newest_first<T: Clone>(plays: &[(i64, T)]) -> Vec<T> {
    let mut sorted = plays.to_vec();
    sorted.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    sorted.into_iter().map(|(_, key)| key).collect()
}

/// Every walk here is read within bounds: at most the plays it can yield plus some, and
/// within `TIME_LIMIT` (5 s), so that a walk that no longer ends fails its case in seconds, saying
/// which bound it passed, instead of reading until memory runs out.
pub use client_support::test_support::{Bounded, Walked, read_first, read_walk};

/// `None` if `got` is `expected`, else what differs: items missing, yielded more than once,
/// never simulated, or the first place the order differs.
pub fn difference<K: Ord + Clone + Debug>(got: &[K], expected: &[K]) -> Option<String> {
    if got == expected {
        return None;
    }
    let count = |items: &[K]| {
        let mut counts: BTreeMap<K, usize> = BTreeMap::new();
        for item in items {
            *counts.entry(item.clone()).or_default() += 1;
        }
        counts
    };
    let (got_counts, expected_counts) = (count(got), count(expected));
    let mut lines = vec![format!(
        "yielded {} items, expected {}",
        got.len(),
        expected.len()
    )];
    let missing: Vec<&K> = expected_counts
        .iter()
        .filter(|(key, n)| got_counts.get(*key).copied().unwrap_or(0) < **n)
        .map(|(key, _)| key)
        .collect();
    let repeated: Vec<&K> = got_counts
        .iter()
        .filter(|(key, n)| **n > 1 && expected_counts.get(*key).copied().unwrap_or(0) < **n)
        .map(|(key, _)| key)
        .collect();
    let foreign: Vec<&K> = got_counts
        .keys()
        .filter(|key| !expected_counts.contains_key(*key))
        .collect();
    if !missing.is_empty() {
        lines.push(format!("missing: {missing:?}"));
    }
    if !repeated.is_empty() {
        lines.push(format!("yielded more than once: {repeated:?}"));
    }
    if !foreign.is_empty() {
        lines.push(format!("not expected at all: {foreign:?}"));
    }
    if let Some(at) = got.iter().zip(expected).position(|(g, e)| g != e) {
        lines.push(format!(
            "first difference at position {at}: yielded {:?}, expected {:?}",
            got[at], expected[at]
        ));
    }
    Some(lines.join("\n"))
}

/// The fewest requests a walk over `items` plays at `limit` per page can make, and the
/// number every walk here must make: `max(1, ceil(items / limit))`.
///
/// Each full page needs its request, and the last page says there is no further one
/// (Spotify: `next: null`; Amazon: `hasNextPage: false`), so no empty page is asked for after
/// a history that ends exactly on a page boundary. An empty history still costs one request:
/// only the service can say that there is nothing.
pub fn minimal_requests(items: usize, limit: u32) -> usize {
    items.div_ceil(limit as usize).max(1)
}

/// Replays every request `sim` recorded with a plain HTTP client (the simulations answer a
/// repeated GET alike) and checks each answer against its spec: the status is declared and
/// the body matches the declared schema. Returns every problem found.
pub async fn replay_and_check(
    base_url: &str,
    requests: &[RecordedRequest],
    spec: &SpecResponses,
) -> Vec<String> {
    let http = client_support::http::client_builder().build().unwrap();
    let mut problems = Vec::new();
    for request in requests {
        let Some(operation_id) = spec.operation_for(&request.method, &request.path) else {
            problems.push(format!(
                "{} {}: names no operation of {}",
                request.method,
                request.path,
                spec.spec().file()
            ));
            continue;
        };
        let mut url = reqwest::Url::parse(base_url).expect("the simulation's base URL");
        url.set_path(&request.path);
        url.set_query(request.raw_query.as_deref());
        let mut replay = http.get(url);
        for name in ["authorization", "x-api-key"] {
            if let Some(value) = request.header(name) {
                replay = replay.header(name, value);
            }
        }
        let response = match replay.send().await {
            Ok(response) => response,
            Err(e) => {
                problems.push(format!("replaying {}: {e}", request.path));
                continue;
            }
        };
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_string);
        let body = response.bytes().await.unwrap_or_default();
        if let Err(problem) = spec.check(operation_id, status, content_type.as_deref(), &body) {
            problems.push(format!(
                "{} {}{}: {problem}",
                request.method,
                request.path,
                request
                    .raw_query
                    .as_deref()
                    .map(|q| format!("?{q}"))
                    .unwrap_or_default()
            ));
        }
    }
    problems
}

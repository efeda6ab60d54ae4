//! What the tests share: a ListenBrainz stand-in on 127.0.0.1 (wiremock) that selects
//! listens exactly as the server does, a client of it, and listens shaped like the spec's.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use listenbrainz_api::{AccessToken, ListenBrainzClient, RetryPolicy, UserName};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The token the tests send, to look for in everything that must not contain it.
pub const TOKEN: &str = "lb-test-token-5ecret-d0-not-print";

/// The user whose listens the tests read.
pub const USER: &str = "rob";

/// When the tests' listens happen: late 2023, well before the present.
pub const BASE: i64 = 1_700_000_000;

/// The path of `GET /1/user/rob/listens`.
pub const LISTENS: &str = "/1/user/rob/listens";

/// `rob` as a checked user name.
pub fn user() -> UserName {
    UserName::new(USER).expect("a plain user name is accepted")
}

/// A client of `server` without retries.
pub fn client(server: &MockServer) -> ListenBrainzClient {
    client_with(server, RetryPolicy::none())
}

/// A client of `server` with the retry policy `retry`.
pub fn client_with(server: &MockServer, retry: RetryPolicy) -> ListenBrainzClient {
    ListenBrainzClient::builder(AccessToken::new(TOKEN).unwrap())
        .base_url(&server.uri())
        .retry(retry)
        .build()
        .expect("a loopback base URL is accepted")
}

/// A listen of `rob` at `listened_at` of the recording `msid`, with the fields the server
/// sends.
pub fn listen(listened_at: i64, msid: &str) -> Value {
    json!({
        "listened_at": listened_at,
        "inserted_at": listened_at + 7,
        "recording_msid": msid,
        "user_name": USER,
        "track_metadata": {
            "artist_name": "Röyksopp",
            "track_name": format!("Track {listened_at} {msid}"),
            "release_name": "Profound Mysteries II",
            "additional_info": {"recording_msid": msid, "tracknumber": 10}
        }
    })
}

/// The `200` answer of `get_listens` holding `listens` as given (newest first, as the server
/// lists them).
pub fn listens_page(listens: Vec<Value>) -> ResponseTemplate {
    let times: Vec<i64> = listens
        .iter()
        .filter_map(|l| l["listened_at"].as_i64())
        .collect();
    ResponseTemplate::new(200).set_body_json(json!({"payload": {
        "count": listens.len(),
        "listens": listens,
        "latest_listen_ts": times.iter().copied().max().unwrap_or(0),
        "oldest_listen_ts": times.iter().copied().min().unwrap_or(0),
        "user_id": USER,
    }}))
}

/// ListenBrainz's error object with `status`.
pub fn error_page(status: u16, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({"code": status, "error": message}))
}

/// The value of the query parameter `name` of `request`.
pub fn param(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// A listen of the stand-in's history: its second and its `recording_msid`.
pub type Stored = (i64, String);

/// A ListenBrainz stand-in serving `get_listens` with both bounds exactly as the server does
/// (`timescale_listenstore.py`, `fetch_listens`): the `count` oldest listens strictly between
/// `min_ts` and `max_ts`, listed newest first. The server orders by `listened_at` alone, so
/// which listens of the cut second make the page, and their order among themselves, are
/// not defined: here they are shuffled anew for every request. A request without both
/// bounds is answered `400`: with one bound the server searches in windows, which this
/// stand-in does not model and the client must never ask for.
#[derive(Clone)]
pub struct FakeListenBrainz {
    /// The user's listens, in any order; tests add listens between walks.
    pub history: Arc<Mutex<Vec<Stored>>>,
    seed: u64,
    requests: Arc<AtomicU64>,
}

impl FakeListenBrainz {
    /// A stand-in holding `history`, shuffling ties as `seed` says.
    pub fn new(history: Vec<Stored>, seed: u64) -> Self {
        Self {
            history: Arc::new(Mutex::new(history)),
            seed,
            requests: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Serves `GET /1/user/rob/listens` on `server`.
    pub async fn mount(&self, server: &MockServer) {
        Mock::given(method("GET"))
            .and(path(LISTENS))
            .respond_with(self.clone())
            .mount(server)
            .await;
    }
}

impl Respond for FakeListenBrainz {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let number = |name| param(request, name).and_then(|v| v.parse::<i64>().ok());
        let (Some(min_ts), Some(max_ts)) = (number("min_ts"), number("max_ts")) else {
            return error_page(400, "this stand-in serves only requests with both bounds");
        };
        if max_ts <= min_ts {
            return error_page(400, "max_ts should be greater than min_ts");
        }
        let count = number("count").unwrap_or(25).clamp(0, 1000) as usize;
        let mut rng = self.seed ^ self.requests.fetch_add(1, Ordering::Relaxed);
        let mut selected: Vec<Stored> = self
            .history
            .lock()
            .unwrap()
            .iter()
            .filter(|(t, _)| min_ts < *t && *t < max_ts)
            .cloned()
            .collect();
        // Ties in any order, then `ORDER BY listened_at LIMIT count`, listed newest first.
        shuffle(&mut selected, &mut rng);
        selected.sort_by_key(|(t, _)| *t);
        selected.truncate(count);
        shuffle(&mut selected, &mut rng);
        selected.sort_by_key(|(t, _)| std::cmp::Reverse(*t));
        listens_page(selected.iter().map(|(t, msid)| listen(*t, msid)).collect())
    }
}

/// Fisher–Yates with splitmix64: a deterministic shuffle with no dependency.
fn shuffle<T>(items: &mut [T], state: &mut u64) {
    for i in (1..items.len()).rev() {
        *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        items.swap(i, (z % (i as u64 + 1)) as usize);
    }
}

/// The `(listened_at, recording_msid)` of each listen, in the order given.
pub fn keys(listens: &[listenbrainz_api::types::Listen]) -> Vec<Stored> {
    listens
        .iter()
        .map(|l| (l.listened_at, l.recording_msid.clone()))
        .collect()
}

/// Runs `future` on a runtime of its own, for the property tests.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime")
        .block_on(future)
}

/// The proptest configuration of this crate's properties: `PROPTEST_CASES` and the other
/// `PROPTEST_*` variables apply (256 cases when unset), failures are kept beside the test
/// file, and shrinking stops after 20 s, since a case that fails by a walk that never ends
/// costs its time limit each time it is tried.
pub fn config() -> proptest::test_runner::Config {
    use proptest::test_runner::{Config, FileFailurePersistence};
    let default = Config::default();
    Config {
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        max_shrink_time: match default.max_shrink_time {
            0 => Duration::from_secs(20).as_millis() as u32,
            set => set,
        },
        ..default
    }
}

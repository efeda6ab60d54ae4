//! The Spotify simulation against its documented behaviour, seen by a plain HTTP client.

use std::time::Duration;

use music_history_sandbox::spotify::{
    DEFAULT_ACCESS_TOKEN, DEFAULT_CLIENT_ID, SpotifyHistory, SpotifyPlay, SpotifySimulation,
};
use music_history_sandbox::{Fault, RATE_LIMIT_EXTENSION};
use serde_json::Value;
use spotify_web_api::types::{CursorPagedPlayHistory, ErrorResponse};

/// A client that cannot hang a test: a dropped connection must fail long before this.
fn client() -> reqwest::Client {
    client_support::http::client_builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client")
}

/// What one request got back: status, headers and the raw body.
struct Reply {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    fn page(&self) -> CursorPagedPlayHistory {
        assert_eq!(self.status, 200, "{}", String::from_utf8_lossy(&self.body));
        serde_json::from_slice(&self.body).expect("decodes as CursorPagedPlayHistory")
    }

    fn error(&self) -> ErrorResponse {
        let error: ErrorResponse =
            serde_json::from_slice(&self.body).expect("decodes as ErrorResponse");
        assert_eq!(error.error.status, i32::from(self.status));
        error
    }
}

async fn get_url(url: &str, token: Option<&str>) -> Reply {
    let mut request = client().get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("an HTTP response");
    Reply {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.bytes().await.expect("a body").to_vec(),
    }
}

async fn get(sim: &SpotifySimulation, query: &str) -> Reply {
    let url = format!("{}/me/player/recently-played{query}", sim.base_url());
    get_url(&url, Some(DEFAULT_ACCESS_TOKEN)).await
}

fn millis(page: &CursorPagedPlayHistory) -> Vec<i64> {
    page.items
        .iter()
        .map(ok)
        .map(|item| item.played_at.timestamp_millis())
        .collect()
}

fn all_millis(sim: &SpotifySimulation) -> Vec<i64> {
    sim.plays().iter().map(SpotifyPlay::played_at_ms).collect()
}

#[tokio::test]
async fn without_parameters_the_newest_20_plays_come_newest_first() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(45, 1)).await;
    let reply = get(&sim, "").await;
    let page = reply.page();
    let all = all_millis(&sim);

    assert_eq!(page.limit, 20);
    assert_eq!(millis(&page), all[..20]);
    assert_eq!(
        page.href,
        format!("{}/me/player/recently-played", sim.base_url())
    );
    let cursors = page.cursors.expect("cursors");
    assert_eq!(cursors.after, Some(all[0].to_string()));
    assert_eq!(cursors.before, Some(all[19].to_string()));
    assert_eq!(
        page.next,
        Some(format!(
            "{}/me/player/recently-played?before={}&limit=20",
            sim.base_url(),
            all[19]
        ))
    );
    assert_eq!(page.total, None);
    let raw = reply.json();
    assert!(raw.get("total").is_none());
    assert!(
        reply.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    // Times as the service prints them: UTC, three decimals, `Z`.
    for item in raw["items"].as_array().unwrap() {
        let at = item["played_at"].as_str().unwrap();
        assert_eq!(at.len(), "2016-12-13T20:44:04.589Z".len(), "{at}");
        assert!(at.ends_with('Z'));
    }
}

#[tokio::test]
async fn following_next_returns_every_play_exactly_once_newest_first() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(50, 2)).await;
    let mut seen = Vec::new();
    let mut url = Some(format!(
        "{}/me/player/recently-played?limit=7",
        sim.base_url()
    ));
    let mut pages = 0;
    while let Some(next) = url {
        let reply = get_url(&next, Some(DEFAULT_ACCESS_TOKEN)).await;
        let page = reply.page();
        assert_eq!(page.href, next);
        seen.extend(millis(&page));
        url = page.next;
        pages += 1;
        crate::assert_within_max_pages(pages);
        if url.is_none() {
            assert_eq!(
                reply.json()["next"],
                Value::Null,
                "last page sends next: null"
            );
        }
    }
    assert_eq!(pages, 8);
    assert_eq!(seen, all_millis(&sim));
}

#[tokio::test]
async fn before_is_exclusive_and_pages_back_from_it() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(30, 3)).await;
    let all = all_millis(&sim);
    let page = get(&sim, &format!("?before={}&limit=4", all[10]))
        .await
        .page();
    assert_eq!(millis(&page), all[11..15]);
    assert_eq!(page.limit, 4);
}

#[tokio::test]
async fn after_returns_the_plays_just_after_the_cursor_newest_first_and_pages_forward() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(40, 4)).await;
    let all = all_millis(&sim);
    let start = all[30];

    let page = get(&sim, &format!("?after={start}&limit=5")).await.page();
    assert_eq!(millis(&page), all[25..30]);
    let cursors = page.cursors.clone().expect("cursors");
    assert_eq!(cursors.after, Some(all[25].to_string()));
    assert_eq!(cursors.before, Some(all[29].to_string()));
    assert_eq!(
        page.next,
        Some(format!(
            "{}/me/player/recently-played?after={}&limit=5",
            sim.base_url(),
            all[25]
        ))
    );

    // Walking forward reaches the newest play, then `next` is null.
    let mut seen = millis(&page);
    let mut url = page.next;
    let mut pages = 1;
    while let Some(next) = url {
        let page = get_url(&next, Some(DEFAULT_ACCESS_TOKEN)).await.page();
        pages += 1;
        crate::assert_within_max_pages(pages);
        let mut newer = millis(&page);
        newer.extend(seen);
        seen = newer;
        url = page.next;
    }
    assert_eq!(seen, all[..30]);
}

#[tokio::test]
async fn a_new_play_shows_up_after_the_newest_cursor() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(5, 5)).await;
    let newest = all_millis(&sim)[0];
    let page = get(&sim, &format!("?after={newest}")).await.page();
    assert!(page.items.is_empty());

    sim.record_play(SpotifyPlay::new(
        newest + 200_000,
        "2gNfxysfBRfl9Lvi9T3v6R",
        "Disciples",
        "Tame Impala",
    ));
    let page = get(&sim, &format!("?after={newest}")).await.page();
    assert_eq!(millis(&page), [newest + 200_000]);
    assert_eq!(ok(&page.items[0]).track.name, "Disciples");
    assert_eq!(page.next, None);
}

#[tokio::test]
async fn an_empty_page_has_null_cursors_and_null_next() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(3, 6)).await;
    let oldest = *all_millis(&sim).last().unwrap();
    let reply = get(&sim, &format!("?before={oldest}")).await;
    let page = reply.page();
    assert!(page.items.is_empty());
    assert_eq!(page.cursors, None);
    assert_eq!(page.next, None);
    let raw = reply.json();
    assert_eq!(raw["cursors"], Value::Null);
    assert!(raw.as_object().unwrap().contains_key("cursors"));

    let empty = SpotifySimulation::start(SpotifyHistory::default()).await;
    let page = get(&empty, "").await.page();
    assert!(page.items.is_empty() && page.cursors.is_none() && page.next.is_none());
}

/// What the service sends as `null` is sent as `null`, not left out: a local file's `id`,
/// `href` and `preview_url`, its album's type, IDs and release date, its artist's IDs (as in
/// tekore #200), with a `spotify:local:` URI and empty `external_ids`; every track has its
/// `external_ids` (Development Mode ones too, since March 2026).
#[tokio::test]
async fn local_files_come_with_explicit_nulls_and_a_local_uri() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(50, 7)).await;
    let raw = get(&sim, "?limit=50").await.json();
    let items = raw["items"].as_array().unwrap();
    let local: Vec<&Value> = items
        .iter()
        .map(|item| &item["track"])
        .filter(|track| track["is_local"] == true)
        .collect();
    assert!(!local.is_empty());
    let null = |object: &Value, key: &str| object.get(key) == Some(&Value::Null);
    for track in local {
        for key in ["id", "href", "preview_url"] {
            assert!(null(track, key), "track {key}: {track}");
        }
        let uri = track["uri"].as_str().unwrap_or_default();
        assert!(uri.starts_with("spotify:local:"), "{uri}");
        assert_eq!(uri.split(':').count(), 6, "{uri}");
        assert_eq!(track["external_ids"], serde_json::json!({}));
        let album = &track["album"];
        for key in [
            "album_type",
            "href",
            "id",
            "release_date",
            "release_date_precision",
            "uri",
        ] {
            assert!(null(album, key), "album {key}: {album}");
        }
        for key in ["href", "id", "uri"] {
            assert!(null(&track["artists"][0], key), "artist {key}: {track}");
        }
    }
    assert!(
        items
            .iter()
            .all(|item| item["track"]["external_ids"].is_object())
    );
    assert!(
        items
            .iter()
            .any(|item| item["track"].get("popularity").is_none()
                && item["track"]["is_local"] == false),
        "Development Mode tracks have no popularity"
    );
}

#[tokio::test]
async fn null_contexts_and_local_files_are_served_and_decode() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(50, 7)).await;
    let reply = get(&sim, "?limit=50").await;
    let page = reply.page();
    assert_eq!(page.items.len(), 50);
    assert!(page.items.iter().map(ok).any(|item| item.context.is_none()));
    assert!(
        page.items
            .iter()
            .map(ok)
            .any(|item| item.track.is_local == Some(true) && item.track.id.is_none())
    );
    let raw = reply.json();
    let items = raw["items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .any(|item| item["context"].is_null()
                && item.as_object().unwrap().contains_key("context"))
    );
    let types: Vec<&str> = page
        .items
        .iter()
        .map(ok)
        .filter_map(|item| item.context.as_ref().map(|c| c.type_.as_str()))
        .collect();
    for kind in ["artist", "album", "playlist", "collection"] {
        assert!(types.contains(&kind), "no {kind} context");
    }
}

#[tokio::test]
async fn limit_must_be_an_integer_from_1_to_50() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(60, 8)).await;
    for bad in ["0", "51", "-1", "abc", "1.5", "", "20&limit=20"] {
        let reply = get(&sim, &format!("?limit={bad}")).await;
        assert_eq!(reply.status, 400, "limit={bad}");
        assert_eq!(reply.error().error.message, "Invalid limit");
    }
    assert_eq!(get(&sim, "?limit=1").await.page().items.len(), 1);
    assert_eq!(get(&sim, "?limit=50").await.page().items.len(), 50);
}

#[tokio::test]
async fn before_and_after_are_mutually_exclusive_integers() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(10, 9)).await;
    let reply = get(&sim, "?before=1714564800000&after=1").await;
    assert_eq!(reply.status, 400);
    assert!(reply.error().error.message.contains("mutually exclusive"));
    for bad in [
        "?before=yesterday",
        "?after=1.5",
        "?before=",
        "?after=1&after=2",
    ] {
        let reply = get(&sim, bad).await;
        assert_eq!(reply.status, 400, "{bad}");
        reply.error();
    }
}

#[tokio::test]
async fn a_private_session_answers_204_with_an_empty_body() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(10, 10)).await;
    sim.set_private_session(true);
    let reply = get(&sim, "?limit=5").await;
    assert_eq!(reply.status, 204);
    assert!(reply.body.is_empty());
    sim.set_private_session(false);
    assert_eq!(get(&sim, "?limit=5").await.page().items.len(), 5);
}

#[tokio::test]
async fn a_missing_or_wrong_token_is_401_and_a_token_without_the_scope_is_403() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(5, 11)).await;
    let url = format!("{}/me/player/recently-played", sim.base_url());

    let missing = get_url(&url, None).await;
    assert_eq!(missing.status, 401);
    assert_eq!(missing.error().error.message, "No token provided");

    let wrong = get_url(&url, Some("not-the-token")).await;
    assert_eq!(wrong.status, 401);
    assert_eq!(
        wrong.json(),
        serde_json::json!({"error": {"status": 401, "message": "Invalid access token"}})
    );

    sim.set_access_token("rotated");
    assert_eq!(get_url(&url, Some(DEFAULT_ACCESS_TOKEN)).await.status, 401);
    assert_eq!(get_url(&url, Some("rotated")).await.status, 200);

    sim.set_scope_granted(false);
    let forbidden = get_url(&url, Some("rotated")).await;
    assert_eq!(forbidden.status, 403);
    assert_eq!(
        forbidden.json(),
        serde_json::json!({"error": {"status": 403, "message": "Insufficient client scope"}})
    );
}

#[tokio::test]
async fn unknown_paths_are_404_with_the_error_body() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(5, 12)).await;
    let reply = get_url(
        &format!("{}/me/player/recently-played/", sim.base_url()),
        Some(DEFAULT_ACCESS_TOKEN),
    )
    .await;
    assert_eq!(reply.status, 404);
    reply.error();
}

#[tokio::test]
async fn a_rate_limit_fault_is_429_with_retry_after_then_service_resumes() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(5, 13)).await;
    sim.inject(Fault::RateLimited {
        retry_after_secs: 17,
    });
    let limited = get(&sim, "").await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.headers["retry-after"], "17");
    assert_eq!(limited.error().error.message, "API rate limit exceeded");
    assert_eq!(get(&sim, "").await.status, 200);
}

#[tokio::test]
async fn faults_come_before_authentication_one_per_request_in_order() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(5, 14)).await;
    sim.inject(Fault::ServerError);
    sim.inject(Fault::Body {
        status: 200,
        body: b"{\"items\": [".to_vec(),
        content_type: Some("application/json".to_owned()),
    });
    sim.inject(Fault::Body {
        status: 502,
        body: vec![0xff, 0x00, 0xfe],
        content_type: None,
    });
    let url = format!("{}/me/player/recently-played", sim.base_url());

    let server_error = get_url(&url, None).await;
    assert_eq!(server_error.status, 500);
    server_error.error();

    let truncated = get(&sim, "").await;
    assert_eq!(truncated.status, 200);
    assert_eq!(truncated.body, b"{\"items\": [");
    assert_eq!(truncated.headers["content-type"], "application/json");
    assert!(serde_json::from_slice::<CursorPagedPlayHistory>(&truncated.body).is_err());

    let bytes = get(&sim, "").await;
    assert_eq!(bytes.status, 502);
    assert_eq!(bytes.body, [0xff, 0x00, 0xfe]);
    assert!(bytes.headers.get("content-type").is_none());

    assert_eq!(get(&sim, "").await.status, 200);
    assert_eq!(sim.request_count(), 4);
}

#[tokio::test]
async fn a_drop_fault_is_a_transport_error_not_a_status() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(5, 15)).await;
    let client = client();
    let url = format!("{}/me/player/recently-played", sim.base_url());
    // A connection the client already holds must be dropped too.
    assert_eq!(
        client
            .get(&url)
            .bearer_auth(DEFAULT_ACCESS_TOKEN)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    sim.inject(Fault::Drop);
    sim.inject(Fault::Drop);
    for _ in 0..2 {
        let started = std::time::Instant::now();
        let error = client
            .get(&url)
            .bearer_auth(DEFAULT_ACCESS_TOKEN)
            .send()
            .await
            .expect_err("no HTTP response");
        // hyper: "connection closed before message completed" (IncompleteMessage).
        assert!(error.is_request() && error.status().is_none(), "{error:?}");
        assert!(!error.is_timeout() && !error.is_connect(), "{error:?}");
        assert!(started.elapsed() < Duration::from_secs(1));
    }
    let response = client
        .get(&url)
        .bearer_auth(DEFAULT_ACCESS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(sim.request_count(), 4, "dropped requests are recorded too");
}

#[tokio::test]
async fn requests_are_recorded_as_received() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(5, 16)).await;
    get(&sim, "?limit=3&before=1714564800000&market=from%20token").await;
    let requests = sim.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/v1/me/player/recently-played");
    assert_eq!(
        request.path_segments,
        ["v1", "me", "player", "recently-played"]
    );
    assert_eq!(
        request.query,
        [
            ("limit".to_owned(), "3".to_owned()),
            ("before".to_owned(), "1714564800000".to_owned()),
            ("market".to_owned(), "from token".to_owned()),
        ]
    );
    assert_eq!(
        request.raw_query.as_deref(),
        Some("limit=3&before=1714564800000&market=from%20token")
    );
    assert_eq!(
        request.header("Authorization"),
        Some(format!("Bearer {DEFAULT_ACCESS_TOKEN}").as_str())
    );
    sim.clear_requests();
    assert_eq!(sim.request_count(), 0);
}

#[tokio::test]
async fn with_a_retention_of_50_a_play_older_than_the_50th_is_forgotten_at_once() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(60, 17)).await;
    sim.set_retention(Some(50));
    let kept = all_millis(&sim);
    assert_eq!(kept.len(), 50);
    let oldest = kept[49];

    sim.record_play(SpotifyPlay::new(
        oldest - 1_000,
        "4iV5W9uYEdYUVa79Axb7Rh",
        "Too Old",
        "Nobody",
    ));
    assert_eq!(all_millis(&sim), kept, "older than the 50th: never kept");
    let beyond = get(&sim, &format!("?before={oldest}&limit=50"))
        .await
        .page();
    assert!(
        beyond.items.is_empty(),
        "before never reaches past the window"
    );

    // A newer play pushes the oldest out.
    let newest = kept[0] + 1_000;
    sim.record_play(SpotifyPlay::new(
        newest,
        "2gNfxysfBRfl9Lvi9T3v6R",
        "Disciples",
        "Tame Impala",
    ));
    let now = all_millis(&sim);
    assert_eq!(now[0], newest);
    assert_eq!(now[1..], kept[..49]);
    assert_eq!(millis(&get(&sim, "?limit=50").await.page()), now);
}

#[tokio::test]
async fn a_late_play_recorded_after_newer_ones_is_served_on_the_next_request_in_its_place_by_time()
{
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(10, 18)).await;
    let seen = millis(&get(&sim, "?limit=50").await.page());
    let newest = seen[0];
    // Played between the 4th and 5th newest plays, recorded only now.
    let late = (seen[3] + seen[4]) / 2;
    assert!(seen[4] < late && late < seen[3]);
    sim.record_play(SpotifyPlay::new(
        late,
        "4iV5W9uYEdYUVa79Axb7Rh",
        "Late Song",
        "Slow Sync",
    ));

    let page = get(&sim, "?limit=50").await.page();
    let mut expected = seen.clone();
    expected.insert(4, late);
    assert_eq!(millis(&page), expected);
    assert_eq!(ok(&page.items[4]).track.name, "Late Song");
    // A poller that asks only for plays after the newest it saw never gets it.
    let newer = get(&sim, &format!("?after={newest}")).await.page();
    assert!(newer.items.is_empty());
}

#[tokio::test]
async fn a_relinked_play_is_served_with_the_new_track_id_and_nothing_else_changes() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(10, 19)).await;
    let before = get(&sim, "?limit=50").await.json();
    let items = before["items"].as_array().unwrap();
    let index = items
        .iter()
        .position(|item| item["track"]["id"].is_string())
        .expect("a catalogue track");
    let at = all_millis(&sim)[index];
    let new_id = "6K4t31amVTZDgR3sKmwUJJ";
    assert_ne!(items[index]["track"]["id"], new_id);

    assert!(sim.relink(at, new_id));
    let after = get(&sim, "?limit=50").await.json();
    let track = &after["items"][index]["track"];
    assert_eq!(track["id"], new_id);
    assert_eq!(track["uri"], format!("spotify:track:{new_id}"));
    assert_eq!(
        track["href"],
        format!("https://api.spotify.com/v1/tracks/{new_id}")
    );
    assert_eq!(
        track["external_urls"]["spotify"],
        format!("https://open.spotify.com/track/{new_id}")
    );
    assert!(track.get("linked_from").is_none_or(Value::is_null));

    // Everything else, in that play and in the others, is as it was.
    let without_links = |page: &Value| {
        let mut page = page.clone();
        let track = page["items"][index]["track"].as_object_mut().unwrap();
        for key in ["id", "uri", "href", "external_urls"] {
            track.remove(key);
        }
        page
    };
    assert_eq!(without_links(&after), without_links(&before));
    assert!(!sim.relink(at + 1, new_id), "no play at that millisecond");
}

#[tokio::test]
async fn a_rate_limit_of_a_day_answers_every_request_429_and_each_one_lengthens_it() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(5, 20)).await;
    sim.inject(Fault::ServerError);
    sim.set_rate_limit(Some(Duration::from_secs(86_400)));
    let url = format!("{}/me/player/recently-played", sim.base_url());
    let mut waits = Vec::new();
    for token in [Some(DEFAULT_ACCESS_TOKEN), None, Some(DEFAULT_ACCESS_TOKEN)] {
        let limited = get_url(&url, token).await;
        assert_eq!(limited.status, 429);
        assert_eq!(limited.error().error.message, "API rate limit exceeded");
        let wait = limited.headers["retry-after"].to_str().unwrap();
        waits.push(wait.parse::<u64>().unwrap());
    }
    let extension = RATE_LIMIT_EXTENSION.as_secs();
    let first = 86_400 + extension;
    assert!((first - 5..=first).contains(&waits[0]), "{waits:?}");
    for pair in waits.windows(2) {
        assert!(
            (extension - 5..=extension).contains(&(pair[1] - pair[0])),
            "{waits:?}"
        );
    }
    assert_eq!(sim.request_count(), 3, "limited requests are recorded");

    // The accounts service is not limited.
    let form = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "refresh_token")
        .append_pair("refresh_token", &sim.issue_tokens().refresh_token)
        .append_pair("client_id", DEFAULT_CLIENT_ID)
        .finish();
    let refreshed = client()
        .post(format!("{}/api/token", sim.accounts_base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(refreshed.status(), 200);

    sim.set_rate_limit(None);
    assert_eq!(get(&sim, "").await.status, 500, "the queued fault waited");
    assert_eq!(get(&sim, "").await.status, 200);
}

#[tokio::test]
async fn a_rate_limit_ends_by_itself_when_no_request_comes_while_it_lasts() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(5, 21)).await;
    sim.set_rate_limit(Some(Duration::from_millis(200)));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(get(&sim, "").await.status, 200);
}

/// The sandbox serves only well-formed plays.
fn ok<T>(entry: &spotify_web_api::Entry<T>) -> &T {
    entry.item().expect("the sandbox serves well-formed plays")
}

//! A hostile HTTP server on `127.0.0.1`: it answers the way a broken, malicious or
//! misconfigured server might (endless pages, endless bodies, cursors that go the wrong way,
//! echoed credentials, escape sequences in titles, bodies that are not what they claim),
//! so that tests can show the clients and `recently-played` stay bounded and leak nothing.
//!
//! It speaks HTTP/1.1 on a plain TCP socket, written by hand because no mock server sends
//! what it must: a body that never ends, a byte at a time, or never an answer at all.
//!
//! ```
//! use music_history_sandbox::hostile::{Hostile, HostileServer};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let server = HostileServer::start(Hostile::SpotifyEndlessPages).await;
//! let page: serde_json::Value = client_support::http::client_builder()
//!     .build()?
//!     .get(format!("{}/me/player/recently-played?limit=3", server.base_url()))
//!     .send()
//!     .await?
//!     .json()
//!     .await?;
//! assert_eq!(page["items"].as_array().map(Vec::len), Some(3));
//! assert_eq!(server.request_count(), 1);
//! # Ok(())
//! # }
//! ```

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// How the server misbehaves.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Hostile {
    /// Spotify: full pages forever, each `next` a fresh `before` older than the page.
    SpotifyEndlessPages,
    /// Spotify: empty pages forever, each with a fresh, older `before`.
    SpotifyEmptyPagesForever,
    /// Spotify: the same three plays, with a `next` whose `before` is newer than the page.
    SpotifyNextNewerThanPage,
    /// Spotify: a page of this many plays, whatever `limit` asked for.
    SpotifyOversizedPage(usize),
    /// Spotify: the first page is fine and says more follow; every later page is a 500.
    SpotifyFailAfterFirstPage,
    /// Spotify: pages whose `next` links point at this other base URL (another origin).
    SpotifyNextLinkTo(String),
    /// Spotify: plays whose names carry escape sequences, newlines and a forged table row.
    SpotifyTerminalInjection,
    /// Spotify: a first page of two plays whose `before` is its older play; asked for that
    /// `before`, one older play and the same `before` again (a cursor that does not move).
    SpotifyStuckCursor,
    /// Amazon Music: full pages of entities forever, each with a fresh page token.
    AmazonEndlessPages,
    /// Amazon Music: three pages of two plays, whose tokens go `page-1`, `page-2` and back
    /// to `page-1` (a token loop).
    AmazonTokenLoop,
    /// Amazon Music: one page whose edges are not newest first: 10:00, 08:00, 11:00 on
    /// 2024-05-01 (UTC).
    AmazonUnordered,
    /// ListenBrainz: full pages forever, each of `count` listens (25 if none is asked for)
    /// in seconds of their own just after `min_ts`, so that a walk forward always has a
    /// next page.
    ListenBrainzEndlessPages,
    /// A `200` whose chunked body never ends.
    EndlessBody,
    /// A `401` whose JSON message echoes the request's `Authorization` and `x-api-key`
    /// headers (as sent, percent-encoded and in base64), padded with this many bytes.
    EchoCredentials(usize),
    /// A `200` with a valid page, sent one byte every 50 ms.
    SlowDrip,
    /// Answers as the inner misbehaviour does, each answer after this delay: with endless
    /// pages, a server that holds a walk for ever without ever tripping a request timeout.
    Slow(std::time::Duration, Box<Hostile>),
    /// Reads the request and never answers.
    NeverAnswers,
    /// A `200` with a response header of 1 MiB.
    OversizeHeaders,
    /// A `200` that claims `Content-Encoding: gzip` and sends bytes that are not JSON.
    Gzip,
    /// A `200` whose JSON holds a string that is not UTF-8.
    InvalidUtf8,
}

/// The misbehaviours a person can ask for by name (`cargo run -p music-history-sandbox
/// --example hostile -- <name>`), each with its name: the ones worth trying a client or
/// `recently-played` against by hand.
const BY_NAME: &[(&str, Hostile)] = &[
    ("spotify-endless-pages", Hostile::SpotifyEndlessPages),
    ("spotify-empty-pages", Hostile::SpotifyEmptyPagesForever),
    ("spotify-next-newer", Hostile::SpotifyNextNewerThanPage),
    (
        "spotify-fail-after-first-page",
        Hostile::SpotifyFailAfterFirstPage,
    ),
    (
        "spotify-terminal-injection",
        Hostile::SpotifyTerminalInjection,
    ),
    ("amazon-endless-pages", Hostile::AmazonEndlessPages),
    ("amazon-unordered", Hostile::AmazonUnordered),
    (
        "listenbrainz-endless-pages",
        Hostile::ListenBrainzEndlessPages,
    ),
    ("endless-body", Hostile::EndlessBody),
    ("echo-credentials", Hostile::EchoCredentials(1_000_000)),
    ("slow-drip", Hostile::SlowDrip),
    ("never-answers", Hostile::NeverAnswers),
];

impl Hostile {
    /// The misbehaviour called `name`, if it is one of [`names`](Self::names).
    ///
    /// ```
    /// use music_history_sandbox::hostile::Hostile;
    ///
    /// assert_eq!(Hostile::named("endless-body"), Some(Hostile::EndlessBody));
    /// assert_eq!(Hostile::named("polite"), None);
    /// ```
    pub fn named(name: &str) -> Option<Self> {
        BY_NAME
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, hostile)| hostile.clone())
    }

    /// The names [`named`](Self::named) knows, in a stable order.
    ///
    /// ```
    /// use music_history_sandbox::hostile::Hostile;
    ///
    /// assert!(Hostile::names().all(|name| Hostile::named(name).is_some()));
    /// ```
    pub fn names() -> impl Iterator<Item = &'static str> {
        BY_NAME.iter().map(|(name, _)| *name)
    }
}

/// One request the server received: its target (path and query) and its headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostileRequest {
    /// The request target, e.g. `/v1/me/player/recently-played?limit=50`.
    pub target: String,
    /// The headers, names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
}

impl HostileRequest {
    /// The value of the query parameter `key`, percent-decoded.
    pub fn query(&self, key: &str) -> Option<String> {
        let (_, query) = self.target.split_once('?')?;
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    }

    /// The first header called `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A running hostile server; it stops when dropped.
#[derive(Debug)]
pub struct HostileServer {
    base_url: String,
    requests: Arc<Mutex<Vec<HostileRequest>>>,
    accepting: JoinHandle<()>,
}

impl HostileServer {
    /// Starts a server that misbehaves as `hostile` says, on a free port of `127.0.0.1`.
    /// Needs a Tokio runtime with the I/O and time drivers.
    pub async fn start(hostile: Hostile) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port on 127.0.0.1");
        let address = listener.local_addr().expect("a bound address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        let accepting = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, hostile.clone(), Arc::clone(&recorded)));
            }
        });
        Self {
            base_url: format!("http://{address}/v1"),
            requests,
            accepting,
        }
    }

    /// `http://127.0.0.1:<port>/v1`, like the simulations' base URLs.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<HostileRequest> {
        self.requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// How many requests were received so far.
    pub fn request_count(&self) -> usize {
        self.requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .len()
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

/// The most bytes of a request head the server reads before giving up on the connection.
const MAX_HEAD: usize = 64 * 1024;

/// Answers requests on one connection until the client closes it or an answer ends it.
async fn serve(mut stream: TcpStream, hostile: Hostile, requests: Arc<Mutex<Vec<HostileRequest>>>) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_head(&mut stream, &mut buffer).await else {
            return;
        };
        requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(request.clone());
        if answer(&mut stream, &hostile, &request).await.is_err() {
            return;
        }
    }
}

async fn read_head(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<HostileRequest> {
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
            buffer.drain(..end + 4);
            let mut lines = head.split("\r\n");
            let target = lines.next()?.split(' ').nth(1)?.to_string();
            let headers = lines
                .filter_map(|line| line.split_once(':'))
                .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
                .collect();
            return Some(HostileRequest { target, headers });
        }
        if buffer.len() > MAX_HEAD {
            return None;
        }
        let mut chunk = [0; 4096];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}

async fn answer(
    stream: &mut TcpStream,
    hostile: &Hostile,
    request: &HostileRequest,
) -> std::io::Result<()> {
    let limit = |default: usize| {
        request
            .query("limit")
            .and_then(|l| l.parse().ok())
            .unwrap_or(default)
    };
    match hostile {
        Hostile::Slow(delay, inner) => {
            tokio::time::sleep(*delay).await;
            Box::pin(answer(stream, inner, request)).await
        }
        Hostile::SpotifyEndlessPages => {
            let before = request.query("before").and_then(|b| b.parse().ok());
            let newest = before.map_or(START_MS, |b: i64| b - 1);
            let times: Vec<i64> = (0..limit(20) as i64).map(|i| newest - i * 1000).collect();
            let next = times.last().copied().unwrap_or(newest);
            write_json(stream, 200, &spotify_page(&times, Some(next), None)).await
        }
        Hostile::SpotifyEmptyPagesForever => {
            let before = request.query("before").and_then(|b| b.parse().ok());
            let next = before.map_or(START_MS, |b: i64| b - 60_000);
            write_json(stream, 200, &spotify_page(&[], Some(next), None)).await
        }
        Hostile::SpotifyNextNewerThanPage => {
            let times = [START_MS - 1000, START_MS - 2000, START_MS - 3000];
            write_json(
                stream,
                200,
                &spotify_page(&times, Some(START_MS + 60_000), None),
            )
            .await
        }
        Hostile::SpotifyOversizedPage(items) => {
            let times: Vec<i64> = (0..*items as i64).map(|i| START_MS - i * 1000).collect();
            write_json(stream, 200, &spotify_page(&times, None, None)).await
        }
        Hostile::SpotifyFailAfterFirstPage => {
            if request.query("before").is_some() {
                let body = json!({"error": {"status": 500, "message": "Server error"}});
                write_json(stream, 500, &body).await
            } else {
                let times: Vec<i64> = (0..limit(20) as i64).map(|i| START_MS - i * 1000).collect();
                let next = times.last().copied();
                write_json(stream, 200, &spotify_page(&times, next, None)).await
            }
        }
        Hostile::SpotifyNextLinkTo(elsewhere) => {
            let before = request.query("before").and_then(|b| b.parse().ok());
            let newest = before.map_or(START_MS, |b: i64| b - 1);
            let times: Vec<i64> = (0..2).map(|i| newest - i * 1000).collect();
            let mut page = spotify_page(&times, times.last().copied(), None);
            if before.is_none() {
                page["next"] = json!(format!(
                    "{elsewhere}/me/player/recently-played?before={}&limit=2",
                    times[1]
                ));
            } else {
                page["next"] = Value::Null;
            }
            write_json(stream, 200, &page).await
        }
        Hostile::SpotifyTerminalInjection => {
            let names = [
                "Title\u{1b}]0;pwned\u{7}",
                "Clear\u{1b}[2J\u{1b}[H",
                "Two\nLines\r\n2024-05-01 00:00:00  Forged Row",
            ];
            let times = [START_MS - 1000, START_MS - 2000, START_MS - 3000];
            write_json(stream, 200, &spotify_page(&times, None, Some(&names))).await
        }
        Hostile::SpotifyStuckCursor => {
            let page = match request.query("before").and_then(|b| b.parse().ok()) {
                None => spotify_page(
                    &[START_MS - 1000, START_MS - 2000],
                    Some(START_MS - 2000),
                    None,
                ),
                Some(before) => spotify_page(&[before - 1000], Some(before), None),
            };
            write_json(stream, 200, &page).await
        }
        Hostile::AmazonEndlessPages => {
            let page: usize = request
                .query("cursor")
                .and_then(|c| c.strip_prefix("page-").and_then(|n| n.parse().ok()))
                .unwrap_or(0);
            let size = limit(100);
            let times: Vec<i64> = (0..size)
                .map(|i| START_MS - ((page * size + i) as i64) * 1000)
                .collect();
            let body = amazon_page(request, &times, Some(format!("page-{}", page + 1)));
            write_json(stream, 200, &body).await
        }
        Hostile::AmazonTokenLoop => {
            let page: i64 = match request.query("cursor").as_deref() {
                None => 0,
                Some("page-1") => 1,
                _ => 2,
            };
            let times = [START_MS - page * 2000, START_MS - page * 2000 - 1000];
            let next = if page == 1 { "page-2" } else { "page-1" };
            let body = amazon_page(request, &times, Some(next.to_string()));
            write_json(stream, 200, &body).await
        }
        Hostile::AmazonUnordered => {
            let at = |hour: i64| MAY_FIRST_MS + hour * 3_600_000;
            let body = amazon_page(request, &[at(10), at(8), at(11)], None);
            write_json(stream, 200, &body).await
        }
        Hostile::ListenBrainzEndlessPages => {
            let count = request
                .query("count")
                .and_then(|c| c.parse().ok())
                .unwrap_or(25);
            let after = request
                .query("min_ts")
                .and_then(|t| t.parse().ok())
                .unwrap_or(START_MS / 1000);
            let seconds: Vec<i64> = (0..count).rev().map(|i| after + 2 + i).collect();
            write_json(stream, 200, &listenbrainz_page(&seconds)).await
        }
        Hostile::EndlessBody => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                        transfer-encoding: chunked\r\n\r\n";
            stream.write_all(head.as_bytes()).await?;
            write_chunk(stream, br#"{"href":"x","limit":50,"next":null,"items":["#).await?;
            let filler = "0,".repeat(32 * 1024);
            loop {
                write_chunk(stream, filler.as_bytes()).await?;
            }
        }
        Hostile::EchoCredentials(pad) => {
            let authorization = request.header("authorization").unwrap_or("");
            let key = request.header("x-api-key").unwrap_or("");
            let token = authorization
                .strip_prefix("Bearer ")
                .unwrap_or(authorization);
            let message = format!(
                "invalid token {authorization} (raw {token}, url {}, b64 {}) for key {key} {}",
                url::form_urlencoded::byte_serialize(token.as_bytes()).collect::<String>(),
                base64(token.as_bytes()),
                "A".repeat(*pad)
            );
            let body = json!({
                "error": {"status": 401, "code": "UNAUTHORIZED", "message": message}
            });
            write_json(stream, 401, &body).await
        }
        Hostile::SlowDrip => {
            let body = spotify_page(&[START_MS - 1000], None, None).to_string();
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).await?;
            for byte in body.as_bytes() {
                stream.write_all(std::slice::from_ref(byte)).await?;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Ok(())
        }
        Hostile::NeverAnswers => {
            // Hold the connection open, answering nothing, until the client gives up.
            let mut sink = [0; 1024];
            while stream.read(&mut sink).await? > 0 {}
            Err(std::io::ErrorKind::ConnectionAborted.into())
        }
        Hostile::OversizeHeaders => {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-filler: {}\r\n\
                 content-length: 2\r\n\r\n{{}}",
                "a".repeat(1024 * 1024)
            );
            stream.write_all(head.as_bytes()).await
        }
        Hostile::Gzip => {
            let body: &[u8] = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xab\xae\x05\x00";
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\n\
                 content-length: {}\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(body).await
        }
        Hostile::InvalidUtf8 => {
            let body: &[u8] = b"{\"href\":\"\xff\xfe\",\"limit\":50,\"items\":[]}";
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(body).await
        }
    }
}

/// 2024-05-01T12:00:00Z: where the pages start.
const START_MS: i64 = 1_714_564_800_000;
/// 2024-05-01T00:00:00Z.
const MAY_FIRST_MS: i64 = 1_714_521_600_000;

async fn write_json(stream: &mut TcpStream, status: u16, body: &Value) -> std::io::Result<()> {
    let body = body.to_string();
    let head = format!(
        "HTTP/1.1 {status} Hostile\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await
}

async fn write_chunk(stream: &mut TcpStream, bytes: &[u8]) -> std::io::Result<()> {
    stream
        .write_all(format!("{:x}\r\n", bytes.len()).as_bytes())
        .await?;
    stream.write_all(bytes).await?;
    stream.write_all(b"\r\n").await
}

fn rfc3339(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A Spotify page of plays at `times`, with a `next` link to `before=<next>` when given.
fn spotify_page(times: &[i64], next: Option<i64>, names: Option<&[&str]>) -> Value {
    let items: Vec<Value> = times
        .iter()
        .enumerate()
        .map(|(i, ms)| {
            let name = names
                .and_then(|n| n.get(i).copied())
                .map_or_else(|| format!("Hostile Track {i}"), str::to_string);
            let id = format!("hostile{ms}");
            json!({
                "track": {
                    "artists": [{
                        "external_urls": {"spotify": "https://open.spotify.com/artist/hostile"},
                        "href": "https://api.spotify.com/v1/artists/hostile",
                        "id": "hostile",
                        "name": "Hostile Artist",
                        "type": "artist",
                        "uri": "spotify:artist:hostile"
                    }],
                    "available_markets": [],
                    "disc_number": 1,
                    "duration_ms": 180_000,
                    "explicit": false,
                    "external_urls": {"spotify": format!("https://open.spotify.com/track/{id}")},
                    "href": format!("https://api.spotify.com/v1/tracks/{id}"),
                    "id": id,
                    "name": name,
                    "preview_url": null,
                    "track_number": 1,
                    "type": "track",
                    "uri": format!("spotify:track:{id}")
                },
                "played_at": rfc3339(*ms),
                "context": null
            })
        })
        .collect();
    let link = |before: i64| {
        format!("https://api.spotify.com/v1/me/player/recently-played?before={before}&limit=50")
    };
    json!({
        "href": "https://api.spotify.com/v1/me/player/recently-played",
        "limit": 50,
        "next": next.map(link),
        "cursors": next.map(|before| json!({
            "after": times.first().copied().unwrap_or(before).to_string(),
            "before": before.to_string()
        })),
        "items": items
    })
}

/// An Amazon Music page of tracks played at `times`, with `token` as the next page's cursor
/// when given: a page of track plays when `request` asks for them (`/player/recentlyPlayed`),
/// else a page of entities, each a track.
fn amazon_page(request: &HostileRequest, times: &[i64], token: Option<String>) -> Value {
    let path = request.target.split('?').next().unwrap_or_default();
    if path.ends_with("/player/recentlyPlayed") {
        return json!({
            "data": {"user": {
                "id": "hostile",
                "name": null,
                "recentTrackPlayback": {
                    "pageInfo": {"hasNextPage": token.is_some(), "token": token},
                    "edges": times.iter().map(|ms| json!({
                        "playedAt": rfc3339(*ms),
                        "node": {"id": format!("B{ms}"), "title": format!("Hostile {ms}")}
                    })).collect::<Vec<_>>()
                }
            }}
        });
    }
    let edges: Vec<Value> = times
        .iter()
        .map(|ms| {
            json!({
                "playedDate": rfc3339(*ms),
                "node": {"_type": "Track", "id": format!("B{ms}"), "title": format!("Hostile {ms}")}
            })
        })
        .collect();
    json!({
        "data": {"user": {
            "id": "hostile",
            "name": null,
            "recentEntitiesPlayback": {
                "pageInfo": {"hasNextPage": token.is_some(), "token": token},
                "edges": edges
            }
        }}
    })
}

/// A ListenBrainz page of listens at `seconds` (newest first), each of its own recording.
fn listenbrainz_page(seconds: &[i64]) -> Value {
    let listens: Vec<Value> = seconds
        .iter()
        .map(|at| {
            let msid = format!("00000000-0000-4000-8000-{at:012}");
            json!({
                "inserted_at": at,
                "listened_at": at,
                "recording_msid": msid,
                "track_metadata": {
                    "additional_info": {"recording_msid": msid},
                    "artist_name": "Hostile Artist",
                    "track_name": format!("Hostile {at}")
                },
                "user_name": "hostile"
            })
        })
        .collect();
    json!({
        "payload": {
            "count": listens.len(),
            "latest_listen_ts": seconds.first().copied().unwrap_or(0),
            "listens": listens,
            "oldest_listen_ts": seconds.last().copied().unwrap_or(0),
            "user_id": "hostile"
        }
    })
}

/// Standard base64 without padding, as a server might echo a credential.
fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_decode_as_the_specs_shapes() {
        let spotify = spotify_page(&[START_MS, START_MS - 1], Some(START_MS - 1), None);
        let page: spotify_web_api::types::CursorPagedPlayHistory =
            serde_json::from_value(spotify).unwrap();
        assert_eq!(page.items.len(), 2);
        let asking = |target: &str| HostileRequest {
            target: target.to_owned(),
            headers: Vec::new(),
        };
        let amazon = amazon_page(
            &asking("/v1/me/recentlyPlayedEntities"),
            &[START_MS],
            Some("page-1".into()),
        );
        let page: amazon_music_web_api::types::RecentlyPlayedEntitiesResponse =
            serde_json::from_value(amazon).unwrap();
        assert_eq!(page.edges().len(), 1);
        let tracks = amazon_page(
            &asking("/v1/player/recentlyPlayed?limit=60"),
            &[START_MS],
            None,
        );
        let page: amazon_music_web_api::types::RecentlyPlayedTracksResponse =
            serde_json::from_value(tracks).unwrap();
        let first = page.edges()[0].item().map(|edge| edge.node.id.clone());
        assert_eq!(first, Some(format!("B{START_MS}")));
    }

    #[tokio::test]
    async fn endless_pages_go_on_with_fresh_older_cursors() {
        let server = HostileServer::start(Hostile::SpotifyEndlessPages).await;
        let http = client_support::http::client_builder().build().unwrap();
        let mut url = format!("{}/me/player/recently-played?limit=2", server.base_url());
        let mut befores = Vec::new();
        for _ in 0..3 {
            let page: Value = http.get(&url).send().await.unwrap().json().await.unwrap();
            let before: i64 = page["cursors"]["before"].as_str().unwrap().parse().unwrap();
            befores.push(before);
            url = format!(
                "{}/me/player/recently-played?limit=2&before={before}",
                server.base_url()
            );
        }
        assert!(befores.windows(2).all(|w| w[1] < w[0]), "{befores:?}");
        assert_eq!(server.request_count(), 3);
    }
}

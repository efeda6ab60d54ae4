//! Realistic response pages for the decode benchmarks and the minimal "floor" types they are
//! measured against; whole-history walks from the local simulations.
//!
//! The pages are built once, deterministically (a fixed-seed generator, no clock, no I/O), so
//! two runs decode exactly the same bytes. `benches/decode.rs` decodes them into:
//!
//! - the generated types (`spotify_web_api::types`, `amazon_music_web_api::types`);
//! - for Spotify, `rspotify-model`'s types, the comparison point;
//! - the [`floor`] types, which keep only what a listening history needs, so the distance to
//!   them is the price of decoding everything else.
//!
//! Run them with `cargo bench -p benchmarks --bench decode`, then
//! `cargo run -p benchmarks --bin ratios` for the ratios of that run.
//!
//! [`walk`] walks a whole history from the local simulations through the clients' public API
//! and counts the requests and TCP connections it took;
//! `cargo run --release -p benchmarks --bin walk` reports its plays per second.
//!
//! [`bench_build`] times clean release builds of crates depending on each client and on
//! `rspotify`, each with native-tls and with rustls: `cargo run -p benchmarks --bin bench_build`.
//!
//! ```
//! let page = benchmarks::spotify_recently_played(benchmarks::SpotifyVariant::AsServed);
//! let decoded: spotify_web_api::types::CursorPagedPlayHistory = serde_json::from_slice(&page)?;
//! assert_eq!(decoded.items.len(), 50);
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde_json::{Value, json};

pub mod bench_build;
pub mod binary;
pub mod floor;
pub mod walk;

/// How many plays a Spotify recently-played page holds: the endpoint's maximum `limit`.
pub const SPOTIFY_PAGE_ITEMS: usize = 50;

/// How many edges an Amazon recently-played-entities page holds: the endpoint's maximum `limit`.
pub const AMAZON_PAGE_EDGES: usize = 100;

/// Which form of the Spotify page to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpotifyVariant {
    /// What the service sends, including a context whose `href` is `null` (a context without
    /// a Web API endpoint, as the spec documents).
    AsServed,
    /// The same page with that one `href` filled in, because `rspotify-model` 0.16 declares
    /// `Context::href` as a non-nullable `String` and rejects the whole page otherwise. Every
    /// other byte is the same, so both decoders can be compared on it fairly.
    RspotifyCompatible,
}

/// The Web API endpoint of the user's saved tracks: what [`SpotifyVariant::RspotifyCompatible`]
/// puts where the served page has a `null` context `href`.
pub const SAVED_TRACKS_HREF: &str = "https://api.spotify.com/v1/me/tracks";

/// A `GET /me/player/recently-played?limit=50` response body, as JSON bytes.
///
/// Fifty plays, newest first, of full track objects as the service returns them (album with
/// cover art in three sizes and a release date of day, month or year precision,
/// `external_ids`, `popularity`), all of which the generated types decode.
/// Each track has one to three artists and an `available_markets` list of 0 to 184 codes
/// (most near the full list, some regionally restricted, some absent as for apps that no longer
/// receive the field). Contexts mix album, playlist, artist and collection, and about a third
/// are `null`. One play is a local file (`null` `id`, `href` and `uri` on the track, its album
/// and its artist), one track was relinked (`linked_from`, `is_playable`), and one artist name
/// needs escaping. The JSON is indented, as the service serves it.
///
/// ```
/// use benchmarks::{SpotifyVariant, spotify_recently_played};
///
/// let served = spotify_recently_played(SpotifyVariant::AsServed);
/// assert_eq!(served, spotify_recently_played(SpotifyVariant::AsServed), "deterministic");
/// assert!(served.len() > 100_000, "a realistic page is large: {} bytes", served.len());
/// ```
pub fn spotify_recently_played(variant: SpotifyVariant) -> Vec<u8> {
    let mut rng = Rng::new(0x0005_EED0_F501_A7ED);
    let newest_ms: i64 = 1_773_518_644_589; // 2026-03-14T20:04:04.589Z
    let mut played_ms = newest_ms;
    let mut items = Vec::with_capacity(SPOTIFY_PAGE_ITEMS);
    for index in 0..SPOTIFY_PAGE_ITEMS {
        let track = match index {
            LOCAL_FILE_INDEX => local_file_track(&mut rng),
            _ => catalogue_track(&mut rng, index == RELINKED_INDEX),
        };
        let context = match index {
            NULL_HREF_CONTEXT_INDEX => collection_context(variant),
            _ => catalogue_context(&mut rng, &track),
        };
        items.push(json!({
            "track": track,
            "played_at": rfc3339_millis(played_ms),
            "context": context,
        }));
        // Consecutive plays: a track's length plus a little, sometimes a gap of hours.
        let gap = track["duration_ms"].as_i64().unwrap_or(200_000) + rng.below(4_000) as i64;
        played_ms -= gap
            + if rng.below(8) == 0 {
                rng.below(20_000_000) as i64
            } else {
                0
            };
    }
    let oldest_ms = played_ms;
    let page = json!({
        "items": items,
        "next": format!(
            "https://api.spotify.com/v1/me/player/recently-played?before={oldest_ms}&limit=50"
        ),
        "cursors": { "after": newest_ms.to_string(), "before": oldest_ms.to_string() },
        "limit": 50,
        "href": "https://api.spotify.com/v1/me/player/recently-played?limit=50",
    });
    serde_json::to_vec_pretty(&page).expect("a JSON value always serialises")
}

/// A `GET /me/recentlyPlayedEntities?limit=100` response body, as JSON bytes.
///
/// A hundred edges, newest first, whose nodes cycle through every documented `_type` (tracks
/// and albums most often) plus one node of a kind the spec does not know (`Audiobook`), which
/// the client must keep rather than fail the page. Some nodes carry `name`, some `title`.
///
/// ```
/// let page = benchmarks::amazon_recently_played_entities();
/// let decoded: amazon_music_web_api::types::RecentlyPlayedEntitiesResponse =
///     serde_json::from_slice(&page)?;
/// let edges = decoded.data.user.unwrap().recent_entities_playback.unwrap().edges;
/// assert_eq!(edges.len(), 100);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn amazon_recently_played_entities() -> Vec<u8> {
    let mut rng = Rng::new(0xA3A2_0E17_1717);
    let mut played_ms: i64 = 1_773_518_644_589;
    let mut edges = Vec::with_capacity(AMAZON_PAGE_EDGES);
    for index in 0..AMAZON_PAGE_EDGES {
        let node = if index == UNKNOWN_KIND_INDEX {
            json!({
                "_type": "Audiobook",
                "id": asin(&mut rng),
                "title": "The Left Hand of Darkness",
                "narrator": "George Guidall",
                "url": "https://music.amazon.com/audiobooks/B0000000AB",
            })
        } else {
            amazon_node(&mut rng)
        };
        edges.push(json!({
            "id": format!("recentlyPlayedId{}", index + 1),
            "playedDate": rfc3339_millis(played_ms),
            "node": node,
        }));
        played_ms -= 120_000 + rng.below(3_600_000) as i64;
    }
    let page = json!({
        "data": {
            "user": {
                "id": "j6qncekh7w5vldgykxisqhup7q",
                "name": null,
                "url": "https://music.amazon.com/profiles/j6qncekh7w5vldgykxisqhup7q",
                "recentEntitiesPlayback": {
                    "pageInfo": {
                        "hasNextPage": true,
                        "token": format!("00000000000000{played_ms}:ALBUM:B09J9ZRZC5"),
                    },
                    "edgeCount": AMAZON_PAGE_EDGES,
                    "edges": edges,
                },
            },
        },
    });
    serde_json::to_vec(&page).expect("a JSON value always serialises")
}

/// Where in the Spotify page the local file is.
const LOCAL_FILE_INDEX: usize = 17;
/// Where in the Spotify page the relinked track is.
const RELINKED_INDEX: usize = 23;
/// Where in the Spotify page the context without an `href` is.
const NULL_HREF_CONTEXT_INDEX: usize = 31;
/// Where in the Amazon page the node of an unknown kind is.
const UNKNOWN_KIND_INDEX: usize = 42;

/// The markets the Web API lists (`GET /markets`): a widely licensed track is available in
/// nearly all of them.
const MARKETS: &[&str] = &[
    "AD", "AE", "AG", "AL", "AM", "AO", "AR", "AT", "AU", "AZ", "BA", "BB", "BD", "BE", "BF", "BG",
    "BH", "BI", "BJ", "BN", "BO", "BR", "BS", "BT", "BW", "BY", "BZ", "CA", "CD", "CG", "CH", "CI",
    "CL", "CM", "CO", "CR", "CV", "CW", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "ES", "ET", "FI", "FJ", "FM", "FR", "GA", "GB", "GD", "GE", "GH", "GM", "GN", "GQ", "GR",
    "GT", "GW", "GY", "HK", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IN", "IQ", "IS", "IT", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KR", "KW", "KZ", "LA", "LB", "LC", "LI", "LK",
    "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MG", "MH", "MK", "ML", "MN", "MO",
    "MR", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NE", "NG", "NI", "NL", "NO", "NP", "NR",
    "NZ", "OM", "PA", "PE", "PG", "PH", "PK", "PL", "PR", "PS", "PT", "PW", "PY", "QA", "RO", "RS",
    "RW", "SA", "SB", "SC", "SE", "SG", "SI", "SK", "SL", "SM", "SN", "SR", "ST", "SV", "SZ", "TD",
    "TG", "TH", "TJ", "TL", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "US", "UY", "UZ",
    "VC", "VE", "VN", "VU", "WS", "XK", "ZA", "ZM",
];

/// Artist names, including some that are not ASCII and one that JSON must escape.
const ARTISTS: [&str; 16] = [
    "Tame Impala",
    "Pet Shop Boys",
    "Beyoncé",
    "Sigur Rós",
    "坂本龍一",
    "Khruangbin",
    "\"Weird Al\" Yankovic",
    "Nils Frahm",
    "Little Simz",
    "Rosalía",
    "Bonobo",
    "Fleetwood Mac",
    "Kendrick Lamar",
    "Caroline Polachek",
    "Mdou Moctar",
    "Björk",
];

/// Track and album title words, combined into titles of realistic length.
const WORDS: [&str; 24] = [
    "Let",
    "It",
    "Happen",
    "West",
    "End",
    "Girls",
    "Disciples",
    "Midnight",
    "City",
    "Dreams",
    "(2001 - Remaster)",
    "Intentions",
    "Heart",
    "of",
    "Glass",
    "Lost",
    "in",
    "the",
    "Dark",
    "Feat.",
    "Radio",
    "Edit",
    "Blue",
    "Hour",
];

fn catalogue_track(rng: &mut Rng, relinked: bool) -> Value {
    let artist_count = 1 + rng.below(3);
    let artists: Vec<Value> = (0..artist_count).map(|_| catalogue_artist(rng)).collect();
    let markets = available_markets(rng);
    let album_id = base62_id(rng);
    let images = [640, 300, 64].map(|size| {
        json!({
            "height": size,
            "url": format!("https://i.scdn.co/image/ab67616d0000b273{}", hex40(rng)),
            "width": size,
        })
    });
    let year = 1970 + rng.below(56);
    let (release_date, precision) = match rng.below(8) {
        0 => (format!("{year}"), "year"),
        1 => (format!("{year}-{:02}", 1 + rng.below(12)), "month"),
        _ => (
            format!("{year}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
            "day",
        ),
    };
    let album = json!({
        "album_type": if rng.below(4) == 0 { "single" } else { "album" },
        "artists": [artists[0].clone()],
        "available_markets": markets,
        "external_urls": { "spotify": format!("https://open.spotify.com/album/{album_id}") },
        "href": format!("https://api.spotify.com/v1/albums/{album_id}"),
        "id": album_id,
        "images": images,
        "name": title(rng, 1, 3),
        "release_date": release_date,
        "release_date_precision": precision,
        "total_tracks": 1 + rng.below(18),
        "type": "album",
        "uri": format!("spotify:album:{album_id}"),
    });
    let id = base62_id(rng);
    let mut track = json!({
        "album": album,
        "artists": artists,
        "available_markets": markets,
        "disc_number": 1 + u64::from(rng.below(12) == 0),
        "duration_ms": 95_000 + rng.below(360_000),
        "explicit": rng.below(5) == 0,
        "external_ids": { "isrc": format!("USUM7{:07}", rng.below(10_000_000)) },
        "external_urls": { "spotify": format!("https://open.spotify.com/track/{id}") },
        "href": format!("https://api.spotify.com/v1/tracks/{id}"),
        "id": id,
        "is_local": false,
        "name": title(rng, 1, 5),
        "popularity": rng.below(100),
        "preview_url": if rng.below(6) == 0 {
            json!(format!("https://p.scdn.co/mp3-preview/{}", hex40(rng)))
        } else {
            Value::Null
        },
        "track_number": 1 + rng.below(14),
        "type": "track",
        "uri": format!("spotify:track:{id}"),
    });
    if relinked {
        let original = base62_id(rng);
        track["is_playable"] = json!(true);
        track["linked_from"] = json!({
            "external_urls": { "spotify": format!("https://open.spotify.com/track/{original}") },
            "href": format!("https://api.spotify.com/v1/tracks/{original}"),
            "id": original,
            "type": "track",
            "uri": format!("spotify:track:{original}"),
        });
    }
    track
}

fn catalogue_artist(rng: &mut Rng) -> Value {
    let id = base62_id(rng);
    json!({
        "external_urls": { "spotify": format!("https://open.spotify.com/artist/{id}") },
        "href": format!("https://api.spotify.com/v1/artists/{id}"),
        "id": id,
        "name": ARTISTS[rng.below(ARTISTS.len() as u64) as usize],
        "type": "artist",
        "uri": format!("spotify:artist:{id}"),
    })
}

/// A local file as the Web API returns it: no catalogue identity anywhere.
fn local_file_track(rng: &mut Rng) -> Value {
    let duration_ms = 180_000 + rng.below(120_000);
    json!({
        "album": {
            "album_type": null,
            "artists": [],
            "available_markets": [],
            "external_urls": {},
            "href": null,
            "id": null,
            "images": [],
            "name": "Bootleg Tapes 1998",
            "release_date": null,
            "release_date_precision": null,
            "type": "album",
            "uri": null,
        },
        "artists": [{
            "external_urls": {},
            "href": null,
            "id": null,
            "name": "The Garage Band",
            "type": "artist",
            "uri": null,
        }],
        "available_markets": [],
        "disc_number": 0,
        "duration_ms": duration_ms,
        "explicit": false,
        "external_ids": {},
        "external_urls": {},
        "href": null,
        "id": null,
        "is_local": true,
        "name": "Demo 3 (final)",
        "popularity": 0,
        "preview_url": null,
        "track_number": 0,
        "type": "track",
        "uri": format!(
            "spotify:local:The+Garage+Band:Bootleg+Tapes+1998:Demo+3+%28final%29:{}",
            duration_ms / 1000
        ),
    })
}

/// The context a catalogue play came from: its album, a playlist, its artist, or none.
fn catalogue_context(rng: &mut Rng, track: &Value) -> Value {
    let (kind, id) = match rng.below(10) {
        0..=2 => return Value::Null,
        3..=5 => ("playlist", base62_id(rng)),
        6..=8 => (
            "album",
            track["album"]["id"].as_str().unwrap_or_default().to_owned(),
        ),
        _ => (
            "artist",
            track["artists"][0]["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        ),
    };
    json!({
        "type": kind,
        "href": format!("https://api.spotify.com/v1/{kind}s/{id}"),
        "external_urls": { "spotify": format!("https://open.spotify.com/{kind}/{id}") },
        "uri": format!("spotify:{kind}:{id}"),
    })
}

/// The user's saved tracks as a context: served without an `href`.
fn collection_context(variant: SpotifyVariant) -> Value {
    let href = match variant {
        SpotifyVariant::AsServed => Value::Null,
        SpotifyVariant::RspotifyCompatible => json!(SAVED_TRACKS_HREF),
    };
    json!({
        "type": "collection",
        "href": href,
        "external_urls": { "spotify": "https://open.spotify.com/collection/tracks" },
        "uri": "spotify:user:wizzler:collection",
    })
}

/// Most tracks are licensed nearly everywhere; some only in a few markets; some apps get none.
fn available_markets(rng: &mut Rng) -> Vec<&'static str> {
    let count = match rng.below(10) {
        0 => 0,
        1 => 1 + rng.below(12) as usize,
        _ => MARKETS.len() - rng.below(8) as usize,
    };
    let skip = rng.below((MARKETS.len() - count + 1) as u64) as usize;
    MARKETS[skip..skip + count].to_vec()
}

fn amazon_node(rng: &mut Rng) -> Value {
    let (kind, path) = match rng.below(16) {
        0..=5 => ("Track", "albums"),
        6..=9 => ("Album", "albums"),
        10..=11 => ("Playlist", "my/playlists"),
        12 => ("Artist", "artists"),
        13 => ("PodcastEpisode", "podcasts"),
        14 => ("PodcastShow", "podcasts"),
        _ => (["Category", "User"][rng.below(2) as usize], "browse"),
    };
    let id = asin(rng);
    let label = match kind {
        "Artist" => ARTISTS[rng.below(ARTISTS.len() as u64) as usize].to_owned(),
        _ => title(rng, 1, 4),
    };
    let label_key = if matches!(kind, "Artist" | "User") {
        "name"
    } else {
        "title"
    };
    json!({
        "_type": kind,
        "id": id,
        label_key: label,
        "url": format!("https://music.amazon.com/{path}/{id}"),
    })
}

fn title(rng: &mut Rng, min_words: u64, max_words: u64) -> String {
    let words = min_words + rng.below(max_words - min_words + 1);
    (0..words)
        .map(|_| WORDS[rng.below(WORDS.len() as u64) as usize])
        .collect::<Vec<_>>()
        .join(" ")
}

/// A 22-character base-62 Spotify ID.
fn base62_id(rng: &mut Rng) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    (0..22)
        .map(|_| char::from(ALPHABET[rng.below(62) as usize]))
        .collect()
}

/// A 10-character Amazon Standard Identification Number.
fn asin(rng: &mut Rng) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let tail: String = (0..9)
        .map(|_| char::from(ALPHABET[rng.below(36) as usize]))
        .collect();
    format!("B{tail}")
}

fn hex40(rng: &mut Rng) -> String {
    (0..40)
        .map(|_| char::from(b"0123456789abcdef"[rng.below(16) as usize]))
        .collect()
}

/// A UTC timestamp with millisecond precision, as both services write them.
fn rfc3339_millis(unix_ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(unix_ms)
        .expect("the page's timestamps are in range")
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// SplitMix64: tiny, fixed-seed, and the same on every platform, which is all a page needs.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (with a bias far below anything a page could show).
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
}

#[cfg(test)]
mod tests;

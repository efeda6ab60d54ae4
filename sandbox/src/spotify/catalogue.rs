//! The made-up catalogue a realistic history plays from: artists, albums, tracks, local
//! files and contexts, built from the generated types so that they conform to the spec.

use spotify_web_api::{ExternalIds, ExternalUrls, Market, types};

use super::fnv1a;
use crate::random::{self, Rng};

pub(super) fn external(kind: &str, id: &str) -> ExternalUrls {
    ExternalUrls {
        spotify: Some(format!("https://open.spotify.com/{kind}/{id}")),
        extra: Default::default(),
    }
}

pub(super) fn catalogue_artist(id: &str, name: &str) -> types::SimplifiedArtist {
    types::SimplifiedArtist {
        external_urls: external("artist", id),
        href: Some(format!("https://api.spotify.com/v1/artists/{id}")),
        id: Some(id.to_owned()),
        name: name.to_owned(),
        type_: "artist".to_owned(),
        uri: Some(format!("spotify:artist:{id}")),
    }
}

/// An album by `artists`: cover art in three sizes, a release date of day, month or year
/// precision, and (unless the app is one that no longer receives them) its markets.
pub(super) fn catalogue_album(
    rng: &mut Rng,
    id: &str,
    artists: Vec<types::SimplifiedArtist>,
) -> types::SimplifiedAlbum {
    let art = rng.string(b"0123456789abcdef", 24);
    let images = [("b273", 640), ("1e02", 300), ("4851", 64)]
        .map(|(kind, size)| types::Image {
            height: Some(size),
            url: format!("https://i.scdn.co/image/ab67616d0000{kind}{art}"),
            width: Some(size),
        })
        .to_vec();
    let year = rng.between(1960, 2024);
    let (release_date, precision) = match rng.below(8) {
        0 => (format!("{year}"), "year"),
        1 => (format!("{year}-{:02}", rng.between(1, 12)), "month"),
        _ => (
            format!("{year}-{:02}-{:02}", rng.between(1, 12), rng.between(1, 28)),
            "day",
        ),
    };
    let album_type = *rng.pick(&["album", "album", "single", "compilation"]);
    types::SimplifiedAlbum {
        album_type: Some(album_type.to_owned()),
        artists,
        available_markets: if rng.one_in(3) {
            Vec::new()
        } else {
            ["CA", "MX", "US"].map(Market::from_text).to_vec()
        },
        external_urls: external("album", id),
        href: Some(format!("https://api.spotify.com/v1/albums/{id}")),
        id: Some(id.to_owned()),
        images,
        name: random::title(rng),
        release_date: Some(release_date),
        release_date_precision: Some(precision.to_owned()),
        restrictions: None,
        total_tracks: Some(rng.between(1, 18) as i32),
        type_: "album".to_owned(),
        uri: Some(format!("spotify:album:{id}")),
    }
}

pub(super) fn catalogue_track(
    rng: &mut Rng,
    id: &str,
    name: &str,
    artists: Vec<types::SimplifiedArtist>,
    album: types::SimplifiedAlbum,
) -> types::Track {
    // Since February 2026, apps in Development Mode receive no `available_markets`,
    // `linked_from` or `popularity` on tracks; `external_ids` came back in March 2026.
    let trimmed = rng.one_in(3);
    let preview_url = (!rng.one_in(2)).then(|| {
        format!(
            "https://p.scdn.co/mp3-preview/{}",
            rng.string(b"0123456789abcdef", 40)
        )
    });
    let mut track = types::Track {
        album: Some(album),
        artists,
        available_markets: if trimmed {
            Vec::new()
        } else {
            ["CA", "MX", "US"].map(Market::from_text).to_vec()
        },
        disc_number: 1,
        duration_ms: rng.between(95_000, 420_000) as i64,
        explicit: rng.one_in(5),
        external_ids: Some(ExternalIds {
            ean: None,
            // A trimmed track's ISRC comes from its ID, so that the draws (and so every
            // history of a seed) stay as they were before `external_ids` came back.
            isrc: Some(if trimmed {
                format!("QZ{:010}", fnv1a(id.as_bytes()) % 10_000_000_000)
            } else {
                format!("QZ{}", rng.string(b"0123456789", 10))
            }),
            upc: None,
            extra: Default::default(),
        }),
        // `identify` below gives these the track's ID.
        external_urls: external("track", ""),
        href: None,
        id: None,
        is_local: Some(false),
        is_playable: None,
        linked_from: None,
        name: name.to_owned(),
        popularity: (!trimmed).then(|| rng.below(101) as i32),
        preview_url,
        restrictions: None,
        track_number: rng.between(1, 14) as i32,
        type_: "track".to_owned(),
        uri: None,
    };
    identify(&mut track, id);
    track
}

/// Makes `track` the catalogue track with Spotify ID `id`: its `id`, `uri`, `href` and
/// `external_urls` name it.
pub(super) fn identify(track: &mut types::Track, id: &str) {
    track.external_urls = external("track", id);
    track.href = Some(format!("https://api.spotify.com/v1/tracks/{id}"));
    track.id = Some(id.to_owned());
    track.uri = Some(format!("spotify:track:{id}"));
}

/// A local file: no Spotify ID or Web API link, for the track, its artist or its album,
/// whose names are all that is known of it; the track's URI is a `spotify:local:` one, built
/// from those names and its length, as Spotify builds it. (The page carries the missing
/// values as explicit `null`s: see `explicit_nulls` in the parent module.)
pub(super) fn local_track(rng: &mut Rng) -> types::Track {
    let album_name = format!("{} (home recordings)", random::title(rng));
    let artist_name = random::artist_name(rng);
    let duration_ms = rng.between(60_000, 600_000) as i64;
    let name = format!("{} (demo)", random::title(rng));
    let uri = local_uri(&artist_name, &album_name, &name, duration_ms);
    types::Track {
        album: Some(types::SimplifiedAlbum {
            album_type: None,
            artists: Vec::new(),
            available_markets: Vec::new(),
            external_urls: ExternalUrls::default(),
            href: None,
            id: None,
            images: Vec::new(),
            name: album_name,
            release_date: None,
            release_date_precision: None,
            restrictions: None,
            total_tracks: None,
            type_: "album".to_owned(),
            uri: None,
        }),
        artists: vec![types::SimplifiedArtist {
            external_urls: ExternalUrls::default(),
            href: None,
            id: None,
            name: artist_name,
            type_: "artist".to_owned(),
            uri: None,
        }],
        available_markets: Vec::new(),
        disc_number: 0,
        duration_ms,
        explicit: false,
        external_ids: Some(ExternalIds::default()),
        external_urls: ExternalUrls::default(),
        href: None,
        id: None,
        is_local: Some(true),
        is_playable: None,
        linked_from: None,
        name,
        popularity: None,
        preview_url: None,
        restrictions: None,
        track_number: 0,
        type_: "track".to_owned(),
        uri: Some(uri),
    }
}

/// The URI Spotify gives a local file: `spotify:local:<artist>:<album>:<title>:<seconds>`,
/// each name form-encoded (`+` for a space, `%XX` for anything but letters, digits and
/// `.-*_`), as in `spotify:local:The+Garage+Band:Bootleg+Tapes+1998:Demo+3+%28final%29:213`.
pub(super) fn local_uri(artist: &str, album: &str, title: &str, duration_ms: i64) -> String {
    fn encode(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for byte in text.bytes() {
            match byte {
                b' ' => out.push('+'),
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'*' | b'_' => {
                    out.push(char::from(byte));
                }
                _ => out.push_str(&format!("%{byte:02X}")),
            }
        }
        out
    }
    format!(
        "spotify:local:{}:{}:{}:{}",
        encode(artist),
        encode(album),
        encode(title),
        duration_ms / 1000
    )
}

pub(super) fn catalogue_context(kind: &str, id: &str) -> types::Context {
    types::Context {
        external_urls: Some(external(kind, id)),
        href: Some(format!("https://api.spotify.com/v1/{kind}s/{id}")),
        type_: kind.to_owned(),
        uri: format!("spotify:{kind}:{id}"),
    }
}

/// The user's "Liked Songs": a context with no Web API endpoint.
pub(super) fn collection_context() -> types::Context {
    types::Context {
        external_urls: Some(ExternalUrls {
            spotify: Some("https://open.spotify.com/collection/tracks".to_owned()),
            extra: Default::default(),
        }),
        href: None,
        type_: "collection".to_owned(),
        uri: "spotify:user:sandboxlistener:collection".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_uri_is_spelled_as_spotify_spells_it() {
        assert_eq!(
            local_uri(
                "The Garage Band",
                "Bootleg Tapes 1998",
                "Demo 3 (final)",
                213_400
            ),
            "spotify:local:The+Garage+Band:Bootleg+Tapes+1998:Demo+3+%28final%29:213"
        );
        assert_eq!(
            local_uri("Sigur Rós", "", "a:b", 1_000),
            "spotify:local:Sigur+R%C3%B3s::a%3Ab:1"
        );
    }
}

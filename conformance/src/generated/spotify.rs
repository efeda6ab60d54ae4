// Generated from `specs/spotify-web-api.yaml` by `cargo xtask regen`. Do not edit by hand:
// change the spec (or the settings in `xtask/src/apis.rs`) and run `cargo xtask regen`.
//
// The `types` module of `crates/spotify-web-api/src/generated.rs`, deriving
// `schemars::JsonSchema` as well, for the conformance crate only (the client crates
// never compile it): a test compares what these types accept with the spec
// (conformance/tests/it/types_match_the_specs.rs).
//
// Adapted for progenitor in memory (xtask/src/adapt.rs): `drop-bodyless-success-beside-json`.
//   Why: progenitor asserts one success type per operation and panics on 200+JSON beside a bodyless 204 (progenitor#344).
//   Restored: the client maps the 204 (which then arrives as an unexpected response) to a documented Ok outcome.
//
// Adapted for progenitor in memory (xtask/src/adapt.rs): `leave-error-responses-to-the-client`.
//   Why: a declared error response whose body is not JSON becomes InvalidResponsePayload and loses its status and headers (Retry-After).
//   Restored: the client decodes the documented error schema itself from the intact response.
//
// Adapted for progenitor in memory (xtask/src/adapt.rs): `decode-page-items-one-by-one`.
//   Why: typify decodes an array all or nothing, so one malformed play or edge would fail its whole page.
//   Restored: each page item is a `client_support::Entry` (the `<item>Entry` replacements in xtask/src/apis.rs): the item, or its raw JSON and the reason it did not decode.
//
// Adapted for progenitor in memory (xtask/src/adapt.rs): `compact-market-codes`.
//   Why: typify makes `available_markets` a `Vec<String>`: some 18,000 two-letter strings, each its own allocation, in a page of 50 plays.
//   Restored: the `Market` schema is replaced by the client's `Market` (the `Market` replacement in xtask/src/apis.rs): a code held in two bytes, any other value kept as its text, encoded and decoded as the same JSON string.

/// Types used as operation parameters and responses.
#[allow(clippy::all)]
pub mod types {
    ///Context object: where the track was played from. Departs from the printed docs: `type` is an open string, not an enum, because the docs only give examples ("artist", "playlist", "album") and real responses also carry other values such as "show" and "collection"; `href` is nullable because not every context has a Web API endpoint.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct Context {
        ///Known external URLs for this object, e.g. its Spotify URL.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub external_urls: ::std::option::Option<crate::hand_written::ExternalUrls>,
        ///A link to the Web API endpoint providing full details of the context.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub href: ::std::option::Option<::std::string::String>,
        ///The object type, e.g. "artist", "playlist", "album", "show", "collection". Treat unknown values as possible.
        #[serde(rename = "type")]
        pub type_: ::std::string::String,
        ///The Spotify URI for the context.
        pub uri: ::std::string::String,
    }
    ///Cursor-based paging object whose items are play history objects. Departs from the printed docs: `next` and `cursors` are nullable and `total` is optional, because real responses carry `"next": null` on the last page, `"cursors": null` when the page is empty, and usually omit `total` altogether.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct CursorPagedPlayHistory {
        ///The cursors used to find the next set of items, or `null`. Departs from the printed docs: nullable, because real responses carry `"cursors": null` when there are no items. (A reference or `null`, written as `oneOf` because OpenAPI 3.0.3's `nullable` has no effect without a `type` beside it.)
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub cursors: ::std::option::Option<Cursors>,
        ///A link to the Web API endpoint returning the full result of the request.
        pub href: ::std::string::String,
        ///The requested play history items, most recent first.
        pub items: ::std::vec::Vec<
            crate::hand_written::Entry<crate::generated::spotify::types::PlayHistory>,
        >,
        ///The maximum number of items in the response (as set in the query or by default).
        pub limit: i32,
        ///URL to the next (older) page of items, carrying a `before` cursor; `null` if there is none. Departs from the printed docs only in being marked nullable, which the docs state in prose ("null if none").
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub next: ::std::option::Option<::std::string::String>,
        ///The total number of items available to return. Departs from the printed docs: optional, because real responses from this endpoint usually omit it.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub total: ::std::option::Option<i32>,
    }
    ///Cursor object. Both cursors are Unix timestamps in milliseconds serialised as numeric strings (e.g. "1481661844589"); pass them back as the integer `after` / `before` query parameters. Departs from the printed docs: both fields are nullable and optional, because real responses may carry `null` for a cursor that has no value.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct Cursors {
        ///The cursor to use as key to find the next (newer) page of items, as a Unix timestamp in milliseconds in a numeric string.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub after: ::std::option::Option<::std::string::String>,
        ///The cursor to use as key to find the previous (older) page of items, as a Unix timestamp in milliseconds in a numeric string.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub before: ::std::option::Option<::std::string::String>,
    }
    ///Error object.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct ErrorObject {
        ///A short description of the cause of the error.
        pub message: ::std::string::String,
        ///The HTTP status code (also returned in the response header): an error status, 400 to 599 (as the community spec bounds it).
        pub status: i32,
    }
    ///Regular error body returned by the Web API for all error statuses (`{"error": {"status": ..., "message": ...}}`).
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct ErrorResponse {
        ///What went wrong: the HTTP status and a message.
        pub error: ErrorObject,
    }
    ///Image object: one size of an album's cover art. Departs from the reference: `height` and `width` are optional as well as nullable (the reference requires them, `null` when unknown), so that an image without a size does not fail a page of plays.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct Image {
        ///The image height in pixels, or `null` if unknown.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub height: ::std::option::Option<i32>,
        ///The source URL of the image.
        pub url: ::std::string::String,
        ///The image width in pixels, or `null` if unknown.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub width: ::std::option::Option<i32>,
    }
    ///Linked track object: the originally requested track, present when Track Relinking replaced it with a different track. All fields are optional here because the docs give no guarantees for this object on this endpoint.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct LinkedTrack {
        ///Known external URLs for this object, e.g. its Spotify URL.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub external_urls: ::std::option::Option<crate::hand_written::ExternalUrls>,
        ///A link to the Web API endpoint providing full details of the track.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub href: ::std::option::Option<::std::string::String>,
        ///The Spotify ID for the track.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub id: ::std::option::Option<::std::string::String>,
        ///The object type, "track".
        #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
        pub type_: ::std::option::Option<::std::string::String>,
        ///The Spotify URI for the track.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub uri: ::std::option::Option<::std::string::String>,
    }
    ///Play history object. Departs from the printed docs: `context` is nullable and optional, because real responses carry `"context": null` for tracks not played from a playlist, album, artist or similar context.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct PlayHistory {
        ///The context the track was played from, or `null` if none. (A reference or `null`, written as `oneOf` because OpenAPI 3.0.3's `nullable` has no effect without a `type` beside it.)
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub context: ::std::option::Option<Context>,
        ///The date and time the track was played (ISO 8601, UTC, millisecond precision).
        pub played_at: ::chrono::DateTime<::chrono::offset::Utc>,
        ///The track the user listened to: the full track object, with its album where the endpoint sends one (see `Track`).
        pub track: Track,
    }
    ///Restriction object: why a track or album is restricted. `reason` is "market", "product" or "explicit" in the reference; kept as an open string, since Spotify may add reasons.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct Restrictions {
        ///The reason for the restriction.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub reason: ::std::option::Option<::std::string::String>,
    }
    ///Album object (simplified): the album a track appears on, as the full track object of Spotify's reference carries it (`SimplifiedAlbumObject`; the source document has no album). Departures from the reference, each with its reason: `album_type`, `href`, `id`, `uri`, `release_date` and `release_date_precision` are optional and nullable, because the album of a local file comes back with `null` for each of them; `total_tracks` is optional, so that an album without it (such as a local file's, which has no catalogue entry) still decodes; `available_markets` is optional, like the track's (since February 2026 apps in Development Mode may not receive it); `album_type` and `release_date_precision` are open strings, not enums, so that an unexpected value does not fail decoding of the whole page. The release date is read as a typed value by `SimplifiedAlbum::release()` in the client crate.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct SimplifiedAlbum {
        ///The type of the album: "album", "single" or "compilation" (the reference's enum); treat other values as possible.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub album_type: ::std::option::Option<::std::string::String>,
        ///The artists of the album (empty for a local file).
        pub artists: ::std::vec::Vec<SimplifiedArtist>,
        ///The markets in which the album is available, as ISO 3166-1 alpha-2 country codes. Deprecated, as in the community spec: since February 2026 apps in Development Mode no longer receive it.
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub available_markets: ::std::vec::Vec<crate::hand_written::Market>,
        ///Known external URLs for this object, e.g. its Spotify URL.
        pub external_urls: crate::hand_written::ExternalUrls,
        ///A link to the Web API endpoint providing full details of the album.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub href: ::std::option::Option<::std::string::String>,
        ///The Spotify ID for the album.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub id: ::std::option::Option<::std::string::String>,
        ///The cover art of the album in various sizes, widest first (empty for a local file).
        pub images: ::std::vec::Vec<Image>,
        ///The name of the album. In case of an album takedown, the value may be an empty string.
        pub name: ::std::string::String,
        ///The date the album was first released, to the precision given by `release_date_precision`: "1981", "1981-12" or "1981-12-15".
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub release_date: ::std::option::Option<::std::string::String>,
        ///The precision of `release_date`: "year", "month" or "day" (the reference's enum).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub release_date_precision: ::std::option::Option<::std::string::String>,
        ///Present when a content restriction applies to the album.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub restrictions: ::std::option::Option<Restrictions>,
        ///The number of tracks in the album.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub total_tracks: ::std::option::Option<i32>,
        ///The object type, "album".
        #[serde(rename = "type")]
        pub type_: ::std::string::String,
        ///The Spotify URI for the album.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub uri: ::std::option::Option<::std::string::String>,
    }
    ///Artist object (simplified). Departs from the printed docs: `href`, `id` and `uri` are nullable and optional, because artists of local files come back with `null` for them.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct SimplifiedArtist {
        ///Known external URLs for this object, e.g. its Spotify URL.
        pub external_urls: crate::hand_written::ExternalUrls,
        ///A link to the Web API endpoint providing full details of the artist.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub href: ::std::option::Option<::std::string::String>,
        ///The Spotify ID for the artist.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub id: ::std::option::Option<::std::string::String>,
        ///The name of the artist.
        pub name: ::std::string::String,
        ///The object type, "artist".
        #[serde(rename = "type")]
        pub type_: ::std::string::String,
        ///The Spotify URI for the artist.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub uri: ::std::option::Option<::std::string::String>,
    }
    ///Track object, as this endpoint returns it. The source document prints the simplified track object (no album); the endpoint returns the full track object, which Spotify's current reference and Spotify's own OpenAPI description (since February 2023) give as `TrackObject`, with a required `album`. This schema models both shapes: the fields the source document prints, and `album`, `external_ids`, `popularity`, `is_local` and `restrictions` from the full track object. (Named `Track`, not `SimplifiedTrack`, since it is no longer the simplified object; the generated Rust type is `types::Track`.) Departures, each with its reason: `album` is optional although Spotify's reference requires it, because the source document's example has no album and must decode; `available_markets`, `external_ids`, `linked_from` and `popularity` are optional, because since the February 2026 Web API changes apps in Development Mode no longer receive them on tracks (`external_ids` was restored in March 2026, but older responses and other apps may still lack it); `is_playable`, `linked_from` and `restrictions` are optional because they only appear with Track Relinking or a restriction; `href`, `id`, `uri` and `preview_url` are optional and nullable, because local files come back with `null` `id`/`href`, and `preview_url` is `null` for many tracks and apps; `is_local` is optional because the source document neither prints nor shows it. Optional and nullable means the same absent or `null`: no value.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct Track {
        ///The album on which the track appears. Not in the source document (which prints the simplified track); from the full track object of Spotify's reference, which requires it. Departs from the reference: optional, because the source document's example has no album and must decode.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub album: ::std::option::Option<SimplifiedAlbum>,
        ///The artists who performed the track. Each artist object includes a link in `href` to more detailed information about the artist.
        pub artists: ::std::vec::Vec<SimplifiedArtist>,
        ///A list of the countries in which the track can be played, identified by their ISO 3166-1 alpha-2 code. Departs from the printed docs: optional, because since February 2026 apps in Development Mode no longer receive it. Deprecated, as in the community spec (sonallux/spotify-web-api), for that reason.
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub available_markets: ::std::vec::Vec<crate::hand_written::Market>,
        ///The disc number (usually 1 unless the album consists of more than one disc).
        pub disc_number: i32,
        ///The track length in milliseconds.
        pub duration_ms: i64,
        ///Whether or not the track has explicit lyrics (true = yes it does; false = no it does not OR unknown).
        pub explicit: bool,
        ///Known external IDs for the track (e.g. its ISRC). From the full track object; optional, because since February 2026 apps in Development Mode did not receive it (restored in March 2026), and the source document's example has none.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub external_ids: ::std::option::Option<crate::hand_written::ExternalIds>,
        ///Known external URLs for this object, e.g. its Spotify URL.
        pub external_urls: crate::hand_written::ExternalUrls,
        ///A link to the Web API endpoint providing full details of the track. Departs from the printed docs: nullable and optional, because local files have no Web API endpoint.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub href: ::std::option::Option<::std::string::String>,
        ///The Spotify ID for the track. Departs from the printed docs: nullable and optional, because local files have no Spotify ID.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub id: ::std::option::Option<::std::string::String>,
        ///Whether the track is a local file. From the full track object, which requires it; optional here because the source document neither prints nor shows it.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub is_local: ::std::option::Option<bool>,
        ///Part of the response when Track Relinking is applied. If true, the track is playable in the given market. Otherwise false.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub is_playable: ::std::option::Option<bool>,
        ///Part of the response when Track Relinking is applied and the requested track has been replaced with a different one: the originally requested track. Optional: only present with relinking, and since February 2026 not sent to apps in Development Mode (hence deprecated, as in the community spec).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub linked_from: ::std::option::Option<LinkedTrack>,
        ///The name of the track.
        pub name: ::std::string::String,
        ///The popularity of the track, 0 to 100 (100 the most popular), computed by Spotify from recent plays. From the full track object; optional, because since February 2026 apps in Development Mode no longer receive it (hence deprecated, as in the community spec), and the source document's example has none.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub popularity: ::std::option::Option<i32>,
        ///A URL to a 30 second preview (MP3 format) of the track. Departs from the printed docs: nullable and optional, because real responses often carry `null` here (previews are unavailable for many tracks and, since late 2024, for many apps). Deprecated, as in the community spec: Spotify deprecated previews in November 2024.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub preview_url: ::std::option::Option<::std::string::String>,
        ///Present when a content restriction applies to the track. From the full track object; optional, as in Spotify's reference.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub restrictions: ::std::option::Option<Restrictions>,
        ///The number of the track. If an album has several discs, the track number is the number on the specified disc.
        pub track_number: i32,
        ///The object type: "track". Kept as an open string rather than a one-value enum so that an unexpected value does not fail decoding of the whole page.
        #[serde(rename = "type")]
        pub type_: ::std::string::String,
        ///The Spotify URI for the track (`spotify:local:...` for a local file). Departs from the printed docs: nullable and optional, to tolerate items without a catalogue URI.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub uri: ::std::option::Option<::std::string::String>,
    }
    /// Error types.
    pub mod error {
        /// Error from a `TryFrom` or `FromStr` implementation.
        pub struct ConversionError(::std::borrow::Cow<'static, str>);
        impl ::std::error::Error for ConversionError {}
        impl ::std::fmt::Display for ConversionError {
            fn fmt(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }
        impl ::std::fmt::Debug for ConversionError {
            fn fmt(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }
        impl From<&'static str> for ConversionError {
            fn from(value: &'static str) -> Self {
                Self(value.into())
            }
        }
        impl From<String> for ConversionError {
            fn from(value: String) -> Self {
                Self(value.into())
            }
        }
    }
}

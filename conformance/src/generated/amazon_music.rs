// Generated from `specs/amazon-music-web-api.yaml` by `cargo xtask regen`. Do not edit by hand:
// change the spec (or the settings in `xtask/src/apis.rs`) and run `cargo xtask regen`.
//
// The `types` module of `crates/amazon-music-web-api/src/generated.rs`, deriving
// `schemars::JsonSchema` as well, for the conformance crate only (the client crates
// never compile it): a test compares what these types accept with the spec
// (conformance/tests/it/types_match_the_specs.rs).
//
// Adapted for progenitor in memory (xtask/src/adapt.rs): `leave-error-responses-to-the-client`.
//   Why: a declared error response whose body is not JSON becomes InvalidResponsePayload and loses its status and headers (Retry-After).
//   Restored: the client decodes the documented error schema itself from the intact response.
//
// Adapted for progenitor in memory (xtask/src/adapt.rs): `decode-page-items-one-by-one`.
//   Why: typify decodes an array all or nothing, so one malformed play or edge would fail its whole page.
//   Restored: each page item is a `client_support::Entry` (the `<item>Entry` replacements in xtask/src/apis.rs): the item, or its raw JSON and the reason it did not decode.

/// Types used as operation parameters and responses.
#[allow(clippy::all)]
pub mod types {
    ///An album (`_type` `Album`).
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct Album {
        ///The album's ID (an ASIN in the documented example).
        pub id: ::std::string::String,
        ///A display name, if the service sends one.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
        ///The album's title.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub title: ::std::option::Option<::std::string::String>,
        #[serde(rename = "_type")]
        pub type_: AlbumType,
        ///Link to the album in Amazon Music.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub url: ::std::option::Option<::std::string::String>,
    }
    ///`AlbumType`
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Copy,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd,
        schemars::JsonSchema
    )]
    pub enum AlbumType {
        Album,
    }
    impl ::std::fmt::Display for AlbumType {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match *self {
                Self::Album => f.write_str("Album"),
            }
        }
    }
    impl ::std::str::FromStr for AlbumType {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            match value {
                "Album" => Ok(Self::Album),
                _ => Err("invalid value".into()),
            }
        }
    }
    impl ::std::convert::TryFrom<&str> for AlbumType {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for AlbumType {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    ///An artist (`_type` `Artist`).
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct Artist {
        ///The artist's ID.
        pub id: ::std::string::String,
        ///The artist's name.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
        ///A title, if the service sends one.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub title: ::std::option::Option<::std::string::String>,
        #[serde(rename = "_type")]
        pub type_: ArtistType,
        ///Link to the artist in Amazon Music.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub url: ::std::option::Option<::std::string::String>,
    }
    ///`ArtistType`
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Copy,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd,
        schemars::JsonSchema
    )]
    pub enum ArtistType {
        Artist,
    }
    impl ::std::fmt::Display for ArtistType {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match *self {
                Self::Artist => f.write_str("Artist"),
            }
        }
    }
    impl ::std::str::FromStr for ArtistType {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            match value {
                "Artist" => Ok(Self::Artist),
                _ => Err("invalid value".into()),
            }
        }
    }
    impl ::std::convert::TryFrom<&str> for ArtistType {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for ArtistType {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    ///A track of the Amazon Music catalog (the Tracks page's "Track"; named apart from `Track`, the entity node of the player history). Every field is one the page's example shows; only `id` is required.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct CatalogTrack {
        ///The album the track is on.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub album: ::std::option::Option<CatalogTrackAlbum>,
        ///The track's artists, in the service's order.
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub artists: ::std::vec::Vec<CatalogTrackArtist>,
        ///The qualities the track is offered in (`SD`, `HD`, `UHD`, `360RA` in the documented example). Open: a quality added later is kept.
        #[serde(
            rename = "audioQualities",
            default,
            skip_serializing_if = "::std::vec::Vec::is_empty"
        )]
        pub audio_qualities: ::std::vec::Vec<::std::string::String>,
        ///How long the track is, in seconds (232 for "Happy" in the documented example; the page does not name the unit).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub duration: ::std::option::Option<u64>,
        ///What the user may do with the track.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub eligibility: ::std::option::Option<Eligibility>,
        ///The track's global ASIN.
        #[serde(
            rename = "globalAsin",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub global_asin: ::std::option::Option<::std::string::String>,
        ///The track's ID (an ASIN in the documented example).
        pub id: ::std::string::String,
        ///The recording's International Standard Recording Code: what names the same recording on other services.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub isrc: ::std::option::Option<::std::string::String>,
        ///The market whose catalog answered.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub market: ::std::option::Option<Market>,
        ///The territory whose catalog answered.
        #[serde(
            rename = "musicTerritory",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub music_territory: ::std::option::Option<MusicTerritory>,
        ///When the track was released.
        #[serde(
            rename = "releaseDate",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub release_date: ::std::option::Option<
            ::chrono::DateTime<::chrono::offset::Utc>,
        >,
        ///A shorter form of the title.
        #[serde(
            rename = "shortTitle",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub short_title: ::std::option::Option<::std::string::String>,
        ///The track's title.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub title: ::std::option::Option<::std::string::String>,
    }
    ///The album of a catalog track.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct CatalogTrackAlbum {
        ///The album's ID.
        pub id: ::std::string::String,
        ///The album's title.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub title: ::std::option::Option<::std::string::String>,
        ///Link to the album in Amazon Music.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub url: ::std::option::Option<::std::string::String>,
    }
    ///An artist of a catalog track.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct CatalogTrackArtist {
        ///The artist's ID.
        pub id: ::std::string::String,
        ///The artist's name.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
        ///Link to the artist in Amazon Music.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub url: ::std::option::Option<::std::string::String>,
    }
    ///A category (`_type` `Category`).
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct Category {
        ///The category's ID.
        pub id: ::std::string::String,
        ///The category's name, if the service sends one.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
        ///The category's title, if the service sends one.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub title: ::std::option::Option<::std::string::String>,
        #[serde(rename = "_type")]
        pub type_: CategoryType,
        ///Link to the category in Amazon Music.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub url: ::std::option::Option<::std::string::String>,
    }
    ///`CategoryType`
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Copy,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd,
        schemars::JsonSchema
    )]
    pub enum CategoryType {
        Category,
    }
    impl ::std::fmt::Display for CategoryType {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match *self {
                Self::Category => f.write_str("Category"),
            }
        }
    }
    impl ::std::str::FromStr for CategoryType {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            match value {
                "Category" => Ok(Self::Category),
                _ => Err("invalid value".into()),
            }
        }
    }
    impl ::std::convert::TryFrom<&str> for CategoryType {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for CategoryType {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    ///What the user may do with a track.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct Eligibility {
        ///Whether it can be downloaded.
        #[serde(
            rename = "isDownloadable",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub is_downloadable: ::std::option::Option<bool>,
        ///Whether a preview can be played.
        #[serde(
            rename = "isPreviewable",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub is_previewable: ::std::option::Option<bool>,
        ///Whether Prime members can play it.
        #[serde(
            rename = "isPrimeEligible",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub is_prime_eligible: ::std::option::Option<bool>,
        ///Whether it can be bought.
        #[serde(
            rename = "isPurchaseable",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub is_purchaseable: ::std::option::Option<bool>,
    }
    ///A user and their recently played entities.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct EntitiesUser {
        ///The user's Amazon Music ID.
        pub id: ::std::string::String,
        ///The user's display name, or null as in the documented example (`"name": null`). Optional and nullable: the V1 documentation does not mark `name` as required, so a user may also come without it; absent and `null` mean the same. (Clients generated by progenitor 0.15 read both as no name and, when encoding again, leave the field out.)
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
        ///One page of the user's recently played entities.
        #[serde(
            rename = "recentEntitiesPlayback",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub recent_entities_playback: ::std::option::Option<EntityPlaybackConnection>,
        ///Link to the user's Amazon Music profile.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub url: ::std::option::Option<::std::string::String>,
    }
    ///One page of recently played entities.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct EntityPlaybackConnection {
        ///Number of edges in this page.
        #[serde(
            rename = "edgeCount",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub edge_count: ::std::option::Option<u64>,
        ///The plays of this page, newest first in the documented example.
        pub edges: ::std::vec::Vec<
            crate::hand_written::Entry<
                crate::generated::amazon_music::types::EntityPlaybackEdge,
            >,
        >,
        ///Whether another page follows, and the cursor to ask for it.
        #[serde(rename = "pageInfo")]
        pub page_info: PageInfo,
    }
    ///One recently played entity.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct EntityPlaybackEdge {
        ///ID of this history entry (e.g. `recentlyPlayedId1`).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub id: ::std::option::Option<::std::string::String>,
        ///The entity that was played: one of the known kinds, or a kind this spec does not know yet (kept as it came).
        pub node: crate::hand_written::EntityNode,
        ///When the entity was played.
        #[serde(rename = "playedDate")]
        pub played_date: ::chrono::DateTime<::chrono::offset::Utc>,
    }
    ///Kinds of entity that `entityTypes` can ask for.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Copy,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd,
        schemars::JsonSchema
    )]
    pub enum EntityType {
        Album,
        Artist,
        Category,
        Playlist,
        PodcastEpisode,
        PodcastShow,
        Track,
        User,
    }
    impl ::std::fmt::Display for EntityType {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match *self {
                Self::Album => f.write_str("Album"),
                Self::Artist => f.write_str("Artist"),
                Self::Category => f.write_str("Category"),
                Self::Playlist => f.write_str("Playlist"),
                Self::PodcastEpisode => f.write_str("PodcastEpisode"),
                Self::PodcastShow => f.write_str("PodcastShow"),
                Self::Track => f.write_str("Track"),
                Self::User => f.write_str("User"),
            }
        }
    }
    impl ::std::str::FromStr for EntityType {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            match value {
                "Album" => Ok(Self::Album),
                "Artist" => Ok(Self::Artist),
                "Category" => Ok(Self::Category),
                "Playlist" => Ok(Self::Playlist),
                "PodcastEpisode" => Ok(Self::PodcastEpisode),
                "PodcastShow" => Ok(Self::PodcastShow),
                "Track" => Ok(Self::Track),
                "User" => Ok(Self::User),
                _ => Err("invalid value".into()),
            }
        }
    }
    impl ::std::convert::TryFrom<&str> for EntityType {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for EntityType {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    ///Details of an error. The general error documentation lists `status`, `code` and `message` (and optional `url`, `reference`, `payload`); only `status` and `message` are required here so that an error body missing `code` still decodes and keeps its HTTP status. Other fields are allowed.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct ErrorObject {
        ///Machine-readable error code, e.g. `INVALID_ACCESS_TOKEN`.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub code: ::std::option::Option<::std::string::String>,
        ///Localized, human-readable message.
        pub message: ::std::string::String,
        ///Additional error details for debugging.
        #[serde(default, skip_serializing_if = "::serde_json::Map::is_empty")]
        pub payload: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        ///An ID for debugging.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub reference: ::std::option::Option<::std::string::String>,
        ///The HTTP status code, as a string (e.g. "403").
        pub status: ::std::string::String,
        ///A URL the client may show to the user (e.g. as a QR code).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub url: ::std::option::Option<::std::string::String>,
    }
    ///Error body of every declared error status. Taken from the general Amazon Music Web API error format; the Player page documents no errors.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct ErrorResponse {
        ///What went wrong: the status, the error code and a message.
        pub error: ErrorObject,
    }
    ///`GetMyRecentlyPlayedEntitiesCursor`
    #[derive(
        ::serde::Serialize,
        Clone,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd,
        schemars::JsonSchema
    )]
    #[serde(transparent)]
    pub struct GetMyRecentlyPlayedEntitiesCursor(::std::string::String);
    impl ::std::ops::Deref for GetMyRecentlyPlayedEntitiesCursor {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<GetMyRecentlyPlayedEntitiesCursor>
    for ::std::string::String {
        fn from(value: GetMyRecentlyPlayedEntitiesCursor) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for GetMyRecentlyPlayedEntitiesCursor {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            if value.chars().count() < 1usize {
                return Err("shorter than 1 characters".into());
            }
            Ok(Self(value.to_string()))
        }
    }
    impl ::std::convert::TryFrom<&str> for GetMyRecentlyPlayedEntitiesCursor {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String>
    for GetMyRecentlyPlayedEntitiesCursor {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for GetMyRecentlyPlayedEntitiesCursor {
        fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
        where
            D: ::serde::Deserializer<'de>,
        {
            ::std::string::String::deserialize(deserializer)?
                .parse()
                .map_err(|e: self::error::ConversionError| {
                    <D::Error as ::serde::de::Error>::custom(e.to_string())
                })
        }
    }
    ///`GetRecentlyPlayedTracksCursor`
    #[derive(
        ::serde::Serialize,
        Clone,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd,
        schemars::JsonSchema
    )]
    #[serde(transparent)]
    pub struct GetRecentlyPlayedTracksCursor(::std::string::String);
    impl ::std::ops::Deref for GetRecentlyPlayedTracksCursor {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<GetRecentlyPlayedTracksCursor> for ::std::string::String {
        fn from(value: GetRecentlyPlayedTracksCursor) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for GetRecentlyPlayedTracksCursor {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            if value.chars().count() < 1usize {
                return Err("shorter than 1 characters".into());
            }
            Ok(Self(value.to_string()))
        }
    }
    impl ::std::convert::TryFrom<&str> for GetRecentlyPlayedTracksCursor {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String>
    for GetRecentlyPlayedTracksCursor {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for GetRecentlyPlayedTracksCursor {
        fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
        where
            D: ::serde::Deserializer<'de>,
        {
            ::std::string::String::deserialize(deserializer)?
                .parse()
                .map_err(|e: self::error::ConversionError| {
                    <D::Error as ::serde::de::Error>::custom(e.to_string())
                })
        }
    }
    ///`GetTrackId`
    #[derive(
        ::serde::Serialize,
        Clone,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd,
        schemars::JsonSchema
    )]
    #[serde(transparent)]
    pub struct GetTrackId(::std::string::String);
    impl ::std::ops::Deref for GetTrackId {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<GetTrackId> for ::std::string::String {
        fn from(value: GetTrackId) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for GetTrackId {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            if value.chars().count() < 1usize {
                return Err("shorter than 1 characters".into());
            }
            Ok(Self(value.to_string()))
        }
    }
    impl ::std::convert::TryFrom<&str> for GetTrackId {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for GetTrackId {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for GetTrackId {
        fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
        where
            D: ::serde::Deserializer<'de>,
        {
            ::std::string::String::deserialize(deserializer)?
                .parse()
                .map_err(|e: self::error::ConversionError| {
                    <D::Error as ::serde::de::Error>::custom(e.to_string())
                })
        }
    }
    ///`GetUserRecentlyPlayedEntitiesCursor`
    #[derive(
        ::serde::Serialize,
        Clone,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd,
        schemars::JsonSchema
    )]
    #[serde(transparent)]
    pub struct GetUserRecentlyPlayedEntitiesCursor(::std::string::String);
    impl ::std::ops::Deref for GetUserRecentlyPlayedEntitiesCursor {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<GetUserRecentlyPlayedEntitiesCursor>
    for ::std::string::String {
        fn from(value: GetUserRecentlyPlayedEntitiesCursor) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for GetUserRecentlyPlayedEntitiesCursor {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            if value.chars().count() < 1usize {
                return Err("shorter than 1 characters".into());
            }
            Ok(Self(value.to_string()))
        }
    }
    impl ::std::convert::TryFrom<&str> for GetUserRecentlyPlayedEntitiesCursor {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String>
    for GetUserRecentlyPlayedEntitiesCursor {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for GetUserRecentlyPlayedEntitiesCursor {
        fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
        where
            D: ::serde::Deserializer<'de>,
        {
            ::std::string::String::deserialize(deserializer)?
                .parse()
                .map_err(|e: self::error::ConversionError| {
                    <D::Error as ::serde::de::Error>::custom(e.to_string())
                })
        }
    }
    ///`GetUserRecentlyPlayedEntitiesId`
    #[derive(
        ::serde::Serialize,
        Clone,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd,
        schemars::JsonSchema
    )]
    #[serde(transparent)]
    pub struct GetUserRecentlyPlayedEntitiesId(::std::string::String);
    impl ::std::ops::Deref for GetUserRecentlyPlayedEntitiesId {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<GetUserRecentlyPlayedEntitiesId>
    for ::std::string::String {
        fn from(value: GetUserRecentlyPlayedEntitiesId) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for GetUserRecentlyPlayedEntitiesId {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            if value.chars().count() < 1usize {
                return Err("shorter than 1 characters".into());
            }
            Ok(Self(value.to_string()))
        }
    }
    impl ::std::convert::TryFrom<&str> for GetUserRecentlyPlayedEntitiesId {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String>
    for GetUserRecentlyPlayedEntitiesId {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for GetUserRecentlyPlayedEntitiesId {
        fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
        where
            D: ::serde::Deserializer<'de>,
        {
            ::std::string::String::deserialize(deserializer)?
                .parse()
                .map_err(|e: self::error::ConversionError| {
                    <D::Error as ::serde::de::Error>::custom(e.to_string())
                })
        }
    }
    ///A market.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct Market {
        ///Its ID (`US` in the documented example).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub id: ::std::option::Option<::std::string::String>,
        ///Its name.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
    }
    ///The media type `mediaType` asks for.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Copy,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd,
        schemars::JsonSchema
    )]
    pub enum MediaType {
        #[serde(rename = "AUDIO")]
        Audio,
        #[serde(rename = "VIDEO")]
        Video,
    }
    impl ::std::fmt::Display for MediaType {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match *self {
                Self::Audio => f.write_str("AUDIO"),
                Self::Video => f.write_str("VIDEO"),
            }
        }
    }
    impl ::std::str::FromStr for MediaType {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            match value {
                "AUDIO" => Ok(Self::Audio),
                "VIDEO" => Ok(Self::Video),
                _ => Err("invalid value".into()),
            }
        }
    }
    impl ::std::convert::TryFrom<&str> for MediaType {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for MediaType {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    ///A music territory.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct MusicTerritory {
        ///Its code (`US` in the documented example).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub code: ::std::option::Option<::std::string::String>,
        ///Its name.
        #[serde(
            rename = "territoryName",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub territory_name: ::std::option::Option<::std::string::String>,
    }
    ///Pagination state of a connection.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct PageInfo {
        ///Whether another page follows this one.
        #[serde(rename = "hasNextPage")]
        pub has_next_page: bool,
        ///Opaque cursor of the next page, to pass as `cursor`. Absent or null on the last page.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub token: ::std::option::Option<::std::string::String>,
    }
    ///A playlist (`_type` `Playlist`).
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct Playlist {
        ///The playlist's ID (a UUID in the documented example).
        pub id: ::std::string::String,
        ///A display name, if the service sends one.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
        ///The playlist's title.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub title: ::std::option::Option<::std::string::String>,
        #[serde(rename = "_type")]
        pub type_: PlaylistType,
        ///Link to the playlist in Amazon Music.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub url: ::std::option::Option<::std::string::String>,
    }
    ///`PlaylistType`
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Copy,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd,
        schemars::JsonSchema
    )]
    pub enum PlaylistType {
        Playlist,
    }
    impl ::std::fmt::Display for PlaylistType {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match *self {
                Self::Playlist => f.write_str("Playlist"),
            }
        }
    }
    impl ::std::str::FromStr for PlaylistType {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            match value {
                "Playlist" => Ok(Self::Playlist),
                _ => Err("invalid value".into()),
            }
        }
    }
    impl ::std::convert::TryFrom<&str> for PlaylistType {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for PlaylistType {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    ///A podcast episode (`_type` `PodcastEpisode`).
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct PodcastEpisode {
        ///The episode's ID.
        pub id: ::std::string::String,
        ///A display name, if the service sends one.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
        ///The episode's title.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub title: ::std::option::Option<::std::string::String>,
        #[serde(rename = "_type")]
        pub type_: PodcastEpisodeType,
        ///Link to the episode in Amazon Music.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub url: ::std::option::Option<::std::string::String>,
    }
    ///`PodcastEpisodeType`
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Copy,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd,
        schemars::JsonSchema
    )]
    pub enum PodcastEpisodeType {
        PodcastEpisode,
    }
    impl ::std::fmt::Display for PodcastEpisodeType {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match *self {
                Self::PodcastEpisode => f.write_str("PodcastEpisode"),
            }
        }
    }
    impl ::std::str::FromStr for PodcastEpisodeType {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            match value {
                "PodcastEpisode" => Ok(Self::PodcastEpisode),
                _ => Err("invalid value".into()),
            }
        }
    }
    impl ::std::convert::TryFrom<&str> for PodcastEpisodeType {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for PodcastEpisodeType {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    ///A podcast show (`_type` `PodcastShow`).
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct PodcastShow {
        ///The show's ID.
        pub id: ::std::string::String,
        ///A display name, if the service sends one.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
        ///The show's title.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub title: ::std::option::Option<::std::string::String>,
        #[serde(rename = "_type")]
        pub type_: PodcastShowType,
        ///Link to the show in Amazon Music.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub url: ::std::option::Option<::std::string::String>,
    }
    ///`PodcastShowType`
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Copy,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd,
        schemars::JsonSchema
    )]
    pub enum PodcastShowType {
        PodcastShow,
    }
    impl ::std::fmt::Display for PodcastShowType {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match *self {
                Self::PodcastShow => f.write_str("PodcastShow"),
            }
        }
    }
    impl ::std::str::FromStr for PodcastShowType {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            match value {
                "PodcastShow" => Ok(Self::PodcastShow),
                _ => Err("invalid value".into()),
            }
        }
    }
    impl ::std::convert::TryFrom<&str> for PodcastShowType {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for PodcastShowType {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    ///The `data` envelope of the entities response. The Player page marks `user` as not required.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct RecentlyPlayedEntitiesData {
        ///The user, with their recently played entities; absent when the service sends no history object.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub user: ::std::option::Option<EntitiesUser>,
    }
    ///Response of `get_my_recently_played_entities` and `get_user_recently_played_entities`.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct RecentlyPlayedEntitiesResponse {
        ///The response envelope.
        pub data: RecentlyPlayedEntitiesData,
    }
    ///The `data` envelope of the tracks response. The Player page marks `user` as not required.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct RecentlyPlayedTracksData {
        ///The current user, with their recently played tracks; absent when the service sends no history object.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub user: ::std::option::Option<TracksUser>,
    }
    ///Response of `get_recently_played_tracks`.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct RecentlyPlayedTracksResponse {
        ///The response envelope.
        pub data: RecentlyPlayedTracksData,
    }
    ///A track (`_type` `Track`).
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct Track {
        ///The track's ID.
        pub id: ::std::string::String,
        ///A display name, if the service sends one.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
        ///The track's title.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub title: ::std::option::Option<::std::string::String>,
        #[serde(rename = "_type")]
        pub type_: TrackType,
        ///Link to the track in Amazon Music.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub url: ::std::option::Option<::std::string::String>,
    }
    ///The `data` envelope of the track response. The Tracks page marks `track` as not required.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct TrackData {
        ///Data about the Amazon Music track; absent when the service sends none.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub track: ::std::option::Option<CatalogTrack>,
    }
    ///One page of recently played tracks.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct TrackPlaybackConnection {
        ///Number of edges in this page.
        #[serde(
            rename = "edgeCount",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub edge_count: ::std::option::Option<u64>,
        ///The plays of this page, newest first in the documented example.
        pub edges: ::std::vec::Vec<
            crate::hand_written::Entry<
                crate::generated::amazon_music::types::TrackPlaybackEdge,
            >,
        >,
        ///Whether another page follows, and the cursor to ask for it.
        #[serde(rename = "pageInfo")]
        pub page_info: PageInfo,
    }
    ///One play of a track.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct TrackPlaybackEdge {
        ///The track that was played.
        pub node: TrackSummary,
        ///When the track was played.
        #[serde(rename = "playedAt")]
        pub played_at: ::chrono::DateTime<::chrono::offset::Utc>,
    }
    ///Response of `get_track`.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct TrackResponse {
        ///The response envelope.
        pub data: TrackData,
    }
    ///The track that was played.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct TrackSummary {
        ///The track's ID (an ASIN in the documented example).
        pub id: ::std::string::String,
        ///The track's title.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub title: ::std::option::Option<::std::string::String>,
        ///Link that opens and plays the track in Amazon Music.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub url: ::std::option::Option<::std::string::String>,
    }
    ///`TrackType`
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Copy,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd,
        schemars::JsonSchema
    )]
    pub enum TrackType {
        Track,
    }
    impl ::std::fmt::Display for TrackType {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match *self {
                Self::Track => f.write_str("Track"),
            }
        }
    }
    impl ::std::str::FromStr for TrackType {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            match value {
                "Track" => Ok(Self::Track),
                _ => Err("invalid value".into()),
            }
        }
    }
    impl ::std::convert::TryFrom<&str> for TrackType {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for TrackType {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    ///The current user and their recently played tracks. The Player page's response table calls this a "Response Collection"; it is modelled as the User object shown in the page's example.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct TracksUser {
        ///The user's Amazon Music ID.
        pub id: ::std::string::String,
        ///The user's display name. Optional and nullable: the V1 documentation does not mark `name` as required, and the entities example carries `"name": null`, so a user may come without a display name either way; absent and `null` mean the same. (Clients generated by progenitor 0.15 read both as no name and, when encoding again, leave the field out.)
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
        ///One page of the user's recently played tracks.
        #[serde(
            rename = "recentTrackPlayback",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub recent_track_playback: ::std::option::Option<TrackPlaybackConnection>,
        ///Link to the user's Amazon Music profile.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub url: ::std::option::Option<::std::string::String>,
    }
    ///A user profile (`_type` `User`).
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct User {
        ///The user's Amazon Music ID.
        pub id: ::std::string::String,
        ///The user's display name; may be null.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
        ///A title, if the service sends one.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub title: ::std::option::Option<::std::string::String>,
        #[serde(rename = "_type")]
        pub type_: UserType,
        ///Link to the user's profile in Amazon Music.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub url: ::std::option::Option<::std::string::String>,
    }
    ///`UserType`
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Copy,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd,
        schemars::JsonSchema
    )]
    pub enum UserType {
        User,
    }
    impl ::std::fmt::Display for UserType {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match *self {
                Self::User => f.write_str("User"),
            }
        }
    }
    impl ::std::str::FromStr for UserType {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            match value {
                "User" => Ok(Self::User),
                _ => Err("invalid value".into()),
            }
        }
    }
    impl ::std::convert::TryFrom<&str> for UserType {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for UserType {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
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

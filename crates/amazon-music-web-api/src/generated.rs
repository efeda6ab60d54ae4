// Generated from `specs/amazon-music-web-api.yaml` by `cargo xtask regen`. Do not edit by hand:
// change the spec (or the settings in `xtask/src/apis.rs`) and run `cargo xtask regen`.
//
// Adapted for progenitor in memory (xtask/src/adapt.rs): `leave-error-responses-to-the-client`.
//   Why: a declared error response whose body is not JSON becomes InvalidResponsePayload and loses its status and headers (Retry-After).
//   Restored: the client decodes the documented error schema itself from the intact response.
//
// Adapted for progenitor in memory (xtask/src/adapt.rs): `decode-page-items-one-by-one`.
//   Why: typify decodes an array all or nothing, so one malformed play or edge would fail its whole page.
//   Restored: each page item is a `client_support::Entry` (the `<item>Entry` replacements in xtask/src/apis.rs): the item, or its raw JSON and the reason it did not decode.

#[allow(unused_imports)]
pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
#[allow(unused_imports)]
use progenitor_client::{encode_path, ClientHooks, OperationInfo, RequestBuilderExt};
/// Types used as operation parameters and responses.
#[allow(clippy::all)]
pub mod types {
    ///An album (`_type` `Album`).
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
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
        PartialOrd
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
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
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
        PartialOrd
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
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
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
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
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
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
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
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
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
        PartialOrd
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
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
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
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
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
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct EntityPlaybackConnection {
        ///Number of edges in this page.
        #[serde(
            rename = "edgeCount",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub edge_count: ::std::option::Option<u64>,
        ///The plays of this page, newest first in the documented example.
        pub edges: ::std::vec::Vec<
            ::client_support::Entry<crate::types::EntityPlaybackEdge>,
        >,
        ///Whether another page follows, and the cursor to ask for it.
        #[serde(rename = "pageInfo")]
        pub page_info: PageInfo,
    }
    ///One recently played entity.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct EntityPlaybackEdge {
        ///ID of this history entry (e.g. `recentlyPlayedId1`).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub id: ::std::option::Option<::std::string::String>,
        ///The entity that was played: one of the known kinds, or a kind this spec does not know yet (kept as it came).
        pub node: crate::entity::EntityNode,
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
        PartialOrd
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
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
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
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct ErrorResponse {
        ///What went wrong: the status, the error code and a message.
        pub error: ErrorObject,
    }
    ///`GetMyRecentlyPlayedEntitiesCursor`
    #[derive(::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
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
    #[derive(::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
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
    #[derive(::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
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
    #[derive(::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
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
    #[derive(::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
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
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
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
        PartialOrd
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
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
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
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct PageInfo {
        ///Whether another page follows this one.
        #[serde(rename = "hasNextPage")]
        pub has_next_page: bool,
        ///Opaque cursor of the next page, to pass as `cursor`. Absent or null on the last page.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub token: ::std::option::Option<::std::string::String>,
    }
    ///A playlist (`_type` `Playlist`).
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
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
        PartialOrd
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
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
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
        PartialOrd
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
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
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
        PartialOrd
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
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct RecentlyPlayedEntitiesData {
        ///The user, with their recently played entities; absent when the service sends no history object.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub user: ::std::option::Option<EntitiesUser>,
    }
    ///Response of `get_my_recently_played_entities` and `get_user_recently_played_entities`.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct RecentlyPlayedEntitiesResponse {
        ///The response envelope.
        pub data: RecentlyPlayedEntitiesData,
    }
    ///The `data` envelope of the tracks response. The Player page marks `user` as not required.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct RecentlyPlayedTracksData {
        ///The current user, with their recently played tracks; absent when the service sends no history object.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub user: ::std::option::Option<TracksUser>,
    }
    ///Response of `get_recently_played_tracks`.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct RecentlyPlayedTracksResponse {
        ///The response envelope.
        pub data: RecentlyPlayedTracksData,
    }
    ///A track (`_type` `Track`).
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
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
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct TrackData {
        ///Data about the Amazon Music track; absent when the service sends none.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub track: ::std::option::Option<CatalogTrack>,
    }
    ///One page of recently played tracks.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct TrackPlaybackConnection {
        ///Number of edges in this page.
        #[serde(
            rename = "edgeCount",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub edge_count: ::std::option::Option<u64>,
        ///The plays of this page, newest first in the documented example.
        pub edges: ::std::vec::Vec<
            ::client_support::Entry<crate::types::TrackPlaybackEdge>,
        >,
        ///Whether another page follows, and the cursor to ask for it.
        #[serde(rename = "pageInfo")]
        pub page_info: PageInfo,
    }
    ///One play of a track.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct TrackPlaybackEdge {
        ///The track that was played.
        pub node: TrackSummary,
        ///When the track was played.
        #[serde(rename = "playedAt")]
        pub played_at: ::chrono::DateTime<::chrono::offset::Utc>,
    }
    ///Response of `get_track`.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct TrackResponse {
        ///The response envelope.
        pub data: TrackData,
    }
    ///The track that was played.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
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
        PartialOrd
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
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
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
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
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
        PartialOrd
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
#[derive(Clone, Debug)]
/**Client for Amazon Music Web API (player history)

Hand-written description of the "Player" methods of the Amazon Music Web API
(the "Web API Player V1.0" page): the current user's recently played tracks,
the current user's recently played entities, and a given user's recently
played entities; and of the one catalog method a player history needs to
name what was played, "Get Tracks" (`GET /tracks/{id}`, the "Web API Tracks
V1.0" page, `https://developer.amazon.com/docs/music/API_web_track.html`).
The Amazon Music Web API is a closed beta and its pages are marked as
preview, so the service may change.

The history's track nodes carry only an ID, a title and a link; the
catalog answers the rest (album, artists, duration, ISRC). V2 of the API
also has a batch look-up (`GET /v2/tracks?ids=...`, at most 20 IDs, one
unknown ID failing the whole request with `404`); it is not described
here: it lives on another host with another response and error shape,
and one unknown track would cost the look-up of its whole batch.

This spec targets version 1 (V1) of the Web API, the version the Player
page documents. (A V2 exists, at `https://api.music.amazon.com/v2`, with
unwrapped responses and another error shape; it is not described here.)

The Player page is the main source. Where it is silent or contradicts
itself, this spec makes a choice, listed here and repeated where it applies:

* **Base URL and `/v1`.** The V1 overview gives the base URL without a
  version, `https://api.music.amazon.dev`, and shows every request as
  `<base url>/v1/...`: `/v1` is the first segment of each V1 path. The
  Player page's examples are inconsistent about it:
  `<base url>/player/recentlyPlayed` has no `/v1`, while
  `<base url>/v1/me/recentlyPlayedEntities` and
  `<base url>/v1/users/{id}/recentlyPlayedEntities` have it. This spec
  follows the overview for all three operations: the requests go to
  `https://api.music.amazon.dev/v1/...`. It writes `/v1` into the server
  URL rather than into each path, which sends the same requests and keeps
  the paths as the Player page prints them.
* **The `rproxy` host in example URLs.** The Player page's example
  responses show Amazon Music links under
  `music.amazon.com.rproxy.goskope.com`. That host is not part of the API:
  `rproxy.goskope.com` is the reverse-proxy domain of Netskope, a
  corporate security proxy that rewrites the links of pages viewed
  through it, so the page was evidently captured through such a proxy and
  the service's links are `https://music.amazon.com/...` (inferred from
  the host name; the page does not say). The verbatim examples keep the
  URLs as printed; the reconstructed edges use `music.amazon.com`, and
  clients must treat every `url` as opaque.
* **A user's `name`.** Optional and nullable: the V1 documentation does
  not mark it as required, and the entities example sends `"name": null`.
* **`limit` is an integer.** The page gives its type as "number". The value
  is a count of items with an integer minimum and maximum, so it is
  declared as `integer`.
* **Several `entityTypes`.** The page types the parameter as
  `enum(EntityType)` and does not say how more than one value is sent. This
  spec sends one comma-separated value (`style: form`, `explode: false`,
  e.g. `entityTypes=Album,Track`). Other list parameters of the Amazon Music
  Web API take one comma-separated value (e.g. `ids=...`), and a single
  value survives proxies that keep only one of several repeated keys.
* **`user` in the tracks response.** The first response table calls `user`
  a "Response Collection" (and its prose mentions "playlists", evidently
  copied from another page). The example shows a User object that holds a
  `recentTrackPlayback` connection, so the User object of the example is
  what is modelled.
* **Elided example.** The entities example is shortened with `...` and is
  not valid JSON as printed. Its `edgeCount` is 5, so the example here has
  five edges: the two documented ones unchanged and three reconstructed
  ones (marked as such in the example's description).
* **Entity kinds are open.** A node's `_type` is one of the kinds listed in
  `EntityType` today, but the service may add kinds. Clients must accept a
  node whose `_type` this spec does not know and must not fail a whole page
  because of it (see `EntityNode`).
* **Errors.** The Player page documents no error responses. The
  `400`/`401`/`403`/`404`/`422`/`429`/`500` responses here are the
  statuses the V1 errors page lists, in the general Amazon Music Web API
  error format (`{"error": {"status": "...", "code": "...", "message":
  "..."}}`, `status` shown as a string), not from the Player page. All of
  them share one schema, `ErrorResponse`.
* **Empty values.** The Player page gives `cursor` as a string and
  `entityTypes` as `enum(EntityType)` without saying that an empty one is
  refused. An empty cursor is no page's token and an empty list names no
  kind, and the service answers both with `400`, so the schema says so:
  `cursor` has `minLength: 1` and `entityTypes` `minItems: 1`. To ask for
  the first page, or for every kind, leave the parameter out.
* **Cursors are opaque.** A `cursor` must be a `pageInfo.token` the
  service issued for the same method, user and `entityTypes`; any other
  non-empty string is valid by this schema but answered `400`. No schema
  can say "issued by the server", so schema-based testers must be told so,
  as `schemathesis.toml` at the repository root does.
* **Objects are open.** No schema forbids additional properties, so fields
  the service adds later do not break decoding.
* **The Tracks page's example is cut.** It is printed "(Some lines omitted
  for brevity)", and the copy of the page this spec was written from ends
  after the track's `eligibility` object. The example here is the printed
  lines up to and with `eligibility`, closed: valid JSON, nothing made up.
  That copy prints no table of the Track object's fields, so every field
  of `CatalogTrack` is the one of that name in the example, with the type
  its value shows, and only `id` is required (what the request names);
  fields the omitted lines hold decode too, since objects are open.
* **`mediaType`.** The Tracks page types it as a string that "can be
  either AUDIO or VIDEO"; it is declared as that two-value enum.
* **`duration` is in seconds.** The Tracks page's example gives 232 for a
  track of 3 min 52 s ("Happy", whose length is 232 s in other catalogs);
  the page does not name the unit.

Authentication: every request carries a Login with Amazon (LWA) access
token as `Authorization: Bearer <token>` and the application's security
profile ID as `x-api-key`. OpenAPI 3.0 `http` and `apiKey` schemes cannot
carry scopes, so the bearer token and the required scope of each
operation are expressed with the `login_with_amazon` OAuth2 scheme
(OAuth 2.0 access tokens are sent as `Authorization: Bearer <token>`)
together with `api_key`, and the scope is repeated in the operation's
`x-authorization-scope` extension. (No separate `http` bearer scheme is
declared: no operation could use it without losing its scope.)

`contact` and `license` are those of this description document; the API
itself is Amazon's.

Headers: the API defines no `api-version` header. The code generator
(progenitor) adds `api-version: <info.version>` to every request; the
client strips it before sending.

Version: 1.0.0*/
pub struct Client {
    pub(crate) baseurl: String,
    pub(crate) client: reqwest::Client,
    pub(crate) inner: crate::hooks::HookContext,
}
impl Client {
    /// Create a new client.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new(baseurl: &str, inner: crate::hooks::HookContext) -> Self {
        #[cfg(not(target_arch = "wasm32"))]
        let client = {
            let dur = ::std::time::Duration::from_secs(30u64);
            reqwest::ClientBuilder::new().connect_timeout(dur).timeout(dur)
        };
        #[cfg(target_arch = "wasm32")]
        let client = reqwest::ClientBuilder::new();
        Self::new_with_client(baseurl, client.build().unwrap(), inner)
    }
    /// Construct a new client with an existing `reqwest::Client`,
    /// allowing more control over its configuration.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new_with_client(
        baseurl: &str,
        client: reqwest::Client,
        inner: crate::hooks::HookContext,
    ) -> Self {
        Self {
            baseurl: baseurl.to_string(),
            client,
            inner,
        }
    }
}
impl ClientInfo<crate::hooks::HookContext> for Client {
    fn api_version() -> &'static str {
        "1.0.0"
    }
    fn baseurl(&self) -> &str {
        self.baseurl.as_str()
    }
    fn client(&self) -> &reqwest::Client {
        &self.client
    }
    fn inner(&self) -> &crate::hooks::HookContext {
        &self.inner
    }
}
const _: () = {
    #[allow(dead_code)]
    fn assert_client_hooks()
    where
        Client: ClientHooks<crate::hooks::HookContext>,
    {}
};
#[allow(clippy::all)]
impl Client {
    /**Get Current User's Recently Played Tracks

Get tracks from the current Amazon Music user's recently played tracks,
newest first in the documented example. `limit` bounds the number of
tracks in one page; `cursor` continues from a previous page's
`pageInfo.token`.

Authorization scope: `music::history`.

The Player page's example for this method omits `/v1`
(`<base url>/player/recentlyPlayed`) while the page's other examples
include it; the V1 overview shows every request as
`<base url>/v1/...`, so this method is sent under `/v1` like the others
(through the server URL).

Sends a `GET` request to `/player/recentlyPlayed`

Arguments:
- `cursor`: The cursor/token of the page to continue from: the `pageInfo.token` of the previous page. Omit it for the first page. Treat it as opaque: the service answers `400` to a token it did not issue for this method, user and `entityTypes`. Departs from the Player page, which types it as a plain string: `minLength: 1`, because an empty cursor is no page's token and the service refuses it (`400`).
- `limit`: The maximum number of tracks to return (default 60). Minimum 1, maximum 60. The Player page gives the type as "number"; it is declared as an integer because it is a count.
*/
    pub async fn get_recently_played_tracks<'a>(
        &'a self,
        cursor: Option<&'a types::GetRecentlyPlayedTracksCursor>,
        limit: Option<::std::num::NonZeroU64>,
    ) -> Result<ResponseValue<types::RecentlyPlayedTracksResponse>, Error<()>> {
        let url = format!("{}/player/recentlyPlayed", self.baseurl,);
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        header_map
            .append(
                ::reqwest::header::HeaderName::from_static("api-version"),
                ::reqwest::header::HeaderValue::from_static(Self::api_version()),
            );
        #[allow(unused_mut)]
        let mut request = self
            .client
            .get(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .query(&progenitor_client::QueryParam::new("cursor", &cursor))
            .query(&progenitor_client::QueryParam::new("limit", &limit))
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "get_recently_played_tracks",
        };
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            200u16 => ResponseValue::from_response(response).await,
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**Get Current User's Recently Played Entities

Get a list of entities (albums, artists, playlists, podcast episodes,
tracks, ...) recently played by the current Amazon Music user.
`entityTypes` restricts the kinds returned, `limit` bounds the number
of entities in one page, and `cursor` continues from a previous page's
`pageInfo.token`.

Authorization scope: `music::history`.

Sends a `GET` request to `/me/recentlyPlayedEntities`

Arguments:
- `cursor`: The cursor/token of the page to continue from: the `pageInfo.token` of the previous page. Omit it for the first page. Treat it as opaque: the service answers `400` to a token it did not issue for this method, user and `entityTypes`. Departs from the Player page, which types it as a plain string: `minLength: 1`, because an empty cursor is no page's token and the service refuses it (`400`).
- `entity_types`: The kinds of entity to fetch; all kinds when omitted. The Player page does not say how several values are sent. They are sent as one comma-separated value (`entityTypes=Album,Track`): other list parameters of the Amazon Music Web API take one comma-separated value, and a single value survives proxies that keep only one of several repeated keys. (Clients generated by progenitor 0.15 ignore `explode: false` and repeat the key unless they rewrite the query.) Departs from the Player page, which does not say so: at least one kind (`minItems: 1`), because an empty `entityTypes=` names no kind and the service refuses it (`400`); omit the parameter for all kinds.
- `limit`: The maximum number of entities to return (default 100). Minimum 1, maximum 100. The Player page gives the type as "number"; it is declared as an integer because it is a count.
*/
    pub async fn get_my_recently_played_entities<'a>(
        &'a self,
        cursor: Option<&'a types::GetMyRecentlyPlayedEntitiesCursor>,
        entity_types: Option<&'a ::std::vec::Vec<types::EntityType>>,
        limit: Option<::std::num::NonZeroU64>,
    ) -> Result<ResponseValue<types::RecentlyPlayedEntitiesResponse>, Error<()>> {
        let url = format!("{}/me/recentlyPlayedEntities", self.baseurl,);
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        header_map
            .append(
                ::reqwest::header::HeaderName::from_static("api-version"),
                ::reqwest::header::HeaderValue::from_static(Self::api_version()),
            );
        #[allow(unused_mut)]
        let mut request = self
            .client
            .get(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .query(&progenitor_client::QueryParam::new("cursor", &cursor))
            .query(&progenitor_client::QueryParam::new("entityTypes", &entity_types))
            .query(&progenitor_client::QueryParam::new("limit", &limit))
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "get_my_recently_played_entities",
        };
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            200u16 => ResponseValue::from_response(response).await,
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**Get User's Recently Played Entities

Get a list of entities recently played by the specified Amazon Music
user. Parameters and response have the same shape as
`get_my_recently_played_entities`.

Authorization scope: `music::catalog`. This is the scope the Player
page gives for this method (not `music::history`, which the two
current-user methods need); it is kept as documented.

Sends a `GET` request to `/users/{id}/recentlyPlayedEntities`

Arguments:
- `id`: The requested user's Amazon Music ID.
- `cursor`: The cursor/token of the page to continue from: the `pageInfo.token` of the previous page. Omit it for the first page. Treat it as opaque: the service answers `400` to a token it did not issue for this method, user and `entityTypes`. Departs from the Player page, which types it as a plain string: `minLength: 1`, because an empty cursor is no page's token and the service refuses it (`400`).
- `entity_types`: The kinds of entity to fetch; all kinds when omitted. The Player page does not say how several values are sent. They are sent as one comma-separated value (`entityTypes=Album,Track`): other list parameters of the Amazon Music Web API take one comma-separated value, and a single value survives proxies that keep only one of several repeated keys. (Clients generated by progenitor 0.15 ignore `explode: false` and repeat the key unless they rewrite the query.) Departs from the Player page, which does not say so: at least one kind (`minItems: 1`), because an empty `entityTypes=` names no kind and the service refuses it (`400`); omit the parameter for all kinds.
- `limit`: The maximum number of entities to return (default 100). Minimum 1, maximum 100. The Player page gives the type as "number"; it is declared as an integer because it is a count.
*/
    pub async fn get_user_recently_played_entities<'a>(
        &'a self,
        id: &'a types::GetUserRecentlyPlayedEntitiesId,
        cursor: Option<&'a types::GetUserRecentlyPlayedEntitiesCursor>,
        entity_types: Option<&'a ::std::vec::Vec<types::EntityType>>,
        limit: Option<::std::num::NonZeroU64>,
    ) -> Result<ResponseValue<types::RecentlyPlayedEntitiesResponse>, Error<()>> {
        let url = format!(
            "{}/users/{}/recentlyPlayedEntities", self.baseurl, encode_path(& id
            .to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        header_map
            .append(
                ::reqwest::header::HeaderName::from_static("api-version"),
                ::reqwest::header::HeaderValue::from_static(Self::api_version()),
            );
        #[allow(unused_mut)]
        let mut request = self
            .client
            .get(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .query(&progenitor_client::QueryParam::new("cursor", &cursor))
            .query(&progenitor_client::QueryParam::new("entityTypes", &entity_types))
            .query(&progenitor_client::QueryParam::new("limit", &limit))
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "get_user_recently_played_entities",
        };
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            200u16 => ResponseValue::from_response(response).await,
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**Get Tracks

Get the Amazon Music catalog meta-data for a single track by track ID:
its title, album, artists, duration, ISRC and more. (The Tracks page
names the method "Get Tracks", in the plural, for this one track.)

Authorization scope: `music::catalog`.

The Tracks page's example is `<base url>/v1/tracks/B076YT2CBT`: under
`/v1`, like every method here (through the server URL).

Sends a `GET` request to `/tracks/{id}`

Arguments:
- `id`: The ID of the track to be retrieved (an ASIN in the documented example), as a history edge's `node.id` gives it. Departs from the Tracks page, which types it as a plain string: `minLength: 1`, since an empty ID names no track and no path.
- `media_type`: Type can be either AUDIO or VIDEO. The Tracks page types it as a string and names the two values; it is declared as that enum. Left out, the service chooses (the page does not say which).
*/
    pub async fn get_track<'a>(
        &'a self,
        id: &'a types::GetTrackId,
        media_type: Option<types::MediaType>,
    ) -> Result<ResponseValue<types::TrackResponse>, Error<()>> {
        let url = format!("{}/tracks/{}", self.baseurl, encode_path(& id.to_string()),);
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        header_map
            .append(
                ::reqwest::header::HeaderName::from_static("api-version"),
                ::reqwest::header::HeaderValue::from_static(Self::api_version()),
            );
        #[allow(unused_mut)]
        let mut request = self
            .client
            .get(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .query(&progenitor_client::QueryParam::new("mediaType", &media_type))
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "get_track",
        };
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            200u16 => ResponseValue::from_response(response).await,
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
}
/// Items consumers will typically use such as the Client.
pub mod prelude {
    #[allow(unused_imports)]
    pub use super::Client;
}

// Generated from `specs/listenbrainz-api.yaml` by `cargo xtask regen`. Do not edit by hand:
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
    ///The `additional_info` of a listen: what the submitting client sent, flattened (a nested object `{"a": {"b": 1}}` comes back as the key `"a.b"`: `listenbrainz/listen.py` lines 7-26, 100-107), plus the server's `recording_msid`. The reference lists the keys below and says any other key may be sent; the server keeps them all, so other keys are allowed, and kept by generated clients (the empty schema as `additionalProperties`; see `TrackMetadata`). Types: the server checks a few keys on submission (`listenbrainz/webserver/views/api_tools.py` lines 208-233): MusicBrainz IDs (a non-empty string Python's `uuid.UUID` parses, or a list of them; empty ones are dropped) and the durations (integers since 2022-04-12, commit `afe7a136a`). Departs from the reference: every other key, and the durations, are left untyped (any JSON value), because the server stores them as the client sent them, and the reference's own example sends `tracknumber`, documented as a string, as an integer; a type here would make such a listen fail to decode. Each untyped key's description gives the type the reference documents.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct AdditionalInfo {
        ///MusicBrainz Artist IDs, as submitted. Each was checked to parse as a UUID, not that it names an artist.
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub artist_mbids: ::std::vec::Vec<::std::string::String>,
        ///The track's length in seconds. An integer from 1 to 2073600 (24 days) for listens submitted since 2022-04-12; older listens carry what their client sent.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub duration: ::std::option::Option<::serde_json::Value>,
        ///The track's length in milliseconds. An integer from 1 to 2073600000 (24 days) for listens submitted since 2022-04-12 (`api_tools.py` lines 54-57, 289-305); older listens carry what their client sent. At most one of `duration_ms` and `duration`.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub duration_ms: ::std::option::Option<::serde_json::Value>,
        ///How many seconds of the track were played. Documented as an integer; not checked.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub duration_played: ::std::option::Option<::serde_json::Value>,
        ///The recording's ISRC. Documented as a string; not checked.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub isrc: ::std::option::Option<::serde_json::Value>,
        ///The record label's name. Documented as a string; not checked.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub label: ::std::option::Option<::serde_json::Value>,
        ///The player's name. Documented as a string; not checked.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub media_player: ::std::option::Option<::serde_json::Value>,
        ///The player's version. Documented as a string; not checked.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub media_player_version: ::std::option::Option<::serde_json::Value>,
        ///The canonical domain of the online service played from (e.g. `spotify.com`). Documented as a string; not checked.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub music_service: ::std::option::Option<::serde_json::Value>,
        ///A name for the online service when its domain is unknown. Documented as a string; not checked.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub music_service_name: ::std::option::Option<::serde_json::Value>,
        ///The URL of the page or file the music was played from. Documented as a string; not checked.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub origin_url: ::std::option::Option<::serde_json::Value>,
        ///For imported listens, the client that first submitted them. Documented as a string; not checked.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub original_submission_client: ::std::option::Option<::serde_json::Value>,
        ///A MusicBrainz Recording ID, as submitted (checked to parse as a UUID). When present it is also the `mbid_mapping`'s `recording_mbid`: the server prefers it to any mapping.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub recording_mbid: ::std::option::Option<::std::string::String>,
        ///The listen's MessyBrainz ID, the same as the listen's `recording_msid`; added by the server (`listenbrainz/listen.py` line 137). Not in the reference's table; it is in its example.
        pub recording_msid: ::std::string::String,
        ///A MusicBrainz Release Group ID, as submitted (checked to parse as a UUID).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub release_group_mbid: ::std::option::Option<::std::string::String>,
        ///A MusicBrainz Release ID, as submitted (checked to parse as a UUID).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub release_mbid: ::std::option::Option<::std::string::String>,
        ///The recording's Spotify track URL. Documented as a string; not checked.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub spotify_id: ::std::option::Option<::serde_json::Value>,
        ///The name of the client that submitted the listen. Documented as a string; not checked.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub submission_client: ::std::option::Option<::serde_json::Value>,
        ///The submitting client's version. Documented as a string; not checked.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub submission_client_version: ::std::option::Option<::serde_json::Value>,
        ///Folksonomy tags. Documented as an array of at most 50 strings of at most 64 characters; the server checks only those lengths, so a string of at most 50 characters also passes.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub tags: ::std::option::Option<::serde_json::Value>,
        ///A MusicBrainz Track ID, as submitted (checked to parse as a UUID).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub track_mbid: ::std::option::Option<::std::string::String>,
        ///The track's number on its release. The reference documents a string; its own example sends an integer, and the server does not check: any JSON value.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub tracknumber: ::std::option::Option<::serde_json::Value>,
        ///MusicBrainz Work IDs, as submitted (each checked to parse as a UUID).
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub work_mbids: ::std::vec::Vec<::std::string::String>,
        #[serde(flatten)]
        pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    }
    ///The body of every error status of these methods: `{"code": <HTTP status>, "error": "<message>"}` (server: `listenbrainz/webserver/errors.py` lines 22-26 for the API's own errors and 134-154 for HTTP errors on paths under `/1`). The reference shows no error body. (One request is answered otherwise: a request whose `User-Agent` contains `lovable.dev` gets `400` with `{"code": 400, "message": "..."}`, no `error`, before any method runs: `listenbrainz/webserver/__init__.py` lines 357-366.)
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct ErrorResponse {
        ///The HTTP status, repeated.
        pub code: i32,
        ///A human-readable message. Not a stable code: match on the HTTP status.
        pub error: ::std::string::String,
    }
    ///`GetListenCountUserName`
    #[derive(::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
    #[serde(transparent)]
    pub struct GetListenCountUserName(::std::string::String);
    impl ::std::ops::Deref for GetListenCountUserName {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<GetListenCountUserName> for ::std::string::String {
        fn from(value: GetListenCountUserName) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for GetListenCountUserName {
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
    impl ::std::convert::TryFrom<&str> for GetListenCountUserName {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for GetListenCountUserName {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for GetListenCountUserName {
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
    ///`GetListensUserName`
    #[derive(::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
    #[serde(transparent)]
    pub struct GetListensUserName(::std::string::String);
    impl ::std::ops::Deref for GetListensUserName {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<GetListensUserName> for ::std::string::String {
        fn from(value: GetListensUserName) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for GetListensUserName {
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
    impl ::std::convert::TryFrom<&str> for GetListensUserName {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for GetListensUserName {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for GetListensUserName {
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
    ///One listen, as the server sends it (`listenbrainz/listen.py`, `to_api`, lines 178-196; `from_timescale`, lines 131-176). All five properties are always sent.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct Listen {
        ///When the server stored the listen, as a Unix time in whole seconds (the listen row's `created`, which the database sets; `admin/timescale/create_tables.sql` line 5). Not in the reference's field tables; it is in its example. Unrelated to `listened_at`: an import stores old listens late.
        pub inserted_at: i64,
        ///When the listen started, as a Unix time in whole seconds (UTC). Submissions are whole seconds from 2002-10-01T00:00:00Z (1033410600) to one hour ahead of the server's clock (`listenbrainz/webserver/views/api_tools.py` lines 357-381). Several listens may share one second; (`listened_at`, `recording_msid`) identifies a listen of a user.
        pub listened_at: i64,
        ///The MessyBrainz ID of the listen's submitted metadata: a UUID the server gives each combination of track name, artist name, release name, track number and duration (compared without regard to case), new on its first submission and the same for every later one (`listenbrainz/messybrainz/__init__.py` lines 98-111, 156-220). Also repeated in `track_metadata.additional_info.recording_msid`. Used with `listened_at` to name a listen, e.g. to delete it.
        pub recording_msid: ::std::string::String,
        ///What was listened to.
        pub track_metadata: TrackMetadata,
        ///The user's name, as the server stores it.
        pub user_name: ::std::string::String,
    }
    ///The `payload` of `get_listen_count`: its one property, `count` (`listenbrainz/webserver/views/api.py` lines 225-227).
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct ListenCount {
        ///The number of listens the user has (cached up to 5 minutes; see `get_listen_count`).
        pub count: i64,
    }
    ///The answer of `get_listen_count`.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct ListenCountResponse {
        ///The count.
        pub payload: ListenCount,
    }
    ///The `payload` envelope of `get_listens`. Departs from the reference, which prints only `count`, `user_id` and `listens`: the server always sends all five properties (`listenbrainz/listenstore/timescale_listenstore.py` lines 693-698; `listenbrainz/webserver/views/api.py` line 196).
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct ListensPayload {
        ///The number of listens in `listens` (not the user's total; see `get_listen_count`).
        pub count: i32,
        ///The `listened_at` of the user's newest listen, whatever the bounds asked for; 0 when the user has no listens. Not in the reference. From a per-user tally (`timescale_listenstore.py` lines 120-135): after the newest listen is deleted it is corrected within the hour.
        pub latest_listen_ts: i64,
        ///The listens, newest first (see `get_listens` for which ones). Empty when the user has none in the range asked for.
        pub listens: ::std::vec::Vec<::client_support::Entry<crate::types::Listen>>,
        ///The `listened_at` of the user's oldest listen, whatever the bounds asked for; 0 when the user has no listens. Not in the reference. Useful to start a forward walk (`min_ts` = `oldest_listen_ts - 1`, see `get_listens`).
        pub oldest_listen_ts: i64,
        ///The user name as written in the request's path. Departs from the reference, which calls it "the MusicBrainz ID of the user": the server repeats the path segment (`listenbrainz/webserver/views/api.py` line 196), which may differ in case from the stored name, since names are matched without regard to case; each listen's `user_name` has the stored spelling.
        pub user_id: ::std::string::String,
    }
    ///The answer of `get_listens`.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct ListensResponse {
        ///The listens, and what the server knows of the user's history.
        pub payload: ListensPayload,
    }
    ///The MusicBrainz IDs and metadata the server resolved for a listen (the reference's "MBID Mapping" section; server: `listenbrainz/listen.py` lines 138-167). Only `recording_mbid` is always present; each other property is absent when the server's metadata cache has no value for it. The recording MBID is, in order of preference: the client's `additional_info.recording_mbid`, the user's manual mapping, the automatic mapper's, other users' manual mappings (`listenbrainz/listenstore/timescale_listenstore.py` line 246). All IDs are UUIDs in the canonical lowercase hyphenated form.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct MbidMapping {
        ///The MusicBrainz Artist IDs of the recording's artist credit, in credit order. Sent together with `artists`.
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub artist_mbids: ::std::vec::Vec<::std::string::String>,
        ///The recording's artist credit, in order. Sent together with `artist_mbids`.
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub artists: ::std::vec::Vec<MbidMappingArtist>,
        ///The Cover Art Archive image ID of the cover art; with `caa_release_mbid` it makes the image URL `https://coverartarchive.org/release/{caa_release_mbid}/{caa_id}-250.jpg`. Sent only together with `caa_release_mbid`.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub caa_id: ::std::option::Option<i64>,
        ///The MusicBrainz Release ID the cover art belongs to (may be another release of the same release group). Sent only together with `caa_id`.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub caa_release_mbid: ::std::option::Option<::std::string::String>,
        ///The MusicBrainz Recording ID the listen is matched to.
        pub recording_mbid: ::std::string::String,
        ///The recording's name in MusicBrainz (may differ from `track_name`).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub recording_name: ::std::option::Option<::std::string::String>,
        ///The MusicBrainz Release Group ID of `release_mbid`.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub release_group_mbid: ::std::option::Option<::std::string::String>,
        ///The MusicBrainz Release ID of the release the server chose for the recording (may differ from the client's `release_mbid`).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub release_mbid: ::std::option::Option<::std::string::String>,
        ///Streaming and download links of the recording, from MusicBrainz URL relationships. Absent rather than empty when there are none (`listenbrainz/listen.py` lines 166-167; `mbid_mapping/mapping/mb_metadata_cache.py` lines 165-177).
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub url_rels: ::std::vec::Vec<UrlRel>,
    }
    ///One artist of a recording's artist credit.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct MbidMappingArtist {
        ///The artist's name as credited on the recording.
        pub artist_credit_name: ::std::string::String,
        ///The artist's MusicBrainz Artist ID.
        pub artist_mbid: ::std::string::String,
        ///The text joining this artist to the next (e.g. " feat. ", " & "); empty for the last.
        pub join_phrase: ::std::string::String,
    }
    ///What was listened to: the submitted names, the submitted `additional_info`, and the server's `mbid_mapping` when it has one. The server keeps whatever other keys a client submitted here (it checks only `artist_name`, `track_name` and `release_name`: `listenbrainz/webserver/views/api_tools.py` lines 200-206, 244-255), so other keys are allowed; they are kept, not dropped, by clients generated with progenitor 0.15, because `additionalProperties` is the empty schema (`{}`), which typify turns into a map of the extra keys, where `true` would make it drop them (oxidecomputer/typify `typify-impl/src/structs.rs`).
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct TrackMetadata {
        ///The submitting client's additional metadata, with the server's `recording_msid`. Always present: the server adds `recording_msid` to it on every listen it reads (`listenbrainz/listen.py` line 137).
        pub additional_info: AdditionalInfo,
        ///The artist's name as submitted (required and non-empty at submission, trimmed).
        pub artist_name: ::std::string::String,
        ///The MusicBrainz IDs the server resolved for this listen. Absent when it resolved none (the reference says so), i.e. when the listen has no recording MBID from the client, from the user's or another user's manual mapping, or from the automatic mapper (`listenbrainz/listenstore/timescale_listenstore.py` line 246; `listenbrainz/listen.py` lines 138-167). May appear on a listen later, when the mapper reaches it.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub mbid_mapping: ::std::option::Option<MbidMapping>,
        ///The release's name as submitted. Optional: absent when the client sent none or an empty one (the server deletes an empty `release_name`, `api_tools.py` lines 249-253). Departs from the reference in being nullable: the server has checked it is a string only since 2022-08-26 (commit `f4a2d0c96`), so older listens may carry `null`.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub release_name: ::std::option::Option<::std::string::String>,
        ///The track's name as submitted (required and non-empty at submission, trimmed).
        pub track_name: ::std::string::String,
        #[serde(flatten)]
        pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    }
    ///One link of a recording to an online resource.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct UrlRel {
        ///The kind of link, as MusicBrainz names it (e.g. "free streaming", "streaming", "purchase for download"). Open: other kinds occur.
        #[serde(rename = "type")]
        pub type_: ::std::string::String,
        ///The link.
        pub url: ::std::string::String,
    }
    ///The answer of `validate_token`, for a valid and for an invalid token alike (`listenbrainz/webserver/views/api.py` lines 522-534).
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct ValidateTokenResponse {
        ///The HTTP status, repeated; always 200.
        pub code: i32,
        ///"Token valid." or "Token invalid."; read `valid`, not this text.
        pub message: ::std::string::String,
        ///The name of the user the token belongs to, as stored; present only when `valid` is true. Pass it as the `user_name` of the listens methods.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub user_name: ::std::option::Option<::std::string::String>,
        ///Whether the token belongs to a user.
        pub valid: bool,
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
/**Client for ListenBrainz API (listening history)

Hand-written OpenAPI 3.0.3 description of the three ListenBrainz API
methods a sync of a user's listening history needs: the listens
themselves (`GET /1/user/{user_name}/listens`), the number of them
(`GET /1/user/{user_name}/listen-count`), and the user a token belongs
to (`GET /1/validate-token`).

Sources. The ListenBrainz API reference (listenbrainz.readthedocs.io:
"ListenBrainz API" with its "Rate limiting" section, "Core", "JSON
Documentation", "Usage Examples"), which is built from the server's own
repository: the pages `docs/users/api/index.rst`, `docs/users/api/core.rst`,
`docs/users/json.rst`, `docs/users/api-usage.rst` and the docstrings of
`listenbrainz/webserver/views/api.py`. Every behaviour was then checked
against the server's source, metabrainz/listenbrainz-server at commit
`0a119846de26bcaa48503b6b65634d80e977c3b1` (2026-08-21; cited below as
"server" with a path and line numbers), and against the rate limiter it
uses, metabrainz/brainzutils-python at tag `v3.0.0` (commit
`271c17935b497e05d65a9a070697c335bf585696`, the version pinned in the
server's `requirements.txt`; cited as "brainzutils").

Where the server departs from the reference, this spec follows the
server and the schema, parameter or response concerned says so
("Departs from the reference: ...", with the source file). The larger
departures:

* **`min_ts` and `max_ts` together.** The reference says to send one or
  the other, "but not both in one call". The server accepts both and
  answers the listens strictly between them; it refuses only
  `max_ts <= min_ts` (`400`). See `get_listens`.
* **Which listens a bound selects.** With `min_ts`, the server returns
  the `count` listens *closest after* `min_ts` (the oldest ones), still
  listed newest first; the reference only says "descending order".
  Its search moves in windows of 30 days and more, and stops early in
  cases a sync must avoid; see `get_listens`.
* **`count` above 1000** is not refused: it is served as 1000.
* **Rate limits.** The reference says a request with a valid user token
  "may receive higher rate limits". The server gives its per-token limit
  only to tokens on a server-side allow-list; every other request, with
  a token or without, is limited by IP address (30 requests per fixed
  10-second window, unless the operators change it). The `X-RateLimit-*`
  headers tell the truth either way.
* **The listens envelope** carries `latest_listen_ts` and
  `oldest_listen_ts` besides the `count`, `user_id` and `listens` the
  reference prints, and `user_id` repeats the path's user name as sent,
  not the stored spelling.
* **`additional_info`** holds what the submitting client sent. The
  server checks the types of a few keys only (durations since
  2022-04-12, MusicBrainz IDs); the types the reference gives for the
  others (e.g. `tracknumber` "string", which the reference's own example
  sends as an integer) are not enforced, so those keys are left untyped
  here. See `AdditionalInfo`.
* **Statuses.** The reference lists `200` and `404` for the listens and
  listen-count methods and `200` and `400` for validate-token. The
  server also answers `400` to bad listens parameters, `429` when rate
  limited, `503` when the listen store is offline, and `500` on an
  uncaught exception; all are declared, with the server's error body
  (`ErrorResponse`).

Errors. Every error of these methods has one JSON shape,
`{"code": <HTTP status>, "error": "<message>"}` (server:
`listenbrainz/webserver/errors.py` lines 22-26 for the API's own errors,
134-154 for HTTP errors, including `429`, on paths under `/1`).

Authentication. A user token, from https://listenbrainz.org/settings/,
is sent as `Authorization: Token <user token>` (`user_token`). Reading
listens and counts needs no token; validate-token needs one.

Optional properties. A property that is not `required` may be absent;
one that is also `nullable` means the same when absent and when `null`:
no value.

Response headers. Every response of these three methods that reaches
the method (success or error) carries the four `X-RateLimit-*` headers
(brainzutils `brainzutils/ratelimit.py` lines 135-147, added after every
request by the server's `listenbrainz/webserver/__init__.py` lines
257-259). A `404` for a path that matches no method (see `user_name`)
does not.

`contact` and `license` are those of this description document; the API
and the service are the MetaBrainz Foundation's.

`info.version` is the version of this spec document, not an API version
(the API's version is the `/1` in its paths). ListenBrainz defines no
`api-version` request header; code generators that send one derived
from `info.version` (progenitor does) add a header the API neither
requires nor understands, and clients built from this spec should strip
it.


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
    /**Get a user's listens

Returns listens of the user `user_name`, newest first, at most
`count` of them, wrapped in a `payload` envelope that also gives the
user's newest and oldest listen times. The user's listens are public:
no token is needed, and a token sent is not checked (it only matters
to the rate limiter, see `user_token`).

Which listens (server:
`listenbrainz/listenstore/timescale_listenstore.py`, `fetch_listens`,
lines 209-387):

- **Neither bound:** the user's `count` newest listens.
- **`max_ts` only:** the `count` newest listens strictly before
  `max_ts`.
- **`min_ts` only:** the `count` *oldest* listens strictly after
  `min_ts` (the query runs oldest first, line 224-225 and 295, and
  the result is reversed, lines 382-383), listed newest first.
- **Both** (departs from the reference, which says "not both"; see
  `x-ordered-parameters`): the `count` oldest listens strictly
  between `min_ts` and `max_ts`, listed newest first, in one query
  with no windows (lines 297-299, 330-332). `max_ts <= min_ts` is
  answered `400`.

Both bounds are exclusive (`listened_at > :from_ts AND listened_at
< :to_ts`, lines 255-257). Listen times are whole seconds, and
several listens may share one second (listens are unique by time,
user and `recording_msid`: `admin/timescale/create_indexes.sql`
line 5); the order of listens within one second is not defined
(`ORDER BY listened_at` only, line 295). A page cut inside a second
therefore loses the rest of that second when the next request uses
that second as an exclusive bound: overlap by one second and drop
duplicates by (`listened_at`, `recording_msid`).

Windows. With one bound or none, the server searches in windows of
30 days, then 90, 270, ... (each three times the last; lines 36-39,
301-307, 342-350), gathering listens across windows until it has
`count` of them, for at most 9 windows (lines 318-321). Three ways
it stops before `count` listens although more exist, all from the
server's source and none in the reference:

- With `min_ts` only, when `min_ts` is more than one second before
  the user's oldest listen (`oldest_listen_ts`), the search ends
  after its first 30-day window (lines 334-336): the page holds only
  the listens of the 30 days after `min_ts`, none at all if there
  are none there. Walking forward, send `min_ts >=
  oldest_listen_ts - 1`, or send both bounds.
- With `max_ts` more than 10 minutes in the future, the search ends
  after its first window (lines 338-340). Send `max_ts` no later
  than the present. (Listen times may themselves be up to one hour
  in the future: `listenbrainz/webserver/__init__.py` line 27.)
- Walking back with `max_ts` or no bound, a listen exactly on a
  window edge (30 days before the first window's upper bound, then
  120, 390, ... days before it) is in neither window (lines 255-257
  with 347-350) and is skipped when a page spans that edge.

A page with fewer than `count` listens is therefore no proof that
the history ends there; compare with `latest_listen_ts` and
`oldest_listen_ts`. Requests with both bounds have none of these
window effects.

Caching. Answers are cached for an hour per user, `min_ts`,
`max_ts` and `count` (`listenbrainz/webserver/listens_cache.py`
lines 59-79), and the cache is dropped when new listens are stored,
when a listen's deletion is requested and when the user maps a
listen by hand (`listenbrainz/timescale_writer/timescale_writer.py`
lines 170-175; `listenbrainz/webserver/views/api.py` line 588;
`listenbrainz/webserver/views/metadata_api.py` line 506), but not
when the hourly job really removes deleted listens nor when the
automatic mapper adds an `mbid_mapping`: a page may be up to an hour
older than the data.

History changes behind a sync. Listens may be submitted at any time
with any `listened_at` from 2002-10-01 to an hour ahead
(imports, `listen_type` "import"), so listens can appear before a
point already read; `inserted_at` tells when each was stored, but no
parameter selects by it. Deleted listens simply stop appearing (no
tombstone): a deletion is carried out by a job that runs hourly
(`listenbrainz/webserver/views/api.py` lines 546-549;
`listenbrainz/listenstore/timescale_utils.py`, `delete_listens`),
and cached pages may show the listen for up to an hour after
that.
`get_listen_count` helps notice both.

The order of checks (`listenbrainz/webserver/views/api.py` lines
185-189): an unknown user is answered `404` before the parameters
are read, so a request with bad parameters for an unknown user gets
`404`, not `400`.


Sends a `GET` request to `/1/user/{user_name}/listens`

Arguments:
- `user_name`: The user's ListenBrainz (MusicBrainz) user name. Matched without regard to case (`listenbrainz/db/user.py` line 192). It may contain any character, `/` percent-encoded. From the server's route (`listenbrainz/webserver/converters.py` lines 11-15): a name of one character, or one that starts or ends with `/`, matches no method and is answered `404` with the server's generic not-found message and no rate-limit headers.
- `count`: The number of listens to return. Default: 25. Maximum: 1000 (the reference's `DEFAULT_ITEMS_PER_GET` and `MAX_ITEMS_PER_GET`, server: `listenbrainz/webserver/views/api_tools.py` lines 48 and 51). Departs from the reference, which calls 1000 the maximum without saying what happens above it: the server serves any larger value as 1000 (lines 511-514) rather than refusing it. A negative value, or one that is not an integer, is answered `400` (lines 445-453, 515-516); an empty value means the default. `0` is accepted and answered with an empty page, which is useless to a client, so this spec starts at 1.
- `max_ts`: A Unix time in seconds (UTC). Only listens with `listened_at` less than (not equal to) `max_ts` are returned: the `count` newest of them (or, with `min_ts`, the `count` oldest after `min_ts`), listed newest first. Departs from the reference, which says not to send it with `min_ts`: the server accepts both and answers `400` when `max_ts <= min_ts` (`listenbrainz/webserver/views/api_tools.py` lines 502-508). Bounds, from the server: any integer naming a time in the years 1 to 9999 is read (lines 469-477), other values are answered `400` (far larger ones, 10^17 in a test with CPython, `500`); negative values name no listen, so this spec starts at 0; the maximum is 9999-12-31T23:59:59Z. Send no value more than 10 minutes ahead of the present: the server then stops its search after the first 30-day window (`timescale_listenstore.py` lines 338-340).
- `min_ts`: A Unix time in seconds (UTC). Only listens with `listened_at` greater than (not equal to) `min_ts` are returned: the `count` oldest of them, listed newest first. Departs from the reference, which says not to send it with `max_ts`: the server accepts both (see the operation's description and `x-ordered-parameters`). Bounds, from the server: it parses any integer (`listenbrainz/webserver/views/api_tools.py` lines 469-477) and answers a value that is not one, or that names a time outside the years 1 to 9999, with `400`; it also accepts negative values, which name no listen (listens are accepted from 2002-10-01, `listenbrainz/listenstore/__init__.py` lines 12-15), so this spec starts at 0. The maximum is 9999-12-31T23:59:59Z less 30 days: sent without `max_ts`, `min_ts` gets a 30-day window added (`timescale_listenstore.py` line 301), which overflows (`500`) above it for a user with listens; far larger values (10^17 in a test with CPython) raise an error the server does not catch (`500`). Send `min_ts >= oldest_listen_ts - 1` when walking forward (see the operation's description).
*/
    pub async fn get_listens<'a>(
        &'a self,
        user_name: &'a types::GetListensUserName,
        count: Option<::std::num::NonZeroU32>,
        max_ts: Option<i64>,
        min_ts: Option<i64>,
    ) -> Result<ResponseValue<types::ListensResponse>, Error<()>> {
        let url = format!(
            "{}/1/user/{}/listens", self.baseurl, encode_path(& user_name.to_string()),
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
            .query(&progenitor_client::QueryParam::new("count", &count))
            .query(&progenitor_client::QueryParam::new("max_ts", &max_ts))
            .query(&progenitor_client::QueryParam::new("min_ts", &min_ts))
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "get_listens",
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
    /**Get the number of a user's listens

Returns the number of listens the user `user_name` has, as
`payload.count`. No token is needed.

The number comes from a per-user tally that is kept up to date when
listens are stored and when deleted listens are removed (hourly), and
is cached for 5 minutes
(`listenbrainz/listenstore/timescale_listenstore.py` lines 29-30,
67-94): it may lag the listens by that much. A sync can compare it
with the listens it holds to notice listens added before its cursor
or deleted.


Sends a `GET` request to `/1/user/{user_name}/listen-count`

Arguments:
- `user_name`: The user's ListenBrainz (MusicBrainz) user name. Matched without regard to case (`listenbrainz/db/user.py` line 192). It may contain any character, `/` percent-encoded. From the server's route (`listenbrainz/webserver/converters.py` lines 11-15): a name of one character, or one that starts or ends with `/`, matches no method and is answered `404` with the server's generic not-found message and no rate-limit headers.
*/
    pub async fn get_listen_count<'a>(
        &'a self,
        user_name: &'a types::GetListenCountUserName,
    ) -> Result<ResponseValue<types::ListenCountResponse>, Error<()>> {
        let url = format!(
            "{}/1/user/{}/listen-count", self.baseurl, encode_path(& user_name
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
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "get_listen_count",
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
    /**Validate a user token

Tells whether a user token is valid and, if it is, whose it is: the
way to learn the user name that the listens methods take from a
token (`listenbrainz/webserver/views/api.py` lines 470-534).

An invalid token is not an error: the answer is `200` with
`"valid": false` and no `user_name`. Only a request with no token at
all is answered `400`.

The token is read from `Authorization: Token <user token>`; the
word `Token` may be in any case, and the token is what follows the
first space (lines 512-514). A header in any other form (e.g.
`Bearer ...`) is ignored. For backward compatibility the server then
reads the token from a `token` query parameter (lines 515-517); this
spec does not declare that parameter, because a token in a URL ends
up in logs and the header does the same. Only user tokens are
recognised (`listenbrainz/db/user.py` lines 197-219): a MetaBrainz
OAuth access token (`meba_...`), which other methods accept, is
answered `"valid": false` here.


Sends a `GET` request to `/1/validate-token`

*/
    pub async fn validate_token<'a>(
        &'a self,
    ) -> Result<ResponseValue<types::ValidateTokenResponse>, Error<()>> {
        let url = format!("{}/1/validate-token", self.baseurl,);
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
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "validate_token",
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

// Generated from `specs/listenbrainz-api.yaml` by `cargo xtask regen`. Do not edit by hand:
// change the spec (or the settings in `xtask/src/apis.rs`) and run `cargo xtask regen`.
//
// The `types` module of `crates/listenbrainz-api/src/generated.rs`, deriving
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
    ///The `additional_info` of a listen: what the submitting client sent, flattened (a nested object `{"a": {"b": 1}}` comes back as the key `"a.b"`: `listenbrainz/listen.py` lines 7-26, 100-107), plus the server's `recording_msid`. The reference lists the keys below and says any other key may be sent; the server keeps them all, so other keys are allowed, and kept by generated clients (the empty schema as `additionalProperties`; see `TrackMetadata`). Types: the server checks a few keys on submission (`listenbrainz/webserver/views/api_tools.py` lines 208-233): MusicBrainz IDs (a non-empty string Python's `uuid.UUID` parses, or a list of them; empty ones are dropped) and the durations (integers since 2022-04-12, commit `afe7a136a`). Departs from the reference: every other key, and the durations, are left untyped (any JSON value), because the server stores them as the client sent them, and the reference's own example sends `tracknumber`, documented as a string, as an integer; a type here would make such a listen fail to decode. Each untyped key's description gives the type the reference documents.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
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
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct ErrorResponse {
        ///The HTTP status, repeated.
        pub code: i32,
        ///A human-readable message. Not a stable code: match on the HTTP status.
        pub error: ::std::string::String,
    }
    ///`GetListenCountUserName`
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
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
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
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct ListenCount {
        ///The number of listens the user has (cached up to 5 minutes; see `get_listen_count`).
        pub count: i64,
    }
    ///The answer of `get_listen_count`.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct ListenCountResponse {
        ///The count.
        pub payload: ListenCount,
    }
    ///The `payload` envelope of `get_listens`. Departs from the reference, which prints only `count`, `user_id` and `listens`: the server always sends all five properties (`listenbrainz/listenstore/timescale_listenstore.py` lines 693-698; `listenbrainz/webserver/views/api.py` line 196).
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct ListensPayload {
        ///The number of listens in `listens` (not the user's total; see `get_listen_count`).
        pub count: i32,
        ///The `listened_at` of the user's newest listen, whatever the bounds asked for; 0 when the user has no listens. Not in the reference. From a per-user tally (`timescale_listenstore.py` lines 120-135): after the newest listen is deleted it is corrected within the hour.
        pub latest_listen_ts: i64,
        ///The listens, newest first (see `get_listens` for which ones). Empty when the user has none in the range asked for.
        pub listens: ::std::vec::Vec<
            crate::hand_written::Entry<crate::generated::listenbrainz::types::Listen>,
        >,
        ///The `listened_at` of the user's oldest listen, whatever the bounds asked for; 0 when the user has no listens. Not in the reference. Useful to start a forward walk (`min_ts` = `oldest_listen_ts - 1`, see `get_listens`).
        pub oldest_listen_ts: i64,
        ///The user name as written in the request's path. Departs from the reference, which calls it "the MusicBrainz ID of the user": the server repeats the path segment (`listenbrainz/webserver/views/api.py` line 196), which may differ in case from the stored name, since names are matched without regard to case; each listen's `user_name` has the stored spelling.
        pub user_id: ::std::string::String,
    }
    ///The answer of `get_listens`.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct ListensResponse {
        ///The listens, and what the server knows of the user's history.
        pub payload: ListensPayload,
    }
    ///The MusicBrainz IDs and metadata the server resolved for a listen (the reference's "MBID Mapping" section; server: `listenbrainz/listen.py` lines 138-167). Only `recording_mbid` is always present; each other property is absent when the server's metadata cache has no value for it. The recording MBID is, in order of preference: the client's `additional_info.recording_mbid`, the user's manual mapping, the automatic mapper's, other users' manual mappings (`listenbrainz/listenstore/timescale_listenstore.py` line 246). All IDs are UUIDs in the canonical lowercase hyphenated form.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
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
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct MbidMappingArtist {
        ///The artist's name as credited on the recording.
        pub artist_credit_name: ::std::string::String,
        ///The artist's MusicBrainz Artist ID.
        pub artist_mbid: ::std::string::String,
        ///The text joining this artist to the next (e.g. " feat. ", " & "); empty for the last.
        pub join_phrase: ::std::string::String,
    }
    ///What was listened to: the submitted names, the submitted `additional_info`, and the server's `mbid_mapping` when it has one. The server keeps whatever other keys a client submitted here (it checks only `artist_name`, `track_name` and `release_name`: `listenbrainz/webserver/views/api_tools.py` lines 200-206, 244-255), so other keys are allowed; they are kept, not dropped, by clients generated with progenitor 0.15, because `additionalProperties` is the empty schema (`{}`), which typify turns into a map of the extra keys, where `true` would make it drop them (oxidecomputer/typify `typify-impl/src/structs.rs`).
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
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
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct UrlRel {
        ///The kind of link, as MusicBrainz names it (e.g. "free streaming", "streaming", "purchase for download"). Open: other kinds occur.
        #[serde(rename = "type")]
        pub type_: ::std::string::String,
        ///The link.
        pub url: ::std::string::String,
    }
    ///The answer of `validate_token`, for a valid and for an invalid token alike (`listenbrainz/webserver/views/api.py` lines 522-534).
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
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

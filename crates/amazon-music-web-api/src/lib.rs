#![doc = include_str!("../README.md")]
// `Error` is client-support's shared type and keeps whole error bodies; whether to box it is
// that crate's call, and every fallible call here is network I/O that dwarfs moving it.
#![allow(clippy::result_large_err)]

#[rustfmt::skip]
#[allow(missing_docs, clippy::all, unreachable_pub, dead_code)]
mod generated;

mod client;
mod entity;
mod error;
mod history;
mod hooks;
pub mod oauth;
mod operation;
mod path_id;
mod play_id;
mod query;
mod response;

pub use client::{AmazonMusicClient, AmazonMusicClientBuilder, DEFAULT_BASE_URL, SERVICE};
/// A query of one operation, as [`AmazonMusicClient::fetch`] takes it: every query here.
pub use client_support::Operation;
/// Keeping this history exactly once across runs: what names a play
/// ([`incremental::Play`], implemented by this crate's plays) and the state to persist.
pub use client_support::incremental;
pub use entity::EntityNode;
pub use error::Error;
pub use generated::types;
pub use history::{History, MAX_PLAYS_PER_WALK};
pub use operation::Query;
pub use path_id::{TrackId, UserId};
pub use query::{
    EntitiesLimit, EntityTypes, MyEntitiesQuery, ResumePoint, TrackQuery, TracksLimit, TracksQuery,
    UserEntitiesQuery,
};

/// Makes HTTPS ready for `reqwest` clients you build yourself (the crate's default client
/// does this on its own).
///
/// ```
/// amazon_music_web_api::install_crypto_provider();
/// let http = reqwest::Client::new();
/// # drop(http);
/// ```
pub use client_support::http::install_crypto_provider;

/// A Login with Amazon access token, checked when made and never printed.
///
/// ```
/// use amazon_music_web_api::AccessToken;
///
/// let token = AccessToken::new("Atza|secret")?;
/// assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
/// assert!(AccessToken::new("two\nlines").is_err());
/// # Ok::<(), amazon_music_web_api::InvalidCredential>(())
/// ```
pub use client_support::AccessToken;

/// The security profile ID, sent as `x-api-key`; checked when made and never printed.
///
/// ```
/// use amazon_music_web_api::ApiKey;
///
/// let key = ApiKey::new("amzn1.application.x")?;
/// assert_eq!(format!("{key:?}"), "ApiKey(<redacted>)");
/// # Ok::<(), amazon_music_web_api::InvalidCredential>(())
/// ```
pub use client_support::ApiKey;

/// Why a token or key was refused by [`AccessToken::new`] or [`ApiKey::new`].
pub use client_support::InvalidCredential;

/// Why a user ID was refused by [`UserId::new`].
pub use client_support::InvalidParameter;

/// A token you replace after refreshing it; the client sends the new one.
///
/// ```
/// use amazon_music_web_api::{AccessToken, AmazonMusicClient, ApiKey, SharedToken};
///
/// let token = SharedToken::new(AccessToken::new("Atza|first")?);
/// let client = AmazonMusicClient::new(token.clone(), ApiKey::new("amzn1.application.x")?)?;
/// token.replace(AccessToken::new("Atza|refreshed")?);
/// # drop(client);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub use client_support::SharedToken;

/// Where the client gets its token for each request: a fixed [`AccessToken`], a
/// [`SharedToken`], a closure, or an [`oauth::RefreshingToken`] that refreshes itself.
///
/// ```
/// use amazon_music_web_api::{AccessToken, AmazonMusicClient, ApiKey};
///
/// let token = AccessToken::new("Atza|secret")?;
/// let client = AmazonMusicClient::new(move || token.clone(), ApiKey::new("amzn1.application.x")?)?;
/// # drop(client);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub use client_support::TokenSource;

/// How often and how long the client retries a request (429, 5xx, transport failures).
///
/// ```
/// use std::time::Duration;
/// use amazon_music_web_api::{AccessToken, AmazonMusicClient, ApiKey, RetryPolicy};
///
/// let policy = RetryPolicy::new(4).max_total_wait(Duration::from_secs(30));
/// let client = AmazonMusicClient::builder(AccessToken::new("Atza|x")?, ApiKey::new("k")?)
///     .retry(policy)
///     .build()?;
/// # drop(client);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub use client_support::RetryPolicy;

/// How a [`History`] walk ended.
///
/// ```
/// use amazon_music_web_api::Outcome;
///
/// assert_ne!(Outcome::Complete, Outcome::Failed);
/// ```
pub use client_support::Outcome;

/// An error response: its status and body; see [`Error`].
pub use client_support::{ErrorBody, InvalidBaseUrl, LimitOutOfRange, ServiceError};

/// A walk's position as an error carries it ([`MalformedItem::page`],
/// [`RepeatedCursor::cursor`]): this crate's [`ResumePoint`], by `get::<ResumePoint>()`.
pub use client_support::Position;

/// One page of a walk, as [`History`]'s `next_page()` yields it: its plays, its malformed
/// items and where a walk resumes after it.
pub use client_support::HistoryPage;

/// The repeated page token that stopped a walk; see [`Error::RepeatedCursor`].
pub use client_support::RepeatedCursor;

/// One edge of a page: the typed edge, or the raw JSON of one that does not decode.
///
/// ```
/// use amazon_music_web_api::{Entry, types::TrackPlaybackEdge};
///
/// let edges: Vec<Entry<TrackPlaybackEdge>> = serde_json::from_str(
///     r#"[{"playedAt": "2024-05-01T10:00:00Z", "node": {"id": "B01"}}, {"playedAt": 7}]"#,
/// )?;
/// assert_eq!(edges[0].item().unwrap().node.id, "B01");
/// assert_eq!(edges[1].malformed().unwrap().raw().get(), r#"{"playedAt": 7}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub use client_support::Entry;

/// What is known of an edge that does not decode: its raw JSON and the reason.
///
/// ```
/// use amazon_music_web_api::{Entry, Malformed, types::TrackPlaybackEdge};
///
/// let edge: Entry<TrackPlaybackEdge> = serde_json::from_str("null")?;
/// let malformed: &Malformed = edge.malformed().unwrap();
/// assert!(malformed.reason().starts_with("invalid type: null"));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub use client_support::Malformed;

/// An edge a walk could not decode, with its page and index; see [`Error::MalformedItem`].
///
/// ```
/// use amazon_music_web_api::{Error, MalformedItem};
///
/// fn skip_malformed(result: Result<(), Error>) -> Option<MalformedItem> {
///     match result {
///         Err(Error::MalformedItem(item)) => Some(item),
///         _ => None,
///     }
/// }
/// # let _ = skip_malformed;
/// ```
pub use client_support::MalformedItem;

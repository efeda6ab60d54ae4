#![doc = include_str!("../README.md")]

// The generated module is written by `cargo xtask regen`; these lints are its business.
// `dead_code`: the layer uses `Client::new_with_client`, not the generated `Client::new`.
#[rustfmt::skip]
#[allow(missing_docs, clippy::all, unreachable_pub, dead_code)]
mod generated;

mod client;
mod error;
mod external;
mod history;
mod hooks;
mod market;
pub mod oauth;
mod operation;
mod play_id;
mod query;
mod release_date;

pub use client::{DEFAULT_BASE_URL, RecentlyPlayed, SERVICE, SpotifyClient, SpotifyClientBuilder};
/// A query of one operation, as [`SpotifyClient::fetch`] takes it: [`RecentlyPlayedQuery`].
pub use client_support::Operation;
/// Keeping this history exactly once across runs: what names a play
/// ([`incremental::Play`], implemented by this crate's plays) and the state to persist.
pub use client_support::incremental;
pub use error::Error;
pub use external::{ExternalIds, ExternalUrls};
pub use generated::types;
pub use history::{DOCUMENTED_PLAYS, History, MAX_PLAYS_PER_WALK};
pub use market::{InvalidMarket, Market};
pub use play_id::PLAY_KEY;
pub use query::{Limit, ParseTimeError, RecentlyPlayedQuery, TimeWindow, UnixMillis};
pub use release_date::ReleaseDate;

/// Makes HTTPS ready for `reqwest` clients you build yourself (the crate's default client
/// does this on its own).
///
/// ```
/// spotify_web_api::install_crypto_provider();
/// let http = reqwest::Client::new();
/// # drop(http);
/// ```
pub use client_support::http::install_crypto_provider;

/// An access token, checked when made and never printed.
///
/// ```
/// use spotify_web_api::AccessToken;
///
/// let token = AccessToken::new("BQD-secret")?;
/// assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
/// assert!(AccessToken::new("two\nlines").is_err());
/// # Ok::<(), spotify_web_api::InvalidCredential>(())
/// ```
pub use client_support::AccessToken;

/// Why a token was refused by [`AccessToken::new`].
pub use client_support::InvalidCredential;

/// A token you replace after refreshing it; the client sends the new one.
///
/// ```
/// use spotify_web_api::{AccessToken, SharedToken, SpotifyClient};
///
/// let token = SharedToken::new(AccessToken::new("first")?);
/// let client = SpotifyClient::new(token.clone())?;
/// token.replace(AccessToken::new("refreshed")?);
/// # drop(client);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub use client_support::SharedToken;

/// Where the client gets its token for each request: a fixed [`AccessToken`], a
/// [`SharedToken`], a closure, or an [`oauth::RefreshingToken`] that refreshes itself.
///
/// ```
/// use spotify_web_api::{AccessToken, SpotifyClient};
///
/// let token = AccessToken::new("BQD-secret")?;
/// let client = SpotifyClient::new(move || token.clone())?;
/// # drop(client);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub use client_support::TokenSource;

/// How often and how long the client retries a request (429, 5xx, transport failures).
///
/// ```
/// use std::time::Duration;
/// use spotify_web_api::{AccessToken, RetryPolicy, SpotifyClient};
///
/// let policy = RetryPolicy::new(4).max_total_wait(Duration::from_secs(30));
/// let client = SpotifyClient::builder(AccessToken::new("BQD")?).retry(policy).build()?;
/// # drop(client);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub use client_support::RetryPolicy;

/// How a [`History`] walk ended.
///
/// ```
/// use spotify_web_api::Outcome;
///
/// assert_ne!(Outcome::Complete, Outcome::PrivateSession);
/// ```
pub use client_support::Outcome;

/// An error response: its status and body; see [`Error`].
pub use client_support::{ErrorBody, InvalidBaseUrl, LimitOutOfRange, ServiceError};

/// A walk's position as an error carries it ([`MalformedItem::page`],
/// [`RepeatedCursor::cursor`]): this crate's [`TimeWindow`], by `get::<TimeWindow>()`.
pub use client_support::Position;

/// One page of a walk, as [`History`]'s `next_page()` yields it: its plays, its malformed
/// items and where a walk resumes after it.
pub use client_support::HistoryPage;

/// The repeated cursor that stopped a walk; see [`Error::RepeatedCursor`].
pub use client_support::RepeatedCursor;

/// One play of a page: the typed play, or the raw JSON of one that does not decode.
///
/// ```
/// use spotify_web_api::{Entry, types::PlayHistory};
///
/// let plays: Vec<Entry<PlayHistory>> =
///     serde_json::from_str(r#"[{"track": null, "played_at": "2024-05-01T10:00:00Z"}]"#)?;
/// assert!(plays[0].item().is_none());
/// assert!(plays[0].malformed().unwrap().reason().starts_with("invalid type: null"));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub use client_support::Entry;

/// What is known of a play that does not decode: its raw JSON and the reason.
///
/// ```
/// use spotify_web_api::{Entry, Malformed, types::PlayHistory};
///
/// let play: Entry<PlayHistory> = serde_json::from_str("7")?;
/// let malformed: &Malformed = play.malformed().unwrap();
/// assert_eq!(malformed.raw().get(), "7");
/// # Ok::<(), serde_json::Error>(())
/// ```
pub use client_support::Malformed;

/// A play a walk could not decode, with its page and index; see [`Error::MalformedItem`].
///
/// ```
/// use spotify_web_api::{Error, MalformedItem};
///
/// fn malformed(result: Result<(), Error>) -> Option<MalformedItem> {
///     match result {
///         Err(Error::MalformedItem(item)) => Some(item),
///         _ => None,
///     }
/// }
/// # let _ = malformed;
/// ```
pub use client_support::MalformedItem;

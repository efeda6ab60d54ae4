#![doc = include_str!("../README.md")]
// `Error` is client-support's shared type and keeps whole error bodies; whether to box it is
// that crate's call, and every fallible call here is network I/O that dwarfs moving it.
#![allow(clippy::result_large_err)]

// The generated module is written by `cargo xtask regen`; these lints are its business.
// `dead_code`: the layer uses `Client::new_with_client`, not the generated `Client::new`.
#[rustfmt::skip]
#[allow(missing_docs, clippy::all, unreachable_pub, dead_code)]
mod generated;

mod client;
mod error;
mod history;
mod hooks;
mod operation;
mod play_id;
mod query;

pub use client::{DEFAULT_BASE_URL, ListenBrainzClient, ListenBrainzClientBuilder, SERVICE};
/// A query of one operation, as [`ListenBrainzClient::fetch`] takes it: [`ListensQuery`],
/// [`ListenCountQuery`], [`ValidateTokenQuery`].
pub use client_support::Operation;
/// Keeping this history exactly once across runs: what names a listen
/// ([`incremental::Play`], implemented by [`types::Listen`]) and the state to persist.
pub use client_support::incremental;
pub use error::Error;
pub use generated::types;
pub use history::{History, MAX_LISTENS_PER_WALK};
pub use query::{
    ACCEPTED_AHEAD_SECONDS, Count, ListenCountQuery, ListensQuery, MAX_AFTER, MAX_BEFORE,
    TimeWindow, UserName, ValidateTokenQuery, Within,
};

/// Makes HTTPS ready for `reqwest` clients you build yourself (the crate's default client
/// does this on its own).
///
/// ```
/// listenbrainz_api::install_crypto_provider();
/// let http = reqwest::Client::new();
/// # drop(http);
/// ```
pub use client_support::http::install_crypto_provider;

/// A ListenBrainz user token (from the user's settings page), checked when made and never
/// printed.
///
/// ```
/// use listenbrainz_api::AccessToken;
///
/// let token = AccessToken::new("3f2a-user-token")?;
/// assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
/// assert!(AccessToken::new("two\nlines").is_err());
/// # Ok::<(), listenbrainz_api::InvalidCredential>(())
/// ```
pub use client_support::AccessToken;

/// Why a token was refused by [`AccessToken::new`].
pub use client_support::InvalidCredential;

/// Why a user name or a window was refused ([`UserName::new`], a [`TimeWindow`] the server
/// would not read).
pub use client_support::InvalidParameter;

/// A token you replace later; the client sends the new one.
///
/// ```
/// use listenbrainz_api::{AccessToken, ListenBrainzClient, SharedToken};
///
/// let token = SharedToken::new(AccessToken::new("first")?);
/// let client = ListenBrainzClient::new(token.clone())?;
/// token.replace(AccessToken::new("second")?);
/// # drop(client);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub use client_support::SharedToken;

/// Where the client gets its token for each request: a fixed [`AccessToken`], a
/// [`SharedToken`], or a closure.
pub use client_support::TokenSource;

/// How often and how long the client retries a request (429, 5xx, transport failures).
///
/// ```
/// use std::time::Duration;
/// use listenbrainz_api::{AccessToken, ListenBrainzClient, RetryPolicy};
///
/// let policy = RetryPolicy::new(4).max_total_wait(Duration::from_secs(30));
/// let client = ListenBrainzClient::builder(AccessToken::new("t")?).retry(policy).build()?;
/// # drop(client);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub use client_support::RetryPolicy;

/// How a [`History`] walk ended.
pub use client_support::Outcome;

/// An error response: its status and body; see [`Error`].
pub use client_support::{ErrorBody, InvalidBaseUrl, LimitOutOfRange, ServiceError};

/// A walk's position as an error carries it ([`MalformedItem::page`],
/// [`RepeatedCursor::cursor`]): this crate's [`TimeWindow`], by `get::<TimeWindow>()`.
pub use client_support::Position;

/// One page of a walk, as [`History`]'s `next_page()` yields it: its listens, its malformed
/// items and where a walk resumes after it.
pub use client_support::HistoryPage;

/// The repeated window that stopped a walk; see [`Error::RepeatedCursor`].
pub use client_support::RepeatedCursor;

/// One listen of a page: the typed listen, or the raw JSON of one that does not decode.
pub use client_support::Entry;

/// What is known of a listen that does not decode: its raw JSON and the reason.
pub use client_support::Malformed;

/// A listen a walk could not decode, with its page and index; see [`Error::MalformedItem`].
pub use client_support::MalformedItem;

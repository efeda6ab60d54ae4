//! A typed client for Spotify's "Get Recently Played Tracks"
//! (`GET /me/player/recently-played`), generated from `specs/spotify-web-api.yaml` with a
//! small hand-written layer: typed parameters, one page with [`SpotifyClient::fetch`], the
//! whole history as a stream with [`SpotifyClient::history`], typed errors and retries.
//!
//! One page:
//!
//! ```no_run
//! use spotify_web_api::{AccessToken, Entry, Limit, RecentlyPlayed, RecentlyPlayedQuery, SpotifyClient};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = SpotifyClient::new(AccessToken::new("BQD...")?)?;
//! let query = RecentlyPlayedQuery::latest().limit(Limit::new(10)?);
//! match client.fetch(&query).await? {
//!     RecentlyPlayed::Page(page) => {
//!         for entry in page.items {
//!             match entry {
//!                 Entry::Item(play) => println!("{} {}", play.played_at, play.track.name),
//!                 Entry::Malformed(m) => println!("a play that does not decode: {}", m.reason()),
//!             }
//!         }
//!     }
//!     RecentlyPlayed::PrivateSession => println!("the user is in a private session"),
//! }
//! # Ok(()) }
//! ```
//!
//! The whole history, newest first, page after page:
//!
//! ```no_run
//! use futures_util::StreamExt;
//! use spotify_web_api::{AccessToken, Error, Outcome, RecentlyPlayedQuery, SpotifyClient};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = SpotifyClient::new(AccessToken::new("BQD...")?)?;
//! let mut plays = client.history(RecentlyPlayedQuery::latest());
//! while let Some(play) = plays.next().await {
//!     match play {
//!         Ok(play) => println!("{} {}", play.played_at, play.track.name),
//!         // One play that does not decode: reported, and the walk goes on.
//!         Err(Error::MalformedItem(item)) => eprintln!("{item}"),
//!         Err(error) => return Err(error.into()),
//!     }
//! }
//! if plays.outcome() == Some(Outcome::PrivateSession) {
//!     println!("the user is in a private session: history is hidden");
//! }
//! # Ok(()) }
//! ```
//!
//! # The same shape as `amazon_music_web_api`
//!
//! A client made by `new(credentials)` or a builder (`base_url`, `retry`, `http_client`);
//! one query type per operation ([`RecentlyPlayedQuery`]); `fetch(&query)` for one page;
//! `history(query)` for a [`History`] stream with `outcome()` and `resume_point()` (and,
//! for an incremental sync, `sync_point()`: `After(newest played_at seen)`); one [`Error`].
//!
//! # From `history(...)` to the wire, in five hops
//!
//! 1. [`SpotifyClient::history`] makes a [`History`] stream starting at the query's
//!    [`TimeWindow`].
//! 2. For each page, the stream calls [`SpotifyClient::fetch`] with the window it stands at.
//! 3. `fetch` obtains a token (`client_support::send::Sender::authorized`) and calls the
//!    generated operation (`generated.rs`, from the spec) on a generated client built for
//!    this call with the token in its context, with the checked `limit`, `before` and
//!    `after`.
//! 4. The generated code builds the request and calls the crate's hooks (`hooks.rs`),
//!    which set the token from that context and send the request with
//!    `client_support::send` (retries, one `tracing` span named `request` per attempt).
//! 5. The response comes back as a decoded page, the `204` as
//!    [`RecentlyPlayed::PrivateSession`], anything else as a typed [`Error`]; the stream
//!    yields the page's plays and moves to the next window.
//!
//! # What the client promises
//!
//! - **Tokens**: checked when made ([`AccessToken::new`]), asked of the [`TokenSource`] on
//!   every request: a [`SharedToken`] can be replaced after a refresh, and
//!   [`oauth::RefreshingToken`] refreshes on its own, before expiry and once after a `401`, never in `Debug`,
//!   `Display`, errors or `tracing` fields, and sent only over `https` (or plain `http` to
//!   a loopback address, see [`SpotifyClientBuilder::base_url`]).
//! - **Parameters**: [`Limit`] is 1..=50 by type and [`TimeWindow`] is latest, before or
//!   after, never both, so a request the API documents as invalid is never sent.
//! - **Errors**: [`Error`] says what went wrong in one sentence and keeps Spotify's error
//!   object.
//! - **Retries**: by default at most 3 sends and 30 s of waiting per request (429 with
//!   `Retry-After`, 5xx, transport failures); [`SpotifyClientBuilder::retry`] changes it.
//! - **Bounded**: a walk fetches at most the pages for [`MAX_PLAYS_PER_WALK`] plays (20
//!   times the [`DOCUMENTED_PLAYS`] Spotify keeps; [`SpotifyClientBuilder::max_pages`]);
//!   a response body is read up to 8 MiB ([`SpotifyClientBuilder::max_body_bytes`]); a page
//!   with more plays than asked for, plays outside its window, or a cursor that does not
//!   move the way the walk goes is [`Error::Protocol`]; a server's message is cut to 200
//!   characters and scrubbed of the token.
//! - **Observability**: each request attempt is a `tracing` span named `request` with
//!   `service = "spotify"`, `operation`, `attempt`, `cursor`, `status` and `elapsed_ms`;
//!   retries and walk endings are events.
//! - **One malformed play never costs the rest.** Each play of a page decodes on its own
//!   ([`Entry`]); a walk yields one that does not (a `null` track, an episode) as
//!   [`Error::MalformedItem`] (its page, its index, the reason and its raw JSON) in its
//!   place and goes on.
//! - The generated request and response types are in [`types`]; an album's release date
//!   reads as a typed [`ReleaseDate`] with [`types::SimplifiedAlbum::release`]; the
//!   `available_markets` of a track and of an album are [`Market`]s (two bytes per code,
//!   not a `String`; an unexpected value is kept as its text).

// The generated module is written by `cargo xtask regen`; these lints are its business.
// `dead_code`: the layer uses `Client::new_with_client`, not the generated `Client::new`.
#[rustfmt::skip]
#[allow(missing_docs, clippy::all, unreachable_pub, dead_code)]
mod generated;

mod client;
mod error;
mod history;
mod hooks;
mod market;
pub mod oauth;
mod query;
mod release_date;

pub use client::{DEFAULT_BASE_URL, RecentlyPlayed, SERVICE, SpotifyClient, SpotifyClientBuilder};
pub use error::Error;
pub use generated::types;
pub use history::{DOCUMENTED_PLAYS, History, MAX_PLAYS_PER_WALK};
pub use market::{InvalidMarket, Market};
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

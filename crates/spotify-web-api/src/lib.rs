//! A typed client for Spotify's "Get Recently Played Tracks"
//! (`GET /me/player/recently-played`), generated from `specs/spotify-web-api.yaml` with a
//! small hand-written layer: one-line construction, typed parameters, a history stream,
//! the private-session `204` as a documented outcome, typed errors and opt-in retries.
//!
//! One request:
//!
//! ```no_run
//! use spotify_web_api::{AccessToken, Limit, RecentlyPlayed, RecentlyPlayedQuery, SpotifyClient};
//!
//! # async fn run() -> Result<(), spotify_web_api::Error> {
//! let client = SpotifyClient::new(AccessToken::new("BQD..."))?;
//! let query = RecentlyPlayedQuery::latest().limit(Limit::new(10)?);
//! match client.recently_played(query).await? {
//!     RecentlyPlayed::Page(page) => {
//!         for play in page.items {
//!             println!("{} {}", play.played_at, play.track.name);
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
//! use futures_util::TryStreamExt;
//! use spotify_web_api::{AccessToken, SpotifyClient, TimeWindow};
//!
//! # async fn run() -> Result<(), spotify_web_api::Error> {
//! let client = SpotifyClient::new(AccessToken::new("BQD..."))?;
//! let mut plays = client.history(TimeWindow::Latest);
//! while let Some(play) = plays.try_next().await? {
//!     println!("{} {}", play.played_at, play.track.name);
//! }
//! if plays.is_private_session() {
//!     println!("the user is in a private session: history is hidden");
//! }
//! # Ok(()) }
//! ```
//!
//! - **Tokens**: the client asks its [`TokenSource`] for the token on every request; a
//!   [`SharedToken`] can be replaced after a refresh without rebuilding the client. Tokens
//!   never appear in `Debug`, `Display` or errors, and go only over `https` (or plain
//!   `http` to a loopback address, see [`SpotifyClientBuilder::base_url`]).
//! - **Parameters**: [`Limit`] is 1..=50 by type and [`TimeWindow`] is latest, before or
//!   after, never both, so a request the API documents as invalid is never sent.
//! - **Errors**: [`Error`] says what went wrong (401, 403, 429 with `Retry-After`, 5xx,
//!   an undecodable body, a transport failure), keeping Spotify's error object.
//! - **Retries**: off unless [`SpotifyClientBuilder::retry`] sets a [`RetryPolicy`].
//! - The generated request and response types are in [`types`]; an album's release date
//!   reads as a typed [`ReleaseDate`] with [`types::SimplifiedAlbum::release`].

// The generated module is written by `cargo xtask regen`; these lints are its business.
// `dead_code`: the layer uses `Client::new_with_client`, not the generated `Client::new`.
#[rustfmt::skip]
#[allow(missing_docs, clippy::all, unreachable_pub, dead_code)]
mod generated;

mod client;
mod error;
mod history;
mod hooks;
mod query;
mod release_date;

pub use client::{DEFAULT_BASE_URL, RecentlyPlayed, SpotifyClient, SpotifyClientBuilder};
pub use client_support::http::install_crypto_provider;
pub use client_support::paging::RepeatedCursor;
pub use client_support::{
    AccessToken, ErrorBody, LimitOutOfRange, RetryPolicy, ServiceError, SharedToken, TokenSource,
};
pub use error::Error;
pub use generated::types;
pub use history::History;
pub use query::{Limit, RecentlyPlayedQuery, TimeWindow, UnixMillis};
pub use release_date::ReleaseDate;

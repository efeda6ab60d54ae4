//! Stateful local simulations of the two "recently played" services, for the conformance
//! suite, end-to-end runs and benchmarks.
//!
//! Each simulation is an HTTP server on `127.0.0.1` (a [`wiremock`] server with one stateful
//! responder) that answers the way the service is documented to answer, not only on the happy
//! path: authentication and scope, parameter defaults and bounds, cursors, empty pages,
//! private sessions, unknown users, and faults queued by the test ([`Fault`]). Response bodies
//! are built from the generated types of the client crates, so a response conforms to the
//! spec by construction.
//!
//! - [`spotify::SpotifySimulation`] serves `GET /v1/me/player/recently-played`.
//! - [`amazon::AmazonMusicSimulation`] serves `GET /v1/player/recentlyPlayed`,
//!   `GET /v1/me/recentlyPlayedEntities` and `GET /v1/users/{id}/recentlyPlayedEntities`.
//!
//! Each also serves its service's OAuth 2.0 authorization server on the same port, at the
//! root: Spotify's accounts service (`GET /authorize`, `POST /api/token`,
//! [`spotify::SpotifySimulation::accounts_base_url`]) and Login with Amazon (`GET /ap/oa`,
//! `POST /auth/o2/token`, [`amazon::AmazonMusicSimulation::auth_base_url`]). The user consents
//! at once; codes (with PKCE) and refresh tokens buy access tokens that expire, which the API
//! accepts beside its fixed token. A refresh without the client secret (a PKCE app) rotates the
//! refresh token; one with the secret keeps it, as each service does. Tests control lifetimes
//! (of access tokens, and of refresh tokens from the sign-in), expiry and revocation, issue
//! tokens directly ([`IssuedTokens`]) and count grants ([`TokenGrants`]).
//!
//! Both simulations can also hold a lasting rate limit (`set_rate_limit`, lengthened by
//! [`RATE_LIMIT_EXTENSION`] per request while it lasts), and each reproduces what public
//! reports say of its real service: see the modules.
//!
//! - [`hostile::HostileServer`] misbehaves on purpose, in the ways [`hostile::Hostile`] lists.
//!
//! Both need a Tokio runtime to start (the server itself runs on a thread of its own) and stop
//! when dropped. Every request they receive is kept, in order, as a [`RecordedRequest`]; the
//! authorization server's requests are kept apart, out of `request_count`.
//!
//! ```
//! use music_history_sandbox::spotify::{SpotifyHistory, SpotifySimulation};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sim = SpotifySimulation::start(SpotifyHistory::realistic(30, 7)).await;
//! let page: spotify_web_api::types::CursorPagedPlayHistory = client_support::http::client_builder()
//!     .build()?
//!     .get(format!("{}/me/player/recently-played?limit=5", sim.base_url()))
//!     .bearer_auth("sandbox-spotify-token")
//!     .send()
//!     .await?
//!     .json()
//!     .await?;
//! assert_eq!(page.items.len(), 5);
//! assert_eq!(sim.request_count(), 1);
//! # Ok(())
//! # }
//! ```

pub mod amazon;
mod auth;
mod consent;
mod fault;
pub mod hostile;
mod random;
mod rate_limit;
mod record;
mod server;
pub mod spotify;

pub use auth::{IssuedTokens, TokenGrants};
pub use consent::consent;
pub use fault::Fault;
pub use rate_limit::RATE_LIMIT_EXTENSION;
pub use record::RecordedRequest;

//! Signing in and staying signed in: OAuth 2.0's authorization code grant (with PKCE) to
//! sign in once, and the refresh token grant to get new access tokens without the user.
//!
//! The protocol mechanics (PKCE verifier and challenge, `state`, the token request and its
//! response) are the `oauth2` crate's. This module adds what it leaves to its users: a
//! bounded HTTP exchange with the token endpoint (`oauth2`'s own `reqwest` adapter reads a
//! response of any size), typed errors that say when the user must sign in again, secrets
//! kept out of every message, and [`RefreshingToken`], a [`TokenSource`](crate::TokenSource)
//! that refreshes before expiry and after a `401`, one refresh at a time.
//!
//! Each client crate describes its service's authorization server (`spotify_web_api::oauth`,
//! `amazon_music_web_api::oauth`).
//!
//! ```
//! use client_support::oauth::{AuthorizationServer, ClientAuthentication, ClientCredentials, OAuthClient};
//!
//! let server = AuthorizationServer::new(
//!     "Example accounts",
//!     "https://accounts.example.com/authorize",
//!     "https://accounts.example.com/api/token",
//!     ClientAuthentication::BasicHeader,
//! )?;
//! let client = OAuthClient::new(server, ClientCredentials::public("my-client-id"))?;
//! let sign_in = client.authorize("http://127.0.0.1:8888/callback", &["user-read-recently-played"])?;
//! assert!(sign_in.url().starts_with("https://accounts.example.com/authorize?"));
//! assert!(sign_in.url().contains("code_challenge_method=S256"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod client;
mod error;
mod login;
mod refreshing;
mod rotation;
mod server;
mod tokens;

pub use client::{MAX_TOKEN_RESPONSE_BYTES, OAuthClient};
pub use error::AuthError;
pub use login::Authorization;
pub use refreshing::{REFRESH_MARGIN, RefreshingToken};
pub use rotation::{RotationError, RotationFile};
pub use server::{AuthorizationServer, ClientAuthentication, ClientCredentials};
pub use tokens::Tokens;

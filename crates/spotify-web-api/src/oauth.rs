//! Signing in to Spotify and staying signed in: the Authorization Code flow with PKCE (an
//! app with no secret, Spotify's recommended form for apps on a user's machine), or with a
//! secret where the app has one.
//!
//! [`authorization_server`] describes Spotify's accounts service; the rest is
//! `client_support::oauth`, re-exported here: [`OAuthClient::authorize`] starts a sign-in,
//! [`Authorization::finish`] completes it, and [`RefreshingToken`] keeps a client signed
//! in. Spotify's access tokens last 3600 s; its refresh responses may carry a new refresh
//! token, which [`RefreshingToken::on_change`] hands over for storing.
//!
//! ```no_run
//! use spotify_web_api::oauth::{self, ClientCredentials, OAuthClient, RefreshingToken};
//! use spotify_web_api::{RecentlyPlayedQuery, SpotifyClient};
//!
//! # async fn run(redirect_query: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let accounts = OAuthClient::new(
//!     oauth::authorization_server(None)?,
//!     ClientCredentials::public("your-client-id"),
//! )?;
//! let sign_in = accounts.authorize("http://127.0.0.1:8888/callback", &[oauth::SCOPE])?;
//! println!("open {}", sign_in.url());
//! // ... the browser comes back to http://127.0.0.1:8888/callback?code=...&state=...
//! let tokens = sign_in.finish(&accounts, redirect_query).await?;
//! let token = RefreshingToken::from_tokens(accounts, tokens)
//!     .on_change(|tokens| { /* store tokens.refresh */ });
//! let client = SpotifyClient::new(token)?;
//! let page = client.fetch(&RecentlyPlayedQuery::new()).await?;
//! # Ok(()) }
//! ```

pub use client_support::oauth::{
    AuthError, Authorization, ClientCredentials, OAuthClient, REFRESH_MARGIN, RefreshingToken,
    RotationError, RotationFile, Tokens,
};
pub use client_support::{ClientSecret, RefreshToken};

use client_support::InvalidBaseUrl;
use client_support::oauth::{AuthorizationServer, ClientAuthentication};

/// Spotify's accounts service, where users sign in and tokens are issued.
pub const ACCOUNTS_BASE_URL: &str = "https://accounts.spotify.com";

/// The scope `GET /me/player/recently-played` needs.
pub const SCOPE: &str = "user-read-recently-played";

/// Spotify's authorization server: `{base}/authorize` and `{base}/api/token`, with
/// [`ACCOUNTS_BASE_URL`] unless `accounts_base_url` says otherwise (a simulation on
/// loopback: plain `http` is refused anywhere else). A secret goes in a Basic header.
///
/// ```
/// use spotify_web_api::oauth;
///
/// let real = oauth::authorization_server(None)?;
/// assert_eq!(real.token_url(), "https://accounts.spotify.com/api/token");
/// let local = oauth::authorization_server(Some("http://127.0.0.1:9000"))?;
/// assert_eq!(local.authorize_url(), "http://127.0.0.1:9000/authorize");
/// assert!(oauth::authorization_server(Some("http://accounts.example.com")).is_err());
/// # Ok::<(), spotify_web_api::InvalidBaseUrl>(())
/// ```
pub fn authorization_server(
    accounts_base_url: Option<&str>,
) -> Result<AuthorizationServer, InvalidBaseUrl> {
    let base = accounts_base_url
        .unwrap_or(ACCOUNTS_BASE_URL)
        .trim_end_matches('/');
    AuthorizationServer::new(
        "Spotify accounts",
        &format!("{base}/authorize"),
        &format!("{base}/api/token"),
        ClientAuthentication::BasicHeader,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoints_are_spotifys_or_a_loopback_simulations() {
        let real = authorization_server(None).unwrap();
        assert_eq!(
            real.authorize_url(),
            "https://accounts.spotify.com/authorize"
        );
        assert_eq!(real.token_url(), "https://accounts.spotify.com/api/token");
        let local = authorization_server(Some("http://127.0.0.1:9000/")).unwrap();
        assert_eq!(local.authorize_url(), "http://127.0.0.1:9000/authorize");
        assert_eq!(local.token_url(), "http://127.0.0.1:9000/api/token");
        assert!(authorization_server(Some("http://accounts.example.com")).is_err());
    }
}

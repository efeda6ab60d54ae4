//! Signing in with Login with Amazon and staying signed in: the Authorization Code grant,
//! with the security profile's client id and secret, and PKCE.
//!
//! [`authorization_server`] describes Login with Amazon; the rest is
//! `client_support::oauth`, re-exported here: [`OAuthClient::authorize`] starts a sign-in,
//! [`Authorization::finish`] completes it, and [`RefreshingToken`] keeps a client signed
//! in. LWA's access tokens last 3600 s.
//!
//! PKCE: Login with Amazon's "Authorization Code Grant" page lists `code_challenge` and
//! `code_challenge_method` as RECOMMENDED parameters, so every sign-in sends them (S256)
//! and the code exchange sends the verifier; the client secret is sent as well, as LWA
//! requires of a web security profile. The same page calls `redirect_uri` "the HTTPS
//! address" to send the user back to: whether LWA accepts a plain
//! `http://127.0.0.1:<port>` return URL registered in the security profile has not been
//! checked against the real service.
//!
//! ```no_run
//! use amazon_music_web_api::oauth::{self, ClientCredentials, ClientSecret, OAuthClient, RefreshingToken};
//! use amazon_music_web_api::{AmazonMusicClient, ApiKey};
//!
//! # fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let lwa = OAuthClient::new(
//!     oauth::authorization_server(None)?,
//!     ClientCredentials::confidential("amzn1.application-oa2-client.x", ClientSecret::new("...")),
//! )?;
//! let sign_in = lwa.authorize("http://127.0.0.1:8888/callback", &[oauth::HISTORY_SCOPE])?;
//! println!("open {}", sign_in.url());
//! # Ok(()) }
//! ```

pub use client_support::oauth::{
    AuthError, Authorization, ClientCredentials, OAuthClient, REFRESH_MARGIN, RefreshingToken,
    RotationError, RotationFile, Tokens,
};
pub use client_support::{ClientSecret, RefreshToken};

use client_support::InvalidBaseUrl;
use client_support::oauth::{AuthorizationServer, ClientAuthentication};

/// Where Login with Amazon asks the user to sign in and consent.
pub const AUTHORIZE_URL: &str = "https://www.amazon.com/ap/oa";

/// Where Login with Amazon issues and refreshes tokens.
pub const TOKEN_URL: &str = "https://api.amazon.com/auth/o2/token";

/// The scope of the recently played endpoints.
pub const HISTORY_SCOPE: &str = "music::history";

/// The scope `/users/{id}/recentlyPlayedEntities` needs as well.
pub const CATALOG_SCOPE: &str = "music::catalog";

/// Login with Amazon: [`AUTHORIZE_URL`] and [`TOKEN_URL`], or, given `auth_base_url` (a
/// simulation on loopback: plain `http` is refused anywhere else), `{base}/ap/oa` and
/// `{base}/auth/o2/token`. The client id and secret go in the form body.
///
/// ```
/// use amazon_music_web_api::oauth;
///
/// let real = oauth::authorization_server(None)?;
/// assert_eq!(real.authorize_url(), "https://www.amazon.com/ap/oa");
/// let local = oauth::authorization_server(Some("http://127.0.0.1:9000"))?;
/// assert_eq!(local.token_url(), "http://127.0.0.1:9000/auth/o2/token");
/// # Ok::<(), amazon_music_web_api::InvalidBaseUrl>(())
/// ```
pub fn authorization_server(
    auth_base_url: Option<&str>,
) -> Result<AuthorizationServer, InvalidBaseUrl> {
    let (authorize, token) = match auth_base_url {
        None => (AUTHORIZE_URL.to_string(), TOKEN_URL.to_string()),
        Some(base) => {
            let base = base.trim_end_matches('/');
            (format!("{base}/ap/oa"), format!("{base}/auth/o2/token"))
        }
    };
    AuthorizationServer::new(
        "Login with Amazon",
        &authorize,
        &token,
        ClientAuthentication::RequestBody,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoints_are_login_with_amazons_or_a_loopback_simulations() {
        let real = authorization_server(None).unwrap();
        assert_eq!(real.authorize_url(), AUTHORIZE_URL);
        assert_eq!(real.token_url(), TOKEN_URL);
        let local = authorization_server(Some("http://127.0.0.1:9000/")).unwrap();
        assert_eq!(local.authorize_url(), "http://127.0.0.1:9000/ap/oa");
        assert_eq!(local.token_url(), "http://127.0.0.1:9000/auth/o2/token");
        assert!(authorization_server(Some("http://www.amazon.example")).is_err());
    }
}

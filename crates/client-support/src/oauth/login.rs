//! Signing in: the authorization URL to open, and the redirect that comes back.

use std::borrow::Cow;
use std::fmt;
use std::net::IpAddr;

use oauth2::{CsrfToken, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope};

use super::client::OAuthClient;
use super::error::AuthError;
use super::tokens::Tokens;

/// A sign-in in progress: the URL to open in the user's browser, and what is needed to
/// check and finish the redirect that comes back. Made by [`OAuthClient::authorize`].
///
/// Every sign-in uses PKCE (S256) and a random `state`, whether or not the app has a
/// secret. `Debug` shows the URL (which carries only the challenge), never the verifier.
pub struct Authorization {
    url: url::Url,
    state: CsrfToken,
    verifier: PkceCodeVerifier,
    redirect: RedirectUrl,
}

impl OAuthClient {
    /// Starts a sign-in asking for `scopes`, with the browser sent back to `redirect_uri`:
    /// `http://<host>:<port>/<path>` to this machine, which a local listener can receive.
    /// The host is a loopback IP literal (what Spotify requires of apps on a user's
    /// machine: it refuses `localhost`) or `localhost` (Login with Amazon's one exception
    /// to https); which one a service accepts is the caller's choice.
    ///
    /// ```
    /// # use client_support::oauth::*;
    /// # let server = AuthorizationServer::new("Example", "https://a.example/authorize",
    /// #     "https://a.example/token", ClientAuthentication::RequestBody)?;
    /// let client = OAuthClient::new(server, ClientCredentials::public("id"))?;
    /// assert!(client.authorize("http://127.0.0.1:8888/callback", &["s"]).is_ok());
    /// assert!(client.authorize("http://localhost:8888/callback", &["s"]).is_ok());
    /// assert!(client.authorize("http://localhost/callback", &["s"]).is_err());
    /// assert!(client.authorize("http://example.com:8888/callback", &["s"]).is_err());
    /// assert!(client.authorize("https://example.com/callback", &["s"]).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn authorize(
        &self,
        redirect_uri: &str,
        scopes: &[&str],
    ) -> Result<Authorization, AuthError> {
        let invalid = || AuthError::InvalidRedirectUri {
            uri: redirect_uri.to_string(),
        };
        let parsed = url::Url::parse(redirect_uri).map_err(|_| invalid())?;
        let loopback = match parsed.host() {
            Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
            Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
            Some(url::Host::Domain(name)) => name == "localhost",
            None => false,
        };
        if parsed.scheme() != "http" || !loopback || parsed.port().is_none() {
            return Err(invalid());
        }
        let redirect = RedirectUrl::from_url(parsed);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state) = self
            .oauth()
            .authorize_url(CsrfToken::new_random)
            .add_scopes(scopes.iter().map(|scope| Scope::new(scope.to_string())))
            .set_pkce_challenge(challenge)
            .set_redirect_uri(Cow::Borrowed(&redirect))
            .url();
        Ok(Authorization {
            url,
            state,
            verifier,
            redirect,
        })
    }
}

impl Authorization {
    /// The URL to open in the user's browser.
    pub fn url(&self) -> &str {
        self.url.as_str()
    }

    /// Where the browser will be sent back.
    pub fn redirect_uri(&self) -> &str {
        self.redirect.as_str()
    }

    /// Finishes the sign-in with the query of the redirect the browser brought back
    /// (`code=...&state=...`, or `error=...`): checks `state`, then exchanges the code,
    /// with the PKCE verifier, for tokens.
    pub async fn finish(
        self,
        client: &OAuthClient,
        redirect_query: &str,
    ) -> Result<Tokens, AuthError> {
        let (mut code, mut state, mut error, mut description) = (None, None, None, None);
        for (key, value) in url::form_urlencoded::parse(redirect_query.as_bytes()) {
            let slot = match key.as_ref() {
                "code" => &mut code,
                "state" => &mut state,
                "error" => &mut error,
                "error_description" => &mut description,
                _ => continue,
            };
            slot.get_or_insert(value.into_owned());
        }
        // Checked first: an `error` with a forged `state` is not the server's either.
        if state.as_deref() != Some(self.state.secret().as_str()) {
            return Err(AuthError::StateMismatch);
        }
        let excerpt = |text: String| crate::error::excerpt(&text);
        if let Some(error) = error {
            return Err(AuthError::Denied {
                error: excerpt(error),
                description: description.map(excerpt),
            });
        }
        let code = code
            .filter(|code| !code.is_empty())
            .ok_or(AuthError::NoCode)?;
        client
            .exchange_code(code, self.verifier, &self.redirect)
            .await
    }
}

impl fmt::Debug for Authorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authorization")
            .field("url", &self.url.as_str())
            .finish_non_exhaustive()
    }
}

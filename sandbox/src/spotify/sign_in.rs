//! Signing in to the Spotify simulation: its accounts service, the tokens the API accepts, and
//! the test controls over both.

use std::time::Duration;

use super::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Spotify, SpotifySimulation, bad};
use crate::auth::{
    self, AuthServer, IssuedTokens, KeptRefreshToken, Presented, Provider, TokenGrants,
};
use crate::record::RecordedRequest;
use crate::server::Rejection;

/// The scope the recently-played endpoint needs.
const SCOPE: &str = "user-read-recently-played";

/// `https://accounts.spotify.com`, as the simulation serves it.
pub(super) const ACCOUNTS: Provider = Provider {
    authorize_path: "/authorize",
    token_path: "/api/token",
    client_id: DEFAULT_CLIENT_ID,
    client_secret: DEFAULT_CLIENT_SECRET,
    secret_required: false,
    full_scope: SCOPE,
    // Spotify's codes and refresh tokens begin with `AQ`, its access tokens with `BQ`.
    prefixes: ["AQ", "BQ", "AQ"],
    // Without PKCE, the refresh token has historically been kept and not sent back.
    confidential_refresh: KeptRefreshToken::Unsent,
    // Loopback IP literals only: `localhost` is refused (Spotify's redirect URI rules,
    // enforced since 2025-11-27).
    redirect_hosts: &["127.0.0.1", "[::1]"],
};

impl Spotify {
    /// The fixed token or an issued one (else `401`), with the scope (else `403`).
    pub(super) fn authorize(
        &self,
        request: &RecordedRequest,
        auth: &AuthServer,
    ) -> Result<(), Rejection> {
        let scope_granted = match auth.presented(request, &self.access_token) {
            Presented::Nothing => return Err(bad(401, "No token provided")),
            Presented::Invalid => return Err(bad(401, "Invalid access token")),
            Presented::Expired => return Err(bad(401, "The access token expired")),
            Presented::Fixed => self.scope_granted,
            Presented::Issued { scope } => auth::scope_includes(scope, SCOPE),
        };
        if scope_granted {
            Ok(())
        } else {
            Err(bad(403, "Insufficient client scope"))
        }
    }
}

impl SpotifySimulation {
    /// Where the simulated accounts service answers, `http://127.0.0.1:<port>` (no trailing
    /// slash; the real one is `https://accounts.spotify.com`): `GET /authorize` and
    /// `POST /api/token`.
    ///
    /// - `/authorize` takes `response_type=code`, `client_id` ([`DEFAULT_CLIENT_ID`]),
    ///   `redirect_uri`, and optionally `state`, `scope` (space-separated) and PKCE's
    ///   `code_challenge` with `code_challenge_method=S256`. As if the user had consented, it
    ///   answers `302` to `redirect_uri` with `code` and `state` added to its query (no
    ///   `state` if the request had none); after [`SpotifySimulation::deny_next_consent`],
    ///   with `error` and `state` instead. The redirect URI must be
    ///   `http://127.0.0.1[:port]/...` or `http://[::1][:port]/...` (Spotify's rule for local
    ///   apps; `localhost` is refused). Anything wrong is `400` with a line of text, and no
    ///   redirect. A code lasts 10 minutes and serves once: the first attempt to redeem it
    ///   spends it.
    /// - `/api/token` takes a form: `grant_type=authorization_code` with `code`,
    ///   `redirect_uri` (the same as at `/authorize`) and `code_verifier` (when a challenge was
    ///   sent), or `grant_type=refresh_token` with `refresh_token`; with `client_id` in the
    ///   form or HTTP Basic. The secret is optional (a PKCE app has none) but must be right
    ///   when sent, and a code requested without PKCE needs it. It answers
    ///   `{"access_token", "token_type": "Bearer", "expires_in", "refresh_token", "scope"}`.
    ///   Errors are RFC 6749 JSON: `invalid_request`, `invalid_grant`, `unsupported_grant_type`
    ///   (`400`), `invalid_client` (`401`).
    /// - A refresh without the secret (a PKCE app) rotates: it returns a new refresh token and
    ///   revokes the one used, which serves once (rspotify #396, quoting Spotify; knobby #2).
    ///   A refresh with the secret keeps the refresh token: the response has no
    ///   `refresh_token`, and the same one keeps working (Spotify's historical behaviour for
    ///   apps without PKCE). Refresh tokens last until revoked, unless
    ///   [`SpotifySimulation::set_refresh_token_lifetime`] says otherwise.
    ///
    /// Requests to these paths draw no [`Fault`](crate::Fault) and are logged apart, in
    /// [`SpotifySimulation::auth_requests`].
    ///
    /// ```
    /// use music_history_sandbox::spotify::{DEFAULT_CLIENT_ID, SpotifyHistory, SpotifySimulation};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sim = SpotifySimulation::start(SpotifyHistory::realistic(3, 1)).await;
    /// let http = client_support::http::client_builder().build()?; // follows no redirect
    /// let redirect_uri = "http://127.0.0.1:8888/callback";
    /// let consent = http
    ///     .get(format!("{}/authorize", sim.accounts_base_url()))
    ///     .query(&[
    ///         ("response_type", "code"),
    ///         ("client_id", DEFAULT_CLIENT_ID),
    ///         ("redirect_uri", redirect_uri),
    ///         ("scope", "user-read-recently-played"),
    ///         ("state", "xyz"),
    ///         ("code_challenge_method", "S256"),
    ///         // RFC 7636, appendix B: the challenge of the verifier below.
    ///         ("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
    ///     ])
    ///     .send()
    ///     .await?;
    /// assert_eq!(consent.status(), 302);
    /// let location = url::Url::parse(consent.headers()["location"].to_str()?)?;
    /// let code = location.query_pairs().find(|(key, _)| key == "code").unwrap().1;
    /// let form = url::form_urlencoded::Serializer::new(String::new())
    ///     .append_pair("grant_type", "authorization_code")
    ///     .append_pair("code", &code)
    ///     .append_pair("redirect_uri", redirect_uri)
    ///     .append_pair("client_id", DEFAULT_CLIENT_ID)
    ///     .append_pair("code_verifier", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
    ///     .finish();
    /// let tokens: serde_json::Value = http
    ///     .post(format!("{}/api/token", sim.accounts_base_url()))
    ///     .header("content-type", "application/x-www-form-urlencoded")
    ///     .body(form)
    ///     .send()
    ///     .await?
    ///     .json()
    ///     .await?;
    /// assert_eq!(tokens["token_type"], "Bearer");
    /// assert_eq!(sim.token_grants().authorization_code, 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn accounts_base_url(&self) -> &str {
        self.sim.origin()
    }

    /// The user refuses the next sign-in: the next authorization request that would have
    /// been given a code (its client, redirect URI and parameters right) is answered `302` to
    /// its `redirect_uri` with `error` and the request's `state` added to the query, and no
    /// code, as RFC 6749, 4.1.2.1 says and as Spotify does when the user declines
    /// (`error=access_denied`). Each call refuses one more request; a request answered
    /// `400` spends none. `error` is sent percent-encoded, as given; RFC 6749 names
    /// `access_denied`, `invalid_request`, `unauthorized_client`,
    /// `unsupported_response_type`, `invalid_scope`, `server_error` and
    /// `temporarily_unavailable`.
    ///
    /// ```
    /// use music_history_sandbox::spotify::{DEFAULT_CLIENT_ID, SpotifyHistory, SpotifySimulation};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), String> {
    /// let sim = SpotifySimulation::start(SpotifyHistory::realistic(1, 1)).await;
    /// sim.deny_next_consent("access_denied");
    /// let url = format!(
    ///     "{}/authorize?response_type=code&client_id={DEFAULT_CLIENT_ID}&state=s1\
    ///      &redirect_uri=http%3A%2F%2F127.0.0.1%3A8888%2Fcallback",
    ///     sim.accounts_base_url()
    /// );
    /// let back = music_history_sandbox::consent(&url).await?;
    /// assert_eq!(back.as_str(), "http://127.0.0.1:8888/callback?error=access_denied&state=s1");
    /// // Only the next one: the user consents to the sign-in after.
    /// let back = music_history_sandbox::consent(&url).await?;
    /// assert!(back.as_str().starts_with("http://127.0.0.1:8888/callback?code="));
    /// # Ok(())
    /// # }
    /// ```
    pub fn deny_next_consent(&self, error: &str) {
        self.sim.with_auth(|auth| auth.deny_next_consent(error));
    }

    /// Access tokens issued from now on last `lifetime` (default one hour, as Spotify's);
    /// tokens issued before keep theirs.
    ///
    /// ```
    /// use std::time::Duration;
    /// use music_history_sandbox::spotify::{SpotifyHistory, SpotifySimulation};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sim = SpotifySimulation::start(SpotifyHistory::realistic(3, 1)).await;
    /// sim.set_access_token_lifetime(Duration::from_secs(5));
    /// assert_eq!(sim.issue_tokens().expires_in, Duration::from_secs(5));
    /// # }
    /// ```
    pub fn set_access_token_lifetime(&self, lifetime: Duration) {
        self.sim
            .with_auth(|auth| auth.set_access_lifetime(lifetime));
    }

    /// Expires every access token issued so far: the API answers them `401` (`"The access
    /// token expired"`) from now on. The fixed token is not affected.
    ///
    /// ```
    /// use music_history_sandbox::spotify::{SpotifyHistory, SpotifySimulation};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sim = SpotifySimulation::start(SpotifyHistory::realistic(3, 1)).await;
    /// let tokens = sim.issue_tokens();
    /// sim.expire_access_tokens();
    /// let response = client_support::http::client_builder().build()?
    ///     .get(format!("{}/me/player/recently-played", sim.base_url()))
    ///     .bearer_auth(&tokens.access_token)
    ///     .send()
    ///     .await?;
    /// assert_eq!(response.status(), 401);
    /// # Ok(())
    /// # }
    /// ```
    pub fn expire_access_tokens(&self) {
        self.sim.with_auth(AuthServer::expire_access_tokens);
    }

    /// Refresh tokens stop working `lifetime` after the sign-in that began their chain (the
    /// authorization code grant, or [`SpotifySimulation::issue_tokens`]), however many
    /// refreshes came since: a rotated refresh token inherits the age of the one it replaces.
    /// This is Spotify's rule since 2026 (new apps from 2026-06-18, existing ones from
    /// 2026-07-20): a refresh token expires 6 months after the user authorized, and refreshing
    /// does not extend it (Spotify's "Refreshing tokens" page; its post of 2026-06-18). Past
    /// it, the token endpoint answers `400` `invalid_grant`, whose description says the
    /// refresh token expired: sign in again. It applies to the tokens issued before too.
    /// `None`, the default, lets refresh tokens work until revoked.
    ///
    /// ```
    /// use std::time::Duration;
    /// use music_history_sandbox::spotify::{DEFAULT_CLIENT_ID, SpotifyHistory, SpotifySimulation};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sim = SpotifySimulation::start(SpotifyHistory::realistic(3, 1)).await;
    /// let tokens = sim.issue_tokens();
    /// sim.set_refresh_token_lifetime(Some(Duration::ZERO)); // at Spotify: 6 months
    /// let response = client_support::http::client_builder().build()?
    ///     .post(format!("{}/api/token", sim.accounts_base_url()))
    ///     .header("content-type", "application/x-www-form-urlencoded")
    ///     .body(format!(
    ///         "grant_type=refresh_token&refresh_token={}&client_id={DEFAULT_CLIENT_ID}",
    ///         tokens.refresh_token
    ///     ))
    ///     .send()
    ///     .await?;
    /// assert_eq!(response.status(), 400);
    /// let error: serde_json::Value = response.json().await?;
    /// assert_eq!(error["error"], "invalid_grant");
    /// assert!(error["error_description"].as_str().unwrap().contains("refresh token expired"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_refresh_token_lifetime(&self, lifetime: Option<Duration>) {
        self.sim
            .with_auth(|auth| auth.set_refresh_lifetime(lifetime));
    }

    /// Revokes every refresh token issued so far: the token endpoint answers them
    /// `invalid_grant` from now on, as when the user removes the app's access.
    ///
    /// ```
    /// use music_history_sandbox::spotify::{DEFAULT_CLIENT_ID, SpotifyHistory, SpotifySimulation};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sim = SpotifySimulation::start(SpotifyHistory::realistic(3, 1)).await;
    /// let tokens = sim.issue_tokens();
    /// sim.revoke_refresh_tokens();
    /// let response = client_support::http::client_builder().build()?
    ///     .post(format!("{}/api/token", sim.accounts_base_url()))
    ///     .header("content-type", "application/x-www-form-urlencoded")
    ///     .body(format!(
    ///         "grant_type=refresh_token&refresh_token={}&client_id={DEFAULT_CLIENT_ID}",
    ///         tokens.refresh_token
    ///     ))
    ///     .send()
    ///     .await?;
    /// assert_eq!(response.status(), 400);
    /// let error: serde_json::Value = response.json().await?;
    /// assert_eq!(error["error"], "invalid_grant");
    /// # Ok(())
    /// # }
    /// ```
    pub fn revoke_refresh_tokens(&self) {
        self.sim.with_auth(AuthServer::revoke_refresh_tokens);
    }

    /// Issues tokens with the `user-read-recently-played` scope as if the user had just
    /// signed in (without counting a grant), for tests that start from a refresh token.
    ///
    /// ```
    /// use music_history_sandbox::spotify::{SpotifyHistory, SpotifySimulation};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sim = SpotifySimulation::start(SpotifyHistory::realistic(3, 1)).await;
    /// let tokens = sim.issue_tokens();
    /// let response = client_support::http::client_builder().build()?
    ///     .get(format!("{}/me/player/recently-played", sim.base_url()))
    ///     .bearer_auth(&tokens.access_token)
    ///     .send()
    ///     .await?;
    /// assert_eq!(response.status(), 200);
    /// # Ok(())
    /// # }
    /// ```
    pub fn issue_tokens(&self) -> IssuedTokens {
        self.sim.with_auth(AuthServer::issue_tokens)
    }

    /// How many times the token endpoint granted tokens so far, by grant type.
    ///
    /// ```
    /// use music_history_sandbox::spotify::{DEFAULT_CLIENT_ID, SpotifyHistory, SpotifySimulation};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sim = SpotifySimulation::start(SpotifyHistory::realistic(3, 1)).await;
    /// let tokens = sim.issue_tokens();
    /// client_support::http::client_builder().build()?
    ///     .post(format!("{}/api/token", sim.accounts_base_url()))
    ///     .header("content-type", "application/x-www-form-urlencoded")
    ///     .body(format!(
    ///         "grant_type=refresh_token&refresh_token={}&client_id={DEFAULT_CLIENT_ID}",
    ///         tokens.refresh_token
    ///     ))
    ///     .send()
    ///     .await?
    ///     .error_for_status()?;
    /// assert_eq!(sim.token_grants().refresh_token, 1);
    /// assert_eq!(sim.token_grants().authorization_code, 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn token_grants(&self) -> TokenGrants {
        self.sim.with_auth(|auth| auth.grants())
    }

    /// Every request to the accounts service so far, oldest first. They are not in
    /// [`SpotifySimulation::requests`] nor in [`SpotifySimulation::request_count`], which
    /// count the API's requests.
    ///
    /// ```
    /// use music_history_sandbox::spotify::{SpotifyHistory, SpotifySimulation};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sim = SpotifySimulation::start(SpotifyHistory::realistic(3, 1)).await;
    /// client_support::http::client_builder().build()?
    ///     .get(format!("{}/authorize", sim.accounts_base_url()))
    ///     .send()
    ///     .await?;
    /// assert_eq!(sim.auth_requests()[0].path, "/authorize");
    /// assert_eq!(sim.request_count(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn auth_requests(&self) -> Vec<RecordedRequest> {
        self.sim.auth_requests()
    }
}

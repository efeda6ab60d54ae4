//! Signing in to the Amazon Music simulation: its Login with Amazon, the tokens the API
//! accepts, and the test controls over both.

use std::time::Duration;

use super::{AmazonMusic, AmazonMusicSimulation, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Route};
use crate::auth::{
    self, AuthServer, IssuedTokens, KeptRefreshToken, Presented, Provider, TokenGrants,
};
use crate::record::RecordedRequest;
use crate::server::{Rejection, reject};

/// The scope of the two current-user methods.
const HISTORY: &str = "music::history";

/// The scope of `/users/{id}/recentlyPlayedEntities`.
const CATALOG: &str = "music::catalog";

/// `https://www.amazon.com/ap/oa` and `https://api.amazon.com/auth/o2/token`, as the
/// simulation serves them.
pub(super) const LOGIN_WITH_AMAZON: Provider = Provider {
    authorize_path: "/ap/oa",
    token_path: "/auth/o2/token",
    client_id: DEFAULT_CLIENT_ID,
    client_secret: DEFAULT_CLIENT_SECRET,
    secret_required: true,
    full_scope: "music::history music::catalog",
    // Login with Amazon's access tokens begin with `Atza|` and its refresh tokens with
    // `Atzr|`: a client that does not form-encode a refresh token sends a raw `|`.
    prefixes: ["AN", "Atza|", "Atzr|"],
    // "A refresh returns a new access token and, usually, a refresh token"; refresh tokens
    // are valid until revoked: the same one comes back.
    confidential_refresh: KeptRefreshToken::SentBack,
    // Login with Amazon's documents allow `localhost` over http (omniauth-amazon's notes);
    // whether it takes loopback IP literals is not public, and the sandbox accepts them.
    redirect_hosts: &["localhost", "127.0.0.1", "[::1]"],
};

impl Route {
    /// The scope the spec's `x-authorization-scope` gives the method.
    pub(super) fn scope(&self) -> &'static str {
        match self {
            Route::Tracks | Route::Entities { user: None } => HISTORY,
            Route::Entities { user: Some(_) } | Route::Track { .. } => CATALOG,
        }
    }
}

impl AmazonMusic {
    /// The token first (`401`), then the API key and the token's scope (`403`).
    pub(super) fn authorize(
        &self,
        request: &RecordedRequest,
        auth: &AuthServer,
        scope: &str,
    ) -> Result<(), Rejection> {
        let scope_granted = match auth.presented(request, &self.access_token) {
            Presented::Nothing => {
                return Err(reject(401, "UNAUTHORIZED", "Missing access token."));
            }
            Presented::Invalid | Presented::Expired => {
                return Err(reject(
                    401,
                    "INVALID_ACCESS_TOKEN",
                    "Access token is invalid or expired.",
                ));
            }
            Presented::Fixed => true,
            Presented::Issued { scope: granted } => auth::scope_includes(granted, scope),
        };
        match request.header("x-api-key") {
            Some(key) if key == self.api_key => {}
            Some(_) => return Err(reject(403, "FORBIDDEN", "Invalid x-api-key.")),
            None => return Err(reject(403, "FORBIDDEN", "Missing x-api-key.")),
        }
        if scope_granted {
            Ok(())
        } else {
            let message = format!("The access token lacks the scope {scope}.");
            Err(reject(403, "FORBIDDEN", message))
        }
    }
}

impl AmazonMusicSimulation {
    /// Where the simulated Login with Amazon answers, `http://127.0.0.1:<port>` (no trailing
    /// slash): `GET /ap/oa` (the real one at `https://www.amazon.com`) and
    /// `POST /auth/o2/token` (at `https://api.amazon.com`).
    ///
    /// - `/ap/oa` takes `response_type=code`, `client_id` ([`DEFAULT_CLIENT_ID`]),
    ///   `redirect_uri`, and optionally `state`, `scope` (space-separated: `music::history`,
    ///   `music::catalog`) and PKCE's `code_challenge` with `code_challenge_method=S256`. As
    ///   if the user had consented, it answers `302` to `redirect_uri` with `code` and `state`
    ///   added to its query (no `state` if the request had none); after
    ///   [`AmazonMusicSimulation::deny_next_consent`], with `error` and `state` instead. The
    ///   redirect URI must be `http://localhost[:port]/...`, `http://127.0.0.1[:port]/...` or
    ///   `http://[::1][:port]/...`. Anything wrong is `400` with a line of text, and no
    ///   redirect. A code lasts 10 minutes and serves once: the first attempt to redeem it
    ///   spends it.
    /// - `/auth/o2/token` takes a form: `grant_type=authorization_code` with `code`,
    ///   `redirect_uri` (the same as at `/ap/oa`) and `code_verifier` (when a challenge was
    ///   sent), or `grant_type=refresh_token` with `refresh_token`; always with `client_id`
    ///   and `client_secret` ([`DEFAULT_CLIENT_SECRET`]) in the form, or by HTTP Basic. It
    ///   answers `{"access_token", "token_type": "Bearer", "expires_in", "refresh_token",
    ///   "scope"}`. Errors are RFC 6749 JSON: `invalid_request`, `invalid_grant`,
    ///   `unsupported_grant_type` (`400`), `invalid_client` (`401`).
    /// - Since every request carries the secret, a refresh keeps the refresh token: the
    ///   response carries the same one back, and it keeps working (Login with Amazon's
    ///   documents: a refresh returns a new access token and "usually" a refresh token;
    ///   refresh tokens are valid until revoked). Unless
    ///   [`AmazonMusicSimulation::set_refresh_token_lifetime`] says otherwise.
    ///
    /// Requests to these paths draw no [`Fault`](crate::Fault) and are logged apart, in
    /// [`AmazonMusicSimulation::auth_requests`].
    ///
    /// ```
    /// use music_history_sandbox::amazon::{
    ///     AmazonMusicHistory, AmazonMusicSimulation, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET,
    /// };
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(3, 1)).await;
    /// let http = client_support::http::client_builder().build()?; // follows no redirect
    /// let redirect_uri = "http://127.0.0.1:8888/callback";
    /// let consent = http
    ///     .get(format!("{}/ap/oa", sim.auth_base_url()))
    ///     .query(&[
    ///         ("response_type", "code"),
    ///         ("client_id", DEFAULT_CLIENT_ID),
    ///         ("redirect_uri", redirect_uri),
    ///         ("scope", "music::history"),
    ///         ("state", "xyz"),
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
    ///     .append_pair("client_secret", DEFAULT_CLIENT_SECRET)
    ///     .finish();
    /// let tokens: serde_json::Value = http
    ///     .post(format!("{}/auth/o2/token", sim.auth_base_url()))
    ///     .header("content-type", "application/x-www-form-urlencoded")
    ///     .body(form)
    ///     .send()
    ///     .await?
    ///     .json()
    ///     .await?;
    /// assert_eq!(tokens["scope"], "music::history");
    /// assert_eq!(sim.token_grants().authorization_code, 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn auth_base_url(&self) -> &str {
        self.sim.origin()
    }

    /// The user refuses the next sign-in: the next authorization request that would have
    /// been given a code (its client, redirect URI and parameters right) is answered `302` to
    /// its `redirect_uri` with `error` and the request's `state` added to the query, and no
    /// code, as RFC 6749, 4.1.2.1 says and Login with Amazon documents (`error=access_denied`
    /// when the user declines). Each call refuses one more request; a request answered `400`
    /// spends none. `error` is sent percent-encoded, as given; RFC 6749 names
    /// `access_denied`, `invalid_request`, `unauthorized_client`,
    /// `unsupported_response_type`, `invalid_scope`, `server_error` and
    /// `temporarily_unavailable`.
    ///
    /// ```
    /// use music_history_sandbox::amazon::{
    ///     AmazonMusicHistory, AmazonMusicSimulation, DEFAULT_CLIENT_ID,
    /// };
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), String> {
    /// let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(1, 1)).await;
    /// sim.deny_next_consent("access_denied");
    /// let url = format!(
    ///     "{}/ap/oa?response_type=code&client_id={DEFAULT_CLIENT_ID}&state=s1&scope=music%3A%3Ahistory\
    ///      &redirect_uri=http%3A%2F%2Flocalhost%3A8888%2Fcallback",
    ///     sim.auth_base_url()
    /// );
    /// let back = music_history_sandbox::consent(&url).await?;
    /// assert_eq!(back.as_str(), "http://localhost:8888/callback?error=access_denied&state=s1");
    /// # Ok(())
    /// # }
    /// ```
    pub fn deny_next_consent(&self, error: &str) {
        self.sim.with_auth(|auth| auth.deny_next_consent(error));
    }

    /// Access tokens issued from now on last `lifetime` (default one hour, as Login with
    /// Amazon's); tokens issued before keep theirs.
    ///
    /// ```
    /// use std::time::Duration;
    /// use music_history_sandbox::amazon::{AmazonMusicHistory, AmazonMusicSimulation};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(3, 1)).await;
    /// sim.set_access_token_lifetime(Duration::from_secs(5));
    /// assert_eq!(sim.issue_tokens().expires_in, Duration::from_secs(5));
    /// # }
    /// ```
    pub fn set_access_token_lifetime(&self, lifetime: Duration) {
        self.sim
            .with_auth(|auth| auth.set_access_lifetime(lifetime));
    }

    /// Expires every access token issued so far: the API answers them `401`
    /// (`INVALID_ACCESS_TOKEN`) from now on. The fixed token is not affected.
    ///
    /// ```
    /// use music_history_sandbox::amazon::{
    ///     AmazonMusicHistory, AmazonMusicSimulation, DEFAULT_API_KEY,
    /// };
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(3, 1)).await;
    /// let tokens = sim.issue_tokens();
    /// sim.expire_access_tokens();
    /// let response = client_support::http::client_builder().build()?
    ///     .get(format!("{}/me/recentlyPlayedEntities", sim.base_url()))
    ///     .bearer_auth(&tokens.access_token)
    ///     .header("x-api-key", DEFAULT_API_KEY)
    ///     .send()
    ///     .await?;
    /// assert_eq!(response.status(), 401);
    /// # Ok(())
    /// # }
    /// ```
    pub fn expire_access_tokens(&self) {
        self.sim.with_auth(AuthServer::expire_access_tokens);
    }

    /// Refresh tokens stop working `lifetime` after the sign-in that began them (the
    /// authorization code grant, or [`AmazonMusicSimulation::issue_tokens`]), however many
    /// refreshes came since. Login with Amazon documents no such limit (its refresh tokens
    /// are valid until revoked); this is Spotify's 2026 rule (six months from the sign-in,
    /// not extended by refreshing), for testing one client against both. Past it, the token
    /// endpoint answers `400` `invalid_grant`, whose description says the refresh token
    /// expired. It applies to the tokens issued before too. `None`, the default, lets refresh
    /// tokens work until revoked.
    ///
    /// ```
    /// use std::time::Duration;
    /// use music_history_sandbox::amazon::{
    ///     AmazonMusicHistory, AmazonMusicSimulation, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET,
    /// };
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(3, 1)).await;
    /// let tokens = sim.issue_tokens();
    /// sim.set_refresh_token_lifetime(Some(Duration::ZERO));
    /// let form = url::form_urlencoded::Serializer::new(String::new())
    ///     .append_pair("grant_type", "refresh_token")
    ///     .append_pair("refresh_token", &tokens.refresh_token)
    ///     .append_pair("client_id", DEFAULT_CLIENT_ID)
    ///     .append_pair("client_secret", DEFAULT_CLIENT_SECRET)
    ///     .finish();
    /// let response = client_support::http::client_builder().build()?
    ///     .post(format!("{}/auth/o2/token", sim.auth_base_url()))
    ///     .header("content-type", "application/x-www-form-urlencoded")
    ///     .body(form)
    ///     .send()
    ///     .await?;
    /// assert_eq!(response.status(), 400);
    /// let error: serde_json::Value = response.json().await?;
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
    /// use music_history_sandbox::amazon::{
    ///     AmazonMusicHistory, AmazonMusicSimulation, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET,
    /// };
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(3, 1)).await;
    /// let tokens = sim.issue_tokens();
    /// sim.revoke_refresh_tokens();
    /// let form = url::form_urlencoded::Serializer::new(String::new())
    ///     .append_pair("grant_type", "refresh_token")
    ///     .append_pair("refresh_token", &tokens.refresh_token)
    ///     .append_pair("client_id", DEFAULT_CLIENT_ID)
    ///     .append_pair("client_secret", DEFAULT_CLIENT_SECRET)
    ///     .finish();
    /// let response = client_support::http::client_builder().build()?
    ///     .post(format!("{}/auth/o2/token", sim.auth_base_url()))
    ///     .header("content-type", "application/x-www-form-urlencoded")
    ///     .body(form)
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

    /// Issues tokens with both scopes (`music::history music::catalog`) as if the user had
    /// just signed in (without counting a grant), for tests that start from a refresh token.
    ///
    /// ```
    /// use music_history_sandbox::amazon::{
    ///     AmazonMusicHistory, AmazonMusicSimulation, DEFAULT_API_KEY,
    /// };
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(3, 1)).await;
    /// let tokens = sim.issue_tokens();
    /// assert!(tokens.refresh_token.starts_with("Atzr|"));
    /// let response = client_support::http::client_builder().build()?
    ///     .get(format!("{}/player/recentlyPlayed", sim.base_url()))
    ///     .bearer_auth(&tokens.access_token)
    ///     .header("x-api-key", DEFAULT_API_KEY)
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
    /// use music_history_sandbox::amazon::{AmazonMusicHistory, AmazonMusicSimulation};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(3, 1)).await;
    /// sim.issue_tokens(); // not a grant: no request was made
    /// assert_eq!(sim.token_grants(), Default::default());
    /// # }
    /// ```
    pub fn token_grants(&self) -> TokenGrants {
        self.sim.with_auth(|auth| auth.grants())
    }

    /// Every request to Login with Amazon so far, oldest first. They are not in
    /// [`AmazonMusicSimulation::requests`] nor in [`AmazonMusicSimulation::request_count`],
    /// which count the API's requests.
    ///
    /// ```
    /// use music_history_sandbox::amazon::{AmazonMusicHistory, AmazonMusicSimulation};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(3, 1)).await;
    /// client_support::http::client_builder().build()?
    ///     .post(format!("{}/auth/o2/token", sim.auth_base_url()))
    ///     .send()
    ///     .await?;
    /// assert_eq!(sim.auth_requests()[0].method, "POST");
    /// assert_eq!(sim.request_count(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn auth_requests(&self) -> Vec<RecordedRequest> {
        self.sim.auth_requests()
    }
}

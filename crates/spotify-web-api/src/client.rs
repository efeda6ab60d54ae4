//! The client users construct and call.

use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;

use client_support::{BaseUrl, RetryPolicy, TokenSource};
use reqwest::StatusCode;

use crate::error::Error;
use crate::generated::Client;
use crate::hooks::HookContext;
use crate::query::{Limit, RecentlyPlayedQuery};
use crate::types::CursorPagedPlayHistory;

/// A client for Spotify's `GET /me/player/recently-played`.
///
/// Cloning is cheap and clones share the connection pool and the token source. `Debug`
/// shows the base URL and the retry policy, never the token.
///
/// ```
/// use spotify_web_api::{AccessToken, SpotifyClient};
///
/// let client = SpotifyClient::new(AccessToken::new("BQD-secret"))?;
/// assert!(!format!("{client:?}").contains("BQD-secret"));
/// # Ok::<(), spotify_web_api::Error>(())
/// ```
#[derive(Clone)]
pub struct SpotifyClient {
    generated: Client,
    base_url: BaseUrl,
}

/// What one request returned: a page of plays, or Spotify's documented `204 No Content`
/// for a user in a private session.
#[derive(Clone, Debug, PartialEq)]
pub enum RecentlyPlayed {
    /// A page of plays, newest first.
    Page(CursorPagedPlayHistory),
    /// The user has "Private Session" enabled: Spotify returns no history (`204`).
    PrivateSession,
}

impl RecentlyPlayed {
    /// The page, or `None` in a private session.
    pub fn into_page(self) -> Option<CursorPagedPlayHistory> {
        match self {
            Self::Page(page) => Some(page),
            Self::PrivateSession => None,
        }
    }

    /// Whether Spotify answered `204` because the user is in a private session.
    pub fn is_private_session(&self) -> bool {
        matches!(self, Self::PrivateSession)
    }
}

/// Where requests go unless [`SpotifyClientBuilder::base_url`] says otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.spotify.com/v1";

/// The `User-Agent` of the default HTTP client: this crate and its version.
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

impl SpotifyClient {
    /// A client for the real API, with no retries, asking `token` for the access token on
    /// every request: pass an [`AccessToken`](crate::AccessToken), a
    /// [`SharedToken`](crate::SharedToken) to refresh later, or a closure. Fails only if the
    /// HTTP client cannot be built (its TLS backend fails to initialise).
    pub fn new(token: impl TokenSource) -> Result<Self, Error> {
        Self::builder(token).build()
    }

    /// A builder, to set the base URL, the retry policy or the HTTP client.
    ///
    /// ```
    /// use spotify_web_api::{RetryPolicy, SharedToken, SpotifyClient};
    ///
    /// let token = SharedToken::new("BQD-secret");
    /// let client = SpotifyClient::builder(token.clone())
    ///     .base_url("http://127.0.0.1:8080/v1")
    ///     .retry(RetryPolicy::new(3))
    ///     .build()?;
    /// assert_eq!(client.base_url(), "http://127.0.0.1:8080/v1");
    ///
    /// // Tokens go only over https, or plain http to this machine.
    /// let refused = SpotifyClient::builder(token).base_url("http://api.example.com/v1").build();
    /// assert!(matches!(refused, Err(spotify_web_api::Error::InvalidBaseUrl(_))));
    /// # Ok::<(), spotify_web_api::Error>(())
    /// ```
    pub fn builder(token: impl TokenSource) -> SpotifyClientBuilder {
        SpotifyClientBuilder {
            token: Arc::new(token),
            base_url: DEFAULT_BASE_URL.to_string(),
            retry: RetryPolicy::none(),
            http: None,
        }
    }

    /// The base URL requests go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        self.base_url.as_str()
    }

    /// One request: the plays `query` selects, or [`RecentlyPlayed::PrivateSession`].
    ///
    /// To walk more than one page, see [`SpotifyClient::history`].
    pub async fn recently_played(
        &self,
        query: impl Into<RecentlyPlayedQuery>,
    ) -> Result<RecentlyPlayed, Error> {
        let query = query.into();
        let (after, before) = query.window.params();
        let limit = query.limit.map(non_zero);
        match self
            .generated
            .get_recently_played(after, before, limit)
            .await
        {
            Ok(page) => Ok(RecentlyPlayed::Page(page.into_inner())),
            // The 204 was removed from the in-memory spec (progenitor cannot generate a
            // bodyless 204 beside a JSON 200), so it arrives as an unexpected response.
            Err(progenitor_client::Error::UnexpectedResponse(response))
                if response.status() == StatusCode::NO_CONTENT =>
            {
                Ok(RecentlyPlayed::PrivateSession)
            }
            Err(e) => Err(Error::from_generated(e).await),
        }
    }
}

// `Limit` is at least 1, so adding `limit - 1` to one is exact and cannot saturate.
const _: () = assert!(Limit::MIN.get() == 1);
fn non_zero(limit: Limit) -> NonZeroU32 {
    NonZeroU32::MIN.saturating_add(limit.get() - 1)
}

impl fmt::Debug for SpotifyClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpotifyClient")
            .field("base_url", &self.base_url)
            .field("retry", &self.generated.inner.retry)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// Configures a [`SpotifyClient`]; made by [`SpotifyClient::builder`].
pub struct SpotifyClientBuilder {
    token: Arc<dyn TokenSource>,
    base_url: String,
    retry: RetryPolicy,
    http: Option<reqwest::Client>,
}

impl SpotifyClientBuilder {
    /// Sends requests to `url` instead of [`DEFAULT_BASE_URL`] (a local
    /// sandbox, a test server). [`build`](Self::build) refuses anything but `https`, or
    /// plain `http` to a loopback address, so that the token never travels in clear text.
    pub fn base_url(mut self, url: &str) -> Self {
        self.base_url = url.to_string();
        self
    }

    /// Retries requests that get 429, a 5xx or a transport failure, as `policy` allows.
    /// The default is [`RetryPolicy::none`].
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sends requests with `client` (for its proxy, TLS or timeout settings) instead of the
    /// default: HTTPS through rustls (the `rustls` feature), 10 s to connect, 30 s per
    /// request, and no redirects (the API documents none, and one to another host would
    /// carry the token with it).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The client; fails if the base URL is refused or the HTTP client cannot be built.
    pub fn build(self) -> Result<SpotifyClient, Error> {
        let base_url = BaseUrl::parse(&self.base_url)?;
        let http = match self.http {
            Some(client) => client,
            None => client_support::http::client_builder()
                .user_agent(USER_AGENT)
                .build()?,
        };
        let hooks = HookContext {
            token: self.token,
            retry: self.retry,
        };
        Ok(SpotifyClient {
            generated: Client::new_with_client(base_url.as_str(), http, hooks),
            base_url,
        })
    }
}

impl fmt::Debug for SpotifyClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpotifyClientBuilder")
            .field("base_url", &self.base_url)
            .field("retry", &self.retry)
            .field("token", &"<redacted>")
            .finish_non_exhaustive()
    }
}

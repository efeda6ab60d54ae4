//! The client users construct and call: one page with `fetch`.

use std::fmt;
use std::sync::Arc;

use client_support::http::ClientOptions;
use client_support::send::{Presentation, RequestContext, Sender};
use client_support::{BaseUrl, Operation, RetryPolicy, TokenSource};

use crate::error::Error;
use crate::generated::Client;
use crate::types::CursorPagedPlayHistory;

/// Where requests go unless [`SpotifyClientBuilder::base_url`] says otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.spotify.com/v1";

/// The name requests carry in their `tracing` spans (`service = "spotify"`).
pub const SERVICE: &str = "spotify";

/// The query parameters that say which page a request asks for.
const CURSOR_PARAMETERS: &[&str] = &["before", "after"];

/// The `User-Agent` of the default HTTP client: this crate and its version.
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A client for Spotify's `GET /me/player/recently-played`.
///
/// Cloning is cheap and clones share the connection pool and the token source. `Debug`
/// shows the base URL and the retry policy, never the token.
///
/// ```
/// use spotify_web_api::{AccessToken, SpotifyClient};
///
/// let client = SpotifyClient::new(AccessToken::new("BQD-secret")?)?;
/// assert!(!format!("{client:?}").contains("BQD-secret"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct SpotifyClient {
    http: reqwest::Client,
    base_url: BaseUrl,
    pub(crate) sender: Sender,
    /// The page budget of a walk, if set on the builder.
    pub(crate) max_pages: Option<usize>,
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

impl SpotifyClient {
    /// A client for the real API, with the default retry policy ([`RetryPolicy::default`]:
    /// a request sent at most 3 times), asking `token` for the access token on
    /// every request: an [`AccessToken`](crate::AccessToken), a
    /// [`SharedToken`](crate::SharedToken) to refresh later, or a closure. Fails only if the
    /// HTTP client cannot be built (its TLS backend fails to initialise).
    pub fn new(token: impl TokenSource) -> Result<Self, Error> {
        Self::builder(token).build()
    }

    /// A builder, to set the base URL, the retry policy or the HTTP client.
    ///
    /// ```
    /// use spotify_web_api::{AccessToken, RetryPolicy, SharedToken, SpotifyClient};
    ///
    /// let token = SharedToken::new(AccessToken::new("BQD-secret")?);
    /// let client = SpotifyClient::builder(token.clone())
    ///     .base_url("http://127.0.0.1:8080/v1")
    ///     .retry(RetryPolicy::new(3))
    ///     .build()?;
    /// assert_eq!(client.base_url(), "http://127.0.0.1:8080/v1");
    ///
    /// // Tokens go only over https, or plain http to this machine.
    /// let refused = SpotifyClient::builder(token).base_url("http://api.example.com/v1").build();
    /// assert!(matches!(refused, Err(spotify_web_api::Error::InvalidBaseUrl(_))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder(token: impl TokenSource) -> SpotifyClientBuilder {
        SpotifyClientBuilder {
            token: Arc::new(token),
            options: ClientOptions::new(DEFAULT_BASE_URL),
        }
    }

    /// The base URL requests go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        self.base_url.as_str()
    }

    /// One request: the page of plays `query` selects, or
    /// [`RecentlyPlayed::PrivateSession`].
    ///
    /// To walk more than one page, see [`SpotifyClient::history`].
    pub async fn fetch<O>(&self, query: &O) -> Result<O::Response, Error>
    where
        O: Operation<Self, Error = Error>,
    {
        query.send(self).await
    }

    /// The generated client for one call, its credential in `context`.
    pub(crate) fn generated(&self, context: RequestContext) -> Client {
        Client::new_with_client(self.base_url.as_str(), self.http.clone(), context)
    }
}

impl fmt::Debug for SpotifyClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpotifyClient")
            .field("base_url", &self.base_url)
            .field("sender", &self.sender)
            .finish()
    }
}

/// Configures a [`SpotifyClient`]; made by [`SpotifyClient::builder`].
#[must_use = "a builder does nothing until `.build()`"]
pub struct SpotifyClientBuilder {
    token: Arc<dyn TokenSource>,
    options: ClientOptions,
}

impl SpotifyClientBuilder {
    client_support::client_options!();

    /// The client; fails if the base URL is refused or the HTTP client cannot be built.
    pub fn build(self) -> Result<SpotifyClient, Error> {
        let connection = self.options.connect(USER_AGENT)?;
        let sender = Sender::new(
            SERVICE,
            self.token,
            Presentation::Bearer,
            self.options.retry,
            self.options.max_body_bytes,
        )
        .cursor_parameters(CURSOR_PARAMETERS);
        Ok(SpotifyClient {
            http: connection.http,
            base_url: connection.base_url,
            sender,
            max_pages: self.options.max_pages,
        })
    }
}

impl fmt::Debug for SpotifyClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpotifyClientBuilder")
            .field("options", &self.options)
            .field("token", &format_args!("<redacted>"))
            .finish()
    }
}

//! The client users construct and call: one request with `fetch`.

use std::fmt;
use std::sync::Arc;

use client_support::http::ClientOptions;
use client_support::send::{Presentation, RequestContext, Sender};
use client_support::{BaseUrl, Operation, RetryPolicy, TokenSource};

use crate::error::Error;
use crate::generated::Client;

/// Where requests go unless [`ListenBrainzClientBuilder::base_url`] says otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.listenbrainz.org";

/// The name requests carry in their `tracing` spans (`service = "listenbrainz"`).
pub const SERVICE: &str = "listenbrainz";

/// The query parameters that say which page a request asks for.
const CURSOR_PARAMETERS: &[&str] = &["min_ts", "max_ts"];

/// The `User-Agent` of the default HTTP client: this crate and its version.
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A client for ListenBrainz's listen history: `GET /1/user/{user_name}/listens`,
/// `/listen-count` and `GET /1/validate-token`.
///
/// It sends the user token as ListenBrainz takes it, `Authorization: Token <token>`. The
/// history methods need no token at all (the server never reads it there), but validating
/// one does, and a token on the allow-list of a server raises its rate limit.
///
/// Cloning is cheap and clones share the connection pool and the token source. `Debug`
/// shows the base URL and the retry policy, never the token.
///
/// ```
/// use listenbrainz_api::{AccessToken, ListenBrainzClient};
///
/// let client = ListenBrainzClient::new(AccessToken::new("3f2a-user-token")?)?;
/// assert!(!format!("{client:?}").contains("3f2a"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct ListenBrainzClient {
    http: reqwest::Client,
    base_url: BaseUrl,
    pub(crate) sender: Sender,
    /// The page budget of a walk, if set on the builder.
    pub(crate) max_pages: Option<usize>,
}

impl ListenBrainzClient {
    /// A client for the real API with the default retry policy ([`RetryPolicy::default`]:
    /// a request sent at most 3 times, a `429` waiting its `X-RateLimit-Reset-In`), with the
    /// user token from `token`: an [`AccessToken`](crate::AccessToken), a
    /// [`SharedToken`](crate::SharedToken), or a closure. Fails only if the HTTP client
    /// cannot be built (its TLS backend fails to initialise).
    pub fn new(token: impl TokenSource) -> Result<Self, Error> {
        Self::builder(token).build()
    }

    /// A builder, to set the base URL, the retry policy or the HTTP client.
    ///
    /// ```
    /// use listenbrainz_api::{AccessToken, ListenBrainzClient, RetryPolicy};
    ///
    /// let token = AccessToken::new("3f2a-user-token")?;
    /// let client = ListenBrainzClient::builder(token.clone())
    ///     .base_url("http://127.0.0.1:8080")
    ///     .retry(RetryPolicy::new(3))
    ///     .build()?;
    /// assert_eq!(client.base_url(), "http://127.0.0.1:8080");
    ///
    /// // Tokens go only over https, or plain http to this machine.
    /// let refused = ListenBrainzClient::builder(token).base_url("http://lb.example.com").build();
    /// assert!(matches!(refused, Err(listenbrainz_api::Error::InvalidBaseUrl(_))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder(token: impl TokenSource) -> ListenBrainzClientBuilder {
        ListenBrainzClientBuilder {
            token: Arc::new(token),
            options: ClientOptions::new(DEFAULT_BASE_URL),
        }
    }

    /// The base URL requests go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        self.base_url.as_str()
    }

    /// One request, as `query` says: a page of listens ([`ListensQuery`](crate::ListensQuery)),
    /// a user's number of listens ([`ListenCountQuery`](crate::ListenCountQuery)), or what
    /// the token is ([`ValidateTokenQuery`](crate::ValidateTokenQuery)).
    ///
    /// To walk more than one page, see [`ListenBrainzClient::history`].
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

impl fmt::Debug for ListenBrainzClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListenBrainzClient")
            .field("base_url", &self.base_url)
            .field("sender", &self.sender)
            .finish()
    }
}

/// Configures a [`ListenBrainzClient`]; made by [`ListenBrainzClient::builder`].
#[must_use = "a builder does nothing until `.build()`"]
pub struct ListenBrainzClientBuilder {
    token: Arc<dyn TokenSource>,
    options: ClientOptions,
}

impl ListenBrainzClientBuilder {
    client_support::client_options!();

    /// The client; fails if the base URL is refused or the HTTP client cannot be built.
    pub fn build(self) -> Result<ListenBrainzClient, Error> {
        let connection = self.options.connect(USER_AGENT)?;
        let sender = Sender::new(
            SERVICE,
            self.token,
            Presentation::Scheme("Token"),
            self.options.retry,
            self.options.max_body_bytes,
        )
        .cursor_parameters(CURSOR_PARAMETERS);
        Ok(ListenBrainzClient {
            http: connection.http,
            base_url: connection.base_url,
            sender,
            max_pages: self.options.max_pages,
        })
    }
}

impl fmt::Debug for ListenBrainzClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListenBrainzClientBuilder")
            .field("options", &self.options)
            .field("token", &format_args!("<redacted>"))
            .finish()
    }
}

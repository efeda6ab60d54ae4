//! The client users construct and call: one page with `fetch`.

use std::fmt;
use std::sync::Arc;

use client_support::http::ClientOptions;
use client_support::send::{Presentation, RequestContext, Sender};
use client_support::{ApiKey, BaseUrl, RetryPolicy, TokenSource};

use crate::Error;
use crate::generated::Client;
use crate::path_id::TrackId;
use crate::query::TrackQuery;
use crate::types;
use client_support::Operation;

/// Where the Amazon Music Web API lives: `/v1` is part of the base URL, as in the Web API
/// overview (see the spec's description).
pub const DEFAULT_BASE_URL: &str = "https://api.music.amazon.dev/v1";

/// The name requests carry in their `tracing` spans (`service = "amazon_music"`).
pub const SERVICE: &str = "amazon_music";

/// The `User-Agent` of the default HTTP client: this crate and its version.
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A client of the Amazon Music Web API player history.
///
/// Every request carries `Authorization: Bearer <token>` (asked of the [`TokenSource`] for
/// each request, so a refreshed token needs no new client) and `x-api-key: <security
/// profile ID>`, both marked sensitive; neither appears in `Debug` output or errors.
/// Cloning is cheap and clones share the connection pool.
///
/// ```
/// use amazon_music_web_api::{AccessToken, AmazonMusicClient, ApiKey};
///
/// let client = AmazonMusicClient::new(AccessToken::new("Atza|secret")?, ApiKey::new("amzn1.application.x")?)?;
/// assert!(!format!("{client:?}").contains("Atza|secret"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct AmazonMusicClient {
    http: reqwest::Client,
    base_url: BaseUrl,
    pub(crate) sender: Sender,
    /// The page budget of a walk, if set on the builder.
    pub(crate) max_pages: Option<usize>,
}

/// The header that carries the API key.
const API_KEY_HEADER: &str = "x-api-key";

impl AmazonMusicClient {
    /// A client of [`DEFAULT_BASE_URL`] sending `token` and `api_key` (the Login with Amazon
    /// security profile ID), with the default retry policy ([`RetryPolicy::default`]: a request
    /// sent at most 3 times). Fails only if the HTTP client cannot be built.
    pub fn new(token: impl TokenSource, api_key: ApiKey) -> Result<Self, Error> {
        Self::builder(token, api_key).build()
    }

    /// A builder, to set the base URL, the retry policy or the HTTP client.
    ///
    /// ```
    /// use std::time::Duration;
    /// use amazon_music_web_api::{AccessToken, AmazonMusicClient, ApiKey, RetryPolicy, SharedToken};
    ///
    /// let token = SharedToken::new(AccessToken::new("Atza|...")?);
    /// let client = AmazonMusicClient::builder(token.clone(), ApiKey::new("amzn1.application.x")?)
    ///     .base_url("http://127.0.0.1:8080/v1")
    ///     .retry(RetryPolicy::new(3).max_total_wait(Duration::from_secs(20)))
    ///     .build()?;
    /// assert_eq!(client.base_url(), "http://127.0.0.1:8080/v1");
    /// // Later, after refreshing: the same client sends the new token.
    /// token.replace(AccessToken::new("Atza|refreshed")?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder(token: impl TokenSource, api_key: ApiKey) -> AmazonMusicClientBuilder {
        AmazonMusicClientBuilder {
            token: Arc::new(token),
            api_key,
            options: ClientOptions::new(DEFAULT_BASE_URL),
        }
    }

    /// The base URL requests go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        self.base_url.as_str()
    }

    /// One request: the page a history query asks for (`query.from.cursor`; the newest
    /// page when `None`), or the track a [`TrackQuery`] names, as the service sent it.
    ///
    /// To walk more than one page, see [`AmazonMusicClient::history`].
    ///
    /// ```no_run
    /// use amazon_music_web_api::{AmazonMusicClient, Entry, TracksLimit, TracksQuery};
    ///
    /// # async fn run(client: AmazonMusicClient) -> Result<(), Box<dyn std::error::Error>> {
    /// let page = client.fetch(&TracksQuery::new().limit(TracksLimit::new(10)?)).await?;
    /// for edge in page.edges().iter().filter_map(Entry::item) {
    ///     println!("{}  {}", edge.played_at, edge.node.title.as_deref().unwrap_or("?"));
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn fetch<O>(&self, query: &O) -> Result<O::Response, Error>
    where
        O: Operation<Self, Error = Error>,
    {
        query.send(self).await
    }

    /// The catalog's track `id` (`GET /tracks/{id}`, scope `music::catalog`): its title,
    /// album, artists, duration in seconds, ISRC and more; `None` when the answer holds no
    /// track. A track the catalog does not know is [`Error::NotFound`]; a token without the
    /// scope, [`Error::Forbidden`]. One request; to choose the media type, `fetch` a
    /// [`TrackQuery`].
    ///
    /// ```no_run
    /// use amazon_music_web_api::{AmazonMusicClient, TrackId};
    ///
    /// # async fn run(client: AmazonMusicClient) -> Result<(), Box<dyn std::error::Error>> {
    /// if let Some(track) = client.track(TrackId::new("B076YT2CBT")?).await? {
    ///     let artists: Vec<_> = track.artists.iter().filter_map(|a| a.name.as_deref()).collect();
    ///     println!("{} by {}", track.title.as_deref().unwrap_or("?"), artists.join(", "));
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn track(&self, id: TrackId) -> Result<Option<types::CatalogTrack>, Error> {
        let response = self.fetch(&TrackQuery::new(id)).await?;
        Ok(response.data.track)
    }

    /// The generated client for one call, its credential in `context`.
    pub(crate) fn generated(&self, context: RequestContext) -> Client {
        Client::new_with_client(self.base_url.as_str(), self.http.clone(), context)
    }
}

impl fmt::Debug for AmazonMusicClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AmazonMusicClient")
            .field("base_url", &self.base_url)
            .field("sender", &self.sender)
            .finish()
    }
}

/// Configures an [`AmazonMusicClient`]; made by [`AmazonMusicClient::builder`].
#[must_use = "a builder does nothing until `.build()`"]
pub struct AmazonMusicClientBuilder {
    token: Arc<dyn TokenSource>,
    api_key: ApiKey,
    options: ClientOptions,
}

impl AmazonMusicClientBuilder {
    client_support::client_options!();

    /// The client; fails if the base URL is refused or the HTTP client cannot be built.
    pub fn build(self) -> Result<AmazonMusicClient, Error> {
        let connection = self.options.connect(USER_AGENT)?;
        let sender = Sender::new(
            SERVICE,
            self.token,
            Presentation::BearerAndKey {
                header: API_KEY_HEADER,
                key: self.api_key,
            },
            self.options.retry,
            self.options.max_body_bytes,
        )
        .cursor_parameters(&["cursor"]);
        Ok(AmazonMusicClient {
            http: connection.http,
            base_url: connection.base_url,
            sender,
            max_pages: self.options.max_pages,
        })
    }
}

impl fmt::Debug for AmazonMusicClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AmazonMusicClientBuilder")
            .field("options", &self.options)
            .field("token", &format_args!("<redacted>"))
            .field("api_key", &self.api_key)
            .finish()
    }
}

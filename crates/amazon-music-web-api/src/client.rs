//! The client: construction, the three operations, and the three history walks.

use std::fmt;
use std::sync::Arc;

use client_support::{ApiKey, BaseUrl, PageWalk, ResumePoint, RetryPolicy, TokenSource};

use crate::error::from_generated;
use crate::generated::Client;
use crate::history::{History, entity_page, track_page};
use crate::hooks::HookContext;
use crate::query::{EntitiesLimit, EntitiesQuery, EntityTypes, TracksLimit, TracksQuery, nonzero};
use crate::{Error, path, types};

/// Where the Amazon Music Web API lives: `/v1` is part of the base URL, as in the Web API
/// overview (see the spec's description).
pub const DEFAULT_BASE_URL: &str = "https://api.music.amazon.dev/v1";

/// The `User-Agent` of the default HTTP client: this crate and its version.
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A client of the Amazon Music Web API player history.
///
/// Every request carries `Authorization: Bearer <token>` (asked of the [`TokenSource`] for
/// each request, so a refreshed token needs no new client) and `x-api-key: <security
/// profile ID>`, both marked sensitive; neither appears in `Debug` output or errors.
/// Cloning is cheap and clones share the connection pool.
///
/// ```no_run
/// use amazon_music_web_api::{AccessToken, AmazonMusicClient};
///
/// let client = AmazonMusicClient::new(AccessToken::new("Atza|..."), "amzn1.application.…")?;
/// # Ok::<(), amazon_music_web_api::Error>(())
/// ```
#[derive(Clone)]
pub struct AmazonMusicClient {
    api: Client,
}

impl AmazonMusicClient {
    /// A client of [`DEFAULT_BASE_URL`] sending `token` and `api_key` (the Login with Amazon
    /// security profile ID), without retries. Fails only if the HTTP client cannot be built.
    pub fn new(token: impl TokenSource, api_key: impl Into<ApiKey>) -> Result<Self, Error> {
        Self::builder(token, api_key).build()
    }

    /// A builder, for another base URL, a retry policy or a custom HTTP client.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use amazon_music_web_api::{AmazonMusicClient, RetryPolicy, SharedToken};
    ///
    /// let token = SharedToken::new("Atza|...");
    /// let client = AmazonMusicClient::builder(token.clone(), "amzn1.application.…")
    ///     .base_url("http://127.0.0.1:8080/v1")
    ///     .retry(RetryPolicy::new(3).max_total_wait(Duration::from_secs(20)))
    ///     .build()?;
    /// // Later, after refreshing: the same client sends the new token.
    /// token.replace("Atza|refreshed");
    /// # Ok::<(), amazon_music_web_api::Error>(())
    /// ```
    pub fn builder(
        token: impl TokenSource,
        api_key: impl Into<ApiKey>,
    ) -> AmazonMusicClientBuilder {
        AmazonMusicClientBuilder {
            token: Arc::new(token),
            api_key: api_key.into(),
            base_url: DEFAULT_BASE_URL.to_string(),
            retry: RetryPolicy::none(),
            http_client: None,
        }
    }

    /// The base URL requests go to (without a trailing `/`).
    pub fn base_url(&self) -> &str {
        &self.api.baseurl
    }

    /// One page of the current user's recently played tracks (`GET /player/recentlyPlayed`,
    /// scope `music::history`).
    ///
    /// The edges are at `data.user.recentTrackPlayback.edges`, and the next page's cursor
    /// at `…pageInfo.token`; [`track_history`](Self::track_history) walks them all.
    pub async fn recently_played_tracks(
        &self,
        query: &TracksQuery,
    ) -> Result<types::RecentlyPlayedTracksResponse, Error> {
        match self
            .api
            .get_recently_played_tracks(cursor(&query.cursor)?.as_ref(), nonzero(query.limit))
            .await
        {
            Ok(response) => Ok(response.into_inner()),
            Err(error) => Err(from_generated(error, None).await),
        }
    }

    /// One page of the entities the current user played recently
    /// (`GET /me/recentlyPlayedEntities`, scope `music::history`).
    pub async fn my_recently_played_entities(
        &self,
        query: &EntitiesQuery,
    ) -> Result<types::RecentlyPlayedEntitiesResponse, Error> {
        let entity_types = query.entity_types.to_parameter();
        match self
            .api
            .get_my_recently_played_entities(
                cursor(&query.cursor)?.as_ref(),
                entity_types.as_ref(),
                nonzero(query.limit),
            )
            .await
        {
            Ok(response) => Ok(response.into_inner()),
            Err(error) => Err(from_generated(error, None).await),
        }
    }

    /// One page of the entities the user `user_id` played recently
    /// (`GET /users/{id}/recentlyPlayedEntities`, scope `music::catalog`).
    ///
    /// `user_id` is sent as exactly one path segment equal to itself, whatever it contains
    /// (`/`, `?`, `#`, `%`, spaces, any Unicode). An ID that cannot be sent that way (empty,
    /// `.`, `..`, or containing `\`) is refused with [`Error::InvalidPathParameter`] and
    /// nothing is sent.
    pub async fn user_recently_played_entities(
        &self,
        user_id: &str,
        query: &EntitiesQuery,
    ) -> Result<types::RecentlyPlayedEntitiesResponse, Error> {
        let id = path::user_id(user_id)?;
        let entity_types = query.entity_types.to_parameter();
        match self
            .api
            .get_user_recently_played_entities(
                &id,
                cursor(&query.cursor)?.as_ref(),
                entity_types.as_ref(),
                nonzero(query.limit),
            )
            .await
        {
            Ok(response) => Ok(response.into_inner()),
            Err(error) => Err(from_generated(error, Some(("id", user_id))).await),
        }
    }

    /// The current user's recently played tracks, edge after edge, from `from`
    /// ([`ResumePoint::start`] for the newest) to the oldest the service keeps.
    ///
    /// `page_size` is each request's `limit` (`None`: the service's default, 60).
    pub fn track_history(
        &self,
        page_size: Option<TracksLimit>,
        from: ResumePoint<String>,
    ) -> History<types::TrackPlaybackEdge> {
        let api = self.api.clone();
        History::new(PageWalk::new(from, move |cursor: Option<String>| {
            let client = Self { api: api.clone() };
            async move {
                let query = TracksQuery {
                    limit: page_size,
                    cursor,
                };
                track_page(client.recently_played_tracks(&query).await?)
            }
        }))
    }

    /// The entities the current user played recently, edge after edge, from `from`
    /// ([`ResumePoint::start`] for the newest).
    ///
    /// `entity_types` restricts the kinds (empty: every kind); `page_size` is each request's
    /// `limit` (`None`: the service's default, 100).
    pub fn my_entity_history(
        &self,
        entity_types: &EntityTypes,
        page_size: Option<EntitiesLimit>,
        from: ResumePoint<String>,
    ) -> History<types::EntityPlaybackEdge> {
        self.entity_history(None, entity_types, page_size, from)
    }

    /// The entities the user `user_id` played recently, edge after edge, from `from`
    /// ([`ResumePoint::start`] for the newest).
    ///
    /// As [`my_entity_history`](Self::my_entity_history); an ID that cannot be sent as one
    /// path segment makes the walk yield [`Error::InvalidPathParameter`] first, having sent
    /// nothing.
    pub fn user_entity_history(
        &self,
        user_id: &str,
        entity_types: &EntityTypes,
        page_size: Option<EntitiesLimit>,
        from: ResumePoint<String>,
    ) -> History<types::EntityPlaybackEdge> {
        self.entity_history(Some(user_id.to_string()), entity_types, page_size, from)
    }

    fn entity_history(
        &self,
        user_id: Option<String>,
        entity_types: &EntityTypes,
        page_size: Option<EntitiesLimit>,
        from: ResumePoint<String>,
    ) -> History<types::EntityPlaybackEdge> {
        let api = self.api.clone();
        let entity_types = entity_types.clone();
        History::new(PageWalk::new(from, move |cursor: Option<String>| {
            let client = Self { api: api.clone() };
            let user_id = user_id.clone();
            let query = EntitiesQuery {
                entity_types: entity_types.clone(),
                limit: page_size,
                cursor,
            };
            async move {
                let response = match &user_id {
                    Some(id) => client.user_recently_played_entities(id, &query).await?,
                    None => client.my_recently_played_entities(&query).await?,
                };
                entity_page(response)
            }
        }))
    }
}

impl fmt::Debug for AmazonMusicClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AmazonMusicClient")
            .field("base_url", &self.api.baseurl)
            .field("hooks", &self.api.inner)
            .finish_non_exhaustive()
    }
}

/// Builds an [`AmazonMusicClient`]; see [`AmazonMusicClient::builder`].
#[must_use = "a builder does nothing until `.build()`"]
pub struct AmazonMusicClientBuilder {
    token: Arc<dyn TokenSource>,
    api_key: ApiKey,
    base_url: String,
    retry: RetryPolicy,
    http_client: Option<reqwest::Client>,
}

impl AmazonMusicClientBuilder {
    /// Sends requests to `url` instead of [`DEFAULT_BASE_URL`]. It must be `https`, or
    /// plain `http` to a loopback address (a local sandbox); [`build`](Self::build) refuses
    /// anything else with [`Error::InvalidBaseUrl`], so credentials never travel in clear.
    pub fn base_url(mut self, url: &str) -> Self {
        self.base_url = url.to_string();
        self
    }

    /// Retries rate-limited (429, honouring `Retry-After`), failed (5xx) and lost requests
    /// as `policy` allows. The default is [`RetryPolicy::none`].
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sends requests with `client` (its timeouts, proxy, TLS and redirect settings).
    ///
    /// Without one: HTTPS through rustls (the `rustls` feature), 30 s per request (10 s to
    /// connect), and no redirects: the API documents none, and a redirect to another host
    /// would carry the `x-api-key` header with it.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Checks the base URL and builds the client.
    pub fn build(self) -> Result<AmazonMusicClient, Error> {
        let base_url = BaseUrl::parse(&self.base_url)?;
        let base_path = reqwest::Url::parse(base_url.as_str())
            .map(|url| url.path().trim_end_matches('/').to_string())
            .unwrap_or_default();
        let http = match self.http_client {
            Some(client) => client,
            None => client_support::http::client_builder()
                .user_agent(USER_AGENT)
                .build()?,
        };
        let hooks = HookContext::new(self.token, self.api_key, self.retry, base_path);
        Ok(AmazonMusicClient {
            api: Client::new_with_client(base_url.as_str(), http, hooks),
        })
    }
}

impl fmt::Debug for AmazonMusicClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AmazonMusicClientBuilder")
            .field("token", &format_args!("<redacted>"))
            .field("api_key", &self.api_key)
            .field("base_url", &self.base_url)
            .field("retry", &self.retry)
            .field("http_client", &self.http_client.is_some())
            .finish()
    }
}

/// The cursor as the generated methods take it: a type that refuses an empty string (the
/// spec's `minLength: 1`). Stopgap until the query refuses one itself: an empty cursor is
/// refused here, unsent, as the service would refuse it.
fn cursor<C: TryFrom<String>>(cursor: &Option<String>) -> Result<Option<C>, Error> {
    cursor
        .clone()
        .map(C::try_from)
        .transpose()
        .map_err(|_| Error::InvalidPathParameter {
            parameter: "cursor",
            value: String::new(),
            reason: "is empty: leave the cursor out for the first page",
        })
}

//! A token source that stays signed in: it refreshes before expiry and after a `401`, one
//! refresh at a time, and hands rotated tokens to the caller to store.

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use futures_core::future::BoxFuture;

use super::client::OAuthClient;
use super::error::AuthError;
use super::tokens::Tokens;
use crate::scrub::Scrubber;
use crate::secret::{AccessToken, RefreshToken, TokenSource};

/// How long before its expiry an access token is replaced: a request never starts with a
/// token that could expire on the way.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(60);

type OnChange = Arc<dyn Fn(&Tokens) + Send + Sync>;
type Reload = Arc<dyn Fn() -> Option<Tokens> + Send + Sync>;

/// A [`TokenSource`] that holds a refresh token and obtains access tokens with it as
/// needed: before the first request, [`REFRESH_MARGIN`] before expiry, and once after the
/// service answers `401`. Concurrent requests that need a new token share one refresh.
/// When the server rotates the refresh token, the new one replaces the old, and both are
/// handed to [`RefreshingToken::on_change`]'s callback, to be stored.
///
/// A refresh token the server refuses (`invalid_grant`) makes each request fail with
/// [`AuthError::SignInAgain`], unless [`RefreshingToken::reload_on_refusal`] finds that
/// another process rotated it meanwhile. Cloning is cheap; clones share the tokens. `Debug`
/// shows no token.
///
/// ```no_run
/// use client_support::RefreshToken;
/// use client_support::oauth::*;
///
/// # fn server() -> AuthorizationServer { unimplemented!() }
/// let client = OAuthClient::new(server(), ClientCredentials::public("my-client-id"))?;
/// let token = RefreshingToken::new(client, RefreshToken::new("AQD-stored"))
///     .on_change(|tokens| println!("store the refresh token now (not printed: {tokens:?})"));
/// // Give `token` to a client's `new` or `builder`, as any token source.
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct RefreshingToken {
    client: Arc<OAuthClient>,
    state: Arc<RwLock<State>>,
    /// Held while a refresh is under way, so that concurrent requests wait for it.
    flight: Arc<tokio::sync::Mutex<()>>,
    on_change: Option<OnChange>,
    reload: Option<Reload>,
}

struct State {
    /// `None` until the first refresh, when made from a refresh token alone.
    tokens: Option<Tokens>,
    refresh: RefreshToken,
}

impl RefreshingToken {
    /// Starts from a stored refresh token: the first request refreshes.
    pub fn new(client: OAuthClient, refresh: RefreshToken) -> Self {
        Self::with_state(
            client,
            State {
                tokens: None,
                refresh,
            },
        )
    }

    /// Starts from the tokens a sign-in or an earlier run obtained: the access token is
    /// used until it is about to expire or is refused.
    pub fn from_tokens(client: OAuthClient, tokens: Tokens) -> Self {
        let refresh = tokens.refresh.clone();
        Self::with_state(
            client,
            State {
                tokens: Some(tokens),
                refresh,
            },
        )
    }

    fn with_state(client: OAuthClient, state: State) -> Self {
        Self {
            client: Arc::new(client),
            state: Arc::new(RwLock::new(state)),
            flight: Arc::new(tokio::sync::Mutex::new(())),
            on_change: None,
            reload: None,
        }
    }

    /// Calls `on_change` with the new tokens after every refresh (a rotated refresh token
    /// is in them), so that they can be stored. It runs inside the refresh: keep it short.
    pub fn on_change(mut self, on_change: impl Fn(&Tokens) + Send + Sync + 'static) -> Self {
        self.on_change = Some(Arc::new(on_change));
        self
    }

    /// When the server refuses the refresh token (`invalid_grant`), asks `reload` for the
    /// tokens stored now before giving up: where several processes share one stored
    /// sign-in and the server rotates refresh tokens (each single use), another process
    /// may have used this one and stored its successor. Tokens with another refresh token
    /// are taken (their access token too, if still usable; else they are refreshed once);
    /// `None`, or the same refresh token, is [`AuthError::SignInAgain`] as before.
    ///
    /// ```no_run
    /// use client_support::RefreshToken;
    /// use client_support::oauth::*;
    ///
    /// # fn server() -> AuthorizationServer { unimplemented!() }
    /// # fn read_stored_tokens() -> Option<Tokens> { None }
    /// let client = OAuthClient::new(server(), ClientCredentials::public("my-client-id"))?;
    /// let token = RefreshingToken::new(client, RefreshToken::new("AQD-stored"))
    ///     .reload_on_refusal(read_stored_tokens);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reload_on_refusal(
        mut self,
        reload: impl Fn() -> Option<Tokens> + Send + Sync + 'static,
    ) -> Self {
        self.reload = Some(Arc::new(reload));
        self
    }

    /// The tokens held now, if a refresh or a sign-in obtained any.
    pub fn tokens(&self) -> Option<Tokens> {
        self.read(|state| state.tokens.clone())
    }

    fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        // The state is replaced whole, so a poisoned lock still holds a consistent one.
        f(&self.state.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// The access token, if there is one not about to expire.
    fn usable(&self) -> Option<AccessToken> {
        self.read(|state| {
            let tokens = state.tokens.as_ref()?;
            (!tokens.expires_within(REFRESH_MARGIN)).then(|| tokens.access.clone())
        })
    }

    /// Refreshes now; the caller holds `flight`.
    async fn refresh(&self) -> Result<AccessToken, AuthError> {
        let refresh = self.read(|state| state.refresh.clone());
        match self.client.refresh(&refresh).await {
            Ok(tokens) => Ok(self.take(tokens, &refresh)),
            Err(refused) if refused.must_sign_in_again() => {
                let Some(stored) = self
                    .reload
                    .as_ref()
                    .and_then(|reload| reload())
                    .filter(|stored| stored.refresh != refresh)
                else {
                    return Err(refused);
                };
                tracing::info!(
                    server = self.client.server().name(),
                    "refresh token refused; another process had rotated it: using its successor"
                );
                let usable =
                    (!stored.expires_within(REFRESH_MARGIN)).then(|| stored.access.clone());
                {
                    let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
                    state.refresh = stored.refresh.clone();
                    state.tokens = Some(stored.clone());
                }
                match usable {
                    Some(access) => Ok(access),
                    None => {
                        let tokens = self.client.refresh(&stored.refresh).await?;
                        Ok(self.take(tokens, &stored.refresh))
                    }
                }
            }
            Err(e) => Err(e),
        }
    }

    /// Keeps the tokens of a refresh made with `used`, and hands them to `on_change`.
    fn take(&self, tokens: Tokens, used: &RefreshToken) -> AccessToken {
        let rotated = tokens.refresh != *used;
        tracing::info!(
            server = self.client.server().name(),
            rotated,
            expires_in_s = tokens
                .expires_at
                .and_then(|at| at.duration_since(std::time::SystemTime::now()).ok())
                .map(|left| left.as_secs()),
            "access token refreshed"
        );
        {
            let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
            state.refresh = tokens.refresh.clone();
            state.tokens = Some(tokens.clone());
        }
        if let Some(on_change) = &self.on_change {
            on_change(&tokens);
        }
        tokens.access
    }
}

impl TokenSource for RefreshingToken {
    fn access_token(&self) -> BoxFuture<'_, Result<AccessToken, AuthError>> {
        Box::pin(async move {
            if let Some(token) = self.usable() {
                return Ok(token);
            }
            let _flight = self.flight.lock().await;
            // Another request may have refreshed while this one waited.
            match self.usable() {
                Some(token) => Ok(token),
                None => self.refresh().await,
            }
        })
    }

    fn refresh_rejected<'a>(
        &'a self,
        rejected: &'a AccessToken,
    ) -> BoxFuture<'a, Option<Result<AccessToken, AuthError>>> {
        Box::pin(async move {
            let _flight = self.flight.lock().await;
            let current = self.read(|state| state.tokens.as_ref().map(|t| t.access.clone()));
            Some(match current {
                // Already replaced by a refresh that finished while this request waited.
                Some(current) if current != *rejected => Ok(current),
                _ => self.refresh().await,
            })
        })
    }

    fn add_secrets_to(&self, scrubber: Scrubber) -> Scrubber {
        let scrubber = self.client.add_secret_to(scrubber);
        self.read(|state| {
            let scrubber = scrubber.with(state.refresh.expose());
            match &state.tokens {
                Some(tokens) => scrubber.with(tokens.access.expose()),
                None => scrubber,
            }
        })
    }
}

impl fmt::Debug for RefreshingToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshingToken")
            .field("client", &self.client)
            .field("tokens", &self.read(|state| state.tokens.clone()))
            .finish_non_exhaustive()
    }
}

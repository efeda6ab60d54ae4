//! The OAuth 2.0 authorization servers the two services sign in with (Spotify's accounts
//! service, Login with Amazon), served on each simulation's own port beside its API: the
//! authorization code grant (RFC 6749, 4.1) with PKCE (RFC 7636, `S256` only) and the refresh
//! token grant (RFC 6749, 6).
//!
//! Refresh tokens are handed out as the services hand them out (public reports, gathered in
//! the project's notes on the real services):
//!
//! - A refresh by a public client (one that sends no secret: a PKCE app) rotates: a new
//!   refresh token comes back and the one used is revoked, single use (rspotify #396, quoting
//!   Spotify; knobby #2).
//! - A refresh by a confidential client (one that authenticates with its secret) keeps its
//!   refresh token; what the response says about it is the provider's
//!   [`KeptRefreshToken`]: nothing at Spotify (historically, without PKCE), the same token
//!   back at Login with Amazon (whose documents say a refresh returns "usually" a refresh
//!   token, valid until revoked).
//! - A refresh token may be given a fixed lifetime counted from the sign-in that began its
//!   chain (the authorization code grant, or `issue_tokens`), which no refresh extends:
//!   Spotify's rule since 2026, six months after the user authorized (Spotify's "Refreshing
//!   tokens" page; its post of 2026-06-18). Past it, `invalid_grant`: sign in again.
//!
//! The user consents at once, unless a test said the next sign-in is to be refused: then the
//! authorization endpoint redirects with an RFC 6749, 4.1.2.1 `error` (`access_denied`, as
//! when the user clicks "Cancel") and the request's `state`, and issues no code.
//!
//! One [`AuthServer`] per simulation holds every code and token it issued; a [`Provider`] says
//! what differs between the services (paths, the registered client, what tokens look like,
//! what a confidential refresh answers). The API side asks [`AuthServer::presented`] what a
//! request's bearer token is, and decides what to answer in its own service's words.

mod endpoints;

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::random::{BASE62, Rng};
use crate::record::RecordedRequest;

/// Access tokens last an hour at both services.
const DEFAULT_ACCESS_LIFETIME: Duration = Duration::from_secs(3600);

/// RFC 6749, 4.1.2: "A maximum authorization code lifetime of 10 minutes is RECOMMENDED."
const CODE_LIFETIME: Duration = Duration::from_secs(600);

/// Random characters after a token's prefix and unique part.
const TOKEN_TAIL: usize = 40;

/// What one service's authorization server is: where it answers, which client it knows, and
/// what its tokens look like.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Provider {
    /// The authorization endpoint's path, e.g. `/authorize`.
    pub(crate) authorize_path: &'static str,
    /// The token endpoint's path, e.g. `/api/token`.
    pub(crate) token_path: &'static str,
    /// The one registered client.
    pub(crate) client_id: &'static str,
    /// Its secret.
    pub(crate) client_secret: &'static str,
    /// Whether the client must always send its secret (Login with Amazon), or may redeem a
    /// PKCE code and refresh without it (a Spotify PKCE app has no secret to keep).
    pub(crate) secret_required: bool,
    /// The scopes `issue_tokens` grants: all the API needs.
    pub(crate) full_scope: &'static str,
    /// How the service's authorization codes, access tokens and refresh tokens begin.
    pub(crate) prefixes: [&'static str; 3],
    /// What a refresh by a client that sent its secret answers about the refresh token it
    /// keeps (a refresh without the secret rotates it).
    pub(crate) confidential_refresh: KeptRefreshToken,
    /// The hosts a redirect URI may name over plain http (a local app's listener).
    pub(crate) redirect_hosts: &'static [&'static str],
}

/// What the token endpoint's answer to a confidential client's refresh (one authenticated
/// with the client secret) says about the refresh token, which stays valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeptRefreshToken {
    /// No `refresh_token` in the response: the client goes on with the one it has (Spotify,
    /// for apps that refresh with their secret).
    Unsent,
    /// The same refresh token back in `refresh_token` (Login with Amazon).
    SentBack,
}

/// Tokens a simulation's authorization server issued, as its token endpoint returns them.
///
/// ```
/// use music_history_sandbox::spotify::{SpotifyHistory, SpotifySimulation};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let sim = SpotifySimulation::start(SpotifyHistory::realistic(3, 1)).await;
/// let tokens = sim.issue_tokens();
/// assert_ne!(tokens.access_token, tokens.refresh_token);
/// assert_eq!(tokens.expires_in.as_secs(), 3600);
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedTokens {
    /// The bearer token the API accepts until it expires.
    pub access_token: String,
    /// The token that buys the next access token: once if the refresh is by a public client
    /// (no secret: it is rotated), as often as wanted by a confidential one (until revoked,
    /// or past the refresh token lifetime set on the simulation).
    pub refresh_token: String,
    /// How long the access token lasts from its issue (the response's `expires_in`, which
    /// counts whole seconds).
    pub expires_in: Duration,
}

/// How many times a simulation's token endpoint granted tokens, by grant type.
///
/// ```
/// use music_history_sandbox::TokenGrants;
///
/// let none = TokenGrants::default();
/// assert_eq!((none.authorization_code, none.refresh_token), (0, 0));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TokenGrants {
    /// Successful `grant_type=authorization_code` requests: sign-ins.
    pub authorization_code: usize,
    /// Successful `grant_type=refresh_token` requests: refreshes.
    pub refresh_token: usize,
}

/// What an API request presents as its access token.
pub(crate) enum Presented<'a> {
    /// No `Authorization` header.
    Nothing,
    /// The service's fixed token (`DEFAULT_ACCESS_TOKEN` or what `set_access_token` set).
    Fixed,
    /// A token this server issued and that has not expired, granting `scope`.
    Issued { scope: &'a str },
    /// A token this server issued that has expired.
    Expired,
    /// Anything else: another scheme, or a token nobody issued.
    Invalid,
}

/// Whether space-separated `scope` (as OAuth writes scopes) includes `wanted`.
pub(crate) fn scope_includes(scope: &str, wanted: &str) -> bool {
    scope.split(' ').any(|granted| granted == wanted)
}

/// A code issued at the authorization endpoint, waiting to be redeemed.
struct PendingCode {
    redirect_uri: String,
    scope: String,
    /// The PKCE `code_challenge` (`S256`), if the client sent one.
    challenge: Option<String>,
    expires_at: Instant,
}

struct AccessGrant {
    scope: String,
    expires_at: Instant,
}

/// What a live refresh token renews, and since when its chain has lasted.
#[derive(Clone)]
struct RefreshGrant {
    scope: String,
    /// When the sign-in that began the chain happened: rotations hand this on.
    signed_in_at: Instant,
}

/// One simulation's authorization server: everything it issued, and its test settings.
pub(crate) struct AuthServer {
    provider: Provider,
    rng: Rng,
    access_lifetime: Duration,
    /// How long a refresh token chain lasts from its sign-in; `None`: until revoked.
    refresh_lifetime: Option<Duration>,
    codes: HashMap<String, PendingCode>,
    /// Every access token issued, expired ones included: an expired token has its own answer.
    access: HashMap<String, AccessGrant>,
    /// The live refresh tokens; a rotated or revoked one is removed.
    refresh: HashMap<String, RefreshGrant>,
    grants: TokenGrants,
    /// The `error` codes the coming authorization requests that could be redirected are
    /// answered with, in place of a code: one each, oldest first.
    denials: VecDeque<String>,
}

impl AuthServer {
    pub(crate) fn new(provider: Provider) -> Self {
        // Tokens need not be reproducible, only unique (see `fresh`); the clock and a count of
        // servers keep two simulations from issuing the same ones.
        static STARTED: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos() as u64);
        let nth = STARTED.fetch_add(1, Ordering::Relaxed);
        Self {
            provider,
            rng: Rng::new(nanos ^ nth.rotate_left(32)),
            access_lifetime: DEFAULT_ACCESS_LIFETIME,
            refresh_lifetime: None,
            codes: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            grants: TokenGrants::default(),
            denials: VecDeque::new(),
        }
    }

    /// Whether `path` is one of this server's endpoints (and not the API's).
    pub(crate) fn serves(&self, path: &str) -> bool {
        path == self.provider.authorize_path || path == self.provider.token_path
    }

    /// What `request`'s `Authorization: Bearer` token is, `fixed` being the service's own.
    pub(crate) fn presented(&self, request: &RecordedRequest, fixed: &str) -> Presented<'_> {
        let Some(value) = request.header("authorization") else {
            return Presented::Nothing;
        };
        let token = value
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token);
        match token {
            None => Presented::Invalid,
            Some(token) if token == fixed => Presented::Fixed,
            Some(token) => match self.access.get(token) {
                None => Presented::Invalid,
                Some(grant) if Instant::now() >= grant.expires_at => Presented::Expired,
                Some(grant) => Presented::Issued {
                    scope: &grant.scope,
                },
            },
        }
    }

    /// Access tokens issued from now on last `lifetime`; those issued before keep theirs.
    pub(crate) fn set_access_lifetime(&mut self, lifetime: Duration) {
        self.access_lifetime = lifetime;
    }

    /// Refresh tokens stop working `lifetime` after the sign-in that began their chain, those
    /// issued before included; `None`: they work until revoked.
    pub(crate) fn set_refresh_lifetime(&mut self, lifetime: Option<Duration>) {
        self.refresh_lifetime = lifetime;
    }

    /// Every access token issued so far expires now.
    pub(crate) fn expire_access_tokens(&mut self) {
        let now = Instant::now();
        for grant in self.access.values_mut() {
            grant.expires_at = grant.expires_at.min(now);
        }
    }

    /// Every refresh token issued so far stops working.
    pub(crate) fn revoke_refresh_tokens(&mut self) {
        self.refresh.clear();
    }

    /// The next authorization request that can be redirected (its client and redirect URI
    /// known, the rest of it valid) is answered with `error` instead of a code; each call
    /// refuses one more.
    pub(crate) fn deny_next_consent(&mut self, error: &str) {
        self.denials.push_back(error.to_owned());
    }

    /// Tokens for the provider's full scope, as if the user had just signed in.
    pub(crate) fn issue_tokens(&mut self) -> IssuedTokens {
        self.issue(self.provider.full_scope.to_owned(), Instant::now())
    }

    pub(crate) fn grants(&self) -> TokenGrants {
        self.grants
    }

    /// A new access token and refresh token, both for `scope`, beginning a chain at `now`.
    fn issue(&mut self, scope: String, now: Instant) -> IssuedTokens {
        let access_token = self.new_access_token(&scope, now);
        let refresh_token = self.new_refresh_token(RefreshGrant {
            scope,
            signed_in_at: now,
        });
        IssuedTokens {
            access_token,
            refresh_token,
            expires_in: self.access_lifetime,
        }
    }

    /// A new access token for `scope`, lasting the access token lifetime from `now`.
    fn new_access_token(&mut self, scope: &str, now: Instant) -> String {
        let token = self.fresh(self.provider.prefixes[1]);
        let grant = AccessGrant {
            scope: scope.to_owned(),
            expires_at: now + self.access_lifetime,
        };
        self.access.insert(token.clone(), grant);
        token
    }

    fn new_refresh_token(&mut self, grant: RefreshGrant) -> String {
        let token = self.fresh(self.provider.prefixes[2]);
        self.refresh.insert(token.clone(), grant);
        token
    }

    /// A code or token never issued before: SplitMix64 steps its state by a constant and mixes
    /// it with a bijection, so its outputs do not repeat within 2^64 draws, and each token
    /// starts with one of them.
    fn fresh(&mut self, prefix: &str) -> String {
        let unique = self.rng.next_u64();
        let tail = self.rng.string(BASE62, TOKEN_TAIL);
        format!("{prefix}{unique:016x}{tail}")
    }
}

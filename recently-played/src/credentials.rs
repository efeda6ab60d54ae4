//! Whose credentials a walk sends, from the first place that has them: an access token in
//! the environment, a refresh token in the environment, the sign-in `login` stored, or
//! none (the sandbox's).

use client_support::oauth::{AuthError, AuthorizationServer, ClientCredentials, OAuthClient};
use client_support::oauth::{RefreshingToken, RotationFile, Tokens};
use client_support::scrub::Scrubber;
use client_support::{AccessToken, ClientSecret, InvalidBaseUrl, RefreshToken, TokenSource};
use futures_util::future::BoxFuture;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use crate::env_var;
use crate::service::Service;
use crate::token_file::{self, StoredSignIn, StoredToken};

/// How a user gives the program their credentials for a service: an OAuth sign-in in the
/// browser (Spotify, Amazon Music), or a token they copy from the service and paste into
/// `login` (ListenBrainz).
pub(crate) enum Authorization {
    /// Signing in through the service's authorization server; later runs refresh.
    OAuth(SignIn),
    /// A user token that does not expire, checked with the service when pasted.
    UserToken(UserToken),
}

impl Authorization {
    /// The OAuth sign-in, for a service that has one.
    pub(crate) fn oauth(&self) -> Option<&SignIn> {
        match self {
            Self::OAuth(sign_in) => Some(sign_in),
            Self::UserToken(_) => None,
        }
    }

    /// The variables of how a user signs in, in `--help`'s order (an API key aside: it goes
    /// with every request, see [`SignIn::api_key_var`]).
    pub(crate) fn variables(&self) -> Vec<&'static str> {
        match self {
            Self::OAuth(sign_in) => vec![
                sign_in.refresh_token_var,
                sign_in.client_id_var,
                sign_in.client_secret_var,
                sign_in.auth_base_url_var,
            ],
            Self::UserToken(token) => vec![token.user_var],
        }
    }

    /// The variables that configure a service besides its token and base URL: a refresh
    /// token and an API key, or a user name.
    pub(crate) fn configuring_variables(&self) -> Vec<&'static str> {
        match self {
            Self::OAuth(sign_in) => [sign_in.refresh_token_var]
                .into_iter()
                .chain(sign_in.api_key_var)
                .collect(),
            Self::UserToken(token) => vec![token.user_var],
        }
    }
}

/// A service whose users paste a token: where they find it, and how it is checked.
pub(crate) struct UserToken {
    /// The variable naming whose history to read, when the token should not be asked.
    pub(crate) user_var: &'static str,
    /// Where the user finds their token: <https://listenbrainz.org/settings/>.
    pub(crate) found_at: &'static str,
    /// Asks the service at the base URL whose token it is: the user name, `None` for a
    /// token it does not know, or a sentence when it could not be asked.
    pub(crate) whose: WhoseToken,
}

/// How a [`UserToken`] service says whose a token is: asked at the base URL given (else the
/// real service's), the user name, `None` for a token it does not know, or a sentence.
pub(crate) type WhoseToken =
    fn(Option<String>, AccessToken) -> BoxFuture<'static, Result<Option<String>, String>>;

/// The variables and the authorization server of a service's sign-in.
pub(crate) struct SignIn {
    pub(crate) client_id_var: &'static str,
    pub(crate) client_secret_var: &'static str,
    /// Whether the app must have a secret (Login with Amazon), or may (Spotify, PKCE).
    pub(crate) secret_required: bool,
    pub(crate) refresh_token_var: &'static str,
    pub(crate) auth_base_url_var: &'static str,
    /// The scopes a sign-in asks for.
    pub(crate) scopes: &'static [&'static str],
    /// The service's authorization server, at the real address or the given base URL.
    pub(crate) server: fn(Option<&str>) -> Result<AuthorizationServer, InvalidBaseUrl>,
    /// How long a sign-in lasts, however often it refreshes, where the service ends it.
    pub(crate) lifetime: Option<Lifetime>,
    /// The variable of a key the API needs besides the token (Amazon Music's security
    /// profile ID): `login` refuses to start without it, and stores it with the tokens.
    pub(crate) api_key_var: Option<&'static str>,
    /// The host of the redirect URI `login` registers by default (`http://HOST:PORT/callback`),
    /// one the service's authorization server accepts over plain http.
    pub(crate) redirect_host: &'static str,
}

/// A sign-in the service ends at a fixed age.
pub(crate) struct Lifetime {
    /// How long it lasts from the user's consent.
    pub(crate) lasts: Duration,
    /// The rule, for the warning: "Spotify ends a sign-in 6 months after it was made".
    pub(crate) rule: &'static str,
}

/// Runs are warned when the sign-in has less than this left.
pub(crate) const WARN_BEFORE_END: Duration = Duration::from_secs(14 * 24 * 60 * 60);

/// A token source: a fixed token, or one that refreshes itself.
#[derive(Clone, Debug)]
pub(crate) enum Credentials {
    Fixed(AccessToken),
    Refreshing(RefreshingToken),
}

impl TokenSource for Credentials {
    fn access_token(&self) -> BoxFuture<'_, Result<AccessToken, AuthError>> {
        match self {
            Self::Fixed(token) => token.access_token(),
            Self::Refreshing(token) => token.access_token(),
        }
    }

    fn refresh_rejected<'a>(
        &'a self,
        rejected: &'a AccessToken,
    ) -> BoxFuture<'a, Option<Result<AccessToken, AuthError>>> {
        match self {
            Self::Fixed(token) => token.refresh_rejected(rejected),
            Self::Refreshing(token) => token.refresh_rejected(rejected),
        }
    }

    fn add_secrets_to(&self, scrubber: Scrubber) -> Scrubber {
        match self {
            Self::Fixed(token) => token.add_secrets_to(scrubber),
            Self::Refreshing(token) => token.add_secrets_to(scrubber),
        }
    }
}

/// Credentials found for a service, and where they came from.
pub(crate) struct Found {
    pub(crate) credentials: Credentials,
    /// For messages: "in SPOTIFY_ACCESS_TOKEN", "stored by `recently-played login spotify`".
    pub(crate) whose: String,
    /// An API key stored with the sign-in (Amazon Music).
    pub(crate) api_key: Option<String>,
}

/// The first credentials configured for `service`, or `None`; a configuration that
/// cannot work (a refresh token without a client id, a damaged token file) is one
/// sentence.
pub(crate) fn find(service: &Service) -> Result<Option<Found>, String> {
    if let Some(token) = env_var(service.token_var) {
        let token = AccessToken::new(token)
            .map_err(|e| format!("{} cannot be used: {e}", service.token_var))?;
        return Ok(Some(Found {
            credentials: Credentials::Fixed(token),
            whose: format!("in {}", service.token_var),
            api_key: None,
        }));
    }
    let sign_in = match &service.authorization {
        Authorization::OAuth(sign_in) => sign_in,
        Authorization::UserToken(_) => return find_pasted(service),
    };
    if let Some(refresh) = env_var(sign_in.refresh_token_var) {
        let app = app_from_env(sign_in)?;
        let client = oauth_client(sign_in, app, env_var(sign_in.auth_base_url_var).as_deref())?;
        let whose = format!("from {}", sign_in.refresh_token_var);
        let refresh = RefreshToken::new(refresh);
        let Ok(path) = token_file::rotated_path(service.key) else {
            let token = RefreshingToken::new(client, refresh);
            return Ok(Some(found(Credentials::Refreshing(token), whose, None)));
        };
        // The successors of this very token, if a run rotated it; a token in the
        // environment that differs from the one they replaced is a new one, and wins.
        let file = RotationFile::new(path, &refresh);
        let first_seen = file.first_seen().map_err(|e| e.to_string())?;
        warn_if_ending(service, sign_in, first_seen, true);
        let token = file
            .refreshing(client, refresh, |e| {
                eprintln!("recently-played: {e}; the next run may have to sign in again.");
            })
            .map_err(|e| e.to_string())?;
        return Ok(Some(found(Credentials::Refreshing(token), whose, None)));
    }
    // No config directory (no home): nothing can have been stored.
    let Ok(path) = token_file::path(service.key) else {
        return Ok(None);
    };
    let Some(stored) = token_file::read::<StoredSignIn>(&path)? else {
        return Ok(None);
    };
    warn_if_ending(service, sign_in, stored.signed_in_at(), false);
    let client = oauth_client(sign_in, stored.app(), stored.auth_base_url.as_deref())?;
    let api_key = stored.api_key.clone();
    let token = refreshing(client, &stored, path);
    Ok(Some(found(
        Credentials::Refreshing(token),
        format!("stored by `recently-played login {}`", service.command),
        api_key,
    )))
}

/// The token `login` stored for a service whose users paste one.
fn find_pasted(service: &Service) -> Result<Option<Found>, String> {
    let Ok(path) = token_file::path(service.key) else {
        return Ok(None);
    };
    let Some(stored) = token_file::read::<StoredToken>(&path)? else {
        return Ok(None);
    };
    let token = AccessToken::new(stored.token).map_err(|e| {
        format!(
            "{} holds a token that cannot be used ({e}); run `recently-played login {}` again",
            path.display(),
            service.command
        )
    })?;
    Ok(Some(found(
        Credentials::Fixed(token),
        format!("stored by `recently-played login {}`", service.command),
        None,
    )))
}

fn found(credentials: Credentials, whose: String, api_key: Option<String>) -> Found {
    Found {
        credentials,
        whose,
        api_key,
    }
}

/// A token source from `stored` (its access token, if any, is used until it expires) that
/// stores each refresh at `path`, and, when its refresh token is refused, first reads
/// `path` again: another run sharing the file may have rotated it.
fn refreshing(client: OAuthClient, stored: &StoredSignIn, path: PathBuf) -> RefreshingToken {
    let token = match stored.tokens() {
        Some(tokens) => RefreshingToken::from_tokens(client, tokens),
        None => RefreshingToken::new(client, stored.refresh_token()),
    };
    let reread = path.clone();
    token
        .on_change(persist(path, stored.clone()))
        .reload_on_refusal(move || {
            token_file::read::<StoredSignIn>(&reread)
                .ok()
                .flatten()
                .and_then(|now| now.tokens())
        })
}

/// Says on stderr how long the sign-in has left, when the service ends it at a fixed age
/// and little is left.
fn warn_if_ending(
    service: &Service,
    sign_in: &SignIn,
    signed_in_at: Option<SystemTime>,
    from_env: bool,
) {
    let age = signed_in_at.and_then(|at| SystemTime::now().duration_since(at).ok());
    let (Some(lifetime), Some(age)) = (&sign_in.lifetime, age) else {
        return;
    };
    let left = lifetime.lasts.saturating_sub(age);
    if left >= WARN_BEFORE_END {
        return;
    }
    // To the nearest day: "about".
    let when = match (left.as_secs() + 43_200) / 86_400 {
        _ if left.is_zero() => "has ended".to_string(),
        0 => "ends within a day".to_string(),
        1 => "ends in about 1 day".to_string(),
        days => format!("ends in about {days} days"),
    };
    eprintln!(
        "{}: the sign-in {when} ({}, however often it refreshes); sign in again with \
         `recently-played login {}`{}.",
        service.name,
        lifetime.rule,
        service.command,
        if from_env {
            format!(" (or set a new {})", sign_in.refresh_token_var)
        } else {
            String::new()
        }
    );
}

/// Stores every refresh's tokens (a rotated refresh token among them) over `stored`; a
/// failure to store is said on stderr, and the walk goes on with the tokens in memory.
fn persist(
    path: std::path::PathBuf,
    stored: StoredSignIn,
) -> impl Fn(&Tokens) + Send + Sync + 'static {
    let stored = std::sync::Mutex::new(stored);
    move |tokens| {
        let mut stored = stored
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        stored.update(tokens);
        if let Err(sentence) = token_file::write(&path, &*stored) {
            eprintln!("recently-played: {sentence}; the next run may have to sign in again.");
        }
    }
}

/// The app's credentials from the environment: the client id, and the secret where
/// given (required for Login with Amazon).
pub(crate) fn app_from_env(sign_in: &SignIn) -> Result<ClientCredentials, String> {
    let id = env_var(sign_in.client_id_var).ok_or_else(|| {
        format!(
            "{} is not set: set it to your app's client id (README: \"Signing in\")",
            sign_in.client_id_var
        )
    })?;
    match env_var(sign_in.client_secret_var) {
        Some(secret) => Ok(ClientCredentials::confidential(
            id,
            ClientSecret::new(secret),
        )),
        None if sign_in.secret_required => Err(format!(
            "{} is not set: set it to your security profile's client secret",
            sign_in.client_secret_var
        )),
        None => Ok(ClientCredentials::public(id)),
    }
}

/// A client of the service's authorization server (at `auth_base_url` when given).
pub(crate) fn oauth_client(
    sign_in: &SignIn,
    app: ClientCredentials,
    auth_base_url: Option<&str>,
) -> Result<OAuthClient, String> {
    let server = (sign_in.server)(auth_base_url).map_err(|e| {
        format!(
            "{} `{}` is refused: {}",
            sign_in.auth_base_url_var, e.url, e.reason
        )
    })?;
    OAuthClient::new(server, app).map_err(|e| e.to_string())
}

//! Which services the live mode can check, and with what: the credentials the CLI reads.

use std::fmt;

use client_support::oauth::{ClientCredentials, OAuthClient, RefreshingToken, RotationFile};
use client_support::{AccessToken, ApiKey, BaseUrl, ClientSecret, RefreshToken};

/// A service the live mode checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Service {
    /// Spotify Web API, `GET /me/player/recently-played`.
    Spotify,
    /// Amazon Music Web API, the player history methods.
    AmazonMusic,
}

impl Service {
    /// Both, in the order they are checked.
    pub const ALL: [Service; 2] = [Service::Spotify, Service::AmazonMusic];

    /// Its key in reports, recordings and the bounds file: `spotify`, `amazon_music`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Spotify => spotify_web_api::SERVICE,
            Self::AmazonMusic => amazon_music_web_api::SERVICE,
        }
    }

    /// Its name for people: `Spotify`, `Amazon Music`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Spotify => "Spotify",
            Self::AmazonMusic => "Amazon Music",
        }
    }

    /// Its spec's file stem (`specs/<api>.yaml`).
    pub fn api(self) -> &'static str {
        match self {
            Self::Spotify => "spotify-web-api",
            Self::AmazonMusic => "amazon-music-web-api",
        }
    }

    /// The service with this key.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|service| service.key() == key)
    }

    /// The variable that holds its access token.
    pub fn token_var(self) -> &'static str {
        match self {
            Self::Spotify => "SPOTIFY_ACCESS_TOKEN",
            Self::AmazonMusic => "AMAZON_MUSIC_ACCESS_TOKEN",
        }
    }

    /// The variable that holds a refresh token.
    fn refresh_token_var(self) -> &'static str {
        match self {
            Self::Spotify => "SPOTIFY_REFRESH_TOKEN",
            Self::AmazonMusic => "AMAZON_MUSIC_REFRESH_TOKEN",
        }
    }

    /// The variables of the app a refresh token was issued to: its client id and secret.
    fn client_vars(self) -> (&'static str, &'static str) {
        match self {
            Self::Spotify => ("SPOTIFY_CLIENT_ID", "SPOTIFY_CLIENT_SECRET"),
            Self::AmazonMusic => ("AMAZON_MUSIC_CLIENT_ID", "AMAZON_MUSIC_CLIENT_SECRET"),
        }
    }

    /// The variable that moves the authorization server (a simulation on loopback).
    fn auth_base_url_var(self) -> &'static str {
        match self {
            Self::Spotify => "SPOTIFY_ACCOUNTS_BASE_URL",
            Self::AmazonMusic => "AMAZON_MUSIC_AUTH_BASE_URL",
        }
    }

    fn base_url_var(self) -> &'static str {
        match self {
            Self::Spotify => "SPOTIFY_API_BASE_URL",
            Self::AmazonMusic => "AMAZON_MUSIC_API_BASE_URL",
        }
    }

    fn default_base_url(self) -> &'static str {
        match self {
            Self::Spotify => spotify_web_api::DEFAULT_BASE_URL,
            Self::AmazonMusic => amazon_music_web_api::DEFAULT_BASE_URL,
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The variable that holds Amazon Music's API key (the security profile ID).
pub const AMAZON_MUSIC_API_KEY_VAR: &str = "AMAZON_MUSIC_API_KEY";

/// What a request to a service is sent with. `Debug` shows no secret.
#[derive(Clone, Debug)]
pub enum Credentials {
    /// A Spotify user access token.
    Spotify {
        /// The token.
        token: AccessToken,
    },
    /// A Login with Amazon access token and the security profile ID.
    AmazonMusic {
        /// The token.
        token: AccessToken,
        /// The `x-api-key`.
        api_key: ApiKey,
    },
}

impl Credentials {
    /// Amazon Music's when there is an API key, else Spotify's.
    fn new(token: AccessToken, api_key: Option<ApiKey>) -> Self {
        match api_key {
            Some(api_key) => Self::AmazonMusic { token, api_key },
            None => Self::Spotify { token },
        }
    }

    /// The access token.
    pub fn token(&self) -> &AccessToken {
        match self {
            Self::Spotify { token } | Self::AmazonMusic { token, .. } => token,
        }
    }

    /// The API key, for a service that takes one.
    pub fn api_key(&self) -> Option<&ApiKey> {
        match self {
            Self::Spotify { .. } => None,
            Self::AmazonMusic { api_key, .. } => Some(api_key),
        }
    }
}

/// One service to check: where, and with what.
#[derive(Clone, Debug)]
pub struct Target {
    /// The service.
    pub service: Service,
    /// Its base URL (checked: `https`, or plain `http` to loopback only).
    pub base_url: String,
    /// The credentials sent.
    pub credentials: Credentials,
}

/// What the environment says about one service.
#[derive(Debug)]
pub enum Found {
    /// Check it.
    Check(Target),
    /// Check it once an access token is obtained with the refresh token
    /// ([`Refresh::access_token`]).
    Refresh(Box<Refresh>),
    /// Skip it, for this reason (no credentials).
    Skip(String),
    /// The credentials cannot be used: one sentence, naming the variable, never the value.
    Invalid(String),
}

/// The credentials of `service`, read from `env` (the process environment, in the binary),
/// as the CLI reads them: an access token (`SPOTIFY_ACCESS_TOKEN`;
/// `AMAZON_MUSIC_ACCESS_TOKEN` with `AMAZON_MUSIC_API_KEY`), else a refresh token with the
/// app's client id and secret (`SPOTIFY_REFRESH_TOKEN`, `SPOTIFY_CLIENT_ID`, optionally
/// `SPOTIFY_CLIENT_SECRET`; `AMAZON_MUSIC_REFRESH_TOKEN`, `AMAZON_MUSIC_CLIENT_ID`,
/// `AMAZON_MUSIC_CLIENT_SECRET`, with `AMAZON_MUSIC_API_KEY`) and the authorization server
/// from `SPOTIFY_ACCOUNTS_BASE_URL` / `AMAZON_MUSIC_AUTH_BASE_URL`; the base URL from
/// `SPOTIFY_API_BASE_URL` / `AMAZON_MUSIC_API_BASE_URL`, else the real service.
///
/// ```
/// use conformance::live::{Found, Service, credentials};
///
/// let env = |name: &str| (name == "SPOTIFY_ACCESS_TOKEN").then(|| "BQD-secret".to_string());
/// let Found::Check(target) = credentials(Service::Spotify, env) else { panic!() };
/// assert_eq!(target.base_url, "https://api.spotify.com/v1");
/// assert!(!format!("{target:?}").contains("BQD-secret"));
/// assert!(matches!(credentials(Service::AmazonMusic, env), Found::Skip(_)));
/// ```
pub fn credentials(service: Service, env: impl Fn(&str) -> Option<String>) -> Found {
    let env = |name: &str| env(name).filter(|value| !value.trim().is_empty());
    let invalid = |variable: &str, e: &dyn fmt::Display| {
        Found::Invalid(format!("{service}: {variable} cannot be used: {e}."))
    };
    let base_url =
        env(service.base_url_var()).unwrap_or_else(|| service.default_base_url().to_string());
    if let Err(e) = BaseUrl::parse(&base_url) {
        return invalid(service.base_url_var(), &e);
    }
    let base_url = base_url.trim_end_matches('/').to_string();
    let api_key = match (service, env(AMAZON_MUSIC_API_KEY_VAR)) {
        (Service::Spotify, _) => None,
        (Service::AmazonMusic, None) => {
            if env(service.token_var()).is_some() || env(service.refresh_token_var()).is_some() {
                return Found::Invalid(format!(
                    "{service}: {} is set but {AMAZON_MUSIC_API_KEY_VAR} is not; set both.",
                    if env(service.token_var()).is_some() {
                        service.token_var()
                    } else {
                        service.refresh_token_var()
                    }
                ));
            }
            None
        }
        (Service::AmazonMusic, Some(key)) => match ApiKey::new(key) {
            Ok(key) => Some(key),
            Err(e) => return invalid(AMAZON_MUSIC_API_KEY_VAR, &e),
        },
    };
    if let Some(token) = env(service.token_var()) {
        return match AccessToken::new(token) {
            Ok(token) => Found::Check(Target {
                service,
                base_url,
                credentials: Credentials::new(token, api_key),
            }),
            Err(e) => invalid(service.token_var(), &e),
        };
    }
    let Some(refresh) = env(service.refresh_token_var()) else {
        return Found::Skip(format!(
            "neither {} nor {} is set",
            service.token_var(),
            service.refresh_token_var()
        ));
    };
    let (id_var, secret_var) = service.client_vars();
    let Some(id) = env(id_var) else {
        return Found::Invalid(format!(
            "{service}: {} is set but {id_var} is not; set both.",
            service.refresh_token_var()
        ));
    };
    let app = match env(secret_var) {
        Some(secret) => ClientCredentials::confidential(id, ClientSecret::new(secret)),
        None => ClientCredentials::public(id),
    };
    let auth_base_url = env(service.auth_base_url_var());
    let server = match service {
        Service::Spotify => spotify_web_api::oauth::authorization_server(auth_base_url.as_deref()),
        Service::AmazonMusic => {
            amazon_music_web_api::oauth::authorization_server(auth_base_url.as_deref())
        }
    };
    let server = match server {
        Ok(server) => server,
        Err(e) => return invalid(service.auth_base_url_var(), &e),
    };
    match OAuthClient::new(server, app) {
        Ok(client) => Found::Refresh(Box::new(Refresh {
            service,
            base_url,
            client,
            refresh: RefreshToken::new(refresh),
            api_key,
        })),
        Err(e) => Found::Invalid(format!("{service}: {e}.")),
    }
}

/// A service configured with a refresh token: one token request gives the access token a
/// run uses (a run lasts minutes; the token, an hour). The token request is not an API
/// request, so it does not count against the budget.
#[derive(Debug)]
pub struct Refresh {
    service: Service,
    base_url: String,
    client: OAuthClient,
    refresh: RefreshToken,
    api_key: Option<ApiKey>,
}

/// Where the successors of `service`'s refresh token from the environment are kept: the
/// place `recently-played` keeps them (its `token_file::rotated_path`), so both share one
/// chain of rotations.
fn rotation_path(service: Service) -> Option<std::path::PathBuf> {
    directories::ProjectDirs::from("", "", "recently-played").map(|dirs| {
        dirs.config_dir()
            .join(format!("{}.from-env.json", service.key()))
    })
}

impl Refresh {
    /// The service.
    pub fn service(&self) -> Service {
        self.service
    }

    /// Obtains an access token and returns the service to check; a refused refresh token
    /// is one sentence (which says to sign in again when it was revoked).
    ///
    /// As `recently-played` does, the refresh token's successors, where the server rotates
    /// it, are kept in `<config dir>/recently-played/<service>.from-env.json`, and the next
    /// run with the same variable starts from them: a scheduled run with a fixed secret
    /// survives single-use refresh tokens, and shares them with the program's syncs.
    pub async fn access_token(self) -> Result<Target, String> {
        use client_support::TokenSource;
        let service = self.service;
        let token = match rotation_path(service) {
            Some(path) => RotationFile::new(path, &self.refresh)
                .refreshing(self.client, self.refresh, move |e| {
                    eprintln!("{service}: {e}; the next run may need a new refresh token.");
                })
                .map_err(|e| format!("{service}: {e}."))?,
            None => RefreshingToken::new(self.client, self.refresh),
        };
        match token.access_token().await {
            Ok(access) => Ok(Target {
                service,
                base_url: self.base_url,
                credentials: Credentials::new(access, self.api_key),
            }),
            Err(e) => Err(format!(
                "{service}: {} cannot be used: {e}.",
                service.refresh_token_var()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        }
    }

    #[test]
    fn a_refresh_token_needs_its_client_id_and_then_is_exchanged_first() {
        let found = credentials(
            Service::Spotify,
            env(&[("SPOTIFY_REFRESH_TOKEN", "r-secret")]),
        );
        let Found::Invalid(why) = found else {
            panic!("{found:?}")
        };
        assert!(why.contains("SPOTIFY_CLIENT_ID is not"), "{why}");
        assert!(!why.contains("r-secret"), "{why}");
        let found = credentials(
            Service::Spotify,
            env(&[
                ("SPOTIFY_REFRESH_TOKEN", "r-secret"),
                ("SPOTIFY_CLIENT_ID", "id"),
            ]),
        );
        let Found::Refresh(refresh) = found else {
            panic!("{found:?}")
        };
        assert_eq!(refresh.service(), Service::Spotify);
        assert!(!format!("{refresh:?}").contains("r-secret"));
    }

    #[test]
    fn half_set_or_unusable_credentials_are_one_sentence_without_the_value() {
        let half = credentials(
            Service::AmazonMusic,
            env(&[("AMAZON_MUSIC_ACCESS_TOKEN", "Atza|secret")]),
        );
        let Found::Invalid(sentence) = half else {
            panic!("{half:?}")
        };
        assert!(
            sentence.contains("AMAZON_MUSIC_API_KEY is not"),
            "{sentence}"
        );
        let bad = credentials(
            Service::Spotify,
            env(&[("SPOTIFY_ACCESS_TOKEN", "two\nlines-secret")]),
        );
        let Found::Invalid(sentence) = bad else {
            panic!("{bad:?}")
        };
        assert!(
            !sentence.contains("secret") && sentence.ends_with('.'),
            "{sentence}"
        );
        let clear = credentials(
            Service::Spotify,
            env(&[
                ("SPOTIFY_ACCESS_TOKEN", "t"),
                ("SPOTIFY_API_BASE_URL", "http://example.com/v1"),
            ]),
        );
        assert!(matches!(clear, Found::Invalid(_)), "{clear:?}");
    }
}

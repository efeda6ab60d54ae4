//! Which services the live mode can check, and with what: the credentials the CLI reads.

use std::fmt;

use client_support::oauth::{ClientCredentials, OAuthClient, RefreshingToken, RotationFile};
use client_support::{AccessToken, ApiKey, BaseUrl, ClientSecret, RefreshToken};
use reqwest::header::HeaderValue;

pub use super::services::Service;
/// The variable that holds Amazon Music's API key (the security profile ID).
pub use super::services::amazon_music::API_KEY_VAR as AMAZON_MUSIC_API_KEY_VAR;

/// What a request to a service is sent with. `Debug` shows no secret.
#[derive(Clone, Debug)]
pub enum Credentials {
    /// A Spotify user access token: a token alone.
    Spotify {
        /// The token.
        token: AccessToken,
    },
    /// A Login with Amazon access token and the security profile ID: a token with an API key.
    AmazonMusic {
        /// The token.
        token: AccessToken,
        /// The `x-api-key`.
        api_key: ApiKey,
    },
    /// A ListenBrainz user token, sent as `Authorization: Token <token>`, and the user
    /// whose history is read, if the environment names one (else the token says whose it
    /// is).
    ListenBrainz {
        /// The token.
        token: AccessToken,
        /// The user name.
        user: Option<String>,
    },
}

impl Credentials {
    /// With the API key when there is one (the variants' names are the first services of
    /// each shape).
    fn new(token: AccessToken, api_key: Option<ApiKey>) -> Self {
        match api_key {
            Some(api_key) => Self::AmazonMusic { token, api_key },
            None => Self::Spotify { token },
        }
    }

    /// The access token.
    pub fn token(&self) -> &AccessToken {
        match self {
            Self::Spotify { token }
            | Self::AmazonMusic { token, .. }
            | Self::ListenBrainz { token, .. } => token,
        }
    }

    /// The API key, for a service that takes one.
    pub fn api_key(&self) -> Option<&ApiKey> {
        match self {
            Self::Spotify { .. } | Self::ListenBrainz { .. } => None,
            Self::AmazonMusic { api_key, .. } => Some(api_key),
        }
    }

    /// The user the environment names, for a service whose paths name one.
    pub fn user(&self) -> Option<&str> {
        match self {
            Self::ListenBrainz { user, .. } => user.as_deref(),
            Self::Spotify { .. } | Self::AmazonMusic { .. } => None,
        }
    }

    /// The `Authorization` header as the service takes the token (`Bearer`, or
    /// ListenBrainz's `Token`), marked sensitive.
    ///
    /// ```
    /// use client_support::AccessToken;
    /// use conformance::live::Credentials;
    ///
    /// let token = AccessToken::new("lb-secret")?;
    /// let listenbrainz = Credentials::ListenBrainz { token: token.clone(), user: None };
    /// assert_eq!(listenbrainz.authorization(), "Token lb-secret");
    /// assert!(listenbrainz.authorization().is_sensitive());
    /// assert_eq!(Credentials::Spotify { token }.authorization(), "Bearer lb-secret");
    /// # Ok::<(), client_support::InvalidCredential>(())
    /// ```
    pub fn authorization(&self) -> HeaderValue {
        match self {
            Self::Spotify { token } | Self::AmazonMusic { token, .. } => {
                token.authorization().clone()
            }
            // The token was checked as header text after `Bearer `: after `Token ` too.
            Self::ListenBrainz { token, .. } => {
                let mut value = HeaderValue::from_str(&format!("Token {}", token.expose()))
                    .unwrap_or_else(|_| token.authorization().clone());
                value.set_sensitive(true);
                value
            }
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
/// as the CLI reads them, from the service's [`Variables`]: an access token (with the API
/// key, for a service that takes one, and the user, for one whose paths name one), else a
/// refresh token with the app's client id and, if it has one, secret (and the API key) and
/// the authorization server, if another; the base URL, else the real service's.
///
/// ```
/// use conformance::live::{Found, Service, credentials};
///
/// for service in Service::ALL {
///     let vars = service.description().variables;
///     let env = |name: &str| {
///         (name == vars.access_token || Some(name) == vars.api_key).then(|| "BQD-secret".to_string())
///     };
///     let Found::Check(target) = credentials(service, env) else { panic!() };
///     assert_eq!(target.base_url, service.description().default_base_url);
///     assert!(!format!("{target:?}").contains("BQD-secret"));
///     for other in Service::ALL.into_iter().filter(|other| *other != service) {
///         assert!(matches!(credentials(other, env), Found::Skip(_)));
///     }
/// }
/// ```
///
/// [`Variables`]: super::services::Variables
pub fn credentials(service: Service, env: impl Fn(&str) -> Option<String>) -> Found {
    let env = |name: &str| env(name).filter(|value| !value.trim().is_empty());
    let invalid = |variable: &str, e: &dyn fmt::Display| {
        Found::Invalid(format!("{service}: {variable} cannot be used: {e}."))
    };
    let description = service.description();
    let vars = &description.variables;
    let base_url =
        env(vars.api_base_url).unwrap_or_else(|| description.default_base_url.to_string());
    if let Err(e) = BaseUrl::parse(&base_url) {
        return invalid(vars.api_base_url, &e);
    }
    let base_url = base_url.trim_end_matches('/').to_string();
    let api_key = match vars.api_key.map(|var| (var, env(var))) {
        None => None,
        Some((var, None)) => {
            let set = std::iter::once(vars.access_token)
                .chain(vars.refresh.map(|refresh| refresh.refresh_token))
                .find(|token| env(token).is_some());
            if let Some(token) = set {
                return Found::Invalid(format!(
                    "{service}: {token} is set but {var} is not; set both."
                ));
            }
            None
        }
        Some((var, Some(key))) => match ApiKey::new(key) {
            Ok(key) => Some(key),
            Err(e) => return invalid(var, &e),
        },
    };
    if let Some(token) = env(vars.access_token) {
        let token = match AccessToken::new(token) {
            Ok(token) => token,
            Err(e) => return invalid(vars.access_token, &e),
        };
        let credentials = match vars.user {
            Some(user) => Credentials::ListenBrainz {
                token,
                user: env(user).map(|name| name.trim().to_string()),
            },
            None => Credentials::new(token, api_key),
        };
        return Found::Check(Target {
            service,
            base_url,
            credentials,
        });
    }
    let (Some(vars), Some(authorization_server)) = (vars.refresh, description.authorization_server)
    else {
        return Found::Skip(format!("{} is not set", vars.access_token));
    };
    let Some(refresh) = env(vars.refresh_token) else {
        return Found::Skip(format!(
            "neither {} nor {} is set",
            description.variables.access_token, vars.refresh_token
        ));
    };
    let Some(id) = env(vars.client_id) else {
        return Found::Invalid(format!(
            "{service}: {} is set but {} is not; set both.",
            vars.refresh_token, vars.client_id
        ));
    };
    let app = match env(vars.client_secret) {
        Some(secret) => ClientCredentials::confidential(id, ClientSecret::new(secret)),
        None => ClientCredentials::public(id),
    };
    let server = match authorization_server(env(vars.auth_base_url).as_deref()) {
        Ok(server) => server,
        Err(e) => return invalid(vars.auth_base_url, &e),
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
                service
                    .description()
                    .variables
                    .refresh
                    .map_or(service.token_var(), |refresh| refresh.refresh_token)
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

    /// `set`, with the service's API key if it takes one.
    fn with_key<'a>(service: Service, set: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let mut set = set.to_vec();
        set.extend(
            service
                .description()
                .variables
                .api_key
                .map(|var| (var, "key")),
        );
        set
    }

    #[test]
    fn a_refresh_token_needs_its_client_id_and_then_is_exchanged_first() {
        for service in Service::ALL {
            let Some(vars) = service.description().variables.refresh else {
                continue;
            };
            let vars_set = with_key(service, &[(vars.refresh_token, "r-secret")]);
            let found = credentials(service, env(&vars_set));
            let Found::Invalid(why) = found else {
                panic!("{found:?}")
            };
            assert!(why.contains(&format!("{} is not", vars.client_id)), "{why}");
            assert!(!why.contains("r-secret"), "{why}");
            let vars_set = with_key(
                service,
                &[(vars.refresh_token, "r-secret"), (vars.client_id, "id")],
            );
            let found = credentials(service, env(&vars_set));
            let Found::Refresh(refresh) = found else {
                panic!("{found:?}")
            };
            assert_eq!(refresh.service(), service);
            assert!(!format!("{refresh:?}").contains("r-secret"));
        }
    }

    #[test]
    fn a_user_token_is_enough_and_the_user_is_read_where_the_service_names_one() {
        let service = Service::ListenBrainz;
        let vars = service.description().variables;
        let user = vars.user.expect("ListenBrainz names its user");
        let found = credentials(
            service,
            env(&[(vars.access_token, "lb-secret"), (user, " rob ")]),
        );
        let Found::Check(target) = found else {
            panic!("{found:?}")
        };
        assert_eq!(target.credentials.user(), Some("rob"));
        assert_eq!(target.credentials.authorization(), "Token lb-secret");
        let found = credentials(service, env(&[(vars.access_token, "lb-secret")]));
        let Found::Check(target) = found else {
            panic!("{found:?}")
        };
        assert_eq!(target.credentials.user(), None);
        let found = credentials(service, env(&[]));
        assert!(
            matches!(&found, Found::Skip(why) if why == "LISTENBRAINZ_TOKEN is not set"),
            "{found:?}"
        );
    }

    #[test]
    fn half_set_or_unusable_credentials_are_one_sentence_without_the_value() {
        for service in Service::ALL {
            let vars = service.description().variables;
            if let Some(key_var) = vars.api_key {
                let half = credentials(service, env(&[(vars.access_token, "Atza|secret")]));
                let Found::Invalid(sentence) = half else {
                    panic!("{half:?}")
                };
                assert!(
                    sentence.contains(&format!("{key_var} is not")),
                    "{sentence}"
                );
            }
            let bad = with_key(service, &[(vars.access_token, "two\nlines-secret")]);
            let bad = credentials(service, env(&bad));
            let Found::Invalid(sentence) = bad else {
                panic!("{bad:?}")
            };
            assert!(
                !sentence.contains("secret") && sentence.ends_with('.'),
                "{sentence}"
            );
            let clear = with_key(
                service,
                &[
                    (vars.access_token, "t"),
                    (vars.api_base_url, "http://example.com/v1"),
                ],
            );
            let clear = credentials(service, env(&clear));
            assert!(matches!(clear, Found::Invalid(_)), "{clear:?}");
        }
    }
}

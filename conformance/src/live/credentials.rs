//! Which services the live mode can check, and with what: the credentials the CLI reads.

use std::fmt;

use client_support::{AccessToken, ApiKey, BaseUrl};

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

    /// The variable that holds a refresh token (read by the CLI once refresh is wired).
    fn refresh_token_var(self) -> &'static str {
        match self {
            Self::Spotify => "SPOTIFY_REFRESH_TOKEN",
            Self::AmazonMusic => "AMAZON_MUSIC_REFRESH_TOKEN",
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
    /// Skip it, for this reason (no credentials).
    Skip(String),
    /// The credentials cannot be used: one sentence, naming the variable, never the value.
    Invalid(String),
}

/// The credentials of `service`, read from `env` (the process environment, in the binary),
/// as the CLI reads them: `SPOTIFY_ACCESS_TOKEN`; `AMAZON_MUSIC_ACCESS_TOKEN` with
/// `AMAZON_MUSIC_API_KEY`; the base URL from `SPOTIFY_API_BASE_URL` /
/// `AMAZON_MUSIC_API_BASE_URL`, else the real service.
///
/// The one place credentials are read, so that refresh tokens can be wired here: a service
/// with a refresh token and no access token is skipped for now, and says so.
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
    let Some(token) = env(service.token_var()) else {
        return Found::Skip(if env(service.refresh_token_var()).is_some() {
            format!(
                "{} is set without {}; refresh tokens: not yet supported by the live mode",
                service.refresh_token_var(),
                service.token_var()
            )
        } else {
            format!("{} is not set", service.token_var())
        });
    };
    let token = match AccessToken::new(token) {
        Ok(token) => token,
        Err(e) => {
            return Found::Invalid(format!(
                "{}: {} cannot be used: {e}.",
                service,
                service.token_var()
            ));
        }
    };
    let credentials = match service {
        Service::Spotify => Credentials::Spotify { token },
        Service::AmazonMusic => {
            let Some(key) = env(AMAZON_MUSIC_API_KEY_VAR) else {
                return Found::Invalid(format!(
                    "{service}: {} is set but {AMAZON_MUSIC_API_KEY_VAR} is not; set both.",
                    service.token_var()
                ));
            };
            match ApiKey::new(key) {
                Ok(api_key) => Credentials::AmazonMusic { token, api_key },
                Err(e) => {
                    return Found::Invalid(format!(
                        "{service}: {AMAZON_MUSIC_API_KEY_VAR} cannot be used: {e}."
                    ));
                }
            }
        }
    };
    let base_url =
        env(service.base_url_var()).unwrap_or_else(|| service.default_base_url().to_string());
    if let Err(e) = BaseUrl::parse(&base_url) {
        return Found::Invalid(format!(
            "{service}: {} cannot be used: {e}.",
            service.base_url_var()
        ));
    }
    Found::Check(Target {
        service,
        base_url: base_url.trim_end_matches('/').to_string(),
        credentials,
    })
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
    fn a_refresh_token_alone_skips_the_service_and_says_why() {
        let found = credentials(Service::Spotify, env(&[("SPOTIFY_REFRESH_TOKEN", "r")]));
        let Found::Skip(why) = found else {
            panic!("{found:?}")
        };
        assert!(
            why.contains("refresh tokens: not yet supported by the live mode"),
            "{why}"
        );
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

//! What signing in or refreshing can fail with, in a sentence that says what to do.

use std::fmt;

use crate::secret::InvalidCredential;

/// Why no access token could be had. Every message comes from the server scrubbed of the
/// secrets sent to it and cut to [`MAX_MESSAGE_CHARS`](crate::error::MAX_MESSAGE_CHARS).
///
/// ```
/// use client_support::oauth::AuthError;
///
/// let revoked = AuthError::SignInAgain {
///     server: "Spotify accounts",
///     description: Some("Refresh token revoked".into()),
/// };
/// assert!(revoked.must_sign_in_again());
/// assert_eq!(
///     revoked.to_string(),
///     "Spotify accounts refused the refresh token (invalid_grant: Refresh token revoked): sign in again"
/// );
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum AuthError {
    /// `invalid_grant`: the refresh token (or the authorization code) was revoked, has
    /// expired or was already used. Only signing in again helps.
    SignInAgain {
        /// The authorization server's name.
        server: &'static str,
        /// The server's `error_description`.
        description: Option<String>,
    },
    /// `invalid_client`: the client id or secret was refused.
    InvalidClient {
        /// The authorization server's name.
        server: &'static str,
        /// The server's `error_description`.
        description: Option<String>,
    },
    /// Another OAuth error response (`invalid_request`, `unauthorized_client`, ...).
    Refused {
        /// The authorization server's name.
        server: &'static str,
        /// The `error` code.
        error: String,
        /// The server's `error_description`.
        description: Option<String>,
    },
    /// The sign-in was declined or failed at the authorize step (`error` in the redirect,
    /// e.g. `access_denied`).
    Denied {
        /// The `error` code of the redirect.
        error: String,
        /// Its `error_description`.
        description: Option<String>,
    },
    /// The redirect's `state` is not the one this sign-in sent: it may be forged.
    StateMismatch,
    /// The redirect carries neither a `code` nor an `error`.
    NoCode,
    /// A redirect URI that is not `http://<loopback IP>:<port>/...`.
    InvalidRedirectUri {
        /// The URI as given.
        uri: String,
    },
    /// The token response carries no refresh token, so the client could not stay signed
    /// in.
    NoRefreshToken {
        /// The authorization server's name.
        server: &'static str,
    },
    /// An access token that cannot be sent in a header.
    InvalidCredential(InvalidCredential),
    /// The token endpoint's answer is not a token response (the decoder's complaint
    /// names where, never a value, which could be a token).
    Undecodable {
        /// The authorization server's name.
        server: &'static str,
        /// What did not decode.
        detail: String,
    },
    /// The token endpoint's answer was larger than any token response.
    BodyTooLarge {
        /// The authorization server's name.
        server: &'static str,
        /// The most bytes read.
        limit: u64,
    },
    /// The request could not be sent or the response not received.
    Transport {
        /// The authorization server's name.
        server: &'static str,
        /// What failed.
        source: reqwest::Error,
    },
}

impl AuthError {
    /// Whether only a new sign-in helps (the refresh token is revoked, expired or used).
    pub fn must_sign_in_again(&self) -> bool {
        matches!(self, Self::SignInAgain { .. })
    }
}

fn described(error: &str, description: &Option<String>) -> String {
    match description {
        Some(text) if !text.is_empty() => format!("{error}: {text}"),
        _ => error.to_string(),
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SignInAgain {
                server,
                description,
            } => write!(
                f,
                "{server} refused the refresh token ({}): sign in again",
                described("invalid_grant", description)
            ),
            Self::InvalidClient {
                server,
                description,
            } => write!(
                f,
                "{server} refused the client id or secret ({})",
                described("invalid_client", description)
            ),
            Self::Refused {
                server,
                error,
                description,
            } => write!(
                f,
                "{server} refused the token request ({})",
                described(error, description)
            ),
            Self::Denied { error, description } => write!(
                f,
                "the sign-in was not completed ({})",
                described(error, description)
            ),
            Self::StateMismatch => f.write_str(
                "the sign-in redirect carries a `state` this sign-in did not send; start again",
            ),
            Self::NoCode => f.write_str("the sign-in redirect carries no authorization code"),
            Self::InvalidRedirectUri { uri } => write!(
                f,
                "the redirect URI {uri:?} is not http://<loopback IP>:<port>/<path>"
            ),
            Self::NoRefreshToken { server } => {
                write!(
                    f,
                    "{server} issued no refresh token, so the sign-in cannot last"
                )
            }
            Self::InvalidCredential(e) => {
                write!(f, "the token endpoint issued an unusable token: {e}")
            }
            Self::Undecodable { server, detail } => {
                write!(f, "{server}'s token response could not be read: {detail}")
            }
            Self::BodyTooLarge { server, limit } => write!(
                f,
                "{server}'s token response is larger than {limit} bytes; no token response is"
            ),
            Self::Transport { server, source } => {
                write!(f, "cannot reach {server}: {source}")
            }
        }
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidCredential(e) => Some(e),
            Self::Transport { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_refused_grant_asks_to_sign_in_again_and_a_description_is_said_when_given() {
        let again = AuthError::SignInAgain {
            server: "Spotify",
            description: Some("Refresh token revoked".into()),
        };
        assert!(again.must_sign_in_again());
        for other in [
            AuthError::InvalidClient {
                server: "Spotify",
                description: None,
            },
            AuthError::StateMismatch,
            AuthError::NoRefreshToken { server: "Spotify" },
        ] {
            assert!(!other.must_sign_in_again(), "{other:?}");
        }
        assert_eq!(
            described("invalid_grant", &Some("revoked".into())),
            "invalid_grant: revoked"
        );
        assert_eq!(
            described("invalid_grant", &Some(String::new())),
            "invalid_grant"
        );
        assert_eq!(described("invalid_grant", &None), "invalid_grant");
    }

    #[test]
    fn an_unusable_token_keeps_its_cause_as_the_source() {
        use std::error::Error as _;
        let cause = crate::AccessToken::new("bad\ntoken").unwrap_err();
        let error = AuthError::InvalidCredential(cause);
        assert_eq!(
            error.source().map(ToString::to_string),
            Some(cause.to_string())
        );
    }
}

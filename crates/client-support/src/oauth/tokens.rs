//! What a token endpoint issues.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use oauth2::TokenResponse;
use oauth2::basic::BasicTokenResponse;
use serde::{Deserialize, Serialize};

use super::error::AuthError;
use crate::secret::{AccessToken, RefreshToken};

/// What a sign-in or a refresh obtained: to store (the refresh token lasts until revoked)
/// and to send (the access token, until `expires_at`). `Debug` shows neither token.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use client_support::{AccessToken, RefreshToken};
/// use client_support::oauth::Tokens;
///
/// let tokens = Tokens {
///     access: AccessToken::new("BQD-access")?,
///     refresh: RefreshToken::new("AQD-refresh"),
///     expires_at: Some(SystemTime::now() + Duration::from_secs(3600)),
///     scope: Some("user-read-recently-played".into()),
/// };
/// let shown = format!("{tokens:?}");
/// assert!(!shown.contains("BQD-access") && !shown.contains("AQD-refresh"));
/// # Ok::<(), client_support::InvalidCredential>(())
/// ```
///
/// Persist it between runs with serde: the tokens themselves are written (that is the
/// point), so write it only where the user's secrets belong, a file readable by them alone.
/// `expires_at` is kept in Unix seconds; an access token that cannot be one is refused when
/// read, as [`AccessToken::new`] refuses it.
///
/// ```
/// # use client_support::{AccessToken, RefreshToken};
/// # use client_support::oauth::Tokens;
/// let tokens = Tokens {
///     access: AccessToken::new("BQD-access")?,
///     refresh: RefreshToken::new("AQD-refresh"),
///     expires_at: Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_714_557_600)),
///     scope: Some("user-read-recently-played".into()),
/// };
/// let saved = serde_json::to_string(&tokens)?;
/// assert_eq!(
///     saved,
///     r#"{"access_token":"BQD-access","refresh_token":"AQD-refresh","expires_at":1714557600,"scope":"user-read-recently-played"}"#
/// );
/// assert_eq!(serde_json::from_str::<Tokens>(&saved)?, tokens);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "StoredTokens", try_from = "StoredTokens")]
pub struct Tokens {
    /// The access token.
    pub access: AccessToken,
    /// The refresh token (the latest one, if the server rotates them).
    pub refresh: RefreshToken,
    /// When the access token expires, if the server said (`expires_in`).
    pub expires_at: Option<SystemTime>,
    /// The scopes granted, space-separated, if the server said.
    pub scope: Option<String>,
}

impl Tokens {
    /// The tokens in `response`; a response without a refresh token keeps `previous`
    /// (servers that do not rotate refresh tokens may omit it).
    pub(super) fn from_response(
        response: &BasicTokenResponse,
        previous: Option<&RefreshToken>,
        server: &'static str,
    ) -> Result<Self, AuthError> {
        let access = AccessToken::new(response.access_token().secret().as_str())
            .map_err(AuthError::InvalidCredential)?;
        let refresh = response
            .refresh_token()
            .map(|token| RefreshToken::new(token.secret().as_str()))
            .or_else(|| previous.cloned())
            .ok_or(AuthError::NoRefreshToken { server })?;
        let expires_at = response
            .expires_in()
            .and_then(|lifetime| SystemTime::now().checked_add(lifetime));
        let scope = response.scopes().map(|scopes| {
            scopes
                .iter()
                .map(|scope| scope.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        });
        Ok(Self {
            access,
            refresh,
            expires_at,
            scope,
        })
    }

    /// Whether the access token expires within `margin` of now (never, if its expiry is
    /// unknown: then only a `401` says it has).
    pub fn expires_within(&self, margin: Duration) -> bool {
        match self.expires_at {
            Some(at) => at
                .duration_since(SystemTime::now())
                .map_or(true, |left| left <= margin),
            None => false,
        }
    }
}

/// [`Tokens`] as persisted: the OAuth response's names, the expiry in Unix seconds.
#[derive(Serialize, Deserialize)]
struct StoredTokens {
    access_token: String,
    refresh_token: String,
    #[serde(default)]
    expires_at: Option<u64>,
    #[serde(default)]
    scope: Option<String>,
}

impl From<Tokens> for StoredTokens {
    fn from(tokens: Tokens) -> Self {
        Self {
            access_token: tokens.access.expose().to_string(),
            refresh_token: tokens.refresh.expose().to_string(),
            expires_at: tokens
                .expires_at
                .and_then(|at| at.duration_since(UNIX_EPOCH).ok())
                .map(|since| since.as_secs()),
            scope: tokens.scope,
        }
    }
}

impl TryFrom<StoredTokens> for Tokens {
    type Error = crate::secret::InvalidCredential;

    fn try_from(stored: StoredTokens) -> Result<Self, Self::Error> {
        Ok(Self {
            access: AccessToken::new(&stored.access_token)?,
            refresh: RefreshToken::new(&stored.refresh_token),
            expires_at: stored
                .expires_at
                .and_then(|secs| UNIX_EPOCH.checked_add(Duration::from_secs(secs))),
            scope: stored.scope,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_tokens_that_cannot_be_sent_are_refused_without_quoting_them() {
        let error = serde_json::from_str::<Tokens>(
            r#"{"access_token": "bad\ntoken-secret", "refresh_token": "r"}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(!error.contains("token-secret"), "{error}");
        let read: Tokens =
            serde_json::from_str(r#"{"access_token": "a", "refresh_token": "r"}"#).unwrap();
        assert_eq!((read.expires_at, read.scope), (None, None));
    }
}

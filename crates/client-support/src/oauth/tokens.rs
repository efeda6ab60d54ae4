//! What a token endpoint issues.

use std::time::{Duration, SystemTime};

use oauth2::TokenResponse;
use oauth2::basic::BasicTokenResponse;

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
#[derive(Clone, Debug, PartialEq, Eq)]
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

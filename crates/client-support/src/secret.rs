//! Credentials: checked when they are made, so that no request can fail on one, and never
//! shown in `Debug`, `Display`, errors or logs.

use std::fmt;
use std::sync::{Arc, RwLock};

use futures_core::future::BoxFuture;
use reqwest::header::HeaderValue;

use crate::oauth::AuthError;
use crate::scrub::Scrubber;

/// A credential that cannot be sent in an HTTP header (a control character, a newline, or
/// a character outside visible ASCII); the message names the credential, never its value.
///
/// ```
/// # use client_support::AccessToken;
/// let refused = AccessToken::new("tok\nX-Evil: 1").unwrap_err();
/// assert_eq!(
///     refused.to_string(),
///     "the access token contains characters not allowed in an HTTP header"
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidCredential {
    /// Which credential: `"access token"` or `"API key"`.
    pub credential: &'static str,
}

impl fmt::Display for InvalidCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} contains characters not allowed in an HTTP header",
            self.credential
        )
    }
}

impl std::error::Error for InvalidCredential {}

/// A header value marked sensitive, so that `reqwest` and `http` redact it from `Debug`.
fn sensitive(value: &str, credential: &'static str) -> Result<HeaderValue, InvalidCredential> {
    let mut header = HeaderValue::from_str(value).map_err(|_| InvalidCredential { credential })?;
    header.set_sensitive(true);
    Ok(header)
}

/// An OAuth access token, sent as `Authorization: Bearer <token>`.
///
/// Made only from a value that can be sent in a header, so a request never fails on it.
/// `Debug` and `Display` print `<redacted>`.
///
/// ```
/// # use client_support::AccessToken;
/// let token = AccessToken::new("BQD-secret")?;
/// assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
/// assert_eq!(token.to_string(), "<redacted>");
/// assert_eq!(token.expose(), "BQD-secret");
/// # Ok::<(), client_support::InvalidCredential>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    token: String,
    header: HeaderValue,
}

impl AccessToken {
    /// Checks `token` and prepares its `Authorization` header.
    pub fn new(token: impl Into<String>) -> Result<Self, InvalidCredential> {
        let token = token.into();
        let header = sensitive(&format!("Bearer {token}"), "access token")?;
        Ok(Self { token, header })
    }

    /// The token itself, for storing it. Never log it.
    pub fn expose(&self) -> &str {
        &self.token
    }

    /// `Bearer <token>`, marked sensitive.
    pub fn authorization(&self) -> &HeaderValue {
        &self.header
    }
}

/// An API key: Amazon Music's security profile ID, sent as `x-api-key`.
///
/// ```
/// # use client_support::ApiKey;
/// let key = ApiKey::new("amzn1.application.x")?;
/// assert_eq!(format!("{key:?}"), "ApiKey(<redacted>)");
/// assert!(ApiKey::new("two\nlines").is_err());
/// # Ok::<(), client_support::InvalidCredential>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    key: String,
    header: HeaderValue,
}

impl ApiKey {
    /// Checks `key` and prepares its header value.
    pub fn new(key: impl Into<String>) -> Result<Self, InvalidCredential> {
        let key = key.into();
        let header = sensitive(&key, "API key")?;
        Ok(Self { key, header })
    }

    /// The key itself, for storing it. Never log it.
    pub fn expose(&self) -> &str {
        &self.key
    }

    /// The header value, marked sensitive.
    pub fn header_value(&self) -> &HeaderValue {
        &self.header
    }
}

/// An OAuth refresh token: what obtains new access tokens without the user, until it is
/// revoked. `Debug` and `Display` print `<redacted>`.
///
/// ```
/// # use client_support::RefreshToken;
/// let token = RefreshToken::new("AQD-refresh");
/// assert_eq!(format!("{token:?} {token}"), "RefreshToken(<redacted>) <redacted>");
/// assert_eq!(token.expose(), "AQD-refresh");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct RefreshToken(String);

impl RefreshToken {
    /// Wraps `token`.
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The token itself, for storing it. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// An OAuth client secret: what an app registered with a service proves itself with.
/// `Debug` and `Display` print `<redacted>`.
///
/// ```
/// # use client_support::ClientSecret;
/// let secret = ClientSecret::new("s3cr3t");
/// assert_eq!(format!("{secret:?}"), "ClientSecret(<redacted>)");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret(String);

impl ClientSecret {
    /// Wraps `secret`.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, for sending it to the authorization server. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

macro_rules! redacted {
    ($($name:ident),*) => {$(
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("<redacted>")
            }
        }
    )*};
}

redacted!(AccessToken, ApiKey, SharedToken, RefreshToken, ClientSecret);

/// Where a client gets the access token for each request, so that a token can be refreshed
/// without rebuilding the client.
///
/// Implemented by [`AccessToken`] (a fixed token), [`SharedToken`] (one the caller replaces
/// when it refreshes), any `Fn() -> AccessToken` closure, and
/// [`RefreshingToken`](crate::oauth::RefreshingToken), which refreshes on its own.
///
/// ```
/// # use client_support::{AccessToken, TokenSource};
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let token = AccessToken::new("BQD-secret")?;
/// let from_a_closure = move || token.clone();
/// assert_eq!(from_a_closure.access_token().await?.expose(), "BQD-secret");
/// // A fixed token has no other to offer after a `401`.
/// assert!(from_a_closure.refresh_rejected(&AccessToken::new("BQD-secret")?).await.is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
pub trait TokenSource: Send + Sync + 'static {
    /// The token to send with the next request (refreshed first if it is about to expire,
    /// for a source that can refresh).
    fn access_token(&self) -> BoxFuture<'_, Result<AccessToken, AuthError>>;

    /// The service answered `401` to `rejected`: a new token to send the request with once
    /// more, or `None` if this source has no other. Called by the client, once per request.
    fn refresh_rejected<'a>(
        &'a self,
        rejected: &'a AccessToken,
    ) -> BoxFuture<'a, Option<Result<AccessToken, AuthError>>> {
        let _ = rejected;
        Box::pin(std::future::ready(None))
    }

    /// `scrubber` with every secret this source holds added, so that text a server sends
    /// back is cleaned of them before it reaches an error.
    fn add_secrets_to(&self, scrubber: Scrubber) -> Scrubber;
}

impl TokenSource for AccessToken {
    fn access_token(&self) -> BoxFuture<'_, Result<AccessToken, AuthError>> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }

    fn add_secrets_to(&self, scrubber: Scrubber) -> Scrubber {
        scrubber.with(self.expose())
    }
}

impl<F> TokenSource for F
where
    F: Fn() -> AccessToken + Send + Sync + 'static,
{
    fn access_token(&self) -> BoxFuture<'_, Result<AccessToken, AuthError>> {
        Box::pin(std::future::ready(Ok(self())))
    }

    fn add_secrets_to(&self, scrubber: Scrubber) -> Scrubber {
        scrubber.with(self().expose())
    }
}

/// A token the caller can replace at any time (after a refresh); every clone sees the change.
///
/// ```
/// # use client_support::{AccessToken, SharedToken, TokenSource};
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let token = SharedToken::new(AccessToken::new("first")?);
/// let seen_by_client = token.clone();
/// token.replace(AccessToken::new("refreshed")?);
/// assert_eq!(seen_by_client.access_token().await?.expose(), "refreshed");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
#[derive(Clone)]
pub struct SharedToken(Arc<RwLock<AccessToken>>);

impl SharedToken {
    /// Starts with `token`.
    pub fn new(token: AccessToken) -> Self {
        Self(Arc::new(RwLock::new(token)))
    }

    /// Replaces the token; requests that start afterwards send the new one.
    pub fn replace(&self, token: AccessToken) {
        // A poisoned lock still holds a whole token: writing a new one is always safe.
        *self
            .0
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = token;
    }

    fn current(&self) -> AccessToken {
        self.0
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

impl TokenSource for SharedToken {
    fn access_token(&self) -> BoxFuture<'_, Result<AccessToken, AuthError>> {
        Box::pin(std::future::ready(Ok(self.current())))
    }

    fn add_secrets_to(&self, scrubber: Scrubber) -> Scrubber {
        scrubber.with(self.current().expose())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_credential_that_cannot_be_a_header_is_refused_by_its_constructor() {
        for bad in ["tok\nX-Evil: 1", "tok\r", "t\u{7f}k", "\0"] {
            assert_eq!(
                AccessToken::new(bad).unwrap_err(),
                InvalidCredential {
                    credential: "access token"
                },
                "{bad:?}"
            );
            assert_eq!(
                ApiKey::new(bad).unwrap_err().credential,
                "API key",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn headers_are_prepared_sensitive_and_nothing_prints_the_secret() {
        let token = AccessToken::new("tok-123").unwrap();
        let key = ApiKey::new("key-456").unwrap();
        assert_eq!(token.authorization(), "Bearer tok-123");
        assert!(token.authorization().is_sensitive() && key.header_value().is_sensitive());
        let shared = SharedToken::new(token.clone());
        let printed = format!(
            "{token:?} {token} {key:?} {key} {shared:?} {shared} {:?} {:?}",
            token.authorization(),
            key.header_value()
        );
        assert!(
            !printed.contains("tok-123") && !printed.contains("key-456"),
            "{printed}"
        );
    }
}

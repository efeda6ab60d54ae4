//! Credentials that never appear in `Debug`, `Display`, errors or logs.

use std::fmt;
use std::sync::{Arc, RwLock};

macro_rules! secret_string {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// Wraps a credential.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The credential itself, for putting on the wire. Never log it.
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

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

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::new(value)
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self::new(value)
            }
        }
    };
}

secret_string! {
    /// An OAuth access token, sent as `Authorization: Bearer <token>`.
    ///
    /// ```
    /// use client_support::AccessToken;
    ///
    /// let token = AccessToken::new("BQD-secret");
    /// assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
    /// assert_eq!(token.to_string(), "<redacted>");
    /// assert_eq!(token.expose(), "BQD-secret");
    /// ```
    AccessToken
}

secret_string! {
    /// An API key (Amazon Music's security profile ID, sent as `x-api-key`).
    ///
    /// ```
    /// use client_support::ApiKey;
    ///
    /// assert_eq!(format!("{:?}", ApiKey::new("amzn1.application.x")), "ApiKey(<redacted>)");
    /// ```
    ApiKey
}

/// Where a client gets the access token for each request, so that a token can be refreshed
/// without rebuilding the client.
///
/// Implemented by [`AccessToken`] (a fixed token), [`SharedToken`] (one the caller replaces
/// when it refreshes) and any `Fn() -> AccessToken` closure.
pub trait TokenSource: Send + Sync + 'static {
    /// The token to send with the next request.
    fn access_token(&self) -> AccessToken;
}

impl TokenSource for AccessToken {
    fn access_token(&self) -> AccessToken {
        self.clone()
    }
}

impl<F> TokenSource for F
where
    F: Fn() -> AccessToken + Send + Sync + 'static,
{
    fn access_token(&self) -> AccessToken {
        self()
    }
}

/// A token the caller can replace at any time (after a refresh); every clone sees the change.
///
/// ```
/// use client_support::{SharedToken, TokenSource};
///
/// let token = SharedToken::new("first");
/// let seen_by_client = token.clone();
/// token.replace("refreshed");
/// assert_eq!(seen_by_client.access_token().expose(), "refreshed");
/// ```
#[derive(Clone)]
pub struct SharedToken(Arc<RwLock<AccessToken>>);

impl SharedToken {
    /// Starts with `token`.
    pub fn new(token: impl Into<AccessToken>) -> Self {
        Self(Arc::new(RwLock::new(token.into())))
    }

    /// Replaces the token; requests that start afterwards send the new one.
    pub fn replace(&self, token: impl Into<AccessToken>) {
        // A poisoned lock still holds a whole token: writing a new one is always safe.
        *self
            .0
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = token.into();
    }
}

impl fmt::Debug for SharedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedToken(<redacted>)")
    }
}

impl TokenSource for SharedToken {
    fn access_token(&self) -> AccessToken {
        self.0
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

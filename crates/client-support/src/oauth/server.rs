//! Where an authorization server is, and how an app identifies itself to it.

use crate::base_url::{BaseUrl, InvalidBaseUrl};
use crate::secret::ClientSecret;

/// How the app sends its client id and secret to the token endpoint (RFC 6749 §2.3.1).
/// Without a secret (a PKCE app), the client id always goes in the request body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientAuthentication {
    /// `Authorization: Basic base64(id:secret)` (Spotify's documented form).
    BasicHeader,
    /// `client_id` and `client_secret` in the form body (Login with Amazon's form).
    RequestBody,
}

/// A service's authorization server: its authorize and token endpoints (checked like a
/// base URL: `https`, or plain `http` only to loopback) and how it wants the client's
/// credentials.
///
/// ```
/// use client_support::oauth::{AuthorizationServer, ClientAuthentication};
///
/// let server = AuthorizationServer::new(
///     "Example accounts",
///     "https://accounts.example.com/authorize",
///     "https://accounts.example.com/api/token",
///     ClientAuthentication::RequestBody,
/// )?;
/// assert_eq!(server.token_url(), "https://accounts.example.com/api/token");
/// assert!(AuthorizationServer::new(
///     "Example", "http://accounts.example.com/a", "http://accounts.example.com/t",
///     ClientAuthentication::RequestBody,
/// ).is_err());
/// # Ok::<(), client_support::InvalidBaseUrl>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorizationServer {
    name: &'static str,
    authorize_url: url::Url,
    token_url: url::Url,
    authentication: ClientAuthentication,
}

impl AuthorizationServer {
    /// `name` is what errors call it ("Spotify accounts", "Login with Amazon").
    pub fn new(
        name: &'static str,
        authorize_url: &str,
        token_url: &str,
        authentication: ClientAuthentication,
    ) -> Result<Self, InvalidBaseUrl> {
        Ok(Self {
            name,
            authorize_url: endpoint(authorize_url)?,
            token_url: endpoint(token_url)?,
            authentication,
        })
    }

    /// What errors call this server.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Where the user's browser is sent to sign in and consent.
    pub fn authorize_url(&self) -> &str {
        self.authorize_url.as_str()
    }

    pub(super) fn authorize_endpoint(&self) -> &url::Url {
        &self.authorize_url
    }

    pub(super) fn token_endpoint(&self) -> &url::Url {
        &self.token_url
    }

    /// Where codes and refresh tokens are exchanged for access tokens.
    pub fn token_url(&self) -> &str {
        self.token_url.as_str()
    }

    /// How the client's credentials are sent to the token endpoint.
    pub fn authentication(&self) -> ClientAuthentication {
        self.authentication
    }
}

/// `url` checked as a base URL is (the rules for sending credentials are the same).
fn endpoint(url: &str) -> Result<url::Url, InvalidBaseUrl> {
    let checked = BaseUrl::parse(url)?;
    url::Url::parse(checked.as_str()).map_err(|_| InvalidBaseUrl {
        url: checked.to_string(),
        reason: "it is not an absolute URL",
    })
}

/// An app registered with a service: its client id (public, shown in the authorization
/// URL) and, for a confidential app, its secret (never shown).
///
/// ```
/// use client_support::ClientSecret;
/// use client_support::oauth::ClientCredentials;
///
/// let app = ClientCredentials::confidential("my-id", ClientSecret::new("s3cr3t"));
/// assert_eq!(format!("{app:?}"), r#"ClientCredentials { id: "my-id", secret: Some(ClientSecret(<redacted>)) }"#);
/// assert_eq!(app.id(), "my-id");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientCredentials {
    id: String,
    secret: Option<ClientSecret>,
}

impl ClientCredentials {
    /// An app without a secret, which proves itself with PKCE (Spotify's recommended form
    /// for apps on a user's machine).
    pub fn public(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            secret: None,
        }
    }

    /// An app with a secret.
    pub fn confidential(id: impl Into<String>, secret: ClientSecret) -> Self {
        Self {
            id: id.into(),
            secret: Some(secret),
        }
    }

    /// The client id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The client secret, if the app has one.
    pub fn secret(&self) -> Option<&ClientSecret> {
        self.secret.as_ref()
    }
}

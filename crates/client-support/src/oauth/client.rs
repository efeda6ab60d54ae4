//! The app's side of an authorization server: the token requests, sent with a bounded
//! reader of the response.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

use oauth2::basic::{BasicClient, BasicErrorResponse, BasicErrorResponseType};
use oauth2::{
    AsyncHttpClient, AuthType, AuthUrl, ClientId, EndpointNotSet, EndpointSet, HttpRequest,
    HttpResponse, PkceCodeVerifier, RedirectUrl, RequestTokenError, TokenUrl,
};
use tracing::Instrument;

use super::error::AuthError;
use super::server::{AuthorizationServer, ClientAuthentication, ClientCredentials};
use super::tokens::Tokens;
use crate::scrub::Scrubber;
use crate::secret::RefreshToken;

/// The most bytes of a token endpoint's response read: a token response is well under
/// 4 KiB (LWA's tokens are the longest, about 400 bytes each).
pub const MAX_TOKEN_RESPONSE_BYTES: u64 = 64 * 1024;

/// `oauth2`'s client with both endpoints set.
type Configured =
    BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

type TokenError = RequestTokenError<reqwest::Error, BasicErrorResponse>;

/// An app talking to one authorization server: starts sign-ins ([`OAuthClient::authorize`])
/// and refreshes tokens ([`OAuthClient::refresh`]). Cloning is cheap. `Debug` shows the
/// server and the client id, never the secret.
///
/// Requests go through the same kind of HTTP client as the API's (10 s to connect, 30 s
/// per request, no redirects), and no more than [`MAX_TOKEN_RESPONSE_BYTES`] of a response
/// is read. Each token request is one `tracing` span named `token_request`, with the
/// fields `server` and `grant`: no token, code or secret.
#[derive(Clone)]
pub struct OAuthClient {
    server: AuthorizationServer,
    credentials: ClientCredentials,
    oauth: Configured,
    http: BoundedHttp,
}

/// The HTTP side of `oauth2`'s token requests: `reqwest`, with the response read to at
/// most [`MAX_TOKEN_RESPONSE_BYTES`].
#[derive(Clone)]
struct BoundedHttp(reqwest::Client);

impl<'c> AsyncHttpClient<'c> for BoundedHttp {
    type Error = reqwest::Error;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, reqwest::Error>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request)?;
            let response = self.0.execute(request).await?;
            let response = crate::send::limit_body(response, MAX_TOKEN_RESPONSE_BYTES);
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.bytes().await?;
            let mut out = HttpResponse::new(body.to_vec());
            *out.status_mut() = status;
            *out.headers_mut() = headers;
            Ok(out)
        })
    }
}

impl OAuthClient {
    /// A client for `server` as the app `credentials`; fails only if the HTTP client
    /// cannot be built (its TLS backend fails to initialise).
    pub fn new(
        server: AuthorizationServer,
        credentials: ClientCredentials,
    ) -> Result<Self, AuthError> {
        let http =
            crate::http::client_builder()
                .build()
                .map_err(|source| AuthError::Transport {
                    server: server.name(),
                    source,
                })?;
        Ok(Self::with_http_client(server, credentials, http))
    }

    /// Like [`OAuthClient::new`], sending with `http` (for its proxy or TLS settings).
    pub fn with_http_client(
        server: AuthorizationServer,
        credentials: ClientCredentials,
        http: reqwest::Client,
    ) -> Self {
        let auth_url = AuthUrl::from_url(server.authorize_endpoint().clone());
        let token_url = TokenUrl::from_url(server.token_endpoint().clone());
        let mut oauth = BasicClient::new(ClientId::new(credentials.id().to_string()))
            .set_auth_uri(auth_url)
            .set_token_uri(token_url)
            .set_auth_type(match server.authentication() {
                ClientAuthentication::BasicHeader => AuthType::BasicAuth,
                ClientAuthentication::RequestBody => AuthType::RequestBody,
            });
        if let Some(secret) = credentials.secret() {
            oauth = oauth.set_client_secret(oauth2::ClientSecret::new(secret.expose().to_string()));
        }
        Self {
            server,
            credentials,
            oauth,
            http: BoundedHttp(http),
        }
    }

    /// The authorization server.
    pub fn server(&self) -> &AuthorizationServer {
        &self.server
    }

    /// New tokens for `refresh` (`grant_type=refresh_token`). A response without a refresh
    /// token keeps `refresh`; one with a new refresh token (a rotation) replaces it.
    pub async fn refresh(&self, refresh: &RefreshToken) -> Result<Tokens, AuthError> {
        let token = oauth2::RefreshToken::new(refresh.expose().to_string());
        let response = self
            .oauth
            .exchange_refresh_token(&token)
            .request_async(&self.http)
            .instrument(self.span("refresh_token"))
            .await
            .map_err(|e| self.error(e, &self.scrubber().with(refresh.expose())))?;
        Tokens::from_response(&response, Some(refresh), self.server.name())
    }

    /// Exchanges an authorization `code` (`grant_type=authorization_code`).
    pub(super) async fn exchange_code(
        &self,
        code: String,
        verifier: PkceCodeVerifier,
        redirect: &RedirectUrl,
    ) -> Result<Tokens, AuthError> {
        let scrubber = self.scrubber().with(&code).with(verifier.secret());
        let response = self
            .oauth
            .exchange_code(oauth2::AuthorizationCode::new(code))
            .set_pkce_verifier(verifier)
            .set_redirect_uri(Cow::Borrowed(redirect))
            .request_async(&self.http)
            .instrument(self.span("authorization_code"))
            .await
            .map_err(|e| self.error(e, &scrubber))?;
        Tokens::from_response(&response, None, self.server.name())
    }

    pub(super) fn oauth(&self) -> &Configured {
        &self.oauth
    }

    /// What removes the app's secret from a server's text.
    fn scrubber(&self) -> Scrubber {
        self.add_secret_to(Scrubber::new())
    }

    /// `scrubber`, also removing the app's secret.
    pub(super) fn add_secret_to(&self, scrubber: Scrubber) -> Scrubber {
        match self.credentials.secret() {
            Some(secret) => scrubber.with(secret.expose()),
            None => scrubber,
        }
    }

    fn span(&self, grant: &'static str) -> tracing::Span {
        tracing::info_span!("token_request", server = self.server.name(), grant)
    }

    fn error(&self, error: TokenError, scrubber: &Scrubber) -> AuthError {
        let server = self.server.name();
        let text = |text: Option<&String>| text.map(|t| crate::error::excerpt(&scrubber.scrub(t)));
        match error {
            RequestTokenError::ServerResponse(response) => {
                let description = text(response.error_description());
                match response.error() {
                    BasicErrorResponseType::InvalidGrant => AuthError::SignInAgain {
                        server,
                        description,
                    },
                    BasicErrorResponseType::InvalidClient => AuthError::InvalidClient {
                        server,
                        description,
                    },
                    other => AuthError::Refused {
                        server,
                        error: crate::error::excerpt(&scrubber.scrub(other.as_ref())),
                        description,
                    },
                }
            }
            RequestTokenError::Request(source)
                if crate::generated_error::is_length_limit(&source) =>
            {
                AuthError::BodyTooLarge {
                    server,
                    limit: MAX_TOKEN_RESPONSE_BYTES,
                }
            }
            RequestTokenError::Request(source) => AuthError::Transport { server, source },
            // The path says where; the message could quote a value (a token), so it is left out.
            RequestTokenError::Parse(error, _) => AuthError::Undecodable {
                server,
                detail: format!("unexpected content at `{}`", error.path()),
            },
            RequestTokenError::Other(detail) => AuthError::Undecodable {
                server,
                detail: crate::error::excerpt(&scrubber.scrub(&detail)),
            },
        }
    }
}

impl fmt::Debug for OAuthClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthClient")
            .field("server", &self.server)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

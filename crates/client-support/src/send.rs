//! Sending a request: the credentials set, the generator's stray header removed, retries as
//! the policy allows, and one `tracing` span per attempt.
//!
//! A client crate keeps a [`Sender`] (where tokens come from, how they are presented, the
//! retry policy). For each call, [`Sender::authorized`] obtains a token and hands the call a
//! [`RequestContext`], that token included, which the client builds its generated client
//! with: the hooks read the credential from the client they run on, so no request can be
//! built without one. Nothing else between the generated operation and the wire changes a
//! request.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use tracing::{Instrument, field};

use crate::oauth::AuthError;
use crate::retry::RetryPolicy;
use crate::scrub::Scrubber;
use crate::secret::{AccessToken, ApiKey, TokenSource};

/// The header progenitor adds to every request from the spec's `info.version`; neither API
/// defines it, so it is removed before sending.
pub const GENERATOR_VERSION_HEADER: &str = "api-version";

/// An error of a generated operation that can say whether it is a `401`.
pub trait Unauthorized {
    /// Whether the service answered `401 Unauthorized`.
    fn is_unauthorized(&self) -> bool;
}

impl<E> Unauthorized for progenitor_client::Error<E> {
    fn is_unauthorized(&self) -> bool {
        self.status() == Some(reqwest::StatusCode::UNAUTHORIZED)
    }
}

/// How a service takes its credentials: each client crate names its own.
///
/// ```
/// use client_support::ApiKey;
/// use client_support::send::Presentation;
///
/// let spotify = Presentation::Bearer;
/// let amazon = Presentation::BearerAndKey {
///     header: "x-api-key",
///     key: ApiKey::new("amzn1.application.example")?,
/// };
/// let listenbrainz = Presentation::Scheme("Token");
/// assert!(!format!("{amazon:?}").contains("amzn1"));
/// # let _ = (spotify, listenbrainz, Presentation::Query("token"));
/// # Ok::<(), client_support::InvalidCredential>(())
/// ```
#[derive(Clone, Debug)]
pub enum Presentation {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Bearer <token>`, and an API key in a header of its own (Amazon
    /// Music's `x-api-key`).
    BearerAndKey {
        /// The key's header, in lower case.
        header: &'static str,
        /// The key.
        key: ApiKey,
    },
    /// `Authorization: <scheme> <token>` (ListenBrainz: `Token`).
    Scheme(&'static str),
    /// The token as this query parameter. Transport errors then carry no URL, since the
    /// URL carries the token.
    Query(&'static str),
}

impl Presentation {
    /// Sets the credentials on `request`, every header marked sensitive so that `Debug`
    /// output redacts it.
    fn present(&self, request: &mut reqwest::Request, token: &AccessToken) {
        let headers = request.headers_mut();
        match self {
            Self::Bearer => {
                headers.insert(AUTHORIZATION, token.authorization().clone());
            }
            Self::BearerAndKey { header, key } => {
                headers.insert(AUTHORIZATION, token.authorization().clone());
                headers.insert(HeaderName::from_static(header), key.header_value().clone());
            }
            Self::Scheme(scheme) => {
                // The token was checked as header text after `Bearer `; any other scheme
                // of header-safe ASCII keeps it valid.
                if let Ok(mut value) =
                    HeaderValue::from_str(&format!("{scheme} {}", token.expose()))
                {
                    value.set_sensitive(true);
                    headers.insert(AUTHORIZATION, value);
                }
            }
            Self::Query(parameter) => {
                request
                    .url_mut()
                    .query_pairs_mut()
                    .append_pair(parameter, token.expose());
            }
        }
    }

    fn add_secrets_to(&self, scrubber: Scrubber) -> Scrubber {
        match self {
            Self::BearerAndKey { key, .. } => scrubber.with(key.expose()),
            _ => scrubber,
        }
    }
}

/// Which operation of which service a request belongs to, for its `tracing` span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The service, e.g. `"spotify"` or `"amazon_music"`.
    pub service: &'static str,
    /// The spec's `operationId`.
    pub id: &'static str,
}

/// What a client sends with: where the tokens come from and how the service takes them, the
/// retry policy, the most of a body it reads, and, for `tracing`, the service's name and
/// the query parameters that say which page a request asks for.
#[derive(Clone)]
pub struct Sender {
    token: Arc<dyn TokenSource>,
    presentation: Presentation,
    retry: RetryPolicy,
    service: &'static str,
    cursor_parameters: &'static [&'static str],
    max_body_bytes: u64,
}

impl Sender {
    /// A sender for `service` that presents tokens from `token` as `presentation` and reads
    /// at most `max_body_bytes` of any response body; no parameter is a cursor until
    /// [`Sender::cursor_parameters`] says so.
    pub fn new(
        service: &'static str,
        token: Arc<dyn TokenSource>,
        presentation: Presentation,
        retry: RetryPolicy,
        max_body_bytes: u64,
    ) -> Self {
        Self {
            token,
            presentation,
            retry,
            service,
            cursor_parameters: &[],
            max_body_bytes,
        }
    }

    /// The query parameters that say which page a request asks for, the first present
    /// recorded as its span's `cursor` (Spotify: `before`, `after`; Amazon: `cursor`).
    pub fn cursor_parameters(mut self, parameters: &'static [&'static str]) -> Self {
        self.cursor_parameters = parameters;
        self
    }

    /// The most bytes of a response body this sender reads.
    pub fn max_body_bytes(&self) -> u64 {
        self.max_body_bytes
    }

    /// What removes this sender's credentials from text a server sent back.
    pub fn scrubber(&self) -> Scrubber {
        self.presentation
            .add_secrets_to(self.token.add_secrets_to(Scrubber::new()))
    }

    /// Whether transport errors must lose their URL (it carries the token).
    pub(crate) fn token_in_url(&self) -> bool {
        matches!(self.presentation, Presentation::Query(_))
    }

    /// Runs `call` (one generated operation, on a generated client built with the context
    /// it is given) with a token from the source. If the service answers `401` and the
    /// source has another token ([`TokenSource::refresh_rejected`]), runs it once more with
    /// that one.
    ///
    /// The outer error is the token source's: no token could be had, nothing more was sent.
    pub async fn authorized<T, E, F, Fut>(&self, call: F) -> Result<Result<T, E>, AuthError>
    where
        F: Fn(RequestContext) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Unauthorized,
    {
        let token = self.token.access_token().await?;
        let first = call(self.context(token.clone())).await;
        match &first {
            Err(error) if error.is_unauthorized() => {}
            _ => return Ok(first),
        }
        let Some(fresh) = self.token.refresh_rejected(&token).await else {
            return Ok(first);
        };
        drop(first);
        let fresh = fresh?;
        tracing::info!(
            service = self.service,
            "the access token was refused (401); sending once more with a new one"
        );
        Ok(call(self.context(fresh)).await)
    }

    fn context(&self, token: AccessToken) -> RequestContext {
        RequestContext {
            sender: self.clone(),
            token,
        }
    }
}

impl fmt::Debug for Sender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The token source may hold the token itself: never print it.
        f.debug_struct("Sender")
            .field("service", &self.service)
            .field("token", &format_args!("<redacted>"))
            .field("presentation", &self.presentation)
            .field("retry", &self.retry)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish()
    }
}

/// What one call's hooks need: the client's [`Sender`] and the token obtained for this
/// call. A client crate builds its generated client with it (the generator's "inner"
/// context), so the credential travels with the request. `Debug` shows no token.
#[derive(Clone)]
pub struct RequestContext {
    sender: Sender,
    token: AccessToken,
}

impl RequestContext {
    /// Sets the credentials (already checked, marked sensitive) and removes what the
    /// generator adds but the APIs do not define.
    pub fn prepare(&self, request: &mut reqwest::Request) {
        request.headers_mut().remove(GENERATOR_VERSION_HEADER);
        self.sender.presentation.present(request, &self.token);
    }

    /// Sends `request` for the operation `operation_id` with `http`; see [`send`]. The
    /// body is read to at most the sender's [`Sender::max_body_bytes`].
    pub async fn send(
        &self,
        http: &reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> reqwest::Result<reqwest::Response> {
        let sender = &self.sender;
        let operation = Operation {
            service: sender.service,
            id: operation_id,
        };
        let response = send(
            http,
            request,
            operation,
            sender.cursor_parameters,
            &sender.retry,
        )
        .await
        .map_err(|e| {
            if sender.token_in_url() {
                e.without_url()
            } else {
                e
            }
        })?;
        Ok(limit_body(response, sender.max_body_bytes))
    }
}

impl fmt::Debug for RequestContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestContext")
            .field("sender", &self.sender)
            .finish_non_exhaustive()
    }
}

/// `response` with its body cut off at `max_bytes`, while it streams: reading past the
/// limit fails with `http_body_util::LengthLimitError` in the error's source chain, so that
/// memory stays bounded whatever `Content-Length` says or omits.
pub fn limit_body(response: reqwest::Response, max_bytes: u64) -> reqwest::Response {
    let response: http::Response<reqwest::Body> = response.into();
    let (parts, body) = response.into_parts();
    let limit = usize::try_from(max_bytes).unwrap_or(usize::MAX);
    let limited = reqwest::Body::wrap(http_body_util::Limited::new(body, limit));
    http::Response::from_parts(parts, limited).into()
}

/// Sends `request` with `http`, retrying as `retry` allows.
///
/// Each attempt is one span named `request`, with the fields `service`, `operation`,
/// `attempt` (from 1), `cursor` (the value of the first of `cursor_parameters` in the
/// query, if any: the page asked for), `status` and `elapsed_ms`;
/// each retry is an event with the `wait_ms` before it. No header is recorded, so neither
/// the token nor the API key can reach a subscriber.
pub async fn send(
    http: &reqwest::Client,
    request: reqwest::Request,
    operation: Operation,
    cursor_parameters: &[&str],
    retry: &RetryPolicy,
) -> reqwest::Result<reqwest::Response> {
    let cursor = request
        .url()
        .query_pairs()
        .filter_map(|(key, value)| {
            let rank = cursor_parameters.iter().position(|name| *name == key)?;
            Some((rank, value.into_owned()))
        })
        .min_by_key(|(rank, _)| *rank)
        .map(|(_, value)| value);
    let mut waited = Duration::ZERO;
    let mut attempt = 1;
    let mut request = request;
    loop {
        // A request with a streaming body cannot be repeated; ours are all GETs.
        let again = (attempt < retry.max_attempts())
            .then(|| request.try_clone())
            .flatten();
        let span = tracing::info_span!(
            "request",
            service = operation.service,
            operation = operation.id,
            attempt,
            cursor = cursor.as_deref(),
            status = field::Empty,
            elapsed_ms = field::Empty,
        );
        let started = Instant::now();
        let outcome = http.execute(request).instrument(span.clone()).await;
        span.record("elapsed_ms", started.elapsed().as_millis() as u64);
        if let Ok(response) = &outcome {
            span.record("status", response.status().as_u16());
        }
        let Some(next) = again else { return outcome };
        let Some(wait) = retry.wait_before_retry(&outcome, attempt) else {
            return outcome;
        };
        if waited + wait > retry.total_wait_cap() {
            return outcome;
        }
        tracing::info!(
            service = operation.service,
            operation = operation.id,
            attempt,
            wait_ms = wait.as_millis() as u64,
            "retrying"
        );
        drop(outcome);
        tokio::time::sleep(wait).await;
        waited += wait;
        attempt += 1;
        request = next;
    }
}

/// The generated client's `ClientHooks`, written once: `pre` sets the credentials from the
/// call's [`RequestContext`] (the client's inner value) and removes the generator's
/// header, then applies `rewrite` when one is given (a request rewrite the service needs,
/// such as Amazon Music's `entityTypes`); `exec` sends through [`RequestContext::send`].
/// Each client crate expands it in its `hooks.rs` for its generated `Client`, whose inner
/// type `xtask/src/apis.rs` sets to [`RequestContext`].
///
/// ```ignore
/// client_support::client_hooks!(crate::generated::Client);
/// client_support::client_hooks!(crate::generated::Client, |request| rewrite(request));
/// ```
#[macro_export]
macro_rules! client_hooks {
    ($client:ty) => {
        $crate::client_hooks!($client, |_request: &mut ::reqwest::Request| {});
    };
    ($client:ty, $rewrite:expr) => {
        impl ::progenitor_client::ClientHooks<$crate::send::RequestContext> for $client {
            /// Sets the credentials, removes the `api-version` header the generator adds,
            /// and rewrites what the service needs rewritten.
            async fn pre<E>(
                &self,
                request: &mut ::reqwest::Request,
                _info: &::progenitor_client::OperationInfo,
            ) -> ::std::result::Result<(), ::progenitor_client::Error<E>> {
                ::progenitor_client::ClientInfo::inner(self).prepare(request);
                let rewrite: fn(&mut ::reqwest::Request) = $rewrite;
                rewrite(request);
                Ok(())
            }

            /// Sends the request in its `tracing` span, retrying as the client's policy
            /// allows.
            async fn exec(
                &self,
                request: ::reqwest::Request,
                info: &::progenitor_client::OperationInfo,
            ) -> ::reqwest::Result<::reqwest::Response> {
                let http = ::progenitor_client::ClientInfo::client(self);
                ::progenitor_client::ClientInfo::inner(self)
                    .send(http, request, info.operation_id)
                    .await
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn request() -> reqwest::Request {
        let mut request = reqwest::Request::new(
            reqwest::Method::GET,
            "https://api.example/v1/x?limit=5".parse().unwrap(),
        );
        request
            .headers_mut()
            .insert(GENERATOR_VERSION_HEADER, HeaderValue::from_static("1.0.0"));
        request
    }

    fn context(presentation: Presentation) -> RequestContext {
        let token = AccessToken::new("tok-123").unwrap();
        let sender = Sender::new(
            "example",
            Arc::new(token.clone()),
            presentation,
            RetryPolicy::none(),
            1024,
        );
        RequestContext { sender, token }
    }

    #[test]
    fn each_presentation_sets_its_credentials_sensitive_and_removes_the_generator_header() {
        let key = ApiKey::new("key-456").unwrap();
        let cases = [
            (
                Presentation::Bearer,
                Some("Bearer tok-123"),
                None,
                "limit=5",
            ),
            (
                Presentation::BearerAndKey {
                    header: "x-api-key",
                    key,
                },
                Some("Bearer tok-123"),
                Some("key-456"),
                "limit=5",
            ),
            (
                Presentation::Scheme("Token"),
                Some("Token tok-123"),
                None,
                "limit=5",
            ),
            (
                Presentation::Query("token"),
                None,
                None,
                "limit=5&token=tok-123",
            ),
        ];
        for (presentation, authorization, api_key, query) in cases {
            let mut request = request();
            context(presentation.clone()).prepare(&mut request);
            let headers = request.headers();
            assert!(headers.get(GENERATOR_VERSION_HEADER).is_none());
            assert_eq!(
                headers.get(AUTHORIZATION).map(|v| v.to_str().unwrap()),
                authorization,
                "{presentation:?}"
            );
            assert_eq!(
                headers.get("x-api-key").map(|v| v.to_str().unwrap()),
                api_key
            );
            assert!(headers.values().all(HeaderValue::is_sensitive));
            assert_eq!(request.url().query(), Some(query));
            let debug = format!(
                "{:?} {headers:?} {:?}",
                request.headers(),
                context(presentation)
            );
            assert!(
                !debug.contains("tok-123") && !debug.contains("key-456"),
                "{debug}"
            );
        }
    }
}

//! Sending a request: the credentials set, the generator's stray header removed, retries as
//! the policy allows, and one `tracing` span per attempt.
//!
//! The clients' request hooks call [`prepare`] and [`send`]; nothing else between the
//! generated operation and the wire changes a request.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{AUTHORIZATION, HeaderName};
use tracing::{Instrument, field};

use crate::oauth::AuthError;
use crate::retry::RetryPolicy;
use crate::scrub::Scrubber;
use crate::secret::{AccessToken, ApiKey, TokenSource};

/// The header progenitor adds to every request from the spec's `info.version`; neither API
/// defines it, so it is removed before sending.
pub const GENERATOR_VERSION_HEADER: &str = "api-version";

/// The query parameters that say which page a request asks for, in the order they are
/// looked for when a request's span records its `cursor`.
const CURSOR_PARAMETERS: [&str; 3] = ["cursor", "before", "after"];

tokio::task_local! {
    /// The token of the request being made, set by [`Sender::authorized`] for the hooks.
    static REQUEST_TOKEN: AccessToken;
}

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

/// A request made outside [`Sender::authorized`]: it has no token, and is not sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoTokenInScope;

impl fmt::Display for NoTokenInScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("no access token was obtained for this request")
    }
}

impl std::error::Error for NoTokenInScope {}

/// Which operation of which service a request belongs to, for its `tracing` span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The service, e.g. `"spotify"` or `"amazon_music"`.
    pub service: &'static str,
    /// The spec's `operationId`.
    pub id: &'static str,
}

/// What a client's request hook needs: where the token comes from, the API key if the
/// service takes one, the retry policy, and the service's name for `tracing`.
#[derive(Clone)]
pub struct Sender {
    token: Arc<dyn TokenSource>,
    api_key: Option<ApiKey>,
    retry: RetryPolicy,
    service: &'static str,
    max_body_bytes: u64,
}

impl Sender {
    /// A sender for `service` that reads at most `max_body_bytes` of any response body.
    pub fn new(
        service: &'static str,
        token: Arc<dyn TokenSource>,
        api_key: Option<ApiKey>,
        retry: RetryPolicy,
        max_body_bytes: u64,
    ) -> Self {
        Self {
            token,
            api_key,
            retry,
            service,
            max_body_bytes,
        }
    }

    /// The most bytes of a response body this sender reads.
    pub fn max_body_bytes(&self) -> u64 {
        self.max_body_bytes
    }

    /// What removes this sender's credentials from text a server sent back.
    pub fn scrubber(&self) -> Scrubber {
        let scrubber = self.token.add_secrets_to(Scrubber::new());
        match &self.api_key {
            Some(key) => scrubber.with(key.expose()),
            None => scrubber,
        }
    }

    /// Runs `call` (one generated operation) with a token from the source, which the hooks
    /// set on its request ([`Sender::prepare`]). If the service answers `401` and the
    /// source has another token ([`TokenSource::refresh_rejected`]), runs it once more with
    /// that one.
    ///
    /// The outer error is the token source's: no token could be had, nothing more was sent.
    pub async fn authorized<T, E, F, Fut>(&self, call: F) -> Result<Result<T, E>, AuthError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Unauthorized,
    {
        let token = self.token.access_token().await?;
        let first = REQUEST_TOKEN.scope(token.clone(), call()).await;
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
        Ok(REQUEST_TOKEN.scope(fresh, call()).await)
    }

    /// Sets the token of the request under way (see [`Sender::authorized`]) and the API
    /// key; see [`prepare`]. Outside [`Sender::authorized`] there is no token to set, and
    /// the request is refused before it is sent.
    pub fn prepare(&self, request: &mut reqwest::Request) -> Result<(), NoTokenInScope> {
        let token = REQUEST_TOKEN
            .try_with(AccessToken::clone)
            .map_err(|_| NoTokenInScope)?;
        prepare(request, &token, self.api_key.as_ref());
        Ok(())
    }

    /// Sends `request` for the operation `operation_id`; see [`send`].
    pub async fn send(
        &self,
        http: &reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> reqwest::Result<reqwest::Response> {
        let operation = Operation {
            service: self.service,
            id: operation_id,
        };
        let response = send(http, request, operation, &self.retry).await?;
        Ok(limit_body(response, self.max_body_bytes))
    }
}

impl fmt::Debug for Sender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The token source may hold the token itself: never print it.
        f.debug_struct("Sender")
            .field("service", &self.service)
            .field("token", &format_args!("<redacted>"))
            .field("api_key", &self.api_key)
            .field("retry", &self.retry)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish()
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

/// Sets the credentials (already checked, and marked sensitive so that they are redacted
/// from `Debug` output) and removes what the generator adds but the APIs do not define.
pub fn prepare(request: &mut reqwest::Request, token: &AccessToken, api_key: Option<&ApiKey>) {
    let headers = request.headers_mut();
    headers.remove(GENERATOR_VERSION_HEADER);
    headers.insert(AUTHORIZATION, token.authorization().clone());
    if let Some(key) = api_key {
        headers.insert(
            HeaderName::from_static("x-api-key"),
            key.header_value().clone(),
        );
    }
}

/// Sends `request` with `http`, retrying as `retry` allows.
///
/// Each attempt is one span named `request`, with the fields `service`, `operation`,
/// `attempt` (from 1), `cursor` (the page asked for, if any), `status` and `elapsed_ms`;
/// each retry is an event with the `wait_ms` before it. No header is recorded, so neither
/// the token nor the API key can reach a subscriber.
pub async fn send(
    http: &reqwest::Client,
    request: reqwest::Request,
    operation: Operation,
    retry: &RetryPolicy,
) -> reqwest::Result<reqwest::Response> {
    let cursor = request
        .url()
        .query_pairs()
        .filter_map(|(key, value)| {
            let rank = CURSOR_PARAMETERS.iter().position(|name| *name == key)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn credentials_are_set_sensitive_and_the_generator_header_removed() {
        let mut request = reqwest::Request::new(
            reqwest::Method::GET,
            "https://api.example/v1/x".parse().unwrap(),
        );
        request
            .headers_mut()
            .insert(GENERATOR_VERSION_HEADER, HeaderValue::from_static("1.0.0"));
        let token = AccessToken::new("tok-123").unwrap();
        let key = ApiKey::new("key-456").unwrap();
        prepare(&mut request, &token, Some(&key));
        let headers = request.headers();
        assert!(headers.get(GENERATOR_VERSION_HEADER).is_none());
        assert_eq!(headers[AUTHORIZATION], "Bearer tok-123");
        assert_eq!(headers["x-api-key"], "key-456");
        assert!(headers[AUTHORIZATION].is_sensitive() && headers["x-api-key"].is_sensitive());
        let debug = format!("{request:?} {headers:?}");
        assert!(
            !debug.contains("tok-123") && !debug.contains("key-456"),
            "{debug}"
        );
    }
}

//! Raw requests to a service, outside the clients: within a budget, with bounded bodies and
//! waits, stopping at the first 429, each response kept for the checks and for recording.

use std::time::Duration;

use serde_json::Value;

use super::credentials::{Credentials, Target};

/// The most bytes of a body read, as the clients read at most (8 MiB).
pub const MAX_BODY_BYTES: usize = client_support::http::DEFAULT_MAX_BODY_BYTES as usize;

/// One request and the response to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exchange {
    /// The operation it called (`get_recently_played`).
    pub operation: String,
    /// The request, below the base URL: `GET /me/player/recently-played?limit=50`.
    pub request: String,
    /// The response's status.
    pub status: u16,
    /// Its `Content-Type`, if any.
    pub content_type: Option<String>,
    /// Its `Retry-After`, if any.
    pub retry_after: Option<String>,
    /// Its body (at most [`MAX_BODY_BYTES`]).
    pub body: Vec<u8>,
}

impl Exchange {
    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// Why a service's run stopped before its checks were done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Halt {
    /// Every request of the budget was sent.
    Budget(usize),
    /// The service answered 429; the run stops there, as promised.
    RateLimited(Option<String>),
    /// The service refused the credentials: one sentence (secrets not yet scrubbed).
    Refused(String),
    /// A request got no response, or one that could not be read.
    Transport(String),
}

impl Halt {
    /// Why the checks it cut short were skipped.
    pub(crate) fn reason(&self) -> String {
        match self {
            Self::Budget(budget) => format!("the request budget ({budget}) was spent"),
            Self::RateLimited(Some(after)) => {
                format!("stopped at the first 429 (Retry-After: {after})")
            }
            Self::RateLimited(None) => "stopped at the first 429 (no Retry-After)".into(),
            Self::Refused(_) => "the service refused the credentials".into(),
            Self::Transport(message) => format!("a request failed: {message}"),
        }
    }
}

/// Sends GET requests to one service, at most `budget` of them.
pub(crate) struct Requester {
    http: reqwest::Client,
    target: Target,
    budget: usize,
    exchanges: Vec<Exchange>,
}

impl Requester {
    /// A requester for `target`, with the clients' HTTP settings (timeouts, no redirects).
    pub(crate) fn new(target: &Target, budget: usize) -> Result<Self, String> {
        let http = client_support::http::client_builder()
            .user_agent(concat!("conformance-live/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot build an HTTP client: {e}"))?;
        Ok(Self {
            http,
            target: target.clone(),
            budget,
            exchanges: Vec::new(),
        })
    }

    /// Every exchange so far, in order.
    pub(crate) fn exchanges(&self) -> &[Exchange] {
        &self.exchanges
    }

    /// Takes the exchanges.
    pub(crate) fn into_exchanges(self) -> Vec<Exchange> {
        self.exchanges
    }

    /// The credentials requests are sent with.
    pub(crate) fn credentials(&self) -> &Credentials {
        &self.target.credentials
    }

    /// The sentence for a token the service does not know (ListenBrainz's `validate-token`
    /// answers `"valid": false`, where others answer 401).
    pub(crate) fn unknown_token(&self) -> String {
        let service = self.target.service;
        format!(
            "{service}: the service does not know the token; check {}.",
            service.token_var()
        )
    }

    /// The exchange at `index`.
    pub(crate) fn exchange(&self, index: usize) -> &Exchange {
        &self.exchanges[index]
    }

    /// Sends `GET <base><path>?<query>` for `operation` and keeps the exchange; returns its
    /// index. A 429 is kept and then stops the run; so does a 401 (or a 403 to the first
    /// request), which says the credentials are refused.
    pub(crate) async fn get(
        &mut self,
        operation: &str,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<usize, Halt> {
        if self.exchanges.len() >= self.budget {
            return Err(Halt::Budget(self.budget));
        }
        let mut url = reqwest::Url::parse(&format!("{}{path}", self.target.base_url))
            .map_err(|e| Halt::Transport(format!("{path}: not a URL: {e}")))?;
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        let request = match url.query() {
            Some(q) => format!("GET {path}?{q}"),
            None => format!("GET {path}"),
        };
        let credentials = &self.target.credentials;
        let mut builder = self
            .http
            .get(url)
            .header(reqwest::header::AUTHORIZATION, credentials.authorization());
        if let Some(key) = credentials.api_key() {
            builder = builder.header("x-api-key", key.header_value().clone());
        }
        let first = self.exchanges.is_empty();
        let mut response = builder
            .send()
            .await
            .map_err(|e| Halt::Transport(format!("{request}: {}", without_url(&e))))?;
        let header = |name: reqwest::header::HeaderName| {
            response
                .headers()
                .get(name)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        };
        let status = response.status().as_u16();
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let retry_after = header(reqwest::header::RETRY_AFTER);
        let mut body = Vec::new();
        loop {
            let chunk = tokio::time::timeout(Duration::from_secs(30), response.chunk())
                .await
                .map_err(|_| {
                    Halt::Transport(format!("{request}: the body did not arrive in 30 s"))
                })?
                .map_err(|e| Halt::Transport(format!("{request}: {}", without_url(&e))))?;
            let Some(chunk) = chunk else { break };
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(Halt::Transport(format!(
                    "{request}: the body is larger than {MAX_BODY_BYTES} bytes"
                )));
            }
            body.extend_from_slice(&chunk);
        }
        let exchange = Exchange {
            operation: operation.to_string(),
            request,
            status,
            content_type,
            retry_after: retry_after.clone(),
            body,
        };
        let message = error_message(&exchange);
        self.exchanges.push(exchange);
        match status {
            429 => Err(Halt::RateLimited(retry_after)),
            401 => Err(Halt::Refused(format!(
                "{}: the service refused the access token (401{message}); check {}.",
                self.target.service,
                self.target.service.token_var()
            ))),
            403 if first => Err(Halt::Refused(format!(
                "{}: the service refused the credentials (403{message}); check the token's scope{}.",
                self.target.service,
                match (
                    credentials.api_key(),
                    self.target.service.description().variables.api_key
                ) {
                    (Some(_), Some(var)) => format!(" and {var}"),
                    _ => String::new(),
                }
            ))),
            _ => Ok(self.exchanges.len() - 1),
        }
    }
}

/// `: "<message>"` from an error body's `/error/message`, or nothing. Not cut short here:
/// a secret cut in two would escape the scrubber, so the sentence is cut once scrubbed.
fn error_message(exchange: &Exchange) -> String {
    exchange
        .json()
        .and_then(|body| {
            body.pointer("/error/message")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .map(|message| format!(": \"{message}\""))
        .unwrap_or_default()
}

/// A transport error's message without its URL (the request already names the path).
fn without_url(error: &reqwest::Error) -> String {
    let mut message = error.to_string();
    if let Some(url) = error.url() {
        message = message.replace(&format!(" for url ({url})"), "");
    }
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    message
}

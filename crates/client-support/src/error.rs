//! The one error type of both clients: what went wrong, in a sentence.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde::de::DeserializeOwned;

use crate::base_url::InvalidBaseUrl;
use crate::entry::MalformedItem;
use crate::limit::LimitOutOfRange;
use crate::oauth::AuthError;
use crate::paging::{PageBudgetExhausted, RepeatedCursor};
use crate::scrub::Scrubber;
use crate::secret::InvalidCredential;

/// A documented error object (each API has its own), from which a sentence can be made.
pub trait DocumentedError: DeserializeOwned + fmt::Debug {
    /// The service's human-readable message.
    fn message(&self) -> &str;

    /// What a `403` most likely means at this service, after "access denied (403: …); ".
    const FORBIDDEN: &'static str = "the token may lack a required scope";
}

/// The body of an error response: the API's documented error object when it decodes as
/// one, the raw text otherwise (an HTML page from a proxy, say). It is never dropped.
#[derive(Clone, Debug, PartialEq)]
pub enum ErrorBody<B> {
    /// The documented error object.
    Documented(B),
    /// A body that is not the documented error object, as text (lossily decoded as UTF-8).
    Raw(String),
}

/// An HTTP error response: its status and its body.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceError<B> {
    /// The response's status.
    pub status: StatusCode,
    /// The response's body.
    pub body: ErrorBody<B>,
}

impl<B: DocumentedError> ServiceError<B> {
    /// Reads an error response's body, keeping it whatever its shape, with every secret
    /// `scrubber` knows removed (a server may echo the request's credentials).
    pub fn from_body(status: StatusCode, body: &[u8], scrubber: &Scrubber) -> Self {
        let documented = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|value| serde_json::from_value::<B>(scrubber.scrub_json(value)).ok());
        let body = match documented {
            Some(documented) => ErrorBody::Documented(documented),
            None => ErrorBody::Raw(scrubber.scrub(&String::from_utf8_lossy(body))),
        };
        Self { status, body }
    }

    /// The service's message, or the start of the raw body: at most
    /// [`MAX_MESSAGE_CHARS`] characters, on one line, with control characters replaced.
    pub fn message(&self) -> String {
        match &self.body {
            ErrorBody::Documented(documented) => excerpt(documented.message()),
            ErrorBody::Raw(text) if text.trim().is_empty() => "no body".to_string(),
            ErrorBody::Raw(text) => excerpt(text),
        }
    }
}

/// The most characters of a service's message an error's `Display` shows: enough for any
/// message the services document (the longest is under 100), short enough that a hostile
/// server cannot flood a terminal or a log line.
pub const MAX_MESSAGE_CHARS: usize = 200;

/// A parameter that cannot be sent as given (a path ID that would not arrive as exactly one
/// path segment equal to itself, an empty page cursor); refused before any request exists.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{parameter}` {value:?} {reason}")]
pub struct InvalidParameter {
    /// The parameter.
    pub parameter: &'static str,
    /// The value as given.
    pub value: String,
    /// Why it was refused.
    pub reason: &'static str,
}

/// Everything a client call can fail with.
///
/// `B` is the API's documented error object; each client crate fixes it, e.g.
/// `spotify_web_api::Error`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<B: DocumentedError> {
    /// A `limit` outside its documented bounds; nothing was sent.
    #[error("request not sent: {0}")]
    LimitOutOfRange(#[from] LimitOutOfRange),
    /// A parameter that cannot be sent as given (a path ID, an empty cursor); nothing was
    /// sent.
    #[error("request not sent: {0}")]
    InvalidParameter(#[from] InvalidParameter),
    /// A base URL the client refuses to send credentials to.
    #[error("{0}")]
    InvalidBaseUrl(#[from] InvalidBaseUrl),
    /// A credential that cannot be put in an HTTP header; nothing was sent.
    #[error("request not sent: {0}")]
    InvalidCredential(#[from] InvalidCredential),
    /// No access token could be had: the token source's refresh failed (for a revoked
    /// refresh token, [`AuthError::must_sign_in_again`] is true); nothing more was sent.
    #[error("request not sent: {0}")]
    Authorization(#[from] AuthError),
    /// 400: the service refused the request as malformed.
    #[error("the service refused the request (400): {}", .0.message())]
    BadRequest(ServiceError<B>),
    /// 401: the token is missing, invalid or expired.
    #[error(
        "the access token was refused (401: {}); it may have expired, get a new one",
        .0.message()
    )]
    Unauthorized(ServiceError<B>),
    /// 403: the token lacks a scope, or the API key is wrong.
    #[error("access denied (403: {}); {}", .0.message(), B::FORBIDDEN)]
    Forbidden(ServiceError<B>),
    /// 404: no such resource (e.g. an unknown user).
    #[error("not found (404): {}", .0.message())]
    NotFound(ServiceError<B>),
    /// 429: too many requests; `retry_after` is how long the service asked to wait (its
    /// `Retry-After`, else its `X-RateLimit-Reset-In`), when it said.
    #[error("rate limited (429: {}); {}", error.message(), retry_in(retry_after))]
    RateLimited {
        /// How long the service asked to wait.
        retry_after: Option<Duration>,
        /// The response.
        error: ServiceError<B>,
    },
    /// 5xx: the service failed.
    #[error("the service failed ({}): {}", .0.status, .0.message())]
    Server(ServiceError<B>),
    /// Any other status the API does not document.
    #[error(
        "the service answered with undocumented status {}: {}",
        .0.status,
        .0.message()
    )]
    UnexpectedStatus(ServiceError<B>),
    /// A response whose body does not decode as the documented type.
    #[error("the response ({status}) does not match the documented shape: {source}")]
    Undecodable {
        /// The response's status.
        status: StatusCode,
        /// The decoder's complaint.
        source: serde_json::Error,
    },
    /// The request could not be sent or the response not received.
    #[error("the request failed in transit: {}", transport_cause(.0))]
    Transport(#[from] reqwest::Error),
    /// The service handed back a cursor it had already given: walking on would loop.
    #[error("{0}")]
    RepeatedCursor(#[from] RepeatedCursor),
    /// The generated operation could not build the request; nothing was sent. Not expected:
    /// every parameter is checked by its type first.
    #[error("{0}")]
    RequestNotBuilt(RequestNotBuilt),
    /// A response body longer than the client's limit; reading stopped at the limit.
    #[error("the response ({status}) is larger than the limit of {limit} bytes; stopped reading")]
    BodyTooLarge {
        /// The response's status.
        status: StatusCode,
        /// The limit, in bytes.
        limit: u64,
    },
    /// A page that breaks the paging rules the service documents (a cursor going the wrong
    /// way, more items than asked for, items outside the window asked for): not data.
    #[error("{0}")]
    Protocol(#[from] ProtocolError),
    /// A walk fetched as many pages as its budget allows; the resume point says where to
    /// go on.
    #[error(
        "stopped after {} pages, the most a walk may fetch; resume to go on",
        .0.pages
    )]
    PageBudgetExhausted(PageBudgetExhausted),
    /// One item of a page did not decode; the page's other items did. **Not fatal**: the
    /// walk yields this in the item's place and goes on (`next` reads on; `try_next` stops
    /// here, and the resume point is just after the malformed item). See
    /// [`Error::is_fatal`].
    #[error("{0}")]
    MalformedItem(#[from] MalformedItem),
}

/// When to retry, for a rate limit's sentence.
fn retry_in(retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(wait) => format!("retry after {} s", wait.as_secs()),
        None => "retry later".to_string(),
    }
}

/// A page that breaks the paging rules the service documents.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the service broke its paging rules: {reason}")]
pub struct ProtocolError {
    /// Which rule, and how it was broken.
    pub reason: String,
}

impl<B: DocumentedError> Error<B> {
    /// Classifies an error response by status; `headers` give `Retry-After`; `scrubber`
    /// removes the request's secrets from the body.
    pub fn from_response(
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        scrubber: &Scrubber,
    ) -> Self {
        let error = ServiceError::from_body(status, body, scrubber);
        match status.as_u16() {
            400 => Self::BadRequest(error),
            401 => Self::Unauthorized(error),
            403 => Self::Forbidden(error),
            404 => Self::NotFound(error),
            429 => Self::RateLimited {
                retry_after: retry_after(headers),
                error,
            },
            500..=599 => Self::Server(error),
            _ => Self::UnexpectedStatus(error),
        }
    }

    /// Whether the user must sign in again: the token source's refresh token was refused
    /// (revoked, expired, or spent by a rotation kept nowhere). Trying again will not help.
    pub fn must_sign_in_again(&self) -> bool {
        matches!(self, Self::Authorization(e) if e.must_sign_in_again())
    }

    /// How long the service asked to wait before the next request, after a rate limit
    /// that said how long (`Retry-After`, or `X-RateLimit-Reset-In`).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether the same request may succeed later unchanged: a rate limit, a server
    /// error, or a failure in transit (once the client's own retries are spent).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. } | Self::Server(_) | Self::Transport(_)
        )
    }

    /// Whether the service broke what it documents (a body of another shape, a status it
    /// does not document, paging rules broken, a cursor that comes back, a body beyond
    /// the limit): the spec and the service have drifted apart, and neither the user nor a
    /// retry can cure it.
    pub fn is_protocol(&self) -> bool {
        matches!(
            self,
            Self::Undecodable { .. }
                | Self::UnexpectedStatus(_)
                | Self::Protocol(_)
                | Self::RepeatedCursor(_)
                | Self::BodyTooLarge { .. }
        )
    }

    /// Whether a walk that yielded this error has ended: false only for
    /// [`Error::MalformedItem`], after which the walk goes on.
    pub fn is_fatal(&self) -> bool {
        !matches!(self, Self::MalformedItem(_))
    }

    /// The HTTP status, for errors that came from a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::BadRequest(e)
            | Self::Unauthorized(e)
            | Self::Forbidden(e)
            | Self::NotFound(e)
            | Self::Server(e)
            | Self::UnexpectedStatus(e)
            | Self::RateLimited { error: e, .. } => Some(e.status),
            Self::Undecodable { status, .. } | Self::BodyTooLarge { status, .. } => Some(*status),
            Self::Transport(e) => e.status(),
            _ => None,
        }
    }
}

/// The header ListenBrainz (and other services built on MetaBrainz's `brainzutils` rate
/// limiter) sends instead of `Retry-After`: the seconds until the limit's window resets.
pub const RATE_LIMIT_RESET_IN: &str = "x-ratelimit-reset-in";

/// How long a `429` asks to wait: `Retry-After` as delay-seconds (the form Spotify and
/// Amazon Music use; an HTTP date is not honoured), else [`RATE_LIMIT_RESET_IN`].
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let seconds = |name: &str| {
        let value = headers.get(name)?.to_str().ok()?;
        value.trim().parse::<u64>().ok().map(Duration::from_secs)
    };
    seconds(RETRY_AFTER.as_str()).or_else(|| seconds(RATE_LIMIT_RESET_IN))
}

/// `text` on one line, control characters replaced by `�`, cut to [`MAX_MESSAGE_CHARS`].
pub(crate) fn excerpt(text: &str) -> String {
    let mut out = String::new();
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.extend(
            word.chars()
                .map(|c| if c.is_control() { '\u{fffd}' } else { c }),
        );
        if out.chars().count() > MAX_MESSAGE_CHARS {
            break;
        }
    }
    match out.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((cut, _)) => format!("{}…", &out[..cut]),
        None => out,
    }
}

/// reqwest's message plus its innermost cause, which names what actually happened.
fn transport_cause(error: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    if std::ptr::addr_eq(cause, error) {
        error.to_string()
    } else {
        format!("{error} ({cause})")
    }
}

impl<B: DocumentedError> From<PageBudgetExhausted> for Error<B> {
    fn from(e: PageBudgetExhausted) -> Self {
        Self::PageBudgetExhausted(e)
    }
}

/// The generated operation refused to build its request (a value it could not encode);
/// nothing was sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("request not sent: {reason}")]
pub struct RequestNotBuilt {
    reason: String,
}

impl RequestNotBuilt {
    pub(crate) fn new(reason: String) -> Self {
        Self { reason }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_malformed_item_lets_a_walk_go_on() {
        let raw = serde_json::value::RawValue::from_string("null".into()).unwrap();
        let malformed: Error<Documented> = Error::MalformedItem(crate::MalformedItem {
            page: crate::Position::new(0u32),
            index: 0,
            malformed: crate::Malformed::new(raw, "null".into()),
        });
        assert!(!malformed.is_fatal());
        let repeated: Error<Documented> = Error::RepeatedCursor(RepeatedCursor {
            cursor: crate::Position::new(1u32),
        });
        assert!(repeated.is_fatal());
    }

    #[derive(Debug, serde::Deserialize)]
    struct Documented {
        error: Inner,
    }
    #[derive(Debug, serde::Deserialize)]
    struct Inner {
        message: String,
    }
    impl DocumentedError for Documented {
        fn message(&self) -> &str {
            &self.error.message
        }
    }

    fn from_status(status: u16, headers: &[(&str, &str)]) -> Error<Documented> {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(
                reqwest::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        Error::from_response(
            StatusCode::from_u16(status).unwrap(),
            &map,
            br#"{"error":{"message":"m"}}"#,
            &Scrubber::new(),
        )
    }

    #[test]
    fn each_question_an_application_asks_has_one_answer_per_kind_of_error() {
        let revoked: Error<Documented> = Error::Authorization(AuthError::SignInAgain {
            server: "S",
            description: None,
        });
        assert!(revoked.must_sign_in_again());
        assert!(!revoked.is_transient() && !revoked.is_protocol());

        let limited = from_status(429, &[("retry-after", "80000")]);
        assert_eq!(limited.retry_after(), Some(Duration::from_secs(80_000)));
        assert!(limited.is_transient() && !limited.must_sign_in_again());
        assert_eq!(from_status(429, &[]).retry_after(), None);

        let server = from_status(503, &[]);
        assert!(server.is_transient() && !server.is_protocol());
        assert_eq!(server.retry_after(), None);

        let drifted = from_status(418, &[]);
        assert!(drifted.is_protocol() && !drifted.is_transient());
        for refused in [400, 401, 403, 404] {
            let refused = from_status(refused, &[]);
            assert!(
                !refused.is_transient() && !refused.is_protocol(),
                "{refused}"
            );
            assert!(!refused.must_sign_in_again());
        }
        assert!(Error::<Documented>::Protocol(ProtocolError { reason: "r".into() }).is_protocol());
    }

    #[test]
    fn a_403_says_what_the_service_says_it_means() {
        #[derive(Debug, serde::Deserialize)]
        struct Keyed {
            error: Inner,
        }
        impl DocumentedError for Keyed {
            fn message(&self) -> &str {
                &self.error.message
            }
            const FORBIDDEN: &'static str = "the API key may be wrong";
        }
        let body = br#"{"error":{"message":"denied"}}"#;
        let keyed = Error::<Keyed>::from_response(
            StatusCode::FORBIDDEN,
            &HeaderMap::new(),
            body,
            &Scrubber::new(),
        );
        assert_eq!(
            keyed.to_string(),
            "access denied (403: denied); the API key may be wrong"
        );
        assert!(
            from_status(403, &[])
                .to_string()
                .ends_with("the token may lack a required scope")
        );
    }

    #[test]
    fn a_json_error_is_decoded_and_anything_else_is_kept_raw() {
        let headers = HeaderMap::new();
        let e = Error::<Documented>::from_response(
            StatusCode::UNAUTHORIZED,
            &headers,
            br#"{"error":{"status":401,"message":"The access token expired"}}"#,
            &Scrubber::new(),
        );
        assert!(matches!(
            &e,
            Error::Unauthorized(ServiceError {
                body: ErrorBody::Documented(_),
                ..
            })
        ));
        assert_eq!(
            e.to_string(),
            "the access token was refused (401: The access token expired); it may have expired, get a new one"
        );

        let html = Error::<Documented>::from_response(
            StatusCode::FORBIDDEN,
            &headers,
            b"<html>nope</html>",
            &Scrubber::new(),
        );
        let Error::Forbidden(ServiceError {
            body: ErrorBody::Raw(raw),
            ..
        }) = &html
        else {
            panic!("{html:?}");
        };
        assert_eq!(raw, "<html>nope</html>");
        assert_eq!(
            html.to_string(),
            "access denied (403: <html>nope</html>); the token may lack a required scope"
        );
    }

    #[test]
    fn an_error_that_wraps_another_keeps_it_as_its_source() {
        use std::error::Error as _;
        let wrapping: [(Error<Documented>, String); 5] = [
            {
                let e = crate::BaseUrl::parse("http://example.com").unwrap_err();
                (Error::InvalidBaseUrl(e.clone()), e.to_string())
            },
            {
                let e = RepeatedCursor {
                    cursor: crate::Position::new("t1"),
                };
                (Error::RepeatedCursor(e.clone()), e.to_string())
            },
            {
                let e = InvalidCredential {
                    credential: "API key",
                };
                (Error::InvalidCredential(e), e.to_string())
            },
            {
                let e = ProtocolError {
                    reason: "3 plays".into(),
                };
                (Error::Protocol(e.clone()), e.to_string())
            },
            {
                let e = InvalidParameter {
                    parameter: "id",
                    value: "..".into(),
                    reason: "is a dot segment",
                };
                (Error::InvalidParameter(e.clone()), e.to_string())
            },
        ];
        for (error, inner) in wrapping {
            let source = error.source().map(ToString::to_string);
            assert_eq!(source.as_deref(), Some(inner.as_str()), "{error:?}");
        }
    }

    #[test]
    fn a_body_of_blanks_is_no_body_and_any_other_raw_body_is_shown() {
        let shown = |body: &[u8]| {
            Error::<Documented>::from_response(
                StatusCode::BAD_GATEWAY,
                &HeaderMap::new(),
                body,
                &Scrubber::new(),
            )
            .to_string()
        };
        assert_eq!(
            shown(b" \r\n\t"),
            "the service failed (502 Bad Gateway): no body"
        );
        assert_eq!(
            shown(b"upstream timed out"),
            "the service failed (502 Bad Gateway): upstream timed out"
        );
    }

    #[test]
    fn a_rate_limit_reset_header_is_the_wait_when_retry_after_is_absent() {
        let mut headers = HeaderMap::new();
        headers.insert(RATE_LIMIT_RESET_IN, " 42 ".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(42)));
        headers.insert(RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert(
            RETRY_AFTER,
            "Wed, 21 Oct 2026 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(42)));
        headers.remove(RATE_LIMIT_RESET_IN);
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn rate_limits_carry_retry_after_seconds() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "7".parse().unwrap());
        let e = Error::<Documented>::from_response(
            StatusCode::TOO_MANY_REQUESTS,
            &headers,
            b"",
            &Scrubber::new(),
        );
        assert!(
            matches!(e, Error::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(7))
        );
        assert_eq!(
            e.to_string(),
            "rate limited (429: no body); retry after 7 s"
        );
        let e = Error::<Documented>::from_response(
            StatusCode::BAD_GATEWAY,
            &HeaderMap::new(),
            b"",
            &Scrubber::new(),
        );
        assert!(matches!(e, Error::Server(_)));
        assert_eq!(e.status(), Some(StatusCode::BAD_GATEWAY));
    }

    /// Every kind of error says what happened in one sentence, with the status and the
    /// service's message where there is one; each text is pinned here.
    #[test]
    fn each_error_kind_is_its_own_one_sentence() {
        let body = br#"{"error":{"status":0,"message":"Nope"}}"#;
        let response = |status: u16, headers: &HeaderMap| {
            Error::<Documented>::from_response(
                StatusCode::from_u16(status).unwrap(),
                headers,
                body,
                &Scrubber::new(),
            )
            .to_string()
        };
        let none = HeaderMap::new();
        let mut wait = HeaderMap::new();
        wait.insert(RETRY_AFTER, "12".parse().unwrap());
        let cases = [
            (
                response(400, &none),
                "the service refused the request (400): Nope",
            ),
            (
                response(401, &none),
                "the access token was refused (401: Nope); it may have expired, get a new one",
            ),
            (
                response(403, &none),
                "access denied (403: Nope); the token may lack a required scope",
            ),
            (response(404, &none), "not found (404): Nope"),
            (
                response(429, &wait),
                "rate limited (429: Nope); retry after 12 s",
            ),
            (
                response(429, &none),
                "rate limited (429: Nope); retry later",
            ),
            (
                response(500, &none),
                "the service failed (500 Internal Server Error): Nope",
            ),
            (
                response(503, &none),
                "the service failed (503 Service Unavailable): Nope",
            ),
            (
                response(418, &none),
                "the service answered with undocumented status 418 I'm a teapot: Nope",
            ),
        ];
        for (got, expected) in cases {
            assert_eq!(got, expected);
        }
        let others: [(Error<Documented>, &str); 6] = [
            (
                Error::Protocol(ProtocolError {
                    reason: "a page holds 3 plays".into(),
                }),
                "the service broke its paging rules: a page holds 3 plays",
            ),
            (
                Error::PageBudgetExhausted(PageBudgetExhausted { pages: 21 }),
                "stopped after 21 pages, the most a walk may fetch; resume to go on",
            ),
            (
                Error::BodyTooLarge {
                    status: StatusCode::OK,
                    limit: 8,
                },
                "the response (200 OK) is larger than the limit of 8 bytes; stopped reading",
            ),
            (
                Error::RepeatedCursor(RepeatedCursor {
                    cursor: crate::Position::new("t1"),
                }),
                "the service returned cursor \"t1\" a second time; stopped instead of looping",
            ),
            (
                Error::InvalidCredential(InvalidCredential {
                    credential: "API key",
                }),
                "request not sent: the API key contains characters not allowed in an HTTP header",
            ),
            (
                Error::InvalidParameter(InvalidParameter {
                    parameter: "id",
                    value: "..".into(),
                    reason: "is a dot segment",
                }),
                "request not sent: `id` \"..\" is a dot segment",
            ),
        ];
        for (error, expected) in others {
            assert_eq!(error.to_string(), expected);
        }
    }

    #[test]
    fn a_long_or_hostile_message_is_cut_to_one_clean_line() {
        let message = format!("line one\n\u{1b}[2Jline two {}", "x".repeat(500));
        let body = serde_json::json!({"error": {"message": message}}).to_string();
        let shown = Error::<Documented>::from_response(
            StatusCode::BAD_REQUEST,
            &HeaderMap::new(),
            body.as_bytes(),
            &Scrubber::new(),
        )
        .to_string();
        assert!(
            shown.starts_with(
                "the service refused the request (400): line one \u{fffd}[2Jline two x"
            )
        );
        assert!(shown.ends_with('…'), "{shown}");
        assert!(!shown.contains('\n') && !shown.contains('\u{1b}'));
        assert!(shown.chars().count() < MAX_MESSAGE_CHARS + 60, "{shown}");
    }

    /// An error that wraps another hands it out as its `source`, so that a caller (or an
    /// error-reporting crate) can walk the chain to the typed cause.
    #[test]
    fn a_wrapped_cause_is_the_source() {
        use std::error::Error as _;
        let limit = LimitOutOfRange {
            parameter: "limit",
            min: 1,
            max: 50,
            value: 51,
        };
        let credential = InvalidCredential {
            credential: "access token",
        };
        let parameter = InvalidParameter {
            parameter: "id",
            value: String::new(),
            reason: "is empty",
        };
        let protocol = ProtocolError {
            reason: "a page holds 51 plays".into(),
        };
        let repeated = RepeatedCursor {
            cursor: crate::Position::new("t"),
        };
        let undecodable: Error<Documented> = Error::Undecodable {
            status: StatusCode::OK,
            source: serde_json::from_str::<Documented>("{").unwrap_err(),
        };
        let cases: [(Error<Documented>, String); 5] = [
            (limit.clone().into(), limit.to_string()),
            (credential.into(), credential.to_string()),
            (parameter.clone().into(), parameter.to_string()),
            (protocol.clone().into(), protocol.to_string()),
            (repeated.clone().into(), repeated.to_string()),
        ];
        for (error, cause) in cases {
            assert_eq!(
                error.source().map(ToString::to_string),
                Some(cause),
                "{error:?}"
            );
        }
        assert!(
            undecodable
                .source()
                .is_some_and(|s| s.is::<serde_json::Error>())
        );
        let budget: Error<Documented> = PageBudgetExhausted { pages: 3 }.into();
        assert!(budget.source().is_none());
    }
}

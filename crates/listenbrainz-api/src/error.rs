//! The crate's error type, with ListenBrainz's documented error object.

use crate::types::ErrorResponse;

/// Everything a call of this crate can fail with. `Display` is one sentence; no variant's
/// `Display` or `Debug` contains the token.
///
/// Refused before anything is sent:
/// - `LimitOutOfRange`: a `count` outside 1..=1000 (see [`Count`](crate::Count)).
/// - `InvalidParameter`: a user name that cannot be sent as one path segment (see
///   [`UserName`](crate::UserName)), or a time outside what the server reads (see
///   [`TimeWindow`](crate::TimeWindow)).
/// - `InvalidCredential`: a token that cannot be an HTTP header value
///   (from [`AccessToken::new`](crate::AccessToken::new)).
/// - `InvalidBaseUrl`: a base URL other than `https`, or plain `http` to loopback.
/// - `RequestNotBuilt`: the generated operation could not build the request (not expected).
/// - `Authorization`: the token source could not give a token.
///
/// Answered by ListenBrainz, each with the status and the body
/// ([`ServiceError`](crate::ServiceError): ListenBrainz's error object
/// `{"code": 404, "error": "Cannot find user: rob"}` as
/// [`ErrorBody::Documented`](crate::ErrorBody::Documented), any other body as raw text):
/// - `BadRequest` (400: a parameter the server refused), `Unauthorized` (401),
///   `Forbidden` (403), `NotFound` (404: no such user), `RateLimited` (429, with how long
///   its `X-RateLimit-Reset-In` asks to wait), `Server` (5xx: `503` while the listen store
///   is offline), `UnexpectedStatus` (any other).
///
/// Anything else:
/// - `Undecodable`: a body that does not match the documented shape.
/// - `Transport`: the request could not be sent or the response not received.
/// - `MalformedItem`: one listen of a page does not decode; the page's other listens do.
///   Not fatal: a walk yields it in the listen's place and goes on
///   ([`Error::is_fatal`](client_support::Error::is_fatal) is false).
/// - `RepeatedCursor`: a page led back to a window the walk already asked for; the walk
///   stopped.
/// - `Protocol`: the service broke its own paging (more listens than asked for, listens
///   outside the window asked for, 1,000 listens all in one second); the walk stopped, and none
///   of that page's listens were yielded.
/// - `BodyTooLarge`: a response larger than the crate reads; reading stopped.
/// - `PageBudgetExhausted`: the walk fetched as many pages as
///   [`MAX_LISTENS_PER_WALK`](crate::MAX_LISTENS_PER_WALK) allows and the service had more.
///
/// What applications ask of an error, without matching on variants:
/// [`must_sign_in_again`](client_support::Error::must_sign_in_again),
/// [`retry_after`](client_support::Error::retry_after) (a rate limit and how long),
/// [`is_transient`](client_support::Error::is_transient) (worth retrying later: a `5xx`, a
/// dropped connection, a rate limit) and
/// [`is_protocol`](client_support::Error::is_protocol) (the service broke its documented
/// shape or paging: report it, retrying will not help).
///
/// ```
/// use listenbrainz_api::{Count, Error};
///
/// let refused: Error = Count::new(1001).unwrap_err().into();
/// assert!(matches!(refused, Error::LimitOutOfRange(_)));
/// assert_eq!(refused.to_string(), "request not sent: `count` must be in 1..=1000, got 1001");
/// assert_eq!(refused.status(), None);
/// ```
pub type Error = client_support::Error<ErrorResponse>;

impl client_support::DocumentedError for ErrorResponse {
    fn message(&self) -> &str {
        &self.error
    }
}

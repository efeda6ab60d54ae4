//! The crate's error type, with Spotify's documented error object.

use crate::types::ErrorResponse;

/// Everything a call of this crate can fail with. `Display` is one sentence; no variant's
/// `Display` or `Debug` contains the access token.
///
/// Refused before anything is sent:
/// - `LimitOutOfRange`: a `limit` outside 1..=50 (see [`Limit`](crate::Limit)).
/// - `InvalidCredential`: a token that cannot be an HTTP header value
///   (from [`AccessToken::new`](crate::AccessToken::new)).
/// - `InvalidBaseUrl`: a base URL other than `https`, or plain `http` to loopback.
/// - `InvalidParameter`: not used by this API (it has no path parameters).
/// - `RequestNotBuilt`: the generated operation could not build the request (not expected).
/// - `Authorization`: the token source could not give a token (a refresh the authorization
///   server refused, or could not be reached).
///
/// Answered by Spotify, each with the status and the body ([`ServiceError`](crate::ServiceError):
/// Spotify's error object `{"error": {"status": 401, "message": "..."}}` as
/// [`ErrorBody::Documented`](crate::ErrorBody::Documented), any other body as raw text):
/// - `BadRequest` (400), `Unauthorized` (401: the token expired or is invalid),
///   `Forbidden` (403: the token lacks the `user-read-recently-played` scope),
///   `NotFound` (404), `RateLimited` (429, with its `Retry-After`), `Server` (5xx),
///   `UnexpectedStatus` (any other).
///
/// Anything else:
/// - `Undecodable`: a body that does not match the documented shape.
/// - `Transport`: the request could not be sent or the response not received.
/// - `MalformedItem`: one item of a page does not decode; the page's other items do. Not
///   fatal: a walk yields it in the item's place and goes on
///   ([`Error::is_fatal`](client_support::Error::is_fatal) is false).
/// - `RepeatedCursor`: Spotify handed back a cursor it already gave; the walk stopped.
/// - `Protocol`: the service broke its own paging (a next page that does not move on, a
///   page larger than asked for); the walk stopped after the page's items.
/// - `BodyTooLarge`: a response larger than the crate reads; reading stopped.
/// - `PageBudgetExhausted`: the walk fetched as many pages as
///   [`MAX_PLAYS_PER_WALK`](crate::MAX_PLAYS_PER_WALK) allows and the service had more.
///
/// What applications ask of an error, without matching on variants:
/// [`must_sign_in_again`](client_support::Error::must_sign_in_again) (the user must sign
/// in: the refresh token was refused, revoked, expired or spent; an `Unauthorized` with a
/// token you gave yourself means the same for that token),
/// [`retry_after`](client_support::Error::retry_after) (a rate limit and how long),
/// [`is_transient`](client_support::Error::is_transient) (worth retrying later: a `5xx`, a
/// dropped connection, a rate limit) and
/// [`is_protocol`](client_support::Error::is_protocol) (the service broke its documented
/// shape or paging: report it, retrying will not help).
///
/// [`Error::status`](client_support::Error::status) gives the HTTP status of those that
/// came from a response.
///
/// ```
/// use spotify_web_api::{Error, Limit};
///
/// let refused: Error = Limit::new(51).unwrap_err().into();
/// assert!(matches!(refused, Error::LimitOutOfRange(_)));
/// assert_eq!(refused.to_string(), "request not sent: `limit` must be in 1..=50, got 51");
/// assert_eq!(refused.status(), None);
/// ```
pub type Error = client_support::Error<ErrorResponse>;

impl client_support::DocumentedError for ErrorResponse {
    fn message(&self) -> &str {
        &self.error.message
    }
}

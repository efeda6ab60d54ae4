//! The crate's error type, with the Amazon Music Web API's documented error object.

use client_support::DocumentedError;

use crate::types;

/// Everything a call of this crate can fail with. `Display` is one sentence; no variant's
/// `Display` or `Debug` contains the access token or the API key.
///
/// Refused before anything is sent:
/// - `LimitOutOfRange`: a `limit` outside its bounds (see [`TracksLimit`](crate::TracksLimit),
///   [`EntitiesLimit`](crate::EntitiesLimit)).
/// - `InvalidCredential`: a token or API key that cannot be an HTTP header value (from
///   [`AccessToken::new`](crate::AccessToken::new), [`ApiKey::new`](crate::ApiKey::new)).
/// - `InvalidParameter`: a user ID that cannot be sent as one path segment (from
///   [`UserId::new`](crate::UserId::new)).
/// - `InvalidBaseUrl`: a base URL other than `https`, or plain `http` to loopback.
/// - `RequestNotBuilt`: the generated operation could not build the request (not expected).
/// - `Authorization`: the token source could not give a token (a refresh the authorization
///   server refused, or could not be reached).
///
/// Answered by the service, each with the status and the body
/// ([`ServiceError`](crate::ServiceError): the documented error object,
/// [`types::ErrorResponse`] (`{"error": {"status": "403", "code": "...", "message": "..."}}`),
/// as [`ErrorBody::Documented`](crate::ErrorBody::Documented), any other body as raw text):
/// - `BadRequest` (400), `Unauthorized` (401: the token expired or is invalid),
///   `Forbidden` (403: a missing scope, a wrong API key, or no Amazon Music account),
///   `NotFound` (404: e.g. an unknown user), `RateLimited` (429, with its `Retry-After`),
///   `Server` (5xx), `UnexpectedStatus` (any other).
///
/// Anything else:
/// - `Undecodable`: a body that does not match the documented shape.
/// - `Transport`: the request could not be sent or the response not received.
/// - `MalformedItem`: one item of a page does not decode; the page's other items do. Not
///   fatal: a walk yields it in the item's place and goes on
///   ([`Error::is_fatal`](client_support::Error::is_fatal) is false).
/// - `RepeatedCursor`: the service handed back a page token it already gave; the walk
///   stopped.
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
/// use amazon_music_web_api::{Error, ErrorBody, ServiceError};
///
/// fn advice(error: &Error) -> &'static str {
///     match error {
///         Error::Unauthorized(_) => "refresh the Login with Amazon token",
///         Error::Forbidden(ServiceError { body: ErrorBody::Documented(body), .. })
///             if body.error.code.as_deref() == Some("AUTH_NO_MUSIC_ACCOUNT_FOUND") =>
///         {
///             "this account has no Amazon Music subscription"
///         }
///         Error::RateLimited { .. } => "slow down",
///         _ => "see the message",
///     }
/// }
/// # let _ = advice;
/// ```
pub type Error = client_support::Error<types::ErrorResponse>;

impl DocumentedError for types::ErrorResponse {
    fn message(&self) -> &str {
        &self.error.message
    }

    /// Amazon Music refuses a wrong `x-api-key` (security profile ID) with `403` too.
    const FORBIDDEN: &'static str = "the API key (x-api-key, the security profile ID) may be wrong, or the token may lack \
         a required scope";
}

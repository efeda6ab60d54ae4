//! The crate's error type: the shared one, with Spotify's documented error object.

use crate::types::ErrorResponse;

/// Everything a call can fail with; see [`client_support::Error`] for the variants.
///
/// A 401, 403 or 429 whose body is Spotify's documented error object
/// (`{"error": {"status": 401, "message": "The access token expired"}}`) carries it as
/// [`ErrorBody::Documented`](client_support::ErrorBody::Documented); any other body is kept
/// as raw text. A 429 also carries its `Retry-After`. No variant's `Display` or `Debug`
/// contains the access token.
///
/// ```
/// use spotify_web_api::{Error, Limit};
///
/// let refused: Error = Limit::new(51).unwrap_err().into();
/// assert!(matches!(refused, Error::LimitOutOfRange(_)));
/// assert_eq!(refused.to_string(), "request not sent: `limit` must be in 1..=50, got 51");
/// ```
pub type Error = client_support::Error<ErrorResponse>;

impl client_support::DocumentedError for ErrorResponse {
    fn message(&self) -> &str {
        &self.error.message
    }
}

//! The crate's one error type, and how the generated client's errors become it.

use client_support::DocumentedError;

use crate::hooks::PATH_PARAMETER_ESCAPED;
use crate::types;

/// Everything a call of this crate can fail with: a request refused before sending, an error
/// response (its status and its body, documented or raw), a body that does not decode, a
/// transport failure, or a history walk that would loop.
///
/// Error bodies are the general Amazon Music Web API error object,
/// [`types::ErrorResponse`]: `{"error": {"status": "403", "code": "...", "message": "..."}}`.
/// Its `status` is a string; the HTTP status of the response is
/// [`ServiceError::status`](client_support::ServiceError::status).
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
}

/// Turns what a generated operation returned into [`Error`]. `path_parameter` is the path
/// parameter of the call, if it has one, for naming it when the hooks refused its path.
pub(crate) async fn from_generated(
    error: progenitor_client::Error<()>,
    path_parameter: Option<(&'static str, &str)>,
) -> Error {
    if let progenitor_client::Error::InvalidRequest(reason) = &error {
        // The hooks' refusals (see `hooks.rs`): name the credential or the parameter.
        match reason.as_str() {
            "access token" => {
                return Error::InvalidCredential {
                    credential: "access token",
                };
            }
            "API key" => {
                return Error::InvalidCredential {
                    credential: "API key",
                };
            }
            PATH_PARAMETER_ESCAPED => {
                if let Some((parameter, value)) = path_parameter {
                    return Error::InvalidPathParameter {
                        parameter,
                        value: value.to_string(),
                        reason: "would not reach the server as exactly one path segment",
                    };
                }
            }
            _ => {}
        }
    }
    Error::from_generated(error).await
}

//! What the generated operations hand back, turned into this crate's [`Error`].
//!
//! For the client crates' hand-written layer only: the generator's runtime types stay
//! inside those crates and never reach their public API.

use reqwest::StatusCode;

use crate::error::{DocumentedError, Error, ErrorBody, RequestNotBuilt, ServiceError};
use crate::send::Sender;

/// The generator's error, as every generated operation returns it (the specs are adapted so
/// that no error response is declared: see `xtask/src/adapt.rs`).
pub type GeneratedError = progenitor_client::Error<()>;

/// Turns what a generated operation returned into [`Error`], reading the body of an
/// undeclared (error) response, bounded, with the secrets `sender` sends removed.
pub async fn into_error<B: DocumentedError>(error: GeneratedError, sender: &Sender) -> Error<B> {
    use progenitor_client::Error as Generated;
    match error {
        Generated::UnexpectedResponse(response) => {
            let status = response.status();
            let headers = response.headers().clone();
            match response.bytes().await {
                Ok(body) => Error::from_response(status, &headers, &body, &sender.scrubber()),
                Err(e) => transport(e, status, sender),
            }
        }
        // Only the documented success status is declared, so this is a 2xx body.
        Generated::InvalidResponsePayload(_, source) => Error::Undecodable {
            status: StatusCode::OK,
            source: scrubbed(source, &sender.scrubber()),
        },
        Generated::CommunicationError(e)
        | Generated::ResponseBodyError(e)
        | Generated::InvalidUpgrade(e) => {
            let status = e.status().unwrap_or(StatusCode::OK);
            transport(e, status, sender)
        }
        // The hooks never fail and the generated code validates nothing the layer's types
        // have not checked, so these are not expected; they are reported, not hidden.
        Generated::InvalidRequest(reason) | Generated::Custom(reason) => {
            Error::RequestNotBuilt(RequestNotBuilt::new(reason))
        }
        Generated::ErrorResponse(response) => Error::UnexpectedStatus(ServiceError {
            status: response.status(),
            body: ErrorBody::Raw(String::new()),
        }),
    }
}

/// A failure in transit, or a body cut at the client's limit (a typed cause, found by type
/// in the error's source chain, not by its message).
fn transport<B: DocumentedError>(
    error: reqwest::Error,
    status: StatusCode,
    sender: &Sender,
) -> Error<B> {
    if is_length_limit(&error) {
        return Error::BodyTooLarge {
            status,
            limit: sender.max_body_bytes(),
        };
    }
    Error::Transport(if sender.token_in_url() {
        error.without_url()
    } else {
        error
    })
}

/// Whether `error` is a body cut at its limit ([`crate::send::limit_body`]), found by type
/// in its source chain.
pub(crate) fn is_length_limit(error: &reqwest::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = cause {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cause = e.source();
    }
    false
}

/// `error`, or, when its message quotes a secret `scrubber` knows (serde_json quotes the
/// value it could not decode, and a server may echo a credential there), an error of the
/// scrubbed message; its line and column are then in the message alone.
fn scrubbed(error: serde_json::Error, scrubber: &crate::scrub::Scrubber) -> serde_json::Error {
    let message = error.to_string();
    let clean = scrubber.scrub(&message);
    if clean == message {
        error
    } else {
        serde::de::Error::custom(clean)
    }
}

//! The generated client's hooks: what every request goes through, whatever calls it.
//!
//! They live here, not in the generated code, so that `cargo xtask regen` keeps them: the
//! generator is told (`HooksMode::Expected`, inner type `HookContext`) that this crate
//! implements `ClientHooks` for its `Client`.

use std::fmt;
use std::sync::Arc;

use client_support::request::{self, InvalidCredential};
use client_support::{RetryPolicy, TokenSource};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

use crate::generated::Client;

/// What the hooks need, carried inside the generated [`Client`]: where the token comes
/// from and how to retry.
#[derive(Clone)]
pub(crate) struct HookContext {
    pub(crate) token: Arc<dyn TokenSource>,
    pub(crate) retry: RetryPolicy,
}

impl fmt::Debug for HookContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The token source may hold the token itself: never print it.
        f.debug_struct("HookContext")
            .field("token", &"<redacted>")
            .field("retry", &self.retry)
            .finish()
    }
}

impl ClientHooks<HookContext> for Client {
    /// Asks the token source for the current token on every request (so a refreshed token
    /// is used without rebuilding the client), sets it as a sensitive header, and removes
    /// the `api-version` header the generator adds but Spotify does not define.
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let token = self.inner().token.access_token();
        // `Error::from_generated` turns `InvalidRequest` into `Error::InvalidCredential`;
        // the message names the credential, never its value.
        request::prepare(request, &token, None).map_err(|InvalidCredential(what)| {
            progenitor_client::Error::InvalidRequest(format!(
                "the {what} cannot be sent in an HTTP header"
            ))
        })
    }

    /// Sends the request, retrying it as the client's policy allows (none by default).
    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        self.inner().retry.execute(self.client(), request).await
    }
}

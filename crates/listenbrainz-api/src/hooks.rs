//! The generated client's hooks: what every request goes through, whatever calls it.
//!
//! The generator is told (`HooksMode::Expected`, inner type `HookContext`) that this crate
//! implements `ClientHooks` for its `Client`, so `cargo xtask regen` keeps them.

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

use crate::generated::Client;

/// What the hooks need, carried inside the generated [`Client`].
pub(crate) type HookContext = client_support::send::RequestContext;

impl ClientHooks<HookContext> for Client {
    /// Sets the token and removes the `api-version` header the generator adds.
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        self.inner().prepare(request);
        Ok(())
    }

    /// Sends the request in its `tracing` span, retrying as the client's policy allows.
    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        self.inner()
            .send(self.client(), request, info.operation_id)
            .await
    }
}

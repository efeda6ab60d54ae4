//! The generated client's hooks: what every request goes through.

use progenitor_client::ClientHooks;

use crate::generated::Client;

/// What the hooks need, carried inside the generated [`Client`].
#[derive(Clone, Debug, Default)]
pub struct HookContext {}

impl ClientHooks<HookContext> for Client {}

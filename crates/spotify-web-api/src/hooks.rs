//! The generated client's hooks: what every request goes through, whatever calls it.
//!
//! The generator is told (`HooksMode::Expected`, inner type `HookContext`) that this crate
//! implements `ClientHooks` for its `Client`, so `cargo xtask regen` keeps them; they are
//! every client's (`client_support::client_hooks!`), with no rewrite of this service's.

/// What the hooks need, carried inside the generated `Client`.
pub(crate) type HookContext = client_support::send::RequestContext;

client_support::client_hooks!(crate::generated::Client);

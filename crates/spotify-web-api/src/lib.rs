//! Typed client, generated from the spec.

#[rustfmt::skip]
#[allow(missing_docs, clippy::all, unreachable_pub)]
mod generated;
pub mod hooks;

pub use generated::{Client, types};

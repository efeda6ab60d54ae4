//! Typed client, generated from the spec.

#[rustfmt::skip]
#[allow(missing_docs, clippy::all, unreachable_pub)]
mod generated;
mod entity;
pub mod hooks;

pub use entity::EntityNode;
pub use generated::{Client, types};

//! Shared support for the conformance suite in `tests/`: what the specs say, checked against
//! what the clients do and what the source documents promise.
//!
//! - [`spec`] reads a spec in `specs/` and enumerates its documented example responses.
//! - [`schema`] validates a JSON body against the schema a spec declares for a response.
//! - [`responses`] checks a response a server actually sent (a simulation's, say) against
//!   the spec: its status is declared and its body matches the declared schema.
//! - [`bounds`] is the table of documented `limit` bounds, scopes and status codes, taken
//!   from the source documents, that the specs (and the clients) must agree with.
//! - [`live`] runs the same gate against the real services (`cargo xtask conformance
//!   --live`), within a request budget, and reports, records and compares what they answer.
//! - [`generated`] holds the generated types again, deriving `schemars::JsonSchema`, and
//!   [`type_schemas`] compares what they (and the hand-written types that replace some of
//!   them, [`hand_written`]) accept with what the specs say.

pub mod bounds;
pub mod generated;
pub mod hand_written;
pub mod live;
pub mod responses;
pub mod schema;
pub mod spec;
pub mod type_schemas;

/// The README's Rust snippets, compiled as doctests so that they follow the clients' API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeSnippets;

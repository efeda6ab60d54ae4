//! The generated types of every client crate, generated again from the same specs with the
//! same settings, deriving `schemars::JsonSchema` as well (`cargo xtask regen` writes these
//! files; `--check` checks them).
//!
//! Only this crate compiles them: the client crates and their dependents never depend on
//! schemars. Where a client crate replaces a generated type with a hand-written one, these
//! copies hold the stand-in of [`crate::hand_written`], which wraps that very type.

// Written by `cargo xtask regen`; their formatting and these lints are its business, as in
// the client crates.
#[rustfmt::skip]
#[allow(missing_docs, clippy::all, unreachable_pub)]
pub mod amazon_music;
#[rustfmt::skip]
#[allow(missing_docs, clippy::all, unreachable_pub)]
pub mod listenbrainz;
#[rustfmt::skip]
#[allow(missing_docs, clippy::all, unreachable_pub)]
pub mod spotify;

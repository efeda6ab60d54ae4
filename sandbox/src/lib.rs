#![doc = include_str!("../README.md")]

pub mod amazon;
mod auth;
mod consent;
mod fault;
pub mod hostile;
pub mod listenbrainz;
mod random;
mod rate_limit;
mod record;
mod server;
pub mod spotify;

pub use auth::{IssuedTokens, TokenGrants};
pub use consent::consent;
pub use fault::Fault;
pub use rate_limit::RATE_LIMIT_EXTENSION;
pub use record::RecordedRequest;

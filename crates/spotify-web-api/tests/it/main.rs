//! The integration tests of `spotify-web-api`, one module per area, in one test binary.

mod client;
mod common;
mod history;
mod parameters;
mod responses;
mod tls;

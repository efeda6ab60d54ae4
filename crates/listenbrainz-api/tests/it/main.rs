//! The integration tests of `listenbrainz-api`, one module per area, in one test binary.

mod common;
mod errors;
mod history;
mod queries;
mod requests;

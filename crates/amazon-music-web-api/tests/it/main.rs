//! The integration tests of `amazon-music-web-api`, one module per area, in one test binary.

mod catalog;
mod common;
mod construction;
mod errors;
mod history;
mod parameters;

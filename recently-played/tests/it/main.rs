//! The binary, run as a newcomer runs it, one module per concern, in one test binary.

mod as_the_services_are;
mod common;
mod end_to_end;
mod hostile_servers;
mod malformed_items;
mod sign_in;
mod sync;
mod sync_edges;

//! The binary, run as a newcomer runs it, one module per concern, in one test binary.

mod amazon_tracks;
mod as_the_services_are;
mod cli_surface;
mod common;
mod end_to_end;
mod hostile_servers;
mod import;
mod listenbrainz;
mod malformed_items;
mod report;
mod sign_in;
mod sync;
mod sync_edges;

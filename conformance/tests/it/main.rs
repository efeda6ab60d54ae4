//! The conformance suite, one module per promise, in one test binary.

mod common;
mod documented_bounds;
mod documented_examples;
mod hostile_bodies;
mod hostile_servers;
mod kept_refresh_token;
mod limits;
mod live_limits;
mod live_mode;
mod live_support;
mod malformed_items;
mod observability;
mod path_ids;
mod recorded_responses;
mod retries_and_outcomes;
mod schema_valid_requests;
mod sign_in;
mod simulated_responses;
mod subjects;
mod token_rotation;
mod transient_failures;
mod types_match_the_specs;
mod whole_history_walks;
mod windows_and_filters;

//! What a subject's requests look like to `tracing`, and which secrets they must never show.

/// A subject as its client's spans and events show it.
pub trait Traced {
    /// The `service` field of the spans of its client's requests.
    fn traced_as(&self) -> &'static str;

    /// The query parameter that moves from page to page of a walk of
    /// [`history_operation`](super::Subject::history_operation), whose value a request's span shows as
    /// its `cursor`.
    fn cursor_parameter(&self) -> &'static str;

    /// The credentials its simulation takes, which no span, event or error may show.
    fn simulated_secrets(&self) -> Vec<&'static str>;

    /// The `Authorization` header a client of it sends with `token`.
    fn authorization(&self, token: &str) -> String {
        format!("Bearer {token}")
    }
}

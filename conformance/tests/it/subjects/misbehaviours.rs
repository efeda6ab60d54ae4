//! How a subject's service can misbehave, for the hostile servers and faults the suite
//! serves in its place.

use std::time::Duration;

use music_history_sandbox::hostile::Hostile;

/// A subject's misbehaviours.
pub trait Misbehaviours {
    /// The body of a response refusing a request with `status`, as the suite serves it.
    fn error_body(&self, status: u16) -> Vec<u8>;

    /// The hostile server's misbehaviour that pages this service's history forever.
    fn endless_pages(&self) -> Hostile;

    /// The hostile server's misbehaviours in this service's shape, [`endless_pages`]
    /// among them: every client's walk is run against each (`hostile_servers`), beside the
    /// misbehaviours any HTTP server can have. `elsewhere` is another origin's base URL,
    /// for a misbehaviour that links a walk there.
    ///
    /// [`endless_pages`]: Self::endless_pages
    fn hostile(&self, elsewhere: &str) -> Vec<Hostile>;

    /// How a walk against [`endless_pages`](Self::endless_pages) is set up to end fast, and
    /// the most pages it may ask for.
    fn endless_walk(&self) -> EndlessWalk;

    /// The wait its client reports for a `429` its simulation sends as
    /// `Fault::RateLimited { retry_after_secs }`: the seconds asked for.
    fn rate_limited_wait(&self, retry_after_secs: u64) -> Duration {
        Duration::from_secs(retry_after_secs)
    }
}

/// How a walk against a server that pages forever is set up, and where its budget stops it.
pub struct EndlessWalk {
    /// The page size it asks for; the client's default when `None`.
    pub page_size: Option<u32>,
    /// The page budget set on the client; the client's default when `None`.
    pub max_pages: Option<usize>,
    /// The pages the walk fetches at most.
    pub pages: usize,
}

//! The services the suite holds to its promises, each described once, in a file of its own
//! (`spotify.rs`, `amazon_music.rs`, `listenbrainz.rs`), and the list of them, [`ALL`].
//!
//! A promise module runs its cases for every subject, through [`Subject`]: one test per
//! subject ([`one_test_each`]), or a loop over [`ALL`]. What it asks of a service (its
//! simulation, a client of it, a walk, its page sizes, how it refuses a request) is
//! answered in the service's file, not in the module. A new service is one new file here
//! and one line in [`with_every_subject`].

/// A client of `$builder`'s kind at `$base_url`, set up as `$connection` (a [`Connection`])
/// says: every client's builder has these options (`client_support::client_options!`).
macro_rules! connected {
    ($builder:expr, $base_url:expr, $connection:expr) => {{
        let connection: $crate::subjects::Connection = $connection;
        let mut builder = $builder.base_url($base_url).retry(connection.retry);
        if let Some(http) = connection.http {
            builder = builder.http_client(http);
        }
        if let Some(pages) = connection.max_pages {
            builder = builder.max_pages(pages);
        }
        builder.build().expect("a client of the subject")
    }};
}

/// Calls `$then!` with the list of every subject, `[<module>::<type>, ...]`: the one list a
/// new service is added to. [`ALL`], the subjects' modules and every test made once per
/// subject ([`one_test_each`]) are made from it.
macro_rules! with_every_subject {
    ($then:ident $($args:tt)*) => {
        $crate::subjects::$then! {
            [
                spotify::Spotify,
                amazon_music::AmazonMusic,
                listenbrainz::ListenBrainz,
            ]
            $($args)*
        }
    };
}
pub(crate) use with_every_subject;

/// Declares each subject's module (`subjects/<module>.rs`) and [`ALL`].
macro_rules! declare {
    ([$($module:ident::$subject:ident),* $(,)?]) => {
        $(pub mod $module;)*

        /// Every service the suite checks.
        pub const ALL: &[&dyn Subject] = &[$(&$module::$subject),*];
    };
}
pub(crate) use declare;

/// Declares, for `$test` (a `fn(&'static dyn Subject)` of the calling module), a module of
/// the same name with one `#[test]` per subject, named after the subject's module: each
/// service's case passes or fails, and runs, on its own.
///
/// `with_every_subject!(one_test_each every_walk_ends);` gives
/// `every_walk_ends::spotify`, `every_walk_ends::amazon_music`, ….
macro_rules! one_test_each {
    ([$($module:ident::$subject:ident),* $(,)?] $test:ident) => {
        #[doc = concat!("`", stringify!($test), "`, once for each subject.")]
        mod $test {
            $(
                #[doc = concat!("`", stringify!($test), "` for `", stringify!($subject), "`.")]
                #[test]
                fn $module() {
                    super::$test(&$crate::subjects::$module::$subject);
                }
            )*
        }
    };
}
pub(crate) use one_test_each;

with_every_subject!(declare);

mod examples;
mod exchange;
mod histories;
mod misbehaviours;
mod page_sizes;
mod plays;
mod requests;
mod traced;
mod walk;
mod windows;

use std::collections::BTreeMap;
use std::sync::{LazyLock, Mutex, PoisonError};

use client_support::RetryPolicy;

use conformance::bounds;
use conformance::responses::SpecResponses;
use futures_util::future::LocalBoxFuture;
use music_history_sandbox::{Fault, RecordedRequest};
use serde_json::Value;

pub use examples::{Breakage, Decoded, Documented};
pub use exchange::{Answers, Captured};
pub use histories::WholeHistories;
pub use misbehaviours::{EndlessWalk, Misbehaviours};
pub use page_sizes::{PageSizes, WithoutALimit};
pub use plays::{Plays, ServedPage, ServedPages, hold_property, hold_property_in_at_most};
pub use requests::{Candidate, Exception, Request};
pub use traced::Traced;
pub use walk::{Failure, KeyedWalk, Transient};
pub use windows::{TimeWindows, Window};

/// The subject whose spec and client crate are `api` (as the bounds table names them:
/// `spotify-web-api`).
pub fn serving(api: &str) -> &'static dyn Subject {
    ALL.iter()
        .copied()
        .find(|subject| subject.api() == api)
        .unwrap_or_else(|| panic!("no subject in subjects::ALL serves {api}"))
}

/// A service, as the promise modules need it: who it is, its simulation and a client of it
/// here; what it does where services differ, in the traits it bundles, one per concern
/// ([`PageSizes`], [`Traced`], [`Documented`], [`Answers`], [`ServedPages`],
/// [`WholeHistories`], [`Misbehaviours`]).
pub trait Subject:
    Sync + PageSizes + Traced + Documented + Answers + ServedPages + WholeHistories + Misbehaviours
{
    /// Its name, as a failure message says it ("Amazon Music").
    fn name(&self) -> &'static str;

    /// Its spec and client crate, as the bounds table names them (`amazon-music-web-api`).
    fn api(&self) -> &'static str;

    /// Every operation of its spec, in the bounds table's order: every one a [`Client`] of
    /// it can call.
    fn operations(&self) -> Vec<&'static str> {
        rows(self.api()).map(|row| row.operation_id).collect()
    }

    /// Every operation that reads a page of its history (those the bounds table gives a page
    /// size), in the table's order.
    fn history_operations(&self) -> Vec<&'static str> {
        rows(self.api())
            .filter(|row| row.limit.is_some())
            .map(|row| row.operation_id)
            .collect()
    }

    /// Whether its history can be walked forward in time, oldest first, from a given time.
    fn walks_forward(&self) -> bool;

    /// Its walks of a time window; where its service has none, why not.
    fn time_windows(&self) -> Result<&dyn TimeWindows, &'static str>;

    /// Its spec's responses (`specs/<api>`), compiled once per test binary.
    fn spec(&self) -> &'static SpecResponses {
        static SPECS: LazyLock<Mutex<BTreeMap<&str, &'static SpecResponses>>> =
            LazyLock::new(Mutex::default);
        let api = self.api();
        let mut specs = SPECS.lock().unwrap_or_else(PoisonError::into_inner);
        specs.entry(api).or_insert_with(|| {
            let spec = SpecResponses::load(api).unwrap_or_else(|e| panic!("{e}"));
            Box::leak(Box::new(spec))
        })
    }

    /// The path of `operation_id` as its spec writes it, each path parameter given the
    /// value [`path_parameters`](Self::path_parameters) names, percent-encoded.
    fn path(&self, operation_id: &str) -> String {
        let spec = self.spec().spec();
        let operation = spec
            .operation(operation_id)
            .unwrap_or_else(|e| panic!("{e}"));
        self.path_parameters(operation_id).into_iter().fold(
            operation.path().to_string(),
            |path, (placeholder, value)| path.replace(placeholder, &percent_encode(value)),
        )
    }

    /// A value for each path parameter of `operation_id`, by placeholder (`{id}`): a user or
    /// a track its simulation serves.
    fn path_parameters(&self, _operation_id: &str) -> Vec<(&'static str, &'static str)> {
        Vec::new()
    }

    /// The headers that carry the credentials its simulation takes, for a request sent
    /// without a client.
    fn credential_headers(&self) -> Vec<(&'static str, String)>;

    /// The cursor `page` (a page of its history, as served) issues for the page after it,
    /// where the service's cursors are tokens it issues; `None` otherwise.
    fn issued_cursor(&self, _page: &Value) -> Option<String> {
        None
    }

    /// The kinds of request its service answers otherwise than its spec's schema says, each
    /// named as in schemathesis.toml (`schema_valid_requests`).
    fn schema_exceptions(&self) -> &'static [Exception] {
        &[]
    }

    /// The operation a walk of its history reads when a test does not say which.
    fn history_operation(&self) -> &'static str;

    /// Starts its simulation with plays at `times` (Unix milliseconds, newest first, whole
    /// seconds apart), in every history the service keeps of its user, and of another user
    /// where the service serves another user's history.
    fn simulate(&self, times: &[i64]) -> LocalBoxFuture<'static, Box<dyn Simulation>>;

    /// A client of the service at `base_url`, set up as `connection` says.
    fn client(&self, base_url: &str, connection: Connection) -> Box<dyn Client>;
}

/// The bounds table's rows of `api`.
fn rows(api: &str) -> impl Iterator<Item = &'static bounds::Documented> {
    bounds::OPERATIONS.iter().filter(move |row| row.api == api)
}

/// Percent-encodes everything but unreserved characters, as one path segment or query
/// value.
pub fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(byte).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// A running simulation of a subject.
pub trait Simulation {
    /// Where it serves the API.
    fn base_url(&self) -> &str;

    /// Every request it received, in order.
    fn requests(&self) -> Vec<RecordedRequest>;

    /// How many requests it received.
    fn request_count(&self) -> usize;

    /// Answers the next request with `fault` instead.
    fn inject(&self, fault: Fault);
}

/// A client of a subject, its calls named by `operationId`.
pub trait Client {
    /// One request of `operation_id`, with `limit` (if any) made into the client's own limit
    /// type as a caller would: the number of items it answers (a page's, or 1), or the error.
    fn fetch<'a>(
        &'a self,
        operation_id: &'a str,
        limit: Option<i64>,
    ) -> LocalBoxFuture<'a, Result<usize, Failure>>;

    /// A walk of `operation_id` with pages of `page_size` (the client's default if `None`),
    /// its items as the keys that tell them apart: from where its query starts by default, or
    /// of `window` (only where its subject has [`time_windows`](Subject::time_windows), and
    /// [`Window::After`] where it [`walks_forward`](Subject::walks_forward)).
    fn walk(
        &self,
        operation_id: &str,
        page_size: Option<u32>,
        window: Option<Window>,
    ) -> Box<dyn KeyedWalk>;
}

/// How a test sets a client up: the simulation's credentials unless it brings its own, a
/// retry policy, and the HTTP client and page budget where not the client's defaults.
#[derive(Clone)]
pub struct Connection {
    /// The credentials sent; the simulation's when `None`.
    pub credentials: Option<Credentials>,
    /// The client's retry policy.
    pub retry: RetryPolicy,
    /// The HTTP client requests go through; the client's default when `None`.
    pub http: Option<reqwest::Client>,
    /// The most pages one walk fetches; the client's default when `None`.
    pub max_pages: Option<usize>,
}

impl Connection {
    /// The simulation's credentials and `retry`; every other setting the client's default.
    pub fn simulated(retry: RetryPolicy) -> Self {
        Self {
            credentials: None,
            retry,
            http: None,
            max_pages: None,
        }
    }
}

/// Credentials of a test's own: the token every service takes, and the API key a service
/// that takes one sends beside it.
#[derive(Clone, Copy)]
pub struct Credentials {
    /// The access token (ListenBrainz's user token).
    pub token: &'static str,
    /// The API key.
    pub api_key: &'static str,
}

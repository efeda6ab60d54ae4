//! The live mode: the conformance gate against the real services, read-only, within a
//! request budget, with the credentials the CLI reads (`cargo xtask conformance --live`).
//!
//! For each service with credentials ([`credentials()`]) it walks the user's real history
//! with raw requests (not through the clients), and checks:
//!
//! - every response ([`checks`]): its status is declared in the spec (or a named exception,
//!   [`checks::UNDECLARED_STATUSES`]), its content type, its body against the spec's schema
//!   for that status (the suite's validator, [`crate::schema`]), that it decodes with the
//!   generated types, and `Retry-After` on a 429;
//! - the pagination ([`walks`]): newest first, every play once, cursors that move (in time:
//!   monotonic; opaque: never repeated), `next` or `hasNextPage` consistent with them, at
//!   most `limit` items, the same plays at two page sizes, and (with a time cursor) a forward
//!   walk from an old `after` that returns the plays a backward walk returned;
//! - the bounds the documents are silent on: `limit=0`, the maximum, the maximum + 1 and
//!   (with time cursors) `before` with `after`, recorded and compared with the answers
//!   recorded before ([`bounds::BoundsFile`]).
//!
//! Everything that differs between services (names, variables, base URL, authorization
//! server, which walk checks run, how a body decodes, how its simulation starts) is reached
//! through its [`services::Description`], one module per service, listed once in
//! [`Service::ALL`].
//!
//! It stops a service at its first 429 and never sends more than the budget
//! ([`DEFAULT_BUDGET`] requests per service unless told). The [`Report`] has one row per check;
//! nothing in it (or in a recording, [`record`]) holds a token, an API key, a user ID or a
//! display name ([`scrub`]).

pub mod bounds;
pub mod checks;
pub mod credentials;
mod exchange;
pub mod record;
pub mod report;
pub mod scrub;
pub mod services;
pub mod walks;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use bounds::{Answer, BoundsFile};
pub use credentials::{Credentials, Found, Service, Target, credentials};
pub use exchange::{Exchange, MAX_BODY_BYTES};
pub use report::{Report, Row, Status};

use checks::Findings;
use exchange::{Halt, Requester};
use scrub::Scrub;

use crate::responses::SpecResponses;

/// Requests per service unless told otherwise: enough for every check on each service
/// (about 20), few enough to stay far below any rate limit.
pub const DEFAULT_BUDGET: usize = 25;

/// How a live run goes.
#[derive(Clone, Debug)]
pub struct Options {
    /// The most requests sent to each service.
    pub budget: usize,
    /// Where to record every response, scrubbed (`--record DIR`), if anywhere.
    pub record: Option<PathBuf>,
    /// The bounds answers recorded before, to compare the new ones with.
    pub bounds: BoundsFile,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            budget: DEFAULT_BUDGET,
            record: None,
            bounds: BoundsFile::default(),
        }
    }
}

/// What a live run found.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// The report: its rows, and the sentences of services that errors their credentials.
    pub report: Report,
    /// What each service answered to the bounds, by service key (for `--update-bounds`).
    pub answers: BTreeMap<String, BTreeMap<String, Answer>>,
    /// How many requests each service was sent, by service key.
    pub requests: BTreeMap<String, usize>,
}

/// Checks every target, one after the other.
pub async fn run(targets: &[Target], options: &Options) -> Outcome {
    let mut outcome = Outcome::default();
    for target in targets {
        check_service(target, options, &mut outcome).await;
    }
    outcome
}

async fn check_service(target: &Target, options: &Options, outcome: &mut Outcome) {
    let service = target.service;
    let mut secrets = vec![target.credentials.token().expose()];
    if let Some(key) = target.credentials.api_key() {
        secrets.push(key.expose());
    }
    let mut scrub = Scrub::new(&secrets, &target.base_url);
    let spec = match SpecResponses::load(service.api()) {
        Ok(spec) => spec,
        Err(e) => {
            outcome
                .report
                .errors
                .push(format!("{service}: cannot read its spec: {e}."));
            return;
        }
    };
    let mut req = match Requester::new(target, options.budget) {
        Ok(req) => req,
        Err(e) => {
            outcome.report.errors.push(format!("{service}: {e}."));
            return;
        }
    };
    let mut findings = Findings::default();
    let mut bounds = walks::Bounds {
        previous: options.bounds.answers.get(service.key()),
        answers: BTreeMap::new(),
    };
    let description = service.description();
    let walked = (description.walk)(&mut req, &mut findings, &mut bounds).await;
    let halt = walked.err();
    for exchange in req.exchanges() {
        scrub.learn_text(&exchange.request);
        if let Some(body) = exchange.json() {
            scrub.learn(&body);
        }
    }
    checks::check_responses(service, &spec, req.exchanges(), &mut findings);
    let sent = req.exchanges().len();
    match &halt {
        None => findings.note(
            checks::REQUESTS,
            format!("{sent} of a budget of {}", options.budget),
        ),
        Some(Halt::Transport(message)) => findings.depart(
            checks::REQUESTS,
            checks::Departure {
                pointer: String::new(),
                excerpt: String::new(),
                detail: format!("after {sent} requests, a request failed: {message}"),
            },
        ),
        Some(halt) => findings.skip(checks::REQUESTS, format!("{sent} sent; {}", halt.reason())),
    }
    if let Some(Halt::Refused(sentence)) = &halt {
        outcome
            .report
            .errors
            .push(report::cut(&scrub.text(sentence), 300));
    }
    let mut expected = description.checks.to_vec();
    expected.extend(checks::ALWAYS);
    outcome
        .report
        .rows
        .extend(findings.rows(service, &expected, halt.as_ref(), &scrub));
    outcome.requests.insert(service.key().to_string(), sent);
    outcome
        .answers
        .insert(service.key().to_string(), bounds.answers);
    let exchanges = req.into_exchanges();
    if let Some(dir) = &options.record
        && let Err(e) = record::write(dir, service.key(), &exchanges, &scrub)
    {
        outcome
            .report
            .errors
            .push(format!("{service}: cannot record: {e}."));
    }
}

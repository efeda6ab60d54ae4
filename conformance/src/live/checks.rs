//! What every check of a service found, and the checks every response gets: its status is
//! declared, its content type too, its body matches the schema declared for that status and
//! decodes with the generated types, and a 429 says when to retry.

use serde_json::Value;

use super::credentials::Service;
use super::exchange::{Exchange, Halt};
use super::record;
use super::report::{Row, Status, cut};
use super::scrub::Scrub;
use crate::responses::SpecResponses;

/// `status declared`: every status is one the spec declares for the operation (or one of
/// [`UNDECLARED_STATUSES`]).
pub const STATUS_DECLARED: &str = "status declared";
/// `content type`: a response with a declared body has one of the declared media types; a
/// declared bodyless one has no body.
pub const CONTENT_TYPE: &str = "content type";
/// `body matches schema`: the body is valid against the schema the spec declares for that
/// status, with the suite's validator.
pub const BODY: &str = "body matches schema";
/// `decodes`: the body decodes with the client crate's generated types, every item of a page
/// included.
pub const DECODES: &str = "decodes";
/// `retry-after on 429`: a 429 carries the `Retry-After` the spec documents (seconds).
pub const RETRY_AFTER: &str = "retry-after on 429";
/// `requests`: how many requests the run sent, and why it stopped early, if it did.
pub const REQUESTS: &str = "requests";
/// The checks every service gets, in report order after its walk checks.
pub const ALWAYS: [&str; 6] = [
    STATUS_DECLARED,
    CONTENT_TYPE,
    BODY,
    DECODES,
    RETRY_AFTER,
    REQUESTS,
];

/// A status the spec does not declare but a service may answer all the same, and why that
/// is no departure.
#[derive(Clone, Copy, Debug)]
pub struct StatusException {
    /// The service.
    pub service: Service,
    /// The status.
    pub status: u16,
    /// Why it is expected.
    pub reason: &'static str,
}

/// The statuses a service may answer although its spec does not declare them.
pub const UNDECLARED_STATUSES: &[StatusException] = &[
    StatusException {
        service: Service::AmazonMusic,
        status: 502,
        reason: "a gateway in front of the service answers it; the spec declares the V1 errors \
                 page's list, which names only the service's own statuses",
    },
    StatusException {
        service: Service::AmazonMusic,
        status: 503,
        reason: "a gateway in front of the service answers it (as 502)",
    },
    StatusException {
        service: Service::AmazonMusic,
        status: 504,
        reason: "a gateway in front of the service answers it (as 502)",
    },
    StatusException {
        service: Service::Spotify,
        status: 504,
        reason: "a gateway timeout; the Web API's status codes list 502 and 503, which the spec \
                 declares, but a gateway may time out as well",
    },
];

/// One departure from the spec: where, what was there, and in which request. Its text is
/// whole here (a secret cut in two would escape the scrubber); rows are cut once scrubbed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Departure {
    /// A JSON pointer into the response's body (`""`: the response as a whole).
    pub(crate) pointer: String,
    /// What was there.
    pub(crate) excerpt: String,
    /// The request, and what is wrong.
    pub(crate) detail: String,
}

#[derive(Clone, Debug)]
enum Finding {
    Ran {
        first: Option<Departure>,
        departures: usize,
        note: Option<String>,
    },
    Skipped(String),
    Bound {
        status: Status,
        excerpt: String,
        detail: String,
    },
}

/// What the checks of one service found, check by check, in the order they were met.
#[derive(Clone, Debug, Default)]
pub(crate) struct Findings {
    entries: Vec<(String, Finding)>,
}

impl Findings {
    fn entry(&mut self, check: &str) -> &mut Finding {
        let index = match self.entries.iter().position(|(name, _)| name == check) {
            Some(index) => index,
            None => {
                self.entries.push((
                    check.to_string(),
                    Finding::Ran {
                        first: None,
                        departures: 0,
                        note: None,
                    },
                ));
                self.entries.len() - 1
            }
        };
        let finding = &mut self.entries[index].1;
        if matches!(finding, Finding::Skipped(_)) {
            *finding = Finding::Ran {
                first: None,
                departures: 0,
                note: None,
            };
        }
        finding
    }

    /// `check` ran (and passes unless something departs).
    pub(crate) fn ran(&mut self, check: &str) {
        self.entry(check);
    }

    /// `check` ran; this is what passed (shown as the row's detail).
    pub(crate) fn note(&mut self, check: &str, note: impl Into<String>) {
        if let Finding::Ran { note: slot, .. } = self.entry(check) {
            *slot = Some(note.into());
        }
    }

    /// `check` found a departure; the first one found is the row's.
    pub(crate) fn depart(&mut self, check: &str, departure: Departure) {
        if let Finding::Ran {
            first, departures, ..
        } = self.entry(check)
        {
            *departures += 1;
            first.get_or_insert(departure);
        }
    }

    /// `check` cannot run, for this reason (unless it ran already).
    pub(crate) fn skip(&mut self, check: &str, why: impl Into<String>) {
        if !self.entries.iter().any(|(name, _)| name == check) {
            self.entries
                .push((check.to_string(), Finding::Skipped(why.into())));
        }
    }

    /// A bound's answer: recorded, the same as before, or changed.
    pub(crate) fn bound(&mut self, check: String, status: Status, excerpt: String, detail: String) {
        self.entries.retain(|(name, _)| *name != check);
        self.entries.push((
            check,
            Finding::Bound {
                status,
                excerpt,
                detail,
            },
        ));
    }

    /// The rows: `expected` checks first, in that order (those that did not run are skipped,
    /// for `halt`'s reason if the run stopped early), then the others as they came.
    pub(crate) fn rows(
        mut self,
        service: Service,
        expected: &[&str],
        halt: Option<&Halt>,
        scrub: &Scrub,
    ) -> Vec<Row> {
        let why = halt.map_or_else(|| "not reached".to_string(), Halt::reason);
        for check in expected {
            self.skip(check, why.clone());
        }
        let position = |name: &str| {
            expected
                .iter()
                .position(|e| *e == name)
                .unwrap_or(usize::MAX)
        };
        self.entries.sort_by_key(|(name, _)| position(name));
        self.entries
            .into_iter()
            .map(|(check, finding)| {
                let (status, pointer, excerpt, detail) = match finding {
                    Finding::Ran {
                        first: None, note, ..
                    } => (
                        Status::Pass,
                        String::new(),
                        String::new(),
                        note.unwrap_or_default(),
                    ),
                    Finding::Ran {
                        first: Some(d),
                        departures,
                        ..
                    } => {
                        let more = match departures {
                            1 => String::new(),
                            n => format!(" ({} more departures)", n - 1),
                        };
                        (
                            Status::Fail,
                            d.pointer,
                            d.excerpt,
                            format!("{}{more}", d.detail),
                        )
                    }
                    Finding::Skipped(why) => (Status::Skip, String::new(), String::new(), why),
                    Finding::Bound {
                        status,
                        excerpt,
                        detail,
                    } => (status, String::new(), excerpt, detail),
                };
                Row {
                    service: service.key().to_string(),
                    check,
                    status,
                    pointer,
                    excerpt: cut(&scrub.text(&excerpt), 200),
                    detail: cut(&scrub.text(&detail), 300),
                }
            })
            .collect()
    }
}

/// The excerpt of a body at `pointer`: the value there, else what the validator said.
fn excerpt(body: &Value, pointer: &str, message: &str) -> String {
    body.pointer(pointer)
        .map(Value::to_string)
        .unwrap_or_else(|| message.to_string())
}

/// Runs the per-response checks over every exchange of `service`.
pub(crate) fn check_responses(
    service: Service,
    spec: &SpecResponses,
    exchanges: &[Exchange],
    findings: &mut Findings,
) {
    if exchanges.is_empty() {
        return;
    }
    for check in [STATUS_DECLARED, CONTENT_TYPE, BODY, DECODES] {
        findings.ran(check);
    }
    for exchange in exchanges {
        let at = |what: String| format!("{}: {what}", exchange.request);
        let operation = exchange.operation.as_str();
        let Some(key) = spec.status_key(operation, exchange.status) else {
            match UNDECLARED_STATUSES
                .iter()
                .find(|e| e.service == service && e.status == exchange.status)
            {
                Some(exception) => findings.note(
                    STATUS_DECLARED,
                    format!(
                        "{} answered, undeclared but expected: {}",
                        exception.status, exception.reason
                    ),
                ),
                None => findings.depart(
                    STATUS_DECLARED,
                    Departure {
                        pointer: String::new(),
                        excerpt: exchange.status.to_string(),
                        detail: at(format!(
                            "{} declares no {} response",
                            spec.spec().file(),
                            exchange.status
                        )),
                    },
                ),
            }
            continue;
        };
        let Some(media_types) = spec.media_types(operation, &key) else {
            continue;
        };
        if media_types.is_empty() {
            if !exchange.body.is_empty() {
                findings.depart(
                    CONTENT_TYPE,
                    Departure {
                        pointer: String::new(),
                        excerpt: String::from_utf8_lossy(&exchange.body).into_owned(),
                        detail: at(format!(
                            "the {key} response declares no body; {} bytes came",
                            exchange.body.len()
                        )),
                    },
                );
            }
            check_decodes(service, exchange, findings);
            continue;
        }
        let essence = exchange
            .content_type
            .as_deref()
            .map(|value| value.split(';').next().unwrap_or("").trim().to_lowercase());
        let declared: Vec<&String> = media_types.keys().collect();
        let schema = match essence.as_deref().and_then(|e| media_types.get(e)) {
            Some(schema) => schema.as_ref(),
            None => {
                findings.depart(
                    CONTENT_TYPE,
                    Departure {
                        pointer: String::new(),
                        excerpt: exchange
                            .content_type
                            .clone()
                            .unwrap_or_else(|| "(none)".into()),
                        detail: at(format!("the {key} response declares {declared:?}")),
                    },
                );
                // The body is still checked against the declared JSON schema.
                media_types.get("application/json").and_then(Option::as_ref)
            }
        };
        if let Some(schema) = schema {
            match serde_json::from_slice::<Value>(&exchange.body) {
                Err(e) => findings.depart(
                    BODY,
                    Departure {
                        pointer: String::new(),
                        excerpt: String::from_utf8_lossy(&exchange.body).into_owned(),
                        detail: at(format!("the body is not JSON: {e}")),
                    },
                ),
                Ok(body) => {
                    let violations = schema.violations(&body);
                    let count = violations.len();
                    for violation in violations {
                        findings.depart(
                            BODY,
                            Departure {
                                excerpt: excerpt(&body, &violation.pointer, &violation.message),
                                detail: at(format!("{} ({count} in this body)", violation.message)),
                                pointer: violation.pointer,
                            },
                        );
                    }
                }
            }
        }
        check_decodes(service, exchange, findings);
        if exchange.status == 429 {
            check_retry_after(service, spec, exchange, findings);
        }
    }
    if !exchanges.iter().any(|e| e.status == 429) {
        findings.skip(RETRY_AFTER, "no response was a 429");
    }
    findings.note(STATUS_DECLARED, format!("{} responses", exchanges.len()));
}

fn check_decodes(service: Service, exchange: &Exchange, findings: &mut Findings) {
    if let Err(e) = record::decode(
        service.key(),
        &exchange.operation,
        exchange.status,
        &exchange.body,
    ) {
        let body = exchange.json().unwrap_or(Value::Null);
        findings.depart(
            DECODES,
            Departure {
                excerpt: excerpt(&body, &e.pointer, &e.message),
                detail: format!("{}: {}", exchange.request, e.message),
                pointer: e.pointer,
            },
        );
    }
}

/// `Retry-After` on a 429: present where the spec says the service gives it
/// ([`Description::promises_retry_after`]), and a whole number of seconds, at least 0, as
/// its schema says.
///
/// [`Description::promises_retry_after`]: super::services::Description::promises_retry_after
fn check_retry_after(
    service: Service,
    spec: &SpecResponses,
    exchange: &Exchange,
    findings: &mut Findings,
) {
    findings.ran(RETRY_AFTER);
    let documented = spec
        .spec()
        .operation(&exchange.operation)
        .and_then(|operation| operation.response("429"))
        .ok()
        .and_then(|response| response.pointer("/headers/Retry-After/schema").cloned());
    let Some(schema) = documented else {
        return;
    };
    let depart = |excerpt: String, why: &str| Departure {
        pointer: String::new(),
        excerpt,
        detail: format!("{}: {why}", exchange.request),
    };
    match &exchange.retry_after {
        None if service.description().promises_retry_after => findings.depart(
            RETRY_AFTER,
            depart(
                "(none)".into(),
                "a 429 without Retry-After, which the spec says it gives",
            ),
        ),
        None => findings.note(
            RETRY_AFTER,
            "a 429 without Retry-After, which the spec allows",
        ),
        Some(value) => {
            let minimum = schema.get("minimum").and_then(Value::as_u64).unwrap_or(0);
            match value.trim().parse::<u64>() {
                Ok(seconds) if seconds >= minimum => {
                    findings.note(RETRY_AFTER, format!("Retry-After: {seconds}"));
                }
                _ => findings.depart(
                    RETRY_AFTER,
                    depart(
                        value.clone(),
                        "Retry-After is not a whole number of seconds",
                    ),
                ),
            }
        }
    }
}

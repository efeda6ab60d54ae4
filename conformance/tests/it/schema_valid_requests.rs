//! The simulations accept exactly the requests their specs call valid, answer only with
//! statuses their specs declare, and answer a method they do not serve as HTTP says: `405`
//! with an `Allow` header (RFC 9110, 15.5.6). These are the properties Schemathesis checks
//! (`.ci/schemathesis`, ST202, ST103 and ST204), checked here so that `cargo test` alone finds
//! a breach.
//!
//! Every query parameter of every operation is given each value of a small table made from its
//! schema: absent, the edges of its range and just past them, empty values, non-numbers, an
//! empty list and an unknown kind, and for a cursor one the simulation issued and one it did
//! not. Whether a value is valid is asked of the spec's schema for that parameter, never decided
//! here, and every combination is sent. A request valid by the schema must be answered 2xx
//! and an invalid one 400; every answer must be declared by its operation, with a body its
//! schema accepts.
//!
//! The exceptions are those schemathesis.toml names, for what OpenAPI 3.0 cannot express (or
//! a spec says in prose beside a schema kept to what is useful to send): each subject's
//! [`Subject::schema_exceptions`]. The two lists must agree.

use std::collections::BTreeSet;

use crate::common::*;
use crate::subjects::{ALL, Candidate, Request, Subject, percent_encode, with_every_subject};
use conformance::schema::ResponseSchema;
use conformance::spec::{Operation, Spec, workspace_root};
use reqwest::Method;
use serde_json::{Value, json};

/// The values a query parameter is given, from its (resolved) schema.
fn candidates(schema: &Value) -> Vec<Candidate> {
    let value = |v: Value| Candidate::Value(v);
    let mut out = vec![Candidate::Absent];
    match schema["type"].as_str() {
        Some("integer") => {
            match (schema["minimum"].as_i64(), schema["maximum"].as_i64()) {
                (Some(min), Some(max)) => {
                    out.extend([min, max, min - 1, max + 1].map(|n| value(json!(n))));
                }
                _ => out.extend([0, -1, NEWEST_MS, i64::MAX].map(|n| value(json!(n)))),
            }
            out.extend([value(json!("ten")), value(json!(""))]);
        }
        // A closed set (the catalog's `mediaType`): each value, and what is near but outside it.
        Some("string") if schema["enum"].is_array() => {
            let named = schema["enum"].as_array().into_iter().flatten();
            out.extend(named.cloned().map(value));
            out.extend(["", "Bogus", "audio"].map(|text| value(json!(text))));
        }
        // Otherwise, a cursor.
        Some("string") => out.extend([value(json!("")), Candidate::Issued, Candidate::Forged]),
        Some("array") => {
            let kinds: Vec<Value> = ENTITY_TYPES
                .iter()
                .map(|kind| json!(kind.to_string()))
                .collect();
            out.extend([
                value(json!([kinds[0]])),
                value(json!([kinds[0], kinds[6]])),
                value(Value::Array(kinds.clone())),
                value(json!([kinds[0], kinds[0]])),
                value(json!([])),
                value(json!(["Bogus"])),
            ]);
        }
        other => panic!("no candidates for a parameter of type {other:?}"),
    }
    out
}

/// Every combination of the candidates of `operation`'s query parameters.
fn requests(spec: &Spec, operation: &Operation<'_>) -> Vec<Request> {
    let parameters: Vec<(String, Vec<Candidate>)> = operation.value()["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|parameter| spec.resolve(parameter).unwrap_or_else(|e| panic!("{e}")))
        .filter(|parameter| parameter["in"] == "query")
        .map(|parameter| {
            let schema = spec
                .resolve(&parameter["schema"])
                .unwrap_or_else(|e| panic!("{e}"));
            let name = parameter["name"].as_str().unwrap_or_default().to_string();
            (name, candidates(schema))
        })
        .collect();
    let id = operation
        .id()
        .expect("every operation has an id")
        .to_string();
    let mut out = vec![Request {
        operation_id: id,
        params: Vec::new(),
    }];
    for (name, values) in parameters {
        out = out
            .into_iter()
            .flat_map(|request| {
                let name = &name;
                values.iter().map(move |value| {
                    let mut request = request.clone();
                    request.params.push((name.clone(), value.clone()));
                    request
                })
            })
            .collect();
    }
    out
}

/// A query value as sent: integers as digits, strings as they are, lists comma-separated (the
/// specs' `style: form, explode: false`).
fn serialise(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(serialise).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// An answer: status, `Allow`, `Content-Type` and body.
struct Answer {
    status: u16,
    allow: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
}

async fn send(
    client: &reqwest::Client,
    method: Method,
    url: &str,
    headers: &[(&'static str, String)],
) -> Answer {
    let mut request = client.request(method, url);
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = request.send().await.expect("the simulation answers");
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_string)
    };
    let (status, allow) = (response.status().as_u16(), header(reqwest::header::ALLOW));
    let content_type = header(reqwest::header::CONTENT_TYPE);
    let body = response.bytes().await.expect("a body").to_vec();
    Answer {
        status,
        allow,
        content_type,
        body,
    }
}

/// Where each operation of a service is served, and with which credentials.
struct Target<'a> {
    /// One client for every request, so that they share a connection.
    client: reqwest::Client,
    /// The service.
    subject: &'static dyn Subject,
    /// Where its simulation serves it.
    base_url: &'a str,
    /// The credentials its simulation takes.
    headers: Vec<(&'static str, String)>,
}

impl Target<'_> {
    /// The path of `operation`, its path parameters naming what the simulation serves.
    fn path(&self, operation: &Operation<'_>) -> String {
        self.subject
            .path(operation.id().expect("every operation has an operationId"))
    }

    /// The query of `request`; `issued` is the cursor to send for [`Candidate::Issued`].
    fn query(&self, request: &Request, issued: Option<&str>) -> String {
        let pairs: Vec<String> = request
            .params
            .iter()
            .filter_map(|(name, value)| {
                let text = match value {
                    Candidate::Absent => return None,
                    Candidate::Value(value) => serialise(value),
                    Candidate::Issued => issued.unwrap_or("never-issued").to_string(),
                    Candidate::Forged => "1649747125758:0:0+0000000000000000".to_string(),
                };
                Some(format!("{name}={}", percent_encode(&text)))
            })
            .collect();
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }

    /// A cursor issued for `request`'s operation and `entityTypes`: the token of its first
    /// page of one edge. `None` when that page is refused (its other parameters are invalid).
    async fn issue_cursor(&self, operation: &Operation<'_>, request: &Request) -> Option<String> {
        let probe = Request {
            operation_id: request.operation_id.clone(),
            params: request
                .params
                .iter()
                .filter(|(name, _)| name == "entityTypes")
                .cloned()
                .chain([("limit".to_string(), Candidate::Value(json!(1)))])
                .collect(),
        };
        let url = format!(
            "{}{}{}",
            self.base_url,
            self.path(operation),
            self.query(&probe, None)
        );
        let answer = send(&self.client, Method::GET, &url, &self.headers).await;
        if answer.status != 200 {
            return None;
        }
        let page: Value = serde_json::from_slice(&answer.body).expect("a 200 body is JSON");
        let token = self.subject.issued_cursor(&page);
        Some(token.expect("every simulated history here is longer than one edge"))
    }

    /// Sends every request of every operation; returns the problems.
    async fn check_every_request(&self) -> Vec<String> {
        let spec = self.subject.spec();
        let mut problems = Vec::new();
        for operation in spec.spec().operations() {
            for request in requests(spec.spec(), &operation) {
                let issued = if request
                    .params
                    .iter()
                    .any(|(_, value)| *value == Candidate::Issued)
                {
                    self.issue_cursor(&operation, &request).await
                } else {
                    None
                };
                let query = self.query(&request, issued.as_deref());
                let url = format!("{}{}{query}", self.base_url, self.path(&operation));
                let answer = send(&self.client, Method::GET, &url, &self.headers).await;
                let at = format!("GET {}{query} answered {}", operation.path(), answer.status);
                if let Err(problem) = spec.check(
                    &request.operation_id,
                    answer.status,
                    answer.content_type.as_deref(),
                    &answer.body,
                ) {
                    problems.push(format!("{at}: {problem}"));
                }
                let invalid: Vec<&str> = request
                    .params
                    .iter()
                    .filter(|(name, value)| {
                        let json = match value {
                            Candidate::Absent => return false,
                            Candidate::Value(value) => value.clone(),
                            Candidate::Issued | Candidate::Forged => json!("a-token"),
                        };
                        !spec
                            .parameter_accepts(&request.operation_id, name, "query", &json)
                            .unwrap_or_else(|e| panic!("{e}"))
                    })
                    .map(|(name, _)| name.as_str())
                    .collect();
                let exception = self
                    .subject
                    .schema_exceptions()
                    .iter()
                    .find(|exception| (exception.applies)(&request));
                let expected = match (invalid.is_empty(), exception) {
                    (_, Some(exception)) => exception.answered..=exception.answered,
                    (false, None) => 400..=400,
                    (true, None) => 200..=299,
                };
                if !expected.contains(&answer.status) {
                    let why = match (invalid.as_slice(), exception) {
                        ([], None) => "the request is valid by the spec's schema".to_string(),
                        ([], Some(exception)) => {
                            format!(
                                "exception {:?} applies ({})",
                                exception.name, exception.reason
                            )
                        }
                        (invalid, _) => format!("the spec's schema refuses {invalid:?}"),
                    };
                    problems.push(format!(
                        "{at}, expected {}..={}: {why}; body {}",
                        expected.start(),
                        expected.end(),
                        String::from_utf8_lossy(&answer.body)
                    ));
                }
            }
        }
        problems
    }

    /// Sends every method but GET to every path of the spec: each must be `405`, with `Allow`
    /// naming exactly the methods the spec declares for that path, and the general error body.
    async fn check_other_methods(&self) -> Vec<String> {
        let spec = self.subject.spec().spec();
        let error_body =
            ResponseSchema::for_component(spec, "ErrorResponse").unwrap_or_else(|e| panic!("{e}"));
        let mut problems = Vec::new();
        for operation in spec.operations() {
            let declared: BTreeSet<String> = spec
                .operations()
                .iter()
                .filter(|other| other.path() == operation.path())
                .map(|other| other.method().to_uppercase())
                .collect();
            let url = format!("{}{}", self.base_url, self.path(&operation));
            for method in ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"] {
                if declared.contains(method) {
                    continue;
                }
                let method = Method::from_bytes(method.as_bytes()).unwrap();
                let answer = send(&self.client, method.clone(), &url, &self.headers).await;
                let at = format!("{method} {} answered {}", operation.path(), answer.status);
                if answer.status != 405 {
                    problems.push(format!("{at}, not 405"));
                    continue;
                }
                let allowed: Option<BTreeSet<String>> = answer.allow.as_ref().map(|allow| {
                    allow
                        .split(',')
                        .map(|method| method.trim().to_uppercase())
                        .filter(|method| !method.is_empty())
                        .collect()
                });
                match allowed {
                    None => problems.push(format!("{at} without an Allow header (RFC 9110)")),
                    Some(allowed) if allowed != declared => problems.push(format!(
                        "{at} with Allow {allowed:?}, but the spec declares {declared:?}"
                    )),
                    Some(_) => {}
                }
                let body: Value = serde_json::from_slice(&answer.body).unwrap_or_default();
                if let Err(invalid) = error_body.validate(&body) {
                    problems.push(format!("{at}: not the general error body: {invalid}"));
                }
            }
        }
        problems
    }
}

fn assert_none(promise: &str, problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "promise broken: {promise}\n{}",
        problems.join("\n")
    );
}

/// Runs `check` against the simulation of `subject`, with a history of 64 plays a minute
/// apart: longer than a page of one, and of every kind where plays have kinds.
async fn target_run<T>(
    subject: &'static dyn Subject,
    check: impl AsyncFnOnce(&Target<'_>) -> T,
) -> T {
    let times: Vec<i64> = (0..64).map(|i| NEWEST_MS - 60_000 * i).collect();
    let sim = subject.simulate(&times).await;
    let target = Target {
        client: client_support::http::client_builder().build().unwrap(),
        subject,
        base_url: sim.base_url(),
        headers: subject.credential_headers(),
    };
    check(&target).await
}

/// Every service's simulation accepts exactly what its spec's schemas call valid, the
/// exceptions of schemathesis.toml aside, and declares every answer.
fn the_simulation_accepts_exactly_the_requests_its_spec_calls_valid(subject: &'static dyn Subject) {
    let problems = block_on(target_run(subject, async |target| {
        target.check_every_request().await
    }));
    assert_none(
        &format!(
            "a request valid by the {} spec's schema is accepted, an invalid one is 400, \
             and every answer is declared (its named exceptions aside)",
            subject.name()
        ),
        problems,
    );
}

with_every_subject!(one_test_each the_simulation_accepts_exactly_the_requests_its_spec_calls_valid);

/// Every service's simulation answers a method it does not serve with `405` and `Allow`.
fn a_method_the_simulation_does_not_serve_is_405_with_allow(subject: &'static dyn Subject) {
    let problems = block_on(target_run(subject, async |target| {
        target.check_other_methods().await
    }));
    assert_none(
        &format!(
            "a 405 from the {} simulation names the methods the path allows (RFC 9110)",
            subject.name()
        ),
        problems,
    );
}

with_every_subject!(one_test_each a_method_the_simulation_does_not_serve_is_405_with_allow);

#[test]
fn the_exceptions_here_are_the_ones_schemathesis_toml_names() {
    let root = workspace_root();
    let toml = std::fs::read_to_string(root.join("schemathesis.toml")).unwrap();
    let hooks = std::fs::read_to_string(root.join(".ci/schemathesis_hooks.py")).unwrap();
    let named: BTreeSet<&str> = toml
        .split("# Exception \"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(name, _)| name))
        .collect();
    let here: BTreeSet<&str> = ALL
        .iter()
        .flat_map(|subject| subject.schema_exceptions())
        .map(|exception| exception.name)
        .collect();
    assert_eq!(
        named, here,
        "schemathesis.toml and this file must name the same exceptions"
    );
    for name in here {
        assert!(
            hooks.contains(&format!("\"{name}\":")),
            ".ci/schemathesis_hooks.py implements no exception {name:?}"
        );
    }
}

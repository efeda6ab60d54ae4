//! What the simulations share: a wiremock server on 127.0.0.1 whose every request goes through
//! one stateful responder, the fault queue, the lasting rate limit ([`crate::rate_limit`]),
//! the request logs, and the authorization server (for the services that have one).
//!
//! While the rate limit is on, every API request is recorded and answered as a
//! [`Fault::RateLimited`] with the seconds left; queued faults wait for the limit to end.
//!
//! The authorization server's paths lie outside `/v1` and are answered before the service's.
//! Requests to them draw no fault and are logged apart, so that the API's request count (what
//! tests and benchmarks count as the cost of a walk) means what it meant before sign-in existed.
//!
//! wiremock has no "drop this connection" response, but a mock answered with
//! `respond_with_err` makes its hyper service fail, and hyper then closes the connection
//! without writing a response. So two mocks are mounted: the first one's matcher draws the
//! request's fault from the queue (and records the request) and matches only when that fault is
//! [`Fault::Drop`]; the second answers everything else, using the fault the first one drew.
//! wiremock matches and answers a request under one lock, so no other request can come between
//! the draw and the answer.

use std::collections::VecDeque;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use wiremock::matchers::any;
use wiremock::{Match, Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::auth::{AuthServer, Provider};
use crate::fault::Fault;
use crate::rate_limit::Penalty;
use crate::record::RecordedRequest;

/// How one simulated service answers the requests no fault pre-empted.
pub(crate) trait Service: Send + 'static {
    /// Where the API's paths start below the origin: `/v1` unless the service says otherwise
    /// (ListenBrainz's paths start at the root, with `/1`).
    const BASE_PATH: &'static str = "/v1";

    /// Answers one API request; `base_url` is the simulation's, e.g.
    /// `http://127.0.0.1:4567/v1`, and `auth` knows the tokens its authorization server issued
    /// (`None` for a service started without one).
    fn answer(
        &mut self,
        request: &RecordedRequest,
        base_url: &str,
        auth: Option<&AuthServer>,
    ) -> Result<ResponseTemplate, Rejection>;
    /// The service's error response for `rejection`.
    fn error(&self, rejection: &Rejection) -> ResponseTemplate;
    /// What `429` says.
    fn rate_limited(&self) -> Rejection;
    /// What `500` says.
    fn server_error(&self) -> Rejection;

    /// The answer to a request rate-limited for `retry_after_secs` more seconds (by a
    /// [`Fault::RateLimited`] or the lasting rate limit): [`Service::rate_limited`] with
    /// `Retry-After`, unless the service says `429` otherwise.
    fn too_many_requests(&mut self, retry_after_secs: u64) -> ResponseTemplate {
        self.error(&self.rate_limited())
            .insert_header("retry-after", retry_after_secs.to_string())
    }

    /// The answer to a [`Fault::ServerError`]: [`Service::server_error`], unless the service
    /// adds to it.
    fn internal_error(&mut self) -> ResponseTemplate {
        self.error(&self.server_error())
    }
}

/// A request the service turns down: the status, a machine-readable code (for services that
/// send one) and a message.
#[derive(Debug)]
pub(crate) struct Rejection {
    pub(crate) status: u16,
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

pub(crate) fn reject(status: u16, code: &'static str, message: impl Into<String>) -> Rejection {
    Rejection {
        status,
        code,
        message: message.into(),
    }
}

struct Core<S> {
    service: S,
    auth: Option<AuthServer>,
    faults: VecDeque<Fault>,
    /// The lasting rate limit, if one was set.
    rate_limit: Option<Penalty>,
    /// The API's requests.
    requests: Vec<RecordedRequest>,
    /// The authorization server's requests.
    auth_requests: Vec<RecordedRequest>,
    /// The fault drawn by the request being answered (never `Drop`, which is answered by the
    /// first mock).
    drawn: Option<Fault>,
}

type Shared<S> = Arc<Mutex<Core<S>>>;

fn lock<S>(core: &Shared<S>) -> MutexGuard<'_, Core<S>> {
    // A panic while answering must not take every later request down with it.
    core.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running simulation of service `S`.
pub(crate) struct Simulation<S> {
    core: Shared<S>,
    base_url: String,
    origin: String,
    // Dropping the server stops it.
    _server: MockServer,
}

impl<S: Service> Simulation<S> {
    /// Starts serving `service` under [`Service::BASE_PATH`], and `provider`'s authorization
    /// server, if any, at the root.
    pub(crate) async fn start(service: S, provider: Option<Provider>) -> Self {
        let server = MockServer::builder()
            .disable_request_recording()
            .start()
            .await;
        let origin = server.uri();
        let base_url = format!("{origin}{}", S::BASE_PATH);
        let core = Arc::new(Mutex::new(Core {
            service,
            auth: provider.map(AuthServer::new),
            faults: VecDeque::new(),
            rate_limit: None,
            requests: Vec::new(),
            auth_requests: Vec::new(),
            drawn: None,
        }));
        Mock::given(DrawFault(core.clone()))
            .respond_with_err(|_: &Request| {
                io::Error::new(io::ErrorKind::ConnectionAborted, "sandbox: Fault::Drop")
            })
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(any())
            .respond_with(Answer {
                core: core.clone(),
                base_url: base_url.clone(),
            })
            .with_priority(2)
            .mount(&server)
            .await;
        Self {
            core,
            base_url,
            origin,
            _server: server,
        }
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `http://127.0.0.1:<port>`, where the authorization server's paths start.
    pub(crate) fn origin(&self) -> &str {
        &self.origin
    }

    pub(crate) fn inject(&self, fault: Fault) {
        fault.check();
        lock(&self.core).faults.push_back(fault);
    }

    /// Answers every API request `429` for `penalty` from now, each request received
    /// meanwhile lengthening it; `None` lifts it.
    pub(crate) fn set_rate_limit(&self, penalty: Option<Duration>) {
        lock(&self.core).rate_limit = penalty.map(|length| Penalty::new(length, Instant::now()));
    }

    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.core).requests.clone()
    }

    pub(crate) fn request_count(&self) -> usize {
        lock(&self.core).requests.len()
    }

    pub(crate) fn auth_requests(&self) -> Vec<RecordedRequest> {
        lock(&self.core).auth_requests.clone()
    }

    /// Forgets the requests received so far, the authorization server's too.
    pub(crate) fn clear_requests(&self) {
        let mut core = lock(&self.core);
        core.requests.clear();
        core.auth_requests.clear();
    }

    /// Runs `change` on the service's state, between two requests.
    pub(crate) fn with_service<T>(&self, change: impl FnOnce(&mut S) -> T) -> T {
        change(&mut lock(&self.core).service)
    }

    /// Runs `change` on the authorization server's state, between two requests.
    ///
    /// # Panics
    ///
    /// If the simulation was started without one.
    pub(crate) fn with_auth<T>(&self, change: impl FnOnce(&mut AuthServer) -> T) -> T {
        let mut core = lock(&self.core);
        change(
            core.auth
                .as_mut()
                .expect("started with an authorization server"),
        )
    }
}

/// The first mock's matcher: records the request, draws its fault (the rate limit's `429`
/// while it lasts), and matches (so that the connection is dropped) only for [`Fault::Drop`].
/// A request to the authorization server is logged apart and draws none.
struct DrawFault<S>(Shared<S>);

impl<S: Service> Match for DrawFault<S> {
    fn matches(&self, request: &Request) -> bool {
        let mut core = lock(&self.0);
        let request = RecordedRequest::from_wiremock(request);
        if core
            .auth
            .as_ref()
            .is_some_and(|auth| auth.serves(&request.path))
        {
            core.auth_requests.push(request);
            core.drawn = None;
            return false;
        }
        core.requests.push(request);
        let limited = core
            .rate_limit
            .as_mut()
            .and_then(|p| p.meet(Instant::now()));
        if let Some(retry_after_secs) = limited {
            core.drawn = Some(Fault::RateLimited { retry_after_secs });
            return false;
        }
        match core.faults.pop_front() {
            Some(Fault::Drop) => true,
            drawn => {
                core.drawn = drawn;
                false
            }
        }
    }
}

/// The second mock's responder: the drawn fault's response, or the service's answer.
struct Answer<S> {
    core: Shared<S>,
    base_url: String,
}

impl<S: Service> Respond for Answer<S> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut guard = lock(&self.core);
        let core = &mut *guard;
        let request = RecordedRequest::from_wiremock(request);
        if let Some(auth) = core.auth.as_mut().filter(|auth| auth.serves(&request.path)) {
            return auth.answer(&request);
        }
        match core.drawn.take() {
            Some(Fault::RateLimited { retry_after_secs }) => {
                core.service.too_many_requests(retry_after_secs)
            }
            Some(Fault::ServerError) => core.service.internal_error(),
            Some(Fault::Body {
                status,
                body,
                content_type,
            }) => {
                let template = ResponseTemplate::new(status);
                match content_type {
                    Some(mime) => template.set_body_raw(body, &mime),
                    None => template.set_body_bytes(body),
                }
            }
            // `Drop` never reaches here: the first mock answered it. No fault: normal service.
            Some(Fault::Drop) | None => {
                let answer = core
                    .service
                    .answer(&request, &self.base_url, core.auth.as_ref());
                answer.unwrap_or_else(|rejection| {
                    let response = core.service.error(&rejection);
                    if rejection.status == 405 {
                        // RFC 9110, 15.5.6: a 405 names the methods the resource allows.
                        response.insert_header("allow", ALLOWED_METHODS)
                    } else {
                        response
                    }
                })
            }
        }
    }
}

/// The `Allow` header of every `405`: every service serves its paths with `GET` only.
pub(crate) const ALLOWED_METHODS: &str = "GET";

/// A JSON response: `body` serialised, with the `Content-Type` the services send.
pub(crate) fn json(status: u16, body: &serde_json::Value) -> ResponseTemplate {
    let bytes = serde_json::to_vec(body).expect("a serde_json::Value always serialises");
    ResponseTemplate::new(status).set_body_raw(bytes, "application/json; charset=utf-8")
}

/// `value` as JSON, for generated types whose serialisation cannot fail.
pub(crate) fn to_value<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).expect("generated types serialise to JSON")
}

/// A timestamp as both services print it: UTC, millisecond precision, `Z`
/// (`2016-12-13T20:44:04.589Z`).
pub(crate) fn rfc3339_millis(at: &chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// `at` truncated to whole milliseconds, the precision both services use.
pub(crate) fn to_millis(at: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(at.timestamp_millis())
        .expect("a timestamp truncated to milliseconds stays in range")
}

/// Outcome of reading one optional query parameter.
pub(crate) enum Param<'a> {
    Absent,
    Once(&'a str),
    Repeated,
}

/// Reads query parameter `key`, telling a repeated key apart.
pub(crate) fn param<'a>(request: &'a RecordedRequest, key: &str) -> Param<'a> {
    match request.query_values(key).as_slice() {
        [] => Param::Absent,
        [value] => Param::Once(value),
        _ => Param::Repeated,
    }
}

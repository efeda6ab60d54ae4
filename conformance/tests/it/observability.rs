//! Every request is one `tracing` span with what a maintainer needs to see, and no field of
//! any span or event ever holds a credential, for every client.

use std::fmt;
use std::sync::{Arc, Mutex};

use amazon_music_web_api::MyEntitiesQuery;
use futures_util::TryStreamExt;
use listenbrainz_api::{Count, ListensQuery, ValidateTokenQuery};
use music_history_sandbox::Fault;
use music_history_sandbox::hostile::{Hostile, HostileServer};
use spotify_web_api::RetryPolicy;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

use crate::common::*;
use crate::subjects::{Connection, Credentials, Subject, with_every_subject};

/// One span or event, with every field it was given, as text.
#[derive(Clone, Debug, Default)]
struct Recorded {
    name: String,
    fields: Vec<(String, String)>,
}

impl Recorded {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Visit for Recorded {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.fields
            .push((field.name().to_string(), format!("{value:?}")));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.fields
            .push((field.name().to_string(), value.to_string()));
    }
}

/// A layer that keeps every span (with the fields recorded later too) and every event of the
/// thread that is [`captured`], and nothing of the others.
#[derive(Clone, Default)]
struct Capture {
    spans: Arc<Mutex<Vec<(u64, Recorded)>>>,
    events: Arc<Mutex<Vec<Recorded>>>,
}

thread_local! {
    /// The capture this thread's spans and events go to, while a test captures them.
    static CAPTURING: std::cell::RefCell<Option<Capture>> = const { std::cell::RefCell::new(None) };
}

/// The layer installed as the process's subscriber: it hands each span and event to the
/// capture of the thread it happens on. A global subscriber (not a scoped one) so that no
/// callsite's interest is cached as "never" by a test running without one.
struct PerThread;

impl PerThread {
    fn with(f: impl FnOnce(&Capture)) {
        CAPTURING.with(|c| {
            if let Some(capture) = c.borrow().as_ref() {
                f(capture);
            }
        });
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for PerThread {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _ctx: Context<'_, S>) {
        Self::with(|c| c.new_span(attrs, id));
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _ctx: Context<'_, S>) {
        Self::with(|c| c.record(id, values));
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        Self::with(|c| c.event(event));
    }
}

impl Capture {
    fn new_span(&self, attrs: &Attributes<'_>, id: &Id) {
        let mut recorded = Recorded {
            name: attrs.metadata().name().to_string(),
            ..Recorded::default()
        };
        attrs.record(&mut recorded);
        self.spans.lock().unwrap().push((id.into_u64(), recorded));
    }

    fn record(&self, id: &Id, values: &Record<'_>) {
        let mut spans = self.spans.lock().unwrap();
        if let Some((_, recorded)) = spans.iter_mut().rev().find(|(i, _)| *i == id.into_u64()) {
            values.record(recorded);
        }
    }

    fn event(&self, event: &Event<'_>) {
        let mut recorded = Recorded {
            name: event.metadata().name().to_string(),
            ..Recorded::default()
        };
        event.record(&mut recorded);
        self.events.lock().unwrap().push(recorded);
    }

    fn requests(&self) -> Vec<Recorded> {
        self.spans
            .lock()
            .unwrap()
            .iter()
            .map(|(_, r)| r.clone())
            .filter(|r| r.name == "request")
            .collect()
    }

    /// Every field value of every span and event, for looking for secrets.
    fn everything(&self) -> String {
        let spans = self.spans.lock().unwrap();
        let events = self.events.lock().unwrap();
        spans
            .iter()
            .map(|(_, r)| r)
            .chain(events.iter())
            .flat_map(|r| r.fields.iter())
            .map(|(n, v)| format!("{n}={v}\n"))
            .collect()
    }
}

/// Runs `future` on this thread's runtime, with its spans and events going to `capture`.
fn captured<F: Future>(capture: &Capture, future: F) -> F::Output {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let subscriber = tracing_subscriber::registry().with(PerThread);
        tracing::subscriber::set_global_default(subscriber)
            .expect("no other test installs a global subscriber");
    });
    CAPTURING.with(|c| *c.borrow_mut() = Some(capture.clone()));
    let output = block_on(future);
    CAPTURING.with(|c| *c.borrow_mut() = None);
    output
}

/// The `walk ended` events `capture` holds.
fn walks_ended(capture: &Capture) -> Vec<Recorded> {
    capture
        .events
        .lock()
        .unwrap()
        .iter()
        .filter(|e| e.field("message") == Some("walk ended"))
        .cloned()
        .collect()
}

/// Plays whole seconds apart, as many as `n`, newest first.
fn plays(n: i64) -> Vec<i64> {
    (0..n).map(|i| NEWEST_MS - i * 1000).collect()
}

/// Every service's walk of 120 plays at 50 a page (3 pages: the plays are seconds apart),
/// one span per request, with the cursor it sent, and one `walk ended` event.
fn every_request_of_a_walk_is_one_span_with_its_cursor_and_status(subject: &'static dyn Subject) {
    let name = subject.name();
    let operation_id = subject.history_operation();
    let capture = Capture::default();
    let sent = captured(&capture, async {
        let sim = subject.simulate(&plays(120)).await;
        let client = subject.client(sim.base_url(), Connection::simulated(RetryPolicy::none()));
        let history = client.walk(operation_id, Some(50), None);
        let plays: Vec<_> = Bounded::new(history, 130).try_collect().await.unwrap();
        assert_eq!(plays.len(), 120, "{name}");
        assert_eq!(sim.request_count(), 3, "{name}");
        sim.requests()
    });
    let requests = capture.requests();
    assert_eq!(requests.len(), 3, "{name}: {requests:#?}");
    for (span, request) in requests.iter().zip(&sent) {
        assert_eq!(span.field("service"), Some(subject.traced_as()), "{name}");
        assert_eq!(span.field("operation"), Some(operation_id), "{name}");
        assert_eq!(span.field("attempt"), Some("1"), "{name}");
        assert_eq!(span.field("status"), Some("200"), "{name}");
        assert!(span.field("elapsed_ms").is_some(), "{name}: {span:?}");
        // The parameter that moves from page to page is the cursor (none on a first page
        // that starts from the latest plays).
        let moved = request.query_values(subject.cursor_parameter());
        assert_eq!(
            span.field("cursor"),
            moved.first().copied(),
            "{name}: {span:?}"
        );
    }
    assert!(
        requests[1..]
            .iter()
            .all(|span| span.field("cursor").is_some()),
        "{name}: a page after the first names no cursor: {requests:#?}"
    );
    let ended = walks_ended(&capture);
    assert_eq!(ended.len(), 1, "{name}: {ended:?}");
    assert_eq!(ended[0].field("outcome"), Some("Complete"), "{name}");
    assert_eq!(ended[0].field("pages"), Some("3"), "{name}");
    let everything = capture.everything();
    for secret in subject.simulated_secrets() {
        assert!(
            !everything.contains(secret),
            "{name}: {secret} in {everything}"
        );
    }
}

with_every_subject!(one_test_each every_request_of_a_walk_is_one_span_with_its_cursor_and_status);

#[test]
fn every_request_of_a_listenbrainz_walk_is_one_span_with_its_window_and_never_the_token() {
    use music_history_sandbox::listenbrainz::DEFAULT_TOKEN;
    let capture = Capture::default();
    let times: Vec<i64> = (0..120).map(|i| NEWEST_MS / 1000 - i).collect();
    let count = 50;
    let pages = listenbrainz_minimal_requests(&times, count);
    let sent = captured(&capture, async {
        let sim = listenbrainz_simulation(&times).await;
        let client = listenbrainz_client(&sim, RetryPolicy::none());
        let user = client.fetch(&ValidateTokenQuery).await.unwrap();
        assert_eq!(user.as_deref(), Some(listenbrainz_user().as_str()));
        let query = ListensQuery::new(listenbrainz_user()).count(Count::new(count).unwrap());
        let listens: Vec<_> = Bounded::new(client.history(query), 130)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(listens.len(), 120);
        let sent = sim.requests();
        assert_eq!(sent.len(), 1 + pages);
        // As ListenBrainz reads a token: `Token`, not `Bearer`.
        let expected = format!("Token {DEFAULT_TOKEN}");
        assert!(
            sent.iter()
                .all(|request| request.header("authorization") == Some(expected.as_str())),
            "{sent:?}"
        );
        sent
    });
    let requests = capture.requests();
    assert_eq!(requests.len(), 1 + pages, "{requests:#?}");
    assert_eq!(requests[0].field("operation"), Some("validate_token"));
    assert_eq!(requests[0].field("cursor"), None, "{:?}", requests[0]);
    for span in &requests {
        assert_eq!(span.field("service"), Some("listenbrainz"));
        assert_eq!(span.field("attempt"), Some("1"));
        assert_eq!(span.field("status"), Some("200"));
        assert!(span.field("elapsed_ms").is_some(), "{span:?}");
    }
    for (span, request) in requests[1..].iter().zip(&sent[1..]) {
        assert_eq!(span.field("operation"), Some("get_listens"));
        // The bound that moves from page to page, `min_ts`, is the cursor.
        let min_ts = request.query_values("min_ts");
        assert_eq!(span.field("cursor"), min_ts.first().copied(), "{span:?}");
    }
    assert!(!capture.everything().contains(DEFAULT_TOKEN));
}

/// Every service's walk of 150 plays at its largest page size, its first request failing
/// once with a `500`: one span per attempt, and one `retrying` event.
fn a_retried_request_is_one_span_per_attempt_and_one_retry_event(subject: &'static dyn Subject) {
    let name = subject.name();
    let operation_id = subject.history_operation();
    let largest = documented(operation_id)
        .limit
        .map(|limit| u32::try_from(limit.max).expect("a page size that fits in u32"));
    let capture = Capture::default();
    let pages = captured(&capture, async {
        let sim = subject.simulate(&plays(150)).await;
        sim.inject(Fault::ServerError);
        let client = subject.client(sim.base_url(), Connection::simulated(fast_retries()));
        let history = client.walk(operation_id, largest, None);
        let edges: Vec<_> = Bounded::new(history, 160).try_collect().await.unwrap();
        assert_eq!(edges.len(), 150, "{name}");
        sim.request_count() - 1
    });
    let requests = capture.requests();
    let attempts: Vec<_> = requests
        .iter()
        .map(|s| {
            (
                s.field("attempt").unwrap_or("?"),
                s.field("status").unwrap_or("?"),
            )
        })
        .collect();
    let mut expected = vec![("1", "500"), ("2", "200")];
    expected.extend(vec![("1", "200"); pages - 1]);
    assert_eq!(attempts, expected, "{name}");
    assert!(
        requests
            .iter()
            .all(|s| s.field("service") == Some(subject.traced_as())
                && s.field("operation") == Some(operation_id)),
        "{name}: {requests:#?}"
    );
    let retries = capture
        .events
        .lock()
        .unwrap()
        .iter()
        .filter(|e| e.field("message") == Some("retrying"))
        .count();
    assert_eq!(retries, 1, "{name}");
    let everything = capture.everything();
    for secret in subject.simulated_secrets() {
        assert!(
            !everything.contains(secret),
            "{name}: {secret} in {everything}"
        );
    }
}

with_every_subject!(one_test_each a_retried_request_is_one_span_per_attempt_and_one_retry_event);

/// Every service's client, against a server that echoes what it was sent in a `401`.
fn credentials_a_server_echoes_reach_no_error_and_no_tracing_field(subject: &'static dyn Subject) {
    let credentials = Credentials {
        token: "tok-En/5ecret+value",
        api_key: "amzn1.application.k3y-5ecret",
    };
    let name = subject.name();
    let capture = Capture::default();
    let error = captured(&capture, async {
        let server = HostileServer::start(Hostile::EchoCredentials(100)).await;
        let connection = Connection {
            credentials: Some(credentials),
            ..Connection::simulated(RetryPolicy::default())
        };
        let client = subject.client(server.base_url(), connection);
        let error = client
            .fetch(subject.history_operation(), None)
            .await
            .expect_err(name);
        let echoed = server.requests()[0]
            .header("authorization")
            .map(str::to_string);
        assert_eq!(
            echoed,
            Some(subject.authorization(credentials.token)),
            "{name}"
        );
        error
    });
    assert_eq!(error.status, Some(401), "{name}: {error:?}");
    let shown = format!("{error}\n{error:?}\n{}", capture.everything());
    for leaked in [
        credentials.token,
        credentials.api_key,
        "tok-En%2F5ecret%2Bvalue",
        "dG9rLUVuLzVlY3JldCt2YWx1ZQ",
    ] {
        assert!(!shown.contains(leaked), "{name}: {leaked} in {shown}");
    }
    assert!(shown.contains("<redacted>"), "{name}: {shown}");
}

with_every_subject!(one_test_each credentials_a_server_echoes_reach_no_error_and_no_tracing_field);

#[test]
fn a_sign_in_and_its_refreshes_leave_no_token_code_or_secret_in_any_field_or_error() {
    use amazon_music_web_api::oauth::{self, ClientCredentials, ClientSecret, OAuthClient};
    use amazon_music_web_api::oauth::{RefreshToken, RefreshingToken};
    use music_history_sandbox::amazon::{self, AmazonMusicHistory, AmazonMusicSimulation};

    let capture = Capture::default();
    let (secrets, shown) = captured(&capture, async {
        let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(3, 5)).await;
        let lwa = OAuthClient::new(
            oauth::authorization_server(Some(sim.auth_base_url())).unwrap(),
            ClientCredentials::confidential(
                amazon::DEFAULT_CLIENT_ID,
                ClientSecret::new(amazon::DEFAULT_CLIENT_SECRET),
            ),
        )
        .unwrap();
        let issued = sim.issue_tokens();
        let token = RefreshingToken::new(lwa.clone(), RefreshToken::new(&issued.refresh_token));
        let client = amazon_music_web_api::AmazonMusicClient::builder(
            token.clone(),
            amazon_music_web_api::ApiKey::new(amazon::DEFAULT_API_KEY).unwrap(),
        )
        .base_url(sim.base_url())
        .build()
        .unwrap();
        client.fetch(&MyEntitiesQuery::new()).await.unwrap();
        sim.expire_access_tokens();
        client.fetch(&MyEntitiesQuery::new()).await.unwrap();
        let tokens = token.tokens().unwrap();
        sim.revoke_refresh_tokens();
        sim.expire_access_tokens();
        let error = client.fetch(&MyEntitiesQuery::new()).await.unwrap_err();
        let shown = format!("{error}\n{error:?}\n{token:?}\n{client:?}\n{lwa:?}");
        let secrets = [
            issued.access_token,
            issued.refresh_token,
            tokens.access.expose().to_string(),
            tokens.refresh.expose().to_string(),
            amazon::DEFAULT_CLIENT_SECRET.to_string(),
        ];
        (secrets, shown)
    });
    let everything = format!("{shown}\n{}", capture.everything());
    assert!(
        everything.contains("grant=refresh_token"),
        "token requests are spans: {everything}"
    );
    assert!(
        everything.contains("access token refreshed"),
        "{everything}"
    );
    // Login with Amazon sends a confidential client its refresh token back, unchanged,
    // and the event says it was not rotated.
    assert!(everything.contains("rotated=false"), "{everything}");
    for secret in &secrets {
        assert!(
            !everything.contains(secret.as_str()),
            "{secret} in {everything}"
        );
    }
}

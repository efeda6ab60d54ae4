//! A request sent without a client to a simulation, and its answer as it came: what a
//! subject's [`every_kind_of_response`](super::Subject::every_kind_of_response) returns.

use futures_util::future::LocalBoxFuture;
use reqwest::Method;

/// One answer, and the request it answered.
pub struct Captured {
    /// The request as sent: method, path and query.
    pub request: String,
    /// Its method.
    pub method: Method,
    /// The path it reached.
    pub path: String,
    /// The answer's status.
    pub status: u16,
    /// The answer's `Content-Type`.
    pub content_type: Option<String>,
    /// The answer's body.
    pub body: Vec<u8>,
}

/// Sends `method <base_url><path_and_query>` with these headers.
pub async fn send(
    base_url: &str,
    method: Method,
    path_and_query: &str,
    headers: &[(&str, &str)],
) -> Captured {
    let http = client_support::http::client_builder().build().unwrap();
    send_on(&http, base_url, method, path_and_query, headers).await
}

/// Sends `method <base_url><path_and_query>` with these headers on `http` (one client for
/// many requests: building one costs more than a page).
pub async fn send_on(
    http: &reqwest::Client,
    base_url: &str,
    method: Method,
    path_and_query: &str,
    headers: &[(&str, &str)],
) -> Captured {
    let url = format!("{base_url}{path_and_query}");
    let mut request = http.request(method.clone(), &url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("the simulation answers");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    let path = response.url().path().to_string();
    let body = response.bytes().await.expect("a body").to_vec();
    Captured {
        request: format!("{method} {path_and_query}"),
        method,
        path,
        status,
        content_type,
        body,
    }
}

/// The JSON body of `GET url` with these headers, which must be answered `200`.
pub async fn get_json(url: &str, headers: &[(&'static str, String)]) -> serde_json::Value {
    let mut request = client_support::http::client_builder()
        .build()
        .expect("an HTTP client")
        .get(url);
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = request.send().await.expect("the simulation answers");
    assert_eq!(response.status(), 200, "{url}");
    response.json().await.expect("a JSON page")
}

/// What a subject's simulation answers a request sent without a client.
pub trait Answers {
    /// Sends its simulation, without a client, every kind of request its spec documents an
    /// answer for (pages at several limits and cursors, empty pages, the last page, and
    /// requests that must fail: `400`, `401`, `403`, `404`, `429`, `500`, `503`, `405`), and
    /// returns each answer.
    fn every_kind_of_response(&self) -> LocalBoxFuture<'static, Vec<Captured>>;

    /// Starts its simulation with a realistic history of `plays` plays drawn from `seed`
    /// (every shape of play its service serves), and reads, without a client, every page of
    /// each walk a caller makes of the history `operation_id` reads, at pages of
    /// `page_size`: each walk's answers in order, ending at an answer that names no next
    /// page, or after `max_pages + 1` answers.
    fn realistic_walks(
        &self,
        plays: usize,
        seed: u64,
        operation_id: &'static str,
        page_size: u32,
        max_pages: usize,
    ) -> LocalBoxFuture<'static, Vec<Vec<Captured>>>;

    /// The documented statuses its simulation cannot be made to send, as `(operationId,
    /// status, why)`.
    fn unreachable_statuses(&self) -> &'static [(&'static str, u16, &'static str)] {
        &[]
    }
}

//! Faults a test queues on a simulation, each taking the place of one response.

/// A fault that takes the place of the normal answer to one request.
///
/// Faults are queued with `inject` on a simulation and consumed one per API request, in the
/// order they were injected, before any normal handling (authentication included): the request
/// after an injected fault is answered normally again. Every request that consumes a fault is
/// still recorded. Requests to the simulated authorization server (sign-in and token refresh)
/// consume none.
///
/// ```
/// use music_history_sandbox::Fault;
///
/// let garbage = Fault::Body {
///     status: 200,
///     body: b"{\"items\": [".to_vec(),
///     content_type: Some("application/json".to_owned()),
/// };
/// assert_ne!(garbage, Fault::Drop);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// `429 Too Many Requests` with a `Retry-After: <retry_after_secs>` header and the
    /// service's documented error body.
    RateLimited {
        /// The value of the `Retry-After` header, in seconds.
        retry_after_secs: u64,
    },
    /// `500 Internal Server Error` with the service's error body.
    ServerError,
    /// No HTTP response at all: the server closes the connection after reading the request,
    /// so the client sees a transport error ("connection closed before message completed"),
    /// at once, whatever its timeout.
    Drop,
    /// An arbitrary response, for fuzzing clients: this status, these bytes as the body, and
    /// this `Content-Type` (none when `None`).
    ///
    /// `status` must be a valid HTTP status code (100 to 999), or `inject` panics. The HTTP
    /// server (hyper) limits what arrives: it sends `100` and `102` to `199` as `500` with no
    /// body, and `101`, `204` and `304` without the body.
    Body {
        /// The HTTP status code.
        status: u16,
        /// The response body, sent as is.
        body: Vec<u8>,
        /// The `Content-Type` header, if any.
        content_type: Option<String>,
    },
}

impl Fault {
    /// Panics, naming the problem, if the fault cannot be served.
    pub(crate) fn check(&self) {
        if let Self::Body { status, .. } = self {
            assert!(
                (100..=999).contains(status),
                "Fault::Body status {status} is not an HTTP status code (100 to 999)"
            );
        }
    }
}

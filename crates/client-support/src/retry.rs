//! A bounded retry policy for rate limits, server errors and transport failures.

use std::time::Duration;

use reqwest::StatusCode;

use crate::error::retry_after;

/// How often and how long a client retries a request.
///
/// The default ([`RetryPolicy::default`]) sends a request at most 3 times and waits at most
/// 30 s in all; [`RetryPolicy::none`] opts out. A request that gets
/// 429 waits for its `Retry-After` (or the backoff when there is none), one that gets a 5xx
/// or fails in transit backs off exponentially; it gives up after `max_attempts` in all, or
/// as soon as the next wait would take the total past `max_total_wait`, and then returns
/// the last response or error. Since a retry repeats the very same request (same cursor),
/// a paging stream neither skips nor repeats items.
///
/// ```
/// use std::time::Duration;
/// # use client_support::RetryPolicy;
///
/// let policy = RetryPolicy::new(4)
///     .max_total_wait(Duration::from_secs(30))
///     .initial_backoff(Duration::from_millis(250));
/// assert_eq!(policy.max_attempts(), 4);
/// assert_eq!(RetryPolicy::none().max_attempts(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    max_total_wait: Duration,
    initial_backoff: Duration,
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    pub const fn none() -> Self {
        Self {
            max_attempts: 1,
            max_total_wait: Duration::ZERO,
            initial_backoff: Duration::ZERO,
        }
    }

    /// Up to `max_attempts` sends in all (at least one), waiting at most 60 s in total,
    /// backing off from 500 ms.
    pub fn new(max_attempts: u32) -> Self {
        Self {
            max_attempts: max_attempts.max(1),
            max_total_wait: Duration::from_secs(60),
            initial_backoff: Duration::from_millis(500),
        }
    }

    /// Caps the total time spent waiting between attempts.
    pub fn max_total_wait(mut self, cap: Duration) -> Self {
        self.max_total_wait = cap;
        self
    }

    /// The first backoff after a 5xx or a transport failure; it doubles on each retry.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sends in all, the first one included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The cap on the total time spent waiting between attempts.
    pub fn total_wait_cap(&self) -> Duration {
        self.max_total_wait
    }

    /// How long to wait before retrying after `outcome`, or `None` if it is not retryable.
    pub(crate) fn wait_before_retry(
        &self,
        outcome: &reqwest::Result<reqwest::Response>,
        attempt: u32,
    ) -> Option<Duration> {
        let backoff = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(attempt - 1));
        match outcome {
            Ok(response) if response.status() == StatusCode::TOO_MANY_REQUESTS => {
                Some(retry_after(response.headers()).unwrap_or(backoff))
            }
            Ok(response) if response.status().is_server_error() => Some(backoff),
            Ok(_) => None,
            Err(e) if e.is_connect() || e.is_timeout() || e.is_request() || e.is_body() => {
                Some(backoff)
            }
            Err(_) => None,
        }
    }
}

impl Default for RetryPolicy {
    /// At most 3 sends and 30 s of waiting in all, backing off from 500 ms: a transient 5xx
    /// or a dropped connection costs a walk nothing, a `Retry-After` longer than 30 s fails
    /// at once with the wait stated, and a request never hangs a minute on retries.
    fn default() -> Self {
        Self::new(3).max_total_wait(Duration::from_secs(30))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, retry_after: Option<&str>) -> reqwest::Result<reqwest::Response> {
        let mut builder = http::Response::builder().status(status);
        if let Some(value) = retry_after {
            builder = builder.header("retry-after", value);
        }
        Ok(builder.body(Vec::<u8>::new()).unwrap().into())
    }

    #[test]
    fn a_429_waits_exactly_its_retry_after_and_backs_off_without_one() {
        let policy = RetryPolicy::new(5).initial_backoff(Duration::from_millis(250));
        assert_eq!(
            policy.wait_before_retry(&response(429, Some("7")), 1),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            policy.wait_before_retry(&response(429, Some(" 2 ")), 3),
            Some(Duration::from_secs(2))
        );
        // No (or an unreadable) Retry-After: the exponential backoff, as for a 5xx.
        assert_eq!(
            policy.wait_before_retry(&response(429, None), 1),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            policy.wait_before_retry(&response(429, Some("soon")), 2),
            Some(Duration::from_millis(500))
        );
        assert_eq!(
            policy.wait_before_retry(&response(503, None), 3),
            Some(Duration::from_millis(1000))
        );
    }

    #[test]
    fn a_client_error_or_a_success_is_never_retried() {
        let policy = RetryPolicy::new(5);
        for status in [200, 204, 301, 400, 401, 403, 404, 405, 422] {
            assert_eq!(
                policy.wait_before_retry(&response(status, Some("1")), 1),
                None,
                "{status}"
            );
        }
    }

    #[test]
    fn the_default_is_three_sends_and_thirty_seconds_and_none_sends_once() {
        let default = RetryPolicy::default();
        assert_eq!(default.max_attempts(), 3);
        assert_eq!(default.total_wait_cap(), Duration::from_secs(30));
        assert_eq!(RetryPolicy::none().max_attempts(), 1);
        assert_eq!(RetryPolicy::new(0).max_attempts(), 1);
    }
}

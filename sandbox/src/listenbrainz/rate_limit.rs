//! ListenBrainz's rate limiter: brainzutils' `ratelimit` (metabrainz/brainzutils-python
//! v3.0.0, `brainzutils/ratelimit.py`), which the server applies to every method here.
//!
//! Windows are fixed and aligned to multiples of their length in Unix time (`reset = (now //
//! per) * per + per`, lines 102-106); each request a method receives counts in its window,
//! refused ones too (lines 106-112); a request is refused when the count passes the limit
//! (`current > limit`, lines 157-163). Every response of a method carries
//! `X-RateLimit-Limit`, `-Remaining` (`max(limit - current, 0)`), `-Reset` and `-Reset-In`
//! (lines 135-147, added after each request by the server's
//! `listenbrainz/webserver/__init__.py` lines 257-259); a `429` has no `Retry-After`.

use wiremock::ResponseTemplate;

/// A fixed-window rate limit: at most `requests` requests in each window of `window_secs`
/// seconds, windows aligned to multiples of `window_secs` in Unix time.
///
/// ```
/// use music_history_sandbox::listenbrainz::RateLimit;
///
/// assert_eq!(RateLimit::PER_IP, RateLimit { requests: 30, window_secs: 10 });
/// assert!(RateLimit::ALLOW_LISTED.requests > RateLimit::PER_IP.requests);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// How many requests a window allows (`X-RateLimit-Limit`).
    pub requests: u64,
    /// How long a window lasts, in seconds.
    pub window_secs: u64,
}

impl RateLimit {
    /// What the server gives every request but those with an allow-listed token, per IP
    /// address: 30 requests per 10 seconds (`listenbrainz/webserver/__init__.py` lines 28,
    /// 253-255; brainzutils lines 20-22, 220-247).
    pub const PER_IP: Self = Self {
        requests: 30,
        window_secs: 10,
    };

    /// What the server gives a token on its `WHITELISTED_AUTH_TOKENS` list: 100,000 requests
    /// per 10 seconds (`RATELIMIT_PER_TOKEN`, `listenbrainz/webserver/__init__.py` line 28).
    /// The simulation's default, so that no test waits unless it asks to.
    pub const ALLOW_LISTED: Self = Self {
        requests: 100_000,
        window_secs: 10,
    };
}

/// The counter of the current window.
pub(super) struct Windows {
    limit: RateLimit,
    /// The window counted in (its index: Unix seconds / `window_secs`) and its count.
    current: Option<(u64, u64)>,
}

/// What the limiter says of one request.
#[derive(Clone, Copy, Debug)]
pub(super) struct Verdict {
    limit: u64,
    remaining: u64,
    reset: u64,
    /// Whether the request is refused.
    pub(super) exceeded: bool,
}

impl Windows {
    pub(super) fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            current: None,
        }
    }

    /// Applies `limit` from now on, counting afresh.
    pub(super) fn set(&mut self, limit: RateLimit) {
        *self = Self::new(limit);
    }

    /// Counts a request at `now` (Unix seconds).
    pub(super) fn meet(&mut self, now: u64) -> Verdict {
        let RateLimit {
            requests,
            window_secs,
        } = self.limit;
        let window = now / window_secs;
        let count = match self.current {
            Some((counted, count)) if counted == window => count + 1,
            _ => 1,
        };
        self.current = Some((window, count));
        Verdict {
            limit: requests,
            remaining: requests.saturating_sub(count),
            reset: (window + 1) * window_secs,
            exceeded: count > requests,
        }
    }
}

impl Verdict {
    /// The verdict of a request refused with `429` whose window ends `secs` from `now`.
    pub(super) fn refused_for(self, now: u64, secs: u64) -> Self {
        Self {
            remaining: 0,
            reset: now + secs.max(1),
            exceeded: true,
            ..self
        }
    }

    /// `response` with the four `X-RateLimit-*` headers, as of `now` (Unix seconds).
    pub(super) fn headers(self, response: ResponseTemplate, now: u64) -> ResponseTemplate {
        response
            .insert_header("X-RateLimit-Limit", self.limit.to_string())
            .insert_header("X-RateLimit-Remaining", self.remaining.to_string())
            .insert_header("X-RateLimit-Reset", self.reset.to_string())
            .insert_header("X-RateLimit-Reset-In", (self.reset - now).to_string())
            .insert_header(
                "Access-Control-Expose-Headers",
                "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset-In, X-RateLimit-Reset",
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_fixed_aligned_and_count_refused_requests() {
        let mut windows = Windows::new(RateLimit {
            requests: 2,
            window_secs: 10,
        });
        let verdicts: Vec<_> = [21, 22, 29, 30].map(|now| windows.meet(now)).into();
        assert_eq!(
            verdicts
                .iter()
                .map(|v| (v.remaining, v.reset, v.exceeded))
                .collect::<Vec<_>>(),
            [
                (1, 30, false),
                (0, 30, false),
                (0, 30, true),
                (1, 40, false)
            ]
        );
    }

    #[test]
    fn setting_a_limit_counts_afresh() {
        let mut windows = Windows::new(RateLimit::PER_IP);
        for _ in 0..5 {
            windows.meet(100);
        }
        windows.set(RateLimit {
            requests: 1,
            window_secs: 10,
        });
        assert!(!windows.meet(100).exceeded);
        assert!(windows.meet(100).exceeded);
    }
}

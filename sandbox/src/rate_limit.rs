//! A rate limit that lasts: the penalty Spotify hands out, measured in hours, that every
//! request made while it lasts lengthens.
//!
//! Public reports show `Retry-After` values of a day: 79,892 s (your_spotify #411), 81,654 s
//! (spotipy #913) and 86,400 s (spotDL #2585, 2026); and a client that kept calling while
//! limited saw the penalty grow to about two hours (spotipy #1158). Spotify publishes neither
//! its limits nor how much a call made while limited adds; the sandbox adds
//! [`RATE_LIMIT_EXTENSION`] per call.

use std::time::{Duration, Instant};

/// How much longer a simulation's rate limit (`set_rate_limit`) lasts for each API request it
/// receives while the limit is on: one minute, the sandbox's choice (spotipy #1158 reports
/// that calling again while limited lengthens the penalty, not by how much).
///
/// ```
/// use std::time::Duration;
///
/// assert_eq!(music_history_sandbox::RATE_LIMIT_EXTENSION, Duration::from_secs(60));
/// ```
pub const RATE_LIMIT_EXTENSION: Duration = Duration::from_secs(60);

/// A penalty in force from `since` for `length`, which every request met lengthens.
pub(crate) struct Penalty {
    since: Instant,
    length: Duration,
}

impl Penalty {
    /// A penalty of `length` from `now`.
    pub(crate) fn new(length: Duration, now: Instant) -> Self {
        Self { since: now, length }
    }

    /// A request at `now`: if the penalty is still on, lengthens it by
    /// [`RATE_LIMIT_EXTENSION`] and returns the whole seconds left then (rounded up, so that
    /// waiting them is always enough), for `Retry-After`; `None` once it is over.
    pub(crate) fn meet(&mut self, now: Instant) -> Option<u64> {
        if self.left(now).is_zero() {
            return None;
        }
        self.length = self.length.saturating_add(RATE_LIMIT_EXTENSION);
        let left = self.left(now);
        Some(left.as_secs() + u64::from(left.subsec_nanos() > 0))
    }

    fn left(&self, now: Instant) -> Duration {
        self.length
            .saturating_sub(now.saturating_duration_since(self.since))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_request_met_lengthens_the_penalty_and_retry_after_rounds_up() {
        let start = Instant::now();
        let mut penalty = Penalty::new(Duration::from_secs(86_400), start);
        assert_eq!(penalty.meet(start), Some(86_460));
        let later = start + Duration::from_millis(1_500);
        assert_eq!(penalty.meet(later), Some(86_519));
    }

    #[test]
    fn a_penalty_over_is_met_by_no_request() {
        let start = Instant::now();
        let mut penalty = Penalty::new(Duration::from_secs(2), start);
        assert_eq!(penalty.meet(start + Duration::from_secs(2)), None);
        assert_eq!(penalty.meet(start + Duration::from_secs(3)), None);
        let mut none = Penalty::new(Duration::ZERO, start);
        assert_eq!(none.meet(start), None);
    }
}

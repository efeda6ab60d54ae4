//! Parts of a subject's history bounded in time, where its service has them.

use proptest::strategy::BoxedStrategy;

use super::Plays;

/// A part of a history bounded in time, its bounds in Unix milliseconds, each exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    /// The plays strictly after this time, walked forward in time.
    After(i64),
    /// The plays strictly before this time.
    Before(i64),
    /// The plays strictly after the first time and strictly before the second.
    Between(i64, i64),
}

impl Window {
    /// Whether a play at `at` is inside the window.
    pub fn holds(self, at: i64) -> bool {
        match self {
            Self::After(after) => at > after,
            Self::Before(before) => at < before,
            Self::Between(after, before) => at > after && at < before,
        }
    }

    /// Whether no time that is a whole number of `resolution` milliseconds lies strictly
    /// inside it: a window a service may refuse instead of answering with nothing.
    pub fn is_empty_at(self, resolution: i64) -> bool {
        match self {
            Self::Between(after, before) => before <= after + resolution,
            Self::After(_) | Self::Before(_) => false,
        }
    }
}

/// A subject's walks of a time window.
pub trait TimeWindows {
    /// A page size, plays, and windows to walk them by, whose bounds are often the time of
    /// a play, or of several, or one unit of the service's resolution either side of it.
    fn windowed_histories(&self) -> BoxedStrategy<(u32, Plays, Vec<Window>)>;

    /// The keys a walk of `window` over `plays` yields, in the order it yields them.
    fn window_keys(&self, plays: &Plays, window: Window) -> Vec<String>;

    /// The milliseconds between two times its service tells apart: 1000 where times are
    /// whole seconds.
    fn resolution_ms(&self) -> i64 {
        1
    }
}

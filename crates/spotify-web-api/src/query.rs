//! The operation's parameters, typed so that a request the API documents as invalid cannot
//! be built: `limit` within 1..=50, and at most one of `before` / `after`.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How many plays one request returns: 1..=50 (Spotify's default, when none is sent, is 20).
///
/// ```
/// use spotify_web_api::Limit;
///
/// assert_eq!(Limit::new(50)?, Limit::MAX);
/// assert!(Limit::new(0).is_err() && Limit::new(51).is_err());
/// # Ok::<(), spotify_web_api::LimitOutOfRange>(())
/// ```
pub type Limit = client_support::Limit<1, 50>;

/// A point in time as Spotify's cursors express it: milliseconds since the Unix epoch.
///
/// A play's `played_at`, converted with [`From`], is an exact cursor: resuming with
/// `After(UnixMillis::from(play.played_at))` returns exactly the plays newer than `play`.
///
/// ```
/// use spotify_web_api::UnixMillis;
///
/// let played_at = "2016-12-13T20:44:04.589Z".parse::<chrono::DateTime<chrono::Utc>>()?;
/// assert_eq!(UnixMillis::from(played_at), UnixMillis::new(1481661844589));
/// # Ok::<(), chrono::ParseError>(())
/// ```
///
/// It is kept (serde) and read back ([`FromStr`]) as the bare number:
///
/// ```
/// use spotify_web_api::UnixMillis;
///
/// let time: UnixMillis = "1481661844589".parse()?;
/// assert_eq!(serde_json::to_string(&time).unwrap(), "1481661844589");
/// assert!("yesterday".parse::<UnixMillis>().is_err());
/// # Ok::<(), spotify_web_api::ParseTimeError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnixMillis(i64);

impl UnixMillis {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub const fn new(millis: i64) -> Self {
        Self(millis)
    }

    /// The value sent as `before` or `after`.
    pub const fn get(self) -> i64 {
        self.0
    }
}

impl From<DateTime<Utc>> for UnixMillis {
    fn from(time: DateTime<Utc>) -> Self {
        Self(time.timestamp_millis())
    }
}

impl fmt::Display for UnixMillis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for UnixMillis {
    type Err = ParseTimeError;

    /// Milliseconds since the epoch, as an integer (what [`Display`](fmt::Display) writes).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.trim()
            .parse::<i64>()
            .map(Self)
            .map_err(|_| ParseTimeError {
                text: text.chars().take(40).collect(),
            })
    }
}

/// Text that is not a [`UnixMillis`] or a [`TimeWindow`] as they are written.
///
/// ```
/// use spotify_web_api::TimeWindow;
///
/// let error = "after:soon".parse::<TimeWindow>().unwrap_err();
/// assert!(error.to_string().contains("after:soon"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseTimeError {
    /// The text refused (its first 40 characters).
    pub text: String,
}

impl fmt::Display for ParseTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is neither Unix milliseconds (1481661844589) nor a window \
             (`latest`, `before=<ms>`, `after=<ms>`)",
            self.text
        )
    }
}

impl std::error::Error for ParseTimeError {}

/// Which plays to ask for: the latest, those before a time, or those after it. Spotify
/// refuses `before` and `after` together, so there is no way to say both.
///
/// A sync keeps one: serde writes `"latest"`, `{"before": <ms>}` or `{"after": <ms>}`, and
/// [`Display`](fmt::Display) / [`FromStr`] write and read `latest`, `before=<ms>`,
/// `after=<ms>` (the query parameter it sends).
///
/// ```
/// use spotify_web_api::{TimeWindow, UnixMillis};
///
/// let point = TimeWindow::After(UnixMillis::new(1481661844589));
/// assert_eq!(point.to_string(), "after=1481661844589");
/// assert_eq!("after=1481661844589".parse::<TimeWindow>()?, point);
/// assert_eq!(serde_json::to_string(&point).unwrap(), r#"{"after":1481661844589}"#);
/// assert_eq!(serde_json::from_str::<TimeWindow>(r#""latest""#).unwrap(), TimeWindow::Latest);
/// # Ok::<(), spotify_web_api::ParseTimeError>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeWindow {
    /// The most recent plays (neither `before` nor `after` is sent).
    #[default]
    Latest,
    /// Plays strictly before this time (`before=<ms>`): paging back in time.
    Before(UnixMillis),
    /// Plays strictly after this time (`after=<ms>`): paging forward in time.
    After(UnixMillis),
}

impl fmt::Display for TimeWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Latest => f.write_str("latest"),
            Self::Before(t) => write!(f, "before={t}"),
            Self::After(t) => write!(f, "after={t}"),
        }
    }
}

impl FromStr for TimeWindow {
    type Err = ParseTimeError;

    /// `latest`, `before=<ms>` or `after=<ms>` (a `:` works as well as `=`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let refused = || ParseTimeError {
            text: text.chars().take(40).collect(),
        };
        let trimmed = text.trim();
        if trimmed.eq_ignore_ascii_case("latest") {
            return Ok(Self::Latest);
        }
        let (which, time) = trimmed.split_once(['=', ':']).ok_or_else(refused)?;
        let time = time.parse::<UnixMillis>().map_err(|_| refused())?;
        match which.trim() {
            w if w.eq_ignore_ascii_case("before") => Ok(Self::Before(time)),
            w if w.eq_ignore_ascii_case("after") => Ok(Self::After(time)),
            _ => Err(refused()),
        }
    }
}

impl TimeWindow {
    /// The `after` and `before` query parameters, in the generated operation's order.
    pub(crate) fn params(self) -> (Option<i64>, Option<i64>) {
        match self {
            Self::Latest => (None, None),
            Self::Before(t) => (None, Some(t.get())),
            Self::After(t) => (Some(t.get()), None),
        }
    }

    /// Whether a walk from this window goes forward in time (oldest first).
    pub(crate) fn is_forward(self) -> bool {
        matches!(self, Self::After(_))
    }
}

/// The query of `GET /me/player/recently-played`: for one page
/// ([`SpotifyClient::fetch`](crate::SpotifyClient::fetch)), or where a walk starts and how
/// large its pages are ([`SpotifyClient::history`](crate::SpotifyClient::history)).
///
/// ```
/// use spotify_web_api::{Limit, RecentlyPlayedQuery, TimeWindow, UnixMillis};
///
/// let query = RecentlyPlayedQuery::after(UnixMillis::new(1481661737016)).limit(Limit::MAX);
/// assert_eq!(query.from, TimeWindow::After(UnixMillis::new(1481661737016)));
/// assert_eq!(RecentlyPlayedQuery::default(), RecentlyPlayedQuery::new());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RecentlyPlayedQuery {
    /// `limit`: plays per page; `None` sends none (Spotify then returns 20, a walk asks
    /// for 50, the fewest requests).
    pub limit: Option<Limit>,
    /// Where the walk starts (`before` / `after`, or neither): the same name as the
    /// Amazon Music client's queries.
    pub from: TimeWindow,
}

impl RecentlyPlayedQuery {
    /// The most recent plays, with Spotify's default limit (`TimeWindow::Latest`).
    pub const fn new() -> Self {
        Self::in_window(TimeWindow::Latest)
    }

    /// Plays strictly before `time`, newest first.
    pub const fn before(time: UnixMillis) -> Self {
        Self::in_window(TimeWindow::Before(time))
    }

    /// Plays strictly after `time`.
    pub const fn after(time: UnixMillis) -> Self {
        Self::in_window(TimeWindow::After(time))
    }

    /// Plays in `window`, with Spotify's default limit.
    pub const fn in_window(window: TimeWindow) -> Self {
        Self {
            limit: None,
            from: window,
        }
    }

    /// Starts where a previous walk stopped: its
    /// [`resume_point`](crate::History::resume_point).
    pub const fn resume_from(self, point: TimeWindow) -> Self {
        Self {
            from: point,
            ..self
        }
    }

    /// Sets `limit`.
    pub const fn limit(self, limit: Limit) -> Self {
        Self {
            limit: Some(limit),
            ..self
        }
    }
}

impl From<TimeWindow> for RecentlyPlayedQuery {
    fn from(window: TimeWindow) -> Self {
        Self::in_window(window)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_window_shows_as_the_query_it_sends() {
        let at = UnixMillis::new(1_714_564_800_000);
        assert_eq!(TimeWindow::Latest.to_string(), "latest");
        assert_eq!(TimeWindow::Before(at).to_string(), "before=1714564800000");
        assert_eq!(TimeWindow::After(at).to_string(), "after=1714564800000");
    }

    #[test]
    fn a_time_window_parses_from_what_it_shows() {
        let at = UnixMillis::new(1_714_564_800_000);
        for window in [
            TimeWindow::Latest,
            TimeWindow::Before(at),
            TimeWindow::After(at),
        ] {
            assert_eq!(window.to_string().parse::<TimeWindow>(), Ok(window));
        }
        assert_eq!(
            " After:5 ".parse::<TimeWindow>(),
            Ok(TimeWindow::After(UnixMillis::new(5)))
        );
        assert!("since=5".parse::<TimeWindow>().is_err());
    }
}

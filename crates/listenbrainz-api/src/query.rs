//! The parameters of each operation, typed so that a request outside the documented bounds
//! cannot be built: `count` within 1..=1000, a user name that arrives as one path segment,
//! and times the server reads.

use std::fmt;

use client_support::path_segment::one_segment;
use client_support::{InvalidParameter, Limit, LimitOutOfRange};
use serde::{Deserialize, Serialize};

use crate::types::{GetListenCountUserName, GetListensUserName};

/// `count` of `GET /1/user/{user_name}/listens`: 1 to 1000 listens per page (the server's
/// `MAX_ITEMS_PER_GET`; its default, when none is sent, is 25).
///
/// ```
/// use listenbrainz_api::Count;
///
/// assert_eq!(Count::new(1000)?, Count::MAX);
/// assert_eq!(Count::new(0).unwrap_err().to_string(), "`count` must be in 1..=1000, got 0");
/// # Ok::<(), listenbrainz_api::LimitOutOfRange>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Count(Limit<1, 1000>);

impl Count {
    /// The fewest listens a page can be asked for.
    pub const MIN: Self = Self(Limit::MIN);
    /// The most: the fewest requests for a whole history.
    pub const MAX: Self = Self(Limit::MAX);

    /// Checks `value` against the documented bounds.
    pub fn new(value: u32) -> Result<Self, LimitOutOfRange> {
        Limit::new(value)
            .map(Self)
            .map_err(|refused| LimitOutOfRange {
                parameter: "count",
                ..refused
            })
    }

    /// The value sent as `count`.
    pub const fn get(self) -> u32 {
        self.0.get()
    }

    /// Twice as many, at the most [`Count::MAX`].
    pub(crate) fn doubled(self) -> Self {
        Self::new(self.get().saturating_mul(2).min(Self::MAX.get())).unwrap_or(Self::MAX)
    }

    /// The value as the generated operation takes it.
    pub(crate) const fn nonzero(self) -> std::num::NonZeroU32 {
        self.0.nonzero()
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A ListenBrainz user name (their MusicBrainz name), checked when made: it arrives at the
/// server as exactly one path segment equal to itself, whatever it contains (the server
/// matches it without regard to case).
///
/// ```
/// use listenbrainz_api::UserName;
///
/// let user = UserName::new("rob")?;
/// assert_eq!(user.as_str(), "rob");
/// assert!(UserName::new("").is_err() && UserName::new("..").is_err());
/// # Ok::<(), listenbrainz_api::InvalidParameter>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UserName {
    listens: GetListensUserName,
    listen_count: GetListenCountUserName,
}

impl UserName {
    /// Checks `value`: refused when empty, `.`, `..`, or containing `\`.
    pub fn new(value: impl Into<String>) -> Result<Self, InvalidParameter> {
        const INVALID: &str = "is not a ListenBrainz user name";
        let value = value.into();
        Ok(Self {
            listens: one_segment("user_name", value.clone(), INVALID)?,
            listen_count: one_segment("user_name", value, INVALID)?,
        })
    }

    /// The name as given.
    pub fn as_str(&self) -> &str {
        &self.listens
    }

    /// What `get_listens` takes.
    pub(crate) fn for_listens(&self) -> &GetListensUserName {
        &self.listens
    }

    /// What `get_listen_count` takes: the same checked text.
    pub(crate) fn for_listen_count(&self) -> &GetListenCountUserName {
        &self.listen_count
    }
}

impl TryFrom<String> for UserName {
    type Error = InvalidParameter;

    fn try_from(value: String) -> Result<Self, InvalidParameter> {
        Self::new(value)
    }
}

impl From<UserName> for String {
    fn from(user: UserName) -> Self {
        user.as_str().to_string()
    }
}

impl fmt::Display for UserName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The largest `min_ts` the server reads without failing: 9999-12-31T23:59:59Z less the 30
/// days it adds to it (`timescale_listenstore.py` line 301; the spec's maximum).
pub const MAX_AFTER: i64 = 253_399_708_799;

/// The largest `max_ts` the server reads: 9999-12-31T23:59:59Z (the spec's maximum).
pub const MAX_BEFORE: i64 = 253_402_300_799;

/// How far ahead of the present the server accepts a listen's `listened_at`: an hour
/// (`API_LISTENED_AT_ALLOWED_SKEW`, `listenbrainz/webserver/__init__.py` line 27). A window
/// open to the present asks for listens before now plus this and a second.
pub const ACCEPTED_AHEAD_SECONDS: i64 = 3600;

/// Which listens a request or a walk selects: those strictly after `after` and strictly
/// before `before` (Unix seconds), less the listens of the second `after + 1` that a walk
/// already yielded (`within`).
///
/// Every request sends both bounds: the server then runs one exact query (the `count`
/// oldest listens inside the window), where with one bound it searches in 30-day windows
/// that can end early or skip a listen on a window's edge (see the spec). So a walk goes
/// forward in time, **oldest first**.
///
/// Listens that share a second are told apart by `recording_msid`: a walk yields them in
/// that order, so [`Within`] says exactly which of that second are behind it. A
/// [`History`](crate::History)'s `resume_point()` and `sync_point()` are windows; keep them
/// (serde) and pass them to [`ListensQuery::resume_from`].
///
/// ```
/// use listenbrainz_api::TimeWindow;
///
/// let everything = TimeWindow::all();
/// assert_eq!((everything.after, everything.before), (0, None));
/// let since = TimeWindow::after(1_700_000_000);
/// let saved = serde_json::to_string(&since)?;
/// assert_eq!(saved, r#"{"after":1700000000,"before":null,"within":"start"}"#);
/// assert_eq!(serde_json::from_str::<TimeWindow>(&saved)?, since);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimeWindow {
    /// Only listens after this time (exclusive), in Unix seconds; `0` for the whole history.
    pub after: i64,
    /// Only listens before this time (exclusive), in Unix seconds; `None` for up to the
    /// present, as it is when each page is asked for (and the hour ahead the server accepts).
    pub before: Option<i64>,
    /// Which listens of the second `after + 1` a walk has yielded already.
    pub within: Within,
}

/// Which listens of a window's first second (`after + 1`) a walk has yielded already, by
/// their `recording_msid`, in the order a walk yields them (the msids' byte order).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Within {
    /// None of them.
    #[default]
    Start,
    /// Those before this one: it is the next.
    Before(String),
    /// This one and those before it.
    Through(String),
}

impl Within {
    /// Whether a walk standing here has yet to yield the listen `msid` of that second.
    pub(crate) fn is_ahead(&self, msid: &str) -> bool {
        match self {
            Self::Start => true,
            Self::Before(next) => msid >= next.as_str(),
            Self::Through(last) => msid > last.as_str(),
        }
    }
}

impl TimeWindow {
    /// Every listen: after 0, up to the present.
    pub const fn all() -> Self {
        Self::after(0)
    }

    /// Every listen after `after` (Unix seconds, exclusive), up to the present.
    pub const fn after(after: i64) -> Self {
        Self {
            after,
            before: None,
            within: Within::Start,
        }
    }

    /// The same window, ending before `before` (Unix seconds, exclusive).
    pub fn before(self, before: i64) -> Self {
        Self {
            before: Some(before),
            ..self
        }
    }

    /// `(min_ts, max_ts)` as sent, with `now` (Unix seconds) for a window open to the
    /// present; refused if the server would not read them, or would answer `400`.
    pub(crate) fn bounds(&self, now: i64) -> Result<(i64, i64), InvalidParameter> {
        let refuse = |parameter, value: i64, reason| InvalidParameter {
            parameter,
            value: value.to_string(),
            reason,
        };
        if !(0..=MAX_AFTER).contains(&self.after) {
            return Err(refuse(
                "min_ts",
                self.after,
                "is not a Unix time in seconds the server reads (0 to 253399708799)",
            ));
        }
        let before = match self.before {
            Some(before) => before,
            None => now
                .saturating_add(ACCEPTED_AHEAD_SECONDS + 1)
                .min(MAX_BEFORE),
        };
        if !(0..=MAX_BEFORE).contains(&before) {
            return Err(refuse(
                "max_ts",
                before,
                "is not a Unix time in seconds the server reads (0 to 253402300799)",
            ));
        }
        if before <= self.after {
            return Err(refuse(
                "max_ts",
                before,
                "is not after `min_ts`, which the server refuses",
            ));
        }
        Ok((self.after, before))
    }
}

impl Default for TimeWindow {
    fn default() -> Self {
        Self::all()
    }
}

/// `GET /1/user/{user_name}/listens`: the listens of `user` in the window `from`, `count` at
/// a time. [`ListenBrainzClient::fetch`](crate::ListenBrainzClient::fetch) answers one page
/// ([`ListensPayload`](crate::types::ListensPayload)); [`history`](crate::ListenBrainzClient::history)
/// walks them all.
///
/// ```
/// use listenbrainz_api::{Count, ListensQuery, TimeWindow, UserName};
///
/// let query = ListensQuery::new(UserName::new("rob")?)
///     .count(Count::new(100)?)
///     .resume_from(TimeWindow::after(1_700_000_000));
/// assert_eq!(query.from.after, 1_700_000_000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListensQuery {
    /// Whose listens.
    pub user: UserName,
    /// Listens per page; `None`: [`Count::MAX`], the fewest requests.
    pub count: Option<Count>,
    /// Which listens.
    pub from: TimeWindow,
}

impl ListensQuery {
    /// Every listen of `user`, 1000 a page.
    pub fn new(user: UserName) -> Self {
        Self {
            user,
            count: None,
            from: TimeWindow::all(),
        }
    }

    /// Listens per page.
    pub fn count(mut self, count: Count) -> Self {
        self.count = Some(count);
        self
    }

    /// Starts at `window`: a walk's resume or sync point, or a window of your own.
    pub fn resume_from(mut self, window: TimeWindow) -> Self {
        self.from = window;
        self
    }

    /// The page size sent.
    pub(crate) fn page_size(&self) -> Count {
        self.count.unwrap_or(Count::MAX)
    }
}

/// `GET /1/user/{user_name}/listen-count`: how many listens `user` has (the server's tally,
/// cached up to 5 minutes). [`ListenBrainzClient::fetch`](crate::ListenBrainzClient::fetch)
/// answers the number.
///
/// ```
/// use listenbrainz_api::{ListenCountQuery, UserName};
///
/// let query = ListenCountQuery::new(UserName::new("rob")?);
/// assert_eq!(query.user.as_str(), "rob");
/// # Ok::<(), listenbrainz_api::InvalidParameter>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListenCountQuery {
    /// Whose listens.
    pub user: UserName,
}

impl ListenCountQuery {
    /// The number of `user`'s listens.
    pub fn new(user: UserName) -> Self {
        Self { user }
    }
}

/// `GET /1/validate-token`: whether the client's token is a user token, and whose.
/// [`ListenBrainzClient::fetch`](crate::ListenBrainzClient::fetch) answers the user name,
/// or `None` for a token the server does not know (it says so with `200`, not `401`).
///
/// ```
/// let query = listenbrainz_api::ValidateTokenQuery;
/// # let _ = query;
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ValidateTokenQuery;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_sends_both_bounds_and_refuses_what_the_server_would() {
        let now = 1_700_000_000;
        assert_eq!(TimeWindow::all().bounds(now), Ok((0, now + 3601)));
        assert_eq!(TimeWindow::after(5).before(9).bounds(now), Ok((5, 9)));
        let refused = |window: TimeWindow| window.bounds(now).unwrap_err().parameter;
        assert_eq!(refused(TimeWindow::after(-1)), "min_ts");
        assert_eq!(refused(TimeWindow::after(MAX_AFTER + 1)), "min_ts");
        assert_eq!(refused(TimeWindow::after(9).before(9)), "max_ts");
        assert_eq!(
            refused(TimeWindow::after(0).before(MAX_BEFORE + 1)),
            "max_ts"
        );
        assert_eq!(
            TimeWindow::after(MAX_AFTER).bounds(MAX_BEFORE),
            Ok((MAX_AFTER, MAX_BEFORE))
        );
        assert_eq!(
            TimeWindow::after(0).before(MAX_BEFORE).bounds(now),
            Ok((0, MAX_BEFORE))
        );
    }

    #[test]
    fn a_user_name_reads_back_as_given_and_refuses_what_is_no_segment() {
        let user: UserName = serde_json::from_str(r#""Rob/ert?""#).unwrap();
        assert_eq!(user.to_string(), "Rob/ert?");
        assert_eq!(serde_json::to_string(&user).unwrap(), r#""Rob/ert?""#);
        assert_eq!(user.for_listen_count().as_str(), "Rob/ert?");
        assert!(serde_json::from_str::<UserName>(r#""a\\b""#).is_err());
    }
}

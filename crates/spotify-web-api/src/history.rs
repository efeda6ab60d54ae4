//! Walking play history page by page as one stream of plays.

use client_support::paging::page_budget;
use client_support::{Entry, Next, Outcome, Page, PageFuture, ProtocolError, Walk};
use reqwest::StatusCode;
use serde::de::Error as _;

use crate::client::{RecentlyPlayed, SpotifyClient};
use crate::error::Error;
use crate::query::{Limit, RecentlyPlayedQuery, TimeWindow, UnixMillis};
use crate::types::{CursorPagedPlayHistory, Cursors, PlayHistory};

/// A walk through the play history: a `Stream` of `Result<PlayHistory, Error>`, one page at
/// a time; made by [`SpotifyClient::history`].
///
/// Read it with `futures_util::StreamExt` / `TryStreamExt`. When it ends,
/// [`outcome`](client_support::History::outcome) says how ([`Outcome::Complete`],
/// [`Outcome::PrivateSession`] for Spotify's `204`, or [`Outcome::Failed`] after the error
/// it yielded) and [`resume_point`](client_support::History::resume_point) gives the
/// [`TimeWindow`] a new walk starts from (pass it to [`RecentlyPlayedQuery::resume_from`])
/// to yield exactly the plays this one has not yielded, whatever the page size.
///
/// A play that does not decode (a `null` track, an episode where a track should be) is
/// yielded as [`Error::MalformedItem`] in its place, and the walk goes on with the page's
/// other plays: `next` reads on past it, `try_next` stops at it (and the resume point is
/// then just after it).
///
/// For an incremental sync, [`sync_point`](client_support::History::sync_point) is what
/// to keep once a walk is complete: `After(newest played_at seen)` whichever way the walk
/// went (a walk newest first, from [`TimeWindow::Latest`], has no `resume_point` once
/// complete, but it does have a sync point); the start's `After(t)` again if nothing was
/// newer; `None` until the walk is complete, or when it saw no play at all from `Latest`.
///
/// ```no_run
/// use futures_util::TryStreamExt;
/// use spotify_web_api::{RecentlyPlayedQuery, SpotifyClient, TimeWindow};
///
/// # async fn run(client: SpotifyClient) -> Result<(), spotify_web_api::Error> {
/// let mut plays = client.history(RecentlyPlayedQuery::new());
/// while let Some(play) = plays.try_next().await? { /* store it */ }
/// if let Some(TimeWindow::After(newest)) = plays.sync_point() {
///     // Next time: client.history(RecentlyPlayedQuery::after(newest))
/// }
/// # Ok(()) }
/// ```
///
/// ```no_run
/// use futures_util::TryStreamExt;
/// use spotify_web_api::{Outcome, RecentlyPlayedQuery, SpotifyClient};
///
/// # async fn run(client: SpotifyClient) -> Result<(), spotify_web_api::Error> {
/// let mut plays = client.history(RecentlyPlayedQuery::new());
/// while let Some(play) = plays.try_next().await? {
///     println!("{} {}", play.played_at, play.track.name);
/// }
/// if plays.outcome() == Some(Outcome::PrivateSession) {
///     println!("the user is in a private session: history is hidden");
/// }
/// # Ok(()) }
/// ```
pub type History = client_support::History<PlayHistory, TimeWindow, Error>;

impl SpotifyClient {
    /// Every play `query` selects, across pages, as a [`History`] stream.
    ///
    /// The window sets the direction:
    /// - [`TimeWindow::Latest`] and [`TimeWindow::Before`] walk back in time, **newest
    ///   first**, following each page's `next` link until it is `null`.
    /// - [`TimeWindow::After`] walks forward in time, **oldest first** (the incremental-sync
    ///   case), asking for the plays after the newest one seen so far until a page is empty
    ///   or its `next` is `null` (the paging object's "no further page").
    ///
    /// The query's limit is the page size; without one, pages of 50 (the fewest requests).
    /// Spotify keeps only the 50 most recent plays, so no walk goes further back than that.
    ///
    /// The stream ends after the first error, which it yields (a retry policy set on the
    /// client retries the failing page first, without skipping or repeating plays), and
    /// with [`Error::RepeatedCursor`] instead of looping if Spotify hands back a cursor it
    /// already gave.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use spotify_web_api::{RecentlyPlayedQuery, SpotifyClient, UnixMillis};
    ///
    /// # async fn sync(client: SpotifyClient, last_synced: UnixMillis) -> Result<(), spotify_web_api::Error> {
    /// // Everything played since the last sync, oldest first.
    /// let mut plays = client.history(RecentlyPlayedQuery::after(last_synced));
    /// while let Some(play) = plays.try_next().await? {
    ///     println!("{} {}", play.played_at, play.track.name);
    /// }
    /// // Persist this and start from it next time.
    /// let next_sync = plays.resume_point();
    /// # Ok(()) }
    /// ```
    pub fn history(&self, query: RecentlyPlayedQuery) -> History {
        let limit = query.limit.unwrap_or(Limit::MAX);
        let max_pages = self
            .max_pages
            .unwrap_or_else(|| page_budget(MAX_PLAYS_PER_WALK, limit.get() as usize));
        let walk = Plays {
            client: self.clone(),
            limit,
            forward: query.from.is_forward(),
        };
        History::new(walk, query.from, max_pages)
    }
}

/// How many plays Spotify documents that it keeps: the 50 most recent.
pub const DOCUMENTED_PLAYS: usize = 50;

/// The plays a walk may yield before its page budget stops it, unless
/// [`SpotifyClientBuilder::max_pages`](crate::SpotifyClientBuilder::max_pages) says
/// otherwise: 20 times the [`DOCUMENTED_PLAYS`], so a service that keeps more than it
/// documents is still read whole, while a server that never stops answering is stopped
/// after at most 21 pages of 50 (or 1,001 pages of 1).
pub const MAX_PLAYS_PER_WALK: usize = 20 * DOCUMENTED_PLAYS;

/// How a walk through the plays pages: back in time from `before` cursors, or forward
/// from `after` cursors.
struct Plays {
    client: SpotifyClient,
    limit: Limit,
    forward: bool,
}

impl Walk for Plays {
    type Item = PlayHistory;
    type Position = TimeWindow;
    type Error = Error;

    fn scrubber(&self) -> client_support::scrub::Scrubber {
        self.client.sender.scrubber()
    }

    fn fetch(&self, at: TimeWindow) -> PageFuture<PlayHistory, TimeWindow, Error> {
        let client = self.client.clone();
        let query = RecentlyPlayedQuery::in_window(at).limit(self.limit);
        let forward = self.forward;
        let limit = self.limit;
        Box::pin(async move {
            match client.fetch(&query).await? {
                RecentlyPlayed::Page(page) => {
                    check_page(&page, at, limit)?;
                    if forward {
                        page_forward(page)
                    } else {
                        page_back(page)
                    }
                }
                RecentlyPlayed::PrivateSession => Ok(Page {
                    items: Vec::new(),
                    next: Next::End(Outcome::PrivateSession),
                }),
            }
        })
    }

    /// A play's `played_at` is an exact cursor: the plays strictly before it (walking back)
    /// or strictly after it (walking forward) are exactly those not yet yielded.
    fn position_after(&self, _page: &TimeWindow, play: &PlayHistory, _index: usize) -> TimeWindow {
        let time = UnixMillis::from(play.played_at);
        if self.forward {
            TimeWindow::After(time)
        } else {
            TimeWindow::Before(time)
        }
    }

    /// Just before `play`: the window that holds it and what follows it. Exact as long as
    /// no two plays share a millisecond, as the walk already assumes.
    fn position_before(&self, _page: &TimeWindow, play: &PlayHistory, _index: usize) -> TimeWindow {
        let time = UnixMillis::from(play.played_at).get();
        if self.forward {
            TimeWindow::After(UnixMillis::new(time.saturating_sub(1)))
        } else {
            TimeWindow::Before(UnixMillis::new(time.saturating_add(1)))
        }
    }

    /// Walking back, the next `before` must be older than the one asked for and no newer
    /// than the page's oldest play; walking forward, the next `after` must be newer than
    /// the one asked for and no older than the page's newest play. Otherwise the walk would
    /// ask for plays it has yielded already, or skip some.
    fn check_next(
        &self,
        at: &TimeWindow,
        plays: &[&PlayHistory],
        next: &TimeWindow,
    ) -> Result<(), ProtocolError> {
        let times = plays.iter().map(|p| UnixMillis::from(p.played_at));
        let refuse = |reason: String| Err(ProtocolError { reason });
        match (*at, *next) {
            (TimeWindow::Before(asked), TimeWindow::Before(before)) if before >= asked => {
                refuse(format!(
                    "walking back, the next `before` ({before}) is not older than the one asked for ({asked})"
                ))
            }
            (_, TimeWindow::Before(before)) => match times.min() {
                Some(oldest) if before > oldest => refuse(format!(
                    "walking back, the next `before` ({before}) is newer than the page's oldest play ({oldest})"
                )),
                _ => Ok(()),
            },
            (TimeWindow::After(asked), TimeWindow::After(after)) if after <= asked => {
                refuse(format!(
                    "walking forward, the next `after` ({after}) is not newer than the one asked for ({asked})"
                ))
            }
            (_, TimeWindow::After(after)) => match times.max() {
                Some(newest) if after < newest => refuse(format!(
                    "walking forward, the next `after` ({after}) is older than the page's newest play ({newest})"
                )),
                _ => Ok(()),
            },
            (_, TimeWindow::Latest) => refuse("a next page asks for the latest plays again".into()),
        }
    }

    fn open_ended(&self) -> bool {
        self.forward
    }

    /// A walk after `t` that finds nothing leaves the next one starting after `t` again.
    fn sync_point_at_start(&self, start: &TimeWindow) -> Option<TimeWindow> {
        match start {
            TimeWindow::After(_) => Some(*start),
            _ => None,
        }
    }

    /// `After(newest played_at seen)`: Spotify's `after` is exclusive and exact, so the next
    /// walk from there yields exactly the plays newer than every play seen, in either
    /// direction.
    fn sync_point_after(
        &self,
        so_far: Option<&TimeWindow>,
        play: &PlayHistory,
    ) -> Option<TimeWindow> {
        let time = UnixMillis::from(play.played_at);
        Some(match so_far {
            Some(TimeWindow::After(seen)) if *seen >= time => TimeWindow::After(*seen),
            _ => TimeWindow::After(time),
        })
    }
}

/// A page that holds more plays than asked for, or plays outside the window asked for, is
/// not data: a server that does this can repeat plays or never end.
fn check_page(page: &CursorPagedPlayHistory, at: TimeWindow, limit: Limit) -> Result<(), Error> {
    if page.items.len() > limit.get() as usize {
        return Err(protocol(format!(
            "a page holds {} plays, more than the limit of {} asked for",
            page.items.len(),
            limit
        )));
    }
    for play in page.items.iter().filter_map(Entry::item) {
        let time = UnixMillis::from(play.played_at);
        let outside = match at {
            TimeWindow::Latest => false,
            TimeWindow::Before(before) => time >= before,
            TimeWindow::After(after) => time <= after,
        };
        if outside {
            return Err(protocol(format!(
                "a play at {time} ms falls outside the window asked for ({at:?})"
            )));
        }
    }
    Ok(())
}

/// Newest first; the next page is the `before` cursor of the `next` link. The link itself
/// is not followed: requests go only to the
/// client's base URL, with its checked parameters.
fn page_back(page: CursorPagedPlayHistory) -> Result<Page<PlayHistory, TimeWindow>, Error> {
    let next = match &page.next {
        None => Next::End(Outcome::Complete),
        Some(link) => {
            let before = before_in_link(link)
                .or_else(|| cursor(page.cursors.as_ref(), |c| &c.before))
                .ok_or_else(|| undecodable("the `next` link carries no `before` cursor"))?;
            Next::Page(TimeWindow::Before(UnixMillis::new(before)))
        }
    };
    // The resume point is the last `played_at` yielded, exact only if plays come in order;
    // the docs promise newest first, sorting makes it hold regardless.
    let items = in_order(page.items.into_iter().enumerate().collect(), |a, b| a >= b);
    Ok(Page { items, next })
}

/// Oldest first; the next page is the plays after this page's newest (`cursors.after`).
/// The walk ends on an empty page or on
/// `next: null`, which the paging object documents as "null if none": no newer plays.
fn page_forward(page: CursorPagedPlayHistory) -> Result<Page<PlayHistory, TimeWindow>, Error> {
    let next = if page.items.is_empty() || page.next.is_none() {
        Next::End(Outcome::Complete)
    } else {
        let after = cursor(page.cursors.as_ref(), |c| &c.after)
            .ok_or_else(|| undecodable("a page of plays carries no `cursors.after`"))?;
        Next::Page(TimeWindow::After(UnixMillis::new(after)))
    };
    // Spotify sends newest first: reversed, the page is oldest first.
    let items = in_order(
        page.items.into_iter().enumerate().rev().collect(),
        |a, b| a <= b,
    );
    Ok(Page { items, next })
}

/// The page's well-formed plays in the walk's order (`ordered(earlier, later)` holds for
/// two plays yielded one after the other), sorted if the service sent them otherwise. A
/// malformed play has no time to sort by: it keeps its place among the others, as sent.
fn in_order(
    entries: Vec<(usize, Entry<PlayHistory>)>,
    ordered: impl Fn(&UnixMillis, &UnixMillis) -> bool,
) -> Vec<(usize, Entry<PlayHistory>)> {
    let time =
        |entry: &Entry<PlayHistory>| entry.item().map(|play| UnixMillis::from(play.played_at));
    let times: Vec<UnixMillis> = entries.iter().filter_map(|(_, e)| time(e)).collect();
    if times.windows(2).all(|pair| ordered(&pair[0], &pair[1])) {
        return entries;
    }
    let (plays, slots): (Vec<_>, Vec<_>) = entries
        .into_iter()
        .map(|entry| match time(&entry.1) {
            Some(_) => (Some(entry), None),
            None => (None, Some(entry)),
        })
        .unzip();
    let mut sorted: Vec<_> = plays.into_iter().flatten().collect();
    sorted.sort_by(|(_, a), (_, b)| match (time(a), time(b)) {
        (Some(a), Some(b)) if a == b => std::cmp::Ordering::Equal,
        (Some(a), Some(b)) if ordered(&a, &b) => std::cmp::Ordering::Less,
        _ => std::cmp::Ordering::Greater,
    });
    let mut sorted = sorted.into_iter();
    slots
        .into_iter()
        .filter_map(|malformed| malformed.or_else(|| sorted.next()))
        .collect()
}

fn before_in_link(link: &str) -> Option<i64> {
    let url = reqwest::Url::parse(link).ok()?;
    let (_, before) = url.query_pairs().find(|(key, _)| key == "before")?;
    before.parse().ok()
}

fn cursor(cursors: Option<&Cursors>, which: impl Fn(&Cursors) -> &Option<String>) -> Option<i64> {
    which(cursors?).as_deref()?.parse().ok()
}

fn protocol(reason: String) -> Error {
    Error::Protocol(ProtocolError { reason })
}

/// A 200 page that decodes but cannot be continued: as undecodable as a malformed one.
fn undecodable(why: &str) -> Error {
    Error::Undecodable {
        status: StatusCode::OK,
        source: serde_json::Error::custom(why),
    }
}

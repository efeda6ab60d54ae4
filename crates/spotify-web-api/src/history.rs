//! Walking play history page by page as one stream of plays.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, ready};

use client_support::{Page, PageWalk, ResumePoint};
use futures_core::Stream;
use reqwest::StatusCode;
use serde::de::Error as _;

use crate::client::{RecentlyPlayed, SpotifyClient};
use crate::error::Error;
use crate::query::{Limit, RecentlyPlayedQuery, TimeWindow, UnixMillis};
use crate::types::{CursorPagedPlayHistory, Cursors, PlayHistory};

impl SpotifyClient {
    /// Every play `query` selects, across pages, as a [`Stream`] of
    /// `Result<PlayHistory, Error>`.
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
    /// client retries the failing page first, without skipping or repeating plays); it
    /// ends with [`Error::RepeatedCursor`] instead of looping if Spotify hands back a
    /// cursor it already gave. If Spotify answers `204` (the user is in a private session)
    /// the stream ends without an error and [`History::is_private_session`] says so. In
    /// every case [`History::resume_point`] says where to start again to lose nothing.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use spotify_web_api::{SpotifyClient, TimeWindow, UnixMillis};
    ///
    /// # async fn sync(client: SpotifyClient, last_synced: UnixMillis) -> Result<(), spotify_web_api::Error> {
    /// // Everything played since the last sync, oldest first.
    /// let mut plays = client.history(TimeWindow::After(last_synced));
    /// while let Some(play) = plays.try_next().await? {
    ///     println!("{} {}", play.played_at, play.track.name);
    /// }
    /// // Persist this and start from it next time.
    /// let next_sync = plays.resume_point();
    /// # Ok(()) }
    /// ```
    pub fn history(&self, query: impl Into<RecentlyPlayedQuery>) -> History {
        let query = query.into();
        let (direction, start) = match query.window {
            TimeWindow::Latest => (Direction::Back, None),
            TimeWindow::Before(t) => (Direction::Back, Some(t.get())),
            TimeWindow::After(t) => (Direction::Forward, Some(t.get())),
        };
        let limit = query.limit.unwrap_or(Limit::MAX);
        let private_session = Arc::new(AtomicBool::new(false));
        let client = self.clone();
        let flag = Arc::clone(&private_session);
        let walk = PageWalk::new(
            ResumePoint {
                cursor: start,
                skip: 0,
            },
            move |cursor| fetch_page(client.clone(), direction, limit, cursor, Arc::clone(&flag)),
        );
        History {
            walk,
            direction,
            start: query.window,
            last_yielded: None,
            failed: false,
            private_session,
        }
    }
}

/// A stream of plays across pages; made by [`SpotifyClient::history`].
///
/// Use it with `futures_util::StreamExt` / `TryStreamExt` (`next`, `try_next`, `collect`).
#[derive(Debug)]
pub struct History {
    walk: PageWalk<PlayHistory, i64, Error>,
    direction: Direction,
    start: TimeWindow,
    /// The `played_at` of the last play yielded: an exact cursor to resume from.
    last_yielded: Option<UnixMillis>,
    failed: bool,
    private_session: Arc<AtomicBool>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    Back,
    Forward,
}

impl History {
    /// Where a new walk must start to yield exactly the plays this one has not yielded:
    /// pass it to [`SpotifyClient::history`].
    ///
    /// It is `Before(<played_at of the last play yielded>)` walking back and
    /// `After(<played_at of the last play yielded>)` walking forward (the starting window
    /// before anything was yielded), so it stays exact whatever the page size. Walking back,
    /// it is `None` once the whole history has been yielded; walking forward it is never
    /// `None`: new plays may always come, and this is where the next sync starts.
    pub fn resume_point(&self) -> Option<TimeWindow> {
        let position = match (self.last_yielded, self.direction) {
            (None, _) => self.start,
            (Some(t), Direction::Back) => TimeWindow::Before(t),
            (Some(t), Direction::Forward) => TimeWindow::After(t),
        };
        let more = self.walk.resume_point().is_some()
            || self.failed
            || self.is_private_session()
            || self.direction == Direction::Forward;
        more.then_some(position)
    }

    /// Whether the walk ended because Spotify answered `204`: the user has "Private
    /// Session" enabled and the history is hidden, not empty.
    pub fn is_private_session(&self) -> bool {
        self.private_session.load(Ordering::Relaxed)
    }
}

impl Stream for History {
    type Item = Result<PlayHistory, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let item = ready!(Pin::new(&mut this.walk).poll_next(cx));
        match &item {
            Some(Ok(play)) => this.last_yielded = Some(UnixMillis::from(play.played_at)),
            Some(Err(_)) => this.failed = true,
            None => {}
        }
        Poll::Ready(item)
    }
}

/// One page of a walk: `cursor` is the `before` (walking back) or `after` (walking forward)
/// to send, `None` for the latest plays.
async fn fetch_page(
    client: SpotifyClient,
    direction: Direction,
    limit: Limit,
    cursor: Option<i64>,
    private_session: Arc<AtomicBool>,
) -> Result<Page<PlayHistory, i64>, Error> {
    let window = match (direction, cursor) {
        (_, None) => TimeWindow::Latest,
        (Direction::Back, Some(c)) => TimeWindow::Before(UnixMillis::new(c)),
        (Direction::Forward, Some(c)) => TimeWindow::After(UnixMillis::new(c)),
    };
    let query = RecentlyPlayedQuery::in_window(window).limit(limit);
    match client.recently_played(query).await? {
        RecentlyPlayed::Page(page) => match direction {
            Direction::Back => page_back(page),
            Direction::Forward => page_forward(page),
        },
        RecentlyPlayed::PrivateSession => {
            private_session.store(true, Ordering::Relaxed);
            Ok(Page {
                items: Vec::new(),
                next: None,
            })
        }
    }
}

/// Newest first; the next page is the `before` cursor of the `next` link. The link itself
/// is not followed: requests go only to the client's base URL, with its checked parameters.
fn page_back(page: CursorPagedPlayHistory) -> Result<Page<PlayHistory, i64>, Error> {
    let next = match &page.next {
        None => None,
        Some(link) => Some(
            before_in_link(link)
                .or_else(|| cursor(page.cursors.as_ref(), |c| &c.before))
                .ok_or_else(|| undecodable("the `next` link carries no `before` cursor"))?,
        ),
    };
    let mut items = page.items;
    // The resume point is the last `played_at` yielded, exact only if plays come in order;
    // the docs promise newest first, sorting makes it hold regardless.
    items.sort_by_key(|play| std::cmp::Reverse(play.played_at));
    Ok(Page { items, next })
}

/// Oldest first; the next page is the plays after this page's newest (`cursors.after`).
/// The walk ends on an empty page or on `next: null`, which the paging object documents as
/// "null if none": no newer plays to fetch.
fn page_forward(page: CursorPagedPlayHistory) -> Result<Page<PlayHistory, i64>, Error> {
    if page.items.is_empty() || page.next.is_none() {
        let mut items = page.items;
        items.sort_by_key(|play| play.played_at);
        return Ok(Page { items, next: None });
    }
    let next = cursor(page.cursors.as_ref(), |c| &c.after)
        .ok_or_else(|| undecodable("a page of plays carries no `cursors.after`"))?;
    let mut items = page.items;
    items.sort_by_key(|play| play.played_at);
    Ok(Page {
        items,
        next: Some(next),
    })
}

fn before_in_link(link: &str) -> Option<i64> {
    let url = reqwest::Url::parse(link).ok()?;
    let (_, before) = url.query_pairs().find(|(key, _)| key == "before")?;
    before.parse().ok()
}

fn cursor(cursors: Option<&Cursors>, which: impl Fn(&Cursors) -> &Option<String>) -> Option<i64> {
    which(cursors?).as_deref()?.parse().ok()
}

/// A 200 page that decodes but cannot be continued: as undecodable as a malformed one.
fn undecodable(why: &str) -> Error {
    Error::Undecodable {
        status: StatusCode::OK,
        source: serde_json::Error::custom(why),
    }
}

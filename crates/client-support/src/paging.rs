//! Walking a history page by page as one stream of items.
//!
//! Each client crate says how to fetch the page at a position and where the walk stands
//! after each item ([`Walk`]); [`History`] does the rest, alike for both services: it
//! fetches one page at a time, yields its items, refuses a position that comes back instead
//! of looping, ends on the first error, and always knows where to resume.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;

use crate::entry::{Entry, MalformedItem};
use crate::error::ProtocolError;

/// A page's future, as a [`Walk`] returns it.
pub type PageFuture<I, P, E> = Pin<Box<dyn Future<Output = Result<Page<I, P>, E>> + Send>>;

/// What a client crate tells [`History`] about its service's paging.
pub trait Walk: Send + 'static {
    /// What the walk yields: a play, an edge.
    type Item: Send + Unpin + 'static;
    /// Where a walk stands: a time window, a cursor with a count of items already yielded.
    type Position: Clone + PartialEq + fmt::Debug + Send + Unpin + 'static;
    /// The client crate's error.
    type Error: From<RepeatedCursor>
        + From<PageBudgetExhausted>
        + From<ProtocolError>
        + From<MalformedItem>
        + Send
        + Unpin
        + 'static;

    /// Fetches the page at `at`, its items in the order to yield them.
    fn fetch(&self, at: Self::Position) -> PageFuture<Self::Item, Self::Position, Self::Error>;

    /// The position just after `item`, the `index`-th item (from 0) of the page fetched at
    /// `page`: a new walk from there yields exactly the items after it.
    fn position_after(
        &self,
        page: &Self::Position,
        item: &Self::Item,
        index: usize,
    ) -> Self::Position;

    /// The position just before `item`, the `index`-th item of the page fetched at `page`:
    /// a new walk from there yields `item` first. A malformed item has no position of its
    /// own; the walk stands just before the next well-formed item once it is reported.
    fn position_before(
        &self,
        page: &Self::Position,
        item: &Self::Item,
        index: usize,
    ) -> Self::Position;

    /// Checks that `next`, where the page fetched at `at` with its well-formed `items` says
    /// the walk goes on, moves the walk on. A position that does not is a protocol error,
    /// yielded after the page's items (they were asked for and are data; only the way on is
    /// refused).
    fn check_next(
        &self,
        _at: &Self::Position,
        _items: &[&Self::Item],
        _next: &Self::Position,
    ) -> Result<(), ProtocolError> {
        Ok(())
    }

    /// Whether there is more to fetch from the end of a complete walk: true for a walk
    /// forward in time, where new plays may always come.
    fn open_ended(&self) -> bool {
        false
    }

    /// Where the next incremental walk starts if this one, started at `start`, yields
    /// nothing: `None` (the default) for a service whose positions are not points in time.
    fn sync_point_at_start(&self, _start: &Self::Position) -> Option<Self::Position> {
        None
    }

    /// Where the next incremental walk starts, given `so_far` (the sync point before
    /// `item`) and `item`, just yielded: the position from which a walk yields exactly the
    /// items newer than every item yielded so far. `None` (the default) for a service that
    /// has no such position (a walk through opaque cursors, newest first).
    fn sync_point_after(
        &self,
        _so_far: Option<&Self::Position>,
        _item: &Self::Item,
    ) -> Option<Self::Position> {
        None
    }
}

/// One page of a walk: its items, in the order to yield them, and what comes next.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<I, P> {
    /// The page's items, each with its index in the page as the service sent it (from 0),
    /// well-formed or not.
    pub items: Vec<(usize, Entry<I>)>,
    /// The next page's position, or how the walk ends.
    pub next: Next<P>,
}

/// What follows a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next<P> {
    /// The page at this position.
    Page(P),
    /// Nothing: the walk ends this way.
    End(Outcome),
}

/// How a walk ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// The service said there is no further page: every item was yielded.
    Complete,
    /// The service hid the history: Spotify's `204 No Content` for a user in a private
    /// session. The history is hidden, not empty; try again later.
    PrivateSession,
    /// The walk yielded an error and stopped; the resume point says where to start again.
    Failed,
}

/// Where to resume a walk through a service whose pages are reached by an opaque cursor:
/// the cursor of a page (`None` for the first page) and how many of its items were already
/// yielded.
///
/// ```
/// # use client_support::ResumePoint;
/// let point = ResumePoint::at("page-2".to_string());
/// assert_eq!((point.cursor.as_deref(), point.skip), (Some("page-2"), 0));
/// assert_eq!(ResumePoint::<String>::start().cursor, None);
/// // Persist it between runs as JSON (or any serde format):
/// let saved = serde_json::to_string(&point)?;
/// assert_eq!(saved, r#"{"cursor":"page-2","skip":0}"#);
/// assert_eq!(serde_json::from_str::<ResumePoint<String>>(&saved)?, point);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct ResumePoint<C> {
    /// The page to fetch first; `None` is the first page.
    pub cursor: Option<C>,
    /// How many items at the start of that page to skip.
    pub skip: usize,
}

impl<C> ResumePoint<C> {
    /// The start of a walk: the newest page.
    pub const fn start() -> Self {
        Self {
            cursor: None,
            skip: 0,
        }
    }

    /// The start of the page at `cursor`.
    pub const fn at(cursor: C) -> Self {
        Self {
            cursor: Some(cursor),
            skip: 0,
        }
    }
}

/// The service returned a cursor it had already returned earlier in the same walk.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the service returned cursor {cursor} a second time; stopped instead of looping")]
pub struct RepeatedCursor {
    /// The cursor, as text.
    pub cursor: String,
}

/// A walk fetched as many pages as its budget allows and the service still had more.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageBudgetExhausted {
    /// The budget: pages fetched.
    pub pages: usize,
}

/// The pages a walk may fetch to yield `max_items` items in pages of `page_size`: one more
/// than the pages those items fill, for the page that says nothing follows.
///
/// ```
/// # use client_support::paging::page_budget;
/// assert_eq!(page_budget(1_000, 50), 21);
/// assert_eq!(page_budget(1_000, 1), 1_001);
/// ```
pub const fn page_budget(max_items: usize, page_size: usize) -> usize {
    let page_size = if page_size == 0 { 1 } else { page_size };
    max_items.div_ceil(page_size).saturating_add(1)
}

/// A walk through a listening history: a [`Stream`] of `Result<item, error>`, fetched one
/// page at a time.
///
/// Read it with `futures_util::StreamExt` / `TryStreamExt` (`next`, `try_next`,
/// `collect`). It ends after the last page; after the first error, which it yields; and,
/// instead of looping, with a repeated-cursor error when the service sends a page position
/// it already sent. Then [`outcome`](Self::outcome) says how it ended and
/// [`resume_point`](Self::resume_point) where a new walk starts to yield exactly the items
/// this one has not yielded.
///
/// One error does not end it: an item that does not decode ([`MalformedItem`]) is yielded
/// as an error in its place and the walk goes on, with the page's other items. `try_next`
/// stops at it like at any error (resuming from [`resume_point`](Self::resume_point) then
/// starts after the malformed item); `next` lets a caller report it and read on.
pub struct History<I, P, E> {
    walk: Box<dyn Walk<Item = I, Position = P, Error = E>>,
    in_flight: Option<PageFuture<I, P, E>>,
    /// Where the walk stands: the position of the next item not yet yielded.
    position: P,
    /// The page being yielded, each item (or malformed item) with the position just after
    /// it (`None`: where the walk already stands).
    buffer: VecDeque<(Result<I, MalformedItem>, Option<P>)>,
    /// What follows the page in `buffer`; `None` while the first page is not in.
    next: Option<Next<P>>,
    /// Every page position followed so far, to refuse one that comes back.
    followed: Vec<P>,
    /// An error to yield once `buffer` is drained (a repeated position).
    deferred_error: Option<E>,
    outcome: Option<Outcome>,
    pages: usize,
    max_pages: usize,
    yielded: usize,
    /// Where the next incremental walk starts, from the items yielded so far.
    sync: Option<P>,
}

impl<I, P, E> History<I, P, E>
where
    I: Send + Unpin + 'static,
    P: Clone + PartialEq + fmt::Debug + Send + Unpin + 'static,
    E: From<RepeatedCursor>
        + From<PageBudgetExhausted>
        + From<ProtocolError>
        + From<MalformedItem>
        + Send
        + Unpin
        + 'static,
{
    /// A walk from `start` that fetches at most `max_pages` pages (at least one).
    pub fn new(
        walk: impl Walk<Item = I, Position = P, Error = E>,
        start: P,
        max_pages: usize,
    ) -> Self {
        let sync = walk.sync_point_at_start(&start);
        Self {
            sync,
            walk: Box::new(walk),
            in_flight: None,
            next: Some(Next::Page(start.clone())),
            position: start,
            buffer: VecDeque::new(),
            followed: Vec::new(),
            deferred_error: None,
            outcome: None,
            pages: 0,
            max_pages: max_pages.max(1),
            yielded: 0,
        }
    }

    /// How the walk ended; `None` while it goes on.
    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome
    }

    /// Where a new walk must start to yield exactly the items this one has not yielded
    /// yet; `None` once the whole history has been yielded (unless the walk goes forward
    /// in time, where this is where the next walk starts).
    pub fn resume_point(&self) -> Option<P> {
        let more = match self.outcome {
            Some(Outcome::Complete) => self.walk.open_ended(),
            _ => true,
        };
        more.then(|| self.position.clone())
    }

    /// Once the walk is [complete](Outcome::Complete), where the next *incremental* walk
    /// starts to yield exactly the items newer than every item this one yielded, whichever
    /// way this one went (for Spotify, `After(newest played_at seen)`, even after a walk
    /// newest first, whose [`resume_point`](Self::resume_point) is `None`).
    ///
    /// `None` while the walk goes on or after it failed (the items it has not reached
    /// would be skipped: resume from [`resume_point`](Self::resume_point) instead), and for
    /// a service whose positions are not times (Amazon Music's opaque cursors: a sync there
    /// relies on meeting an item it already has).
    pub fn sync_point(&self) -> Option<P> {
        match self.outcome {
            Some(Outcome::Complete) => self.sync.clone(),
            _ => None,
        }
    }

    /// How many pages were fetched so far.
    pub fn pages(&self) -> usize {
        self.pages
    }

    fn accept(&mut self, at: P, page: Page<I, P>) {
        self.pages += 1;
        let next = match page.next {
            Next::Page(position) => {
                let items: Vec<&I> = page.items.iter().filter_map(|(_, e)| e.item()).collect();
                match self.walk.check_next(&at, &items, &position) {
                    Ok(()) => Next::Page(position),
                    Err(refused) => {
                        self.deferred_error = Some(E::from(refused));
                        Next::End(Outcome::Failed)
                    }
                }
            }
            end => end,
        };
        let next = match next {
            Next::Page(position) if position == at || self.followed.contains(&position) => {
                self.deferred_error = Some(E::from(RepeatedCursor {
                    cursor: format!("{position:?}"),
                }));
                Next::End(Outcome::Failed)
            }
            Next::Page(position) => {
                self.followed.push(position.clone());
                Next::Page(position)
            }
            end => end,
        };
        // Walking the page backwards, a malformed item's position is the one just before
        // the next well-formed item, or the next page's when none follows in this page.
        let mut before_next = match &next {
            Next::Page(position) => Some(position.clone()),
            Next::End(_) => None,
        };
        let walk = &self.walk;
        let mut buffer = Vec::with_capacity(page.items.len());
        for (index, (sent, entry)) in page.items.into_iter().enumerate().rev() {
            match entry {
                Entry::Item(item) => {
                    let after = walk.position_after(&at, &item, index);
                    before_next = Some(walk.position_before(&at, &item, index));
                    buffer.push((Ok(item), Some(after)));
                }
                Entry::Malformed(malformed) => {
                    let item = MalformedItem {
                        page: format!("{at:?}"),
                        index: sent,
                        malformed,
                    };
                    buffer.push((Err(item), before_next.clone()));
                }
            }
        }
        buffer.reverse();
        self.buffer = buffer.into();
        self.next = Some(next);
    }

    fn finish(&mut self, outcome: Outcome) {
        self.outcome = Some(outcome);
        tracing::debug!(
            outcome = ?outcome,
            pages = self.pages,
            items = self.yielded,
            "walk ended"
        );
    }
}

impl<I, P, E> Stream for History<I, P, E>
where
    I: Send + Unpin + 'static,
    P: Clone + PartialEq + fmt::Debug + Send + Unpin + 'static,
    E: From<RepeatedCursor>
        + From<PageBudgetExhausted>
        + From<ProtocolError>
        + From<MalformedItem>
        + Send
        + Unpin
        + 'static,
{
    type Item = Result<I, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some((item, after)) = this.buffer.pop_front() {
                if let Some(after) = after {
                    this.position = after;
                }
                return Poll::Ready(Some(match item {
                    Ok(item) => {
                        this.sync = this.walk.sync_point_after(this.sync.as_ref(), &item);
                        this.yielded += 1;
                        Ok(item)
                    }
                    Err(malformed) => {
                        tracing::warn!(
                            page = %malformed.page,
                            index = malformed.index,
                            reason = %malformed.malformed.reason(),
                            "malformed item skipped"
                        );
                        Err(E::from(malformed))
                    }
                }));
            }
            if let Some(error) = this.deferred_error.take() {
                this.finish(Outcome::Failed);
                return Poll::Ready(Some(Err(error)));
            }
            if this.outcome.is_some() {
                return Poll::Ready(None);
            }
            let at = match &this.next {
                Some(Next::Page(at)) => at.clone(),
                Some(Next::End(outcome)) => {
                    let outcome = *outcome;
                    this.finish(outcome);
                    return Poll::Ready(None);
                }
                None => unreachable!("`next` is set from the start"),
            };
            if this.pages > 0 {
                // The page's items are all yielded: the walk now stands at the next page.
                this.position = at.clone();
            }
            if this.pages >= this.max_pages {
                this.finish(Outcome::Failed);
                let pages = this.pages;
                return Poll::Ready(Some(Err(E::from(PageBudgetExhausted { pages }))));
            }
            let in_flight = this
                .in_flight
                .get_or_insert_with(|| this.walk.fetch(at.clone()));
            let fetched = ready!(in_flight.as_mut().poll(cx));
            this.in_flight = None;
            match fetched {
                Ok(page) => this.accept(at, page),
                Err(error) => {
                    // `position` still points at the failed page: resuming loses nothing.
                    this.finish(Outcome::Failed);
                    return Poll::Ready(Some(Err(error)));
                }
            }
        }
    }
}

impl<I, P: fmt::Debug, E> fmt::Debug for History<I, P, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("History")
            .field("position", &self.position)
            .field("buffered", &self.buffer.len())
            .field("pages", &self.pages)
            .field("outcome", &self.outcome)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{Bounded, read_first, read_walk};
    use futures_util::StreamExt;
    use std::sync::{Arc, Mutex};

    #[derive(Debug, PartialEq)]
    enum TestError {
        Failed,
        Repeated(String),
        Budget(usize),
        Protocol(String),
        Malformed(usize),
    }
    impl From<RepeatedCursor> for TestError {
        fn from(e: RepeatedCursor) -> Self {
            Self::Repeated(e.cursor)
        }
    }
    impl From<PageBudgetExhausted> for TestError {
        fn from(e: PageBudgetExhausted) -> Self {
            Self::Budget(e.pages)
        }
    }
    impl From<ProtocolError> for TestError {
        fn from(e: ProtocolError) -> Self {
            Self::Protocol(e.reason)
        }
    }
    impl From<MalformedItem> for TestError {
        fn from(e: MalformedItem) -> Self {
            Self::Malformed(e.index)
        }
    }

    type Calls = Arc<Mutex<Vec<Option<u32>>>>;

    /// Pages of `size` over `0..len`; the cursor is the index of the page's first item.
    struct Numbers {
        len: u32,
        size: u32,
        fail_at: Option<u32>,
        failed: Mutex<bool>,
        calls: Calls,
        /// Numbers served malformed.
        malformed: Vec<u32>,
    }

    fn numbers(len: u32, size: u32, fail_at: Option<u32>, calls: Calls) -> Numbers {
        Numbers {
            len,
            size,
            fail_at,
            failed: Mutex::new(false),
            calls,
            malformed: Vec::new(),
        }
    }

    fn entry(n: u32, malformed: &[u32]) -> Entry<u32> {
        if malformed.contains(&n) {
            let raw = serde_json::value::RawValue::from_string(format!("\"{n}\"")).unwrap();
            Entry::Malformed(crate::Malformed::new(raw, "not a number".into()))
        } else {
            Entry::Item(n)
        }
    }

    impl Walk for Numbers {
        type Item = u32;
        type Position = ResumePoint<u32>;
        type Error = TestError;

        fn fetch(&self, at: ResumePoint<u32>) -> PageFuture<u32, ResumePoint<u32>, TestError> {
            self.calls.lock().unwrap().push(at.cursor);
            let first = at.cursor.unwrap_or(0);
            let mut failed = self.failed.lock().unwrap();
            if Some(first) == self.fail_at && !*failed {
                *failed = true;
                return Box::pin(std::future::ready(Err(TestError::Failed)));
            }
            let items = (first..self.len)
                .take(self.size as usize)
                .enumerate()
                .skip(at.skip)
                .map(|(sent, n)| (sent, entry(n, &self.malformed)))
                .collect();
            let next = match first + self.size {
                n if n < self.len => Next::Page(ResumePoint::at(n)),
                _ => Next::End(Outcome::Complete),
            };
            Box::pin(std::future::ready(Ok(Page { items, next })))
        }

        fn position_after(
            &self,
            page: &ResumePoint<u32>,
            _: &u32,
            index: usize,
        ) -> ResumePoint<u32> {
            ResumePoint {
                cursor: page.cursor,
                skip: page.skip + index + 1,
            }
        }

        fn position_before(
            &self,
            page: &ResumePoint<u32>,
            _: &u32,
            index: usize,
        ) -> ResumePoint<u32> {
            ResumePoint {
                cursor: page.cursor,
                skip: page.skip + index,
            }
        }
    }

    /// Runs `f` on a runtime with a clock: every walk here is read within bounds
    /// (`crate::test_support`), so that a walk that no longer ends fails instead of looping.
    pub(super) fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a current-thread runtime with a clock")
            .block_on(f)
    }

    #[test]
    fn walks_every_page_once_and_stops() {
        let calls = Calls::default();
        let mut walk = History::new(
            numbers(7, 3, None, Arc::clone(&calls)),
            ResumePoint::start(),
            4,
        );
        let (items, error) = block_on(read_walk(&mut walk, 20)).expect_ended();
        assert_eq!(error, None);
        assert_eq!(items, (0..7).collect::<Vec<_>>());
        assert_eq!(*calls.lock().unwrap(), [None, Some(3), Some(6)]);
        assert_eq!(walk.outcome(), Some(Outcome::Complete));
        assert_eq!(walk.resume_point(), None);
        assert_eq!(walk.pages(), 3);
    }

    #[test]
    fn an_error_ends_the_walk_and_resuming_loses_nothing() {
        let calls = Calls::default();
        let mut walk = History::new(
            numbers(9, 3, Some(6), Arc::clone(&calls)),
            ResumePoint::start(),
            10,
        );
        let (mut seen, error) = block_on(async {
            let walked = read_walk(&mut walk, 20).await;
            assert!(walk.next().await.is_none(), "a failed walk is over");
            walked.expect_ended()
        });
        assert_eq!(error, Some(TestError::Failed));
        assert_eq!(walk.outcome(), Some(Outcome::Failed));
        let resume = walk.resume_point().expect("the walk was not complete");
        assert_eq!(resume, ResumePoint::at(6));
        let mut rest = History::new(numbers(9, 3, None, calls), resume, 10);
        let (rest, error) = block_on(read_walk(&mut rest, 20)).expect_ended();
        assert_eq!(error, None);
        seen.extend(rest);
        assert_eq!(seen, (0..9).collect::<Vec<_>>());
    }

    #[test]
    fn resuming_mid_page_skips_what_was_yielded() {
        let mut walk = History::new(
            numbers(6, 4, None, Calls::default()),
            ResumePoint::start(),
            10,
        );
        let first_two = block_on(read_first(&mut walk, 2)).items;
        assert_eq!(first_two, [0, 1]);
        let resume = walk.resume_point().unwrap();
        assert_eq!(
            resume,
            ResumePoint {
                cursor: None,
                skip: 2
            }
        );
        let mut rest = History::new(numbers(6, 4, None, Calls::default()), resume, 10);
        let (rest, error) = block_on(read_walk(&mut rest, 20)).expect_ended();
        assert_eq!(error, None);
        assert_eq!(rest, [2, 3, 4, 5]);
    }

    #[test]
    fn a_malformed_item_is_reported_in_its_place_and_the_walk_goes_on() {
        let mut walk = numbers(7, 3, None, Calls::default());
        // 1 in the middle of the first page, 5 ending the second page.
        walk.malformed = vec![1, 5];
        let mut history = History::new(walk, ResumePoint::start(), 10);
        // The walk reads on past a malformed item: a bounded stream, not `read_walk`.
        let items: Vec<_> = block_on(Bounded::new(&mut history, 20).collect::<Vec<_>>());
        assert_eq!(
            items,
            [
                Ok(0),
                Err(TestError::Malformed(1)),
                Ok(2),
                Ok(3),
                Ok(4),
                Err(TestError::Malformed(2)),
                Ok(6)
            ]
        );
        assert_eq!(history.outcome(), Some(Outcome::Complete));
    }

    #[test]
    fn stopping_at_a_malformed_item_resumes_after_it() {
        for (stop_after, expected) in [
            // Stopped at item 1 (malformed, mid-page): resume before item 2.
            (
                2,
                ResumePoint {
                    cursor: None,
                    skip: 2,
                },
            ),
            // Stopped at item 5 (malformed, last of its page): resume at the next page.
            (6, ResumePoint::at(6)),
        ] {
            let mut walk = numbers(7, 3, None, Calls::default());
            walk.malformed = vec![1, 5];
            let mut history = History::new(walk, ResumePoint::start(), 10);
            let seen: Vec<_> = block_on(
                Bounded::new(&mut history, stop_after)
                    .take(stop_after)
                    .collect::<Vec<_>>(),
            );
            assert!(seen.last().unwrap().is_err());
            assert_eq!(history.resume_point(), Some(expected.clone()));
            let mut rest = numbers(7, 3, None, Calls::default());
            rest.malformed = vec![1, 5];
            let rest = History::new(rest, expected, 10);
            let rest: Vec<_> = block_on(Bounded::new(rest, 20).collect::<Vec<_>>());
            assert_eq!(seen.len() + rest.len(), 7, "{seen:?} {rest:?}");
        }
    }

    /// Every page says the next one is at cursor 1: the second time is refused.
    struct Stuck;
    impl Walk for Stuck {
        type Item = char;
        type Position = u32;
        type Error = TestError;
        fn fetch(&self, _: u32) -> PageFuture<char, u32, TestError> {
            Box::pin(std::future::ready(Ok(Page {
                items: vec![(0, Entry::Item('x'))],
                next: Next::Page(1),
            })))
        }
        fn position_after(&self, page: &u32, _: &char, _: usize) -> u32 {
            *page
        }
        fn position_before(&self, page: &u32, _: &char, _: usize) -> u32 {
            *page
        }
    }

    #[test]
    fn a_repeated_cursor_stops_the_walk_with_an_error() {
        let mut walk = History::new(Stuck, 0, 100);
        let items: Vec<_> = block_on(Bounded::new(&mut walk, 10).collect::<Vec<_>>());
        assert_eq!(
            items,
            [Ok('x'), Ok('x'), Err(TestError::Repeated("1".into()))]
        );
        assert_eq!(walk.outcome(), Some(Outcome::Failed));
    }
}

#[cfg(test)]
mod budget_tests {
    use super::tests::block_on;
    use super::*;
    use crate::test_support::Bounded;
    use futures_util::StreamExt;

    #[derive(Debug, PartialEq)]
    enum E {
        Repeated,
        Budget(usize),
        Protocol,
    }
    impl From<RepeatedCursor> for E {
        fn from(_: RepeatedCursor) -> Self {
            Self::Repeated
        }
    }
    impl From<PageBudgetExhausted> for E {
        fn from(e: PageBudgetExhausted) -> Self {
            Self::Budget(e.pages)
        }
    }
    impl From<ProtocolError> for E {
        fn from(_: ProtocolError) -> Self {
            Self::Protocol
        }
    }
    impl From<MalformedItem> for E {
        fn from(_: MalformedItem) -> Self {
            Self::Protocol
        }
    }

    /// An endless history: every page holds two items and a fresh cursor.
    struct Endless;
    impl Walk for Endless {
        type Item = u64;
        type Position = u64;
        type Error = E;
        fn fetch(&self, at: u64) -> PageFuture<u64, u64, E> {
            Box::pin(std::future::ready(Ok(Page {
                items: vec![(0, Entry::Item(at * 2)), (1, Entry::Item(at * 2 + 1))],
                next: Next::Page(at + 1),
            })))
        }
        fn position_after(&self, page: &u64, _: &u64, index: usize) -> u64 {
            page * 2 + index as u64 + 1
        }
        fn position_before(&self, page: &u64, _: &u64, index: usize) -> u64 {
            page * 2 + index as u64
        }
    }

    #[test]
    fn a_walk_stops_at_its_page_budget_with_an_error_and_a_resume_point() {
        let mut walk = History::new(Endless, 0, 3);
        let items: Vec<_> = block_on(Bounded::new(&mut walk, 100).collect::<Vec<_>>());
        assert_eq!(items.len(), 7, "{items:?}");
        assert_eq!(items[..6], [Ok(0), Ok(1), Ok(2), Ok(3), Ok(4), Ok(5)]);
        assert_eq!(items[6], Err(E::Budget(3)));
        assert_eq!(walk.outcome(), Some(Outcome::Failed));
        assert_eq!(walk.resume_point(), Some(3));
        assert_eq!(walk.pages(), 3);
    }
}

#[cfg(test)]
mod check_next_tests {
    use super::tests::block_on;
    use super::*;
    use crate::test_support::Bounded;
    use futures_util::StreamExt;

    #[derive(Debug, PartialEq)]
    enum E {
        Other,
        Protocol(String),
    }
    impl From<RepeatedCursor> for E {
        fn from(_: RepeatedCursor) -> Self {
            Self::Other
        }
    }
    impl From<PageBudgetExhausted> for E {
        fn from(_: PageBudgetExhausted) -> Self {
            Self::Other
        }
    }
    impl From<ProtocolError> for E {
        fn from(e: ProtocolError) -> Self {
            Self::Protocol(e.reason)
        }
    }
    impl From<MalformedItem> for E {
        fn from(_: MalformedItem) -> Self {
            Self::Other
        }
    }

    /// Positions count down; the second page points up, back to where the walk was.
    struct GoesBack;
    impl Walk for GoesBack {
        type Item = i64;
        type Position = i64;
        type Error = E;
        fn fetch(&self, at: i64) -> PageFuture<i64, i64, E> {
            let next = if at == 100 { 90 } else { 95 };
            Box::pin(std::future::ready(Ok(Page {
                items: vec![(0, Entry::Item(at - 1)), (1, Entry::Item(at - 2))],
                next: Next::Page(next),
            })))
        }
        fn position_after(&self, _: &i64, item: &i64, _: usize) -> i64 {
            *item
        }
        fn position_before(&self, _: &i64, item: &i64, _: usize) -> i64 {
            *item + 1
        }
        fn check_next(&self, at: &i64, _: &[&i64], next: &i64) -> Result<(), ProtocolError> {
            if next < at {
                Ok(())
            } else {
                Err(ProtocolError {
                    reason: format!("{next} does not go below {at}"),
                })
            }
        }
    }

    #[test]
    fn a_position_that_does_not_move_on_ends_the_walk_after_its_pages_items() {
        let mut walk = History::new(GoesBack, 100, 10);
        let items: Vec<_> = block_on(Bounded::new(&mut walk, 10).collect::<Vec<_>>());
        assert_eq!(
            items,
            [
                Ok(99),
                Ok(98),
                Ok(89),
                Ok(88),
                Err(E::Protocol("95 does not go below 90".into()))
            ]
        );
        assert_eq!(walk.outcome(), Some(Outcome::Failed));
        assert_eq!(walk.resume_point(), Some(88));
    }
}

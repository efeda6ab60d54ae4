//! Walking a history page by page as one stream of items.
//!
//! Each client crate says how to fetch the page at a position and where the walk stands
//! after each item ([`Walk`]); [`History`] does the rest, alike for both services: it
//! fetches one page at a time, yields its items, refuses a position that comes back instead
//! of looping, ends on the first error, and always knows where to resume.

use std::any::Any;
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use futures_core::Stream;

use crate::entry::{Entry, MalformedItem};
use crate::error::ProtocolError;
use crate::scrub::Scrubber;

/// A page's future, as a [`Walk`] returns it.
pub type PageFuture<I, P, E> = Pin<Box<dyn Future<Output = Result<Page<I, P>, E>> + Send>>;

/// What a client crate tells [`History`] about its service's paging.
pub trait Walk: Send + 'static {
    /// What the walk yields: a play, an edge.
    type Item: Send + Unpin + 'static;
    /// Where a walk stands: a time window, a cursor with a count of items already yielded.
    type Position: Clone + PartialEq + fmt::Debug + Send + Sync + Unpin + 'static;
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

    /// What removes the client's credentials from a malformed item before the walk reports
    /// it (its JSON and the decoder's message may quote what the server echoed):
    /// `Sender::scrubber`.
    fn scrubber(&self) -> Scrubber;

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

/// One page of a walk as [`History::next_page`] yields it: what a sync commits at once.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryPage<I, P> {
    /// Where the page was fetched.
    pub at: P,
    /// Its items that decoded, in the order the walk yields them.
    pub items: Vec<I>,
    /// Its items that did not, each with its index as sent and the page's position.
    pub malformed: Vec<MalformedItem>,
    /// Where a new walk starts to yield exactly what follows this page; `None` when the
    /// whole history has been yielded (as [`History::resume_point`] after it).
    pub resume_point: Option<P>,
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

/// A walk's position as an error carries it: the client's own position type (Spotify's
/// `TimeWindow`, Amazon Music's `ResumePoint`), typed, behind one handle that every
/// client's `Error` can hold. [`get`](Self::get) gives it back; `Display` and `Debug` show
/// its `Debug` form.
///
/// ```
/// use client_support::{Position, ResumePoint};
///
/// let at = Position::new(ResumePoint::at("page-2".to_string()));
/// let point: &ResumePoint<String> = at.get().expect("the client's own type");
/// assert_eq!(point.cursor.as_deref(), Some("page-2"));
/// assert_eq!(at.get::<u64>(), None, "another type is not there");
/// assert_eq!(at.to_string(), r#"ResumePoint { cursor: Some("page-2"), skip: 0 }"#);
/// ```
#[derive(Clone)]
pub struct Position(Arc<dyn PositionValue>);

/// What a [`Position`] can hold: any walk position (`'static`, shareable, `Debug`).
trait PositionValue: Any + fmt::Debug + Send + Sync {
    fn as_any(&self) -> &dyn Any;
}

impl<P: Any + fmt::Debug + Send + Sync> PositionValue for P {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Position {
    /// The position `at`, of the walk's own type.
    pub fn new<P: Any + fmt::Debug + Send + Sync>(at: P) -> Self {
        Self(Arc::new(at))
    }

    /// The position, if it is a `P`.
    pub fn get<P: Any>(&self) -> Option<&P> {
        // Through the `dyn` value, not the `Arc` (which is a `PositionValue` too).
        (*self.0).as_any().downcast_ref()
    }
}

impl fmt::Debug for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// Two positions are equal when they are of the same type and print alike (a position's
/// `Debug` form names everything in it).
impl PartialEq for Position {
    fn eq(&self, other: &Self) -> bool {
        (*self.0).as_any().type_id() == (*other.0).as_any().type_id()
            && format!("{:?}", self.0) == format!("{:?}", other.0)
    }
}

impl Eq for Position {}

/// The service returned a cursor it had already returned earlier in the same walk.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the service returned cursor {cursor} a second time; stopped instead of looping")]
pub struct RepeatedCursor {
    /// The position the service sent again, of the client's own position type.
    pub cursor: Position,
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
    /// Where the page in `buffer` was fetched.
    buffer_at: Option<P>,
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
    P: Clone + PartialEq + fmt::Debug + Send + Sync + Unpin + 'static,
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
            buffer_at: None,
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
    pub fn pages_fetched(&self) -> usize {
        self.pages
    }

    /// The next page of the walk: its items, its malformed items, and where a new walk
    /// starts after it. `None` once the walk has ended; an error ends it (after the pages
    /// before it), as in the stream of items. A page the service sent empty is not
    /// yielded. Read a walk either by pages or by items, not both.
    ///
    /// Whoever commits or resumes works in pages: storing each page with its
    /// [`resume_point`](HistoryPage::resume_point) in one transaction keeps a sync exact
    /// however it ends.
    ///
    /// ```
    /// # use client_support::{History, MalformedItem, PageBudgetExhausted, ProtocolError, RepeatedCursor, ResumePoint};
    /// # async fn walk<E>(mut history: History<u32, ResumePoint<String>, E>)
    /// # where
    /// #     E: From<RepeatedCursor> + From<PageBudgetExhausted> + From<ProtocolError>
    /// #         + From<MalformedItem> + Send + Unpin + 'static,
    /// # {
    /// while let Some(Ok(page)) = history.next_page().await {
    ///     for bad in &page.malformed {
    ///         eprintln!("{bad}");
    ///     }
    ///     // Store `page.items` and `page.resume_point` together.
    ///     println!("{} items, then {:?}", page.items.len(), page.resume_point);
    /// }
    /// # }
    /// ```
    pub async fn next_page(&mut self) -> Option<Result<HistoryPage<I, P>, E>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<HistoryPage<I, P>, E>>> {
        while self.buffer.is_empty() {
            match ready!(self.poll_fill(cx)) {
                None => return Poll::Ready(None),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                Some(Ok(())) => {}
            }
        }
        let Some(at) = self.buffer_at.clone() else {
            unreachable!("a buffered page has its position");
        };
        let mut page = HistoryPage {
            at,
            items: Vec::with_capacity(self.buffer.len()),
            malformed: Vec::new(),
            resume_point: None,
        };
        while let Some(item) = self.take_buffered() {
            match item {
                Ok(item) => page.items.push(item),
                Err(malformed) => page.malformed.push(malformed),
            }
        }
        page.resume_point = self.resume_point();
        Poll::Ready(Some(Ok(page)))
    }

    /// The next buffered item (or malformed item), the walk moved past it.
    fn take_buffered(&mut self) -> Option<Result<I, MalformedItem>> {
        let (item, after) = self.buffer.pop_front()?;
        if let Some(after) = after {
            self.position = after;
        }
        match &item {
            Ok(item) => {
                self.sync = self.walk.sync_point_after(self.sync.as_ref(), item);
                self.yielded += 1;
            }
            Err(malformed) => tracing::warn!(
                page = %malformed.page,
                index = malformed.index,
                reason = %malformed.malformed.reason(),
                "malformed item skipped"
            ),
        }
        Some(item)
    }

    /// With the buffer drained: fetches the next page into it (`Some(Ok(()))`, perhaps an
    /// empty page), or ends the walk (`None`, or the error that ends it).
    fn poll_fill(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<(), E>>> {
        if let Some(error) = self.deferred_error.take() {
            self.finish(Outcome::Failed);
            return Poll::Ready(Some(Err(error)));
        }
        if self.outcome.is_some() {
            return Poll::Ready(None);
        }
        let at = match &self.next {
            Some(Next::Page(at)) => at.clone(),
            Some(Next::End(outcome)) => {
                let outcome = *outcome;
                self.finish(outcome);
                return Poll::Ready(None);
            }
            None => unreachable!("`next` is set from the start"),
        };
        if self.pages > 0 {
            // The page's items are all yielded: the walk now stands at the next page.
            self.position = at.clone();
        }
        if self.pages >= self.max_pages {
            self.finish(Outcome::Failed);
            let pages = self.pages;
            return Poll::Ready(Some(Err(E::from(PageBudgetExhausted { pages }))));
        }
        let walk = &self.walk;
        let in_flight = self.in_flight.get_or_insert_with(|| walk.fetch(at.clone()));
        let fetched = ready!(in_flight.as_mut().poll(cx));
        self.in_flight = None;
        match fetched {
            Ok(page) => {
                self.accept(at, page);
                Poll::Ready(Some(Ok(())))
            }
            Err(error) => {
                // `position` still points at the failed page: resuming loses nothing.
                self.finish(Outcome::Failed);
                Poll::Ready(Some(Err(error)))
            }
        }
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
                    cursor: Position::new(position),
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
        let scrubber = walk.scrubber();
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
                        page: Position::new(at.clone()),
                        index: sent,
                        malformed: malformed.scrubbed(&scrubber),
                    };
                    buffer.push((Err(item), before_next.clone()));
                }
            }
        }
        buffer.reverse();
        self.buffer = buffer.into();
        self.buffer_at = Some(at);
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
    P: Clone + PartialEq + fmt::Debug + Send + Sync + Unpin + 'static,
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
            if let Some(item) = this.take_buffered() {
                return Poll::Ready(Some(item.map_err(E::from)));
            }
            match ready!(this.poll_fill(cx)) {
                None => return Poll::Ready(None),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                Some(Ok(())) => {}
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
            Self::Repeated(e.cursor.to_string())
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

        fn scrubber(&self) -> crate::scrub::Scrubber {
            crate::scrub::Scrubber::new()
        }

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
        assert_eq!(walk.pages_fetched(), 3);
    }

    #[test]
    fn a_walk_read_by_pages_yields_each_page_with_its_malformed_items_and_resume_point() {
        let mut served = numbers(8, 3, Some(6), Calls::default());
        served.malformed = vec![1, 5];
        let mut walk = History::new(served, ResumePoint::start(), 10);
        let pages = block_on(async {
            let mut pages = Vec::new();
            while let Some(page) = walk.next_page().await {
                pages.push(page);
            }
            pages
        });
        let [first, second, failed]: [Result<HistoryPage<u32, ResumePoint<u32>>, TestError>; 3] =
            pages.try_into().expect("two pages, then the error");
        let (first, second) = (first.unwrap(), second.unwrap());
        assert_eq!(
            (first.at.clone(), first.items.clone()),
            (ResumePoint::start(), vec![0, 2])
        );
        assert_eq!(
            first.resume_point,
            Some(ResumePoint {
                cursor: None,
                skip: 3
            })
        );
        let bad = &first.malformed[0];
        assert_eq!(first.malformed.len(), 1);
        assert_eq!(
            (bad.index, bad.page.get()),
            (1, Some(&ResumePoint::<u32>::start()))
        );
        assert_eq!(
            (second.at.clone(), second.items.clone()),
            (ResumePoint::at(3), vec![3, 4])
        );
        assert_eq!(second.malformed[0].page.get(), Some(&ResumePoint::at(3u32)));
        // Its last item is malformed: the walk stands at the next page.
        assert_eq!(second.resume_point, Some(ResumePoint::at(6)));
        assert_eq!(failed, Err(TestError::Failed));
        assert_eq!(walk.outcome(), Some(Outcome::Failed));
        assert_eq!(walk.resume_point(), Some(ResumePoint::at(6)));
        // Resumed from the last page's resume point, the walk yields exactly the rest.
        let rest_of = numbers(8, 3, None, Calls::default());
        let mut rest = History::new(rest_of, second.resume_point.unwrap(), 10);
        let rest = block_on(async {
            let mut items = Vec::new();
            while let Some(page) = rest.next_page().await {
                items.extend(page.unwrap().items);
            }
            items
        });
        assert_eq!(rest, [6, 7]);
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

        fn scrubber(&self) -> crate::scrub::Scrubber {
            crate::scrub::Scrubber::new()
        }
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

        fn scrubber(&self) -> crate::scrub::Scrubber {
            crate::scrub::Scrubber::new()
        }
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
        assert_eq!(walk.pages_fetched(), 3);
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

        fn scrubber(&self) -> crate::scrub::Scrubber {
            crate::scrub::Scrubber::new()
        }
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

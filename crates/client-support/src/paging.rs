//! The page-walking stream driver behind every history stream.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;

/// One page of a walk: its items, in the order to yield them, and the cursor of the next
/// page (`None` on the last page).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<I, C> {
    /// The page's items.
    pub items: Vec<I>,
    /// Where the next page starts, if there is one.
    pub next: Option<C>,
}

/// Where to start (or resume) a walk: the cursor of a page (`None` for the first page) and
/// how many of that page's items were already yielded.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ResumePoint<C> {
    /// The page to fetch first; `None` is the first page.
    pub cursor: Option<C>,
    /// How many items at the start of that page to skip.
    pub skip: usize,
}

impl<C> ResumePoint<C> {
    /// The start of a walk.
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepeatedCursor {
    /// The cursor, as text.
    pub cursor: String,
}

impl fmt::Display for RepeatedCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the service returned cursor {:?} a second time; stopped instead of looping",
            self.cursor
        )
    }
}

impl std::error::Error for RepeatedCursor {}

type PageFuture<I, C, E> = Pin<Box<dyn Future<Output = Result<Page<I, C>, E>> + Send>>;
type FetchPage<I, C, E> = Box<dyn FnMut(Option<C>) -> PageFuture<I, C, E> + Send>;

/// A stream of items that fetches page after page, following each page's cursor.
///
/// It stops after the last page, after the first error (which it yields), and — instead
/// of looping — when the service repeats a cursor. [`PageWalk::resume_point`] says where a
/// new walk must start to yield exactly the items this one has not yielded.
///
/// ```
/// use client_support::{Page, PageWalk, ResumePoint};
/// use futures_util::StreamExt;
///
/// # #[derive(Debug)] struct E; impl From<client_support::paging::RepeatedCursor> for E { fn from(_: client_support::paging::RepeatedCursor) -> Self { E } }
/// # futures_executor::block_on(async {
/// // Pages of two over 1..=5; the cursor is the next item.
/// let walk = PageWalk::new(ResumePoint::start(), |cursor: Option<u32>| async move {
///     let first = cursor.unwrap_or(1);
///     let items: Vec<u32> = (first..=5).take(2).collect();
///     let next = Some(first + 2).filter(|n| *n <= 5);
///     Ok::<_, E>(Page { items, next })
/// });
/// let items: Vec<u32> = walk.map(Result::unwrap).collect().await;
/// assert_eq!(items, [1, 2, 3, 4, 5]);
/// # });
/// ```
pub struct PageWalk<I, C, E> {
    fetch: FetchPage<I, C, E>,
    in_flight: Option<PageFuture<I, C, E>>,
    /// The page whose items are in `buffer`, and how many of them were yielded.
    current: ResumePoint<C>,
    buffer: VecDeque<I>,
    /// The page to fetch once `buffer` is empty: `None` after the last page.
    next: Option<ResumePoint<C>>,
    /// Every cursor followed so far, to refuse one that comes back.
    followed: Vec<C>,
    /// An error to yield once `buffer` is drained (a repeated cursor).
    deferred_error: Option<E>,
    finished: bool,
}

impl<I, C, E> PageWalk<I, C, E>
where
    C: Clone + PartialEq + fmt::Debug + Send + 'static,
    E: From<RepeatedCursor>,
{
    /// Walks from `start`, fetching each page with `fetch(cursor)`.
    pub fn new<F, Fut>(start: ResumePoint<C>, mut fetch: F) -> Self
    where
        F: FnMut(Option<C>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Page<I, C>, E>> + Send + 'static,
    {
        Self {
            fetch: Box::new(move |cursor| Box::pin(fetch(cursor))),
            in_flight: None,
            current: ResumePoint::start(),
            buffer: VecDeque::new(),
            followed: start.cursor.iter().cloned().collect(),
            next: Some(start),
            deferred_error: None,
            finished: false,
        }
    }

    /// Where a new walk must start to yield exactly what this one has not yielded yet;
    /// `None` once the whole history has been yielded.
    ///
    /// After an error, this is the page that failed, so nothing is lost by resuming.
    pub fn resume_point(&self) -> Option<ResumePoint<C>> {
        if !self.buffer.is_empty() {
            return Some(self.current.clone());
        }
        self.next.clone()
    }

    fn accept(&mut self, fetched: ResumePoint<C>, page: Page<I, C>) {
        let Page { items, next } = page;
        let skip = fetched.skip.min(items.len());
        self.buffer = items.into_iter().skip(skip).collect();
        self.current = ResumePoint {
            cursor: fetched.cursor,
            skip,
        };
        self.next = match next {
            None => None,
            Some(cursor) if self.followed.contains(&cursor) => {
                self.deferred_error = Some(E::from(RepeatedCursor {
                    cursor: format!("{cursor:?}"),
                }));
                None
            }
            Some(cursor) => {
                self.followed.push(cursor.clone());
                Some(ResumePoint::at(cursor))
            }
        };
    }
}

impl<I, C, E> Stream for PageWalk<I, C, E>
where
    I: Unpin,
    C: Clone + PartialEq + fmt::Debug + Send + Unpin + 'static,
    E: From<RepeatedCursor> + Unpin,
{
    type Item = Result<I, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                this.current.skip += 1;
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(error) = this.deferred_error.take() {
                this.finished = true;
                return Poll::Ready(Some(Err(error)));
            }
            if this.finished {
                return Poll::Ready(None);
            }
            let Some(target) = this.next.clone() else {
                this.finished = true;
                return Poll::Ready(None);
            };
            let in_flight = this
                .in_flight
                .get_or_insert_with(|| (this.fetch)(target.cursor.clone()));
            let outcome = ready!(in_flight.as_mut().poll(cx));
            this.in_flight = None;
            match outcome {
                Ok(page) => this.accept(target, page),
                Err(error) => {
                    // `next` still points at the failed page: resuming loses nothing.
                    this.finished = true;
                    return Poll::Ready(Some(Err(error)));
                }
            }
        }
    }
}

impl<I, C: fmt::Debug, E> fmt::Debug for PageWalk<I, C, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageWalk")
            .field("current", &self.current)
            .field("buffered", &self.buffer.len())
            .field("next", &self.next)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use std::sync::{Arc, Mutex};

    #[derive(Debug, PartialEq)]
    enum TestError {
        Failed,
        Repeated(String),
    }
    impl From<RepeatedCursor> for TestError {
        fn from(e: RepeatedCursor) -> Self {
            Self::Repeated(e.cursor)
        }
    }

    /// Pages of `size` over `0..len`; cursor = index of the page's first item.
    fn numbers(
        len: u32,
        size: u32,
        fail_at: Option<u32>,
        calls: Arc<Mutex<Vec<Option<u32>>>>,
    ) -> impl FnMut(Option<u32>) -> std::future::Ready<Result<Page<u32, u32>, TestError>> {
        let mut failed = false;
        move |cursor| {
            calls.lock().unwrap().push(cursor);
            let first = cursor.unwrap_or(0);
            if Some(first) == fail_at && !failed {
                failed = true;
                return std::future::ready(Err(TestError::Failed));
            }
            let items = (first..len).take(size as usize).collect();
            let next = Some(first + size).filter(|n| *n < len);
            std::future::ready(Ok(Page { items, next }))
        }
    }

    fn block_on<F: Future>(f: F) -> F::Output {
        futures_executor::block_on(f)
    }

    #[test]
    fn walks_every_page_once_and_stops() {
        let calls = Arc::default();
        let walk = PageWalk::new(
            ResumePoint::start(),
            numbers(7, 3, None, Arc::clone(&calls)),
        );
        let items: Vec<_> = block_on(walk.map(Result::unwrap).collect::<Vec<_>>());
        assert_eq!(items, (0..7).collect::<Vec<_>>());
        assert_eq!(*calls.lock().unwrap(), [None, Some(3), Some(6)]);
    }

    #[test]
    fn an_error_ends_the_walk_and_resuming_loses_nothing() {
        let calls = Arc::default();
        let mut walk = PageWalk::new(
            ResumePoint::start(),
            numbers(9, 3, Some(6), Arc::clone(&calls)),
        );
        let mut seen = Vec::new();
        block_on(async {
            while let Some(item) = walk.next().await {
                match item {
                    Ok(n) => seen.push(n),
                    Err(e) => {
                        assert_eq!(e, TestError::Failed);
                        break;
                    }
                }
            }
            assert!(walk.next().await.is_none(), "a failed walk is over");
        });
        let resume = walk.resume_point().expect("the walk was not complete");
        assert_eq!(resume, ResumePoint::at(6));
        let rest: Vec<_> = block_on(
            PageWalk::new(resume, numbers(9, 3, None, calls))
                .map(Result::unwrap)
                .collect::<Vec<_>>(),
        );
        seen.extend(rest);
        assert_eq!(seen, (0..9).collect::<Vec<_>>());
    }

    #[test]
    fn resuming_mid_page_skips_what_was_yielded() {
        let mut walk = PageWalk::new(ResumePoint::start(), numbers(6, 4, None, Arc::default()));
        let first_two: Vec<_> =
            block_on((&mut walk).take(2).map(Result::unwrap).collect::<Vec<_>>());
        assert_eq!(first_two, [0, 1]);
        let resume = walk.resume_point().unwrap();
        assert_eq!(
            resume,
            ResumePoint {
                cursor: None,
                skip: 2
            }
        );
        let rest: Vec<_> = block_on(
            PageWalk::new(resume, numbers(6, 4, None, Arc::default()))
                .map(Result::unwrap)
                .collect::<Vec<_>>(),
        );
        assert_eq!(rest, [2, 3, 4, 5]);
    }

    #[test]
    fn a_repeated_cursor_stops_the_walk_with_an_error() {
        // Every page says the next one is at cursor 1: the second time is refused.
        let walk = PageWalk::new(ResumePoint::start(), |_cursor: Option<u32>| {
            std::future::ready(Ok::<_, TestError>(Page {
                items: vec!['x'],
                next: Some(1u32),
            }))
        });
        let items: Vec<_> = block_on(walk.collect::<Vec<_>>());
        assert_eq!(
            items,
            [Ok('x'), Ok('x'), Err(TestError::Repeated("1".into()))]
        );
    }
}

//! Reading a walk in a test so that a walk that never ends fails the test in seconds.
//!
//! A [`History`](crate::History) stops by itself: at its last page, at an error, at a
//! repeated cursor, at its page budget. A test that reads one to its end with `collect` or a
//! `while let` loop trusts all of that, so when a change breaks it the test reads on until
//! memory runs out instead of failing. Read through [`read_walk`], [`read_first`] or
//! [`Bounded`] instead: at most the items the test can expect plus some, within
//! [`TIME_LIMIT`], and when either bound is passed, a failure that says which
//! ([`CutShort`]).
//!
//! For tests only: behind the `test-support` feature, which only dev-dependencies turn on.
//! The bounds need a Tokio runtime with its time driver (`#[tokio::test]` has one).
//!
//! ```
//! use client_support::test_support::{CutShort, read_walk};
//!
//! # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
//! // A walk that never ends, as one that follows a repeated cursor would be.
//! let mut endless = futures_util::stream::repeat(Ok::<u32, String>(7));
//! let walked = read_walk(&mut endless, 100).await;
//! assert_eq!(walked.cut_short, Some(CutShort::TooManyItems { max_items: 100 }));
//! assert_eq!(
//!     walked.how_it_ended(),
//!     "the walk yielded more than 100 items: a cursor loop?"
//! );
//! # });
//! ```

use std::fmt;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use tokio::time::{Instant, Sleep};

/// How long a bounded read may take, from its first poll to its end, unless the test sets
/// another ([`Bounded::time_limit`]): many times what a walk of a test's history takes (a
/// few hundred pages from a local server, well under a second), and short, because a walk
/// that yields nothing, page after page, passes no count and is stopped only by this: a
/// property test that shrinks such a failure pays it once per case it tries.
pub const TIME_LIMIT: Duration = Duration::from_secs(5);

/// Why a bounded read stopped before the walk ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CutShort {
    /// The walk yielded more than `max_items` items: more than the history holds, so it is
    /// going round (a cursor loop).
    TooManyItems {
        /// The most items the read allowed.
        max_items: usize,
    },
    /// The walk did not end within `limit` ([`TIME_LIMIT`] unless the test set another);
    /// it had yielded `items` items.
    TooSlow {
        /// The time the read allowed.
        limit: Duration,
        /// The items yielded before the time ran out.
        items: usize,
    },
}

impl fmt::Display for CutShort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooManyItems { max_items } => write!(
                f,
                "the walk yielded more than {max_items} items: a cursor loop?"
            ),
            Self::TooSlow { limit, items } => write!(
                f,
                "the walk did not end within {limit:?} (it yielded {items} so far): a stalled or endless walk?"
            ),
        }
    }
}

impl std::error::Error for CutShort {}

/// A walk read within bounds: at most `max_items` items, within [`TIME_LIMIT`] (or
/// [`time_limit`](Self::time_limit)) of the first poll.
///
/// As a [`Stream`] it yields what the walk yields and **panics**, with the [`CutShort`]
/// message, when the walk passes either bound; so `collect`, `try_collect` and `while let`
/// loops over it fail the test instead of running on. [`next_within`](Self::next_within)
/// reports the bound passed instead, for a test that asserts on it.
///
/// ```
/// use client_support::test_support::Bounded;
/// use futures_util::TryStreamExt;
///
/// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
/// let walk = futures_util::stream::iter([Ok::<_, String>(1), Ok(2)]);
/// let items: Vec<u32> = Bounded::new(walk, 10).try_collect().await?;
/// assert_eq!(items, [1, 2]);
/// # Ok::<(), String>(()) }).unwrap();
/// ```
///
/// # Panics
///
/// Polled outside a Tokio runtime with its time driver, or, as a `Stream`, past a bound.
#[derive(Debug)]
pub struct Bounded<S> {
    walk: S,
    max_items: usize,
    time_limit: Duration,
    yielded: usize,
    /// Armed at the first poll: a Tokio timer can only be made inside a runtime.
    deadline: Option<Pin<Box<Sleep>>>,
}

impl<S: Stream + Unpin> Bounded<S> {
    /// `walk`, to be read for at most `max_items` items and [`TIME_LIMIT`].
    pub fn new(walk: S, max_items: usize) -> Self {
        Self {
            walk,
            max_items,
            time_limit: TIME_LIMIT,
            yielded: 0,
            deadline: None,
        }
    }

    /// Another time limit than [`TIME_LIMIT`], from the first poll.
    pub fn time_limit(mut self, limit: Duration) -> Self {
        self.time_limit = limit;
        self
    }

    /// The walk, to ask it where it stands (`outcome`, `resume_point`).
    pub fn get_ref(&self) -> &S {
        &self.walk
    }

    /// The next item, `None` at the walk's end, or the bound the walk passed.
    pub async fn next_within(&mut self) -> Result<Option<S::Item>, CutShort> {
        poll_fn(|cx| self.poll_within(cx)).await
    }

    /// Reads the walk to its end or its first error, or until it passes a bound:
    /// [`read_walk`] with another time limit.
    ///
    /// ```
    /// use std::time::Duration;
    /// use client_support::test_support::Bounded;
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
    /// let walk = futures_util::stream::iter([Ok::<_, String>(1), Ok(2)]);
    /// let walked = Bounded::new(walk, 10).time_limit(Duration::from_secs(30)).read_to_end().await;
    /// assert!(walked.ended_cleanly());
    /// # });
    /// ```
    pub async fn read_to_end<T, E>(self) -> Walked<T, E>
    where
        S: Stream<Item = Result<T, E>>,
    {
        self.read(None).await
    }

    /// Reads until the walk ends, fails, passes a bound, or has yielded `count` items.
    async fn read<T, E>(mut self, count: Option<usize>) -> Walked<T, E>
    where
        S: Stream<Item = Result<T, E>>,
    {
        let mut walked = Walked {
            items: Vec::new(),
            error: None,
            cut_short: None,
        };
        while Some(walked.items.len()) != count {
            match self.next_within().await {
                Ok(Some(Ok(item))) => walked.items.push(item),
                Ok(Some(Err(error))) => {
                    walked.error = Some(error);
                    break;
                }
                Ok(None) => break,
                Err(cut_short) => {
                    walked.cut_short = Some(cut_short);
                    break;
                }
            }
        }
        walked
    }

    fn poll_within(&mut self, cx: &mut Context<'_>) -> Poll<Result<Option<S::Item>, CutShort>> {
        let limit = self.time_limit;
        let deadline = self
            .deadline
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        let too_slow = CutShort::TooSlow {
            limit,
            items: self.yielded,
        };
        match Pin::new(&mut self.walk).poll_next(cx) {
            Poll::Ready(Some(_)) if self.yielded >= self.max_items => {
                Poll::Ready(Err(CutShort::TooManyItems {
                    max_items: self.max_items,
                }))
            }
            // A walk that never waits never lets the timer fire: look at the clock too.
            Poll::Ready(Some(_)) if Instant::now() >= deadline.deadline() => {
                Poll::Ready(Err(too_slow))
            }
            Poll::Ready(Some(item)) => {
                self.yielded += 1;
                Poll::Ready(Ok(Some(item)))
            }
            Poll::Ready(None) => Poll::Ready(Ok(None)),
            Poll::Pending => match deadline.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(too_slow)),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl<S: Stream + Unpin> Stream for Bounded<S> {
    type Item = S::Item;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        match self.get_mut().poll_within(cx) {
            Poll::Ready(Ok(item)) => Poll::Ready(item),
            Poll::Ready(Err(cut_short)) => panic!("{cut_short}"),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// What a bounded read of a walk saw: the items, the error that ended the walk, and the
/// bound that cut the read short, if one did.
#[derive(Debug)]
pub struct Walked<T, E> {
    /// The items, in the order yielded (at most the read's bound).
    pub items: Vec<T>,
    /// The error the walk ended with.
    pub error: Option<E>,
    /// The bound the walk passed; `None` if the read stopped for any other reason.
    pub cut_short: Option<CutShort>,
}

impl<T, E> Walked<T, E> {
    /// Whether the read stopped within its bounds: at the walk's end, at its error, or at
    /// the items [`read_first`] asked for.
    pub fn ended(&self) -> bool {
        self.cut_short.is_none()
    }

    /// Whether the read stopped within its bounds and without an error.
    pub fn ended_cleanly(&self) -> bool {
        self.ended() && self.error.is_none()
    }

    /// The items and the error, if the read stopped within its bounds.
    ///
    /// # Panics
    ///
    /// With the [`CutShort`] message, if a bound cut the read short.
    #[track_caller]
    pub fn expect_ended(self) -> (Vec<T>, Option<E>) {
        if let Some(cut_short) = self.cut_short {
            panic!("{cut_short}");
        }
        (self.items, self.error)
    }
}

impl<T, E: fmt::Display> Walked<T, E> {
    /// How the read stopped, in a sentence for a failure message.
    pub fn how_it_ended(&self) -> String {
        match (&self.cut_short, &self.error) {
            (Some(cut_short), _) => cut_short.to_string(),
            (None, Some(error)) => {
                format!("the walk failed after {} items: {error}", self.items.len())
            }
            (None, None) => format!("the walk ended after {} items", self.items.len()),
        }
    }
}

/// Reads `walk` to its end or its first error, cut short if it yields more than `max_items`
/// items or takes longer than [`TIME_LIMIT`]: pass the items the test expects plus some.
///
/// ```
/// use client_support::test_support::read_walk;
///
/// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
/// let mut walk = futures_util::stream::iter([Ok(1), Ok(2), Err("gone"), Ok(3)]);
/// let (items, error) = read_walk(&mut walk, 10).await.expect_ended();
/// assert_eq!((items, error), (vec![1, 2], Some("gone")));
/// # });
/// ```
///
/// # Panics
///
/// Outside a Tokio runtime with its time driver.
pub async fn read_walk<S, T, E>(walk: &mut S, max_items: usize) -> Walked<T, E>
where
    S: Stream<Item = Result<T, E>> + Unpin,
{
    Bounded::new(walk, max_items).read_to_end().await
}

/// Reads the first `count` items of `walk` (fewer if it ends or fails first), cut short if
/// that takes longer than [`TIME_LIMIT`]. The walk goes on from there.
///
/// ```
/// use client_support::test_support::read_first;
///
/// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
/// let mut walk = futures_util::stream::iter([Ok::<_, String>(1), Ok(2), Ok(3)]);
/// assert_eq!(read_first(&mut walk, 2).await.items, [1, 2]);
/// assert_eq!(read_first(&mut walk, 2).await.items, [3]);
/// # });
/// ```
///
/// # Panics
///
/// Outside a Tokio runtime with its time driver.
pub async fn read_first<S, T, E>(walk: &mut S, count: usize) -> Walked<T, E>
where
    S: Stream<Item = Result<T, E>> + Unpin,
{
    Bounded::new(walk, count).read(Some(count)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a current-thread runtime with time")
            .block_on(future)
    }

    #[test]
    fn a_walk_that_yields_past_its_bound_is_cut_short_there() {
        let mut endless = futures_util::stream::repeat(Ok::<u8, ()>(1));
        let walked = block_on(read_walk(&mut endless, 5));
        assert_eq!(walked.items.len(), 5);
        assert_eq!(
            walked.cut_short,
            Some(CutShort::TooManyItems { max_items: 5 })
        );
        assert!(!walked.ended());
    }

    #[test]
    fn a_walk_that_stalls_is_cut_short_at_the_time_limit() {
        let stalled = futures_util::stream::iter([1u8]).chain(futures_util::stream::pending());
        let limit = Duration::from_millis(50);
        let mut bounded = Bounded::new(stalled, 5).time_limit(limit);
        block_on(async {
            assert_eq!(bounded.next_within().await, Ok(Some(1)));
            let cut_short = bounded.next_within().await.unwrap_err();
            assert_eq!(cut_short, CutShort::TooSlow { limit, items: 1 });
            assert_eq!(
                cut_short.to_string(),
                "the walk did not end within 50ms (it yielded 1 so far): a stalled or endless walk?"
            );
        });
    }

    #[test]
    fn a_walk_that_never_waits_is_still_held_to_its_time_limit() {
        let endless = futures_util::stream::repeat(0u8);
        let mut bounded = Bounded::new(endless, usize::MAX).time_limit(Duration::ZERO);
        let cut_short = block_on(bounded.next_within()).unwrap_err();
        assert!(
            matches!(cut_short, CutShort::TooSlow { items: 0, .. }),
            "{cut_short:?}"
        );
    }

    #[test]
    fn a_walk_within_its_bounds_is_read_to_its_end() {
        let mut walk = futures_util::stream::iter([Ok::<u8, ()>(1), Ok(2), Ok(3)]);
        let walked = block_on(read_walk(&mut walk, 3));
        assert!(walked.ended_cleanly(), "{walked:?}");
        assert_eq!(walked.items, [1, 2, 3]);
    }

    #[test]
    #[should_panic(expected = "the walk yielded more than 3 items: a cursor loop?")]
    fn as_a_stream_a_bounded_walk_panics_past_its_bound() {
        let endless = futures_util::stream::repeat(0u8);
        block_on(Bounded::new(endless, 3).collect::<Vec<_>>());
    }
}

//! What any subject's calls come to, whatever its client's types: a walk's items as keys,
//! and an error as a user would see it, with the parts a promise looks into.

use std::fmt;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use client_support::{DocumentedError, LimitOutOfRange, Outcome};
use futures_util::{Stream, StreamExt};
use serde_json::Value;

/// A walk of any subject: a stream of the keys that tell its items apart, which says how it
/// ended.
pub trait KeyedWalk: Stream<Item = Result<String, Failure>> + Unpin {
    /// How the walk ended; `None` while it goes on.
    fn outcome(&self) -> Option<Outcome>;

    /// A new walk of what this one has not yielded yet, started from its resume point
    /// (`History::resume_point`) as a caller would; `None` when there is nothing to resume.
    fn resumed(&self) -> Option<Box<dyn KeyedWalk>>;
}

/// A client's walk of one query.
type ClientHistory<I, P, B> = client_support::History<I, P, client_support::Error<B>>;

/// A client's walk, its items as keys.
struct Keyed<I, P, B: DocumentedError> {
    /// The walk.
    history: ClientHistory<I, P, B>,
    /// The key of an item.
    key: fn(&I) -> String,
    /// The walk of the same query from a resume point.
    resume: Rc<dyn Fn(P) -> ClientHistory<I, P, B>>,
}

impl<I, P, B> Stream for Keyed<I, P, B>
where
    I: Send + Unpin + 'static,
    P: Clone + PartialEq + fmt::Debug + Send + Sync + Unpin + 'static,
    B: DocumentedError + Send + Unpin + 'static,
{
    type Item = Result<String, Failure>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let key = self.key;
        self.history
            .poll_next_unpin(cx)
            .map(|item| item.map(|item| item.map(|item| key(&item)).map_err(Failure::from)))
    }
}

impl<I, P, B> KeyedWalk for Keyed<I, P, B>
where
    I: Send + Unpin + 'static,
    P: Clone + PartialEq + fmt::Debug + Send + Sync + Unpin + 'static,
    B: DocumentedError + Send + Unpin + 'static,
{
    fn outcome(&self) -> Option<Outcome> {
        self.history.outcome()
    }

    fn resumed(&self) -> Option<Box<dyn KeyedWalk>> {
        let from = self.history.resume_point()?;
        Some(Box::new(Keyed {
            history: (self.resume)(from),
            key: self.key,
            resume: Rc::clone(&self.resume),
        }))
    }
}

/// `history`, each item yielded as `key` of it and each error as a [`Failure`]; `resume`
/// makes the walk of its query from a resume point, for [`KeyedWalk::resumed`].
pub fn keyed<I, P, B>(
    history: ClientHistory<I, P, B>,
    key: fn(&I) -> String,
    resume: impl Fn(P) -> ClientHistory<I, P, B> + 'static,
) -> Box<dyn KeyedWalk>
where
    I: Send + Unpin + 'static,
    P: Clone + PartialEq + fmt::Debug + Send + Sync + Unpin + 'static,
    B: DocumentedError + Send + Unpin + 'static,
{
    Box::new(Keyed {
        history,
        key,
        resume: Rc::new(resume),
    })
}

/// A client's error, as a user would see it, and what a promise looks into.
pub struct Failure {
    /// Its `Display`.
    pub message: String,
    /// Its `Debug`.
    debug: String,
    /// The HTTP status it answers, if any.
    pub status: Option<u16>,
    /// The refused limit, if it is `Error::LimitOutOfRange` (boxed, as it is rare).
    pub refused: Option<Box<LimitOutOfRange>>,
    /// The malformed item, if it is `Error::MalformedItem`: its index in its page, and its
    /// JSON as sent (boxed, as it is rare).
    pub malformed: Option<Box<(usize, Value)>>,
    /// What transient failure it is, if it is one.
    pub transient: Option<Transient>,
}

/// A failure a retry may get past, as the client's error says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transient {
    /// `Error::RateLimited`, and the wait it asks for.
    RateLimited(Option<Duration>),
    /// `Error::Server`, and its status.
    Server(u16),
    /// `Error::Transport`: no answer.
    Transport,
}

impl Failure {
    /// A failure that is no client error: what the call came to instead of a page.
    pub fn other(message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            debug: message.clone(),
            message,
            status: None,
            refused: None,
            malformed: None,
            transient: None,
        }
    }
}

impl<B: DocumentedError> From<client_support::Error<B>> for Failure {
    fn from(error: client_support::Error<B>) -> Self {
        Self {
            message: error.to_string(),
            debug: format!("{error:?}"),
            status: error.status().map(|status| status.as_u16()),
            refused: match &error {
                client_support::Error::LimitOutOfRange(refused) => Some(Box::new(refused.clone())),
                _ => None,
            },
            malformed: match &error {
                client_support::Error::MalformedItem(item) => Some(Box::new((
                    item.index,
                    serde_json::from_str(item.malformed.raw().get()).expect("an item's JSON"),
                ))),
                _ => None,
            },
            transient: match &error {
                client_support::Error::RateLimited { retry_after, .. } => {
                    Some(Transient::RateLimited(*retry_after))
                }
                client_support::Error::Server(e) => Some(Transient::Server(e.status.as_u16())),
                client_support::Error::Transport(_) => Some(Transient::Transport),
                _ => None,
            },
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The error's own `Debug`, unquoted, as a user printing it would see it.
impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.debug)
    }
}

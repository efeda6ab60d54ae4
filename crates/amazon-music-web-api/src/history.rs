//! Walking a listening history page by page as one stream of edges.

use client_support::paging::page_budget;
use client_support::{Page, PageFuture, ProtocolError, Walk};

use crate::Error;
use crate::client::AmazonMusicClient;
use crate::operation::Query;
use crate::query::ResumePoint;

/// A walk through a listening history: a `Stream` of `Result<edge, Error>`, newest first,
/// one page at a time, following each page's `pageInfo.token` as the next request's
/// `cursor`; made by [`AmazonMusicClient::history`].
///
/// Read it with `futures_util::StreamExt` / `TryStreamExt`.
/// * It ends after a page with `hasNextPage: false`
///   ([`outcome`](client_support::History::outcome) is then [`Outcome::Complete`](crate::Outcome::Complete)).
/// * A page with `hasNextPage: true` but no `token` (missing, `null` or empty) cannot be
///   followed: the walk yields [`Error::Undecodable`] for it instead of guessing that the
///   history ended.
/// * If the service hands back a token it already gave in this walk, the walk yields the
///   page's edges and then [`Error::RepeatedCursor`] instead of looping.
/// * After an error the walk is over;
///   [`resume_point`](client_support::History::resume_point) gives the [`ResumePoint`] a
///   new walk starts from (pass it to the query's `resume_from`) to yield exactly the edges
///   this one has not yielded. Resume with the same page size: a smaller one can repeat
///   edges (never skip them).
///
/// # Incremental sync: no time cursor
///
/// The history has **no time cursor**: the API takes no `after`/`since` and its cursors
/// are opaque, so [`sync_point`](client_support::History::sync_point) is always `None`
/// here (Spotify's is `After(newest played_at seen)`), and a complete walk's
/// `resume_point()` is `None` too. A sync therefore walks newest first and stops when it
/// meets again a play it already stored (same `playedDate` and history entry `id` or
/// node `id`): that overlap is what proves nothing in between was missed. Neither the
/// documentation nor the spec promises an order, so only a play seen again proves it, not
/// an older `playedDate`; a walk that reaches the end without meeting one may have missed
/// plays the service no longer keeps.
///
/// ```no_run
/// use futures_util::StreamExt;
/// use amazon_music_web_api::{AmazonMusicClient, TracksQuery};
///
/// # async fn run(client: AmazonMusicClient) {
/// let query = TracksQuery::new();
/// let mut history = client.history(query.clone());
/// while let Some(edge) = history.next().await {
///     match edge {
///         Ok(edge) => println!("{} {}", edge.played_at, edge.node.id),
///         Err(error) => {
///             eprintln!("{error}");
///             // Everything not yet seen is still there: carry on later from here.
///             if let Some(point) = history.resume_point() {
///                 let later = client.history(query.resume_from(point));
///                 # drop(later);
///             }
///             break;
///         }
///     }
/// }
/// # }
/// ```
pub type History<T> = client_support::History<T, ResumePoint, Error>;

impl AmazonMusicClient {
    /// Every edge `query` selects, across pages, newest first, as a [`History`] stream
    /// starting at `query.from`.
    ///
    /// The query's limit is the page size; without one, the service's default (60 tracks
    /// or 100 entities, the fewest requests).
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use amazon_music_web_api::{AmazonMusicClient, EntitiesLimit, MyEntitiesQuery};
    /// use amazon_music_web_api::types::EntityType;
    ///
    /// # async fn run(client: AmazonMusicClient) -> Result<(), amazon_music_web_api::Error> {
    /// let query = MyEntitiesQuery::new()
    ///     .entity_types([EntityType::Album, EntityType::Playlist])
    ///     .limit(EntitiesLimit::MAX);
    /// let mut edges = client.history(query);
    /// while let Some(edge) = edges.try_next().await? {
    ///     println!("{}  {}", edge.played_date, edge.node.kind());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn history<Q: Query>(&self, query: Q) -> History<Q::Item> {
        let start = query.start().clone();
        let max_pages = self
            .max_pages
            .unwrap_or_else(|| page_budget(MAX_PLAYS_PER_WALK, query.page_size()));
        History::new(
            Edges {
                client: self.clone(),
                query,
            },
            start,
            max_pages,
        )
    }
}

/// The plays a walk may yield before its page budget stops it, unless
/// [`AmazonMusicClientBuilder::max_pages`](crate::AmazonMusicClientBuilder::max_pages) says
/// otherwise. The V1 documentation says nothing of how far back the history goes; 10,000
/// plays is about three months of a heavy listener's plays (100 a day), far more than the
/// "recently played" the service describes, and stops a server that never says "no next
/// page" after at most 101 pages of 100 (or 10,001 of 1).
pub const MAX_PLAYS_PER_WALK: usize = 10_000;

/// How a walk through one operation's pages goes: the query, moved from page to page.
struct Edges<Q> {
    client: AmazonMusicClient,
    query: Q,
}

impl<Q: Query> Walk for Edges<Q> {
    type Item = Q::Item;
    type Position = ResumePoint;
    type Error = Error;

    fn scrubber(&self) -> client_support::scrub::Scrubber {
        self.client.sender.scrubber()
    }

    fn fetch(&self, at: ResumePoint) -> PageFuture<Q::Item, ResumePoint, Error> {
        let client = self.client.clone();
        let query = self.query.at(at);
        Box::pin(async move {
            let page = Q::edges(client.fetch(&query).await?)?;
            if page.items.len() > query.page_size() {
                return Err(Error::Protocol(ProtocolError {
                    reason: format!(
                        "a page holds {} edges, more than the limit of {} asked for",
                        page.items.len(),
                        query.page_size()
                    ),
                }));
            }
            let skip = query.start().skip;
            Ok(Page {
                items: page.items.into_iter().skip(skip).collect(),
                next: page.next,
            })
        })
    }

    /// The same page, with one more edge yielded.
    fn position_after(&self, page: &ResumePoint, _edge: &Q::Item, index: usize) -> ResumePoint {
        ResumePoint {
            cursor: page.cursor.clone(),
            skip: page.skip + index + 1,
        }
    }

    /// The same page, with the edges before this one yielded.
    fn position_before(&self, page: &ResumePoint, _edge: &Q::Item, index: usize) -> ResumePoint {
        ResumePoint {
            cursor: page.cursor.clone(),
            skip: page.skip + index,
        }
    }
}

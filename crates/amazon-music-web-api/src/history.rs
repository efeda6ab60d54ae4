//! Listening history as a stream of edges, page after page.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use client_support::{Page, PageWalk, ResumePoint};
use futures_core::Stream;
use reqwest::StatusCode;

use crate::Error;
use crate::types;

/// A walk through a listening history: a [`Stream`] of edges, newest first, fetched one page
/// at a time by following each page's `pageInfo.token` as the next request's `cursor`.
///
/// * It ends after a page with `hasNextPage: false`.
/// * A page with `hasNextPage: true` but no `token` (missing, `null` or empty) cannot be
///   followed: the walk yields [`Error::Undecodable`] for it (status 200) instead of guessing
///   that the history ended, and yields none of that page's edges.
/// * A response without the history object (no `user`, or no connection in it) is an empty,
///   last page.
/// * If the service hands back a token it already gave in this walk, the walk yields the
///   page's edges and then [`Error::RepeatedCursor`] instead of looping.
/// * After an error the walk is over; [`History::resume_point`] says where a new walk must
///   start to yield exactly the edges this one has not yielded. Resume with the same page
///   size: a smaller one can repeat edges (never skip them).
///
/// Without a stream combinator crate, [`History::next`] reads it:
///
/// ```no_run
/// # async fn run(client: amazon_music_web_api::AmazonMusicClient) {
/// use amazon_music_web_api::ResumePoint;
///
/// let mut history = client.track_history(None, ResumePoint::start());
/// while let Some(edge) = history.next().await {
///     match edge {
///         Ok(edge) => println!("{} {}", edge.played_at, edge.node.id),
///         Err(error) => {
///             eprintln!("{error}");
///             // Keep this to carry on later: `client.track_history(None, resume)`.
///             let resume = history.resume_point();
///             # let _ = resume;
///             break;
///         }
///     }
/// }
/// # }
/// ```
pub struct History<T> {
    walk: PageWalk<T, String, Error>,
}

impl<T: Unpin> History<T> {
    pub(crate) fn new(walk: PageWalk<T, String, Error>) -> Self {
        Self { walk }
    }

    /// The next edge, `None` once the history (or the walk, after an error) is over.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut self.walk).poll_next(cx)).await
    }

    /// Where a new walk must start to yield exactly the edges this one has not yielded yet:
    /// the cursor of the current page and how many of its edges were yielded. `None` once
    /// the whole history has been yielded.
    pub fn resume_point(&self) -> Option<ResumePoint<String>> {
        self.walk.resume_point()
    }
}

impl<T: Unpin> Stream for History<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.get_mut().walk).poll_next(cx)
    }
}

impl<T> fmt::Debug for History<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("History").field(&self.walk).finish()
    }
}

/// The edges and the next cursor of a tracks page.
pub(crate) fn track_page(
    response: types::RecentlyPlayedTracksResponse,
) -> Result<Page<types::TrackPlaybackEdge, String>, Error> {
    match response.data.user.and_then(|u| u.recent_track_playback) {
        Some(connection) => Ok(Page {
            next: next_cursor(connection.page_info)?,
            items: connection.edges,
        }),
        None => Ok(Page {
            items: Vec::new(),
            next: None,
        }),
    }
}

/// The edges and the next cursor of an entities page.
pub(crate) fn entity_page(
    response: types::RecentlyPlayedEntitiesResponse,
) -> Result<Page<types::EntityPlaybackEdge, String>, Error> {
    match response.data.user.and_then(|u| u.recent_entities_playback) {
        Some(connection) => Ok(Page {
            next: next_cursor(connection.page_info)?,
            items: connection.edges,
        }),
        None => Ok(Page {
            items: Vec::new(),
            next: None,
        }),
    }
}

/// `hasNextPage` decides; a next page without a token to reach it is a malformed response.
fn next_cursor(page_info: types::PageInfo) -> Result<Option<String>, Error> {
    match (page_info.has_next_page, page_info.token) {
        (false, _) => Ok(None),
        (true, Some(token)) if !token.is_empty() => Ok(Some(token)),
        (true, _) => Err(Error::Undecodable {
            status: StatusCode::OK,
            source: serde::de::Error::custom(
                "`pageInfo.hasNextPage` is true but `pageInfo.token` is missing or empty, \
                 so the next page cannot be requested",
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(has_next_page: bool, token: Option<&str>) -> types::PageInfo {
        types::PageInfo {
            has_next_page,
            token: token.map(str::to_string),
        }
    }

    #[test]
    fn has_next_page_decides_and_a_next_page_needs_a_token() {
        assert_eq!(
            next_cursor(info(true, Some("t"))).unwrap(),
            Some("t".into())
        );
        assert_eq!(next_cursor(info(false, Some("t"))).unwrap(), None);
        assert_eq!(next_cursor(info(false, None)).unwrap(), None);
        for broken in [info(true, None), info(true, Some(""))] {
            let error = next_cursor(broken).unwrap_err();
            assert!(matches!(error, Error::Undecodable { status, .. } if status == StatusCode::OK));
            assert!(error.to_string().contains("hasNextPage"), "{error}");
        }
    }
}

//! The operations as [`Operation`]s over their queries, so that `fetch` and `history` are
//! one method each, whatever the operation: every query is an [`Operation`] (one request,
//! one answer), and the three history queries are also a [`Query`] (pages of edges to walk).

use client_support::Operation;
use client_support::generated_error::{GeneratedError, into_error};
use client_support::{InvalidParameter, Next, Outcome, Page};
use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use serde::de::Error as _;

use crate::client::AmazonMusicClient;
use crate::query::{
    EntitiesLimit, EntityTypes, MyEntitiesQuery, ResumePoint, TrackQuery, TracksLimit, TracksQuery,
    UserEntitiesQuery,
};
use crate::{Error, types};

/// A query of one of the history operations: [`TracksQuery`], [`MyEntitiesQuery`] or
/// [`UserEntitiesQuery`]. Beside its page ([`Operation::Response`]), it says what a walk
/// yields ([`Query::Item`]), for [`history`](AmazonMusicClient::history). Implemented only
/// by this crate's queries.
pub trait Query: Operation<AmazonMusicClient, Error = Error> + sealed::Sealed {
    /// What a walk yields: one edge of the history.
    type Item: Send + Unpin + 'static;

    /// A page's edges and what follows it.
    #[doc(hidden)]
    fn edges(response: Self::Response) -> Result<Page<Self::Item, ResumePoint>, Error>;

    /// Where a walk from this query starts.
    #[doc(hidden)]
    fn start(&self) -> &ResumePoint;

    /// The same query, at another page.
    #[doc(hidden)]
    fn at(&self, point: ResumePoint) -> Self;

    /// The most edges a page holds: the limit asked for, or the service's default.
    #[doc(hidden)]
    fn page_size(&self) -> usize;
}

mod sealed {
    /// Keeps the set of queries closed.
    pub trait Sealed {}
    impl Sealed for super::TracksQuery {}
    impl Sealed for super::MyEntitiesQuery {}
    impl Sealed for super::UserEntitiesQuery {}
    impl Sealed for super::TrackQuery {}
}

impl Operation<AmazonMusicClient> for TrackQuery {
    type Response = types::TrackResponse;
    type Error = Error;

    async fn send(&self, client: &AmazonMusicClient) -> Result<Self::Response, Error> {
        let sent = client
            .sender
            .authorized(|context| async move {
                client
                    .generated(context)
                    .get_track(self.id.generated(), self.media_type)
                    .await
            })
            .await?;
        answer(sent, client).await
    }
}

impl Operation<AmazonMusicClient> for TracksQuery {
    type Response = types::RecentlyPlayedTracksResponse;
    type Error = Error;

    async fn send(&self, client: &AmazonMusicClient) -> Result<Self::Response, Error> {
        let cursor = cursor(&self.from)?;
        let sent = client
            .sender
            .authorized(|context| {
                let cursor = cursor.as_ref();
                async move {
                    client
                        .generated(context)
                        .get_recently_played_tracks(
                            cursor,
                            self.limit.map(|limit| limit.nonzero().into()),
                        )
                        .await
                }
            })
            .await?;
        answer(sent, client).await
    }
}

impl Query for TracksQuery {
    type Item = types::TrackPlaybackEdge;

    fn edges(response: Self::Response) -> Result<Page<Self::Item, ResumePoint>, Error> {
        match response.data.user.and_then(|u| u.recent_track_playback) {
            Some(connection) => Ok(Page {
                next: next_page(connection.page_info)?,
                items: connection.edges.into_iter().enumerate().collect(),
            }),
            None => Ok(last_empty_page()),
        }
    }

    fn start(&self) -> &ResumePoint {
        &self.from
    }

    fn at(&self, point: ResumePoint) -> Self {
        self.clone().resume_from(point)
    }

    fn page_size(&self) -> usize {
        self.limit.unwrap_or(TracksLimit::MAX).get() as usize
    }
}

impl Operation<AmazonMusicClient> for MyEntitiesQuery {
    type Response = types::RecentlyPlayedEntitiesResponse;
    type Error = Error;

    async fn send(&self, client: &AmazonMusicClient) -> Result<Self::Response, Error> {
        let (cursor, kinds) = (cursor(&self.from)?, kinds(&self.entity_types));
        let sent = client
            .sender
            .authorized(|context| {
                let (cursor, kinds) = (cursor.as_ref(), kinds.as_ref());
                async move {
                    client
                        .generated(context)
                        .get_my_recently_played_entities(
                            cursor,
                            kinds,
                            self.limit.map(|limit| limit.nonzero().into()),
                        )
                        .await
                }
            })
            .await?;
        answer(sent, client).await
    }
}

impl Query for MyEntitiesQuery {
    type Item = types::EntityPlaybackEdge;

    fn edges(response: Self::Response) -> Result<Page<Self::Item, ResumePoint>, Error> {
        entity_edges(response)
    }

    fn start(&self) -> &ResumePoint {
        &self.from
    }

    fn at(&self, point: ResumePoint) -> Self {
        self.clone().resume_from(point)
    }

    fn page_size(&self) -> usize {
        self.limit.unwrap_or(EntitiesLimit::MAX).get() as usize
    }
}

impl Operation<AmazonMusicClient> for UserEntitiesQuery {
    type Response = types::RecentlyPlayedEntitiesResponse;
    type Error = Error;

    async fn send(&self, client: &AmazonMusicClient) -> Result<Self::Response, Error> {
        let (cursor, kinds) = (cursor(&self.from)?, kinds(&self.entity_types));
        let sent = client
            .sender
            .authorized(|context| {
                let (cursor, kinds) = (cursor.as_ref(), kinds.as_ref());
                async move {
                    client
                        .generated(context)
                        .get_user_recently_played_entities(
                            self.user.generated(),
                            cursor,
                            kinds,
                            self.limit.map(|limit| limit.nonzero().into()),
                        )
                        .await
                }
            })
            .await?;
        answer(sent, client).await
    }
}

impl Query for UserEntitiesQuery {
    type Item = types::EntityPlaybackEdge;

    fn edges(response: Self::Response) -> Result<Page<Self::Item, ResumePoint>, Error> {
        entity_edges(response)
    }

    fn start(&self) -> &ResumePoint {
        &self.from
    }

    fn at(&self, point: ResumePoint) -> Self {
        self.clone().resume_from(point)
    }

    fn page_size(&self) -> usize {
        self.limit.unwrap_or(EntitiesLimit::MAX).get() as usize
    }
}

/// The cursor as the generated operation takes it: the spec says a cursor is never empty
/// (`minLength: 1`), so an empty one is refused here, before any request exists.
fn cursor<T: TryFrom<String>>(from: &ResumePoint) -> Result<Option<T>, Error> {
    from.cursor
        .clone()
        .map(|cursor| {
            T::try_from(cursor).map_err(|_| {
                Error::InvalidParameter(InvalidParameter {
                    parameter: "cursor",
                    value: String::new(),
                    reason: "is empty: leave the cursor out to ask for the first page",
                })
            })
        })
        .transpose()
}

/// What a generated operation returned, as the page or this crate's [`Error`].
async fn answer<T>(
    sent: Result<ResponseValue<T>, GeneratedError>,
    client: &AmazonMusicClient,
) -> Result<T, Error> {
    match sent {
        Ok(response) => Ok(response.into_inner()),
        Err(error) => Err(into_error(error, &client.sender).await),
    }
}

/// `entityTypes` as the generated operation takes it: `None` for "every kind".
fn kinds(entity_types: &EntityTypes) -> Option<Vec<types::EntityType>> {
    (!entity_types.is_empty()).then(|| entity_types.iter().collect())
}

fn entity_edges(
    response: types::RecentlyPlayedEntitiesResponse,
) -> Result<Page<types::EntityPlaybackEdge, ResumePoint>, Error> {
    match response.data.user.and_then(|u| u.recent_entities_playback) {
        Some(connection) => Ok(Page {
            next: next_page(connection.page_info)?,
            items: connection.edges.into_iter().enumerate().collect(),
        }),
        None => Ok(last_empty_page()),
    }
}

/// A response without the history object (no `user`, or no connection in it) is an empty,
/// last page.
fn last_empty_page<I>() -> Page<I, ResumePoint> {
    Page {
        items: Vec::new(),
        next: Next::End(Outcome::Complete),
    }
}

/// `hasNextPage` decides; a next page without a token to reach it is a malformed response.
fn next_page(page_info: types::PageInfo) -> Result<Next<ResumePoint>, Error> {
    match (page_info.has_next_page, page_info.token) {
        (false, _) => Ok(Next::End(Outcome::Complete)),
        (true, Some(token)) if !token.is_empty() => Ok(Next::Page(ResumePoint::at(token))),
        (true, _) => Err(Error::Undecodable {
            status: StatusCode::OK,
            source: serde_json::Error::custom(
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
            next_page(info(true, Some("t"))).unwrap(),
            Next::Page(ResumePoint::at("t".into()))
        );
        assert_eq!(
            next_page(info(false, Some("t"))).unwrap(),
            Next::End(Outcome::Complete)
        );
        assert_eq!(
            next_page(info(false, None)).unwrap(),
            Next::End(Outcome::Complete)
        );
        for broken in [info(true, None), info(true, Some(""))] {
            let error = next_page(broken).unwrap_err();
            assert!(matches!(error, Error::Undecodable { status, .. } if status == StatusCode::OK));
            assert!(error.to_string().contains("hasNextPage"), "{error}");
        }
    }

    #[test]
    fn an_empty_cursor_is_refused_and_any_other_is_passed_on() {
        let empty = cursor::<types::GetRecentlyPlayedTracksCursor>(&ResumePoint::at(String::new()));
        assert!(
            matches!(&empty, Err(Error::InvalidParameter(e)) if e.parameter == "cursor"),
            "{empty:?}"
        );
        let given = cursor::<types::GetRecentlyPlayedTracksCursor>(&ResumePoint::at("t1".into()));
        assert_eq!(given.unwrap().as_deref().map(|c| c.as_str()), Some("t1"));
        let none = cursor::<types::GetRecentlyPlayedTracksCursor>(&ResumePoint::start());
        assert!(none.unwrap().is_none());
    }

    #[test]
    fn an_empty_set_of_kinds_is_left_out() {
        use types::EntityType;
        assert_eq!(kinds(&EntityTypes::new()), None);
        assert_eq!(
            kinds(&EntityTypes::from([EntityType::User, EntityType::Album])),
            Some(vec![EntityType::Album, EntityType::User])
        );
    }
}

//! The parameters of each operation, typed so that a request outside the documented bounds
//! cannot be built.

use std::collections::BTreeSet;
use std::fmt;

use client_support::Limit;

use crate::path_id::{TrackId, UserId};
use crate::types::{EntityType, MediaType};

/// `limit` of the recently played tracks: 1 to 60 tracks per page (the service's default,
/// when it is left out, is 60).
///
/// ```
/// use amazon_music_web_api::TracksLimit;
///
/// assert_eq!(TracksLimit::new(60)?.get(), 60);
/// assert!(TracksLimit::new(61).is_err());
/// assert!(TracksLimit::new(0).is_err());
/// # Ok::<(), amazon_music_web_api::LimitOutOfRange>(())
/// ```
pub type TracksLimit = Limit<1, 60>;

/// `limit` of the recently played entities: 1 to 100 entities per page (the service's
/// default, when it is left out, is 100).
///
/// ```
/// use amazon_music_web_api::EntitiesLimit;
///
/// assert_eq!(EntitiesLimit::MAX.get(), 100);
/// assert!(EntitiesLimit::new(101).is_err());
/// ```
pub type EntitiesLimit = Limit<1, 100>;

/// Where a walk starts or resumes: a page's cursor (`None` for the newest page) and how
/// many of that page's edges were already yielded. A [`History`](crate::History)'s
/// `resume_point()` is one; pass it to a query's `resume_from`.
///
/// ```
/// use amazon_music_web_api::{ResumePoint, TracksQuery};
///
/// let query = TracksQuery::new().resume_from(ResumePoint { cursor: Some("t2".into()), skip: 3 });
/// assert_eq!(query.from.cursor.as_deref(), Some("t2"));
/// ```
pub type ResumePoint = client_support::ResumePoint<String>;

/// The query of `GET /player/recentlyPlayed`: the current user's recently played tracks
/// (scope `music::history`), for [`fetch`](crate::AmazonMusicClient::fetch) or
/// [`history`](crate::AmazonMusicClient::history).
///
/// ```
/// use amazon_music_web_api::{TracksLimit, TracksQuery};
///
/// let query = TracksQuery::new().limit(TracksLimit::new(20)?).cursor("1629502893999:3ae8");
/// assert_eq!(query.limit.map(|l| l.get()), Some(20));
/// # Ok::<(), amazon_music_web_api::LimitOutOfRange>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TracksQuery {
    /// Tracks per page; `None` leaves `limit` out (the service then sends up to 60).
    pub limit: Option<TracksLimit>,
    /// The page to ask for (`cursor`), and for a walk how many of its edges to skip.
    pub from: ResumePoint,
}

impl TracksQuery {
    /// The newest page, at the service's default size.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the page size.
    pub fn limit(mut self, limit: TracksLimit) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Continues from a previous page's `pageInfo.token`.
    pub fn cursor(mut self, cursor: impl Into<String>) -> Self {
        self.from = ResumePoint::at(cursor.into());
        self
    }

    /// Starts where a previous walk stopped: its `resume_point()`.
    pub fn resume_from(mut self, point: ResumePoint) -> Self {
        self.from = point;
        self
    }
}

/// The kinds of entity to ask for: a set, so each kind is sent once and in a fixed order.
///
/// The empty set (the default) asks for every kind: `entityTypes` is then left out of the
/// request. A non-empty set is sent as **one** comma-separated value in the enum's order,
/// `entityTypes=Album,Track`, as the spec declares (`style: form`, `explode: false`); the
/// generated code would repeat the key, so the client's request hook joins the values.
///
/// ```
/// use amazon_music_web_api::EntityTypes;
/// use amazon_music_web_api::types::EntityType;
///
/// let kinds = EntityTypes::from([EntityType::Track, EntityType::Album, EntityType::Track]);
/// assert_eq!(kinds.to_string(), "Album,Track");
/// assert_eq!(kinds.len(), 2);
/// assert!(EntityTypes::new().is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct EntityTypes(BTreeSet<EntityType>);

impl EntityTypes {
    /// No restriction: every kind.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a kind; `false` if it was already there.
    pub fn insert(&mut self, kind: EntityType) -> bool {
        self.0.insert(kind)
    }

    /// With `kind` added.
    pub fn with(mut self, kind: EntityType) -> Self {
        self.0.insert(kind);
        self
    }

    /// Whether `kind` is asked for explicitly.
    pub fn contains(&self, kind: EntityType) -> bool {
        self.0.contains(&kind)
    }

    /// How many kinds are asked for explicitly.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no kind is named, meaning every kind.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The kinds, in the order they are sent.
    pub fn iter(&self) -> impl Iterator<Item = EntityType> + '_ {
        self.0.iter().copied()
    }
}

impl fmt::Display for EntityTypes {
    /// The value of `entityTypes` as sent: the kinds joined by commas.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, kind) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            kind.fmt(f)?;
        }
        Ok(())
    }
}

impl From<EntityType> for EntityTypes {
    fn from(kind: EntityType) -> Self {
        Self::new().with(kind)
    }
}

impl<const N: usize> From<[EntityType; N]> for EntityTypes {
    fn from(kinds: [EntityType; N]) -> Self {
        kinds.into_iter().collect()
    }
}

impl FromIterator<EntityType> for EntityTypes {
    fn from_iter<T: IntoIterator<Item = EntityType>>(iter: T) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl Extend<EntityType> for EntityTypes {
    fn extend<T: IntoIterator<Item = EntityType>>(&mut self, iter: T) {
        self.0.extend(iter);
    }
}

/// The query of `GET /me/recentlyPlayedEntities`: the entities the current user played
/// recently (scope `music::history`), for [`fetch`](crate::AmazonMusicClient::fetch) or
/// [`history`](crate::AmazonMusicClient::history).
///
/// ```
/// use amazon_music_web_api::{EntitiesLimit, MyEntitiesQuery};
/// use amazon_music_web_api::types::EntityType;
///
/// let query = MyEntitiesQuery::new()
///     .entity_types([EntityType::Album, EntityType::Playlist])
///     .limit(EntitiesLimit::MAX);
/// assert_eq!(query.entity_types.to_string(), "Album,Playlist");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct MyEntitiesQuery {
    /// The kinds to return; empty for every kind (`entityTypes` is then left out).
    pub entity_types: EntityTypes,
    /// Entities per page; `None` leaves `limit` out (the service then sends up to 100).
    pub limit: Option<EntitiesLimit>,
    /// The page to ask for (`cursor`), and for a walk how many of its edges to skip.
    pub from: ResumePoint,
}

/// The query of `GET /users/{id}/recentlyPlayedEntities`: the entities another user played
/// recently (scope `music::catalog`), for [`fetch`](crate::AmazonMusicClient::fetch) or
/// [`history`](crate::AmazonMusicClient::history).
///
/// ```
/// use amazon_music_web_api::{UserEntitiesQuery, UserId};
///
/// let query = UserEntitiesQuery::new(UserId::new("k35wo4lm34masdsadevrs7a")?);
/// assert_eq!(query.user.as_str(), "k35wo4lm34masdsadevrs7a");
/// # Ok::<(), amazon_music_web_api::InvalidParameter>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UserEntitiesQuery {
    /// Whose history.
    pub user: UserId,
    /// The kinds to return; empty for every kind (`entityTypes` is then left out).
    pub entity_types: EntityTypes,
    /// Entities per page; `None` leaves `limit` out (the service then sends up to 100).
    pub limit: Option<EntitiesLimit>,
    /// The page to ask for (`cursor`), and for a walk how many of its edges to skip.
    pub from: ResumePoint,
}

impl MyEntitiesQuery {
    /// Every kind, the newest page, at the service's default size.
    pub fn new() -> Self {
        Self::default()
    }
}

impl UserEntitiesQuery {
    /// Every kind `user` played, the newest page, at the service's default size.
    pub fn new(user: UserId) -> Self {
        Self {
            user,
            entity_types: EntityTypes::new(),
            limit: None,
            from: ResumePoint::start(),
        }
    }
}

macro_rules! entities_query_setters {
    ($($query:ident),*) => {$(
        impl $query {
            /// Restricts the kinds returned.
            pub fn entity_types(mut self, kinds: impl Into<EntityTypes>) -> Self {
                self.entity_types = kinds.into();
                self
            }

            /// Sets the page size.
            pub fn limit(mut self, limit: EntitiesLimit) -> Self {
                self.limit = Some(limit);
                self
            }

            /// Continues from a previous page's `pageInfo.token`.
            pub fn cursor(mut self, cursor: impl Into<String>) -> Self {
                self.from = ResumePoint::at(cursor.into());
                self
            }

            /// Starts where a previous walk stopped: its `resume_point()`.
            pub fn resume_from(mut self, point: ResumePoint) -> Self {
                self.from = point;
                self
            }
        }
    )*};
}

entities_query_setters!(MyEntitiesQuery, UserEntitiesQuery);

/// The query of `GET /tracks/{id}`: one track of the Amazon Music catalog (scope
/// `music::catalog`), for [`fetch`](crate::AmazonMusicClient::fetch), or by its ID alone
/// with [`track`](crate::AmazonMusicClient::track). One request, one track: no pages.
///
/// ```
/// use amazon_music_web_api::{TrackId, TrackQuery};
/// use amazon_music_web_api::types::MediaType;
///
/// let query = TrackQuery::new(TrackId::new("B076YT2CBT")?).media_type(MediaType::Audio);
/// assert_eq!((query.id.as_str(), query.media_type), ("B076YT2CBT", Some(MediaType::Audio)));
/// # Ok::<(), amazon_music_web_api::InvalidParameter>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TrackQuery {
    /// Which track.
    pub id: TrackId,
    /// `AUDIO` or `VIDEO`; `None` leaves `mediaType` out (the service then chooses).
    pub media_type: Option<MediaType>,
}

impl TrackQuery {
    /// The track `id`, whatever its media type.
    pub fn new(id: TrackId) -> Self {
        Self {
            id,
            media_type: None,
        }
    }

    /// Asks for the track as `AUDIO` or `VIDEO`.
    pub fn media_type(mut self, media_type: MediaType) -> Self {
        self.media_type = Some(media_type);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_is_the_page_a_tracks_query_asks_for() {
        let query = TracksQuery::new().cursor("page-2");
        assert_eq!(query.from.cursor.as_deref(), Some("page-2"));
        assert_eq!(query.from.skip, 0);
    }

    #[test]
    fn entity_types_contain_exactly_the_kinds_added() {
        let kinds = EntityTypes::new()
            .with(EntityType::Track)
            .with(EntityType::Album);
        assert!(kinds.contains(EntityType::Track) && kinds.contains(EntityType::Album));
        assert!(!kinds.contains(EntityType::Playlist));
        assert!(!EntityTypes::new().contains(EntityType::Track));
        let mut extended = EntityTypes::new();
        extended.extend([EntityType::Track, EntityType::Album]);
        assert_eq!(extended, kinds);
        // As `entityTypes` is sent: one comma-separated value.
        assert_eq!(kinds.to_string(), "Album,Track");
    }
}

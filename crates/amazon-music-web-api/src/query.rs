//! The parameters of each operation, typed so that a request outside the documented bounds
//! cannot be built.

use std::collections::BTreeSet;
use std::fmt;
use std::num::NonZeroU64;

use client_support::Limit;

use crate::types::EntityType;

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

/// The query of [`recently_played_tracks`](crate::AmazonMusicClient::recently_played_tracks).
///
/// ```
/// use amazon_music_web_api::{TracksLimit, TracksQuery};
///
/// let query = TracksQuery::new().limit(TracksLimit::new(20)?).cursor("1629502893999:3ae8");
/// assert_eq!(query.limit.map(|l| l.get()), Some(20));
/// # Ok::<(), amazon_music_web_api::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TracksQuery {
    /// Tracks per page; `None` leaves `limit` out (the service then sends up to 60).
    pub limit: Option<TracksLimit>,
    /// A previous page's `pageInfo.token`; `None` asks for the newest page.
    pub cursor: Option<String>,
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
        self.cursor = Some(cursor.into());
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

    /// What the generated operation takes: `None` for "every kind".
    pub(crate) fn to_parameter(&self) -> Option<Vec<EntityType>> {
        (!self.is_empty()).then(|| self.iter().collect())
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

/// The query of [`my_recently_played_entities`](crate::AmazonMusicClient::my_recently_played_entities)
/// and [`user_recently_played_entities`](crate::AmazonMusicClient::user_recently_played_entities).
///
/// ```
/// use amazon_music_web_api::{EntitiesLimit, EntitiesQuery};
/// use amazon_music_web_api::types::EntityType;
///
/// let query = EntitiesQuery::new()
///     .entity_types([EntityType::Album, EntityType::Playlist])
///     .limit(EntitiesLimit::MAX);
/// assert_eq!(query.entity_types.to_string(), "Album,Playlist");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct EntitiesQuery {
    /// The kinds to return; empty for every kind.
    pub entity_types: EntityTypes,
    /// Entities per page; `None` leaves `limit` out (the service then sends up to 100).
    pub limit: Option<EntitiesLimit>,
    /// A previous page's `pageInfo.token`; `None` asks for the newest page.
    pub cursor: Option<String>,
}

impl EntitiesQuery {
    /// Every kind, the newest page, at the service's default size.
    pub fn new() -> Self {
        Self::default()
    }

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
        self.cursor = Some(cursor.into());
        self
    }
}

/// A limit as the generated operation takes it. Every limit type here starts at 1, so the
/// conversion never drops one.
pub(crate) fn nonzero<const MIN: u32, const MAX: u32>(
    limit: Option<Limit<MIN, MAX>>,
) -> Option<NonZeroU64> {
    limit.and_then(|limit| NonZeroU64::new(u64::from(limit.get())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_limit_in_bounds_reaches_the_generated_operation_unchanged() {
        for n in 1..=60 {
            let limit = TracksLimit::new(n).unwrap();
            assert_eq!(
                nonzero(Some(limit)).map(NonZeroU64::get),
                Some(u64::from(n))
            );
        }
        for n in 1..=100 {
            let limit = EntitiesLimit::new(n).unwrap();
            assert_eq!(
                nonzero(Some(limit)).map(NonZeroU64::get),
                Some(u64::from(n))
            );
        }
        assert_eq!(nonzero::<1, 60>(None), None);
    }

    #[test]
    fn an_empty_set_of_kinds_is_left_out() {
        assert_eq!(EntityTypes::new().to_parameter(), None);
        assert_eq!(
            EntityTypes::from([EntityType::User, EntityType::Album]).to_parameter(),
            Some(vec![EntityType::Album, EntityType::User])
        );
    }
}

//! Path parameters that must arrive as exactly one path segment, equal to themselves: the
//! user of `/users/{id}/recentlyPlayedEntities` and the track of `/tracks/{id}`, checked by
//! [`one_segment`] (why each refusal, in `client_support::path_segment`).

use std::fmt;

use client_support::InvalidParameter;
use client_support::path_segment::one_segment;

use crate::types::{GetTrackId, GetUserRecentlyPlayedEntitiesId};

/// An Amazon Music user ID for `/users/{id}/recentlyPlayedEntities`, checked when made: it
/// arrives at the server as exactly one path segment equal to itself, whatever it contains
/// (`/`, `?`, `#`, `%`, spaces, any Unicode).
///
/// ```
/// use amazon_music_web_api::UserId;
///
/// let id = UserId::new("k35wo4lm34masdsadevrs7a")?;
/// assert_eq!(id.as_str(), "k35wo4lm34masdsadevrs7a");
/// assert!(UserId::new("..").is_err() && UserId::new("a\\b").is_err());
/// # Ok::<(), amazon_music_web_api::InvalidParameter>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UserId(GetUserRecentlyPlayedEntitiesId);

impl UserId {
    /// Checks `value`: refused when empty, `.`, `..`, or containing `\`.
    pub fn new(value: impl Into<String>) -> Result<Self, InvalidParameter> {
        one_segment("id", value.into(), "is not a valid Amazon Music user ID").map(Self)
    }

    /// The ID as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the generated operation takes.
    pub(crate) fn generated(&self) -> &GetUserRecentlyPlayedEntitiesId {
        &self.0
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An Amazon Music track ID for `/tracks/{id}` (the `node.id` of a history edge), checked
/// when made as a [`UserId`] is: it arrives at the server as exactly one path segment equal
/// to itself.
///
/// ```
/// use amazon_music_web_api::TrackId;
///
/// let id = TrackId::new("B076YT2CBT")?;
/// assert_eq!(id.as_str(), "B076YT2CBT");
/// assert!(TrackId::new("").is_err() && TrackId::new("..").is_err());
/// # Ok::<(), amazon_music_web_api::InvalidParameter>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TrackId(GetTrackId);

impl TrackId {
    /// Checks `value`: refused when empty, `.`, `..`, or containing `\`.
    pub fn new(value: impl Into<String>) -> Result<Self, InvalidParameter> {
        one_segment("id", value.into(), "is not a valid Amazon Music track ID").map(Self)
    }

    /// The ID as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the generated operation takes.
    pub(crate) fn generated(&self) -> &GetTrackId {
        &self.0
    }
}

impl fmt::Display for TrackId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_cannot_be_one_segment_are_refused() {
        for refused in ["", ".", "..", "\\", "a\\b", "..\\x"] {
            let error = UserId::new(refused).unwrap_err();
            assert_eq!((error.parameter, error.value.as_str()), ("id", refused));
            let error = TrackId::new(refused).unwrap_err();
            assert_eq!((error.parameter, error.value.as_str()), ("id", refused));
        }
        for accepted in ["k35wo4lm34masdsadevrs7a", "...", ".a", "a/b", "%2e%2e", " "] {
            assert_eq!(UserId::new(accepted).unwrap().as_str(), accepted);
            assert_eq!(TrackId::new(accepted).unwrap().as_str(), accepted);
        }
    }
}

//! Path parameters that must arrive as exactly one path segment, equal to themselves: the
//! user of `/users/{id}/recentlyPlayedEntities` and the track of `/tracks/{id}`.
//!
//! The generated code escapes a path parameter with `progenitor_client::encode_path`, which
//! percent-encodes controls, space, `"`, `#`, `<`, `>`, `?`, `` ` ``, `{`, `}`, `/`, `%` and
//! every non-ASCII byte, then hands the URL to a WHATWG URL parser. Everything else passes
//! through unescaped, and a URL parser still reinterprets two things:
//!
//! * a segment that is `.` or `..` (a dot segment) is removed, taking `..`'s parent with it;
//! * `\` separates segments in `http` and `https` URLs, like `/`.
//!
//! `encode_path` has already escaped `%`, so spellings such as `%2e%2e` arrive as themselves.
//! The remaining reserved characters (`;`, `=`, `&`, `@`, `:`, `+`, `|`, …) are left literal
//! and mean nothing special in a path segment, so the server decodes them as themselves.
//!
//! So an id is refused by [`UserId::new`] and [`TrackId::new`], before any request exists,
//! when it is empty, `.`, `..`, or contains `\`: none of these can be sent as one segment
//! equal to itself by the generated code, and no Amazon Music ID looks like them.

use std::fmt;

use client_support::InvalidParameter;

use crate::types::{GetTrackId, GetUserRecentlyPlayedEntitiesId};

/// `value` as the generated path parameter `T`, or why it cannot be one segment equal to
/// itself; `invalid` is the reason given when `T` itself refuses it.
fn one_segment<T: std::str::FromStr>(
    value: String,
    invalid: &'static str,
) -> Result<T, InvalidParameter> {
    let refuse = |reason| InvalidParameter {
        parameter: "id",
        value: value.clone(),
        reason,
    };
    match value.as_str() {
        "" => return Err(refuse("is empty")),
        "." | ".." => {
            return Err(refuse(
                "is a dot segment, which URL parsers remove from the path",
            ));
        }
        v if v.contains('\\') => {
            return Err(refuse(
                "contains `\\`, which URL parsers read as `/` in http(s) URLs",
            ));
        }
        _ => {}
    }
    value.parse().map_err(|_| refuse(invalid))
}

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
        one_segment(value.into(), "is not a valid Amazon Music user ID").map(Self)
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
        one_segment(value.into(), "is not a valid Amazon Music track ID").map(Self)
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

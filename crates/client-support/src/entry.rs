//! One item of a page, decoded on its own: a malformed item never costs the rest of the page.

use std::fmt;

use serde::de::{DeserializeOwned, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::scrub::Scrubber;

/// One item of a page: the typed item, or, when it does not decode as one, its raw JSON
/// and the reason.
///
/// The page types hold `Vec<Entry<item>>`, so one item a service sends malformed (a `null`
/// track, an ID that is a number) is kept as [`Entry::Malformed`] and every other item of
/// the page still decodes. A walk reports a malformed item as its own error and goes on.
///
/// Decoding captures the item's JSON text first (one scan, one copy) and decodes the item
/// from it; only a malformed item pays for keeping its text. Encoding writes the typed item,
/// or the malformed item's JSON exactly as it came.
///
/// ```
/// use client_support::Entry;
///
/// #[derive(Debug, PartialEq, serde::Deserialize, serde::Serialize)]
/// struct Play { id: String }
///
/// let page: Vec<Entry<Play>> = serde_json::from_str(r#"[{"id": "a"}, {"id": 7}, {"id": "c"}]"#)?;
/// let ids: Vec<_> = page.iter().filter_map(Entry::item).map(|p| p.id.as_str()).collect();
/// assert_eq!(ids, ["a", "c"]);
/// let bad = page[1].malformed().unwrap();
/// assert_eq!(bad.raw().get(), r#"{"id": 7}"#);
/// assert!(bad.reason().starts_with("invalid type: integer `7`"), "{}", bad.reason());
/// assert_eq!(serde_json::to_string(&page)?, r#"[{"id":"a"},{"id": 7},{"id":"c"}]"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Entry<T> {
    /// An item that decoded as documented.
    Item(T),
    /// An item that did not.
    Malformed(Malformed),
}

/// An item that did not decode: its JSON as sent and why it did not decode.
///
/// ```
/// use client_support::{Entry, Malformed};
///
/// let entry: Entry<u32> = serde_json::from_str("\"seven\"")?;
/// let malformed: &Malformed = entry.malformed().unwrap();
/// assert_eq!(malformed.raw().get(), "\"seven\"");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Malformed {
    raw: Box<RawValue>,
    reason: String,
}

impl Malformed {
    /// A malformed item: its JSON and the decoder's complaint.
    ///
    /// ```
    /// use client_support::Malformed;
    ///
    /// let raw = serde_json::value::RawValue::from_string("null".into())?;
    /// let m = Malformed::new(raw, "invalid type: null, expected struct Play".into());
    /// assert_eq!(m.raw().get(), "null");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn new(raw: Box<RawValue>, reason: String) -> Self {
        Self { raw, reason }
    }

    /// The item's JSON, exactly as the service sent it.
    pub fn raw(&self) -> &RawValue {
        &self.raw
    }

    /// Why it did not decode: the decoder's message, one sentence (positions are within
    /// the item).
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The JSON and the reason, by value.
    pub fn into_parts(self) -> (Box<RawValue>, String) {
        (self.raw, self.reason)
    }

    /// The same item with every secret `scrubber` knows removed from its JSON and its
    /// reason (the decoder's message may quote a value): what a walk reports, since a
    /// server may echo a credential in an item. JSON that scrubbing leaves invalid is kept
    /// as one JSON string of the scrubbed text.
    ///
    /// ```
    /// use client_support::Malformed;
    /// use client_support::scrub::Scrubber;
    ///
    /// let raw = serde_json::value::RawValue::from_string(r#"{"at":"tok-123"}"#.into())?;
    /// let m = Malformed::new(raw, "invalid type: string \"tok-123\"".into());
    /// let scrubbed = m.scrubbed(&Scrubber::new().with("tok-123"));
    /// assert_eq!(scrubbed.raw().get(), r#"{"at":"<redacted>"}"#);
    /// assert_eq!(scrubbed.reason(), "invalid type: string \"<redacted>\"");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn scrubbed(self, scrubber: &Scrubber) -> Self {
        let text = scrubber.scrub(self.raw.get());
        let raw = if text == self.raw.get() {
            self.raw
        } else {
            RawValue::from_string(text.clone()).unwrap_or_else(|_| {
                let quoted = serde_json::to_string(&text).unwrap_or_else(|_| "null".into());
                RawValue::from_string(quoted).unwrap_or(self.raw)
            })
        };
        Self {
            raw,
            reason: scrubber.scrub(&self.reason),
        }
    }
}

impl PartialEq for Malformed {
    fn eq(&self, other: &Self) -> bool {
        self.raw.get() == other.raw.get() && self.reason == other.reason
    }
}

impl<T> Entry<T> {
    /// The item, if it decoded.
    pub fn item(&self) -> Option<&T> {
        match self {
            Self::Item(item) => Some(item),
            Self::Malformed(_) => None,
        }
    }

    /// The item by value, if it decoded.
    pub fn into_item(self) -> Option<T> {
        match self {
            Self::Item(item) => Some(item),
            Self::Malformed(_) => None,
        }
    }

    /// What is known of an item that did not decode.
    pub fn malformed(&self) -> Option<&Malformed> {
        match self {
            Self::Item(_) => None,
            Self::Malformed(malformed) => Some(malformed),
        }
    }

    /// The item, or what is known of it.
    pub fn into_result(self) -> Result<T, Malformed> {
        match self {
            Self::Item(item) => Ok(item),
            Self::Malformed(malformed) => Err(malformed),
        }
    }

    /// The entry with a reference to its item.
    pub fn as_ref(&self) -> Entry<&T> {
        match self {
            Self::Item(item) => Entry::Item(item),
            Self::Malformed(malformed) => Entry::Malformed(malformed.clone()),
        }
    }
}

impl<T> From<T> for Entry<T> {
    fn from(item: T) -> Self {
        Self::Item(item)
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Entry<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Only a JSON syntax error (which no item survives) fails here; anything the item
        // type refuses is kept with its reason.
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        Ok(match serde_json::from_str::<T>(raw.get()) {
            Ok(item) => Self::Item(item),
            Err(error) => Self::Malformed(Malformed {
                raw,
                reason: error.to_string(),
            }),
        })
    }
}

impl<T: Serialize> Serialize for Entry<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Item(item) => item.serialize(serializer),
            Self::Malformed(malformed) => malformed.raw.serialize(serializer),
        }
    }
}

/// An item of a page that did not decode, reported by a walk as it comes; the walk goes on
/// after it.
///
/// ```
/// use client_support::{Malformed, MalformedItem, Position};
///
/// #[derive(Debug)]
/// enum TimeWindow { Before(i64) }
///
/// let raw = serde_json::value::RawValue::from_string(r#"{"track":null}"#.into())?;
/// let item = MalformedItem {
///     page: Position::new(TimeWindow::Before(1_700_000_000_000)),
///     index: 1,
///     malformed: Malformed::new(raw, "invalid type: null, expected struct Track".into()),
/// };
/// assert_eq!(
///     item.to_string(),
///     "item 1 of the page at Before(1700000000000) does not decode (invalid type: null, \
///      expected struct Track); skipped, the walk goes on"
/// );
/// assert!(matches!(item.page.get(), Some(TimeWindow::Before(_))));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct MalformedItem {
    /// The page's position as the walk asked for it, of the client's own position type
    /// (a time window, a cursor with a skip).
    pub page: crate::paging::Position,
    /// The item's index in the page as the service sent it, from 0.
    pub index: usize,
    /// The item's JSON and why it did not decode.
    pub malformed: Malformed,
}

impl fmt::Display for MalformedItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "item {} of the page at {} does not decode ({}); skipped, the walk goes on",
            self.index, self.page, self.malformed.reason
        )
    }
}

impl std::error::Error for MalformedItem {}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    struct Play {
        id: String,
        at: u64,
    }

    #[test]
    fn each_item_decodes_on_its_own() {
        let page: Vec<Entry<Play>> = serde_json::from_str(
            r#"[{"id":"a","at":1}, null, {"id":"b"}, 5, {"id":9,"at":2}, {"id":"c","at":3}]"#,
        )
        .unwrap();
        let good: Vec<_> = page.iter().filter_map(Entry::item).collect();
        assert_eq!(good.len(), 2);
        assert_eq!((good[0].at, good[1].at), (1, 3));
        let bad: Vec<_> = page
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.malformed().map(|m| (i, m.raw().get().to_string())))
            .collect();
        assert_eq!(
            bad,
            [
                (1, "null".to_string()),
                (2, r#"{"id":"b"}"#.to_string()),
                (3, "5".to_string()),
                (4, r#"{"id":9,"at":2}"#.to_string())
            ]
        );
        assert!(
            page[2]
                .malformed()
                .unwrap()
                .reason()
                .contains("missing field `at`")
        );
    }

    #[test]
    fn malformed_items_are_equal_when_their_json_and_reason_are() {
        let malformed = |json: &str, reason: &str| {
            Malformed::new(RawValue::from_string(json.into()).unwrap(), reason.into())
        };
        assert_eq!(
            malformed("[1]", "not a play"),
            malformed("[1]", "not a play")
        );
        assert_ne!(
            malformed("[1]", "not a play"),
            malformed("[2]", "not a play")
        );
        assert_ne!(malformed("[1]", "not a play"), malformed("[1]", "no `at`"));
    }

    #[test]
    fn broken_json_still_fails_the_whole_document() {
        assert!(serde_json::from_str::<Vec<Entry<Play>>>(r#"[{"id":"a","at":1}, {"#).is_err());
    }

    #[test]
    fn encoding_gives_back_what_came() {
        let text = r#"[{"id":"a","at":1},{"id" : 9}]"#;
        let page: Vec<Entry<Play>> = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&page).unwrap(), text);
        let value = serde_json::to_value(&page).unwrap();
        assert_eq!(value[1]["id"], 9);
    }

    #[test]
    fn decoding_from_a_value_works_too() {
        let value = serde_json::json!([{"id": "a", "at": 1}, {"id": null}]);
        let page: Vec<Entry<Play>> = serde_json::from_value(value).unwrap();
        assert!(page[0].item().is_some());
        assert!(page[1].malformed().is_some());
    }
}

//! The open maps of strings on tracks, albums, artists and contexts: `external_urls` and
//! `external_ids`. Hand-written in place of the types the generator would make from the
//! spec's `ExternalUrls` and `ExternalIds` (the replacements are in `xtask/src/apis.rs`),
//! with the same fields, the same encoding and the same `Debug`.
//!
//! The spec types every value of these maps as a string, and so does every payload seen.
//! Decoded as the generator would (a struct with a flattened `BTreeMap<String, String>`),
//! one value of another type anywhere in one of them fails the play that holds it, although
//! nothing in the play depends on it. These types read the maps leniently instead: every
//! string is kept, and a value that is not a string is dropped, alone.
//!
//! Dropped rather than kept, because a value that is not a string is no URL and no ID: no
//! reader of these maps could use it, and keeping it would make every consumer handle a
//! `serde_json::Value` for a case never seen. Dropping it costs exactly that value; the play,
//! the map and every string in it are kept, and they encode back exactly as they came.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

/// External URL object: known external URLs of a track, album, artist or context, keyed by
/// service (`spotify`, the object's page on open.spotify.com). Local files carry an empty
/// object.
///
/// Decoding keeps every string and drops, alone, any value that is not one (see the module's
/// documentation), so one odd value never costs a play:
///
/// ```
/// use spotify_web_api::ExternalUrls;
///
/// let urls: ExternalUrls = serde_json::from_str(
///     r#"{"spotify": "https://open.spotify.com/track/2gNfxysfBRfl9Lvi9T3v6R",
///         "songkick": 42, "bandcamp": "https://example.bandcamp.com"}"#,
/// )?;
/// assert_eq!(urls.spotify.as_deref(), Some("https://open.spotify.com/track/2gNfxysfBRfl9Lvi9T3v6R"));
/// assert_eq!(urls.extra.len(), 1, "the number was dropped, the string kept");
/// assert_eq!(
///     serde_json::to_string(&urls)?,
///     r#"{"spotify":"https://open.spotify.com/track/2gNfxysfBRfl9Lvi9T3v6R","bandcamp":"https://example.bandcamp.com"}"#,
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ExternalUrls {
    /// The Spotify URL for the object.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spotify: Option<String>,
    /// Any other key the service sends, with its URL.
    #[serde(flatten)]
    pub extra: BTreeMap<String, String>,
}

/// External ID object: known external IDs of a track (`isrc`, `ean`, `upc`). A local file
/// carries an empty object; other keys may appear.
///
/// Decoded like [`ExternalUrls`]: every string kept, any other value dropped alone.
///
/// ```
/// use spotify_web_api::ExternalIds;
///
/// let ids: ExternalIds = serde_json::from_str(r#"{"isrc": "AUUM71500300", "upc": 602547}"#)?;
/// assert_eq!(ids.isrc.as_deref(), Some("AUUM71500300"));
/// assert_eq!(ids.upc, None, "a number is no UPC as the spec types it: dropped");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ExternalIds {
    /// International Article Number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ean: Option<String>,
    /// International Standard Recording Code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub isrc: Option<String>,
    /// Universal Product Code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upc: Option<String>,
    /// Any other key the service sends, with its ID.
    #[serde(flatten)]
    pub extra: BTreeMap<String, String>,
}

impl<'de> Deserialize<'de> for ExternalUrls {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut extra = strings(deserializer)?;
        Ok(Self {
            spotify: extra.remove("spotify"),
            extra,
        })
    }
}

impl<'de> Deserialize<'de> for ExternalIds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut extra = strings(deserializer)?;
        Ok(Self {
            ean: extra.remove("ean"),
            isrc: extra.remove("isrc"),
            upc: extra.remove("upc"),
            extra,
        })
    }
}

/// The string values of a JSON object, by key; values of any other type are skipped. Fails
/// only if the value is not an object.
fn strings<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    let entries = BTreeMap::<String, Text>::deserialize(deserializer)?;
    Ok(entries
        .into_iter()
        .filter_map(|(key, Text(value))| value.map(|value| (key, value)))
        .collect())
}

/// Any JSON value: its text if it is a string, else nothing.
struct Text(Option<String>);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Text, E> {
        Ok(Text(Some(value.to_owned())))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Text, E> {
        Ok(Text(Some(value)))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Text, E> {
        Ok(Text(None))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Text, E> {
        Ok(Text(None))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Text, E> {
        Ok(Text(None))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Text, E> {
        Ok(Text(None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
        Ok(Text(None))
    }

    fn visit_none<E: de::Error>(self) -> Result<Text, E> {
        Ok(Text(None))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Text, D::Error> {
        Text::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Text, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| Text(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Text, A::Error> {
        IgnoredAny.visit_map(map).map(|_| Text(None))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn strings_are_kept_and_every_other_value_is_dropped_alone() {
        let urls: ExternalUrls = serde_json::from_value(json!({
            "spotify": "https://open.spotify.com/album/1",
            "a": 1, "b": 1.5, "c": true, "d": null, "e": [1, "x"], "f": {"g": "h"}, "i": "j",
        }))
        .unwrap();
        assert_eq!(
            urls.spotify.as_deref(),
            Some("https://open.spotify.com/album/1")
        );
        assert_eq!(
            urls.extra,
            BTreeMap::from([("i".to_owned(), "j".to_owned())])
        );
    }

    #[test]
    fn a_known_key_of_another_type_reads_as_absent() {
        let urls: ExternalUrls = serde_json::from_value(json!({"spotify": 7})).unwrap();
        assert_eq!(urls, ExternalUrls::default());
        let ids: ExternalIds =
            serde_json::from_value(json!({"isrc": ["x"], "ean": null, "upc": "1"})).unwrap();
        assert_eq!(
            (ids.isrc, ids.ean, ids.upc.as_deref()),
            (None, None, Some("1"))
        );
    }

    #[test]
    fn a_value_that_is_not_an_object_is_still_refused() {
        for value in [json!(null), json!("x"), json!([]), json!(1)] {
            assert!(
                serde_json::from_value::<ExternalUrls>(value.clone()).is_err(),
                "{value}"
            );
            assert!(
                serde_json::from_value::<ExternalIds>(value.clone()).is_err(),
                "{value}"
            );
        }
    }

    #[test]
    fn strings_encode_back_as_they_came() {
        let value = json!({"isrc": "AUUM71500300", "ean": "5099", "upc": "6025", "other": "o"});
        let ids: ExternalIds = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(serde_json::to_value(&ids).unwrap(), value);
    }
}

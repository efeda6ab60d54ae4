//! A market a track or an album is available in: an ISO 3166-1 alpha-2 country code.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

/// A market, as the items of `available_markets` on [`types::Track`](crate::types::Track)
/// and [`types::SimplifiedAlbum`](crate::types::SimplifiedAlbum) hold it: an ISO 3166-1
/// alpha-2 country code such as `US`.
///
/// A code is two bytes in place, not a `String`: a catalogue track lists about 180 markets,
/// twice with its album, so a page of 50 plays holds some 18,000 of them. A value the service
/// sends that is not two ASCII capital letters still decodes, kept as its text
/// ([`Market::is_code`] tells them apart), so it can never fail a play.
///
/// Earlier versions of this crate held these lists as `Vec<String>`; code that needs the
/// text takes [`Market::as_str`] or `String::from(market)`, and a comparison with a `&str`
/// (`market == "US"`) works as it did.
///
/// It reads, prints, encodes and compares as its text:
///
/// ```
/// use spotify_web_api::Market;
///
/// let us: Market = "US".parse()?;
/// assert_eq!(us, "US");
/// assert_eq!(us.to_string(), "US");
/// assert_eq!(format!("{us:?}"), r#""US""#);
///
/// let markets: Vec<Market> = serde_json::from_str(r#"["CA", "MX", "XKX"]"#)?;
/// assert!(markets.contains(&"MX".parse()?));
/// assert!(!markets[2].is_code(), "an unexpected value is kept as it came");
/// assert_eq!(markets[2].as_str(), "XKX");
/// assert_eq!(serde_json::to_string(&markets)?, r#"["CA","MX","XKX"]"#);
///
/// assert!("usa".parse::<Market>().is_err(), "parsing asks for a code");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// On a decoded track:
///
/// ```
/// use spotify_web_api::types::Track;
///
/// let track: Track = serde_json::from_str(
///     r#"{"artists": [], "available_markets": ["DE", "FR"], "disc_number": 1,
///         "duration_ms": 1000, "explicit": false, "external_urls": {},
///         "name": "Song", "track_number": 1, "type": "track"}"#,
/// )?;
/// assert!(track.available_markets.iter().any(|m| m == "FR"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone)]
pub struct Market(Repr);

#[derive(Clone)]
enum Repr {
    /// Two ASCII capital letters.
    Code([u8; 2]),
    /// Anything else the service sent, as it came.
    Other(Box<str>),
}

impl Market {
    /// The market of a code: two ASCII capital letters, or `None`.
    ///
    /// ```
    /// use spotify_web_api::Market;
    ///
    /// assert_eq!(Market::code("JP").unwrap().as_str(), "JP");
    /// assert!(Market::code("jp").is_none());
    /// ```
    pub fn code(text: &str) -> Option<Self> {
        match *text.as_bytes() {
            [a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => {
                Some(Self(Repr::Code([a, b])))
            }
            _ => None,
        }
    }

    /// The market as the service sent it: a code when it is one, otherwise the text as it is.
    ///
    /// ```
    /// use spotify_web_api::Market;
    ///
    /// assert!(Market::from_text("GB").is_code());
    /// assert!(!Market::from_text("").is_code());
    /// ```
    pub fn from_text(text: &str) -> Self {
        Self::code(text).unwrap_or_else(|| Self(Repr::Other(text.into())))
    }

    /// Whether this is an ISO 3166-1 alpha-2 code (two ASCII capital letters), rather than
    /// an unexpected value kept as its text.
    pub fn is_code(&self) -> bool {
        matches!(self.0, Repr::Code(_))
    }

    /// The code, or the text of an unexpected value.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Two ASCII letters are always UTF-8.
            Repr::Code(code) => std::str::from_utf8(code).unwrap_or_default(),
            Repr::Other(text) => text,
        }
    }
}

/// Why a text is not a market code; see [`Market::from_str`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidMarket {
    text: String,
}

impl fmt::Display for InvalidMarket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a market: expected an ISO 3166-1 alpha-2 code, two capital letters",
            self.text
        )
    }
}

impl std::error::Error for InvalidMarket {}

impl FromStr for Market {
    type Err = InvalidMarket;

    /// Parses a code; use [`Market::from_text`] to keep any other value.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::code(text).ok_or_else(|| InvalidMarket { text: text.into() })
    }
}

impl fmt::Display for Market {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// As its text's (`"US"`), as a `String` printed before.
impl fmt::Debug for Market {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for Market {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Market {}

impl PartialEq<str> for Market {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Market {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialOrd for Market {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Market {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Market {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl AsRef<str> for Market {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Market {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<Market> for String {
    fn from(market: Market) -> Self {
        match market.0 {
            Repr::Code(_) => market.as_str().to_owned(),
            Repr::Other(text) => text.into(),
        }
    }
}

impl Serialize for Market {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Market {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MarketVisitor;

        impl Visitor<'_> for MarketVisitor {
            type Value = Market;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a market code")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Market, E> {
                Ok(Market::from_text(text))
            }
        }

        deserializer.deserialize_str(MarketVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_as_small_as_a_string_handle() {
        assert!(size_of::<Market>() <= size_of::<String>());
    }

    #[test]
    fn codes_and_other_values_round_trip() {
        let text = r#"["US","GB","","us","XKX","Ü1","\u0041\u0042"]"#;
        let markets: Vec<Market> = serde_json::from_str(text).unwrap();
        let codes: Vec<bool> = markets.iter().map(Market::is_code).collect();
        assert_eq!(codes, [true, true, false, false, false, false, true]);
        assert_eq!(
            serde_json::to_string(&markets).unwrap(),
            r#"["US","GB","","us","XKX","Ü1","AB"]"#
        );
        let from_value: Vec<Market> =
            serde_json::from_value(serde_json::json!(["FR", "x"])).unwrap();
        assert_eq!(from_value, ["FR", "x"].map(Market::from_text));
        let from_reader: Vec<Market> = serde_json::from_reader(&b"[\"FR\"]"[..]).unwrap();
        assert_eq!(from_reader[0], "FR");
    }

    #[test]
    fn a_value_that_is_not_a_string_does_not_decode() {
        assert!(serde_json::from_str::<Market>("7").is_err());
        assert!(serde_json::from_str::<Market>("null").is_err());
    }

    #[test]
    fn compares_and_hashes_as_its_text() {
        use std::collections::HashSet;
        let mut sorted = ["US", "AD", "ZZZ", "A"].map(Market::from_text).to_vec();
        sorted.sort();
        let texts: Vec<&str> = sorted.iter().map(Market::as_str).collect();
        assert_eq!(texts, ["A", "AD", "US", "ZZZ"]);
        let set: HashSet<Market> = sorted.into_iter().collect();
        assert!(set.contains("US"));
        assert!(set.contains("ZZZ"));
        assert_eq!(String::from(Market::from_text("ZZZ")), "ZZZ");
        assert_eq!(String::from(Market::from_text("NO")), "NO");
    }

    #[test]
    fn anything_but_a_string_is_refused_asking_for_a_market_code() {
        let error = serde_json::from_str::<Market>("46")
            .unwrap_err()
            .to_string();
        assert!(error.contains("expected a market code"), "{error}");
    }

    #[test]
    fn a_market_equals_its_own_text_and_no_other() {
        let se = Market::from_text("SE");
        assert_eq!(se, Market::from_text("SE"));
        assert_ne!(se, Market::from_text("FI"));
        assert!(se == *"SE" && se != *"FI");
        assert!(se == "SE" && se != "FI");
    }

    #[test]
    fn parsing_asks_for_a_code() {
        assert_eq!("SE".parse::<Market>().unwrap(), "SE");
        let error = "Sweden".parse::<Market>().unwrap_err();
        assert_eq!(
            error.to_string(),
            r#""Sweden" is not a market: expected an ISO 3166-1 alpha-2 code, two capital letters"#
        );
    }
}

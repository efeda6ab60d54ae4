//! An album's release date, typed: `"1981"`, `"1981-12"` or `"1981-12-15"` with its precision
//! becomes a [`ReleaseDate`] that formats back to the same string and compares in time order.

use std::cmp::Ordering;
use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::types::SimplifiedAlbum;

/// When an album was first released, to the precision Spotify knows it.
///
/// Spotify sends a release date as a string whose precision is given separately
/// (`release_date_precision`: `"year"`, `"month"` or `"day"`); [`SimplifiedAlbum::release`]
/// reads both into this. It [`Display`](fmt::Display)s as the string it was read from, and it
/// orders in time: a less precise date sorts before the more precise dates it contains
/// (`1981` < `1981-01` < `1981-01-01` < `1981-02`).
///
/// ```
/// use spotify_web_api::ReleaseDate;
///
/// let year = ReleaseDate::parse("1981", Some("year")).unwrap();
/// let month = ReleaseDate::parse("1981-12", Some("month")).unwrap();
/// let day = ReleaseDate::parse("1981-12-15", Some("day")).unwrap();
/// assert_eq!(year, ReleaseDate::Year(1981));
/// assert_eq!(month, ReleaseDate::Month { year: 1981, month: 12 });
/// assert_eq!(day.to_string(), "1981-12-15");
/// assert!(year < month && month < day);
/// assert_eq!(day.year(), 1981);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReleaseDate {
    /// Only the year is known (precision `"year"`, e.g. `"1981"`).
    Year(i32),
    /// The year and month are known (precision `"month"`, e.g. `"1981-12"`).
    Month {
        /// The year.
        year: i32,
        /// The month, 1 to 12.
        month: u32,
    },
    /// The day is known (precision `"day"`, e.g. `"1981-12-15"`).
    Day(NaiveDate),
}

impl ReleaseDate {
    /// Reads a release date and its precision as Spotify writes them, or `None` if they do not
    /// make a date.
    ///
    /// The date must have exactly the shape its precision names: four digits for `"year"`,
    /// `YYYY-MM` for `"month"`, `YYYY-MM-DD` for `"day"`, with a real month and calendar day.
    /// Without a precision, the shape of the date decides. An unknown precision, a shape that
    /// does not match, and the year `0000` (which Spotify writes when it does not know the
    /// year) give `None`. It never panics.
    ///
    /// ```
    /// use spotify_web_api::ReleaseDate;
    ///
    /// assert_eq!(ReleaseDate::parse("2015-07", None), Some(ReleaseDate::Month { year: 2015, month: 7 }));
    /// assert_eq!(ReleaseDate::parse("2015-07", Some("day")), None, "not the precision it claims");
    /// assert_eq!(ReleaseDate::parse("2015-02-30", Some("day")), None, "no such day");
    /// assert_eq!(ReleaseDate::parse("0000", Some("year")), None, "unknown year");
    /// ```
    pub fn parse(date: &str, precision: Option<&str>) -> Option<Self> {
        // Bytes, not `str` slices: no char boundary to get wrong, whatever the input.
        let shaped = match *date.as_bytes() {
            [y0, y1, y2, y3] => Self::Year(year([y0, y1, y2, y3])?),
            [y0, y1, y2, y3, b'-', m0, m1] => Self::Month {
                year: year([y0, y1, y2, y3])?,
                month: month([m0, m1])?,
            },
            [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] => Self::Day(NaiveDate::from_ymd_opt(
                year([y0, y1, y2, y3])?,
                month([m0, m1])?,
                two_digits([d0, d1])?,
            )?),
            _ => return None,
        };
        match (precision, &shaped) {
            (None, _)
            | (Some("year"), Self::Year(_))
            | (Some("month"), Self::Month { .. })
            | (Some("day"), Self::Day(_)) => Some(shaped),
            _ => None,
        }
    }

    /// The year.
    ///
    /// ```
    /// use spotify_web_api::ReleaseDate;
    ///
    /// assert_eq!(ReleaseDate::Month { year: 1981, month: 12 }.year(), 1981);
    /// ```
    pub fn year(&self) -> i32 {
        match *self {
            Self::Year(year) | Self::Month { year, .. } => year,
            Self::Day(date) => date.year(),
        }
    }

    /// The month (1 to 12), if known.
    pub fn month(&self) -> Option<u32> {
        match *self {
            Self::Year(_) => None,
            Self::Month { month, .. } => Some(month),
            Self::Day(date) => Some(date.month()),
        }
    }

    /// The day of the month (1 to 31), if known.
    pub fn day(&self) -> Option<u32> {
        match *self {
            Self::Day(date) => Some(date.day()),
            _ => None,
        }
    }

    /// The precision, as Spotify writes it: `"year"`, `"month"` or `"day"`.
    pub fn precision(&self) -> &'static str {
        match self {
            Self::Year(_) => "year",
            Self::Month { .. } => "month",
            Self::Day(_) => "day",
        }
    }

    /// The first day the date covers (1 January for a year, the 1st for a month), for
    /// arithmetic with other dates; `None` if the year or month is out of range.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use spotify_web_api::ReleaseDate;
    ///
    /// assert_eq!(ReleaseDate::Year(1981).first_day(), NaiveDate::from_ymd_opt(1981, 1, 1));
    /// ```
    pub fn first_day(&self) -> Option<NaiveDate> {
        match *self {
            Self::Year(year) => NaiveDate::from_ymd_opt(year, 1, 1),
            Self::Month { year, month } => NaiveDate::from_ymd_opt(year, month, 1),
            Self::Day(date) => Some(date),
        }
    }

    /// Year, month and day, with `0` for what is not known: the order of release dates.
    fn key(&self) -> (i32, u32, u32) {
        (
            self.year(),
            self.month().unwrap_or(0),
            self.day().unwrap_or(0),
        )
    }
}

impl Ord for ReleaseDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl PartialOrd for ReleaseDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// As Spotify writes it: `1981`, `1981-12`, `1981-12-15`.
impl fmt::Display for ReleaseDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Year(year) => write!(f, "{year:04}"),
            Self::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            Self::Day(date) => write!(
                f,
                "{:04}-{:02}-{:02}",
                date.year(),
                date.month(),
                date.day()
            ),
        }
    }
}

impl SimplifiedAlbum {
    /// The album's release date, typed, from `release_date` and `release_date_precision`.
    ///
    /// `None` when the album has no release date (a local file's album) or when the date is
    /// malformed (see [`ReleaseDate::parse`]).
    ///
    /// ```
    /// use spotify_web_api::ReleaseDate;
    /// use spotify_web_api::types::SimplifiedAlbum;
    ///
    /// let album: SimplifiedAlbum = serde_json::from_value(serde_json::json!({
    ///     "artists": [], "external_urls": {}, "images": [], "name": "Heaven Up Here",
    ///     "type": "album", "release_date": "1981", "release_date_precision": "year",
    /// }))?;
    /// let release = album.release().expect("a well-formed date");
    /// assert_eq!(release, ReleaseDate::Year(1981));
    /// assert_eq!(format!("{} ({release})", album.name), "Heaven Up Here (1981)");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn release(&self) -> Option<ReleaseDate> {
        ReleaseDate::parse(
            self.release_date.as_deref()?,
            self.release_date_precision.as_deref(),
        )
    }
}

/// Four ASCII digits, not `0000`.
fn year(digits: [u8; 4]) -> Option<i32> {
    let [high, low] = [[digits[0], digits[1]], [digits[2], digits[3]]].map(two_digits);
    let year = high? * 100 + low?;
    (year != 0).then_some(year as i32)
}

/// Two ASCII digits making 1 to 12.
fn month(digits: [u8; 2]) -> Option<u32> {
    two_digits(digits).filter(|month| (1..=12).contains(month))
}

/// Two ASCII digits.
fn two_digits(digits: [u8; 2]) -> Option<u32> {
    match digits {
        [tens @ b'0'..=b'9', units @ b'0'..=b'9'] => {
            Some(u32::from(tens - b'0') * 10 + u32::from(units - b'0'))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;

//! The query parameters of `get_listens`, read as the server reads them
//! (`listenbrainz/webserver/views/api_tools.py` lines 445-453, 469-477, 502-518).
//!
//! Flask's `request.args.get` takes the first of repeated keys, and Python's `int()` reads the
//! numbers: surrounding whitespace, a sign, `_` between digits and leading zeros are all
//! accepted (`" +1_000 "` is 1000); at most 4300 digits (CPython's limit on converting a
//! string; more is a `ValueError`). Unicode digits other than ASCII, which `int()` also
//! accepts, are refused here.

use crate::record::RecordedRequest;
use crate::server::{Rejection, reject};

/// `DEFAULT_ITEMS_PER_GET` (`api_tools.py` line 51).
const DEFAULT_COUNT: usize = 25;
/// `MAX_ITEMS_PER_GET` (`api_tools.py` line 48): larger counts are served as this.
pub(super) const MAX_COUNT: usize = 1000;

/// 0001-01-01T00:00:00Z, the first second Python's `datetime` can hold.
pub(super) const FIRST_SECOND: i64 = -62_135_596_800;
/// 9999-12-31T23:59:59Z, the last.
pub(super) const LAST_SECOND: i64 = 253_402_300_799;

/// Beyond these, CPython's `datetime.fromtimestamp` fails in glibc's `gmtime` (the year no
/// longer fits a C `int`) with an `OSError`, and beyond `i64` with an `OverflowError`, which
/// the server does not catch: `500` (the facts give `10**17` and `10**20`; the edges are
/// CPython 3 on glibc, measured for this simulation). Between them and the years 1 to 9999,
/// a `ValueError`: `400`.
const GMTIME_FIRST: i128 = -67_768_040_609_740_800;
const GMTIME_LAST: i128 = 67_768_036_191_676_799;

/// CPython's `sys.int_info.default_max_str_digits`.
const MAX_DIGITS: usize = 4300;

/// What a `get_listens` request asks for.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct ListensQuery {
    /// `min_ts`: listens after it (exclusive).
    pub(super) min_ts: Option<i64>,
    /// `max_ts`: listens before it (exclusive).
    pub(super) max_ts: Option<i64>,
    /// How many listens, at most [`MAX_COUNT`].
    pub(super) count: usize,
}

/// Reads `max_ts`, `min_ts` and `count`, in the server's order: the timestamps, their order,
/// then `count`.
pub(super) fn listens_query(request: &RecordedRequest) -> Result<ListensQuery, Rejection> {
    let max_ts = timestamp(request, "max_ts")?;
    let min_ts = timestamp(request, "min_ts")?;
    if let (Some(min), Some(max)) = (min_ts, max_ts)
        && max <= min
    {
        return Err(reject(400, "", "max_ts should be greater than min_ts"));
    }
    let count = match first(request, "count") {
        // `if value:`: an empty value is the default.
        None | Some("") => DEFAULT_COUNT as i128,
        Some(value) => python_int(value)
            .ok_or_else(|| reject(400, "", format!("Invalid count argument: {value}")))?,
    };
    if count < 0 {
        return Err(reject(
            400,
            "",
            "Number of items requested should be positive",
        ));
    }
    Ok(ListensQuery {
        min_ts,
        max_ts,
        count: count.min(MAX_COUNT as i128) as usize,
    })
}

/// `_parse_datetime_arg`: absent is `None`; anything present must be an integer naming a
/// second of the years 1 to 9999 (`400`), and one far beyond is an uncaught error (`500`).
fn timestamp(request: &RecordedRequest, key: &str) -> Result<Option<i64>, Rejection> {
    let Some(value) = first(request, key) else {
        return Ok(None);
    };
    let refused = || {
        reject(
            400,
            "",
            format!("Incorrect {key} timestamp argument: {value}"),
        )
    };
    let seconds = python_int(value).ok_or_else(refused)?;
    if !(GMTIME_FIRST..=GMTIME_LAST).contains(&seconds) {
        return Err(super::unknown_error());
    }
    if !(i128::from(FIRST_SECOND)..=i128::from(LAST_SECOND)).contains(&seconds) {
        return Err(refused());
    }
    Ok(Some(seconds as i64))
}

fn first<'a>(request: &'a RecordedRequest, key: &str) -> Option<&'a str> {
    request.query_values(key).first().copied()
}

/// Python's `int(text)` in base 10, saturated to `i128` (far beyond any bound here).
fn python_int(text: &str) -> Option<i128> {
    let text = text.trim_matches(|c: char| c.is_whitespace());
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let bytes = digits.as_bytes();
    let well_placed = |i: usize| {
        i > 0
            && i + 1 < bytes.len()
            && bytes[i - 1].is_ascii_digit()
            && bytes[i + 1].is_ascii_digit()
    };
    let mut value: i128 = 0;
    let mut count = 0;
    for (i, byte) in bytes.iter().enumerate() {
        match byte {
            b'0'..=b'9' => {
                count += 1;
                let digit = i128::from(byte - b'0');
                value = value.saturating_mul(10).saturating_add(digit);
            }
            b'_' if well_placed(i) => {}
            _ => return None,
        }
    }
    (count > 0 && count <= MAX_DIGITS).then_some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: &str) -> RecordedRequest {
        let url = url::Url::parse(&format!("http://127.0.0.1/1/user/rob/listens?{query}"))
            .expect("a URL");
        RecordedRequest {
            method: "GET".into(),
            path: url.path().into(),
            path_segments: Vec::new(),
            raw_query: url.query().map(str::to_owned),
            query: url
                .query_pairs()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    #[test]
    fn integers_are_read_as_python_reads_them() {
        for (text, value) in [
            ("7", Some(7)),
            (" +1_000 ", Some(1000)),
            ("-007", Some(-7)),
            ("1__0", None),
            ("_1", None),
            ("1_", None),
            ("", None),
            ("+", None),
            ("1.5", None),
            ("0x10", None),
            ("ten", None),
        ] {
            assert_eq!(python_int(text), value, "{text:?}");
        }
        assert_eq!(python_int(&"9".repeat(4300)), Some(i128::MAX));
        assert_eq!(python_int(&"9".repeat(4301)), None);
    }

    #[test]
    fn count_defaults_to_25_and_is_served_at_most_1000() {
        let count = |query: &str| listens_query(&request(query)).map(|q| q.count);
        assert_eq!(count("").unwrap(), 25);
        assert_eq!(count("count=").unwrap(), 25);
        assert_eq!(count("count=0").unwrap(), 0);
        assert_eq!(count("count=1001").unwrap(), 1000);
        assert_eq!(
            count("count=3&count=9").unwrap(),
            3,
            "the first of a repeated key"
        );
        let message = |query: &str| count(query).unwrap_err().message;
        assert_eq!(
            message("count=-1"),
            "Number of items requested should be positive"
        );
        assert_eq!(message("count=ten"), "Invalid count argument: ten");
    }

    #[test]
    fn timestamps_outside_the_years_1_to_9999_are_400_and_far_beyond_500() {
        let query = |query: &str| listens_query(&request(query));
        assert_eq!(query("min_ts=-5").unwrap().min_ts, Some(-5));
        assert_eq!(
            query("max_ts=253402300799").unwrap().max_ts,
            Some(LAST_SECOND)
        );
        for (text, status) in [
            ("253402300800", 400),
            ("1000000000000", 400),
            ("-62135596801", 400),
            ("67768036191676799", 400),
            ("67768036191676800", 500),
            ("100000000000000000", 500),
            ("-67768040609740801", 500),
            ("yesterday", 400),
            ("", 400),
        ] {
            let rejection = query(&format!("min_ts={text}")).unwrap_err();
            assert_eq!(rejection.status, status, "{text}");
        }
        assert_eq!(
            query("min_ts=yesterday").unwrap_err().message,
            "Incorrect min_ts timestamp argument: yesterday"
        );
        assert_eq!(
            query("min_ts=5&max_ts=5").unwrap_err().message,
            "max_ts should be greater than min_ts"
        );
        assert_eq!(
            query("min_ts=x&max_ts=y").unwrap_err().message,
            "Incorrect max_ts timestamp argument: y",
            "max_ts is read first"
        );
    }
}

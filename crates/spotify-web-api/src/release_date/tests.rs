use chrono::NaiveDate;
use proptest::prelude::*;

use super::ReleaseDate;
use crate::types::SimplifiedAlbum;

fn day(year: i32, month: u32, day: u32) -> ReleaseDate {
    ReleaseDate::Day(NaiveDate::from_ymd_opt(year, month, day).unwrap())
}

#[test]
fn each_precision_reads_its_shape_and_writes_it_back() {
    let cases = [
        ("1981", Some("year"), ReleaseDate::Year(1981)),
        (
            "1981-12",
            Some("month"),
            ReleaseDate::Month {
                year: 1981,
                month: 12,
            },
        ),
        ("1981-12-15", Some("day"), day(1981, 12, 15)),
        ("0001", None, ReleaseDate::Year(1)),
        ("2024-02-29", None, day(2024, 2, 29)),
        ("9999-12-31", Some("day"), day(9999, 12, 31)),
    ];
    for (text, precision, expected) in cases {
        let parsed = ReleaseDate::parse(text, precision);
        assert_eq!(parsed, Some(expected), "{text:?} {precision:?}");
        assert_eq!(expected.to_string(), text);
        assert_eq!(
            ReleaseDate::parse(text, Some(expected.precision())),
            Some(expected)
        );
    }
}

#[test]
fn odd_inputs_give_none() {
    let cases: &[(&str, Option<&str>)] = &[
        ("", None),
        ("", Some("year")),
        ("0000", Some("year")),
        ("0000-00-00", Some("day")),
        ("198", Some("year")),
        ("19811", None),
        ("+981", None),
        ("-981", None),
        (" 981", None),
        ("1981 ", None),
        ("1981-1", None),
        ("1981-00", None),
        ("1981-13", Some("month")),
        ("1981-1-15", None),
        ("1981-12-5", None),
        ("1981-02-29", Some("day")),
        ("1981-04-31", None),
        ("1981-12-00", None),
        ("1981/12/15", None),
        ("1981-12-15T00:00:00Z", None),
        ("１９８１", None),
        ("19é1", None),
        ("éé-12", None),
        ("1981-12", Some("year")),
        ("1981", Some("day")),
        ("1981-12-15", Some("month")),
        ("1981", Some("Year")),
        ("1981", Some("decade")),
        ("1981", Some("")),
    ];
    for &(text, precision) in cases {
        assert_eq!(
            ReleaseDate::parse(text, precision),
            None,
            "{text:?} {precision:?}"
        );
    }
}

#[test]
fn dates_order_in_time_and_less_precise_first() {
    let mut dates = [
        day(1982, 1, 1),
        ReleaseDate::Month {
            year: 1981,
            month: 2,
        },
        day(1981, 1, 1),
        ReleaseDate::Year(1981),
        ReleaseDate::Month {
            year: 1981,
            month: 1,
        },
        day(1980, 12, 31),
    ];
    dates.sort();
    let written: Vec<String> = dates.iter().map(ToString::to_string).collect();
    assert_eq!(
        written,
        [
            "1980-12-31",
            "1981",
            "1981-01",
            "1981-01-01",
            "1981-02",
            "1982-01-01"
        ]
    );
}

#[test]
fn an_album_reads_its_release_or_none() {
    let album = |date: Option<&str>, precision: Option<&str>| -> SimplifiedAlbum {
        serde_json::from_value(serde_json::json!({
            "artists": [],
            "external_urls": {},
            "images": [],
            "name": "Bootleg Tapes 1998",
            "type": "album",
            "release_date": date,
            "release_date_precision": precision,
        }))
        .unwrap()
    };
    assert_eq!(
        album(Some("1981-12"), Some("month")).release(),
        Some(ReleaseDate::Month {
            year: 1981,
            month: 12
        })
    );
    assert_eq!(album(None, None).release(), None, "a local file's album");
    assert_eq!(album(Some("1981-12"), Some("day")).release(), None);
    assert_eq!(
        album(Some("1981"), None).release(),
        Some(ReleaseDate::Year(1981))
    );
}

proptest! {
    #[test]
    fn any_string_and_precision_parse_without_panicking(
        text in "\\PC{0,12}",
        precision in proptest::option::of("year|month|day|\\PC{0,6}"),
    ) {
        if let Some(date) = ReleaseDate::parse(&text, precision.as_deref()) {
            prop_assert_eq!(date.to_string(), text);
        }
    }

    #[test]
    fn date_shaped_strings_parse_exactly_when_they_are_calendar_dates(
        year in 0i32..=9999,
        month in 0u32..=13,
        d in 0u32..=32,
    ) {
        let text = format!("{year:04}-{month:02}-{d:02}");
        let expected = NaiveDate::from_ymd_opt(year, month, d)
            .filter(|_| year != 0)
            .map(ReleaseDate::Day);
        prop_assert_eq!(ReleaseDate::parse(&text, Some("day")), expected);
        prop_assert_eq!(ReleaseDate::parse(&text, None), expected);
    }

    #[test]
    fn a_written_date_reads_back_as_itself_and_order_follows_first_days(
        a in (1i32..=9999, 0u32..=12, 1u32..=28),
        b in (1i32..=9999, 0u32..=12, 1u32..=28),
    ) {
        let make = |(year, month, d): (i32, u32, u32)| match (month, d % 2) {
            (0, _) => ReleaseDate::Year(year),
            (month, 0) => ReleaseDate::Month { year, month },
            (month, _) => ReleaseDate::Day(NaiveDate::from_ymd_opt(year, month, d).unwrap()),
        };
        let (a, b) = (make(a), make(b));
        prop_assert_eq!(ReleaseDate::parse(&a.to_string(), Some(a.precision())), Some(a));
        if a.first_day() < b.first_day() {
            prop_assert!(a < b);
        }
        prop_assert_eq!(a == b, a.cmp(&b).is_eq());
    }
}

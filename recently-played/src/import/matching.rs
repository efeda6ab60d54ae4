//! When a row of the export and a play a sync stored are the same listen.
//!
//! The export's `ts` is when a stream *ended*, to the second (the account data's
//! `endTime`, to the minute); the API's `played_at` is, by reports, sometimes when the play
//! started and sometimes when it ended (spotify/web-api #613, #1083, #1186), to the
//! millisecond. So the rule: **an API play and an export row are the same listen when they
//! name the same item and the API's time is within [`TOLERANCE_MS`] of the row's end or
//! of its start (`ts - ms_played`)**; of several such, the nearest; and each is joined at
//! most once (a joined play is no candidate for another row, nor a joined row for another
//! play). The same item: the same ID where both have one, else the same title and an
//! artist in common (the account data has no IDs).
//!
//! What it could get wrong: a play repeated within the tolerance of its own end (a track
//! of under 30 s played twice in a row), where the API lists one, joins either row; the
//! count is right, the details may be the other listen's. A play the API lists under
//! another track ID than the export's (relinking, spotify/web-api #1232) is not joined and
//! is stored twice. Two listens of the same track a minute apart are two: a minute is
//! twice the tolerance.

use listening_record::{ListeningRecord, Playback};

/// How far apart the API's time and the export's may be for one listen: both come from
/// Spotify's clocks, and `ts` is cut to the second; 30 s is what other importers settled
/// on (pixelg/replay-crate: ±30 s, then ±90 s) and half the gap between two listens of a
/// track a minute apart.
pub(crate) const TOLERANCE_MS: i64 = 30_000;

/// The longest listen matched by its start too: past it (a stream left paused for hours)
/// only its end counts, which keeps the search for candidates short.
const LONGEST_MATCHED_MS: i64 = 6 * 60 * 60 * 1000;

/// What was played, as the rule compares it.
pub(crate) struct Item {
    pub(crate) id: Option<String>,
    pub(crate) title: Option<String>,
    pub(crate) artists: Vec<String>,
}

impl Item {
    /// The item of `record`.
    pub(crate) fn of(record: &ListeningRecord) -> Self {
        Self {
            id: record.id.clone(),
            title: record.title.clone(),
            artists: record.artists.clone(),
        }
    }

    /// Whether `self` and `other` name the same item: the same ID where both have one,
    /// else the same title and an artist in common, ignoring case.
    pub(crate) fn same_as(&self, other: &Self) -> bool {
        if let (Some(a), Some(b)) = (&self.id, &other.id) {
            return a == b;
        }
        let same = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
        match (&self.title, &other.title) {
            (Some(a), Some(b)) if same(a, b) => self
                .artists
                .iter()
                .any(|a| other.artists.iter().any(|b| same(a, b))),
            _ => false,
        }
    }
}

/// The instants between which the stream ended, as far as the export says: `ts` to the
/// second, `endTime` to the minute.
fn end_span(playback: &Playback) -> (i64, i64) {
    let ended = playback.ended_at.timestamp_millis();
    let precision = if playback.row.get("ts").is_some() {
        1_000
    } else {
        60_000
    };
    (ended, ended + precision - 1)
}

fn listened_ms(playback: &Playback) -> i64 {
    playback
        .ms_played
        .and_then(|ms| i64::try_from(ms).ok())
        .filter(|&ms| ms <= LONGEST_MATCHED_MS)
        .unwrap_or(0)
}

/// How far (ms) an API play at `api_ms` is from the export's row, when within
/// [`TOLERANCE_MS`] of its end or its start; `None` when it is further.
pub(crate) fn distance(api_ms: i64, playback: &Playback) -> Option<i64> {
    let (first, last) = end_span(playback);
    let listened = listened_ms(playback);
    let from = |lo: i64, hi: i64| (lo - api_ms).max(api_ms - hi).max(0);
    let distance = from(first, last).min(from(first - listened, last - listened));
    (distance <= TOLERANCE_MS).then_some(distance)
}

/// The API times (ms, inclusive) a play joined to this row can have.
pub(crate) fn api_window(playback: &Playback) -> (i64, i64) {
    let (first, last) = end_span(playback);
    (
        first - listened_ms(playback) - TOLERANCE_MS,
        last + TOLERANCE_MS,
    )
}

/// The stored times (ms, inclusive) of rows only an export has (stored at the row's end)
/// that a play the API dates `api_ms` can be joined to.
pub(crate) fn export_window(api_ms: i64) -> (i64, i64) {
    (
        api_ms - TOLERANCE_MS - 60_000,
        api_ms + TOLERANCE_MS + LONGEST_MATCHED_MS,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn row(ended_ms: i64, ms_played: u64, time_field: &str) -> Playback {
        Playback {
            ended_at: DateTime::from_timestamp_millis(ended_ms).unwrap(),
            ms_played: Some(ms_played),
            reason_start: None,
            reason_end: None,
            skipped: None,
            shuffle: None,
            offline: None,
            incognito_mode: None,
            platform: None,
            conn_country: None,
            row: serde_json::json!({ time_field: "" }),
        }
    }

    #[test]
    fn an_api_time_near_the_end_or_the_start_matches_and_nothing_between_the_edges() {
        let end = 1_000_000_000;
        let playback = row(end, 200_000, "ts");
        assert_eq!(distance(end, &playback), Some(0));
        assert_eq!(
            distance(end + 999, &playback),
            Some(0),
            "ts is cut to the second"
        );
        assert_eq!(distance(end - 200_000, &playback), Some(0), "the start");
        assert_eq!(
            distance(end + 999 + TOLERANCE_MS, &playback),
            Some(TOLERANCE_MS)
        );
        assert_eq!(distance(end + 1_000 + TOLERANCE_MS, &playback), None);
        assert_eq!(distance(end - 200_000 - TOLERANCE_MS - 1, &playback), None);
        assert_eq!(distance(end - 100_000, &playback), None, "mid-listen");
        // The windows the store searches hold every time that matches.
        let (from, to) = api_window(&playback);
        assert!(from <= end - 200_000 - TOLERANCE_MS && to >= end + 999 + TOLERANCE_MS);
        for api in [end - 200_000 - TOLERANCE_MS, end + 999 + TOLERANCE_MS] {
            let (from, to) = export_window(api);
            assert!((from..=to).contains(&end), "{api}");
        }
    }

    #[test]
    fn a_listen_of_hours_matches_by_its_start_and_the_search_stays_hours_wide() {
        let end = 1_700_000_000_000;
        let hours = |n: i64| n * 60 * 60 * 1000;
        // A stream left playing for five hours still matches by its start.
        let long = row(end, hours(5) as u64, "ts");
        assert_eq!(distance(end - hours(5), &long), Some(0), "its start");
        let (from, to) = export_window(end - hours(5));
        assert!((from..=to).contains(&end), "the row is a candidate");
        // Six hours exactly, played `TOLERANCE_MS` before the API's time of its start.
        let six = row(end, hours(6) as u64, "ts");
        let api = end - hours(6) - TOLERANCE_MS;
        assert_eq!(distance(api, &six), Some(TOLERANCE_MS));
        let (from, to) = export_window(api);
        assert!((from..=to).contains(&end), "{from}..{to} holds {end}");
        // Past six hours only its end counts.
        let longer = row(end, hours(7) as u64, "ts");
        assert_eq!(distance(end - hours(7), &longer), None);
        assert_eq!(distance(end, &longer), Some(0));
        // Whatever the time, the candidates are searched within about six hours.
        for api in [0, end, end + hours(24 * 365)] {
            let (from, to) = export_window(api);
            assert!(from <= api && api <= to, "{api}");
            assert!(
                to - from <= hours(6) + 2 * TOLERANCE_MS + 60_000,
                "{api}: {from}..{to}"
            );
        }
    }

    #[test]
    fn the_account_data_s_minute_widens_the_end() {
        let playback = row(1_000_020_000, 1_000, "endTime");
        assert_eq!(
            distance(1_000_020_000 + 59_999 + TOLERANCE_MS, &playback),
            Some(TOLERANCE_MS)
        );
        assert_eq!(
            distance(1_000_020_000 + 60_000 + TOLERANCE_MS, &playback),
            None
        );
        let (from, _) = export_window(1_000_020_000 + 59_999 + TOLERANCE_MS);
        assert!(from <= 1_000_020_000);
    }

    #[test]
    fn the_same_item_is_the_same_id_or_without_one_the_same_title_and_an_artist() {
        let item = |id: Option<&str>, title: &str, artists: &[&str]| Item {
            id: id.map(str::to_string),
            title: Some(title.to_string()),
            artists: artists.iter().map(|a| a.to_string()).collect(),
        };
        assert!(item(Some("a"), "x", &[]).same_as(&item(Some("a"), "y", &[])));
        assert!(!item(Some("a"), "x", &["A"]).same_as(&item(Some("b"), "x", &["A"])));
        assert!(item(None, "Song", &["Band"]).same_as(&item(
            Some("a"),
            "song",
            &["Other", "band"]
        )));
        assert!(!item(None, "Song", &["Band"]).same_as(&item(Some("a"), "Song", &["Other"])));
        assert!(!item(None, "Song", &["Band"]).same_as(&item(None, "Other", &["Band"])));
    }
}

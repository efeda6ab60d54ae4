//! Which listens `get_listens` selects: the server's search
//! (`listenbrainz/listenstore/timescale_listenstore.py`, `fetch_listens`, lines 209-387),
//! over listens kept oldest first and found by binary search.
//!
//! - Bounds are exclusive (`listened_at > :from_ts AND listened_at < :to_ts`, lines 255-257).
//! - With `min_ts`, the oldest listens after it, else the newest (lines 224-227, 295); always
//!   listed newest first (lines 382-383). Neither bound: up to the user's newest listen
//!   (`to_ts = max_user_ts + 1`, lines 234-235).
//! - With both bounds, one query (lines 297-299, 330-332). With one or none, the windowed
//!   search: a window of 30 days from the bound (lines 36-39, 300-307), then each three times
//!   the last (lines 342-350; going forward, the next starts one second before the last
//!   ended, line 343), gathering listens until `count` (lines 373-375), for at most 9
//!   windows (lines 318-321); when a window falls short, the search ends if
//!   `from_ts < min_user_ts - 1` or `to_ts > now + 10 min` (lines 330-340, 43). Hence the
//!   three quirks the module documents; all of them follow from these rules, none is a case
//!   of its own.
//! - A window past the years 1 to 9999 is Python's `OverflowError`, uncaught: `500`
//!   (line 301, and the facts' "max_ts near year 1").

use std::ops::Range;

use super::ListenBrainzListen;
use super::params::{FIRST_SECOND, LAST_SECOND};

const DAY: i64 = 86_400;
/// `DEFAULT_FETCH_WINDOW` (line 37).
const FIRST_WINDOW: i64 = 30 * DAY;
/// `WINDOW_SIZE_MULTIPLIER` (line 39).
const WINDOW_GROWTH: i64 = 3;
/// `MAX_FUTURE_SECONDS` (line 43).
const MAX_FUTURE: i64 = 600;
/// The "Oh shit valve" (lines 318-321): the tenth pass never runs.
const MAX_WINDOWS: usize = 9;

/// A window reached outside the years 1 to 9999.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Overflow;

/// What to select.
#[derive(Clone, Copy, Debug)]
pub(super) struct Selection {
    pub(super) min_ts: Option<i64>,
    pub(super) max_ts: Option<i64>,
    pub(super) count: usize,
}

/// The positions in `listens` (oldest first) of the listens the server selects, newest first.
/// `windowed`: search as the server does (see the module); otherwise one exact query with the
/// same bounds and order. `now`: the server's clock, Unix seconds.
pub(super) fn select(
    listens: &[ListenBrainzListen],
    selection: Selection,
    windowed: bool,
    now: i64,
) -> Result<Vec<usize>, Overflow> {
    let Selection {
        min_ts,
        max_ts,
        count,
    } = selection;
    let (Some(oldest), Some(newest)) = (listens.first(), listens.last()) else {
        // No listens: the tally is empty and the search returns at once (lines 229-232).
        return Ok(Vec::new());
    };
    let forward = min_ts.is_some();
    let mut found = Vec::new();
    if !windowed || (min_ts.is_some() && max_ts.is_some()) {
        let to = max_ts.unwrap_or(i64::MAX);
        let from = min_ts.unwrap_or(i64::MIN);
        take(listens, from, to, forward, count, &mut found);
        return Ok(newest_first(found, forward));
    }
    let in_range = |t: i64| (FIRST_SECOND..=LAST_SECOND).contains(&t).then_some(t);
    let mut size = FIRST_WINDOW;
    let (mut from, mut to) = match min_ts {
        Some(from) => (from, in_range(from + size).ok_or(Overflow)?),
        None => {
            let to = max_ts.unwrap_or(newest.listened_at + 1);
            (in_range(to - size).ok_or(Overflow)?, to)
        }
    };
    for pass in 1..=MAX_WINDOWS {
        take(listens, from, to, forward, count - found.len(), &mut found);
        if found.len() >= count
            || from < oldest.listened_at - 1
            || to > now + MAX_FUTURE
            || pass == MAX_WINDOWS
        {
            break;
        }
        size *= WINDOW_GROWTH;
        if forward {
            from = to - 1;
            to = in_range(from + size).ok_or(Overflow)?;
        } else {
            to = from;
            from = in_range(to - size).ok_or(Overflow)?;
        }
    }
    Ok(newest_first(found, forward))
}

/// Adds to `found` at most `limit` listens strictly between `from` and `to`: the oldest ones,
/// oldest first, `forward`; else the newest ones, newest first.
fn take(
    listens: &[ListenBrainzListen],
    from: i64,
    to: i64,
    forward: bool,
    limit: usize,
    found: &mut Vec<usize>,
) {
    let Range { start, end } = between(listens, from, to);
    if forward {
        found.extend(start..end.min(start.saturating_add(limit)));
    } else {
        found.extend((end.saturating_sub(limit).max(start)..end).rev());
    }
}

/// The positions of the listens strictly between `from` and `to`.
fn between(listens: &[ListenBrainzListen], from: i64, to: i64) -> Range<usize> {
    let start = listens.partition_point(|l| l.listened_at <= from);
    let end = listens.partition_point(|l| l.listened_at < to).max(start);
    start..end
}

fn newest_first(mut found: Vec<usize>, forward: bool) -> Vec<usize> {
    if forward {
        found.reverse();
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_771_414_109;

    fn at(times: &[i64]) -> Vec<ListenBrainzListen> {
        let mut listens: Vec<_> = times
            .iter()
            .map(|&t| ListenBrainzListen::new(t, "Artist", &format!("Track {t}")))
            .collect();
        listens.sort_by_key(|l| l.listened_at);
        listens
    }

    fn times(listens: &[ListenBrainzListen], found: &[usize]) -> Vec<i64> {
        found.iter().map(|&i| listens[i].listened_at).collect()
    }

    fn run(
        listens: &[ListenBrainzListen],
        min: Option<i64>,
        max: Option<i64>,
        count: usize,
        windowed: bool,
    ) -> Vec<i64> {
        let selection = Selection {
            min_ts: min,
            max_ts: max,
            count,
        };
        times(listens, &select(listens, selection, windowed, NOW).unwrap())
    }

    #[test]
    fn min_ts_selects_the_oldest_after_it_and_max_ts_the_newest_before_it() {
        let listens = at(&[100, 200, 300, 400, 500].map(|t| NOW - 10_000 + t));
        let t = |x: i64| NOW - 10_000 + x;
        for windowed in [true, false] {
            assert_eq!(run(&listens, None, None, 2, windowed), [t(500), t(400)]);
            assert_eq!(
                run(&listens, None, Some(t(400)), 2, windowed),
                [t(300), t(200)]
            );
            assert_eq!(
                run(&listens, Some(t(100)), None, 2, windowed),
                [t(300), t(200)]
            );
            assert_eq!(
                run(&listens, Some(t(100)), Some(t(500)), 9, windowed),
                [t(400), t(300), t(200)]
            );
            assert_eq!(
                run(&listens, Some(t(99)), None, 0, windowed),
                Vec::<i64>::new()
            );
        }
    }

    #[test]
    fn the_windows_reach_years_back_and_forward_when_the_bound_allows() {
        let listens = at(&[NOW - 2_000 * DAY, NOW - 700 * DAY, NOW - 5 * DAY]);
        assert_eq!(run(&listens, None, None, 5, true).len(), 3);
        assert_eq!(
            run(&listens, Some(NOW - 2_000 * DAY - 1), None, 5, true).len(),
            3
        );
    }

    #[test]
    fn a_min_ts_before_the_oldest_listen_ends_after_one_window() {
        let listens = at(&[NOW - 100 * DAY, NOW - 60 * DAY]);
        let early = NOW - 100 * DAY - 2;
        assert_eq!(run(&listens, Some(early), None, 5, true), [NOW - 100 * DAY]);
        assert_eq!(run(&listens, Some(early), None, 5, false).len(), 2);
        let far = NOW - 200 * DAY;
        assert_eq!(run(&listens, Some(far), None, 5, true), Vec::<i64>::new());
    }

    #[test]
    fn a_max_ts_in_the_future_ends_after_one_window() {
        let listens = at(&[NOW - 40 * DAY, NOW - DAY]);
        let ahead = NOW + 601;
        assert_eq!(run(&listens, None, Some(ahead), 5, true), [NOW - DAY]);
        assert_eq!(run(&listens, None, Some(NOW + 600), 5, true).len(), 2);
    }

    #[test]
    fn a_listen_on_a_window_edge_is_skipped_walking_back() {
        let max = NOW;
        let edges = [max - 30 * DAY, max - 120 * DAY, max - 390 * DAY];
        let listens = at(&[max - DAY, edges[0], edges[1], edges[2], max - 400 * DAY]);
        assert_eq!(
            run(&listens, None, Some(max), 9, true),
            [max - DAY, max - 400 * DAY]
        );
        assert_eq!(run(&listens, None, Some(max), 9, false).len(), 5);
        // Without a bound, the first window ends a second after the newest listen.
        let listens = at(&[NOW, NOW + 1 - 30 * DAY]);
        assert_eq!(run(&listens, None, None, 9, true), [NOW]);
    }

    #[test]
    fn windows_past_the_years_1_to_9999_overflow() {
        let listens = at(&[NOW]);
        let selection = |min_ts, max_ts| Selection {
            min_ts,
            max_ts,
            count: 5,
        };
        let late = Some(LAST_SECOND - 29 * DAY);
        assert_eq!(
            select(&listens, selection(late, None), true, NOW),
            Err(Overflow)
        );
        assert_eq!(
            select(&listens, selection(late, None), false, NOW),
            Ok(Vec::new())
        );
        let early = Some(FIRST_SECOND + 29 * DAY);
        assert_eq!(
            select(&listens, selection(None, early), true, NOW),
            Err(Overflow)
        );
        assert_eq!(
            select(&[], selection(late, None), true, NOW),
            Ok(Vec::new())
        );
    }
}

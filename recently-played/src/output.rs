//! What a walk found, and how it is printed: a readable table or JSON Lines.

use std::io::{self, Write};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};

/// One walked history: its plays, newest first, and what walking it took.
pub(crate) struct Report {
    /// `"Spotify"`, `"Amazon Music"`.
    pub(crate) service: &'static str,
    /// The `service` field of each JSON line: `"spotify"`, `"amazon_music"`.
    pub(crate) key: &'static str,
    /// Which history: `"recently played tracks"`.
    pub(crate) history: &'static str,
    /// Where the requests went: `"sandbox http://127.0.0.1:…/v1"`, `"https://…"`.
    pub(crate) target: String,
    /// The table's columns after the time of play.
    pub(crate) columns: &'static [&'static str],
    pub(crate) plays: Vec<Play>,
    pub(crate) requests: usize,
    pub(crate) elapsed: Duration,
    /// Something the reader must know about an empty or short history (a private session).
    pub(crate) note: Option<String>,
}

/// One play, both as table cells and as the item the client decoded.
pub(crate) struct Play {
    pub(crate) played_at: DateTime<Utc>,
    pub(crate) kind: String,
    pub(crate) id: Option<String>,
    pub(crate) title: String,
    /// One per [`Report::columns`].
    pub(crate) cells: Vec<String>,
    /// The play as the client decoded it, serialised back.
    pub(crate) item: serde_json::Value,
}

/// Widest a table cell gets before it is cut with `…`.
const MAX_CELL: usize = 36;

/// The report as a titled table, newest play first.
pub(crate) fn write_table(out: &mut impl Write, report: &Report) -> io::Result<()> {
    writeln!(
        out,
        "{} · {} · {}",
        report.service, report.history, report.target
    )?;
    if let Some(note) = &report.note {
        writeln!(out, "{note}")?;
    }
    let mut header = vec!["PLAYED AT (UTC)".to_string()];
    header.extend(report.columns.iter().map(|c| c.to_string()));
    let rows: Vec<Vec<String>> = report
        .plays
        .iter()
        .map(|play| {
            let mut row = vec![play.played_at.format("%Y-%m-%d %H:%M:%S").to_string()];
            row.extend(play.cells.iter().map(|cell| cut(cell, MAX_CELL)));
            row
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, (cell, width)) in row.iter().zip(&widths).enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                let pad = width - cell.chars().count();
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', pad + 2));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    writeln!(out)
}

/// One JSON object per play, newest first.
pub(crate) fn write_json_lines(out: &mut impl Write, report: &Report) -> io::Result<()> {
    /// A JSON line, its fields in this order: what a reader looks at first comes first.
    #[derive(serde::Serialize)]
    struct Line<'a> {
        service: &'a str,
        played_at: String,
        kind: &'a str,
        id: Option<&'a str>,
        title: &'a str,
        item: &'a serde_json::Value,
    }
    for play in &report.plays {
        let line = Line {
            service: report.key,
            played_at: play.played_at.to_rfc3339_opts(SecondsFormat::Millis, true),
            kind: &play.kind,
            id: play.id.as_deref(),
            title: &play.title,
            item: &play.item,
        };
        serde_json::to_writer(&mut *out, &line)?;
        writeln!(out)?;
    }
    Ok(())
}

/// The summary line of a report: plays, requests, time taken, and where they came from.
pub(crate) fn summary(report: &Report) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{:<13} {:>11}  {:>12}  {:>8}  {}",
        report.service,
        plural(report.plays.len(), "play", "plays"),
        plural(report.requests, "request", "requests"),
        format!("{} ms", report.elapsed.as_millis()),
        report.target
    )
}

/// `text` cut to at most `max` characters, ending in `…` when cut.
fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max - 1) {
        Some((end, _)) if text.chars().count() > max => format!("{}…", &text[..end]),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        let play = |ms, title: &str, context: &str| Play {
            played_at: DateTime::from_timestamp_millis(ms).unwrap(),
            kind: "track".into(),
            id: Some("4iV5W9uYEdYUVa79Axb7Rh".into()),
            title: title.into(),
            cells: vec![title.into(), context.into()],
            item: serde_json::json!({"track": {"name": title}}),
        };
        Report {
            service: "Spotify",
            key: "spotify",
            history: "recently played tracks",
            target: "sandbox http://127.0.0.1:1/v1".into(),
            columns: &["TRACK", "CONTEXT"],
            plays: vec![
                play(1_714_564_799_123, "Velvet Satellites", "album"),
                play(1_714_564_700_000, "Quiet Harbour", "—"),
            ],
            requests: 1,
            elapsed: Duration::from_millis(42),
            note: None,
        }
    }

    #[test]
    fn the_table_lines_up_its_columns() {
        let mut out = Vec::new();
        write_table(&mut out, &report()).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "\
Spotify · recently played tracks · sandbox http://127.0.0.1:1/v1
PLAYED AT (UTC)      TRACK              CONTEXT
2024-05-01 11:59:59  Velvet Satellites  album
2024-05-01 11:58:20  Quiet Harbour      —

"
        );
    }

    #[test]
    fn each_play_is_one_json_line_with_millisecond_times() {
        let mut out = Vec::new();
        write_json_lines(&mut out, &report()).unwrap();
        let lines: Vec<serde_json::Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["service"], "spotify");
        assert_eq!(lines[0]["played_at"], "2024-05-01T11:59:59.123Z");
        assert_eq!(lines[1]["item"]["track"]["name"], "Quiet Harbour");
    }

    #[test]
    fn the_summary_says_plays_requests_and_time() {
        assert_eq!(
            summary(&report()),
            "Spotify           2 plays     1 request     42 ms  sandbox http://127.0.0.1:1/v1"
        );
    }

    #[test]
    fn long_cells_are_cut_with_an_ellipsis() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abcd", 4), "abcd");
        assert_eq!(cut("ünï", 2), "ü…");
    }
}

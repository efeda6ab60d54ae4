//! How plays are printed, one at a time as they arrive: a readable table or JSON Lines.
//! Anything that came from a server is made safe for a terminal first.

use std::io::{self, Write};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};

/// One play, both as table cells and as the item the client decoded.
pub(crate) struct Play {
    pub(crate) played_at: DateTime<Utc>,
    pub(crate) kind: String,
    pub(crate) id: Option<String>,
    pub(crate) title: String,
    /// One per column of the table, after the time of play.
    pub(crate) cells: Vec<String>,
    /// The play as the client decoded it, serialised back.
    pub(crate) item: serde_json::Value,
    /// The album of a Spotify play (`None` for services whose plays have none).
    pub(crate) album: Option<Album>,
}

/// What a JSON line says of a play's album; each field `null` where unknown.
#[derive(serde::Serialize)]
pub(crate) struct Album {
    /// The album's name.
    pub(crate) album: Option<String>,
    pub(crate) album_id: Option<String>,
    /// As the service wrote it: `1981-12`, `2016-12-13`.
    pub(crate) release_date: Option<String>,
}

/// What walking one history took, for its summary line.
pub(crate) struct Report {
    /// `"Spotify"`, `"Amazon Music"`.
    pub(crate) service: &'static str,
    /// Where the requests went: `"sandbox http://127.0.0.1:…/v1"`, `"https://…"`.
    pub(crate) target: String,
    pub(crate) plays: usize,
    /// Items that did not decode, each reported on stderr as it came: the walk is
    /// incomplete.
    pub(crate) malformed: usize,
    pub(crate) requests: usize,
    pub(crate) elapsed: Duration,
}

/// Widest a table cell gets before it is cut with `…`; every column but the first (the time
/// of play, [`TIME`] wide) and the last is padded to it, so that rows line up although each
/// is printed as soon as its play arrives.
const CELL: usize = 30;

/// The width of `2024-05-01 11:59:59`.
const TIME: usize = 19;

/// Writes plays as they arrive, as a table or as JSON Lines.
pub(crate) struct Printer<W> {
    out: W,
    json: bool,
}

impl<W: Write> Printer<W> {
    pub(crate) fn new(out: W, json: bool) -> Self {
        Self { out, json }
    }

    /// A table's title and header; nothing for JSON Lines.
    pub(crate) fn begin(
        &mut self,
        service: &str,
        history: &str,
        target: &str,
        columns: &[&str],
    ) -> io::Result<()> {
        if self.json {
            return Ok(());
        }
        writeln!(
            self.out,
            "{} · {} · {}",
            service,
            history,
            printable(target)
        )?;
        let mut header = vec!["PLAYED AT (UTC)"];
        header.extend(columns);
        self.row(&header)
    }

    /// One play: a table row or a JSON line, written and flushed at once.
    pub(crate) fn play(&mut self, service_key: &str, play: &Play) -> io::Result<()> {
        if self.json {
            /// A JSON line, its fields in this order: what a reader looks at first comes first.
            #[derive(serde::Serialize)]
            struct Line<'a> {
                service: &'a str,
                played_at: String,
                kind: &'a str,
                id: Option<&'a str>,
                title: &'a str,
                #[serde(flatten, skip_serializing_if = "Option::is_none")]
                album: Option<&'a Album>,
                item: &'a serde_json::Value,
            }
            let line = Line {
                service: service_key,
                played_at: play.played_at.to_rfc3339_opts(SecondsFormat::Millis, true),
                kind: &play.kind,
                id: play.id.as_deref(),
                title: &play.title,
                album: play.album.as_ref(),
                item: &play.item,
            };
            // serde_json escapes every control character: one play is one line.
            serde_json::to_writer(&mut self.out, &line)?;
            writeln!(self.out)?;
        } else {
            let time = play.played_at.format("%Y-%m-%d %H:%M:%S").to_string();
            let mut cells = vec![time.as_str()];
            cells.extend(play.cells.iter().map(String::as_str));
            self.row(&cells)?;
        }
        self.out.flush()
    }

    /// A line the reader must know about (a private session); on the table only.
    pub(crate) fn note(&mut self, note: &str) -> io::Result<()> {
        if self.json {
            return Ok(());
        }
        writeln!(self.out, "{}", printable(note))
    }

    /// The blank line that closes a table.
    pub(crate) fn end(&mut self) -> io::Result<()> {
        if !self.json {
            writeln!(self.out)?;
        }
        self.out.flush()
    }

    fn row(&mut self, cells: &[&str]) -> io::Result<()> {
        let mut line = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let width = if i == 0 { TIME } else { CELL };
            let cell = cut(&printable(cell), width);
            let pad = width.saturating_sub(cell.chars().count());
            line.push_str(&cell);
            line.extend(std::iter::repeat_n(' ', pad + 2));
        }
        // The last cell's padding, and any blanks it ended with, go.
        writeln!(self.out, "{}", line.trim_end())
    }
}

/// The summary line of a report: plays, requests, time taken, and where they came from.
pub(crate) fn summary(report: &Report) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let line = format!(
        "{:<13} {:>11}  {:>12}  {:>8}  {}",
        report.service,
        plural(report.plays, "play", "plays"),
        plural(report.requests, "request", "requests"),
        format!("{} ms", report.elapsed.as_millis()),
        printable(&report.target)
    );
    match report.malformed {
        0 => line,
        n => format!(
            "{line}  (incomplete: {} skipped)",
            plural(n, "malformed item", "malformed items")
        ),
    }
}

/// The stderr line for an item of a page that did not decode, as it is skipped.
pub(crate) fn malformed(service: &str, item: &client_support::MalformedItem) -> String {
    printable(&format!("{service}: {item}"))
}

/// `text` safe for a terminal, on one line: control characters (escape sequences, newlines,
/// carriage returns, C1 controls) and the bidirectional overrides that can reorder what a
/// reader sees become `�`.
pub(crate) fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            if c.is_control() || bidi {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
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

    fn play(ms: i64, title: &str, context: &str) -> Play {
        Play {
            played_at: DateTime::from_timestamp_millis(ms).unwrap(),
            kind: "track".into(),
            id: Some("4iV5W9uYEdYUVa79Axb7Rh".into()),
            title: title.into(),
            cells: vec![title.into(), context.into()],
            item: serde_json::json!({"track": {"name": title}}),
            album: None,
        }
    }

    fn printed(json: bool) -> String {
        let mut out = Vec::new();
        let mut printer = Printer::new(&mut out, json);
        printer
            .begin(
                "Spotify",
                "recently played tracks",
                "sandbox http://127.0.0.1:1/v1",
                &["TRACK", "CONTEXT"],
            )
            .unwrap();
        printer
            .play(
                "spotify",
                &play(1_714_564_799_123, "Velvet Satellites", "album"),
            )
            .unwrap();
        printer
            .play(
                "spotify",
                &play(1_714_564_700_000, "Quiet\nHarbour\u{1b}[2J", "—"),
            )
            .unwrap();
        printer.end().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_table_lines_up_its_columns_row_by_row() {
        let time = |s: &str| format!("{s:<21}");
        let pad = |s: &str| format!("{s:<32}");
        let expected = format!(
            "Spotify · recently played tracks · sandbox http://127.0.0.1:1/v1\n\
             {}{}CONTEXT\n{}{}album\n{}{}—\n\n",
            time("PLAYED AT (UTC)"),
            pad("TRACK"),
            time("2024-05-01 11:59:59"),
            pad("Velvet Satellites"),
            time("2024-05-01 11:58:20"),
            pad("Quiet\u{fffd}Harbour\u{fffd}[2J"),
        );
        assert_eq!(printed(false), expected);
    }

    #[test]
    fn each_play_is_one_json_line_with_millisecond_times() {
        let text = printed(true);
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert_eq!(lines[0]["service"], "spotify");
        assert_eq!(lines[0]["played_at"], "2024-05-01T11:59:59.123Z");
        assert_eq!(lines[1]["title"], "Quiet\nHarbour\u{1b}[2J");
        assert!(!text.contains('\u{1b}'), "raw escape in {text:?}");
    }

    #[test]
    fn the_summary_says_plays_requests_and_time() {
        let report = Report {
            service: "Spotify",
            target: "sandbox http://127.0.0.1:1/v1".into(),
            plays: 2,
            malformed: 0,
            requests: 1,
            elapsed: Duration::from_millis(42),
        };
        assert_eq!(
            summary(&report),
            "Spotify           2 plays     1 request     42 ms  sandbox http://127.0.0.1:1/v1"
        );
    }

    #[test]
    fn long_cells_are_cut_and_control_characters_replaced() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abcd", 4), "abcd");
        assert_eq!(cut("ünï", 2), "ü…");
        assert_eq!(
            printable("a\u{1b}]0;title\u{7}b\r\n\u{202e}c"),
            "a�]0;title�b���c"
        );
    }
}

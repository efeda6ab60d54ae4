//! The report: one row per check, on the terminal as a table and in a JSON file.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

/// How a check came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The service did what the spec says.
    Pass,
    /// It did not: the row's pointer and excerpt show where.
    Fail,
    /// The check did not run (no credentials, the budget spent, a 429, a private session).
    Skip,
    /// An answer to something the documents do not say, recorded for the first time.
    Recorded,
    /// An answer to something the documents do not say, other than the one recorded before.
    Changed,
}

impl Status {
    /// Whether a run with this row must exit non-zero.
    pub fn flags(self) -> bool {
        matches!(self, Self::Fail | Self::Changed)
    }

    fn word(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "FAIL",
            Self::Skip => "skip",
            Self::Recorded => "recorded",
            Self::Changed => "CHANGED",
        }
    }
}

/// One check of one service. Nothing in it holds a token, an API key, a user ID or a
/// display name: they are replaced by markers (see [`crate::live::scrub`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// The service's key ([`Service::key`](super::Service::key)).
    pub service: String,
    /// The check's name (`body matches schema`, `cursors monotonic`, …).
    pub check: String,
    /// How it came out.
    pub status: Status,
    /// Where the first departure is, as a JSON pointer into that response's body (`""` for
    /// the response as a whole: its status or a header); empty when there is none.
    pub pointer: String,
    /// What was there (the value, or the validator's message), scrubbed and cut short.
    pub excerpt: String,
    /// Which request, how many departures, why it was skipped, or what passed.
    pub detail: String,
}

/// The rows of a run, and the sentences of what stopped a service altogether.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Report {
    /// One row per check, service by service.
    pub rows: Vec<Row>,
    /// One sentence each: a service that refused the credentials, a recording that could
    /// not be written.
    pub errors: Vec<String>,
}

impl Report {
    /// The row of `check` for `service`, if there is one.
    pub fn row(&self, service: &str, check: &str) -> Option<&Row> {
        self.rows
            .iter()
            .find(|row| row.service == service && row.check == check)
    }

    /// Whether the run must exit non-zero: a check failed, a recorded answer changed, or a
    /// service stopped altogether (see [`Report::errors`]).
    pub fn flagged(&self) -> bool {
        !self.errors.is_empty() || self.rows.iter().any(|row| row.status.flags())
    }

    /// The rows as a table for a terminal, widths fitted to the content.
    pub fn table(&self) -> String {
        let headers = ["SERVICE", "CHECK", "STATUS", "POINTER", "EXCERPT", "DETAIL"];
        let cells: Vec<[String; 6]> = self
            .rows
            .iter()
            .map(|row| {
                [
                    row.service.clone(),
                    row.check.clone(),
                    row.status.word().to_string(),
                    row.pointer.clone(),
                    cut(&row.excerpt, 40),
                    cut(&row.detail, 70),
                ]
            })
            .collect();
        let mut widths = headers.map(str::len);
        for row in &cells {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let mut out = String::new();
        let mut line = |cells: [&str; 6]| {
            let mut text = String::new();
            for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
                if i + 1 == cells.len() {
                    text.push_str(cell);
                } else {
                    let _ = write!(text, "{cell:<width$}  ");
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        };
        line(headers);
        for row in &cells {
            line([&row[0], &row[1], &row[2], &row[3], &row[4], &row[5]]);
        }
        out
    }
}

/// `text` on one line, at most `max` characters (an ellipsis ends a cut one).
pub(crate) fn cut(text: &str, max: usize) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() <= max {
        one_line
    } else {
        let mut cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_one_line_per_row_and_cuts_long_cells() {
        let report = Report {
            rows: vec![Row {
                service: "example".into(),
                check: "body matches schema".into(),
                status: Status::Fail,
                pointer: "/items/0/played_at".into(),
                excerpt: "x".repeat(100),
                detail: "GET /me/player/recently-played?limit=50\nsecond line".into(),
            }],
            errors: Vec::new(),
        };
        let table = report.table();
        assert_eq!(table.lines().count(), 2, "{table}");
        assert!(table.contains("FAIL") && table.contains('…'), "{table}");
        assert!(report.flagged());
        let json = serde_json::to_value(&report.rows[0]).unwrap();
        assert_eq!(json["status"], "fail");
    }
}

//! What a service does where the documents are silent: `limit=0`, the maximum, the maximum
//! plus one, `before` with `after`. Each answer is recorded and compared with the one recorded
//! before (`conformance/live/bounds.json`), so that a change is flagged.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::exchange::Exchange;

/// What a service answered to one bound: the status, and for a page the `limit` it says it
/// used and how many items it held. Two answers are the same when status and `limit` are:
/// the number of items follows the user's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// The response's status.
    pub status: u16,
    /// The page's own `limit` field, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// How many items the page held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<usize>,
}

impl Answer {
    /// The answer `exchange` holds; `items` is where a page keeps its items.
    pub(crate) fn of(exchange: &Exchange, items: &str) -> Self {
        let body = exchange.json();
        Self {
            status: exchange.status,
            limit: body
                .as_ref()
                .and_then(|b| b.get("limit"))
                .and_then(Value::as_i64),
            items: body
                .as_ref()
                .and_then(|b| b.pointer(items))
                .and_then(Value::as_array)
                .map(Vec::len),
        }
    }

    /// Whether `self` and `other` are the same answer (status and `limit`).
    pub fn same(&self, other: &Self) -> bool {
        self.status == other.status && self.limit == other.limit
    }

    /// `status 200, limit 50, 50 items`.
    pub fn describe(&self) -> String {
        let mut text = format!("status {}", self.status);
        if let Some(limit) = self.limit {
            text.push_str(&format!(", limit {limit}"));
        }
        if let Some(items) = self.items {
            text.push_str(&format!(", {items} items"));
        }
        text
    }
}

/// The answers recorded before, by service key and then by bound
/// (`get_recently_played limit=0`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BoundsFile {
    /// What the file is, for a reader.
    #[serde(default)]
    pub about: String,
    /// Service → bound → answer.
    #[serde(default)]
    pub answers: BTreeMap<String, BTreeMap<String, Answer>>,
}

impl BoundsFile {
    /// Reads `path`; a file that does not exist holds no answers.
    pub fn load(path: &Path) -> Result<Self, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text)
                .map_err(|e| format!("{}: not a bounds file: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        }
    }

    /// Writes it to `path`.
    pub fn save(&self, path: &Path) -> Result<(), String> {
        let mut text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        text.push('\n');
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    /// The answer recorded for `bound` of `service`.
    pub fn answer(&self, service: &str, bound: &str) -> Option<&Answer> {
        self.answers.get(service)?.get(bound)
    }

    /// Records `answers` of `service`, replacing what was recorded for those bounds.
    pub fn merge(&mut self, service: &str, answers: &BTreeMap<String, Answer>) {
        let recorded = self.answers.entry(service.to_string()).or_default();
        recorded.extend(answers.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
}

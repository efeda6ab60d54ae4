//! Recorded responses: what `--record DIR` writes, scrubbed, and what the offline suite
//! replays (`tests/it/recorded_responses.rs`): each must decode with the clients' generated
//! types, match the spec and keep its snapshot.
//!
//! A recording is a directory of sets; `DIR/<service>/<NNN>-<operation>-<status>.json` holds
//! one response each. Adding a set needs no code: the suite replays every one it finds under
//! `conformance/recorded/`.
//!
//! ```
//! use conformance::live::Service;
//! use conformance::live::record::{Recorded, decode};
//!
//! for service in Service::ALL {
//!     let recorded = Recorded {
//!         service: service.key().into(),
//!         operation: "get_recently_played".into(),
//!         request: "GET /recently-played?limit=50".into(),
//!         status: 204,
//!         content_type: None,
//!         retry_after: None,
//!         body: None,
//!         body_text: None,
//!     };
//!     let digest = decode(&recorded.service, &recorded.operation, recorded.status, &recorded.body_bytes())?;
//!     assert_eq!(digest, "no content\n");
//!     // Anything else is the service's own decoder's (`services::<service>::decode`).
//!     assert!(decode(&recorded.service, &recorded.operation, 200, b"[]").is_err());
//! }
//! assert!(decode("nobody", "any", 200, b"{}").is_err());
//! # Ok::<(), conformance::live::record::Undecodable>(())
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use client_support::Entry;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::exchange::Exchange;
use super::scrub::Scrub;
use super::services::Service;

/// One recorded response, scrubbed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    /// The service's key ([`Service::key`]).
    pub service: String,
    /// The operation called.
    pub operation: String,
    /// The request, below the base URL.
    pub request: String,
    /// The response's status.
    pub status: u16,
    /// Its `Content-Type`.
    pub content_type: Option<String>,
    /// Its `Retry-After`.
    pub retry_after: Option<String>,
    /// Its body, when it was JSON.
    pub body: Option<Value>,
    /// Its body, when it was something else (empty for none).
    pub body_text: Option<String>,
}

impl Recorded {
    /// `exchange` of `service`, scrubbed.
    pub(crate) fn new(service: &str, exchange: &Exchange, scrub: &Scrub) -> Self {
        let (body, body_text) = match exchange.json() {
            Some(json) => (Some(scrub.json(json)), None),
            None if exchange.body.is_empty() => (None, None),
            None => (
                None,
                Some(scrub.text(&String::from_utf8_lossy(&exchange.body))),
            ),
        };
        Self {
            service: service.to_string(),
            operation: exchange.operation.clone(),
            request: scrub.text(&exchange.request),
            status: exchange.status,
            content_type: exchange.content_type.clone(),
            retry_after: exchange.retry_after.clone(),
            body,
            body_text,
        }
    }

    /// The body's bytes as the service sent them (JSON re-encoded).
    pub fn body_bytes(&self) -> Vec<u8> {
        match (&self.body, &self.body_text) {
            (Some(json), _) => serde_json::to_vec(json).unwrap_or_default(),
            (None, Some(text)) => text.clone().into_bytes(),
            (None, None) => Vec::new(),
        }
    }

    /// Reads one recorded response.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a recorded response: {e}", path.display()))
    }

    /// Every recorded response below `dir` (`<set>/<service>/*.json`), sorted by path.
    pub fn find(dir: &Path) -> Result<Vec<PathBuf>, String> {
        let mut found = Vec::new();
        let mut pending = vec![dir.to_path_buf()];
        while let Some(dir) = pending.pop() {
            let entries = std::fs::read_dir(&dir)
                .map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
            for entry in entries {
                let path = entry
                    .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
                    .path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|e| e == "json") {
                    found.push(path);
                }
            }
        }
        found.sort();
        Ok(found)
    }
}

/// Writes `exchanges` of `service` to `dir/<service>/`, scrubbed, replacing the files an
/// earlier recording left there.
pub(crate) fn write(
    dir: &Path,
    service: &str,
    exchanges: &[Exchange],
    scrub: &Scrub,
) -> Result<usize, String> {
    let dir = dir.join(service);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for old in Recorded::find(&dir)? {
        std::fs::remove_file(&old).map_err(|e| format!("cannot replace {}: {e}", old.display()))?;
    }
    for (i, exchange) in exchanges.iter().enumerate() {
        let recorded = Recorded::new(service, exchange, scrub);
        let path = dir.join(format!(
            "{:03}-{}-{}.json",
            i + 1,
            exchange.operation,
            exchange.status
        ));
        let mut text = serde_json::to_string_pretty(&recorded).map_err(|e| e.to_string())?;
        text.push('\n');
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(exchanges.len())
}

/// A body that does not decode with the generated types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Undecodable {
    /// Where, as a JSON pointer (`""` when the decoder cannot say).
    pub pointer: String,
    /// What the decoder said.
    pub message: String,
}

impl fmt::Display for Undecodable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at `{}`: {}", self.pointer, self.message)
    }
}

impl std::error::Error for Undecodable {}

/// `body` decoded as a `T`, or why not.
pub(crate) fn from_slice<T: DeserializeOwned>(body: &[u8]) -> Result<T, Undecodable> {
    serde_json::from_slice(body).map_err(|e| Undecodable {
        pointer: String::new(),
        message: e.to_string(),
    })
}

/// Each item that decoded, or the first that did not, with its pointer.
pub(crate) fn items<'a, T>(entries: &'a [Entry<T>], at: &str) -> Result<Vec<&'a T>, Undecodable> {
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| match entry {
            Entry::Item(item) => Ok(item),
            Entry::Malformed(malformed) => Err(Undecodable {
                pointer: format!("{at}/{i}"),
                message: malformed.reason().to_string(),
            }),
        })
        .collect()
}

/// Decodes the body of a `status` response of `operation` of `service` (its key) with the
/// client crate's generated types (every page item must decode, not only the page), and
/// gives a digest of it, one line per play: what the replayed snapshots hold. A bodyless
/// 204 is `no content`; the rest is the service's own decoder ([`Description::decode`]).
///
/// [`Description::decode`]: super::services::Description::decode
pub fn decode(
    service: &str,
    operation: &str,
    status: u16,
    body: &[u8],
) -> Result<String, Undecodable> {
    if status == 204 && body.is_empty() {
        return Ok("no content\n".to_string());
    }
    match Service::from_key(service) {
        Some(known) => (known.description().decode)(operation, status, body),
        None => Err(Undecodable {
            pointer: String::new(),
            message: format!("no generated type is known for {service} {operation} {status}"),
        }),
    }
}

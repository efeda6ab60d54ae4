//! What leaves a live run (the report, a recording, a sentence on the terminal) holds no
//! token, API key, user ID or display name: each is replaced by a marker.
//!
//! Secrets are removed in every spelling a server might echo (client_support's scrubber:
//! as is, percent-encoded, base64). User IDs and display names are learned from the
//! responses themselves: Amazon Music's `data.user` (`id`, `name`) and any `spotify:user:<id>`
//! or `/user/<id>`, `/users/<id>`, `/profiles/<id>` in a string. The base URL becomes
//! [`BASE_URL`], so that a recording does not depend on where the service ran.
//!
//! ```
//! use conformance::live::scrub::Scrub;
//! use serde_json::json;
//!
//! let mut scrub = Scrub::new(&["tok-secret"], "http://127.0.0.1:4000/v1");
//! scrub.learn(&json!({"data": {"user": {"id": "u123", "name": "Tony Starked"}}}));
//! let text = scrub.text("Bearer tok-secret for u123 (Tony Starked) at http://127.0.0.1:4000/v1/me");
//! assert_eq!(text, "Bearer <redacted> for <user-id> (<display-name>) at <base-url>/me");
//! ```

use client_support::scrub::Scrubber;
use serde_json::Value;

/// What replaces a user ID.
pub const USER_ID: &str = "<user-id>";

/// What replaces a display name.
pub const DISPLAY_NAME: &str = "<display-name>";

/// What replaces the base URL the run was sent to.
pub const BASE_URL: &str = "<base-url>";

/// The secrets of a run and what it learned of the user, ready to scrub text and JSON.
#[derive(Clone, Debug)]
pub struct Scrub {
    secrets: Scrubber,
    /// `(text, marker)`, longest text first.
    markers: Vec<(String, &'static str)>,
}

impl Scrub {
    /// Removes `secrets` and `base_url`; user IDs and names are added by [`Scrub::learn`].
    pub fn new(secrets: &[&str], base_url: &str) -> Self {
        let secrets = secrets
            .iter()
            .fold(Scrubber::new(), |scrubber, secret| scrubber.with(secret));
        let mut scrub = Self {
            secrets,
            markers: Vec::new(),
        };
        scrub.add(base_url.trim_end_matches('/'), BASE_URL, 8);
        scrub
    }

    fn add(&mut self, text: &str, marker: &'static str, shortest: usize) {
        if text.chars().count() < shortest || self.markers.iter().any(|(known, _)| known == text) {
            return;
        }
        self.markers.push((text.to_string(), marker));
        self.markers
            .sort_by_key(|(text, _)| std::cmp::Reverse(text.len()));
    }

    /// Learns the user IDs and display names `body` holds.
    pub fn learn(&mut self, body: &Value) {
        for pointer in ["/data/user/id"] {
            if let Some(id) = body.pointer(pointer).and_then(Value::as_str) {
                self.add(id, USER_ID, 2);
            }
        }
        if let Some(name) = body.pointer("/data/user/name").and_then(Value::as_str) {
            self.add(name, DISPLAY_NAME, 2);
        }
        let mut strings = Vec::new();
        collect_strings(body, &mut strings);
        for text in strings {
            self.learn_text(&text);
        }
    }

    /// Learns the user IDs in `text` (`spotify:user:<id>`, `/users/<id>`, …).
    pub fn learn_text(&mut self, text: &str) {
        for prefix in ["spotify:user:", "/user/", "/users/", "/profiles/"] {
            let mut rest = text;
            while let Some(at) = rest.find(prefix) {
                rest = &rest[at + prefix.len()..];
                let id: String = rest
                    .chars()
                    .take_while(|c| !matches!(c, ':' | '/' | '?' | '#' | '&' | '"' | ' '))
                    .collect();
                if !id.starts_with('<') {
                    self.add(&id, USER_ID, 2);
                }
            }
        }
    }

    /// `text` with every secret, user ID, display name and the base URL replaced.
    pub fn text(&self, text: &str) -> String {
        let mut text = self.secrets.scrub(text);
        for (known, marker) in &self.markers {
            if text.contains(known.as_str()) {
                text = text.replace(known.as_str(), marker);
            }
        }
        text
    }

    /// Every string of `value` (keys too) scrubbed as [`Scrub::text`] does.
    pub fn json(&self, value: Value) -> Value {
        match value {
            Value::String(s) => Value::String(self.text(&s)),
            Value::Array(items) => Value::Array(items.into_iter().map(|v| self.json(v)).collect()),
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| (self.text(&k), self.json(v)))
                    .collect(),
            ),
            other => other,
        }
    }
}

fn collect_strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn spotify_user_ids_in_uris_and_links_are_replaced_everywhere() {
        let mut scrub = Scrub::new(&[], "https://api.spotify.com/v1");
        let body = json!({"items": [{"context": {
            "uri": "spotify:user:sandboxlistener:collection",
            "href": "https://api.spotify.com/v1/users/sandboxlistener/playlists/x"}}]});
        scrub.learn(&body);
        let scrubbed = scrub.json(body).to_string();
        assert!(!scrubbed.contains("sandboxlistener"), "{scrubbed}");
        assert!(
            scrubbed.contains("spotify:user:<user-id>:collection"),
            "{scrubbed}"
        );
        assert!(
            scrubbed.contains("<base-url>/users/<user-id>/playlists"),
            "{scrubbed}"
        );
    }
}

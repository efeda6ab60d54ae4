//! Removing secrets from text that came from a server or from configuration before it
//! reaches an error, a log or a terminal, whatever their position and encoding.

/// What replaces a secret.
pub const REDACTED: &str = "<redacted>";

/// The secrets to remove, each with the spellings it can take in text a server echoes: as
/// is, percent-encoded (in a URL or a form), and in base64 (a Basic header, a JWT part).
#[derive(Clone, Default)]
pub struct Scrubber {
    spellings: Vec<String>,
}

impl Scrubber {
    /// Nothing to remove.
    pub fn new() -> Self {
        Self::default()
    }

    /// Also removes `secret`, in every spelling; secrets shorter than 4 characters are
    /// ignored, since removing them would mangle ordinary text without protecting much.
    pub fn with(mut self, secret: &str) -> Self {
        if secret.chars().count() < 4 {
            return self;
        }
        let spellings = [
            secret.to_string(),
            percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC)
                .to_string(),
            url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
            base64(secret.as_bytes()),
        ];
        for spelling in spellings {
            if !self.spellings.contains(&spelling) {
                self.spellings.push(spelling);
            }
        }
        // Longest first, so that no shorter spelling leaves part of a longer one behind.
        self.spellings.sort_by_key(|s| std::cmp::Reverse(s.len()));
        self
    }

    /// `text` with every spelling of every secret replaced by [`REDACTED`].
    pub fn scrub(&self, text: &str) -> String {
        let mut text = text.to_string();
        for spelling in &self.spellings {
            if text.contains(spelling.as_str()) {
                text = text.replace(spelling.as_str(), REDACTED);
            }
        }
        text
    }

    /// Every string in `value` scrubbed, keys and values alike.
    pub fn scrub_json(&self, value: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match value {
            Value::String(s) => Value::String(self.scrub(&s)),
            Value::Array(items) => {
                Value::Array(items.into_iter().map(|v| self.scrub_json(v)).collect())
            }
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| (self.scrub(&k), self.scrub_json(v)))
                    .collect(),
            ),
            other => other,
        }
    }
}

impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scrubber")
            .field("spellings", &self.spellings.len())
            .finish()
    }
}

/// Standard base64 without padding: a secret encoded alone, or at the start of a longer
/// encoded text, reads the same.
fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_secret_is_removed() {
        let scrubber = Scrubber::new().with("tok/en+1").with("key 2");
        let echoed = "Authorization: Bearer tok/en+1; url ?t=tok%2Fen%2B1&k=key+2 \
                      form t=tok%2Fen%2B1 b64 dG9rL2VuKzE= raw key 2";
        let scrubbed = scrubber.scrub(echoed);
        for leaked in ["tok/en+1", "tok%2Fen%2B1", "dG9rL2VuKzE", "key 2", "key+2"] {
            assert!(!scrubbed.contains(leaked), "{leaked} in {scrubbed}");
        }
        assert!(
            scrubbed.starts_with("Authorization: Bearer <redacted>;"),
            "{scrubbed}"
        );
    }

    #[test]
    fn json_strings_and_keys_are_scrubbed_and_short_secrets_ignored() {
        let scrubber = Scrubber::new().with("s3cr3t").with("ab");
        let value =
            serde_json::json!({"message": "bad token s3cr3t", "s3cr3t": [1, "s3cr3t"], "ab": "ab"});
        let scrubbed = scrubber.scrub_json(value).to_string();
        assert!(!scrubbed.contains("s3cr3t"), "{scrubbed}");
        assert!(scrubbed.contains(r#""ab":"ab""#), "{scrubbed}");
    }

    #[test]
    fn base64_matches_the_standard_alphabet() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE");
        assert_eq!(base64(b"user:pass"), "dXNlcjpwYXNz");
    }
}

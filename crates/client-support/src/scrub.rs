//! Removing secrets from text that came from a server or from configuration before it
//! reaches an error, a log or a terminal, whatever their position and encoding.

use std::ops::Range;

/// What replaces a secret.
pub const REDACTED: &str = "<redacted>";

/// Secrets with fewer characters than this are ignored.
const MIN_CHARS: usize = 4;

/// The secrets to remove from text a server echoes, each in every spelling listed here.
///
/// For a secret of at least 4 characters, [`scrub`](Self::scrub) removes every byte of the
/// text that belongs to one of these spellings of it, wherever the spelling stands and
/// whatever text surrounds it:
///
/// 1. As written.
/// 2. Percent-encoded: any of its characters written as the `%XX` escapes of their UTF-8
///    bytes, each hex digit in upper or lower case, the other characters as written, every
///    `%` of the secret escaped (as every percent-encoder escapes it). Whatever set of
///    characters an encoder escapes (a path, a query, `%2F` or `%2f`), its output is one of
///    these.
/// 3. Form-encoded: as percent-encoded, with any of its spaces written as `+`.
/// 4. Base64 or base64url, padded or not, inside longer encoded text: in the encoding of any
///    bytes `before ++ secret ++ after` (so at each of the 3 alignments of the secret in the
///    encoding's 3-byte groups), every character that carries at least one bit of the
///    secret. An echoed `Basic` credential, `base64(id:secret)` or `base64(secret:password)`,
///    is one such encoding.
/// 5. A base64 or base64url text of 4, percent- or form-encoded as in 2 or 3.
///
/// Each maximal run of removed bytes becomes one [`REDACTED`]; the bytes around it are kept,
/// in order. It can remove a little more than these spellings (a base64 character next to
/// one, a space where the secret has a `+`), never less. A secret with fewer than 4 characters is ignored: removing it would mangle
/// ordinary text without protecting much.
///
/// The property tests of this module check exactly these claims, over random secrets
/// (printable ASCII, arbitrary Unicode, and a few characters that make spellings ambiguous)
/// placed in random text, with random bytes around them in the base64 cases.
#[derive(Clone, Default)]
pub struct Scrubber {
    /// The secrets added, to add each once.
    secrets: Vec<String>,
    patterns: Vec<Pattern>,
}

impl Scrubber {
    /// Nothing to remove.
    pub fn new() -> Self {
        Self::default()
    }

    /// Also removes `secret`, in every spelling listed on [`Scrubber`]; a secret with fewer
    /// than 4 characters is ignored.
    pub fn with(mut self, secret: &str) -> Self {
        if secret.chars().count() < MIN_CHARS || self.secrets.iter().any(|s| s == secret) {
            return self;
        }
        self.secrets.push(secret.to_string());
        let mut patterns = vec![Pattern::new(secret.as_bytes(), None)];
        for url in [false, true] {
            for alignment in 0..3 {
                let (core, edges) = base64_core(secret.as_bytes(), alignment, url);
                patterns.push(Pattern::new(core.as_bytes(), Some(edges)));
            }
        }
        for pattern in patterns {
            if !self.patterns.contains(&pattern) {
                self.patterns.push(pattern);
            }
        }
        self
    }

    /// `text` with every spelling of every secret removed, each maximal run of removed bytes
    /// replaced by one [`REDACTED`].
    pub fn scrub(&self, text: &str) -> String {
        let removals = self.removals(text);
        if removals.is_empty() {
            return text.to_string();
        }
        let mut scrubbed = String::with_capacity(text.len());
        let mut kept = 0;
        for removal in removals {
            scrubbed.push_str(&text[kept..removal.start]);
            scrubbed.push_str(REDACTED);
            kept = removal.end;
        }
        scrubbed.push_str(&text[kept..]);
        scrubbed
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

    /// The byte ranges of `text` to remove: sorted, each on character boundaries, and with
    /// at least one kept byte between two of them.
    ///
    /// Each pattern is looked for twice at most, each time in linear time (Knuth–Morris–Pratt
    /// over the bytes): as is in `text` if it holds a `%`, and in the decoded view of `text`.
    fn removals(&self, text: &str) -> Vec<Range<usize>> {
        if self.patterns.is_empty() {
            return Vec::new();
        }
        let raw = text.as_bytes();
        let view = View::new(raw);
        let mut found = Vec::new();
        for pattern in &self.patterns {
            if let Some(exact) = &pattern.exact {
                exact.each_match(raw, |start| found.push(start..start + exact.needle.len()));
            }
            pattern
                .tail
                .each_match(&view.bytes, |at| pattern.found(raw, &view, at, &mut found));
        }
        for range in &mut found {
            while !text.is_char_boundary(range.start) {
                range.start -= 1;
            }
            while !text.is_char_boundary(range.end) {
                range.end += 1;
            }
        }
        found.sort_unstable_by_key(|range| range.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(found.len());
        for range in found {
            match merged.last_mut() {
                Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
                _ => merged.push(range),
            }
        }
        merged
    }
}

impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scrubber")
            .field("secrets", &self.secrets.len())
            .finish()
    }
}

// How the spellings are found.
//
// Percent- and form-encoding. The text is decoded once into a view: each `%XX` escape (hex
// digits in either case) becomes its byte, and every space becomes `+`, as it does in each
// pattern, so that a space, a `+`, `%20` and `%2B` all read the same (a little more than
// the claims, never less). The view is decoded greedily from the left, which can misread
// the first two bytes of a spelling (a `%` just before it makes an escape of its first
// hex digits), but from its third byte on a spelling is a run of the view's bytes: an
// escape that swallowed one of its bytes would start at a `%` inside it, and every `%`
// inside it starts one of its own escapes. So each pattern but its first two bytes is
// looked for in the view, and those two are read backwards in the text itself, each as a
// byte or an escape. A secret holding a `%` is also looked for as is, since its `%`
// followed by hex digits reads as an escape in the view.
//
// Base64. In the encoding of `before ++ secret ++ after`, the characters whose 6 bits all
// come from the secret depend only on the secret and on the alignment `before.len() % 3`:
// they are those of `encode([0; alignment] ++ secret)` without its first characters
// (which hold bits of `before`) and without its last, partial one (which holds bits of
// `after`). That core is at least 2 characters long at every alignment once the secret
// has 2 bytes, and at least 4 for 4 bytes (the fewest a 4-character secret has). The
// core is looked for as a pattern; the character just before it (at alignments 1 and 2)
// and just after it (when the secret does not end on a character boundary) hold the
// secret's remaining 2 or 4 bits, and are removed with it when those bits match.

/// One spelling to look for: the secret as written or a base64 core.
#[derive(Clone, PartialEq)]
struct Pattern {
    /// Looked for as is in the text; only for a secret holding a `%`.
    exact: Option<Finder>,
    /// The first two bytes (canonical: a space as `+`), read backwards in the text.
    head: [u8; 2],
    /// The rest (canonical), looked for in the view.
    tail: Finder,
    /// For a base64 core, which characters next to it carry the secret's remaining bits.
    edges: Option<Edges>,
}

impl Pattern {
    /// `bytes` has at least 3 bytes: a secret has at least 4 and a base64 core of one too.
    fn new(bytes: &[u8], edges: Option<Edges>) -> Self {
        let canonical: Vec<u8> = bytes.iter().map(|&b| canonical(b)).collect();
        Self {
            exact: bytes.contains(&b'%').then(|| Finder::new(bytes.to_vec())),
            head: [canonical[0], canonical[1]],
            tail: Finder::new(canonical[2..].to_vec()),
            edges,
        }
    }

    /// The tail found at `at` in `view`: if the head is spelled just before it in `raw`, the
    /// range of the whole spelling (with its edges for base64) goes into `found`.
    fn found(&self, raw: &[u8], view: &View, at: usize, found: &mut Vec<Range<usize>>) {
        let after = at + self.tail.needle.len();
        let mut end = view.source(after);
        let mut start = None;
        for (second, byte) in tokens_ending_at(raw, view.source(at)) {
            if byte != self.head[1] {
                continue;
            }
            for (first, byte) in tokens_ending_at(raw, second) {
                if byte != self.head[0] {
                    continue;
                }
                let mut first = first;
                if let Some(edges) = self.edges {
                    for (edge, byte) in tokens_ending_at(raw, first) {
                        if edges.lead.is_some_and(|bits| bits.holds(byte)) {
                            first = first.min(edge);
                        }
                    }
                }
                start = Some(start.map_or(first, |start: usize| start.min(first)));
            }
        }
        let Some(start) = start else { return };
        if let Some(bits) = self.edges.and_then(|edges| edges.trail)
            && view.bytes.get(after).is_some_and(|&byte| bits.holds(byte))
        {
            end = view.source(after + 1);
        }
        found.push(start..end);
    }
}

/// The characters next to a base64 core that carry the rest of the secret's bits.
#[derive(Clone, Copy, PartialEq)]
struct Edges {
    /// The character before the core, if the secret starts inside a character.
    lead: Option<Bits>,
    /// The character after the core, if the secret ends inside a character.
    trail: Option<Bits>,
}

/// Base64 characters (of either alphabet) whose value, masked, is `value`.
#[derive(Clone, Copy, PartialEq)]
struct Bits {
    mask: u8,
    value: u8,
}

impl Bits {
    fn holds(self, byte: u8) -> bool {
        base64_value(byte).is_some_and(|v| v & self.mask == self.value)
    }
}

/// The core of `secret` encoded at `alignment` (0, 1 or 2 bytes before it in its 3-byte
/// group), in the URL-safe alphabet or the standard one, and its edges.
fn base64_core(secret: &[u8], alignment: usize, url: bool) -> (String, Edges) {
    let mut bytes = vec![0; alignment];
    bytes.extend_from_slice(secret);
    let encoded = if url {
        base64_url(&bytes)
    } else {
        base64(&bytes)
    };
    let encoded = encoded.as_bytes();
    let (first_bit, end_bit) = (8 * alignment, 8 * bytes.len());
    let (start, end) = (first_bit.div_ceil(6), end_bit / 6);
    let value = |i: usize| base64_value(encoded[i]).unwrap_or_default();
    // The character before holds the secret's first bits as its low bits.
    let lead = (first_bit % 6 != 0).then(|| {
        let mask = (1u8 << (6 - first_bit % 6)) - 1;
        Bits {
            mask,
            value: value(start - 1) & mask,
        }
    });
    // The character after holds the secret's last bits as its high bits.
    let trail = (end_bit % 6 != 0).then(|| {
        let mask = 0b11_1111 & !((1u8 << (6 - end_bit % 6)) - 1);
        Bits {
            mask,
            value: value(end) & mask,
        }
    });
    let core = String::from_utf8_lossy(&encoded[start..end]).into_owned();
    (core, Edges { lead, trail })
}

/// A byte's value as a base64 character of either alphabet (`+` and `-` both 62, `/` and
/// `_` both 63).
fn base64_value(byte: u8) -> Option<u8> {
    match byte {
        b'A'..=b'Z' => Some(byte - b'A'),
        b'a'..=b'z' => Some(byte - b'a' + 26),
        b'0'..=b'9' => Some(byte - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

/// How both the view and the patterns read a byte: a space as `+`, as form-encoding has it.
fn canonical(byte: u8) -> u8 {
    if byte == b' ' { b'+' } else { byte }
}

fn hex_digit(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// The escape `%XX` at `at` in `raw`, if there is one: the byte it stands for.
fn escape_at(raw: &[u8], at: usize) -> Option<u8> {
    match raw.get(at..at + 3)? {
        [b'%', high, low] => Some(hex_digit(*high)? << 4 | hex_digit(*low)?),
        _ => None,
    }
}

/// The ways a byte can be spelled in `raw` ending at `end`: as itself, or as an escape.
/// Each is its start and the byte it reads as (canonical).
fn tokens_ending_at(raw: &[u8], end: usize) -> impl Iterator<Item = (usize, u8)> {
    let literal = end.checked_sub(1).map(|at| (at, canonical(raw[at])));
    let escape = end
        .checked_sub(3)
        .and_then(|at| Some((at, canonical(escape_at(raw, at)?))));
    literal.into_iter().chain(escape)
}

/// A text decoded from the left: each escape becomes its byte, each space a `+`.
struct View {
    bytes: Vec<u8>,
    /// Where in `bytes` each escape stands, in order.
    escapes: Vec<usize>,
}

impl View {
    fn new(raw: &[u8]) -> Self {
        let mut bytes = Vec::with_capacity(raw.len());
        let mut escapes = Vec::new();
        let mut at = 0;
        while at < raw.len() {
            match escape_at(raw, at) {
                Some(byte) => {
                    escapes.push(bytes.len());
                    bytes.push(canonical(byte));
                    at += 3;
                }
                None => {
                    bytes.push(canonical(raw[at]));
                    at += 1;
                }
            }
        }
        Self { bytes, escapes }
    }

    /// Where the byte at `at` of the view (or the end, at its length) starts in the text.
    fn source(&self, at: usize) -> usize {
        at + 2 * self.escapes.partition_point(|&escape| escape < at)
    }
}

/// A needle with its Knuth–Morris–Pratt table, to find every occurrence in linear time.
#[derive(Clone, PartialEq)]
struct Finder {
    needle: Vec<u8>,
    /// For each prefix `needle[..=i]`, the length of its longest proper border.
    borders: Vec<usize>,
}

impl Finder {
    fn new(needle: Vec<u8>) -> Self {
        let mut borders = vec![0; needle.len()];
        let mut border = 0;
        for i in 1..needle.len() {
            while border > 0 && needle[i] != needle[border] {
                border = borders[border - 1];
            }
            if needle[i] == needle[border] {
                border += 1;
            }
            borders[i] = border;
        }
        Self { needle, borders }
    }

    /// Calls `found` with the start of every occurrence in `haystack`, overlapping or not.
    fn each_match(&self, haystack: &[u8], mut found: impl FnMut(usize)) {
        let needle = &self.needle;
        let Some(&first) = needle.first() else { return };
        let mut matched = 0;
        let mut at = 0;
        while at < haystack.len() {
            if matched == 0 {
                match haystack[at..].iter().position(|&b| b == first) {
                    Some(skip) => at += skip,
                    None => return,
                }
            }
            let byte = haystack[at];
            while matched > 0 && needle[matched] != byte {
                matched = self.borders[matched - 1];
            }
            if needle[matched] == byte {
                matched += 1;
            }
            if matched == needle.len() {
                found(at + 1 - needle.len());
                matched = self.borders[matched - 1];
            }
            at += 1;
        }
    }
}

/// Standard base64 without padding.
fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes)
}

/// URL-safe base64 without padding.
fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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

    /// The base64 core (the characters that hold bits of the secret alone) exists at every
    /// alignment once the secret has 2 bytes, and has at least 4 characters once it has 4
    /// (the fewest a secret that is not ignored has), which `Pattern::new` relies on.
    #[test]
    fn a_base64_core_exists_at_every_alignment_from_two_bytes() {
        assert!(base64_core(b"a", 1, false).0.is_empty());
        for len in 2..=64 {
            let secret: Vec<u8> = (0..len).map(|i| (i * 37) as u8).collect();
            for (alignment, url) in (0..3).flat_map(|a| [(a, false), (a, true)]) {
                let core = base64_core(&secret, alignment, url).0;
                assert!(
                    core.len() >= (8 * len - 4) / 6,
                    "{len} bytes at {alignment}"
                );
                assert!(len < 4 || core.len() >= 4, "{len} bytes at {alignment}");
            }
        }
    }

    /// The cases of the issue: the secret followed by more bytes, behind an `id:` of each
    /// length, and lower-case escapes.
    #[test]
    fn the_reported_spellings_are_removed() {
        let scrubber = Scrubber::new().with("tok/en+1");
        for echoed in [
            "dG9rL2VuKzF4",     // base64("tok/en+1x")
            "YTp0b2svZW4rMQ==", // base64("a:tok/en+1")
            "YWI6dG9rL2VuKzE=", // base64("ab:tok/en+1")
            "YWJjOnRvay9lbisx", // base64("abc:tok/en+1")
            "tok%2fen%2b1",
            "tok%2Fen%2b1",
        ] {
            let scrubbed = scrubber.scrub(echoed);
            assert!(scrubbed.contains(REDACTED), "{echoed}: {scrubbed}");
        }
        assert_eq!(scrubber.scrub("YWI6dG9rL2VuKzE="), "YWI6<redacted>=");
        assert_eq!(scrubber.scrub("tok%2fen%2b1"), REDACTED);
        // The last character holds only bits of the `x`.
        assert_eq!(scrubber.scrub("dG9rL2VuKzF4"), "<redacted>4");
    }

    /// Text where every position starts a near miss stays fast: a pattern is looked for in
    /// linear time, not once per position.
    #[test]
    fn near_misses_everywhere_take_linear_time() {
        let secret = format!("{}b", "a".repeat(999));
        let scrubber = Scrubber::new().with(&secret).with(&"%".repeat(200));
        let text = format!("{}{}", "a".repeat(1_000_000), "%25".repeat(300_000));
        let started = std::time::Instant::now();
        let scrubbed = scrubber.scrub(&text);
        assert!(scrubbed.ends_with(REDACTED), "{}", &scrubbed[..100]);
        assert!(scrubbed.starts_with(&"a".repeat(1000)));
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
    }

    // The property tests: each checks one claim of `Scrubber`'s documentation, over random
    // secrets and random surroundings.

    /// A secret: printable ASCII, arbitrary Unicode, or a few characters that make spellings
    /// ambiguous (`%` and hex digits, `+` and space) and patterns overlap themselves.
    fn secret() -> impl Strategy<Value = String> {
        prop_oneof![
            "[ -~]{4,24}",
            prop::collection::vec(any::<char>(), 4..12).prop_map(String::from_iter),
            "[%+ 2aB5]{4,10}",
        ]
    }

    /// Text around a spelling: arbitrary, ending or starting with characters that may run
    /// into it (`%`, hex digits, `+`, base64 characters).
    fn surrounding() -> impl Strategy<Value = String> {
        (".{0,8}", "[%+ =0-9a-fA-F/_-]{0,4}", ".{0,8}", any::<bool>()).prop_map(
            |(a, tricky, b, first)| {
                if first {
                    format!("{tricky}{a}")
                } else {
                    format!("{a}{b}{tricky}")
                }
            },
        )
    }

    /// A scrubber for `secret`, and perhaps for another secret too.
    fn scrubber(secret: &str, other: &Option<String>) -> Scrubber {
        let scrubber = Scrubber::new();
        let scrubber = match other {
            Some(other) => scrubber.with(other),
            None => scrubber,
        };
        scrubber.with(secret)
    }

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Spelling {
        AsWritten,
        Percent,
        Form,
    }

    /// `text` percent- (or form-) encoded: each character escaped or not as `choices` say
    /// (every `%` escaped), each hex digit in either case, spaces perhaps as `+` in a form.
    /// Also where each character starts in the result.
    fn encode(text: &str, spelling: Spelling, choices: &[u8]) -> (String, Vec<usize>) {
        let mut encoded = String::new();
        let mut starts = Vec::new();
        for (i, ch) in text.chars().enumerate() {
            starts.push(encoded.len());
            let choice = choices[i % choices.len()];
            if spelling == Spelling::AsWritten {
                encoded.push(ch);
            } else if spelling == Spelling::Form && ch == ' ' && choice & 1 == 0 {
                encoded.push('+');
            } else if ch == '%' || choice & 2 != 0 {
                for (j, byte) in ch.to_string().bytes().enumerate() {
                    let case = |digit: char, bit: u32| {
                        if choice.rotate_right(j as u32) & (1 << bit) != 0 {
                            digit.to_ascii_lowercase()
                        } else {
                            digit
                        }
                    };
                    let hex = format!("{byte:02X}");
                    let mut digits = hex.chars();
                    encoded.push('%');
                    encoded.push(case(digits.next().unwrap(), 2));
                    encoded.push(case(digits.next().unwrap(), 3));
                }
            } else {
                encoded.push(ch);
            }
        }
        starts.push(encoded.len());
        (encoded, starts)
    }

    /// Whether the bytes `planted` of `text` are all removed.
    fn removed(scrubber: &Scrubber, text: &str, planted: Range<usize>) -> bool {
        let removals = scrubber.removals(text);
        removals
            .iter()
            .any(|r| r.start <= planted.start && planted.end <= r.end)
    }

    /// The characters of a base64 text of `before ++ secret ++ ...` that carry a bit of the
    /// secret.
    fn carrying(before: usize, secret: usize) -> Range<usize> {
        (8 * before / 6)..(8 * (before + secret)).div_ceil(6)
    }

    fn base64_engine(url: bool, padded: bool) -> base64::engine::GeneralPurpose {
        use base64::engine::general_purpose::{
            STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD,
        };
        match (url, padded) {
            (false, false) => STANDARD_NO_PAD,
            (false, true) => STANDARD,
            (true, false) => URL_SAFE_NO_PAD,
            (true, true) => URL_SAFE,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Claims 1 to 3: as written, percent-encoded and form-encoded.
        #[test]
        fn written_percent_and_form_spellings_are_removed(
            secret in secret(),
            other in prop::option::of(secret()),
            spelling in prop_oneof![
                Just(Spelling::AsWritten),
                Just(Spelling::Percent),
                Just(Spelling::Form),
            ],
            choices in prop::collection::vec(any::<u8>(), 1..16),
            before in surrounding(),
            after in surrounding(),
        ) {
            let (spelled, _) = encode(&secret, spelling, &choices);
            let text = format!("{before}{spelled}{after}");
            let planted = before.len()..before.len() + spelled.len();
            prop_assert!(
                removed(&scrubber(&secret, &other), &text, planted),
                "{spelled:?} in {text:?}"
            );
        }

        /// Claims 4 and 5: base64 and base64url, padded or not, at any alignment, inside
        /// longer encoded text, itself perhaps percent- or form-encoded.
        #[test]
        fn base64_spellings_are_removed_at_every_alignment(
            secret in secret(),
            other in prop::option::of(secret()),
            bytes_before in prop::collection::vec(any::<u8>(), 0..8),
            bytes_after in prop::collection::vec(any::<u8>(), 0..8),
            url in any::<bool>(),
            padded in any::<bool>(),
            spelling in prop_oneof![
                Just(Spelling::AsWritten),
                Just(Spelling::Percent),
                Just(Spelling::Form),
            ],
            choices in prop::collection::vec(any::<u8>(), 1..16),
            before in surrounding(),
            after in surrounding(),
        ) {
            use base64::Engine;
            let bytes = [&bytes_before[..], secret.as_bytes(), &bytes_after[..]].concat();
            let encoded = base64_engine(url, padded).encode(&bytes);
            let (spelled, starts) = encode(&encoded, spelling, &choices);
            let carrying = carrying(bytes_before.len(), secret.len());
            let text = format!("{before}{spelled}{after}");
            let planted = before.len() + starts[carrying.start]..before.len() + starts[carrying.end];
            prop_assert!(
                removed(&scrubber(&secret, &other), &text, planted),
                "{spelled:?} ({encoded:?}) in {text:?}"
            );
        }

        /// Claim 4, for an echoed `Basic` credential with the secret as either part.
        #[test]
        fn a_secret_in_a_basic_credential_is_removed(
            secret in secret(),
            id in "[^:]{0,12}",
            secret_is_password in any::<bool>(),
            before in surrounding(),
            after in surrounding(),
        ) {
            use base64::Engine;
            let (credential, offset) = if secret_is_password {
                (format!("{id}:{secret}"), id.len() + 1)
            } else {
                (format!("{secret}:{id}"), 0)
            };
            let header = "Authorization: Basic ";
            let value = base64::engine::general_purpose::STANDARD.encode(&credential);
            let text = format!("{before}{header}{value}{after}");
            let carrying = carrying(offset, secret.len());
            let at = before.len() + header.len();
            prop_assert!(
                removed(&Scrubber::new().with(&secret), &text, at + carrying.start..at + carrying.end),
                "{credential:?} as {value:?} in {text:?}"
            );
        }

        /// Each maximal run of removed bytes becomes one marker, the rest is kept in order.
        #[test]
        fn each_removed_run_becomes_one_marker_and_the_rest_is_kept(
            secret in secret(),
            other in prop::option::of(secret()),
            pieces in prop::collection::vec((surrounding(), any::<bool>()), 0..6),
        ) {
            let scrubber = scrubber(&secret, &other);
            let text: String = pieces
                .iter()
                .map(|(piece, with_secret)| {
                    if *with_secret { format!("{piece}{secret}") } else { piece.clone() }
                })
                .collect();
            let removals = scrubber.removals(&text);
            let mut expected = String::new();
            let mut kept = 0;
            for (i, removal) in removals.iter().enumerate() {
                prop_assert!(i == 0 || kept < removal.start, "{removals:?}");
                prop_assert!(removal.start < removal.end, "{removals:?}");
                expected.push_str(&text[kept..removal.start]);
                expected.push_str(REDACTED);
                kept = removal.end;
            }
            expected.push_str(&text[kept..]);
            prop_assert_eq!(scrubber.scrub(&text), expected);
        }

        /// A secret with fewer than 4 characters is ignored.
        #[test]
        fn short_secrets_are_ignored(
            secret in ".{0,3}",
            before in surrounding(),
            after in surrounding(),
        ) {
            let text = format!("{before}{secret}{after}");
            prop_assert_eq!(Scrubber::new().with(&secret).scrub(&text), text);
        }
    }
}

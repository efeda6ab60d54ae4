//! What a simulation keeps of each request it received.

/// One request as a simulation received it.
///
/// ```
/// use music_history_sandbox::RecordedRequest;
///
/// fn user_id_arrived_whole(request: &RecordedRequest, id: &str) -> bool {
///     request.path_segments == ["v1", "users", id, "recentlyPlayedEntities"]
/// }
/// # let _ = user_id_arrived_whole;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The HTTP method, e.g. `"GET"`.
    pub method: String,
    /// The path as received, still percent-encoded, e.g. `"/v1/users/a%2Fb/recentlyPlayedEntities"`.
    pub path: String,
    /// The path's segments (between `/`), each percent-decoded exactly once, e.g.
    /// `["v1", "users", "a/b", "recentlyPlayedEntities"]`; bytes that do not decode to UTF-8
    /// become U+FFFD.
    pub path_segments: Vec<String>,
    /// The query string as received (without `?`), if there was one.
    pub raw_query: Option<String>,
    /// The query's `key=value` pairs, form-decoded (`%XX` and `+`), in the order received,
    /// repeated keys included.
    pub query: Vec<(String, String)>,
    /// The request headers, names lower-case; values that are not UTF-8 become U+FFFD.
    pub headers: Vec<(String, String)>,
    /// The request body as received (empty for the API's `GET`s; the form of a token request).
    pub body: Vec<u8>,
}

impl RecordedRequest {
    pub(crate) fn from_wiremock(request: &wiremock::Request) -> Self {
        let url = &request.url;
        Self {
            method: request.method.to_string(),
            path: url.path().to_owned(),
            path_segments: path_segments(url.path()),
            raw_query: url.query().map(str::to_owned),
            query: url
                .query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
            headers: request
                .headers
                .iter()
                .map(|(name, value)| {
                    let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                    (name.as_str().to_owned(), value)
                })
                .collect(),
            body: request.body.clone(),
        }
    }

    /// The first value of header `name` (any case), if the request had it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Every value of query parameter `key`, in order (empty when absent).
    pub fn query_values(&self, key: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, value)| value.as_str())
            .collect()
    }
}

/// Splits an absolute path into its segments and percent-decodes each one exactly once.
pub(crate) fn path_segments(path: &str) -> Vec<String> {
    path.strip_prefix('/')
        .unwrap_or(path)
        .split('/')
        .map(percent_decode)
        .collect()
}

/// Decodes `%XX` escapes once; a `%` not followed by two hex digits stays as it is.
pub(crate) fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escape = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escape {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes everything but RFC 3986 unreserved characters: safe as one path segment or
/// one query value.
pub(crate) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_is_decoded_exactly_once() {
        assert_eq!(
            path_segments("/v1/users/a%2Fb%3F%23%25/x"),
            ["v1", "users", "a/b?#%", "x"]
        );
        assert_eq!(path_segments("/v1/users/%252F"), ["v1", "users", "%2F"]);
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%e2%82%ac"), "%zz€");
    }

    #[test]
    fn encoding_then_decoding_gives_the_text_back() {
        for text in ["plain", "a/b?c#d%e f", "ünïcödé/🎵", ""] {
            assert_eq!(percent_decode(&percent_encode(text)), text);
        }
    }
}

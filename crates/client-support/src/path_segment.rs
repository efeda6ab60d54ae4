//! Path parameters that must arrive as exactly one path segment, equal to themselves (an
//! Amazon Music user or track ID, a ListenBrainz user name).
//!
//! The generated code escapes a path parameter with `progenitor_client::encode_path`, which
//! percent-encodes controls, space, `"`, `#`, `<`, `>`, `?`, `` ` ``, `{`, `}`, `/`, `%` and
//! every non-ASCII byte, then hands the URL to a WHATWG URL parser. Everything else passes
//! through unescaped, and a URL parser still reinterprets two things:
//!
//! * a segment that is `.` or `..` (a dot segment) is removed, taking `..`'s parent with it;
//! * `\` separates segments in `http` and `https` URLs, like `/`.
//!
//! `encode_path` has already escaped `%`, so spellings such as `%2e%2e` arrive as themselves.
//! The remaining reserved characters (`;`, `=`, `&`, `@`, `:`, `+`, `|`, …) are left literal
//! and mean nothing special in a path segment, so the server decodes them as themselves.
//!
//! So [`one_segment`] refuses, before any request exists, a value that is empty, `.`, `..`,
//! or contains `\`: none of these can be sent as one segment equal to itself.

use std::str::FromStr;

use crate::InvalidParameter;

/// `value` as the generated path parameter `T` of `parameter`, or why it cannot be sent as
/// one segment equal to itself; `invalid` is the reason given when `T` itself refuses it.
///
/// ```
/// use client_support::path_segment::one_segment;
///
/// let id: String = one_segment("id", "B076YT2CBT".to_string(), "is not an ID")?;
/// assert_eq!(id, "B076YT2CBT");
/// let refused = one_segment::<String>("user_name", "..".to_string(), "is not a user name");
/// assert_eq!(
///     refused.unwrap_err().to_string(),
///     "`user_name` \"..\" is a dot segment, which URL parsers remove from the path"
/// );
/// # Ok::<(), client_support::InvalidParameter>(())
/// ```
pub fn one_segment<T: FromStr>(
    parameter: &'static str,
    value: String,
    invalid: &'static str,
) -> Result<T, InvalidParameter> {
    let refuse = |reason| InvalidParameter {
        parameter,
        value: value.clone(),
        reason,
    };
    match value.as_str() {
        "" => return Err(refuse("is empty")),
        "." | ".." => {
            return Err(refuse(
                "is a dot segment, which URL parsers remove from the path",
            ));
        }
        v if v.contains('\\') => {
            return Err(refuse(
                "contains `\\`, which URL parsers read as `/` in http(s) URLs",
            ));
        }
        _ => {}
    }
    value.parse().map_err(|_| refuse(invalid))
}

//! Path parameters that must arrive as exactly one path segment, equal to themselves.
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
//! So an id is refused, before anything is built, when it is empty, `.`, `..`, or contains
//! `\`: none of these can be sent as one segment equal to itself by the generated code, and
//! no Amazon Music ID looks like them. The hooks check the built path as a second line.

use crate::Error;
use crate::types::GetUserRecentlyPlayedEntitiesId;

/// Checks a user ID for `/users/{id}/recentlyPlayedEntities`.
pub(crate) fn user_id(value: &str) -> Result<GetUserRecentlyPlayedEntitiesId, Error> {
    let refuse = |reason| Error::InvalidPathParameter {
        parameter: "id",
        value: value.to_string(),
        reason,
    };
    match value {
        "" => return Err(refuse("is empty")),
        "." | ".." => {
            return Err(refuse(
                "is a dot segment, which URL parsers remove from the path",
            ));
        }
        _ if value.contains('\\') => {
            return Err(refuse(
                "contains `\\`, which URL parsers read as `/` in http(s) URLs",
            ));
        }
        _ => {}
    }
    value
        .parse()
        .map_err(|_| refuse("is not a valid Amazon Music user ID"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_cannot_be_one_segment_are_refused() {
        for refused in ["", ".", "..", "\\", "a\\b", "..\\x"] {
            assert!(
                matches!(
                    user_id(refused),
                    Err(Error::InvalidPathParameter {
                        parameter: "id",
                        ..
                    })
                ),
                "{refused:?}"
            );
        }
        for accepted in ["k35wo4lm34masdsadevrs7a", "...", ".a", "a/b", "%2e%2e", " "] {
            assert_eq!(user_id(accepted).unwrap().as_str(), accepted);
        }
    }
}

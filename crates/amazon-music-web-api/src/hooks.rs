//! The generated client's hooks: what every request goes through, whatever calls it.
//!
//! The generator is told (`HooksMode::Expected`, inner type `HookContext`) that this crate
//! implements `ClientHooks` for its `Client`, so `cargo xtask regen` keeps them; they are
//! every client's (`client_support::client_hooks!`), with this service's one rewrite.

/// What the hooks need, carried inside the generated `Client`.
pub(crate) type HookContext = client_support::send::RequestContext;

// Every client's hooks (`client_support::client_hooks!`), and `entityTypes` sent as one
// comma-separated value.
client_support::client_hooks!(crate::generated::Client, |request| {
    collapse_query_list(request.url_mut(), ENTITY_TYPES)
});

/// The query parameter the spec declares `style: form, explode: false`.
pub(crate) const ENTITY_TYPES: &str = "entityTypes";

/// Rewrites repeated `key=a&key=b` (what progenitor sends for any array) into the one
/// comma-separated `key=a,b` that `style: form, explode: false` means, in the place of the
/// first occurrence and in the order the values came.
///
/// It works on the encoded query: every other parameter keeps its exact bytes, each value
/// keeps its own escaping (a comma inside a value would stay `%2C`), and the commas between
/// values are literal, as RFC 6570 form expansion writes them.
pub(crate) fn collapse_query_list(url: &mut reqwest::Url, key: &str) {
    let Some(query) = url.query() else { return };
    let mut pairs: Vec<&str> = Vec::new();
    let mut values: Vec<&str> = Vec::new();
    let mut first = None;
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some((k, value)) if k == key => {
                first.get_or_insert(pairs.len());
                values.push(value);
            }
            _ => pairs.push(pair),
        }
    }
    let Some(first) = first else { return };
    if values.len() < 2 {
        return;
    }
    let joined = format!("{key}={}", values.join(","));
    pairs.insert(first, &joined);
    let rewritten = pairs.join("&");
    url.set_query(Some(&rewritten));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(query: &str) -> reqwest::Url {
        let mut url: reqwest::Url = "https://api.example/v1/me/recentlyPlayedEntities"
            .parse()
            .unwrap();
        url.set_query(Some(query));
        url
    }

    #[test]
    fn repeated_entity_types_become_one_comma_separated_value_in_place() {
        let mut u = url("cursor=a%3Ab&entityTypes=Album&entityTypes=Track&limit=5");
        collapse_query_list(&mut u, ENTITY_TYPES);
        assert_eq!(
            u.query(),
            Some("cursor=a%3Ab&entityTypes=Album,Track&limit=5")
        );

        let mut single = url("entityTypes=Album&limit=5");
        collapse_query_list(&mut single, ENTITY_TYPES);
        assert_eq!(single.query(), Some("entityTypes=Album&limit=5"));

        let mut none = url("cursor=x+y&limit=5");
        collapse_query_list(&mut none, ENTITY_TYPES);
        assert_eq!(none.query(), Some("cursor=x+y&limit=5"));
    }
}

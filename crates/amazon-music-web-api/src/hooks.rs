//! The generated client's hooks: what every request goes through.
//!
//! progenitor calls [`ClientHooks::pre`] on every request it has built and
//! [`ClientHooks::exec`] to send it; implementing them here (rather than editing the generated
//! module) keeps this behaviour across `cargo xtask regen`.

use std::fmt;
use std::sync::Arc;

use client_support::request::{self, InvalidCredential};
use client_support::{ApiKey, RetryPolicy, TokenSource};
use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};

use crate::generated::Client;

/// What the hooks need, carried inside the generated [`Client`].
#[derive(Clone)]
pub struct HookContext {
    token: Arc<dyn TokenSource>,
    api_key: ApiKey,
    retry: RetryPolicy,
    /// The base URL's path (`/v1`, or `""`), to check where a request's path ends up.
    base_path: String,
}

impl HookContext {
    pub(crate) fn new(
        token: Arc<dyn TokenSource>,
        api_key: ApiKey,
        retry: RetryPolicy,
        base_path: String,
    ) -> Self {
        Self {
            token,
            api_key,
            retry,
            base_path,
        }
    }
}

impl fmt::Debug for HookContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HookContext")
            .field("token", &format_args!("<redacted>"))
            .field("api_key", &self.api_key)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// The `InvalidRequest` message of a request whose path parameter did not end up as exactly
/// one path segment; the client turns it into `Error::InvalidPathParameter`.
pub(crate) const PATH_PARAMETER_ESCAPED: &str =
    "a path parameter did not end up as exactly one path segment";

impl ClientHooks<HookContext> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let context = self.inner();
        // Asked for on every request, so a refreshed token is used without a new client.
        let token = context.token.access_token();
        request::prepare(request, &token, Some(&context.api_key))
            .map_err(|InvalidCredential(what)| Error::InvalidRequest(what.to_string()))?;
        if !path_is_intact(info.operation_id, &context.base_path, request.url().path()) {
            return Err(Error::InvalidRequest(PATH_PARAMETER_ESCAPED.to_string()));
        }
        collapse_query_list(request.url_mut(), ENTITY_TYPES);
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        self.inner().retry.execute(self.client(), request).await
    }
}

/// Whether a request's path is still its operation's template with each path parameter
/// filling exactly one non-empty segment.
///
/// `path::user_id` refuses the ids known to escape their segment before anything is built;
/// this is the second line: whatever the URL parser did to the id, a request whose path has
/// another shape never leaves the process.
fn path_is_intact(operation_id: &str, base_path: &str, path: &str) -> bool {
    let template: &[&str] = match operation_id {
        "get_user_recently_played_entities" => &["users", "{id}", "recentlyPlayedEntities"],
        // No path parameters: nothing of the caller's can move the path.
        _ => return true,
    };
    let Some(rest) = path.strip_prefix(base_path) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix('/') else {
        return false;
    };
    let segments: Vec<&str> = rest.split('/').collect();
    segments.len() == template.len()
        && segments.iter().zip(template).all(|(segment, expected)| {
            if expected.starts_with('{') {
                !segment.is_empty()
            } else {
                segment == expected
            }
        })
}

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
    use client_support::AccessToken;
    use reqwest::header::AUTHORIZATION;

    fn client() -> Client {
        let context = HookContext::new(
            Arc::new(AccessToken::new("tok-123")),
            ApiKey::new("key-456"),
            RetryPolicy::none(),
            "/v1".into(),
        );
        Client::new_with_client(
            "https://api.example/v1",
            client_support::http::client_builder().build().unwrap(),
            context,
        )
    }

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

    #[test]
    fn only_the_template_with_one_segment_per_parameter_is_intact() {
        let op = "get_user_recently_played_entities";
        assert!(path_is_intact(
            op,
            "/v1",
            "/v1/users/a%2Fb/recentlyPlayedEntities"
        ));
        assert!(path_is_intact(op, "", "/users/x/recentlyPlayedEntities"));
        for escaped in [
            "/v1/users/a/b/recentlyPlayedEntities",
            "/v1/users//recentlyPlayedEntities",
            "/v1/recentlyPlayedEntities",
            "/users/x/recentlyPlayedEntities",
            "/v1/users/x/recentlyPlayedEntities/",
        ] {
            assert!(!path_is_intact(op, "/v1", escaped), "{escaped}");
        }
        assert!(path_is_intact(
            "get_recently_played_tracks",
            "/v1",
            "/anything"
        ));
    }

    #[tokio::test]
    async fn pre_sets_sensitive_credentials_and_drops_the_generator_header() {
        let client = client();
        let mut request = reqwest::Request::new(
            reqwest::Method::GET,
            url("entityTypes=Album&entityTypes=User"),
        );
        request
            .headers_mut()
            .insert("api-version", "1.0.0".parse().unwrap());
        let info = OperationInfo {
            operation_id: "get_my_recently_played_entities",
        };
        client.pre::<()>(&mut request, &info).await.unwrap();
        let headers = request.headers();
        assert!(headers.get("api-version").is_none());
        assert_eq!(headers[AUTHORIZATION], "Bearer tok-123");
        assert_eq!(headers["x-api-key"], "key-456");
        assert!(headers[AUTHORIZATION].is_sensitive() && headers["x-api-key"].is_sensitive());
        assert_eq!(request.url().query(), Some("entityTypes=Album,User"));
        let debug = format!("{request:?} {client:?}");
        assert!(
            !debug.contains("tok-123") && !debug.contains("key-456"),
            "{debug}"
        );
    }

    #[tokio::test]
    async fn a_path_the_url_parser_reshaped_is_refused_by_the_hook_before_sending() {
        // Nothing listens at api.example: a request that got past `pre` would fail in
        // transit instead.
        let client = client();
        for id in ["a\\b", "..", ".", "x\\..\\..\\me"] {
            let id = id.parse().unwrap();
            let error = client
                .get_user_recently_played_entities(&id, None, None, None)
                .await
                .unwrap_err();
            assert!(
                matches!(&error, Error::InvalidRequest(m) if m == PATH_PARAMETER_ESCAPED),
                "{id:?}: {error:?}"
            );
        }
    }
}

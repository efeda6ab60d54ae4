//! What the clients' hooks do to every request before it is sent.

use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};

use crate::secret::{AccessToken, ApiKey};

/// The header progenitor adds to every request from the spec's `info.version`; neither API
/// defines it, so it is removed before sending.
pub const GENERATOR_VERSION_HEADER: &str = "api-version";

/// A credential that cannot be an HTTP header value (a control character, say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidCredential(pub &'static str);

/// Removes what the generator adds but the APIs do not define, and sets the credentials,
/// marked sensitive so that they are redacted from `Debug` output of the request.
pub fn prepare(
    request: &mut reqwest::Request,
    token: &AccessToken,
    api_key: Option<&ApiKey>,
) -> Result<(), InvalidCredential> {
    let headers = request.headers_mut();
    headers.remove(GENERATOR_VERSION_HEADER);
    headers.insert(
        AUTHORIZATION,
        sensitive(&format!("Bearer {}", token.expose()), "access token")?,
    );
    if let Some(key) = api_key {
        headers.insert(
            HeaderName::from_static("x-api-key"),
            sensitive(key.expose(), "API key")?,
        );
    }
    Ok(())
}

fn sensitive(value: &str, what: &'static str) -> Result<HeaderValue, InvalidCredential> {
    let mut value = HeaderValue::from_str(value).map_err(|_| InvalidCredential(what))?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> reqwest::Request {
        let mut request = reqwest::Request::new(
            reqwest::Method::GET,
            "https://api.example/v1/x".parse().unwrap(),
        );
        request
            .headers_mut()
            .insert(GENERATOR_VERSION_HEADER, HeaderValue::from_static("1.0.0"));
        request
    }

    #[test]
    fn credentials_are_set_sensitive_and_the_generator_header_removed() {
        let mut request = request();
        prepare(&mut request, &"tok-123".into(), Some(&"key-456".into())).unwrap();
        let headers = request.headers();
        assert!(headers.get(GENERATOR_VERSION_HEADER).is_none());
        assert_eq!(headers[AUTHORIZATION], "Bearer tok-123");
        assert_eq!(headers["x-api-key"], "key-456");
        assert!(headers[AUTHORIZATION].is_sensitive() && headers["x-api-key"].is_sensitive());
        let debug = format!("{request:?} {headers:?}");
        assert!(
            !debug.contains("tok-123") && !debug.contains("key-456"),
            "{debug}"
        );
    }

    #[test]
    fn a_token_with_a_newline_is_refused() {
        let mut request = request();
        let refused = prepare(&mut request, &"tok\nX-Evil: 1".into(), None);
        assert_eq!(refused, Err(InvalidCredential("access token")));
    }
}

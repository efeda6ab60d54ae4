//! The simulated authorization servers against RFC 6749 and RFC 7636 and the services' own
//! rules, seen by a plain HTTP client that follows no redirect.

mod amazon;
mod spotify;

use std::time::Duration;

use serde_json::Value;

/// RFC 7636, appendix B: a code verifier and its `S256` challenge, worked out by the RFC's
/// authors, not by the code under test.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// A well-formed verifier that is not [`VERIFIER`].
const OTHER_VERIFIER: &str = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";

const REDIRECT_URI: &str = "http://127.0.0.1:8888/callback";

/// `client_support`'s client follows no redirect, so the `302` of the authorization endpoint
/// is what the test sees.
fn client() -> reqwest::Client {
    client_support::http::client_builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client")
}

/// What the authorization endpoint answered.
struct Consent {
    status: u16,
    location: Option<String>,
    body: String,
}

impl Consent {
    /// The redirect's query parameter `key`, decoded.
    fn param(&self, key: &str) -> Option<String> {
        let location = self.location.as_deref().expect("a Location header");
        let url = url::Url::parse(location).expect("Location is a URL");
        url.query_pairs()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.into_owned())
    }

    fn code(&self) -> String {
        assert_eq!(self.status, 302, "{}", self.body);
        self.param("code").expect("the redirect carries a code")
    }
}

async fn authorize(url: String, query: &[(&str, &str)]) -> Consent {
    let response = client()
        .get(url)
        .query(query)
        .send()
        .await
        .expect("an HTTP response");
    Consent {
        status: response.status().as_u16(),
        location: response
            .headers()
            .get("location")
            .map(|value| value.to_str().expect("ASCII Location").to_owned()),
        body: response.text().await.expect("a body"),
    }
}

/// What the token endpoint (or the API) answered.
struct Reply {
    status: u16,
    headers: reqwest::header::HeaderMap,
    json: Value,
}

impl Reply {
    /// The RFC 6749 error code, after checking the status that goes with it.
    fn error(&self) -> &str {
        let error = self.json["error"].as_str().expect("an RFC 6749 error");
        let expected = if error == "invalid_client" { 401 } else { 400 };
        assert_eq!(self.status, expected, "{}", self.json);
        assert!(self.json["error_description"].is_string(), "{}", self.json);
        error
    }

    fn str(&self, key: &str) -> &str {
        assert_eq!(self.status, 200, "{}", self.json);
        self.json[key]
            .as_str()
            .unwrap_or_else(|| panic!("{key} in {}", self.json))
    }
}

async fn reply(response: reqwest::Response) -> Reply {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("a body");
    Reply {
        status,
        headers,
        json: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

/// POSTs `form`, form-encoded, to the token endpoint at `url`, with HTTP Basic if given.
async fn token(url: String, form: &[(&str, &str)], basic: Option<(&str, &str)>) -> Reply {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let mut request = client()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body);
    if let Some((id, secret)) = basic {
        request = request.basic_auth(id, Some(secret));
    }
    reply(request.send().await.expect("an HTTP response")).await
}

/// GETs an API URL with a bearer token (and an `x-api-key`, for Amazon Music).
async fn api(url: String, token: &str, api_key: Option<&str>) -> Reply {
    let mut request = client().get(url).bearer_auth(token);
    if let Some(key) = api_key {
        request = request.header("x-api-key", key);
    }
    reply(request.send().await.expect("an HTTP response")).await
}

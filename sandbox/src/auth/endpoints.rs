//! The two endpoints: authorization, where the user is taken to have consented at once, and
//! token, which redeems codes and refresh tokens.
//!
//! The authorization endpoint never redirects with an `error`: whatever it refuses gets `400`
//! and a line of text, as if shown to the user. The token endpoint answers RFC 6749, 5.2
//! errors as JSON.

use std::time::Instant;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::json;
use sha2::{Digest, Sha256};
use wiremock::ResponseTemplate;

use super::{AuthServer, CODE_LIFETIME, IssuedTokens, PendingCode};
use crate::record::{RecordedRequest, percent_decode, percent_encode};
use crate::server;

impl AuthServer {
    /// Answers a request to one of [`AuthServer::serves`]'s paths.
    pub(crate) fn answer(&mut self, request: &RecordedRequest) -> ResponseTemplate {
        let now = Instant::now();
        if request.path == self.provider.authorize_path {
            if request.method != "GET" {
                return text(405, "Use GET.").insert_header("allow", "GET");
            }
            match self.consent(request, now) {
                Ok(location) => ResponseTemplate::new(302).insert_header("location", location),
                Err(refusal) => text(400, &refusal),
            }
        } else {
            if request.method != "POST" {
                let error = OAuthError {
                    status: 405,
                    ..invalid_request("use POST")
                };
                return error.response().insert_header("allow", "POST");
            }
            match self.grant(request, now) {
                Ok((tokens, scope)) => {
                    let body = json!({
                        "access_token": tokens.access_token,
                        "token_type": "Bearer",
                        "expires_in": tokens.expires_in.as_secs(),
                        "refresh_token": tokens.refresh_token,
                        "scope": scope,
                    });
                    no_store(server::json(200, &body))
                }
                Err(error) => error.response(),
            }
        }
    }

    /// Checks an authorization request and issues its code: the redirect's `Location`, or
    /// why the request is refused.
    fn consent(&mut self, request: &RecordedRequest, now: Instant) -> Result<String, String> {
        let param = |key: &str| single(&request.query, key);
        let client_id = param("client_id")?.ok_or("client_id is missing.")?;
        if client_id != self.provider.client_id {
            return Err(format!("Unknown client_id {client_id:?}."));
        }
        let redirect_uri = param("redirect_uri")?.ok_or("redirect_uri is missing.")?;
        let redirect = loopback(redirect_uri)?;
        match param("response_type")? {
            Some("code") => {}
            Some(other) => return Err(format!("Unsupported response_type {other:?}: use code.")),
            None => return Err("response_type is missing: use code.".to_owned()),
        }
        let challenge = match (param("code_challenge")?, param("code_challenge_method")?) {
            (None, None) => None,
            (Some(challenge), Some("S256")) if is_s256_challenge(challenge) => {
                Some(challenge.to_owned())
            }
            (Some(_), Some("S256")) => {
                return Err("code_challenge is not 43 base64url characters.".to_owned());
            }
            (Some(_), _) => return Err("code_challenge_method must be S256.".to_owned()),
            (None, Some(_)) => return Err("code_challenge_method without code_challenge.".into()),
        };
        let code = self.fresh(self.provider.prefixes[0]);
        self.codes.insert(
            code.clone(),
            PendingCode {
                redirect_uri: redirect_uri.to_owned(),
                scope: param("scope")?.unwrap_or_default().to_owned(),
                challenge,
                expires_at: now + CODE_LIFETIME,
            },
        );
        let mut location = redirect.as_str().to_owned();
        location.push_str(match redirect.query() {
            None => "?",
            Some("") => "",
            Some(_) => "&",
        });
        location.push_str(&format!("code={}", percent_encode(&code)));
        if let Some(state) = param("state")? {
            location.push_str(&format!("&state={}", percent_encode(state)));
        }
        Ok(location)
    }

    /// Redeems a token request: the tokens and their scope, or the RFC 6749 error.
    fn grant(
        &mut self,
        request: &RecordedRequest,
        now: Instant,
    ) -> Result<(IssuedTokens, String), OAuthError> {
        let form_encoded = request.header("content-type").is_some_and(|value| {
            value
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
        if !form_encoded {
            return Err(invalid_request(
                "the body must be application/x-www-form-urlencoded",
            ));
        }
        let form: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
            .into_owned()
            .collect();
        let grant_type = required(&form, "grant_type")?;
        if !matches!(grant_type, "authorization_code" | "refresh_token") {
            return Err(OAuthError {
                status: 400,
                error: "unsupported_grant_type",
                description: format!("grant_type {grant_type:?} is not supported"),
            });
        }
        let with_secret = self.authenticate(request, &form)?;
        if grant_type == "refresh_token" {
            return self.renew(&form, now);
        }
        let code = required(&form, "code")?;
        let redirect_uri = required(&form, "redirect_uri")?;
        let verifier = optional(&form, "code_verifier")?;
        // The first attempt spends the code, whatever its outcome.
        let pending = self
            .codes
            .remove(code)
            .ok_or_else(|| invalid_grant("unknown or already used authorization code"))?;
        if now >= pending.expires_at {
            return Err(invalid_grant("the authorization code expired"));
        }
        if redirect_uri != pending.redirect_uri {
            return Err(invalid_grant(
                "redirect_uri is not the one of the authorization request",
            ));
        }
        match (&pending.challenge, verifier) {
            (Some(challenge), Some(verifier)) if verifier_matches(verifier, challenge) => {}
            (Some(_), Some(_)) => {
                return Err(invalid_grant("code_verifier does not match code_challenge"));
            }
            (Some(_), None) => {
                return Err(invalid_grant(
                    "code_verifier is missing: the authorization request had a code_challenge",
                ));
            }
            (None, Some(_)) => {
                return Err(invalid_grant(
                    "code_verifier given, but the authorization request had no code_challenge",
                ));
            }
            (None, None) if !with_secret => {
                return Err(invalid_client(
                    "a code requested without PKCE is redeemed with the client secret",
                ));
            }
            (None, None) => {}
        }
        self.grants.authorization_code += 1;
        let tokens = self.issue(pending.scope.clone(), now);
        Ok((tokens, pending.scope))
    }

    /// The refresh token grant: a new access token, and a new refresh token in place of the
    /// one used.
    fn renew(
        &mut self,
        form: &[(String, String)],
        now: Instant,
    ) -> Result<(IssuedTokens, String), OAuthError> {
        let refresh_token = required(form, "refresh_token")?;
        let scope = self
            .refresh
            .remove(refresh_token)
            .ok_or_else(|| invalid_grant("unknown, used or revoked refresh token"))?;
        self.grants.refresh_token += 1;
        let tokens = self.issue(scope.clone(), now);
        Ok((tokens, scope))
    }

    /// Identifies the client, by HTTP Basic or by `client_id` (and `client_secret`) in the
    /// form: whether it proved itself with its secret.
    fn authenticate(
        &self,
        request: &RecordedRequest,
        form: &[(String, String)],
    ) -> Result<bool, OAuthError> {
        let body_id = optional(form, "client_id")?;
        let body_secret = optional(form, "client_secret")?;
        let (client_id, secret) = match request.header("authorization") {
            Some(header) => {
                let (id, secret) = basic_credentials(header)
                    .ok_or_else(|| invalid_client("the Authorization header is not HTTP Basic"))?;
                if body_secret.is_some() {
                    // RFC 6749, 2.3: one authentication method per request.
                    return Err(invalid_request(
                        "client_secret sent both in Basic and the body",
                    ));
                }
                if body_id.is_some_and(|body_id| body_id != id) {
                    return Err(invalid_client("client_id differs from the Basic user name"));
                }
                (id, Some(secret))
            }
            None => (
                body_id
                    .ok_or_else(|| invalid_client("no client_id and no HTTP Basic"))?
                    .to_owned(),
                body_secret.map(str::to_owned),
            ),
        };
        if client_id != self.provider.client_id {
            return Err(invalid_client(format!("unknown client {client_id:?}")));
        }
        match secret {
            Some(secret) if secret == self.provider.client_secret => Ok(true),
            Some(_) => Err(invalid_client("wrong client secret")),
            None if self.provider.secret_required => {
                Err(invalid_client("client_secret is missing"))
            }
            None => Ok(false),
        }
    }
}

/// Parses a redirect URI that the rule for local apps allows: `http` to a loopback IP literal
/// (`127.0.0.1` or `[::1]`, any port), not `localhost`, and no fragment (RFC 6749, 3.1.2).
fn loopback(redirect_uri: &str) -> Result<url::Url, String> {
    let refused = || {
        format!(
            "Invalid redirect_uri {redirect_uri:?}: use http://127.0.0.1:PORT/... or http://[::1]:PORT/..."
        )
    };
    let url = url::Url::parse(redirect_uri).map_err(|_| refused())?;
    // The URL parser also reads `127.1` or `0x7f000001` as 127.0.0.1; the rule names the
    // literal, so the text must spell it.
    let spelled = ["http://127.0.0.1", "http://[::1]"].iter().any(|origin| {
        redirect_uri
            .strip_prefix(origin)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/', '?']))
    });
    let host_is_loopback = matches!(url.host_str(), Some("127.0.0.1" | "[::1]"));
    if spelled && host_is_loopback && url.fragment().is_none() {
        Ok(url)
    } else {
        Err(refused())
    }
}

/// What an `S256` challenge is: 32 bytes, base64url without padding.
fn is_s256_challenge(challenge: &str) -> bool {
    challenge.len() == 43
        && challenge
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

/// RFC 7636, 4.6: `BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) == code_challenge`, for a
/// verifier of 43 to 128 unreserved characters (4.1).
fn verifier_matches(verifier: &str, challenge: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"-._~".contains(&byte));
    well_formed && URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == challenge
}

/// `Basic base64(client_id:client_secret)`, each part form-encoded first (RFC 6749, 2.3.1).
fn basic_credentials(header: &str) -> Option<(String, String)> {
    let (scheme, encoded) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((percent_decode(id), percent_decode(secret)))
}

/// The one value of parameter `key`: RFC 6749, 3.1 treats an empty value as absent and
/// forbids repeating a parameter.
fn single<'a>(pairs: &'a [(String, String)], key: &str) -> Result<Option<&'a str>, String> {
    let mut values = pairs
        .iter()
        .filter(|(name, value)| name == key && !value.is_empty())
        .map(|(_, value)| value.as_str());
    match (values.next(), values.next()) {
        (value, None) => Ok(value),
        (_, Some(_)) => Err(format!("{key} is given more than once.")),
    }
}

fn optional<'a>(form: &'a [(String, String)], key: &str) -> Result<Option<&'a str>, OAuthError> {
    single(form, key).map_err(invalid_request)
}

fn required<'a>(form: &'a [(String, String)], key: &str) -> Result<&'a str, OAuthError> {
    optional(form, key)?.ok_or_else(|| invalid_request(format!("{key} is missing")))
}

/// An RFC 6749, 5.2 error.
struct OAuthError {
    status: u16,
    error: &'static str,
    description: String,
}

impl OAuthError {
    fn response(&self) -> ResponseTemplate {
        let body = json!({"error": self.error, "error_description": self.description});
        let response = no_store(server::json(self.status, &body));
        if self.status == 401 {
            // RFC 6749, 5.2: a 401 names the authentication scheme the client should use.
            response.insert_header("www-authenticate", "Basic realm=\"sandbox\"")
        } else {
            response
        }
    }
}

fn invalid_request(description: impl Into<String>) -> OAuthError {
    OAuthError {
        status: 400,
        error: "invalid_request",
        description: description.into(),
    }
}

fn invalid_grant(description: impl Into<String>) -> OAuthError {
    OAuthError {
        status: 400,
        error: "invalid_grant",
        description: description.into(),
    }
}

fn invalid_client(description: impl Into<String>) -> OAuthError {
    OAuthError {
        status: 401,
        error: "invalid_client",
        description: description.into(),
    }
}

/// RFC 6749, 5.1: token responses, errors included, must not be cached.
fn no_store(response: ResponseTemplate) -> ResponseTemplate {
    response
        .insert_header("cache-control", "no-store")
        .insert_header("pragma", "no-cache")
}

fn text(status: u16, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(format!("{message}\n"), "text/plain; charset=utf-8")
}

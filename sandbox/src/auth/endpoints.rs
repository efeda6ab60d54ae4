//! The two endpoints: authorization, where the user is taken to have consented at once, and
//! token, which redeems codes and refresh tokens.
//!
//! Whatever the authorization endpoint refuses gets `400` and a line of text, as if shown to
//! the user, and no redirect. It redirects with an `error` only when a test denied the
//! consent ([`AuthServer::deny_next_consent`]), and only for a request it would otherwise
//! have answered with a code (RFC 6749, 4.1.2.1: never to a redirect URI it does not trust).
//! The token endpoint answers RFC 6749, 5.2 errors as JSON. What a refresh returns follows
//! the module above: rotated for a public client, kept for a confidential one, refused past
//! its chain's lifetime.

use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::json;
use sha2::{Digest, Sha256};
use wiremock::ResponseTemplate;

use super::{AuthServer, CODE_LIFETIME, KeptRefreshToken, PendingCode};
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
                Ok(granted) => granted.response(),
                Err(error) => error.response(),
            }
        }
    }

    /// Checks an authorization request and issues its code, or the refusal a test queued:
    /// the redirect's `Location`, or why the request is refused.
    fn consent(&mut self, request: &RecordedRequest, now: Instant) -> Result<String, String> {
        let param = |key: &str| single(&request.query, key);
        let client_id = param("client_id")?.ok_or("client_id is missing.")?;
        if client_id != self.provider.client_id {
            return Err(format!("Unknown client_id {client_id:?}."));
        }
        let redirect_uri = param("redirect_uri")?.ok_or("redirect_uri is missing.")?;
        let redirect = loopback(redirect_uri, self.provider.redirect_hosts)?;
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
        let scope = param("scope")?.unwrap_or_default().to_owned();
        let state = param("state")?;
        if let Some(error) = self.denials.pop_front() {
            // RFC 6749, 4.1.2.1: the client learns of the refusal at its redirect URI,
            // with its `state`; no code is issued.
            return Ok(redirect_to(&redirect, "error", &error, state));
        }
        let code = self.fresh(self.provider.prefixes[0]);
        self.codes.insert(
            code.clone(),
            PendingCode {
                redirect_uri: redirect_uri.to_owned(),
                scope,
                challenge,
                expires_at: now + CODE_LIFETIME,
            },
        );
        Ok(redirect_to(&redirect, "code", &code, state))
    }

    /// Redeems a token request: the tokens and their scope, or the RFC 6749 error.
    fn grant(&mut self, request: &RecordedRequest, now: Instant) -> Result<Granted, OAuthError> {
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
            return self.renew(&form, with_secret, now);
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
        Ok(Granted {
            access_token: tokens.access_token,
            expires_in: tokens.expires_in,
            refresh_token: Some(tokens.refresh_token),
            scope: pending.scope,
        })
    }

    /// The refresh token grant: a new access token and, for a client that sent no secret, a
    /// new refresh token in place of the one used; a client that sent its secret keeps its
    /// refresh token, and gets what the provider's [`KeptRefreshToken`] says.
    fn renew(
        &mut self,
        form: &[(String, String)],
        with_secret: bool,
        now: Instant,
    ) -> Result<Granted, OAuthError> {
        let refresh_token = required(form, "refresh_token")?;
        let grant = self
            .refresh
            .get(refresh_token)
            .cloned()
            .ok_or_else(|| invalid_grant("unknown, used or revoked refresh token"))?;
        if let Some(lifetime) = self.refresh_lifetime
            && now.saturating_duration_since(grant.signed_in_at) >= lifetime
        {
            return Err(invalid_grant(format!(
                "the refresh token expired: it lasts {lifetime:?} from the sign-in, however \
                 often it was refreshed; sign in again"
            )));
        }
        let access_token = self.new_access_token(&grant.scope, now);
        let scope = grant.scope.clone();
        let refresh_token = match (with_secret, self.provider.confidential_refresh) {
            (false, _) => {
                self.refresh.remove(refresh_token);
                Some(self.new_refresh_token(grant))
            }
            (true, KeptRefreshToken::Unsent) => None,
            (true, KeptRefreshToken::SentBack) => Some(refresh_token.to_owned()),
        };
        self.grants.refresh_token += 1;
        Ok(Granted {
            access_token,
            expires_in: self.access_lifetime,
            refresh_token,
            scope,
        })
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

/// Parses a redirect URI that the provider's rule for local apps allows: `http` to one of
/// `hosts` (loopback IP literals `127.0.0.1` and `[::1]`, and, where the provider allows it,
/// `localhost`), any port, and no fragment (RFC 6749, 3.1.2).
fn loopback(redirect_uri: &str, hosts: &[&str]) -> Result<url::Url, String> {
    let refused = || {
        let examples: Vec<String> = hosts
            .iter()
            .map(|host| format!("http://{host}:PORT/..."))
            .collect();
        format!(
            "Invalid redirect_uri {redirect_uri:?}: use {}",
            examples.join(" or ")
        )
    };
    let url = url::Url::parse(redirect_uri).map_err(|_| refused())?;
    // The URL parser also reads `127.1` or `0x7f000001` as 127.0.0.1; the rule names the
    // host, so the text must spell it.
    let spelled = hosts.iter().any(|host| {
        redirect_uri
            .strip_prefix("http://")
            .and_then(|rest| rest.strip_prefix(host))
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/', '?']))
    });
    let host_allowed = url.host_str().is_some_and(|host| hosts.contains(&host));
    if spelled && host_allowed && url.fragment().is_none() {
        Ok(url)
    } else {
        Err(refused())
    }
}

/// `redirect` with `key=value`, then `state` if the request had one, added to its query
/// (RFC 6749, 4.1.2: a query the redirect URI has is kept), each value percent-encoded.
fn redirect_to(redirect: &url::Url, key: &str, value: &str, state: Option<&str>) -> String {
    let mut location = redirect.as_str().to_owned();
    location.push_str(match redirect.query() {
        None => "?",
        Some("") => "",
        Some(_) => "&",
    });
    location.push_str(&format!("{key}={}", percent_encode(value)));
    if let Some(state) = state {
        location.push_str(&format!("&state={}", percent_encode(state)));
    }
    location
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

/// What the token endpoint grants: RFC 6749, 5.1's successful response.
struct Granted {
    access_token: String,
    expires_in: Duration,
    /// `None`: the response has no `refresh_token` (the client keeps the one it has).
    refresh_token: Option<String>,
    scope: String,
}

impl Granted {
    fn response(self) -> ResponseTemplate {
        let mut body = json!({
            "access_token": self.access_token,
            "token_type": "Bearer",
            "expires_in": self.expires_in.as_secs(),
            "scope": self.scope,
        });
        if let Some(refresh_token) = self.refresh_token {
            body["refresh_token"] = refresh_token.into();
        }
        no_store(server::json(200, &body))
    }
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

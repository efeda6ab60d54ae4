//! What the live mode knows of one service: a [`Description`], data and functions.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;

use client_support::InvalidBaseUrl;
use client_support::oauth::AuthorizationServer;

use crate::live::checks::Findings;
use crate::live::exchange::{Halt, Requester};
use crate::live::record::Undecodable;
use crate::live::walks::Bounds;

/// A future on the current thread (the live mode and the sandbox run on one).
pub type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// A service's authorization server, or the one at the base URL given (the client crate's
/// `oauth::authorization_server`).
pub type AuthorizationServerAt = fn(Option<&str>) -> Result<AuthorizationServer, InvalidBaseUrl>;

/// The walk checks of a service: its walks of the history and its bounds, sent through the
/// requester, found into the findings.
pub(crate) type Walk = for<'a, 'b> fn(
    &'a mut Requester,
    &'a mut Findings,
    &'a mut Bounds<'b>,
) -> Boxed<'a, Result<(), Halt>>;

/// One service, as the live mode, `conformance` and `conformance-sandbox` need it.
#[derive(Clone, Copy)]
pub struct Description {
    /// Its key in reports, recordings and the bounds file, and its `--service` name: the
    /// client crate's `SERVICE`.
    pub key: &'static str,
    /// Its name for people.
    pub name: &'static str,
    /// Its spec's file stem (`specs/<api>.yaml`), also its client crate's name.
    pub api: &'static str,
    /// The scope (or permission) its access token needs to read the history, for the help.
    pub scope: &'static str,
    /// The environment variables that say how to reach it.
    pub variables: Variables,
    /// The real service's base URL: the client crate's `DEFAULT_BASE_URL`.
    pub default_base_url: &'static str,
    /// Its authorization server, or the one at the base URL given (the client crate's
    /// `oauth::authorization_server`); `None` for a service whose users paste a token of
    /// their own (ListenBrainz), which has no [`Variables::refresh`] either.
    pub authorization_server: Option<AuthorizationServerAt>,
    /// Whether its spec promises `Retry-After` on every 429 (else a 429 without one is
    /// allowed, and noted).
    pub promises_retry_after: bool,
    /// The names of its walk checks, in report order (the bounds follow).
    pub checks: &'static [&'static str],
    /// Runs its walk checks (in `walks`).
    pub(crate) walk: Walk,
    /// Decodes the body of a `status` response of an operation (not a bodyless 204) with
    /// the client crate's generated types, every page item included, into a digest of one
    /// line per play ([`crate::live::record::decode`]).
    pub decode: fn(operation: &str, status: u16, body: &[u8]) -> Result<String, Undecodable>,
    /// Starts its simulation with `plays` plays from `seed` (inside a Tokio runtime), for
    /// `conformance-sandbox`.
    pub sandbox: fn(plays: usize, seed: u64) -> Boxed<'static, Served>,
}

impl std::fmt::Debug for Description {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Description")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

/// The environment variables of a service, as `recently-played` reads them too.
#[derive(Clone, Copy, Debug)]
pub struct Variables {
    /// Its access token.
    pub access_token: &'static str,
    /// Its API key, for a service that takes one with either token.
    pub api_key: Option<&'static str>,
    /// The user whose history is read, for a service whose paths name one (ListenBrainz);
    /// when it is not set, the token says whose it is.
    pub user: Option<&'static str>,
    /// The variables of a refresh token, for a service that signs in with OAuth.
    pub refresh: Option<RefreshVariables>,
    /// Another base URL (`https`, or plain `http` to loopback only).
    pub api_base_url: &'static str,
}

impl Variables {
    /// The environment that reaches a simulation as `conformance-sandbox` prints it
    /// (`entry`, a [`Served::entry`]), each variable named here set from its member: the
    /// base URL, the API key and the user where the service takes them, and the access
    /// token; or, `unattended`, for a service with a refresh token, that token, its app's
    /// client id and secret and the authorization server in place of the access token (a
    /// service without one keeps its token: it has nothing else). A member the entry does
    /// not hold sets nothing.
    ///
    /// ```
    /// use conformance::live::Service;
    ///
    /// let entry = serde_json::json!({"base_url": "http://127.0.0.1:9/v1", "access_token": "t"});
    /// let vars = Service::Spotify.description().variables;
    /// assert_eq!(
    ///     vars.env(&entry, false),
    ///     [("SPOTIFY_ACCESS_TOKEN", "t".to_string()), ("SPOTIFY_API_BASE_URL", "http://127.0.0.1:9/v1".to_string())],
    /// );
    /// assert_eq!(vars.env(&entry, true).len(), 1, "no refresh token in the entry");
    /// ```
    pub fn env(&self, entry: &serde_json::Value, unattended: bool) -> Vec<(&'static str, String)> {
        let tokens: Vec<(&'static str, &str)> = match (&self.refresh, unattended) {
            (Some(refresh), true) => vec![
                (refresh.refresh_token, "refresh_token"),
                (refresh.client_id, "client_id"),
                (refresh.client_secret, "client_secret"),
                (refresh.auth_base_url, "auth_base_url"),
            ],
            _ => vec![(self.access_token, "access_token")],
        };
        let others = [
            (self.api_key, "api_key"),
            (self.user, "user_name"),
            (Some(self.api_base_url), "base_url"),
        ];
        let others = others
            .into_iter()
            .filter_map(|(variable, member)| Some((variable?, member)));
        tokens
            .into_iter()
            .chain(others)
            .filter_map(|(variable, member)| {
                let value = entry[member].as_str()?;
                Some((variable, value.to_string()))
            })
            .collect()
    }
}

/// The environment variables of a refresh token and the app it was issued to.
#[derive(Clone, Copy, Debug)]
pub struct RefreshVariables {
    /// A refresh token, exchanged for an access token when there is none.
    pub refresh_token: &'static str,
    /// The client id of the app the refresh token was issued to.
    pub client_id: &'static str,
    /// That app's client secret, if it has one.
    pub client_secret: &'static str,
    /// Another authorization server (a simulation on loopback).
    pub auth_base_url: &'static str,
}

impl Variables {
    /// Each variable with what it holds, in the order the help lists them.
    pub fn each(&self) -> Vec<(&'static str, &'static str)> {
        let token = match self.refresh {
            Some(_) => "an access token",
            None => "a user token (nothing to refresh)",
        };
        let mut each = vec![(self.access_token, token)];
        each.extend(
            self.api_key
                .map(|key| (key, "the API key, with either token")),
        );
        each.extend(
            self.user
                .map(|user| (user, "the user whose listens are read, else the token's")),
        );
        if let Some(refresh) = &self.refresh {
            each.extend([
                (refresh.refresh_token, "else a refresh token, with"),
                (refresh.client_id, "the app's client id"),
                (
                    refresh.client_secret,
                    "the app's client secret, if it has one",
                ),
                (refresh.auth_base_url, "another authorization server"),
            ]);
        }
        each.push((
            self.api_base_url,
            "another base URL (https, or http to loopback only)",
        ));
        each
    }
}

/// A simulation being served, as `conformance-sandbox` prints it.
pub struct Served {
    /// Where it serves and what to sign in with: `base_url`, `access_token`, and for a
    /// service that signs in with OAuth the authorization server's base URL
    /// (`auth_base_url`), `client_id`,
    /// `refresh_token` (as if a user had signed in), and whatever else the service takes
    /// (`api_key`, `client_secret`, `user_name`).
    pub entry: serde_json::Value,
    /// The simulation; dropping it stops it.
    pub simulation: Box<dyn Any>,
}

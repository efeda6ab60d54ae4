//! The tokens `login` stores: one JSON file per service in the user's config directory,
//! readable by the user alone (0600 on Unix), replaced atomically, never printed. Beside it,
//! the successors of a refresh token given in the environment, which the server rotated
//! (a Spotify PKCE refresh token is single use: rspotify #396), so that the next run with
//! the same environment uses the live one.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use client_support::oauth::{ClientCredentials, Tokens};
use client_support::{AccessToken, ClientSecret, RefreshToken};
use serde::{Deserialize, Serialize};

/// What is stored: enough to refresh without the environment (the app's id and secret and
/// the authorization server it signed in with), and the latest tokens.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct StoredSignIn {
    pub(crate) client_id: String,
    pub(crate) client_secret: Option<String>,
    /// The authorization server's base URL, if not the real service's.
    pub(crate) auth_base_url: Option<String>,
    /// Amazon Music's API key (security profile ID), if given at sign-in.
    #[serde(default)]
    pub(crate) api_key: Option<String>,
    pub(crate) access_token: String,
    pub(crate) refresh_token: String,
    /// Unix seconds.
    pub(crate) expires_at: Option<u64>,
    pub(crate) scope: Option<String>,
    /// When the user signed in (Unix seconds): a sign-in some services end at a fixed age.
    #[serde(default)]
    pub(crate) signed_in_at: Option<u64>,
}

impl StoredSignIn {
    pub(crate) fn new(
        app: &ClientCredentials,
        auth_base_url: Option<String>,
        api_key: Option<String>,
        tokens: &Tokens,
    ) -> Self {
        let mut stored = Self {
            client_id: app.id().to_string(),
            client_secret: app.secret().map(|s| s.expose().to_string()),
            auth_base_url,
            api_key,
            access_token: String::new(),
            refresh_token: String::new(),
            expires_at: None,
            scope: None,
            signed_in_at: Some(unix_now()),
        };
        stored.update(tokens);
        stored
    }

    /// When the user signed in, if known.
    pub(crate) fn signed_in_at(&self) -> Option<SystemTime> {
        self.signed_in_at
            .and_then(|secs| UNIX_EPOCH.checked_add(Duration::from_secs(secs)))
    }

    /// Takes the tokens of a refresh (a rotated refresh token among them).
    pub(crate) fn update(&mut self, tokens: &Tokens) {
        self.access_token = tokens.access.expose().to_string();
        self.refresh_token = tokens.refresh.expose().to_string();
        self.expires_at = tokens
            .expires_at
            .and_then(|at| at.duration_since(UNIX_EPOCH).ok())
            .map(|since| since.as_secs());
        self.scope = tokens.scope.clone();
    }

    pub(crate) fn app(&self) -> ClientCredentials {
        match &self.client_secret {
            Some(secret) => {
                ClientCredentials::confidential(&self.client_id, ClientSecret::new(secret))
            }
            None => ClientCredentials::public(&self.client_id),
        }
    }

    /// The stored tokens; none without an access token (a refresh token not yet used),
    /// or with one that cannot be a header (a damaged file), so that the first request
    /// refreshes.
    pub(crate) fn tokens(&self) -> Option<Tokens> {
        if self.access_token.is_empty() {
            return None;
        }
        Some(Tokens {
            access: AccessToken::new(&self.access_token).ok()?,
            refresh: RefreshToken::new(&self.refresh_token),
            expires_at: self
                .expires_at
                .and_then(|secs| UNIX_EPOCH.checked_add(Duration::from_secs(secs))),
            scope: self.scope.clone(),
        })
    }

    pub(crate) fn refresh_token(&self) -> RefreshToken {
        RefreshToken::new(&self.refresh_token)
    }
}

/// `<config dir>/recently-played/<service>.json` (`~/.config/recently-played` on Linux,
/// `~/Library/Application Support/…` on macOS, `%APPDATA%\…` on Windows).
pub(crate) fn path(service: &str) -> Result<PathBuf, String> {
    directories::ProjectDirs::from("", "", "recently-played")
        .map(|dirs| dirs.config_dir().join(format!("{service}.json")))
        .ok_or_else(|| "no config directory could be found for this user (is HOME set?)".into())
}

/// `<config dir>/recently-played/<service>.from-env.json`: the successors of the refresh
/// token given in the environment (a [`RotationFile`](client_support::oauth::RotationFile));
/// `cargo xtask conformance --live` keeps them at the same place.
pub(crate) fn rotated_path(service: &str) -> Result<PathBuf, String> {
    path(&format!("{service}.from-env"))
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// What `login` stores for a service whose users paste a token (ListenBrainz): the token,
/// whose it is (as the service said when it was checked), and when.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct StoredToken {
    pub(crate) token: String,
    pub(crate) user_name: String,
    /// Unix seconds.
    pub(crate) signed_in_at: u64,
}

impl StoredToken {
    /// `token`, of `user_name`, stored now.
    pub(crate) fn new(token: String, user_name: String) -> Self {
        Self {
            token,
            user_name,
            signed_in_at: unix_now(),
        }
    }
}

/// The sign-in stored at `path` (a [`StoredSignIn`] or a [`StoredToken`]), if there is one.
pub(crate) fn read<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Option<T>, String> {
    let text = match std::fs::read(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    // serde_json's message could quote a value (a token): only its position is shown.
    serde_json::from_slice(&text).map(Some).map_err(|e| {
        format!(
            "{} is not a stored sign-in (line {}, column {}); run `recently-played logout` and sign in again",
            path.display(),
            e.line(),
            e.column()
        )
    })
}

/// Writes `stored` to `path` atomically (a temporary file beside it, renamed over it),
/// readable and writable by the user alone.
pub(crate) fn write(path: &Path, stored: &impl Serialize) -> Result<(), String> {
    let fail = |e: std::io::Error| format!("cannot store the sign-in in {}: {e}", path.display());
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(fail)?;
    // `tempfile` creates the file with mode 0600 on Unix.
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    serde_json::to_writer_pretty(&mut file, stored).map_err(|e| fail(e.into()))?;
    file.write_all(b"\n").map_err(fail)?;
    file.as_file().sync_all().map_err(fail)?;
    file.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Removes the sign-in at `path`; whether there was one.
pub(crate) fn remove(path: &Path) -> Result<bool, String> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(format!("cannot remove {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removing_says_whether_there_was_a_sign_in_and_fails_on_what_is_not_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spotify.json");
        std::fs::write(&path, "{}").unwrap();
        assert_eq!(remove(&path), Ok(true));
        assert_eq!(remove(&path), Ok(false));
        // A directory where the file should be is not "no sign-in": logout must say so.
        std::fs::create_dir(&path).unwrap();
        let refused = remove(&path).unwrap_err();
        assert!(refused.starts_with("cannot remove "), "{refused}");
    }
}

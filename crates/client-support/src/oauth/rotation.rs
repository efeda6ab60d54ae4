//! A refresh token handed in from outside (an environment variable, a CI secret) outlives
//! its first use: where the server rotates refresh tokens (a Spotify PKCE refresh token is
//! single use, rspotify #396), each successor is kept in a file, so that the next run with
//! the same variable uses the live one instead of the revoked original.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::client::OAuthClient;
use super::refreshing::RefreshingToken;
use super::tokens::Tokens;
use crate::secret::{AccessToken, RefreshToken};

/// The file that keeps the successors of one refresh token handed in from outside.
///
/// It names that token by its SHA-256 only, so a token set anew in the environment (the user
/// signed in again) no longer finds the file's successors, and wins. The file is written
/// atomically and readable by the user alone (0600 on Unix); several processes may share it:
/// [`RotationFile::refreshing`]'s token source reads it again when the server refuses its
/// refresh token, since another process may have rotated it. `Debug` shows the path only.
///
/// ```
/// use client_support::RefreshToken;
/// use client_support::oauth::RotationFile;
///
/// let dir = std::env::temp_dir().join(format!("rotation-doc-{}", std::process::id()));
/// let given = RefreshToken::new("AQD-from-the-environment");
/// let file = RotationFile::new(dir.join("spotify.from-env.json"), &given);
/// assert!(file.tokens()?.is_none(), "nothing kept yet: the given token is live");
/// assert!(!format!("{file:?}").contains("AQD"));
/// # Ok::<(), client_support::oauth::RotationError>(())
/// ```
pub struct RotationFile {
    path: PathBuf,
    /// The SHA-256 (hex) of the token handed in.
    replaces: String,
}

/// The file's contents.
#[derive(Serialize, Deserialize)]
struct Kept {
    replaces: String,
    /// When a run first saw the token handed in (Unix seconds): a lower bound of its age.
    first_seen: u64,
    access_token: String,
    refresh_token: String,
    /// Unix seconds.
    expires_at: Option<u64>,
    scope: Option<String>,
}

/// Why the file could not be read or written: one sentence naming the file, never a token.
#[derive(Debug, thiserror::Error)]
#[error("the rotated refresh token file {} {reason}", path.display())]
pub struct RotationError {
    path: PathBuf,
    reason: String,
}

impl RotationFile {
    /// The file at `path` keeping the successors of `given`.
    pub fn new(path: impl Into<PathBuf>, given: &RefreshToken) -> Self {
        use sha2::Digest;
        let replaces = sha2::Sha256::digest(given.expose().as_bytes())
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        Self {
            path: path.into(),
            replaces,
        }
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The kept successors of the given token, if a run rotated it; `None` when the file
    /// is missing or keeps another token's.
    pub fn tokens(&self) -> Result<Option<Tokens>, RotationError> {
        let Some(kept) = self.read()? else {
            return Ok(None);
        };
        let access = AccessToken::new(&kept.access_token).map_err(|_| self.error("is damaged"))?;
        Ok(Some(Tokens {
            access,
            refresh: RefreshToken::new(&kept.refresh_token),
            expires_at: kept
                .expires_at
                .and_then(|secs| UNIX_EPOCH.checked_add(Duration::from_secs(secs))),
            scope: kept.scope,
        }))
    }

    /// When a run first saw the given token, if one kept its successors: the sign-in is at
    /// least this old.
    pub fn first_seen(&self) -> Result<Option<SystemTime>, RotationError> {
        Ok(self
            .read()?
            .and_then(|kept| UNIX_EPOCH.checked_add(Duration::from_secs(kept.first_seen))))
    }

    /// Keeps `tokens` as the live successors of the given token.
    pub fn keep(&self, tokens: &Tokens) -> Result<(), RotationError> {
        let first_seen = match self.read()? {
            Some(kept) => kept.first_seen,
            None => unix_secs(SystemTime::now()),
        };
        let kept = Kept {
            replaces: self.replaces.clone(),
            first_seen,
            access_token: tokens.access.expose().to_string(),
            refresh_token: tokens.refresh.expose().to_string(),
            expires_at: tokens.expires_at.map(unix_secs),
            scope: tokens.scope.clone(),
        };
        let json = serde_json::to_vec_pretty(&kept).map_err(|e| self.error(&e.to_string()))?;
        write_private(&self.path, &json).map_err(|e| self.error(&format!("cannot be written: {e}")))
    }

    /// A token source for `client` that starts from the kept successors (or from `given`,
    /// the token handed in, when none are kept), keeps every rotation here, and, refused,
    /// reads this file again before giving up. A failure to write is reported to
    /// `on_write_error` and the run goes on with the tokens in memory.
    pub fn refreshing(
        self,
        client: OAuthClient,
        given: RefreshToken,
        on_write_error: impl Fn(RotationError) + Send + Sync + 'static,
    ) -> Result<RefreshingToken, RotationError> {
        let token = match self.tokens()? {
            Some(tokens) => RefreshingToken::from_tokens(client, tokens),
            None => RefreshingToken::new(client, given),
        };
        let file = std::sync::Arc::new(self);
        let reread = file.clone();
        Ok(token
            .on_change(move |tokens| {
                if let Err(e) = file.keep(tokens) {
                    on_write_error(e);
                }
            })
            .reload_on_refusal(move || reread.tokens().ok().flatten()))
    }

    fn read(&self) -> Result<Option<Kept>, RotationError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.error(&format!("cannot be read: {e}"))),
        };
        // serde_json's message could quote a token: only "damaged" is said.
        let kept: Kept = serde_json::from_slice(&bytes).map_err(|_| self.error("is damaged"))?;
        Ok((kept.replaces == self.replaces).then_some(kept))
    }

    fn error(&self, reason: &str) -> RotationError {
        RotationError {
            path: self.path.clone(),
            reason: reason.to_string(),
        }
    }
}

impl fmt::Debug for RotationFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RotationFile")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn unix_secs(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// Writes `bytes` to `path` through a file beside it, created readable by the user alone,
/// then renamed over it: a reader sees the old contents or the new, never a part.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir)?;
    }
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".{}.tmp", std::process::id()));
    let temporary = PathBuf::from(temporary);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    match written.and_then(|()| std::fs::rename(&temporary, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&temporary);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(access: &str, refresh: &str) -> Tokens {
        Tokens {
            access: AccessToken::new(access).unwrap(),
            refresh: RefreshToken::new(refresh),
            expires_at: Some(UNIX_EPOCH + Duration::from_secs(2_000_000_000)),
            scope: Some("s".into()),
        }
    }

    #[test]
    fn successors_are_found_by_the_same_given_token_and_a_new_one_finds_none() {
        let dir = std::env::temp_dir().join(format!("rotation-test-{}", std::process::id()));
        let path = dir.join("spotify.from-env.json");
        let given = RefreshToken::new("AQD-given");
        let file = RotationFile::new(&path, &given);
        file.keep(&tokens("BQD-one", "AQD-two")).unwrap();
        let first_seen = file.first_seen().unwrap().unwrap();
        file.keep(&tokens("BQD-two", "AQD-three")).unwrap();
        assert_eq!(
            file.first_seen().unwrap(),
            Some(first_seen),
            "kept across rotations"
        );

        let again = RotationFile::new(&path, &RefreshToken::new("AQD-given"));
        assert_eq!(
            again.tokens().unwrap(),
            Some(tokens("BQD-two", "AQD-three"))
        );
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(
            !written.contains("AQD-given"),
            "the given token is never stored"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }

        let new = RotationFile::new(&path, &RefreshToken::new("AQD-signed-in-again"));
        assert_eq!(new.tokens().unwrap(), None);
        assert_eq!(new.first_seen().unwrap(), None);

        std::fs::write(&path, "{\"replaces\": \"AQD-two").unwrap();
        let damaged = again.tokens().unwrap_err().to_string();
        assert!(damaged.ends_with("is damaged"), "{damaged}");
        assert!(!damaged.contains("AQD"), "{damaged}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}

//! Spotify Web API, `GET /me/player/recently-played`: a user access token alone, cursors in
//! time (`before`, `after`) with `next`, a `Retry-After` on every 429.

use std::fmt::Write as _;

use music_history_sandbox::spotify::{self as sandbox, SpotifyHistory, SpotifySimulation};
use spotify_web_api::types;

use super::{Boxed, Description, RefreshVariables, Served, Variables};
use crate::live::record::{Undecodable, from_slice, items};
use crate::live::walks;

/// Spotify, for the live mode.
pub const DESCRIPTION: Description = Description {
    key: spotify_web_api::SERVICE,
    name: "Spotify",
    api: "spotify-web-api",
    scope: "user-read-recently-played",
    variables: Variables {
        access_token: "SPOTIFY_ACCESS_TOKEN",
        api_key: None,
        user: None,
        refresh: Some(RefreshVariables {
            refresh_token: "SPOTIFY_REFRESH_TOKEN",
            client_id: "SPOTIFY_CLIENT_ID",
            client_secret: "SPOTIFY_CLIENT_SECRET",
            auth_base_url: "SPOTIFY_ACCOUNTS_BASE_URL",
        }),
        api_base_url: "SPOTIFY_API_BASE_URL",
    },
    default_base_url: spotify_web_api::DEFAULT_BASE_URL,
    authorization_server: Some(spotify_web_api::oauth::authorization_server),
    // "Wait the number of seconds given in `Retry-After`".
    promises_retry_after: true,
    checks: walks::SPOTIFY_CHECKS,
    walk: |req, findings, bounds| Box::pin(walks::spotify(req, findings, bounds)),
    decode,
    sandbox: serve,
};

/// Decodes a Spotify body: a page of plays on a 200, else the error body.
///
/// ```
/// use conformance::live::services::spotify::decode;
///
/// let body = br#"{"error": {"status": 401, "message": "Invalid access token"}}"#;
/// let digest = decode("get_recently_played", 401, body)?;
/// assert_eq!(digest, "error 401: Invalid access token\n");
/// # Ok::<(), conformance::live::record::Undecodable>(())
/// ```
pub fn decode(_operation: &str, status: u16, body: &[u8]) -> Result<String, Undecodable> {
    let mut digest = String::new();
    if status != 200 {
        let error: types::ErrorResponse = from_slice(body)?;
        let _ = writeln!(
            digest,
            "error {}: {}",
            error.error.status, error.error.message
        );
        return Ok(digest);
    }
    let page: types::CursorPagedPlayHistory = from_slice(body)?;
    let cursors = page.cursors.as_ref();
    let _ = writeln!(
        digest,
        "limit {}, next {}, cursors {} / {}",
        page.limit,
        page.next.as_deref().unwrap_or("null"),
        cursors.and_then(|c| c.after.as_deref()).unwrap_or("null"),
        cursors.and_then(|c| c.before.as_deref()).unwrap_or("null"),
    );
    for play in items(&page.items, "/items")? {
        let _ = writeln!(
            digest,
            "{} {} {:?} from {}",
            play.played_at
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            play.track.id.as_deref().unwrap_or("(local)"),
            play.track.name,
            play.context
                .as_ref()
                .map_or("no context", |c| c.type_.as_str()),
        );
    }
    Ok(digest)
}

/// The simulation with a realistic history, its accounts service, and a refresh token as
/// if a user had signed in.
fn serve(plays: usize, seed: u64) -> Boxed<'static, Served> {
    Box::pin(async move {
        let sim = SpotifySimulation::start(SpotifyHistory::realistic(plays, seed)).await;
        let entry = serde_json::json!({
            "base_url": sim.base_url(),
            "access_token": sandbox::DEFAULT_ACCESS_TOKEN,
            "auth_base_url": sim.accounts_base_url(),
            "client_id": sandbox::DEFAULT_CLIENT_ID,
            "refresh_token": sim.issue_tokens().refresh_token,
        });
        Served {
            entry,
            simulation: Box::new(sim),
        }
    })
}

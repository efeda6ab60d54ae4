//! ListenBrainz, the listen history: a user token pasted from the user's settings (no OAuth),
//! sent as `Authorization: Token <token>`; the user named in the path (`LISTENBRAINZ_USER`,
//! else whose token `validate-token` says it is); `min_ts`/`max_ts` bounds in Unix seconds;
//! and a 429 without `Retry-After` (its `X-RateLimit-Reset-In` says how long to wait).

use std::fmt::Write as _;

use listenbrainz_api::types;
use music_history_sandbox::listenbrainz::{
    self as sandbox, ListenBrainzHistory, ListenBrainzSimulation,
};

use super::{Boxed, Description, Served, Variables};
use crate::live::record::{Undecodable, from_slice, items};
use crate::live::walks;

/// ListenBrainz, for the live mode.
pub const DESCRIPTION: Description = Description {
    key: listenbrainz_api::SERVICE,
    name: "ListenBrainz",
    api: "listenbrainz-api",
    // A user token has no scopes.
    scope: "none (a user token)",
    variables: Variables {
        access_token: "LISTENBRAINZ_TOKEN",
        api_key: None,
        user: Some("LISTENBRAINZ_USER"),
        refresh: None,
        api_base_url: "LISTENBRAINZ_API_BASE_URL",
    },
    default_base_url: listenbrainz_api::DEFAULT_BASE_URL,
    authorization_server: None,
    // "No `Retry-After` header is sent": `X-RateLimit-Reset-In` instead.
    promises_retry_after: false,
    checks: walks::LISTENBRAINZ_CHECKS,
    walk: |req, findings, bounds| Box::pin(walks::listenbrainz(req, findings, bounds)),
    decode,
    sandbox: serve,
};

/// Decodes a ListenBrainz body: a page of listens, a listen count or what a token is on a
/// 200, else the error body.
///
/// ```
/// use conformance::live::services::listenbrainz::decode;
///
/// let body = br#"{"code": 200, "message": "Token valid.", "valid": true, "user_name": "rob"}"#;
/// assert_eq!(decode("validate_token", 200, body)?, "valid true, user rob\n");
/// let body = br#"{"code": 404, "error": "Cannot find user: rob"}"#;
/// assert_eq!(decode("get_listens", 404, body)?, "error 404: Cannot find user: rob\n");
/// # Ok::<(), conformance::live::record::Undecodable>(())
/// ```
pub fn decode(operation: &str, status: u16, body: &[u8]) -> Result<String, Undecodable> {
    let mut digest = String::new();
    match (operation, status) {
        ("get_listens", 200) => {
            let page: types::ListensResponse = from_slice(body)?;
            let payload = &page.payload;
            let _ = writeln!(
                digest,
                "user {}, count {}, listens from {} to {}",
                payload.user_id, payload.count, payload.oldest_listen_ts, payload.latest_listen_ts
            );
            for listen in items(&payload.listens, "/payload/listens")? {
                let track = &listen.track_metadata;
                let _ = writeln!(
                    digest,
                    "{} {} {:?} by {:?}",
                    listen.listened_at, listen.recording_msid, track.track_name, track.artist_name
                );
            }
        }
        ("get_listen_count", 200) => {
            let count: types::ListenCountResponse = from_slice(body)?;
            let _ = writeln!(digest, "{} listens", count.payload.count);
        }
        ("validate_token", 200) => {
            let answer: types::ValidateTokenResponse = from_slice(body)?;
            let _ = writeln!(
                digest,
                "valid {}, user {}",
                answer.valid,
                answer.user_name.as_deref().unwrap_or("(none)")
            );
        }
        _ => {
            let error: types::ErrorResponse = from_slice(body)?;
            let _ = writeln!(digest, "error {}: {}", error.code, error.error);
        }
    }
    Ok(digest)
}

/// The simulation with a realistic history, its user's token and name.
fn serve(plays: usize, seed: u64) -> Boxed<'static, Served> {
    Box::pin(async move {
        let sim = ListenBrainzSimulation::start(ListenBrainzHistory::realistic(plays, seed)).await;
        let entry = serde_json::json!({
            "base_url": sim.base_url(),
            "access_token": sandbox::DEFAULT_TOKEN,
            "user_name": sandbox::DEFAULT_USER_NAME,
        });
        Served {
            entry,
            simulation: Box::new(sim),
        }
    })
}

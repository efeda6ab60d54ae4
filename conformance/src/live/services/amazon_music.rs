//! Amazon Music Web API, the player history methods: a Login with Amazon access token with
//! the security profile ID as API key, opaque page tokens with `hasNextPage`, and a 429 that
//! may come without `Retry-After`.

use std::fmt::Write as _;

use amazon_music_web_api::types;
use music_history_sandbox::amazon::{self as sandbox, AmazonMusicHistory, AmazonMusicSimulation};

use super::{Boxed, Description, RefreshVariables, Served, Variables};
use crate::live::record::{Undecodable, from_slice, items};
use crate::live::walks;

/// Amazon Music, for the live mode.
pub const DESCRIPTION: Description = Description {
    key: amazon_music_web_api::SERVICE,
    name: "Amazon Music",
    api: "amazon-music-web-api",
    scope: "music::history",
    variables: Variables {
        access_token: "AMAZON_MUSIC_ACCESS_TOKEN",
        api_key: Some(API_KEY_VAR),
        user: None,
        refresh: Some(RefreshVariables {
            refresh_token: "AMAZON_MUSIC_REFRESH_TOKEN",
            client_id: "AMAZON_MUSIC_CLIENT_ID",
            client_secret: "AMAZON_MUSIC_CLIENT_SECRET",
            auth_base_url: "AMAZON_MUSIC_AUTH_BASE_URL",
        }),
        api_base_url: "AMAZON_MUSIC_API_BASE_URL",
    },
    default_base_url: amazon_music_web_api::DEFAULT_BASE_URL,
    authorization_server: Some(amazon_music_web_api::oauth::authorization_server),
    // Its `Retry-After` "may be absent".
    promises_retry_after: false,
    checks: walks::AMAZON_CHECKS,
    walk: |req, findings, bounds| Box::pin(walks::amazon(req, findings, bounds)),
    decode,
    sandbox: serve,
};

/// The variable that holds Amazon Music's API key (the security profile ID).
pub const API_KEY_VAR: &str = "AMAZON_MUSIC_API_KEY";

/// Decodes an Amazon Music body: a page of track or entity edges on a 200, else the error
/// body.
///
/// ```
/// use conformance::live::services::amazon_music::decode;
///
/// let body = br#"{"data": {"user": null}}"#;
/// let digest = decode("get_recently_played_tracks", 200, body)?;
/// assert_eq!(digest, "user (none), has next page false\n");
/// # Ok::<(), conformance::live::record::Undecodable>(())
/// ```
pub fn decode(operation: &str, status: u16, body: &[u8]) -> Result<String, Undecodable> {
    let mut digest = String::new();
    match (operation, status) {
        ("get_recently_played_tracks", 200) => {
            let page: types::RecentlyPlayedTracksResponse = from_slice(body)?;
            let user = page.data.user.as_ref();
            let playback = user.and_then(|u| u.recent_track_playback.as_ref());
            let _ = writeln!(
                digest,
                "user {}, has next page {}",
                user.map_or("(none)", |u| u.id.as_str()),
                playback.is_some_and(|p| p.page_info.has_next_page)
            );
            for edge in items(
                playback.map_or(&[][..], |p| &p.edges),
                "/data/user/recentTrackPlayback/edges",
            )? {
                let _ = writeln!(
                    digest,
                    "{} {} {:?}",
                    edge.played_at
                        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                    edge.node.id,
                    edge.node.title.as_deref().unwrap_or("")
                );
            }
        }
        (_, 200) => {
            let page: types::RecentlyPlayedEntitiesResponse = from_slice(body)?;
            let user = page.data.user.as_ref();
            let playback = user.and_then(|u| u.recent_entities_playback.as_ref());
            let _ = writeln!(
                digest,
                "user {}, has next page {}",
                user.map_or("(none)", |u| u.id.as_str()),
                playback.is_some_and(|p| p.page_info.has_next_page)
            );
            for edge in items(
                playback.map_or(&[][..], |p| &p.edges),
                "/data/user/recentEntitiesPlayback/edges",
            )? {
                let _ = writeln!(
                    digest,
                    "{} {} {} {:?}",
                    edge.played_date
                        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                    edge.node.kind(),
                    edge.node.id().unwrap_or(""),
                    edge.node.title().unwrap_or("")
                );
            }
        }
        _ => {
            let error: types::ErrorResponse = from_slice(body)?;
            let _ = writeln!(
                digest,
                "error {}: {}",
                error.error.status, error.error.message
            );
        }
    }
    Ok(digest)
}

/// The simulation with a realistic history, its Login with Amazon server, and a refresh
/// token as if a user had signed in.
fn serve(plays: usize, seed: u64) -> Boxed<'static, Served> {
    Box::pin(async move {
        let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(plays, seed)).await;
        let entry = serde_json::json!({
            "base_url": sim.base_url(),
            "access_token": sandbox::DEFAULT_ACCESS_TOKEN,
            "api_key": sandbox::DEFAULT_API_KEY,
            "auth_base_url": sim.auth_base_url(),
            "client_id": sandbox::DEFAULT_CLIENT_ID,
            "client_secret": sandbox::DEFAULT_CLIENT_SECRET,
            "refresh_token": sim.issue_tokens().refresh_token,
        });
        Served {
            entry,
            simulation: Box::new(sim),
        }
    })
}

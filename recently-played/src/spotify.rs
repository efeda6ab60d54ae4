//! Spotify: where the client points, and the walk through its public API.

use chrono::{DateTime, Utc};
use music_history_sandbox::spotify::{DEFAULT_ACCESS_TOKEN, SpotifySimulation};
use spotify_web_api::types::PlayHistory;
use spotify_web_api::{
    AccessToken, DEFAULT_BASE_URL, Limit, Outcome, RecentlyPlayedQuery, SERVICE, SpotifyClient,
    TimeWindow, UnixMillis,
};

use std::io::Write;

use crate::env_var;
use crate::output::{Album, Play, Printer, Report};
use crate::requests::RequestCounter;
use crate::service::{self, Service, Stopped, Target};

pub(crate) const SPOTIFY: Service = Service {
    name: "Spotify",
    key: SERVICE,
    history: "recently played tracks",
    columns: &["TRACK", "ARTISTS", "ALBUM", "CONTEXT"],
    token_var: "SPOTIFY_ACCESS_TOKEN",
    base_url_var: "SPOTIFY_API_BASE_URL",
    when_forbidden: "the token {whose} needs the user-read-recently-played scope",
};

/// Reads the environment, starting the simulation if nothing is configured.
pub(crate) async fn target() -> Target {
    match (env_var(SPOTIFY.base_url_var), env_var(SPOTIFY.token_var)) {
        (None, None) => {
            let sim: SpotifySimulation = crate::sandbox::start_spotify().await;
            let base_url = sim.base_url().to_string();
            Target::sandbox(sim, &base_url)
        }
        (base_url, token) => Target::configured(
            base_url.unwrap_or_else(|| DEFAULT_BASE_URL.to_string()),
            token.is_some(),
        ),
    }
}

/// Walks the whole history, newest first, or the plays after `since`, oldest first,
/// printing each play as it arrives.
pub(crate) async fn walk(
    target: &Target,
    since: Option<DateTime<Utc>>,
    requests: &RequestCounter,
    printer: &mut Printer<impl Write>,
) -> Result<Report, Stopped> {
    let client = client(target).map_err(Stopped::Failed)?;
    let query = match since {
        None => RecentlyPlayedQuery::latest(),
        Some(time) => RecentlyPlayedQuery::after(UnixMillis::from(time)),
    };
    let mut history = client.history(query.limit(Limit::MAX));
    let report = service::walk(
        &SPOTIFY,
        target,
        requests,
        printer,
        &mut history,
        |play| Some(row(play)),
        |point| match point {
            TimeWindow::After(t) => format!("resume with --since {}", service::rfc3339(t.get())),
            TimeWindow::Before(t) => format!(
                "the plays before {} were not read",
                service::rfc3339(t.get())
            ),
            TimeWindow::Latest => "run again to read them".to_string(),
        },
    )
    .await?;
    if history.outcome() == Some(Outcome::PrivateSession) {
        printer
            .note("The user is in a private session: Spotify hides the history (204).")
            .map_err(Stopped::Output)?;
    }
    printer.end().map_err(Stopped::Output)?;
    Ok(report)
}

/// A client of `target` with the token from the environment (or the sandbox's); on
/// failure, one sentence.
pub(crate) fn client(target: &Target) -> Result<SpotifyClient, String> {
    let token = match env_var(SPOTIFY.token_var).filter(|_| target.credentials_from_env) {
        Some(token) => token,
        None => DEFAULT_ACCESS_TOKEN.to_string(),
    };
    let token = AccessToken::new(token)
        .map_err(|e| format!("{} cannot be used: {e}", SPOTIFY.token_var))?;
    SpotifyClient::builder(token)
        .base_url(&target.base_url)
        .build()
        .map_err(|e| service::explain(&SPOTIFY, target, &e))
}

fn row(play: PlayHistory) -> Play {
    let artists: Vec<&str> = play.track.artists.iter().map(|a| a.name.as_str()).collect();
    let context = match &play.context {
        None => "—".to_string(),
        Some(c) if c.type_ == "collection" => "Liked Songs".to_string(),
        // `spotify:album:<id>` → `album <id>`.
        Some(c) => format!("{} {}", c.type_, c.uri.rsplit(':').next().unwrap_or("")),
    };
    let item = serde_json::to_value(&play).unwrap_or_default();
    let album = play.track.album.as_ref();
    let album_name = album
        .map(|a| a.name.clone())
        .filter(|name| !name.is_empty());
    Play {
        played_at: play.played_at,
        kind: play.track.type_.clone(),
        id: play.track.id.clone(),
        title: play.track.name.clone(),
        cells: vec![
            play.track.name.clone(),
            artists.join(", "),
            album_name.clone().unwrap_or_else(|| "—".to_string()),
            context,
        ],
        item,
        album: Some(Album {
            album: album_name,
            album_id: album.and_then(|a| a.id.clone()),
            release_date: album.and_then(|a| a.release_date.clone()),
        }),
    }
}

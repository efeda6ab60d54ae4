//! Spotify: where the client points, and the walk through its public API.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use music_history_sandbox::spotify::{DEFAULT_ACCESS_TOKEN, SpotifySimulation};
use spotify_web_api::types::PlayHistory;
use spotify_web_api::{
    AccessToken, DEFAULT_BASE_URL, Error, Limit, RecentlyPlayedQuery, SpotifyClient, UnixMillis,
};

use crate::env_var;
use crate::output::{Play, Report};

const TOKEN_VAR: &str = "SPOTIFY_ACCESS_TOKEN";
const BASE_URL_VAR: &str = "SPOTIFY_API_BASE_URL";

/// Where Spotify requests go.
pub(crate) enum Target {
    /// The built-in simulation, started for this run.
    Sandbox(SpotifySimulation),
    /// A base URL from the environment (the real service's when `None`) and the token
    /// from the environment (the sandbox's when `None`: a base URL without a token is taken
    /// to be a sandbox started with `--serve`).
    Configured {
        base_url: Option<String>,
        token: Option<String>,
    },
}

impl Target {
    /// Reads the environment, starting the simulation if nothing is configured.
    pub(crate) async fn from_env() -> Self {
        match (env_var(BASE_URL_VAR), env_var(TOKEN_VAR)) {
            (None, None) => Self::Sandbox(crate::sandbox::start_spotify().await),
            (base_url, token) => Self::Configured { base_url, token },
        }
    }

    pub(crate) fn is_sandbox(&self) -> bool {
        matches!(self, Self::Sandbox(_))
    }
}

/// Walks the whole history (or the plays after `since`) and returns it newest first; on
/// failure, what went wrong in one sentence (without the service's name).
pub(crate) async fn walk(target: &Target, since: Option<DateTime<Utc>>) -> Result<Report, String> {
    let (base_url, token) = match target {
        Target::Sandbox(sim) => (sim.base_url(), DEFAULT_ACCESS_TOKEN),
        Target::Configured { base_url, token } => (
            base_url.as_deref().unwrap_or(DEFAULT_BASE_URL),
            token.as_deref().unwrap_or(DEFAULT_ACCESS_TOKEN),
        ),
    };
    // The client asks its token source for the token once per request: the only place
    // the public API lets a caller see each request go out. Nothing is retried, so this
    // counts every request sent.
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&sent);
    let token = AccessToken::new(token);
    let client = SpotifyClient::builder(move || {
        counter.fetch_add(1, Ordering::Relaxed);
        token.clone()
    })
    .base_url(base_url)
    .build()
    .map_err(|e| explain(&e, target))?;

    let started = Instant::now();
    let query = match since {
        None => RecentlyPlayedQuery::latest(),
        Some(time) => RecentlyPlayedQuery::after(UnixMillis::from(time)),
    };
    let mut history = client.history(query.limit(Limit::MAX));
    let mut plays = Vec::new();
    loop {
        match history.try_next().await {
            Ok(Some(play)) => plays.push(row(play)),
            Ok(None) => break,
            Err(e) if plays.is_empty() => return Err(explain(&e, target)),
            Err(e) => {
                return Err(format!(
                    "{} (stopped after {} plays)",
                    explain(&e, target),
                    plays.len()
                ));
            }
        }
    }
    let elapsed = started.elapsed();
    if since.is_some() {
        // A walk after a time goes forward, oldest first; print newest first like the rest.
        plays.reverse();
    }

    let (target_label, requests) = match target {
        Target::Sandbox(sim) => (format!("sandbox {}", sim.base_url()), sim.request_count()),
        Target::Configured { token: None, .. } => (
            format!("{} (sandbox token)", client.base_url()),
            sent.load(Ordering::Relaxed),
        ),
        Target::Configured { .. } => (client.base_url().to_string(), sent.load(Ordering::Relaxed)),
    };
    Ok(Report {
        service: "Spotify",
        key: "spotify",
        history: "recently played tracks",
        target: target_label,
        columns: &["TRACK", "ARTISTS", "CONTEXT"],
        note: history.is_private_session().then(|| {
            "The user is in a private session: Spotify hides the history (204).".to_string()
        }),
        plays,
        requests,
        elapsed,
    })
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
    Play {
        played_at: play.played_at,
        kind: play.track.type_.clone(),
        id: play.track.id.clone(),
        title: play.track.name.clone(),
        cells: vec![play.track.name, artists.join(", "), context],
        item,
    }
}

/// One sentence for `error`, naming what to change where the user can change it.
fn explain(error: &Error, target: &Target) -> String {
    let whose = match target {
        Target::Configured { token: Some(_), .. } => format!("in {TOKEN_VAR}"),
        _ => "(the sandbox's)".to_string(),
    };
    match error {
        Error::Unauthorized(e) => format!(
            "the access token {whose} was refused ({}: {}); it may have expired, get a new one",
            e.status.as_u16(),
            crate::clause(&e.message())
        ),
        Error::Forbidden(e) => format!(
            "access denied ({}: {}); the token {whose} needs the user-read-recently-played scope",
            e.status.as_u16(),
            crate::clause(&e.message())
        ),
        Error::RateLimited {
            retry_after: Some(wait),
            ..
        } => format!("rate limited: retry after {} s", wait.as_secs()),
        Error::RateLimited {
            retry_after: None, ..
        } => "rate limited: retry later".to_string(),
        Error::InvalidBaseUrl(e) => format!("{BASE_URL_VAR} `{}` is refused: {}", e.url, e.reason),
        other => other.to_string(),
    }
}

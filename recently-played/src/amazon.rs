//! Amazon Music: where the client points, and the walk through its public API.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use amazon_music_web_api::types::EntityPlaybackEdge;
use amazon_music_web_api::{
    AccessToken, AmazonMusicClient, DEFAULT_BASE_URL, EntitiesLimit, EntityNode, EntityTypes,
    Error, ResumePoint,
};
use chrono::{DateTime, Utc};
use music_history_sandbox::amazon::{AmazonMusicSimulation, DEFAULT_ACCESS_TOKEN, DEFAULT_API_KEY};

use crate::env_var;
use crate::output::{Play, Report};

const TOKEN_VAR: &str = "AMAZON_MUSIC_ACCESS_TOKEN";
const API_KEY_VAR: &str = "AMAZON_MUSIC_API_KEY";
const BASE_URL_VAR: &str = "AMAZON_MUSIC_API_BASE_URL";

/// Where Amazon Music requests go.
pub(crate) enum Target {
    /// The built-in simulation, started for this run.
    Sandbox(AmazonMusicSimulation),
    /// A base URL from the environment (the real service's when `None`) and the token and
    /// API key from the environment (the sandbox's when `None`: a base URL without them is
    /// taken to be a sandbox started with `--serve`).
    Configured {
        base_url: Option<String>,
        credentials: Option<(String, String)>,
    },
}

impl Target {
    /// Reads the environment, starting the simulation if nothing is configured; a token
    /// without an API key (or the other way round) is refused in one sentence.
    pub(crate) async fn from_env() -> Result<Self, String> {
        let credentials = match (env_var(TOKEN_VAR), env_var(API_KEY_VAR)) {
            (Some(token), Some(key)) => Some((token, key)),
            (None, None) => None,
            (Some(_), None) => return Err(half_set(TOKEN_VAR, API_KEY_VAR)),
            (None, Some(_)) => return Err(half_set(API_KEY_VAR, TOKEN_VAR)),
        };
        Ok(match (env_var(BASE_URL_VAR), credentials) {
            (None, None) => Self::Sandbox(crate::sandbox::start_amazon().await),
            (base_url, credentials) => Self::Configured {
                base_url,
                credentials,
            },
        })
    }

    pub(crate) fn is_sandbox(&self) -> bool {
        matches!(self, Self::Sandbox(_))
    }
}

fn half_set(set: &str, unset: &str) -> String {
    format!(
        "{set} is set but {unset} is not; set both to read your own history, \
         or neither for the sandbox"
    )
}

/// Walks the whole entity history, newest first, or only the plays after `since`; on
/// failure, what went wrong in one sentence (without the service's name).
///
/// The API has no time filter: with `since`, the walk stops at the first play at or before
/// it, which is exact because the history comes newest first.
pub(crate) async fn walk(target: &Target, since: Option<DateTime<Utc>>) -> Result<Report, String> {
    let (base_url, token, api_key) = match target {
        Target::Sandbox(sim) => (sim.base_url(), DEFAULT_ACCESS_TOKEN, DEFAULT_API_KEY),
        Target::Configured {
            base_url,
            credentials,
        } => {
            let (token, key) = match credentials {
                Some((token, key)) => (token.as_str(), key.as_str()),
                None => (DEFAULT_ACCESS_TOKEN, DEFAULT_API_KEY),
            };
            (base_url.as_deref().unwrap_or(DEFAULT_BASE_URL), token, key)
        }
    };
    // The client asks its token source for the token once per request: the only place
    // the public API lets a caller see each request go out. Nothing is retried, so this
    // counts every request sent.
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&sent);
    let token = AccessToken::new(token);
    let client = AmazonMusicClient::builder(
        move || {
            counter.fetch_add(1, Ordering::Relaxed);
            token.clone()
        },
        api_key,
    )
    .base_url(base_url)
    .build()
    .map_err(|e| explain(&e, target))?;

    let started = Instant::now();
    let mut history = client.my_entity_history(
        &EntityTypes::new(),
        Some(EntitiesLimit::MAX),
        ResumePoint::start(),
    );
    let mut plays = Vec::new();
    while let Some(edge) = history.next().await {
        match edge {
            Ok(edge) if since.is_some_and(|since| edge.played_date <= since) => break,
            Ok(edge) => plays.push(row(edge)),
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

    let (target_label, requests) = match target {
        Target::Sandbox(sim) => (format!("sandbox {}", sim.base_url()), sim.request_count()),
        Target::Configured {
            credentials: None, ..
        } => (
            format!("{} (sandbox credentials)", client.base_url()),
            sent.load(Ordering::Relaxed),
        ),
        Target::Configured { .. } => (client.base_url().to_string(), sent.load(Ordering::Relaxed)),
    };
    Ok(Report {
        service: "Amazon Music",
        key: "amazon_music",
        history: "recently played entities",
        target: target_label,
        columns: &["KIND", "TITLE", "ID"],
        note: None,
        plays,
        requests,
        elapsed,
    })
}

fn row(edge: EntityPlaybackEdge) -> Play {
    let node = &edge.node;
    let kind = match node {
        EntityNode::Unknown(_) if node.kind().is_empty() => "(no kind)".to_string(),
        EntityNode::Unknown(_) => format!("{} (unknown kind)", node.kind()),
        _ => node.kind().to_string(),
    };
    let title = node.title().unwrap_or("").to_string();
    let id = node.id().map(str::to_string);
    Play {
        played_at: edge.played_date,
        kind: node.kind().to_string(),
        cells: vec![kind, title.clone(), id.clone().unwrap_or_default()],
        title,
        id,
        item: serde_json::to_value(&edge).unwrap_or_default(),
    }
}

/// One sentence for `error`, naming what to change where the user can change it.
fn explain(error: &Error, target: &Target) -> String {
    let from_env = matches!(
        target,
        Target::Configured {
            credentials: Some(_),
            ..
        }
    );
    let whose = if from_env {
        format!("in {TOKEN_VAR}")
    } else {
        "(the sandbox's)".to_string()
    };
    match error {
        Error::Unauthorized(e) => format!(
            "the access token {whose} was refused ({}: {}); it may have expired, get a new one",
            e.status.as_u16(),
            crate::clause(&e.message())
        ),
        Error::Forbidden(e) => format!(
            "access denied ({}: {}); check {API_KEY_VAR} and that the token {whose} has the \
             music::history scope",
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

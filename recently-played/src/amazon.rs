//! Amazon Music: where the client points, and the walk through its public API.

use amazon_music_web_api::types::EntityPlaybackEdge;
use amazon_music_web_api::{
    AccessToken, AmazonMusicClient, ApiKey, DEFAULT_BASE_URL, EntitiesLimit, EntityNode,
    MyEntitiesQuery, SERVICE,
};
use chrono::{DateTime, Utc};
use music_history_sandbox::amazon::{AmazonMusicSimulation, DEFAULT_ACCESS_TOKEN, DEFAULT_API_KEY};

use std::io::Write;

use crate::env_var;
use crate::output::{Play, Printer, Report};
use crate::requests::RequestCounter;
use crate::service::{self, Service, Stopped, Target};

pub(crate) const AMAZON_MUSIC: Service = Service {
    name: "Amazon Music",
    key: SERVICE,
    history: "recently played entities",
    columns: &["KIND", "TITLE", "ID"],
    token_var: "AMAZON_MUSIC_ACCESS_TOKEN",
    base_url_var: "AMAZON_MUSIC_API_BASE_URL",
    when_forbidden: "check AMAZON_MUSIC_API_KEY and that the token {whose} has the \
                     music::history scope",
};

const API_KEY_VAR: &str = "AMAZON_MUSIC_API_KEY";

/// Reads the environment, starting the simulation if nothing is configured; a token
/// without an API key (or the other way round) is refused in one sentence.
pub(crate) async fn target() -> Result<Target, String> {
    let token_var = AMAZON_MUSIC.token_var;
    let from_env = match (env_var(token_var), env_var(API_KEY_VAR)) {
        (Some(_), Some(_)) => true,
        (None, None) => false,
        (Some(_), None) => return Err(half_set(token_var, API_KEY_VAR)),
        (None, Some(_)) => return Err(half_set(API_KEY_VAR, token_var)),
    };
    Ok(match (env_var(AMAZON_MUSIC.base_url_var), from_env) {
        (None, false) => {
            let sim: AmazonMusicSimulation = crate::sandbox::start_amazon().await;
            let base_url = sim.base_url().to_string();
            Target::sandbox(sim, &base_url)
        }
        (base_url, from_env) => Target::configured(
            base_url.unwrap_or_else(|| DEFAULT_BASE_URL.to_string()),
            from_env,
        ),
    })
}

fn half_set(set: &str, unset: &str) -> String {
    format!(
        "{set} is set but {unset} is not; set both to read your own history, \
         or neither for the sandbox"
    )
}

/// Walks the whole entity history, newest first, printing each play as it arrives; with
/// `since`, only the plays strictly after it.
///
/// The API has no time filter, and neither the V1 documentation nor the spec promises an
/// order (the examples merely come newest first), so no rule lets a walk conclude that
/// nothing newer than `since` follows: every edge is read (within the walk's page budget)
/// and each is filtered on its own.
pub(crate) async fn walk(
    target: &Target,
    since: Option<DateTime<Utc>>,
    requests: &RequestCounter,
    printer: &mut Printer<impl Write>,
) -> Result<Report, Stopped> {
    let client = client(target, None).map_err(Stopped::Failed)?;
    let mut history = client.history(MyEntitiesQuery::new().limit(EntitiesLimit::MAX));
    let report = service::walk(
        &AMAZON_MUSIC,
        target,
        requests,
        printer,
        &mut history,
        |edge| match since {
            Some(since) if edge.played_date <= since => None,
            _ => Some(row(edge)),
        },
        |point| match &point.cursor {
            Some(cursor) => format!(
                "the rest starts at page token {:?}, after its first {} entities",
                crate::output::printable(cursor),
                point.skip
            ),
            None => format!("the rest starts after the first {} entities", point.skip),
        },
    )
    .await?;
    printer.end().map_err(Stopped::Output)?;
    Ok(report)
}

/// A client of `target` with the credentials from the environment (or the sandbox's), and
/// `max_pages` as its walks' page budget when given; on failure, one sentence.
pub(crate) fn client(
    target: &Target,
    max_pages: Option<usize>,
) -> Result<AmazonMusicClient, String> {
    let (token, key) = match (env_var(AMAZON_MUSIC.token_var), env_var(API_KEY_VAR)) {
        (Some(token), Some(key)) if target.credentials_from_env => (token, key),
        _ => (
            DEFAULT_ACCESS_TOKEN.to_string(),
            DEFAULT_API_KEY.to_string(),
        ),
    };
    let token = AccessToken::new(token)
        .map_err(|e| format!("{} cannot be used: {e}", AMAZON_MUSIC.token_var))?;
    let key = ApiKey::new(key).map_err(|e| format!("{API_KEY_VAR} cannot be used: {e}"))?;
    let mut builder = AmazonMusicClient::builder(token, key).base_url(&target.base_url);
    if let Some(pages) = max_pages {
        builder = builder.max_pages(pages);
    }
    builder
        .build()
        .map_err(|e| service::explain(&AMAZON_MUSIC, target, &e))
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
        album: None,
    }
}

//! Amazon Music: where the client points, and the walk through its public API.
//!
//! Its history is the user's plays of tracks (`/player/recentlyPlayed`): each is a play of
//! one track, at its time, as Spotify's are. The recently played *entities*
//! (`/me/recentlyPlayedEntities`) are not read: an entity is what was played *from* (an
//! album, a playlist, an artist, a show), dated when it began, so counting it as a play
//! counts albums and shows as songs, and it cannot be the context of a track play either,
//! since nothing in either history links an entity to the tracks played from it. What
//! stores made before kept of them is in the store's `entity_plays` (schema 5), and the
//! client still reads them (`MyEntitiesQuery`). The track plays name only the track's ID
//! and title; its artists, album, length and ISRC come from the catalog ([`catalog`]), once
//! per track.

mod catalog;
#[cfg(feature = "sandbox")]
mod simulation;

use amazon_music_web_api::types::{ErrorResponse, TrackPlaybackEdge};
use amazon_music_web_api::{
    AmazonMusicClient, ApiKey, DEFAULT_BASE_URL, ResumePoint, SERVICE, TracksLimit, TracksQuery,
    oauth,
};
use chrono::{DateTime, Utc};
use futures_util::future::{BoxFuture, LocalBoxFuture};

use std::io::{StdoutLock, Write};

use crate::credentials::{self, Authorization, SignIn};
use crate::env_var;
use crate::output::{Play, Printer, Report};
use crate::service::{self, Help, Reader, Run, Service, Stopped, Target};
use crate::store::Store;
use crate::sync::newest_first::{self, NewestFirst};
use crate::sync::{Control, Failed, Synced};

pub(crate) const AMAZON_MUSIC: Service = Service {
    name: "Amazon Music",
    key: SERVICE,
    history: "recently played tracks",
    columns: &["TITLE", "ID"],
    token_var: "AMAZON_MUSIC_ACCESS_TOKEN",
    base_url_var: "AMAZON_MUSIC_API_BASE_URL",
    when_forbidden: "check AMAZON_MUSIC_API_KEY and that the token {whose} has the \
                     music::history scope (and music::catalog, for the tracks' artists and \
                     albums)",
    command: "amazon-music",
    authorization: Authorization::OAuth(SignIn {
        client_id_var: "AMAZON_MUSIC_CLIENT_ID",
        client_secret_var: "AMAZON_MUSIC_CLIENT_SECRET",
        secret_required: true,
        refresh_token_var: REFRESH_TOKEN_VAR,
        auth_base_url_var: "AMAZON_MUSIC_AUTH_BASE_URL",
        // The history, and the catalog that names the artists and album of what it lists.
        scopes: &[oauth::HISTORY_SCOPE, oauth::CATALOG_SCOPE],
        server: oauth::authorization_server,
        // Login with Amazon's refresh tokens last until revoked.
        lifetime: None,
        api_key_var: Some(API_KEY_VAR),
        // Login with Amazon asks for an https return URL, `localhost` being the one known
        // exception over http (omniauth-amazon's notes); nothing public says it accepts
        // `http://127.0.0.1`.
        redirect_host: "localhost",
    }),
    help: Help {
        walked: "GET /player/recentlyPlayed, every page: the tracks you played (a sync then \
                 looks each new track up once in the catalog, GET /tracks/{id}).",
        since: "has no time filter and promises no order, so the walk reads the whole \
                history and prints every play after TIME",
        sync: "has no time filter: it walks back until it meets a play already stored",
        keeps: None,
        redirect: "Login with Amazon wants https but for `localhost`",
        variables: &[
            (
                "AMAZON_MUSIC_ACCESS_TOKEN",
                "A Login with Amazon access token with the music::history scope; needs \
                 AMAZON_MUSIC_API_KEY too.",
            ),
            (
                API_KEY_VAR,
                "Your Login with Amazon security profile ID (x-api-key).",
            ),
            (
                "AMAZON_MUSIC_API_BASE_URL",
                "Where the Amazon Music client points instead of \
                 https://api.music.amazon.dev/v1.",
            ),
            (
                "AMAZON_MUSIC_REFRESH_TOKEN",
                "A Login with Amazon refresh token; needs AMAZON_MUSIC_CLIENT_ID and \
                 AMAZON_MUSIC_CLIENT_SECRET.",
            ),
            (
                "AMAZON_MUSIC_CLIENT_ID",
                "Your security profile's client id (for login and refresh).",
            ),
            (
                "AMAZON_MUSIC_CLIENT_SECRET",
                "Its client secret (for login and refresh).",
            ),
            (
                "AMAZON_MUSIC_AUTH_BASE_URL",
                "Where Login with Amazon is instead of https://www.amazon.com/ap/oa and \
                 https://api.amazon.com/auth/o2/token ({base}/ap/oa and {base}/auth/o2/token).",
            ),
        ],
    },
    reader: &AmazonMusicReader,
    #[cfg(feature = "sandbox")]
    simulation: &simulation::AmazonMusic,
};

pub(crate) const API_KEY_VAR: &str = "AMAZON_MUSIC_API_KEY";

/// The variable of a Login with Amazon refresh token.
const REFRESH_TOKEN_VAR: &str = "AMAZON_MUSIC_REFRESH_TOKEN";

/// The simulation (signed in to), with `sandbox`; else what the environment and the stored
/// sign-in configure: credentials without an API key (or the other way round) are refused
/// in one sentence.
pub(crate) async fn target(sandbox: bool) -> Result<Target, String> {
    if sandbox {
        return crate::sandbox::target(&AMAZON_MUSIC).await;
    }
    let found = credentials::find(&AMAZON_MUSIC)?;
    let has_key = env_var(API_KEY_VAR).is_some()
        || found.as_ref().is_some_and(|found| found.api_key.is_some());
    match (&found, has_key) {
        (Some(found), false) => {
            return Err(format!(
                "{API_KEY_VAR} is not set: the credentials {} need an API key, your \
                 security profile ID",
                found.whose
            ));
        }
        (None, true) => {
            return Err(format!(
                "{API_KEY_VAR} is set but no credentials are: set {} or {}, or sign in with \
                 `recently-played login amazon-music`",
                AMAZON_MUSIC.token_var, REFRESH_TOKEN_VAR
            ));
        }
        _ => {}
    }
    Ok(Target::configured(
        env_var(AMAZON_MUSIC.base_url_var).unwrap_or_else(|| DEFAULT_BASE_URL.to_string()),
        found,
    ))
}

/// Walks the whole history of track plays, newest first, printing each play as it arrives; with
/// `since`, only the plays strictly after it.
///
/// The API has no time filter, and neither the V1 documentation nor the spec promises an
/// order (the examples merely come newest first), so no rule lets a walk conclude that
/// nothing newer than `since` follows: every edge is read (within the walk's page budget)
/// and each is filtered on its own.
pub(crate) async fn walk(
    target: &Target,
    since: Option<DateTime<Utc>>,
    run: &Run<'_>,
    printer: &mut Printer<impl Write>,
) -> Result<Report, Stopped> {
    let client = client(target, None).map_err(Stopped::Failed)?;
    let mut history = client.history(TracksQuery::new().limit(TracksLimit::MAX));
    let report = service::walk(
        &AMAZON_MUSIC,
        target,
        run,
        printer,
        &mut history,
        |edge| match since {
            Some(since) if edge.played_at <= since => None,
            _ => Some(row(edge)),
        },
        |point| match &point.cursor {
            Some(cursor) => format!(
                "the rest starts at page token {:?}, after its first {} plays",
                crate::output::printable(cursor),
                point.skip
            ),
            None => format!("the rest starts after the first {} plays", point.skip),
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
    let (token, key) = match &target.credentials {
        // The key: the sandbox's, else from the environment, else the one stored with the
        // sign-in.
        Some(credentials) => (
            credentials.clone(),
            (!target.is_sandbox())
                .then(|| env_var(API_KEY_VAR))
                .flatten()
                .or_else(|| target.stored_api_key.clone())
                .unwrap_or_default(),
        ),
        None => {
            let (token, key) = crate::sandbox::fixed_credentials(&AMAZON_MUSIC)?;
            (token, key.unwrap_or_default())
        }
    };
    let key = ApiKey::new(key).map_err(|e| format!("{API_KEY_VAR} cannot be used: {e}"))?;
    let mut builder = AmazonMusicClient::builder(token, key).base_url(&target.base_url);
    if let Some(pages) = max_pages {
        builder = builder.max_pages(pages);
    }
    builder
        .build()
        .map_err(|e| service::explain(&AMAZON_MUSIC, target, &e))
}

fn row(edge: TrackPlaybackEdge) -> Play {
    let title = edge.node.title.clone().unwrap_or_default();
    let id = edge.node.id.clone();
    Play {
        played_at: edge.played_at,
        kind: "Track".to_string(),
        cells: vec![title.clone(), id.clone()],
        title,
        id: Some(id),
        item: serde_json::to_value(&edge).unwrap_or_default(),
        album: None,
    }
}

/// The most pages one Amazon Music walk of a sync reads: a first sync of a long history
/// (600,000 plays in pages of 60) in one run. A walk stopped by it is resumed.
const MAX_SYNC_PAGES: usize = 10_001;

/// Amazon Music for the program: its walk, and its sync by the newest-first strategy.
struct AmazonMusicReader;

impl Reader for AmazonMusicReader {
    fn target(&self, sandbox: bool) -> BoxFuture<'static, Result<Target, String>> {
        Box::pin(target(sandbox))
    }

    fn walk<'a>(
        &'a self,
        target: &'a Target,
        since: Option<DateTime<Utc>>,
        run: &'a Run<'a>,
        printer: &'a mut Printer<StdoutLock<'static>>,
    ) -> LocalBoxFuture<'a, Result<Report, Stopped>> {
        Box::pin(walk(target, since, run, printer))
    }

    fn sync<'a>(
        &'a self,
        target: &'a Target,
        store: &'a mut Store,
        control: &'a mut Control,
    ) -> LocalBoxFuture<'a, Result<Synced, Failed>> {
        Box::pin(async move {
            let client = client(target, Some(MAX_SYNC_PAGES)).map_err(Failed::from_sentence)?;
            newest_first::sync(&TrackPlays(client), &AMAZON_MUSIC, target, store, control).await
        })
    }
}

/// The user's plays of tracks, for the newest-first strategy; once stored, the tracks they
/// name are looked up in the catalog.
struct TrackPlays(AmazonMusicClient);

impl NewestFirst for TrackPlays {
    type Item = TrackPlaybackEdge;
    type Body = ErrorResponse;

    fn from(&self, from: ResumePoint) -> amazon_music_web_api::History<TrackPlaybackEdge> {
        self.0
            .history(TracksQuery::new().limit(TracksLimit::MAX).resume_from(from))
    }

    fn after_walk<'a>(
        &'a self,
        target: &'a Target,
        store: &'a mut Store,
    ) -> LocalBoxFuture<'a, Result<Option<String>, Failed>> {
        Box::pin(catalog::look_up_tracks(&self.0, target, store))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn login_help_gives_the_redirect_uri_its_server_accepts() {
        let about = crate::one_line(&crate::login::login_about());
        assert!(
            about.contains("http://localhost:8888/callback for Amazon Music ("),
            "{about}"
        );
    }
}

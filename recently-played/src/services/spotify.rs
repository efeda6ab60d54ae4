//! Spotify: where the client points, and the walk through its public API.

use chrono::{DateTime, Utc};
use futures_util::future::{BoxFuture, LocalBoxFuture};
use spotify_web_api::types::{ErrorResponse, PlayHistory};
use spotify_web_api::{
    DEFAULT_BASE_URL, DOCUMENTED_PLAYS, Limit, Outcome, RecentlyPlayed, RecentlyPlayedQuery,
    SERVICE, SpotifyClient, TimeWindow, UnixMillis, oauth,
};

use std::io::{StdoutLock, Write};

use crate::credentials::{self, Authorization, Lifetime, SignIn};
use crate::env_var;
use crate::output::{Album, Play, Printer, Report};
use crate::service::{self, Help, Reader, Run, Service, Stopped, Target};
use crate::store::Store;
use crate::sync::time_cursor::{self, TimeCursor};
use crate::sync::{Control, Failed, Synced};
use std::time::Duration;

#[cfg(feature = "sandbox")]
mod simulation;

pub(crate) const SPOTIFY: Service = Service {
    name: "Spotify",
    key: SERVICE,
    history: "recently played tracks",
    columns: &["TRACK", "ARTISTS", "ALBUM", "CONTEXT"],
    token_var: "SPOTIFY_ACCESS_TOKEN",
    base_url_var: "SPOTIFY_API_BASE_URL",
    when_forbidden: "the token {whose} needs the user-read-recently-played scope",
    command: "spotify",
    authorization: Authorization::OAuth(SignIn {
        client_id_var: "SPOTIFY_CLIENT_ID",
        client_secret_var: "SPOTIFY_CLIENT_SECRET",
        secret_required: false,
        refresh_token_var: "SPOTIFY_REFRESH_TOKEN",
        auth_base_url_var: "SPOTIFY_ACCOUNTS_BASE_URL",
        scopes: &[oauth::SCOPE],
        server: oauth::authorization_server,
        lifetime: Some(Lifetime {
            // "6 months": 182 days; a day either way hardly matters to a warning given
            // 14 days ahead.
            lasts: Duration::from_secs(182 * 24 * 60 * 60),
            rule: "Spotify ends a sign-in 6 months after it was made",
        }),
        api_key_var: None,
        // Spotify accepts plain http only to a loopback IP literal, and refuses `localhost`
        // (its redirect URI rules, enforced since 2025-11-27).
        redirect_host: "127.0.0.1",
    }),
    help: Help {
        walked: "GET /me/player/recently-played, every page (the real service keeps only \
                 your last 50 plays).",
        since: "asks for them (`after=`) and prints them oldest first",
        sync: "resumes after the newest stored play",
        keeps: Some("keeps only your last 50 plays, about 2.5 h of listening"),
        redirect: "it refuses `localhost`",
        variables: &[
            (
                "SPOTIFY_ACCESS_TOKEN",
                "A user access token with the user-read-recently-played scope (it expires \
                 after an hour).",
            ),
            (
                "SPOTIFY_REFRESH_TOKEN",
                "A refresh token: access tokens are obtained with it as needed. Needs \
                 SPOTIFY_CLIENT_ID.",
            ),
            (
                "SPOTIFY_CLIENT_ID",
                "Your Spotify app's client id (for login and refresh).",
            ),
            (
                "SPOTIFY_CLIENT_SECRET",
                "Its secret, if the app has one (else PKCE alone).",
            ),
            (
                "SPOTIFY_ACCOUNTS_BASE_URL",
                "Where Spotify's accounts service is instead of https://accounts.spotify.com.",
            ),
            (
                "SPOTIFY_API_BASE_URL",
                "Where the Spotify client points instead of https://api.spotify.com/v1 (a \
                 proxy, a fixture server, a sandbox started with --serve).",
            ),
        ],
    },
    reader: &SpotifyReader,
    #[cfg(feature = "sandbox")]
    simulation: &simulation::Spotify,
};

/// The simulation (signed in to), with `sandbox`; else what the environment and the stored
/// sign-in configure. A configuration that cannot work is one sentence.
pub(crate) async fn target(sandbox: bool) -> Result<Target, String> {
    if sandbox {
        return crate::sandbox::target(&SPOTIFY).await;
    }
    let found = credentials::find(&SPOTIFY)?;
    Ok(Target::configured(
        env_var(SPOTIFY.base_url_var).unwrap_or_else(|| DEFAULT_BASE_URL.to_string()),
        found,
    ))
}

/// Walks the whole history, newest first, or the plays after `since`, oldest first,
/// printing each play as it arrives.
pub(crate) async fn walk(
    target: &Target,
    since: Option<DateTime<Utc>>,
    run: &Run<'_>,
    printer: &mut Printer<impl Write>,
) -> Result<Report, Stopped> {
    let client = client(target).map_err(Stopped::Failed)?;
    let query = match since {
        None => RecentlyPlayedQuery::new(),
        Some(time) => RecentlyPlayedQuery::after(UnixMillis::from(time)),
    };
    let mut history = client.history(query.limit(Limit::MAX));
    let report = service::walk(
        &SPOTIFY,
        target,
        run,
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

/// A client of `target` with its credentials (or the sandbox's); on failure, one sentence.
pub(crate) fn client(target: &Target) -> Result<SpotifyClient, String> {
    let token = match &target.credentials {
        Some(credentials) => credentials.clone(),
        None => crate::sandbox::fixed_credentials(&SPOTIFY)?.0,
    };
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

/// Spotify for the program: its walk, and its sync by the time-cursor strategy.
struct SpotifyReader;

impl Reader for SpotifyReader {
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
            let client = client(target).map_err(Failed::from_sentence)?;
            time_cursor::sync(&Plays(client), &SPOTIFY, target, store, control).await
        })
    }
}

/// Spotify's plays, for the time-cursor strategy.
struct Plays(SpotifyClient);

impl TimeCursor for Plays {
    type Item = PlayHistory;
    type Position = TimeWindow;
    type Body = ErrorResponse;

    const KEPT: Option<usize> = Some(DOCUMENTED_PLAYS);

    fn after(&self, after_ms: i64) -> spotify_web_api::History {
        self.0
            .history(RecentlyPlayedQuery::after(UnixMillis::new(after_ms)).limit(Limit::MAX))
    }

    /// Asks for the newest play at or before `ms`: is it that one?
    async fn still_holds(&self, ms: i64) -> Result<Option<bool>, spotify_web_api::Error> {
        let probe =
            RecentlyPlayedQuery::before(UnixMillis::new(ms.saturating_add(1))).limit(Limit::MIN);
        Ok(match self.0.fetch(&probe).await? {
            RecentlyPlayed::Page(page) => Some(
                page.items
                    .first()
                    .and_then(|entry| entry.item())
                    .map(|play| play.played_at.timestamp_millis())
                    == Some(ms),
            ),
            RecentlyPlayed::PrivateSession => None,
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn login_help_gives_the_redirect_uri_its_server_accepts() {
        let about = crate::one_line(&crate::login::login_about());
        assert!(
            about.contains("http://127.0.0.1:8888/callback for Spotify ("),
            "{about}"
        );
    }
}

//! ListenBrainz: where the client points, whose listens it reads, and the walk through its
//! public API.
//!
//! Its history is every listen the user ever submitted (or imported, from Last.fm say), so
//! a first sync reads it whole, oldest first, and later ones ask only for the listens after
//! the newest stored, less a day of overlap for listens submitted late (a phone that
//! scrobbles when it is back online). A listen imported long after it was played, with an
//! older time than the overlap, is not seen by an incremental sync: the API has no filter
//! by when a listen arrived.

use chrono::{DateTime, Utc};
use futures_util::future::{BoxFuture, LocalBoxFuture};
use listenbrainz_api::types::{ErrorResponse, Listen};
use listenbrainz_api::{
    AccessToken, Count, DEFAULT_BASE_URL, ListenBrainzClient, ListensQuery, SERVICE, TimeWindow,
    UserName, ValidateTokenQuery,
};

use std::io::{StdoutLock, Write};

use crate::credentials::{self, Authorization, UserToken};
use crate::env_var;
use crate::output::{Album, Play, Printer, Report};
use crate::service::{self, Help, Reader, Run, Service, Stopped, Target};
use crate::store::Store;
use crate::sync::time_cursor::{self, TimeCursor};
use crate::sync::{Control, Failed, Synced};
use crate::token_file::{self, StoredToken};

#[cfg(feature = "sandbox")]
mod simulation;

/// The variable naming whose listens to read, when the token should not be asked.
const USER_VAR: &str = "LISTENBRAINZ_USER";

pub(crate) const LISTENBRAINZ: Service = Service {
    name: "ListenBrainz",
    key: SERVICE,
    history: "listens",
    columns: &["TRACK", "ARTISTS", "ALBUM"],
    token_var: "LISTENBRAINZ_TOKEN",
    base_url_var: "LISTENBRAINZ_API_BASE_URL",
    when_forbidden: "check the token {whose}",
    command: "listenbrainz",
    authorization: Authorization::UserToken(UserToken {
        user_var: USER_VAR,
        found_at: "https://listenbrainz.org/settings/",
        whose: whose_token,
    }),
    help: Help {
        walked: "GET /1/user/{user}/listens, every page, oldest first (the whole history: \
                 ListenBrainz keeps every listen).",
        since: "asks for them (`min_ts=`) and prints them oldest first",
        sync: "reads the whole history the first time, then the listens after the newest \
               stored, less a day of overlap for late ones",
        keeps: None,
        redirect: "a pasted user token, no redirect",
        variables: &[
            (
                "LISTENBRAINZ_TOKEN",
                "Your ListenBrainz user token (https://listenbrainz.org/settings/); it does \
                 not expire.",
            ),
            (
                USER_VAR,
                "Whose listens to read; else the token's user, as ListenBrainz says.",
            ),
            (
                "LISTENBRAINZ_API_BASE_URL",
                "Where the ListenBrainz client points instead of https://api.listenbrainz.org \
                 (a proxy, a fixture server, a sandbox started with --serve).",
            ),
        ],
    },
    reader: &ListenBrainzReader,
    #[cfg(feature = "sandbox")]
    simulation: &simulation::ListenBrainz,
};

/// The simulation, with `sandbox`; else the token from the environment or `login`. A user
/// name without a token is refused: the token names the user and raises no limit, but it is
/// how the program knows the history is yours.
pub(crate) async fn target(sandbox: bool) -> Result<Target, String> {
    if sandbox {
        return crate::sandbox::target(&LISTENBRAINZ).await;
    }
    let found = credentials::find(&LISTENBRAINZ)?;
    if found.is_none() && env_var(USER_VAR).is_some() {
        return Err(format!(
            "{USER_VAR} is set but no token is: set {} or sign in with `recently-played \
             login listenbrainz`",
            LISTENBRAINZ.token_var
        ));
    }
    Ok(Target::configured(
        env_var(LISTENBRAINZ.base_url_var).unwrap_or_else(|| DEFAULT_BASE_URL.to_string()),
        found,
    ))
}

/// `login listenbrainz`: whose `token` is, as the service at `base_url` (else the real
/// one) says.
fn whose_token(
    base_url: Option<String>,
    token: AccessToken,
) -> BoxFuture<'static, Result<Option<String>, String>> {
    Box::pin(async move {
        let client = ListenBrainzClient::builder(token)
            .base_url(base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))
            .build()
            .map_err(|e| e.to_string())?;
        client
            .fetch(&ValidateTokenQuery)
            .await
            .map_err(|e| e.to_string())
    })
}

/// A client of `target`, and whose listens it reads: [`USER_VAR`], else the user `login`
/// stored with the token, else the token's user as the service says; on failure, one
/// sentence.
async fn reader(target: &Target) -> Result<(ListenBrainzClient, UserName), String> {
    let token = match &target.credentials {
        Some(credentials) => credentials.clone(),
        None => crate::sandbox::fixed_credentials(&LISTENBRAINZ)?.0,
    };
    let client = ListenBrainzClient::builder(token)
        .base_url(&target.base_url)
        .build()
        .map_err(|e| service::explain(&LISTENBRAINZ, target, &e))?;
    // A simulation's user is its token's.
    let named = match (&target.credentials, target.is_sandbox()) {
        (Some(_), false) => env_var(USER_VAR).or_else(stored_user),
        _ => None,
    };
    let user = match named {
        Some(user) => user,
        None => client
            .fetch(&ValidateTokenQuery)
            .await
            .map_err(|e| service::explain(&LISTENBRAINZ, target, &e))?
            .ok_or_else(|| {
                format!(
                    "ListenBrainz does not know the token {}: copy it again from \
                     https://listenbrainz.org/settings/",
                    target.whose
                )
            })?,
    };
    let user = UserName::new(user).map_err(|e| format!("{USER_VAR}: {e}"))?;
    Ok((client, user))
}

/// The user `login listenbrainz` stored with its token, if that is where the token came
/// from.
fn stored_user() -> Option<String> {
    env_var(LISTENBRAINZ.token_var).is_none().then_some(())?;
    let path = token_file::path(LISTENBRAINZ.key).ok()?;
    let stored = token_file::read::<StoredToken>(&path).ok()??;
    Some(stored.user_name)
}

/// Walks the whole history, oldest first, or the listens after `since`, printing each as
/// it arrives.
pub(crate) async fn walk(
    target: &Target,
    since: Option<DateTime<Utc>>,
    run: &Run<'_>,
    printer: &mut Printer<impl Write>,
) -> Result<Report, Stopped> {
    let (client, user) = reader(target).await.map_err(Stopped::Failed)?;
    let from = since.map_or_else(TimeWindow::all, |time| {
        TimeWindow::after(time.timestamp().max(0))
    });
    let mut history = client.history(ListensQuery::new(user).count(Count::MAX).resume_from(from));
    let report = service::walk(
        &LISTENBRAINZ,
        target,
        run,
        printer,
        &mut history,
        |listen| Some(row(listen)),
        |window| {
            format!(
                "resume with --since {}",
                service::rfc3339(window.after.saturating_mul(1000))
            )
        },
    )
    .await?;
    printer.end().map_err(Stopped::Output)?;
    Ok(report)
}

fn row(listen: Listen) -> Play {
    let item = serde_json::to_value(&listen).unwrap_or_default();
    let played_at = DateTime::from_timestamp(listen.listened_at, 0).unwrap_or_default();
    let track = listen.track_metadata;
    let mapping = track.mbid_mapping.as_ref();
    let release = track.release_name.clone().filter(|name| !name.is_empty());
    Play {
        played_at,
        kind: "track".to_string(),
        id: mapping.map(|m| m.recording_mbid.clone()),
        title: track.track_name.clone(),
        cells: vec![
            track.track_name.clone(),
            track.artist_name.clone(),
            release.clone().unwrap_or_else(|| "—".to_string()),
        ],
        item,
        album: Some(Album {
            album: release,
            album_id: mapping.and_then(|m| m.release_mbid.clone()),
            release_date: None,
        }),
    }
}

/// ListenBrainz for the program: its walk, and its sync by the time-cursor strategy.
struct ListenBrainzReader;

impl Reader for ListenBrainzReader {
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
            let (client, user) = reader(target).await.map_err(Failed::from_sentence)?;
            time_cursor::sync(
                &Listens { client, user },
                &LISTENBRAINZ,
                target,
                store,
                control,
            )
            .await
        })
    }
}

/// A user's listens, for the time-cursor strategy.
struct Listens {
    client: ListenBrainzClient,
    user: UserName,
}

impl TimeCursor for Listens {
    type Item = Listen;
    type Position = TimeWindow;
    type Body = ErrorResponse;

    /// ListenBrainz keeps every listen.
    const KEPT: Option<usize> = None;

    /// The listens after the second that holds `after_ms`: a listen of whole second `s` is
    /// after `after_ms` exactly when `s` is after `after_ms / 1000` rounded down.
    fn after(&self, after_ms: i64) -> listenbrainz_api::History {
        let window = TimeWindow::after(after_ms.max(0).div_euclid(1000));
        self.client
            .history(ListensQuery::new(self.user.clone()).resume_from(window))
    }

    /// Nothing is forgotten, so nothing is asked.
    async fn still_holds(&self, _ms: i64) -> Result<Option<bool>, listenbrainz_api::Error> {
        Ok(None)
    }
}

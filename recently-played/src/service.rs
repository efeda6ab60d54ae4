//! What both services' walks share: where the client points, walking a history into a
//! report, and saying what went wrong in a sentence the user can act on.

use std::any::Any;
use std::io::Write;
use std::time::Instant;

use std::io::StdoutLock;

use chrono::{DateTime, Utc};
use client_support::{DocumentedError, Error, History};
use futures_util::StreamExt;
use futures_util::future::{BoxFuture, LocalBoxFuture};

use crate::credentials::{Authorization, Credentials, Found};
use crate::output::{Play, Printer, Report};
use crate::requests::RequestCounter;
use crate::store::Store;
use crate::sync::{Control, Failed, Synced};

/// The words and names that differ between the services.
pub(crate) struct Service {
    /// `"Spotify"`, `"Amazon Music"`.
    pub(crate) name: &'static str,
    /// The client's `SERVICE`: the `service` field of its spans and of each JSON line.
    pub(crate) key: &'static str,
    /// Which history: `"recently played tracks"`.
    pub(crate) history: &'static str,
    /// The table's columns after the time of play.
    pub(crate) columns: &'static [&'static str],
    /// The variable holding the access token.
    pub(crate) token_var: &'static str,
    /// The variable holding the base URL.
    pub(crate) base_url_var: &'static str,
    /// What to check when the service answers 403, after "access denied (...); ".
    pub(crate) when_forbidden: &'static str,
    /// The service's name on the command line: `login spotify`, `login amazon-music`.
    pub(crate) command: &'static str,
    /// How its users give the program their credentials.
    pub(crate) authorization: Authorization,
    /// What the program's help says of it.
    pub(crate) help: Help,
    /// What the program does with it.
    pub(crate) reader: &'static dyn Reader,
    /// Its simulation, for the built-in sandbox.
    #[cfg(feature = "sandbox")]
    pub(crate) simulation: &'static dyn crate::sandbox::Simulation,
}

impl Service {
    /// Every environment variable the program reads for the service: its credentials, its
    /// sign-in's app and servers, and where its client points. `--help` lists them all, and
    /// the tests read them there to remove them from every run.
    pub(crate) fn variables(&self) -> Vec<&'static str> {
        let mut variables = vec![self.token_var];
        variables.extend(self.authorization.variables());
        variables.push(self.base_url_var);
        variables.extend(self.authorization.oauth().and_then(|s| s.api_key_var));
        variables
    }
}

/// What the program's help says of one service, in the sentences only the service can
/// say; the help puts them together from [`crate::services::ALL`].
pub(crate) struct Help {
    /// WHAT IS WALKED: what a walk requests and what it gets.
    pub(crate) walked: &'static str,
    /// `--since`: how a walk reads only the newer plays.
    pub(crate) since: &'static str,
    /// `sync --help`: how a sync finds where to carry on.
    pub(crate) sync: &'static str,
    /// `sync --watch`: why a poll should come soon, when the service keeps only the last
    /// plays ("keeps only your last 50 plays, ...").
    pub(crate) keeps: Option<&'static str>,
    /// `login --help`: what the service's authorization server asks of the redirect URI.
    pub(crate) redirect: &'static str,
    /// CREDENTIALS: what each of [`Service::variables`] holds.
    pub(crate) variables: &'static [(&'static str, &'static str)],
}

impl Help {
    /// What `variable` holds, as [`Help::variables`] says.
    pub(crate) fn about(&self, variable: &str) -> &'static str {
        self.variables
            .iter()
            .find(|(name, _)| *name == variable)
            .map_or("", |(_, about)| about)
    }
}

/// What the program does with one service, through its client: where it points, walking its
/// history, and syncing it by the strategy it picks (`sync::time_cursor`,
/// `sync::newest_first`).
pub(crate) trait Reader: Sync {
    /// The simulation, with `sandbox`; else what the environment and the stored sign-in
    /// configure. A configuration that cannot work is one sentence.
    fn target(&self, sandbox: bool) -> BoxFuture<'static, Result<Target, String>>;

    /// Walks the history, newest first (or the plays after `since`), printing each play.
    fn walk<'a>(
        &'a self,
        target: &'a Target,
        since: Option<DateTime<Utc>>,
        run: &'a Run<'a>,
        printer: &'a mut Printer<StdoutLock<'static>>,
    ) -> LocalBoxFuture<'a, Result<Report, Stopped>>;

    /// Syncs what the service has that the store does not.
    fn sync<'a>(
        &'a self,
        target: &'a Target,
        store: &'a mut Store,
        control: &'a mut Control,
    ) -> LocalBoxFuture<'a, Result<Synced, Failed>>;
}

/// Where a service's requests go, and whose credentials they carry.
pub(crate) struct Target {
    /// The base URL the client is built with.
    pub(crate) base_url: String,
    /// Where the requests went, for the report: `"sandbox http://…"`, `"https://…"`.
    pub(crate) label: String,
    /// The credentials to send; `None`: the sandbox's fixed ones (a sandbox started with
    /// `--serve`).
    pub(crate) credentials: Option<Credentials>,
    /// Where they came from, for messages: "in SPOTIFY_ACCESS_TOKEN", "(the sandbox's)".
    pub(crate) whose: String,
    /// An API key stored with the sign-in (Amazon Music).
    pub(crate) stored_api_key: Option<String>,
    /// The simulation started for this run, kept alive as long as the target.
    _simulation: Option<Box<dyn Any + Send + Sync>>,
}

impl Target {
    /// The built-in simulation at `base_url`, with the tokens of a sign-in to it.
    #[cfg(feature = "sandbox")]
    pub(crate) fn sandbox(
        simulation: impl Any + Send + Sync,
        base_url: &str,
        signed_in: Credentials,
        api_key: Option<String>,
    ) -> Self {
        Self {
            base_url: base_url.to_string(),
            label: format!("sandbox {base_url}"),
            credentials: Some(signed_in),
            whose: "(signed in to the sandbox)".to_string(),
            stored_api_key: api_key,
            _simulation: Some(Box::new(simulation)),
        }
    }

    /// A base URL from the environment (or the real service's), with the credentials
    /// found, or the sandbox's when there are none (a sandbox started with `--serve`).
    pub(crate) fn configured(base_url: String, found: Option<Found>) -> Self {
        let (label, credentials, whose, stored_api_key) = match found {
            Some(found) => (
                base_url.clone(),
                Some(found.credentials),
                found.whose,
                found.api_key,
            ),
            None => (
                format!("{base_url} (sandbox credentials)"),
                None,
                "(the sandbox's)".to_string(),
                None,
            ),
        };
        Self {
            base_url,
            label,
            credentials,
            whose,
            stored_api_key,
            _simulation: None,
        }
    }

    /// Whether the requests go to a simulation started for this run.
    pub(crate) fn is_sandbox(&self) -> bool {
        self._simulation.is_some()
    }
}

/// Why a walk stopped before its end.
pub(crate) enum Stopped {
    /// The service or the client failed: one sentence (without the service's name) that
    /// says what failed, how many plays were printed before, and where to resume.
    Failed(String),
    /// Writing to stdout failed (a closed pipe, say).
    Output(std::io::Error),
}

/// What every walk of a run shares: the requests counted, and how long each walk may take.
pub(crate) struct Run<'a> {
    pub(crate) requests: &'a RequestCounter,
    /// `--deadline`.
    pub(crate) deadline: std::time::Duration,
}

/// Walks `history` to its end, or for at most the run's deadline, printing each item as a
/// play as soon as it arrives; `row` turns an item into a play, or `None` to leave it out
/// (`--since`). `resume` says in words where a later walk would start, from the history's
/// resume point.
pub(crate) async fn walk<I, P, B>(
    service: &'static Service,
    target: &Target,
    run: &Run<'_>,
    printer: &mut Printer<impl Write>,
    history: &mut History<I, P, Error<B>>,
    mut row: impl FnMut(I) -> Option<Play>,
    resume: impl Fn(&P) -> String,
) -> Result<Report, Stopped>
where
    I: Send + Unpin + 'static,
    P: Clone + PartialEq + std::fmt::Debug + Send + Sync + Unpin + 'static,
    B: DocumentedError + Send + Unpin + 'static,
{
    let (requests, deadline) = (run.requests, run.deadline);
    let sent_before = requests.get(service.key);
    let started = Instant::now();
    printer
        .begin(
            service.name,
            service.history,
            &target.label,
            service.columns,
        )
        .map_err(Stopped::Output)?;
    let mut plays = 0;
    let mut malformed = 0;
    let ends_at = tokio::time::Instant::now() + deadline;
    loop {
        let Ok(next) = tokio::time::timeout_at(ends_at, history.next()).await else {
            printer.end().map_err(Stopped::Output)?;
            let mut sentence = format!(
                "stopped at its deadline of {} (--deadline) after {plays} plays",
                crate::commands::show_duration(deadline)
            );
            if plays > 0 {
                sentence.push_str(", printed above");
            }
            if let Some(point) = history.resume_point() {
                sentence.push_str(&format!("; {}", resume(&point)));
            }
            return Err(Stopped::Failed(sentence));
        };
        let Some(item) = next else { break };
        match item {
            Ok(item) => {
                if let Some(play) = row(item) {
                    printer.play(service.key, &play).map_err(Stopped::Output)?;
                    plays += 1;
                }
            }
            // Not fatal: said at once, on stderr beside the plays, and the walk goes on.
            Err(Error::MalformedItem(item)) => {
                malformed += 1;
                eprintln!("{}", crate::output::malformed(service.name, &item));
            }
            Err(e) => {
                printer.end().map_err(Stopped::Output)?;
                let mut sentence = explain(service, target, &e);
                // Where to resume matters only once something was printed; before that, a
                // new run starts where this one did.
                if plays > 0 {
                    sentence.push_str(&format!(" (after {plays} plays, printed above)"));
                    if let Some(point) = history.resume_point() {
                        sentence.push_str(&format!("; {}", resume(&point)));
                    }
                }
                return Err(Stopped::Failed(sentence));
            }
        }
    }
    Ok(Report {
        service: service.name,
        target: target.label.clone(),
        plays,
        malformed,
        requests: requests.get(service.key) - sent_before,
        elapsed: started.elapsed(),
    })
}

/// One sentence for `error`, naming what to change where the user can change it.
pub(crate) fn explain<B: DocumentedError>(
    service: &Service,
    target: &Target,
    error: &Error<B>,
) -> String {
    let whose = &target.whose;
    match error {
        Error::Authorization(e) if e.must_sign_in_again() => {
            let sign_in = service.authorization.oauth();
            format!(
                "{e} with `recently-played login {}`{}{}",
                service.command,
                match sign_in {
                    Some(sign_in) if target.whose.contains(sign_in.refresh_token_var) => {
                        format!(" (or set a new {})", sign_in.refresh_token_var)
                    }
                    _ => String::new(),
                },
                match sign_in.and_then(|sign_in| sign_in.lifetime.as_ref()) {
                    Some(lifetime) => format!("; {}", lifetime.rule),
                    None => String::new(),
                }
            )
        }
        Error::Unauthorized(e) => format!(
            "the access token {whose} was refused ({}: {}); it may have expired, get a new one",
            e.status.as_u16(),
            crate::clause(&e.message())
        ),
        Error::Forbidden(e) => format!(
            "access denied ({}: {}); {}",
            e.status.as_u16(),
            crate::clause(&e.message()),
            service.when_forbidden.replace("{whose}", whose)
        ),
        Error::RateLimited {
            retry_after: Some(wait),
            ..
        } => format!("rate limited: retry after {} s", wait.as_secs()),
        Error::RateLimited {
            retry_after: None, ..
        } => "rate limited: retry later".to_string(),
        Error::InvalidBaseUrl(e) => format!(
            "{} `{}` is refused: {}",
            service.base_url_var, e.url, e.reason
        ),
        other => other.to_string(),
    }
}

/// A time as the user types it for `--since`.
pub(crate) fn rfc3339(millis: i64) -> String {
    chrono::DateTime::from_timestamp_millis(millis)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_else(|| format!("{millis} ms"))
}

//! The built-in sandbox: every service's simulation on 127.0.0.1 (each service's module
//! says how to start its own: [`Simulation`]), seeded with the same realistic history on
//! every run, for a walk or on their own (`--serve`). Built with the feature `sandbox` (on
//! by default); without it, `sandbox_absent` stands in and the binary links no simulation.

use std::process::ExitCode;

use client_support::AccessToken;
use client_support::oauth::{ClientCredentials, RefreshingToken};
use futures_util::future::BoxFuture;

use crate::credentials::{self, Credentials, SignIn};
use crate::service::{Service, Target};
use crate::services;

/// A service's simulation, as the built-in sandbox starts it: each service's module
/// implements it, and its `Service` names it.
pub(crate) trait Simulation: Sync {
    /// Starts it on 127.0.0.1, serving [`PLAYS`] plays of seed [`SEED`], and
    /// [`extra_play_times`] more after them.
    fn start(&self) -> BoxFuture<'static, Box<dyn Started>>;

    /// The access token, and the API key where the API takes one, that the simulation
    /// accepts without a sign-in.
    fn fixed_credentials(&self) -> (&'static str, Option<&'static str>);

    /// The app the sandbox signs in as: the one the simulation's authorization server
    /// knows; `None` for a service whose users paste a token (the fixed one is used).
    fn app(&self) -> Option<ClientCredentials>;
}

/// A simulation started for this run, serving until it is dropped.
pub(crate) trait Started: Send + Sync {
    /// Where its API is.
    fn base_url(&self) -> &str;

    /// Where its authorization server is, for a service users sign in to.
    fn auth_base_url(&self) -> Option<&str>;

    /// How many requests it has answered.
    fn request_count(&self) -> usize;

    /// `--serve`: the requests it answers and the headers they carry, one per line.
    fn lines(&self) -> Vec<String>;

    /// `--serve`: a request to try, as a curl command line.
    fn try_it(&self) -> String;

    /// `--serve --json`: its base URL and credentials, its spec (`spec`, the path of the
    /// `specs/` file it serves) and the headers that carry its credentials (`headers`, by
    /// name), which CI's tools send it (`.ci/schemathesis`).
    fn addresses(&self) -> serde_json::Value;
}

/// The simulation of `service`, started for this run and signed in to.
pub(crate) async fn target(service: &Service) -> Result<Target, String> {
    let simulation = service.simulation;
    let started = simulation.start().await;
    let signed_in = match (
        service.authorization.oauth(),
        simulation.app(),
        started.auth_base_url(),
    ) {
        (Some(sign_in_to), Some(app), Some(auth_base_url)) => {
            sign_in(sign_in_to, auth_base_url, app).await?
        }
        _ => fixed_credentials(service)?.0,
    };
    let base_url = started.base_url().to_string();
    let api_key = simulation.fixed_credentials().1.map(str::to_string);
    Ok(Target::sandbox(started, &base_url, signed_in, api_key))
}

/// The fixed credentials (access token, API key) the simulations of `service` accept, for
/// a base URL given without credentials (a sandbox started with `--serve`).
pub(crate) fn fixed_credentials(
    service: &Service,
) -> Result<(Credentials, Option<String>), String> {
    let (token, key) = service.simulation.fixed_credentials();
    let token = AccessToken::new(token).map_err(|e| e.to_string())?;
    Ok((Credentials::Fixed(token), key.map(str::to_string)))
}

/// The seed of every history: the same plays on every run and every machine.
pub(crate) const SEED: u64 = 2024;

/// Plays per service: a few hundred, so that each walk takes several pages (of 50 to 100
/// plays) and the last page is a partial one.
pub(crate) const PLAYS: usize = 250;

/// For a demonstration of `sync`: this many more plays on each service, after the seeded
/// ones (three minutes apart), as if the user had listened on since the last sync.
pub(crate) const EXTRA_PLAYS_VAR: &str = "RECENTLY_PLAYED_SANDBOX_EXTRA_PLAYS";

/// The times of the extra plays ([`EXTRA_PLAYS_VAR`]) after the newest seeded one.
pub(crate) fn extra_play_times(newest_ms: i64) -> impl Iterator<Item = i64> {
    let n = crate::env_var(EXTRA_PLAYS_VAR)
        .and_then(|n| n.parse::<i64>().ok())
        .unwrap_or(0)
        .clamp(0, 100_000);
    (1..=n).map(move |i| newest_ms + i * 180_000)
}

/// The port the sandbox's sign-in says the browser goes back to (on the service's redirect
/// host, as `login` would). Nothing listens there: the sandbox consents at once, and the
/// redirect is read from its `Location` header.
const SANDBOX_REDIRECT_PORT: u16 = 8888;

/// Signs in to a simulation's authorization server as `app`, as a user would in a browser
/// (the authorize URL, the redirect with a code, the code exchanged with the PKCE
/// verifier), and returns the tokens as a source that refreshes itself.
pub(crate) async fn sign_in(
    sign_in_to: &SignIn,
    auth_base_url: &str,
    app: ClientCredentials,
) -> Result<Credentials, String> {
    let failed = |e: &dyn std::fmt::Display| format!("signing in to the sandbox failed: {e}");
    let client = credentials::oauth_client(sign_in_to, app, Some(auth_base_url))?;
    let sign_in = client
        .authorize(
            &format!(
                "http://{}:{SANDBOX_REDIRECT_PORT}/callback",
                sign_in_to.redirect_host
            ),
            sign_in_to.scopes,
        )
        .map_err(|e| failed(&e))?;
    let location = music_history_sandbox::consent(sign_in.url())
        .await
        .map_err(|e| failed(&e))?;
    let tokens = sign_in
        .finish(&client, location.query().unwrap_or(""))
        .await
        .map_err(|e| failed(&e))?;
    Ok(Credentials::Refreshing(RefreshingToken::from_tokens(
        client, tokens,
    )))
}

/// The line that says what a walk is reading when `services` come from the sandbox.
pub(crate) fn banner(services: &[&str]) -> String {
    let logins: Vec<String> = services::commands()
        .iter()
        .map(|command| format!("`recently-played login {command}`"))
        .collect();
    format!(
        "Built-in sandbox on 127.0.0.1 for {}: {PLAYS} plays per service, seed {SEED}.\n\
         Signed in to it as a browser would (authorization code with PKCE), or with its \
         user token where the service takes one.\n\
         To read your own history, run {} (see --help).",
        crate::listed(services),
        logins.join(" or ")
    )
}

/// `--serve`: starts every service's simulation, says how to reach them, and serves until
/// Ctrl-C.
pub(crate) async fn serve(json: bool) -> ExitCode {
    let started = futures_util::future::join_all(
        services::ALL.map(|service| async move { (service, service.simulation.start().await) }),
    )
    .await;
    if json {
        let mut addresses = serde_json::json!({ "seed": SEED, "plays": PLAYS });
        for (service, simulation) in &started {
            addresses[service.key] = simulation.addresses();
        }
        println!("{addresses}");
    } else {
        print!("{}", serving(&started));
    }
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("recently-played: cannot wait for Ctrl-C ({e}); stopping the sandbox.");
        return ExitCode::FAILURE;
    }
    let counts: Vec<String> = started
        .iter()
        .map(|(service, simulation)| format!("{} {}", simulation.request_count(), service.name))
        .collect();
    let counts: Vec<&str> = counts.iter().map(String::as_str).collect();
    eprintln!("Stopped after {} requests.", crate::listed(&counts));
    ExitCode::SUCCESS
}

/// What `--serve` prints: each simulation's address, what it answers and with which
/// credentials, and how to try it.
fn serving(started: &[(&Service, Box<dyn Started>)]) -> String {
    let mut text = format!(
        "Sandbox serving on 127.0.0.1 until Ctrl-C ({PLAYS} plays per service, seed {SEED}).\n\n"
    );
    for (service, simulation) in started {
        text.push_str(&format!("{:<14}{}\n", service.name, simulation.base_url()));
        for line in simulation.lines() {
            text.push_str(&format!("{:<14}{line}\n", ""));
        }
        text.push('\n');
    }
    text.push_str("Try:\n");
    for (_, simulation) in started {
        text.push_str(&format!("  {}\n", simulation.try_it()));
    }
    let variables: Vec<String> = started
        .iter()
        .map(|(service, simulation)| format!("{}={}", service.base_url_var, simulation.base_url()))
        .collect();
    text.push_str(&format!(
        "  {} cargo run -p recently-played\n",
        variables.join(" ")
    ));
    text
}

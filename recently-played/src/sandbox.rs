//! The built-in sandbox: both simulations on 127.0.0.1, seeded with the same realistic
//! history on every run, for a walk or on their own (`--serve`). Built with the feature
//! `sandbox` (on by default); without it, `sandbox_absent` stands in and the binary links
//! no simulation.

use std::process::ExitCode;

use music_history_sandbox::amazon::{self, AmazonMusicHistory, AmazonMusicSimulation};
use music_history_sandbox::spotify::{self, SpotifyHistory, SpotifySimulation};
use spotify_web_api::oauth::{ClientCredentials, RefreshingToken};

use crate::credentials::{self, Credentials};
use crate::service::{Service, Target};
use crate::services::{amazon::AMAZON_MUSIC, spotify::SPOTIFY};

/// The simulation of `service`, started for this run and signed in to.
pub(crate) async fn target(service: &Service) -> Result<Target, String> {
    if service.key == SPOTIFY.key {
        let sim = start_spotify().await;
        let app = ClientCredentials::public(spotify::DEFAULT_CLIENT_ID);
        let signed_in = sign_in(service, sim.accounts_base_url(), app).await?;
        let base_url = sim.base_url().to_string();
        return Ok(Target::sandbox(sim, &base_url, signed_in, None));
    }
    let sim = start_amazon().await;
    let app = ClientCredentials::confidential(
        amazon::DEFAULT_CLIENT_ID,
        spotify_web_api::oauth::ClientSecret::new(amazon::DEFAULT_CLIENT_SECRET),
    );
    let signed_in = sign_in(service, sim.auth_base_url(), app).await?;
    let base_url = sim.base_url().to_string();
    let api_key = Some(amazon::DEFAULT_API_KEY.to_string());
    Ok(Target::sandbox(sim, &base_url, signed_in, api_key))
}

/// The fixed credentials (access token, API key) the simulations of `service` accept, for
/// a base URL given without credentials (a sandbox started with `--serve`).
pub(crate) fn fixed_credentials(
    service: &Service,
) -> Result<(Credentials, Option<String>), String> {
    let (token, key) = match service.key == AMAZON_MUSIC.key {
        true => (amazon::DEFAULT_ACCESS_TOKEN, Some(amazon::DEFAULT_API_KEY)),
        false => (spotify::DEFAULT_ACCESS_TOKEN, None),
    };
    let token = spotify_web_api::AccessToken::new(token).map_err(|e| e.to_string())?;
    Ok((Credentials::Fixed(token), key.map(str::to_string)))
}

/// The seed of both histories: the same plays on every run and every machine.
pub(crate) const SEED: u64 = 2024;

/// Plays per service: a few hundred, so that each walk takes several pages (Spotify's pages
/// hold 50, Amazon Music's 100) and the last page is a partial one.
pub(crate) const PLAYS: usize = 250;

/// Spotify's simulation, serving [`PLAYS`] plays of seed [`SEED`]: tracks from albums,
/// playlists, artists and Liked Songs, some with a `null` context, some local files.
pub(crate) async fn start_spotify() -> SpotifySimulation {
    let mut history = SpotifyHistory::realistic(PLAYS, SEED);
    let newest = history.plays.iter().map(|p| p.played_at_ms()).max();
    for (i, at) in extra_play_times(newest.unwrap_or(0)).enumerate() {
        history.plays.push(spotify::SpotifyPlay::new(
            at,
            &format!("sandboxExtra{i:06}"),
            &format!("Later Song {}", i + 1),
            "Later Artist",
        ));
    }
    SpotifySimulation::start(history).await
}

/// For a demonstration of `sync`: this many more plays on each service, after the seeded
/// ones (three minutes apart), as if the user had listened on since the last sync.
pub(crate) const EXTRA_PLAYS_VAR: &str = "RECENTLY_PLAYED_SANDBOX_EXTRA_PLAYS";

fn extra_play_times(newest_ms: i64) -> impl Iterator<Item = i64> {
    let n = crate::env_var(EXTRA_PLAYS_VAR)
        .and_then(|n| n.parse::<i64>().ok())
        .unwrap_or(0)
        .clamp(0, 100_000);
    (1..=n).map(move |i| newest_ms + i * 180_000)
}

/// Amazon Music's simulation, serving [`PLAYS`] plays of seed [`SEED`] to "me": plays of
/// tracks the simulated catalog knows, and entities (tracks, albums, playlists, artists,
/// podcast shows and episodes, and one kind the client does not know, an audiobook).
pub(crate) async fn start_amazon() -> AmazonMusicSimulation {
    let mut history = AmazonMusicHistory::realistic(PLAYS, SEED);
    let me = history.me.clone();
    if let Some(user) = history.users.iter_mut().find(|user| user.id == me) {
        let newest = user
            .tracks
            .iter()
            .map(|p| p.played_at.timestamp_millis())
            .max();
        for (i, at) in extra_play_times(newest.unwrap_or(0)).enumerate() {
            user.tracks.push(amazon::TrackPlay::new(
                at,
                &format!("sandboxExtra{i:06}"),
                &format!("Later Song {}", i + 1),
            ));
        }
    }
    AmazonMusicSimulation::start(history).await
}

/// The port the sandbox's sign-in says the browser goes back to (on the service's redirect
/// host, as `login` would). Nothing listens there: the sandbox consents at once, and the
/// redirect is read from its `Location` header.
const SANDBOX_REDIRECT_PORT: u16 = 8888;

/// Signs in to a simulation's authorization server as `app`, as a user would in a browser
/// (the authorize URL, the redirect with a code, the code exchanged with the PKCE
/// verifier), and returns the tokens as a source that refreshes itself.
pub(crate) async fn sign_in(
    service: &Service,
    auth_base_url: &str,
    app: ClientCredentials,
) -> Result<Credentials, String> {
    let failed = |e: &dyn std::fmt::Display| format!("signing in to the sandbox failed: {e}");
    let client = credentials::oauth_client(service, app, Some(auth_base_url))?;
    let sign_in = client
        .authorize(
            &format!(
                "http://{}:{SANDBOX_REDIRECT_PORT}/callback",
                service.sign_in.redirect_host
            ),
            service.sign_in.scopes,
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
    format!(
        "Built-in sandbox on 127.0.0.1 for {}: {PLAYS} plays per service, seed {SEED}.\n\
         Signed in to it as a browser would (authorization code with PKCE).\n\
         To read your own history, run `recently-played login spotify` or \
         `recently-played login amazon-music` (see --help).",
        services.join(" and ")
    )
}

/// `--serve`: starts both simulations, says how to reach them, and serves until Ctrl-C.
pub(crate) async fn serve(json: bool) -> ExitCode {
    let other_user = AmazonMusicHistory::realistic(PLAYS, SEED)
        .users
        .get(1)
        .map(|user| user.id.clone())
        .unwrap_or_default();
    let spotify = start_spotify().await;
    let amazon = start_amazon().await;
    if json {
        let addresses = serde_json::json!({
            "seed": SEED,
            "plays": PLAYS,
            "spotify": {
                "base_url": spotify.base_url(),
                "access_token": spotify::DEFAULT_ACCESS_TOKEN,
            },
            "amazon_music": {
                "base_url": amazon.base_url(),
                "access_token": amazon::DEFAULT_ACCESS_TOKEN,
                "api_key": amazon::DEFAULT_API_KEY,
                "other_user_id": other_user,
            },
        });
        println!("{addresses}");
    } else {
        print!(
            "\
Sandbox serving on 127.0.0.1 until Ctrl-C ({PLAYS} plays per service, seed {SEED}).

Spotify       {spotify_url}
              GET /me/player/recently-played[?limit=1..50&before=|after=<Unix ms>]
              Authorization: Bearer {spotify_token}

Amazon Music  {amazon_url}
              GET /me/recentlyPlayedEntities[?limit=1..100&entityTypes=Album,Track&cursor=]
              GET /player/recentlyPlayed[?limit=1..60&cursor=]
              GET /users/{other_user}/recentlyPlayedEntities
              GET /tracks/<track id>[?mediaType=AUDIO|VIDEO]
              Authorization: Bearer {amazon_token}
              x-api-key: {api_key}

Try:
  curl -H 'Authorization: Bearer {spotify_token}' '{spotify_url}/me/player/recently-played?limit=2'
  SPOTIFY_API_BASE_URL={spotify_url} AMAZON_MUSIC_API_BASE_URL={amazon_url} cargo run -p recently-played
",
            spotify_url = spotify.base_url(),
            spotify_token = spotify::DEFAULT_ACCESS_TOKEN,
            amazon_url = amazon.base_url(),
            amazon_token = amazon::DEFAULT_ACCESS_TOKEN,
            api_key = amazon::DEFAULT_API_KEY,
        );
    }
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("recently-played: cannot wait for Ctrl-C ({e}); stopping the sandbox.");
        return ExitCode::FAILURE;
    }
    eprintln!(
        "Stopped after {} Spotify and {} Amazon Music requests.",
        spotify.request_count(),
        amazon.request_count()
    );
    ExitCode::SUCCESS
}

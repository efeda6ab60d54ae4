//! Signing in through the command line, and runs that stay signed in: `login` followed by
//! a test playing the browser, the token file, refresh tokens from the environment, a
//! `401` on the first token, and a revoked sign-in.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use music_history_sandbox::Fault;
use music_history_sandbox::amazon::{self, AmazonMusicHistory, AmazonMusicSimulation};
use music_history_sandbox::spotify::{self, SpotifyHistory, SpotifySimulation};

use crate::common::*;

/// How long any wait on the binary lasts before the test fails.
const PATIENCE: Duration = Duration::from_secs(30);

/// A child killed when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Running {
    /// Waits, at most [`PATIENCE`], for the child to exit; its status and what it printed.
    fn finish(mut self, lines: mpsc::Receiver<String>) -> (bool, String, String) {
        let deadline = Instant::now() + PATIENCE;
        let status = loop {
            if let Some(status) = self.0.try_wait().expect("the child can be waited on") {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "the binary did not exit within {PATIENCE:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut err = String::new();
        if let Some(mut pipe) = self.0.stderr.take() {
            std::io::Read::read_to_string(&mut pipe, &mut err).unwrap();
        }
        let out: Vec<String> = lines.try_iter().collect();
        (status.success(), out.join("\n"), err)
    }
}

/// `command`'s stdout, line by line, through a channel that a thread fills.
fn lines_of(child: &mut Child) -> mpsc::Receiver<String> {
    let (send, receive) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

/// The binary with no configuration, whose config directory is `config`.
fn with_config(args: &[&str], config: &Path) -> Command {
    let mut command = recently_played(args);
    command.env("XDG_CONFIG_HOME", config);
    command
}

/// Runs `login` (the command, with `--port 0 --no-browser`), plays the browser through the
/// sign-in URL it prints (the line that starts with `url_start`), and returns whether it
/// succeeded, and what it said on stdout and on stderr.
async fn log_in(mut login: Command, url_start: &str) -> (bool, String, String) {
    let mut child = login
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("login starts");
    let lines = lines_of(&mut child);
    let running = Running(child);
    let deadline = Instant::now() + PATIENCE;
    let url = loop {
        let line = lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("login prints the sign-in URL in time");
        if line.trim().starts_with(url_start) {
            break line.trim().to_string();
        }
    };
    let page = browse(&url).await;
    assert!(page.contains("return to the terminal"), "{page}");
    tokio::task::spawn_blocking(move || running.finish(lines))
        .await
        .unwrap()
}

/// Plays the browser: opens `url` (the simulation consents at once), then follows its
/// redirect to the listener `login` runs, which must be on the host the service accepts
/// (Spotify: a loopback IP literal; Login with Amazon: `localhost`); the page the listener
/// answered with.
async fn browse(url: &str) -> String {
    let back = music_history_sandbox::consent(url).await.unwrap();
    let host = if url.contains("/ap/oa?") {
        "localhost"
    } else {
        "127.0.0.1"
    };
    assert!(
        back.as_str().starts_with(&format!("http://{host}:")),
        "{back}"
    );
    let page = client_support::http::client_builder()
        .timeout(PATIENCE)
        .build()
        .unwrap()
        .get(back)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    page.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn login_through_the_printed_url_stores_the_tokens_and_the_next_run_needs_no_token() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(30, 11)).await;
    let config = tempfile::tempdir().unwrap();
    let mut login = with_config(
        &["login", "spotify", "--port", "0", "--no-browser"],
        config.path(),
    );
    login
        .env("SPOTIFY_CLIENT_ID", spotify::DEFAULT_CLIENT_ID)
        .env("SPOTIFY_ACCOUNTS_BASE_URL", sim.accounts_base_url());
    let (ok, out, err) = log_in(login, &format!("{}/authorize?", sim.accounts_base_url())).await;
    assert!(ok, "login failed: {err}");
    assert!(out.contains("Signed in to Spotify"), "{out}");

    let file = config.path().join("recently-played").join("spotify.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{file:?} is {mode:o}");
    }
    let stored: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let secrets: Vec<String> = ["access_token", "refresh_token"]
        .iter()
        .map(|key| stored[key].as_str().unwrap().to_string())
        .collect();
    for secret in &secrets {
        assert!(!out.contains(secret.as_str()) && !err.contains(secret.as_str()));
    }

    // The next run: no token in the environment, only the API's address; its stored access
    // token is refused, so it refreshes, and the rotated refresh token is stored.
    sim.expire_access_tokens();
    let mut walk = with_config(&["--json"], config.path());
    walk.env("SPOTIFY_API_BASE_URL", sim.base_url());
    let output = run_beside_simulation(walk).await;
    let said = stderr(&output);
    assert!(output.status.success(), "{said}");
    assert_eq!(summary(&said, "Spotify").0, 30, "{said}");
    assert!(!said.contains("sandbox credentials"), "{said}");
    for secret in &secrets {
        assert!(!stdout(&output).contains(secret.as_str()) && !said.contains(secret.as_str()));
    }
    assert_eq!(
        sim.token_grants().refresh_token,
        1,
        "one refresh after the 401"
    );
    let rotated: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_ne!(
        rotated["refresh_token"], stored["refresh_token"],
        "the rotated refresh token is stored"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "still 0600 after the rewrite");
    }

    let output = run_beside_simulation(with_config(&["logout", "spotify"], config.path())).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!file.exists(), "logout removes the file");
}

/// The environment of an unattended run: a client id and a refresh token only, and the
/// addresses of the simulation.
fn unattended_spotify(sim: &SpotifySimulation, refresh: &str, config: &Path) -> Command {
    let mut command = with_config(&["--json"], config);
    command
        .env("SPOTIFY_CLIENT_ID", spotify::DEFAULT_CLIENT_ID)
        .env("SPOTIFY_REFRESH_TOKEN", refresh)
        .env("SPOTIFY_ACCOUNTS_BASE_URL", sim.accounts_base_url())
        .env("SPOTIFY_API_BASE_URL", sim.base_url());
    command
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refresh_token_alone_reads_spotify_even_when_the_first_token_is_refused_once() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(60, 12)).await;
    let refresh = sim.issue_tokens().refresh_token;
    sim.inject(Fault::Body {
        status: 401,
        body: br#"{"error":{"status":401,"message":"The access token expired"}}"#.to_vec(),
        content_type: Some("application/json".to_string()),
    });
    let config = tempfile::tempdir().unwrap();
    let output = run_beside_simulation(unattended_spotify(&sim, &refresh, config.path())).await;
    let said = stderr(&output);
    assert!(output.status.success(), "{said}");
    assert_eq!(summary(&said, "Spotify").0, 60, "every play, once: {said}");
    assert_eq!(
        sim.token_grants().refresh_token,
        2,
        "one token to start, one after the 401"
    );
    assert!(!said.contains(&refresh) && !stdout(&output).contains(&refresh));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refresh_token_alone_reads_amazon_music_even_when_the_first_token_is_refused_once() {
    let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(40, 13)).await;
    let refresh = sim.issue_tokens().refresh_token;
    sim.inject(Fault::Body {
        status: 401,
        body: br#"{"message":"Unauthorized"}"#.to_vec(),
        content_type: Some("application/json".to_string()),
    });
    let config = tempfile::tempdir().unwrap();
    let mut command = with_config(&["--json"], config.path());
    command
        .env("AMAZON_MUSIC_CLIENT_ID", amazon::DEFAULT_CLIENT_ID)
        .env("AMAZON_MUSIC_CLIENT_SECRET", amazon::DEFAULT_CLIENT_SECRET)
        .env("AMAZON_MUSIC_REFRESH_TOKEN", &refresh)
        .env("AMAZON_MUSIC_API_KEY", amazon::DEFAULT_API_KEY)
        .env("AMAZON_MUSIC_AUTH_BASE_URL", sim.auth_base_url())
        .env("AMAZON_MUSIC_API_BASE_URL", sim.base_url());
    let output = run_beside_simulation(command).await;
    let said = stderr(&output);
    assert!(output.status.success(), "{said}");
    assert_eq!(summary(&said, "Amazon Music").0, 40, "{said}");
    assert_eq!(
        sim.token_grants().refresh_token,
        2,
        "one token to start, one after the 401"
    );
    for secret in [refresh.as_str(), amazon::DEFAULT_CLIENT_SECRET] {
        assert!(!said.contains(secret) && !stdout(&output).contains(secret));
    }
}

/// `login amazon-music` against `sim`'s Login with Amazon, with the app's id, secret and
/// API key in the environment, storing into `config`.
fn amazon_login(sim: &AmazonMusicSimulation, config: &Path) -> Command {
    let mut login = with_config(
        &["login", "amazon-music", "--port", "0", "--no-browser"],
        config,
    );
    login
        .env("AMAZON_MUSIC_CLIENT_ID", amazon::DEFAULT_CLIENT_ID)
        .env("AMAZON_MUSIC_CLIENT_SECRET", amazon::DEFAULT_CLIENT_SECRET)
        .env("AMAZON_MUSIC_API_KEY", amazon::DEFAULT_API_KEY)
        .env("AMAZON_MUSIC_AUTH_BASE_URL", sim.auth_base_url());
    login
}

/// `login amazon-music` stores the API key with the tokens: the next run needs nothing in
/// its environment but the API's address (here, the simulation's).
#[tokio::test(flavor = "multi_thread")]
async fn login_to_amazon_music_stores_its_api_key_and_the_next_run_needs_no_other_variable() {
    let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(25, 12)).await;
    let config = tempfile::tempdir().unwrap();
    let login = amazon_login(&sim, config.path());
    let (ok, out, err) = log_in(login, &format!("{}/ap/oa?", sim.auth_base_url())).await;
    assert!(ok, "login failed: {err}");
    assert!(out.contains("Signed in to Amazon Music"), "{out}");
    for secret in [amazon::DEFAULT_CLIENT_SECRET, amazon::DEFAULT_API_KEY] {
        assert!(
            !out.contains(secret) && !err.contains(secret),
            "{secret} shown"
        );
    }

    let mut walk = with_config(&["--json"], config.path());
    walk.env("AMAZON_MUSIC_API_BASE_URL", sim.base_url());
    let output = run_beside_simulation(walk).await;
    let said = stderr(&output);
    assert!(output.status.success(), "{said}");
    assert_eq!(summary(&said, "Amazon Music").0, 25, "{said}");
}

/// `login amazon-music` asks for the catalog too (`music::catalog`): a sync with that sign-in
/// names the tracks it stores; the simulated Login with Amazon grants only the scopes asked
/// for, and its catalog refuses a token without that one.
#[tokio::test(flavor = "multi_thread")]
async fn login_to_amazon_music_asks_for_the_catalog_so_a_sync_names_its_tracks() {
    let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(25, 12)).await;
    let config = tempfile::tempdir().unwrap();
    let login = amazon_login(&sim, config.path());
    let (ok, _, err) = log_in(login, &format!("{}/ap/oa?", sim.auth_base_url())).await;
    assert!(ok, "login failed: {err}");

    let db = config.path().join("history.sqlite3");
    let mut sync = with_config(&["sync", "--db", db.to_str().unwrap()], config.path());
    sync.env("AMAZON_MUSIC_API_BASE_URL", sim.base_url());
    let output = run_beside_simulation(sync).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        !stderr(&output).contains("music::catalog"),
        "{}",
        stderr(&output)
    );
    let unnamed: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM plays WHERE service = 'amazon_music' AND artists = '[]'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(unnamed, 0);
    assert!(sim.catalog_request_count() > 0);
}

#[test]
fn login_amazon_music_without_its_api_key_refuses_before_any_browser() {
    let config = tempfile::tempdir().unwrap();
    let mut login = with_config(
        &["login", "amazon-music", "--port", "0", "--no-browser"],
        config.path(),
    );
    login
        .env("AMAZON_MUSIC_CLIENT_ID", amazon::DEFAULT_CLIENT_ID)
        .env("AMAZON_MUSIC_CLIENT_SECRET", amazon::DEFAULT_CLIENT_SECRET)
        .env("AMAZON_MUSIC_AUTH_BASE_URL", "http://127.0.0.1:9/");
    let output = run(&mut login);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stdout(&output).is_empty(),
        "no sign-in URL: {}",
        stdout(&output)
    );
    let said = stderr(&output);
    assert!(said.contains("AMAZON_MUSIC_API_KEY is not set"), "{said}");
    assert!(!said.contains(amazon::DEFAULT_CLIENT_SECRET), "{said}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_refresh_token_says_to_sign_in_again_in_one_sentence() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(5, 14)).await;
    let refresh = sim.issue_tokens().refresh_token;
    sim.revoke_refresh_tokens();
    let config = tempfile::tempdir().unwrap();
    let output = run_beside_simulation(unattended_spotify(&sim, &refresh, config.path())).await;
    assert!(!output.status.success());
    let said = stderr(&output);
    let line = said
        .lines()
        .find(|line| line.starts_with("Spotify: "))
        .unwrap_or_else(|| panic!("no Spotify failure in {said}"));
    assert!(
        line.contains("refused the refresh token (invalid_grant")
            && line.contains("sign in again with `recently-played login spotify` (or set a new SPOTIFY_REFRESH_TOKEN)"),
        "{line}"
    );
    assert_eq!(sim.request_count(), 0, "no API request without a token");
}

#[test]
fn login_without_a_client_id_or_with_an_unknown_service_is_one_sentence_and_exit_2() {
    let config = tempfile::tempdir().unwrap();
    for (args, expected) in [
        (&["login", "spotify"][..], "SPOTIFY_CLIENT_ID is not set"),
        (&["login", "tidal"][..], "`tidal` is not a service"),
        (&["login"][..], "not provided: <SERVICE>"),
    ] {
        let output = run(&mut with_config(args, config.path()));
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let said = stderr(&output);
        assert_eq!(said.lines().count(), 1, "{args:?}: {said}");
        assert!(said.contains(expected), "{args:?}: {said}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_misbehaving_authorization_server_ends_the_run_in_one_sentence_without_a_secret() {
    use music_history_sandbox::hostile::{Hostile, HostileServer};
    let api = SpotifySimulation::start(SpotifyHistory::realistic(3, 15)).await;
    let config = tempfile::tempdir().unwrap();
    let refresh = "AQD-refresh-5ecret";
    let secret = "client-5ecret-value";
    for hostile in [
        Hostile::EndlessBody,
        Hostile::EchoCredentials(1_000),
        Hostile::Gzip,
    ] {
        let accounts = HostileServer::start(hostile.clone()).await;
        let mut command = with_config(&["--json"], config.path());
        command
            .env("SPOTIFY_CLIENT_ID", "client-id")
            .env("SPOTIFY_CLIENT_SECRET", secret)
            .env("SPOTIFY_REFRESH_TOKEN", refresh)
            .env("SPOTIFY_ACCOUNTS_BASE_URL", accounts.base_url())
            .env("SPOTIFY_API_BASE_URL", api.base_url());
        let output = run_beside_simulation(command).await;
        assert_eq!(output.status.code(), Some(1), "{hostile:?}");
        let said = stderr(&output);
        let line = said
            .lines()
            .find(|line| line.starts_with("Spotify: "))
            .unwrap_or_else(|| panic!("{hostile:?}: no Spotify failure in {said}"));
        assert!(line.contains("Spotify accounts"), "{hostile:?}: {line}");
        for shown in [said.as_str(), &stdout(&output)] {
            assert!(
                !shown.contains(refresh) && !shown.contains(secret),
                "{hostile:?}: {shown}"
            );
        }
        assert_eq!(
            api.request_count(),
            0,
            "{hostile:?}: no API request without a token"
        );
    }
}

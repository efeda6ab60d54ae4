//! `conformance-sandbox [--plays N]`: both simulations served in a process of their own, so
//! that the live mode can be tested against them as against the real services.
//!
//! Prints one JSON line, `{"spotify": {"base_url", "access_token", "accounts_base_url",
//! "client_id", "refresh_token"}, "amazon_music": {"base_url", "access_token", "api_key",
//! "auth_base_url", "client_id", "client_secret", "refresh_token"}}` (the refresh tokens as
//! if a user had signed in), then serves until its standard input closes (or it is killed).

use std::io::Read;
use std::process::ExitCode;

use music_history_sandbox::amazon::{self, AmazonMusicHistory, AmazonMusicSimulation};
use music_history_sandbox::spotify::{self, SpotifyHistory, SpotifySimulation};

/// The seed of both histories, as the CLI's sandbox has it.
const SEED: u64 = 2024;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let plays = match args.as_slice() {
        [] => 250,
        [flag, n] if flag == "--plays" => match n.parse::<usize>() {
            Ok(n) if n <= 100_000 => n,
            _ => {
                eprintln!("conformance-sandbox: --plays {n}: a number up to 100000.");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("conformance-sandbox: usage: conformance-sandbox [--plays N]");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("conformance-sandbox: cannot start a runtime: {e}.");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let spotify = SpotifySimulation::start(SpotifyHistory::realistic(plays, SEED)).await;
        let amazon = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(plays, SEED)).await;
        println!(
            "{}",
            serde_json::json!({
                "spotify": {
                    "base_url": spotify.base_url(),
                    "access_token": spotify::DEFAULT_ACCESS_TOKEN,
                    "accounts_base_url": spotify.accounts_base_url(),
                    "client_id": spotify::DEFAULT_CLIENT_ID,
                    "refresh_token": spotify.issue_tokens().refresh_token,
                },
                "amazon_music": {
                    "base_url": amazon.base_url(),
                    "access_token": amazon::DEFAULT_ACCESS_TOKEN,
                    "api_key": amazon::DEFAULT_API_KEY,
                    "auth_base_url": amazon.auth_base_url(),
                    "client_id": amazon::DEFAULT_CLIENT_ID,
                    "client_secret": amazon::DEFAULT_CLIENT_SECRET,
                    "refresh_token": amazon.issue_tokens().refresh_token,
                },
            })
        );
        // The simulations serve on threads of their own; this one waits for the end of stdin.
        let _ = tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new())).await;
    });
    ExitCode::SUCCESS
}

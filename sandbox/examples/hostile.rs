//! Serves one misbehaviour of the hostile server on 127.0.0.1 until Ctrl-C, for trying a
//! client or `recently-played` against it by hand:
//!
//! ```sh
//! cargo run -p music-history-sandbox --example hostile -- endless-body
//! SPOTIFY_API_BASE_URL=<the printed URL> cargo run -p recently-played -- --json
//! ```

use music_history_sandbox::hostile::{Hostile, HostileServer};

const NAMES: &str = "spotify-endless-pages, spotify-empty-pages, spotify-next-newer, \
                     spotify-fail-after-first-page, spotify-terminal-injection, \
                     amazon-endless-pages, amazon-unordered, listenbrainz-endless-pages, \
                     endless-body, echo-credentials, slow-drip, never-answers";

#[tokio::main]
async fn main() {
    let name = std::env::args().nth(1).unwrap_or_default();
    let hostile = match name.as_str() {
        "spotify-endless-pages" => Hostile::SpotifyEndlessPages,
        "spotify-empty-pages" => Hostile::SpotifyEmptyPagesForever,
        "spotify-next-newer" => Hostile::SpotifyNextNewerThanPage,
        "spotify-fail-after-first-page" => Hostile::SpotifyFailAfterFirstPage,
        "spotify-terminal-injection" => Hostile::SpotifyTerminalInjection,
        "amazon-endless-pages" => Hostile::AmazonEndlessPages,
        "amazon-unordered" => Hostile::AmazonUnordered,
        "listenbrainz-endless-pages" => Hostile::ListenBrainzEndlessPages,
        "endless-body" => Hostile::EndlessBody,
        "echo-credentials" => Hostile::EchoCredentials(1_000_000),
        "slow-drip" => Hostile::SlowDrip,
        "never-answers" => Hostile::NeverAnswers,
        _ => {
            eprintln!("usage: hostile <{NAMES}>");
            std::process::exit(2);
        }
    };
    let server = HostileServer::start(hostile).await;
    println!("{}", server.base_url());
    let _ = tokio::signal::ctrl_c().await;
}

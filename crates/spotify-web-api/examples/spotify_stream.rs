//! Walks the whole play history, newest first, page after page.
//!
//! ```sh
//! SPOTIFY_ACCESS_TOKEN=BQD... cargo run -p spotify-web-api --example spotify_stream
//! ```
//!
//! The token must carry the `user-read-recently-played` scope. Set `SPOTIFY_API_BASE_URL`
//! to talk to something other than `https://api.spotify.com/v1` (a local sandbox).
//! Rate limits and server errors are retried up to three times.

use std::process::ExitCode;

use futures_util::TryStreamExt;
use spotify_web_api::{AccessToken, Outcome, RecentlyPlayedQuery, RetryPolicy, SpotifyClient};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(sentence) => {
            eprintln!("Could not walk the play history: {sentence}.");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let client = client_from_env()?;
    let mut plays = client.history(RecentlyPlayedQuery::new());
    let mut count = 0;
    while let Some(play) = plays.try_next().await.map_err(|e| {
        // Where a later run could pick up without losing or repeating a play.
        match plays.resume_point() {
            Some(resume) => format!("{e} (resume with {resume:?})"),
            None => e.to_string(),
        }
    })? {
        count += 1;
        println!("{}  {}", play.played_at, play.track.name);
    }
    if plays.outcome() == Some(Outcome::PrivateSession) {
        println!("The user is in a private session: Spotify hides the rest of the history.");
    } else {
        println!("{count} plays.");
    }
    Ok(())
}

fn client_from_env() -> Result<SpotifyClient, String> {
    let token = std::env::var("SPOTIFY_ACCESS_TOKEN").map_err(|_| {
        "set SPOTIFY_ACCESS_TOKEN to a user access token with the user-read-recently-played scope"
            .to_string()
    })?;
    let mut builder = SpotifyClient::builder(AccessToken::new(token).map_err(|e| e.to_string())?)
        .retry(RetryPolicy::new(3));
    if let Ok(base_url) = std::env::var("SPOTIFY_API_BASE_URL") {
        builder = builder.base_url(&base_url);
    }
    builder.build().map_err(|e| e.to_string())
}

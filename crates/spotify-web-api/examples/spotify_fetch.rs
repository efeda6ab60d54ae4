//! Fetches the ten most recent plays with one request.
//!
//! ```sh
//! SPOTIFY_ACCESS_TOKEN=BQD... cargo run -p spotify-web-api --example spotify_fetch
//! ```
//!
//! The token must carry the `user-read-recently-played` scope. Set `SPOTIFY_API_BASE_URL`
//! to talk to something other than `https://api.spotify.com/v1` (a local sandbox).

use std::process::ExitCode;

use spotify_web_api::{
    AccessToken, Entry, Limit, RecentlyPlayed, RecentlyPlayedQuery, SpotifyClient,
};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(sentence) => {
            eprintln!("Could not fetch recently played tracks: {sentence}.");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let client = client_from_env()?;
    let query = RecentlyPlayedQuery::new().limit(Limit::new(10).map_err(|e| e.to_string())?);
    match client.fetch(&query).await.map_err(|e| e.to_string())? {
        RecentlyPlayed::Page(page) => {
            for play in page.items.into_iter().filter_map(Entry::into_item) {
                let artists: Vec<_> = play.track.artists.iter().map(|a| a.name.as_str()).collect();
                println!(
                    "{}  {} — {}",
                    play.played_at,
                    play.track.name,
                    artists.join(", ")
                );
            }
        }
        RecentlyPlayed::PrivateSession => {
            println!("The user is in a private session: Spotify returns no history.");
        }
    }
    Ok(())
}

fn client_from_env() -> Result<SpotifyClient, String> {
    let token = std::env::var("SPOTIFY_ACCESS_TOKEN").map_err(|_| {
        "set SPOTIFY_ACCESS_TOKEN to a user access token with the user-read-recently-played scope"
            .to_string()
    })?;
    let mut builder = SpotifyClient::builder(AccessToken::new(token).map_err(|e| e.to_string())?);
    if let Ok(base_url) = std::env::var("SPOTIFY_API_BASE_URL") {
        builder = builder.base_url(&base_url);
    }
    builder.build().map_err(|e| e.to_string())
}

//! Fetches the current user's ten most recent tracks: one call, one page.
//!
//! ```sh
//! AMAZON_MUSIC_ACCESS_TOKEN='Atza|…' AMAZON_MUSIC_API_KEY='amzn1.application.…' \
//!     cargo run -p amazon-music-web-api --example amazon_music_fetch
//! ```
//!
//! `AMAZON_MUSIC_API_BASE_URL` overrides the base URL (e.g. a local sandbox on
//! `http://127.0.0.1:…/v1`).

use std::process::ExitCode;

use amazon_music_web_api::{
    AccessToken, AmazonMusicClient, ApiKey, Entry, TracksLimit, TracksQuery,
};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(sentence) => {
            eprintln!("{sentence}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let client = client_from_env()?;
    let query = TracksQuery::new().limit(TracksLimit::new(10).map_err(|e| e.to_string())?);
    let page = client
        .fetch(&query)
        .await
        .map_err(|e| format!("Could not fetch the recently played tracks: {e}."))?;
    if page.edges().is_empty() {
        println!("No recently played tracks.");
    }
    for (index, edge) in page.edges().iter().enumerate() {
        match edge {
            Entry::Item(edge) => {
                let title = edge.node.title.as_deref().unwrap_or("(untitled)");
                println!("{}  {title}  [{}]", edge.played_at, edge.node.id);
            }
            Entry::Malformed(m) => println!("(play {index} does not decode: {})", m.reason()),
        }
    }
    Ok(())
}

fn client_from_env() -> Result<AmazonMusicClient, String> {
    let var =
        |name: &str, what: &str| std::env::var(name).map_err(|_| format!("Set {name} to {what}."));
    let token = var(
        "AMAZON_MUSIC_ACCESS_TOKEN",
        "a Login with Amazon access token with the music::history scope",
    )?;
    let api_key = var(
        "AMAZON_MUSIC_API_KEY",
        "your Login with Amazon security profile ID",
    )?;
    let token = AccessToken::new(token).map_err(|e| format!("AMAZON_MUSIC_ACCESS_TOKEN: {e}."))?;
    let api_key = ApiKey::new(api_key).map_err(|e| format!("AMAZON_MUSIC_API_KEY: {e}."))?;
    let mut builder = AmazonMusicClient::builder(token, api_key);
    if let Ok(base_url) = std::env::var("AMAZON_MUSIC_API_BASE_URL") {
        builder = builder.base_url(&base_url);
    }
    builder
        .build()
        .map_err(|e| format!("Could not set up the client: {e}."))
}

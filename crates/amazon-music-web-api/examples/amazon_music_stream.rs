//! Streams the current user's whole entity history (every kind), page after page, and says
//! where to resume if it stops early.
//!
//! ```sh
//! AMAZON_MUSIC_ACCESS_TOKEN='Atza|…' AMAZON_MUSIC_API_KEY='amzn1.application.…' \
//!     cargo run -p amazon-music-web-api --example amazon_music_stream
//! ```
//!
//! `AMAZON_MUSIC_API_BASE_URL` overrides the base URL (e.g. a local sandbox on
//! `http://127.0.0.1:…/v1`).

use std::process::ExitCode;
use std::time::Duration;

use amazon_music_web_api::{
    AccessToken, AmazonMusicClient, ApiKey, EntitiesLimit, MyEntitiesQuery, ResumePoint,
    RetryPolicy,
};
use futures_util::StreamExt;

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
    let mut history = client.history(MyEntitiesQuery::new().limit(EntitiesLimit::MAX));
    let mut count = 0usize;
    while let Some(edge) = history.next().await {
        match edge {
            Ok(edge) => {
                count += 1;
                let title = edge.node.title().unwrap_or("(untitled)");
                println!("{}  {:<14} {title}", edge.played_date, edge.node.kind());
            }
            Err(e) => {
                let resume = match history.resume_point() {
                    Some(ResumePoint {
                        cursor: Some(cursor),
                        skip,
                    }) => {
                        format!("cursor {cursor:?}, skipping {skip}")
                    }
                    _ => "the start".to_string(),
                };
                return Err(format!(
                    "Stopped after {count} entities ({e}); resume from {resume}."
                ));
            }
        }
    }
    println!("{count} entities in all.");
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
    let mut builder = AmazonMusicClient::builder(token, api_key)
        .retry(RetryPolicy::new(4).max_total_wait(Duration::from_secs(30)));
    if let Ok(base_url) = std::env::var("AMAZON_MUSIC_API_BASE_URL") {
        builder = builder.base_url(&base_url);
    }
    builder
        .build()
        .map_err(|e| format!("Could not set up the client: {e}."))
}

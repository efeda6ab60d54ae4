//! Spotify's simulation in the built-in sandbox.

use futures_util::future::BoxFuture;
use music_history_sandbox::spotify::{self, SpotifyHistory, SpotifyPlay, SpotifySimulation};
use spotify_web_api::oauth::ClientCredentials;

use crate::sandbox::{self, PLAYS, SEED, Simulation, Started};

/// Spotify's simulation and its authorization server.
pub(super) struct Spotify;

impl Simulation for Spotify {
    /// Serves tracks from albums, playlists, artists and Liked Songs, some with a `null`
    /// context, some local files.
    fn start(&self) -> BoxFuture<'static, Box<dyn Started>> {
        Box::pin(async {
            let mut history = SpotifyHistory::realistic(PLAYS, SEED);
            let newest = history.plays.iter().map(|p| p.played_at_ms()).max();
            for (i, at) in sandbox::extra_play_times(newest.unwrap_or(0)).enumerate() {
                history.plays.push(SpotifyPlay::new(
                    at,
                    &format!("sandboxExtra{i:06}"),
                    &format!("Later Song {}", i + 1),
                    "Later Artist",
                ));
            }
            Box::new(SpotifySimulation::start(history).await) as Box<dyn Started>
        })
    }

    fn fixed_credentials(&self) -> (&'static str, Option<&'static str>) {
        (spotify::DEFAULT_ACCESS_TOKEN, None)
    }

    /// The simulation's public client: PKCE alone, as most Spotify apps sign in.
    fn app(&self) -> Option<ClientCredentials> {
        Some(ClientCredentials::public(spotify::DEFAULT_CLIENT_ID))
    }
}

impl Started for SpotifySimulation {
    fn base_url(&self) -> &str {
        SpotifySimulation::base_url(self)
    }

    fn auth_base_url(&self) -> Option<&str> {
        Some(self.accounts_base_url())
    }

    fn request_count(&self) -> usize {
        SpotifySimulation::request_count(self)
    }

    fn lines(&self) -> Vec<String> {
        vec![
            "GET /me/player/recently-played[?limit=1..50&before=|after=<Unix ms>]".to_string(),
            format!("Authorization: Bearer {}", spotify::DEFAULT_ACCESS_TOKEN),
        ]
    }

    fn try_it(&self) -> String {
        format!(
            "curl -H 'Authorization: Bearer {}' '{}/me/player/recently-played?limit=2'",
            spotify::DEFAULT_ACCESS_TOKEN,
            self.base_url()
        )
    }

    fn addresses(&self) -> serde_json::Value {
        serde_json::json!({
            "spec": "specs/spotify-web-api.yaml",
            "base_url": self.base_url(),
            "access_token": spotify::DEFAULT_ACCESS_TOKEN,
            "headers": {
                "Authorization": format!("Bearer {}", spotify::DEFAULT_ACCESS_TOKEN),
            },
        })
    }
}

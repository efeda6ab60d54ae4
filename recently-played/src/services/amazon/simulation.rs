//! Amazon Music's simulation in the built-in sandbox.

use amazon_music_web_api::oauth::{ClientCredentials, ClientSecret};
use futures_util::future::BoxFuture;
use music_history_sandbox::amazon::{self, AmazonMusicHistory, AmazonMusicSimulation, TrackPlay};

use crate::sandbox::{self, PLAYS, SEED, Simulation, Started};

/// Amazon Music's simulation and its Login with Amazon.
pub(super) struct AmazonMusic;

/// The simulation started, and the other user whose history it serves besides "me".
struct Serving {
    simulation: AmazonMusicSimulation,
    other_user: String,
}

impl Simulation for AmazonMusic {
    /// Serves "me" plays of tracks the simulated catalog knows, and entities (tracks,
    /// albums, playlists, artists, podcast shows and episodes, and one kind the client does
    /// not know, an audiobook).
    fn start(&self) -> BoxFuture<'static, Box<dyn Started>> {
        Box::pin(async {
            let mut history = AmazonMusicHistory::realistic(PLAYS, SEED);
            let other_user = history
                .users
                .get(1)
                .map(|user| user.id.clone())
                .unwrap_or_default();
            let me = history.me.clone();
            if let Some(user) = history.users.iter_mut().find(|user| user.id == me) {
                let newest = user
                    .tracks
                    .iter()
                    .map(|p| p.played_at.timestamp_millis())
                    .max();
                for (i, at) in sandbox::extra_play_times(newest.unwrap_or(0)).enumerate() {
                    user.tracks.push(TrackPlay::new(
                        at,
                        &format!("sandboxExtra{i:06}"),
                        &format!("Later Song {}", i + 1),
                    ));
                }
            }
            let simulation = AmazonMusicSimulation::start(history).await;
            Box::new(Serving {
                simulation,
                other_user,
            }) as Box<dyn Started>
        })
    }

    fn fixed_credentials(&self) -> (&'static str, Option<&'static str>) {
        (amazon::DEFAULT_ACCESS_TOKEN, Some(amazon::DEFAULT_API_KEY))
    }

    /// The simulation's security profile: Login with Amazon's clients have a secret.
    fn app(&self) -> Option<ClientCredentials> {
        Some(ClientCredentials::confidential(
            amazon::DEFAULT_CLIENT_ID,
            ClientSecret::new(amazon::DEFAULT_CLIENT_SECRET),
        ))
    }
}

impl Started for Serving {
    fn base_url(&self) -> &str {
        self.simulation.base_url()
    }

    fn auth_base_url(&self) -> Option<&str> {
        Some(self.simulation.auth_base_url())
    }

    fn request_count(&self) -> usize {
        self.simulation.request_count()
    }

    fn lines(&self) -> Vec<String> {
        vec![
            "GET /me/recentlyPlayedEntities[?limit=1..100&entityTypes=Album,Track&cursor=]"
                .to_string(),
            "GET /player/recentlyPlayed[?limit=1..60&cursor=]".to_string(),
            format!("GET /users/{}/recentlyPlayedEntities", self.other_user),
            "GET /tracks/<track id>[?mediaType=AUDIO|VIDEO]".to_string(),
            format!("Authorization: Bearer {}", amazon::DEFAULT_ACCESS_TOKEN),
            format!("x-api-key: {}", amazon::DEFAULT_API_KEY),
        ]
    }

    fn try_it(&self) -> String {
        format!(
            "curl -H 'Authorization: Bearer {}' -H 'x-api-key: {}' \
             '{}/player/recentlyPlayed?limit=2'",
            amazon::DEFAULT_ACCESS_TOKEN,
            amazon::DEFAULT_API_KEY,
            self.base_url()
        )
    }

    fn addresses(&self) -> serde_json::Value {
        serde_json::json!({
            "spec": "specs/amazon-music-web-api.yaml",
            "base_url": self.base_url(),
            "access_token": amazon::DEFAULT_ACCESS_TOKEN,
            "api_key": amazon::DEFAULT_API_KEY,
            "other_user_id": self.other_user,
            "headers": {
                "Authorization": format!("Bearer {}", amazon::DEFAULT_ACCESS_TOKEN),
                "x-api-key": amazon::DEFAULT_API_KEY,
            },
        })
    }
}

//! ListenBrainz's simulation in the built-in sandbox.

use client_support::oauth::ClientCredentials;
use futures_util::future::BoxFuture;
use music_history_sandbox::listenbrainz::{
    self, ListenBrainzHistory, ListenBrainzListen, ListenBrainzSimulation,
};

use crate::sandbox::{self, PLAYS, SEED, Simulation, Started};

/// ListenBrainz's simulation; its users paste a token, so nobody signs in to it.
pub(super) struct ListenBrainz;

impl Simulation for ListenBrainz {
    /// Serves listens with and without MusicBrainz mappings, some sharing a second, the
    /// oldest imported from Last.fm.
    fn start(&self) -> BoxFuture<'static, Box<dyn Started>> {
        Box::pin(async {
            let mut history = ListenBrainzHistory::realistic(PLAYS, SEED);
            let newest = history.listens.iter().map(|l| l.listened_at).max();
            let newest_ms = newest.unwrap_or(0).saturating_mul(1000);
            for (i, at) in sandbox::extra_play_times(newest_ms).enumerate() {
                history.listens.push(ListenBrainzListen::new(
                    at / 1000,
                    "Later Artist",
                    &format!("Later Song {}", i + 1),
                ));
            }
            Box::new(ListenBrainzSimulation::start(history).await) as Box<dyn Started>
        })
    }

    fn fixed_credentials(&self) -> (&'static str, Option<&'static str>) {
        (listenbrainz::DEFAULT_TOKEN, None)
    }

    fn app(&self) -> Option<ClientCredentials> {
        None
    }
}

impl Started for ListenBrainzSimulation {
    fn base_url(&self) -> &str {
        ListenBrainzSimulation::base_url(self)
    }

    fn auth_base_url(&self) -> Option<&str> {
        None
    }

    fn request_count(&self) -> usize {
        ListenBrainzSimulation::request_count(self)
    }

    fn lines(&self) -> Vec<String> {
        vec![
            format!(
                "GET /1/user/{}/listens[?min_ts=&max_ts=<Unix s>&count=1..1000]",
                listenbrainz::DEFAULT_USER_NAME
            ),
            "GET /1/validate-token".to_string(),
            format!("Authorization: Token {}", listenbrainz::DEFAULT_TOKEN),
        ]
    }

    fn try_it(&self) -> String {
        format!(
            "curl '{}/1/user/{}/listens?count=2'",
            self.base_url(),
            listenbrainz::DEFAULT_USER_NAME
        )
    }

    fn addresses(&self) -> serde_json::Value {
        serde_json::json!({
            "spec": "specs/listenbrainz-api.yaml",
            "base_url": self.base_url(),
            "access_token": listenbrainz::DEFAULT_TOKEN,
            "user_name": listenbrainz::DEFAULT_USER_NAME,
            // Reading listens needs no token, and validate-token reads it: sent with every
            // request, as a signed-in client does (the spec's `user_token`).
            "headers": {
                "Authorization": format!("Token {}", listenbrainz::DEFAULT_TOKEN),
            },
        })
    }
}

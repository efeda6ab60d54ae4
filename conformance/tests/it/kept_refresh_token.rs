//! A refresh answered without a refresh token, as Spotify answers an app that refreshes with
//! its secret (and as OAuth 2.0 allows any server to: RFC 6749, 6): the client keeps the
//! refresh token it has, hands the same one to whoever stores it, and refreshes with it again.

use std::sync::{Arc, Mutex};

use music_history_sandbox::spotify::{self, SpotifyHistory, SpotifySimulation};
use spotify_web_api::oauth::{
    self, ClientCredentials, ClientSecret, OAuthClient, RefreshToken, RefreshingToken, Tokens,
};
use spotify_web_api::{RecentlyPlayedQuery, SpotifyClient};

use crate::common::*;

/// The sandbox's app, signing in with its secret: a confidential client.
fn confidential_accounts(sim: &SpotifySimulation) -> OAuthClient {
    OAuthClient::new(
        oauth::authorization_server(Some(sim.accounts_base_url())).unwrap(),
        ClientCredentials::confidential(
            spotify::DEFAULT_CLIENT_ID,
            ClientSecret::new(spotify::DEFAULT_CLIENT_SECRET),
        ),
    )
    .unwrap()
}

#[test]
fn a_refresh_answered_without_a_refresh_token_keeps_the_one_the_client_has() {
    block_on(async {
        let sim = SpotifySimulation::start(SpotifyHistory::realistic(3, 4)).await;
        let issued = sim.issue_tokens().refresh_token;
        let first = RefreshToken::new(issued.clone());

        // What the sandbox answers a confidential refresh: no `refresh_token` at all.
        let answer: serde_json::Value = client_support::http::client_builder()
            .build()
            .unwrap()
            .post(format!("{}/api/token", sim.accounts_base_url()))
            .basic_auth(
                spotify::DEFAULT_CLIENT_ID,
                Some(spotify::DEFAULT_CLIENT_SECRET),
            )
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("grant_type=refresh_token&refresh_token={issued}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(answer["access_token"].is_string(), "{answer}");
        assert!(answer.get("refresh_token").is_none(), "{answer}");

        let handed: Arc<Mutex<Vec<Tokens>>> = Arc::default();
        let seen = handed.clone();
        let token = RefreshingToken::new(confidential_accounts(&sim), first.clone())
            .on_change(move |tokens| seen.lock().unwrap().push(tokens.clone()));
        let client = SpotifyClient::builder(token.clone())
            .base_url(sim.base_url())
            .build()
            .unwrap();
        client.fetch(&RecentlyPlayedQuery::new()).await.unwrap();
        assert_eq!(sim.token_grants().refresh_token, 2);
        assert_eq!(token.tokens().unwrap().refresh, first, "kept, not lost");
        {
            let handed = handed.lock().unwrap();
            assert_eq!(handed.len(), 1);
            assert_eq!(handed[0].refresh, first, "handed on unchanged");
        }

        // The access token expires: the client refreshes again with the token it kept, and
        // the sandbox accepts it, again and again.
        for refreshes in 3..=4 {
            sim.expire_access_tokens();
            client.fetch(&RecentlyPlayedQuery::new()).await.unwrap();
            assert_eq!(sim.token_grants().refresh_token, refreshes);
            assert_eq!(token.tokens().unwrap().refresh, first);
        }
        let handed = handed.lock().unwrap();
        assert_eq!(handed.len(), 3);
        assert!(handed.iter().all(|tokens| tokens.refresh == first));
    });
}

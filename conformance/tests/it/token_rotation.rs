//! A refresh token handed in from outside and rotated by the server (single use, as a
//! Spotify PKCE refresh token is: rspotify #396), kept in a [`RotationFile`] that several
//! processes share: each survives the others' rotations, since a refused refresh token is
//! first checked against the file before it means "sign in again".

use spotify_web_api::oauth::{self, ClientCredentials, OAuthClient, RefreshToken, RotationFile};
use spotify_web_api::{AccessToken, TokenSource};

use music_history_sandbox::spotify::{self, SpotifyHistory, SpotifySimulation};

use crate::common::*;

fn accounts(sim: &SpotifySimulation) -> OAuthClient {
    OAuthClient::new(
        oauth::authorization_server(Some(sim.accounts_base_url())).unwrap(),
        ClientCredentials::public(spotify::DEFAULT_CLIENT_ID),
    )
    .unwrap()
}

#[test]
fn two_processes_sharing_a_rotation_file_survive_each_others_rotations() {
    block_on(async {
        let sim = SpotifySimulation::start(SpotifyHistory::realistic(3, 2)).await;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spotify.from-env.json");
        let given = RefreshToken::new(sim.issue_tokens().refresh_token);
        // Two runs started with the same variable, before either refreshed.
        let start = || {
            RotationFile::new(&path, &given)
                .refreshing(accounts(&sim), given.clone(), |e| panic!("{e}"))
                .unwrap()
        };
        let (watch, manual) = (start(), start());

        // The first refreshes with the given token, which is spent; its successor is kept.
        let first = watch.access_token().await.unwrap();
        assert_eq!(sim.token_grants().refresh_token, 1);
        // The second, refused with the spent one, takes the kept successor: no new refresh.
        let second = manual.access_token().await.unwrap();
        assert_eq!(second, first);
        assert_eq!(sim.token_grants().refresh_token, 1);

        // Both tokens refused: one refreshes with the successor (spending it); the other,
        // refused with it, takes the next successor the first one kept.
        sim.expire_access_tokens();
        let renewed = watch.refresh_rejected(&first).await.unwrap().unwrap();
        assert_eq!(sim.token_grants().refresh_token, 2);
        let taken = manual.refresh_rejected(&first).await.unwrap().unwrap();
        assert_eq!(taken, renewed);
        assert_eq!(sim.token_grants().refresh_token, 2);

        // A third run with the same variable starts from the live successor.
        let third = start();
        assert_eq!(third.access_token().await.unwrap(), renewed);
        assert_ne!(renewed, AccessToken::new("x").unwrap());
    });
}

#[test]
fn without_the_file_a_spent_refresh_token_means_sign_in_again() {
    block_on(async {
        let sim = SpotifySimulation::start(SpotifyHistory::realistic(3, 2)).await;
        let dir = tempfile::tempdir().unwrap();
        let given = RefreshToken::new(sim.issue_tokens().refresh_token);
        let once = |name: &str| {
            RotationFile::new(dir.path().join(name), &given)
                .refreshing(accounts(&sim), given.clone(), |e| panic!("{e}"))
                .unwrap()
        };
        once("a.json").access_token().await.unwrap();
        // Another file knows nothing of the rotation: the spent token is refused for good.
        let refused = once("b.json").access_token().await.unwrap_err();
        assert!(refused.must_sign_in_again(), "{refused}");
    });
}

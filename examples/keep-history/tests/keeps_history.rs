//! The example run as its user would run it, three times and once failing, against the
//! sandbox: every play the services list is kept once, late plays and listens of one
//! second included.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

use music_history_sandbox::Fault;
use music_history_sandbox::amazon::{self, AmazonMusicHistory, AmazonMusicSimulation, TrackPlay};
use music_history_sandbox::listenbrainz::{
    self, ListenBrainzHistory, ListenBrainzListen, ListenBrainzSimulation,
};
use music_history_sandbox::spotify::{self, SpotifyHistory, SpotifyPlay, SpotifySimulation};

const HOUR_MS: i64 = 3_600_000;

struct Sims {
    spotify: SpotifySimulation,
    amazon: AmazonMusicSimulation,
    listenbrainz: ListenBrainzSimulation,
    me: String,
}

impl Sims {
    async fn run(&self, state: &Path) -> Output {
        let command = tokio::process::Command::new(env!("CARGO_BIN_EXE_keep-history"))
            .arg(state)
            .env("SPOTIFY_ACCESS_TOKEN", spotify::DEFAULT_ACCESS_TOKEN)
            .env("SPOTIFY_API_BASE_URL", self.spotify.base_url())
            .env("AMAZON_MUSIC_ACCESS_TOKEN", amazon::DEFAULT_ACCESS_TOKEN)
            .env("AMAZON_MUSIC_API_KEY", amazon::DEFAULT_API_KEY)
            .env("AMAZON_MUSIC_API_BASE_URL", self.amazon.base_url())
            .env("LISTENBRAINZ_TOKEN", listenbrainz::DEFAULT_TOKEN)
            .env("LISTENBRAINZ_API_BASE_URL", self.listenbrainz.base_url())
            .env_remove("LISTENBRAINZ_USER")
            .output();
        command.await.expect("the example runs")
    }
}

/// The kept plays of `service`, as `(at_ms, key)`, asserting none is kept twice.
fn kept(state: &Path, service: &str) -> BTreeSet<(i64, String)> {
    let kept: serde_json::Value = serde_json::from_slice(&std::fs::read(state).unwrap()).unwrap();
    let plays: Vec<(i64, String)> = kept["plays"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["service"] == service)
        .map(|p| {
            (
                p["at_ms"].as_i64().unwrap(),
                p["key"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let unique: BTreeSet<_> = plays.iter().cloned().collect();
    assert_eq!(unique.len(), plays.len(), "a {service} play kept twice");
    unique
}

fn said(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr)
}

#[tokio::test(flavor = "multi_thread")]
async fn each_play_is_kept_once_across_runs_late_plays_and_a_failed_run() {
    let amazon_history = AmazonMusicHistory::realistic(120, 3);
    let me = amazon_history.me.clone();
    let amazon_plays = amazon_history.users[0].tracks.len();
    let sims = Sims {
        spotify: SpotifySimulation::start(SpotifyHistory::realistic(80, 3)).await,
        amazon: AmazonMusicSimulation::start(amazon_history).await,
        listenbrainz: ListenBrainzSimulation::start(ListenBrainzHistory::realistic(90, 3)).await,
        me,
    };
    // As the real service: only the newest 50 plays are served.
    sims.spotify
        .set_retention(Some(spotify_web_api::DOCUMENTED_PLAYS));
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("history.json");

    let first = sims.run(&state).await;
    assert!(first.status.success(), "{}", said(&first));
    assert!(said(&first).contains("spotify: 50 new"), "{}", said(&first));
    assert_eq!(kept(&state, "spotify").len(), 50);
    assert_eq!(
        kept(&state, "amazon_music").len(),
        amazon_plays,
        "every page walked"
    );
    assert_eq!(kept(&state, "listenbrainz").len(), 90, "every listen");

    // A new play on each, and one that arrives late with a time an hour before the newest.
    let newest = |service| kept(&state, service).last().unwrap().0;
    let (spotify_newest, amazon_newest) = (newest("spotify"), newest("amazon_music"));
    sims.spotify.record_play(SpotifyPlay::new(
        spotify_newest + 60_000,
        "newTrack0000000000000",
        "New",
        "Artist",
    ));
    sims.spotify.record_play(SpotifyPlay::new(
        spotify_newest - HOUR_MS,
        "lateTrack000000000000",
        "Late",
        "Lag",
    ));
    sims.amazon.record_track_play(
        &sims.me,
        TrackPlay::new(amazon_newest + 60_000, "B0NEWTRACK", "New"),
    );
    sims.amazon.record_track_play(
        &sims.me,
        TrackPlay::new(amazon_newest - HOUR_MS, "B0LATETRACK", "Late"),
    );
    // ListenBrainz: another recording in the newest listen's second, and one scrobbled late.
    let listenbrainz_newest = newest("listenbrainz") / 1000;
    for listen in [
        ListenBrainzListen::new(listenbrainz_newest, "Artist", "Same second"),
        ListenBrainzListen::new(listenbrainz_newest - 3_600, "Lag", "Late"),
    ] {
        assert!(sims.listenbrainz.record_listen(listen));
    }

    let second = sims.run(&state).await;
    assert!(second.status.success(), "{}", said(&second));
    assert!(
        said(&second).contains("spotify: 2 new"),
        "{}",
        said(&second)
    );
    assert!(
        said(&second).contains("amazon_music: 2 new"),
        "{}",
        said(&second)
    );
    assert!(
        said(&second).contains("listenbrainz: 2 new"),
        "{}",
        said(&second)
    );
    assert!(kept(&state, "spotify").contains(&(spotify_newest - HOUR_MS, "play".into())));
    assert!(
        kept(&state, "amazon_music")
            .contains(&(amazon_newest - HOUR_MS, "Track:B0LATETRACK".into()))
    );
    assert_eq!(kept(&state, "amazon_music").len(), amazon_plays + 2);

    // Amazon Music refuses the next request: the run fails, what it kept stays kept.
    sims.amazon.record_track_play(
        &sims.me,
        TrackPlay::new(amazon_newest + 120_000, "B0AFTERFAIL", "After"),
    );
    sims.amazon.inject(Fault::Body {
        status: 400,
        body: br#"{"errors":[{"message":"bad request"}]}"#.to_vec(),
        content_type: Some("application/json".into()),
    });
    let failed = sims.run(&state).await;
    assert!(!failed.status.success(), "{}", said(&failed));
    assert!(
        said(&failed).contains("spotify: 0 new"),
        "{}",
        said(&failed)
    );
    assert_eq!(kept(&state, "amazon_music").len(), amazon_plays + 2);

    let after = sims.run(&state).await;
    assert!(after.status.success(), "{}", said(&after));
    assert!(said(&after).contains("spotify: 0 new"), "{}", said(&after));
    assert!(
        said(&after).contains("amazon_music: 1 new"),
        "{}",
        said(&after)
    );
    assert_eq!(kept(&state, "spotify").len(), 52);
    assert_eq!(kept(&state, "amazon_music").len(), amazon_plays + 3);
    assert!(
        said(&after).contains("listenbrainz: 0 new"),
        "{}",
        said(&after)
    );
    assert_eq!(kept(&state, "listenbrainz").len(), 92);
}

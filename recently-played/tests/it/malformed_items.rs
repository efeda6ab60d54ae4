//! The binary when one item of a page does not decode: the item is said on stderr, one
//! safe line with its position, as it comes; every other play is printed (with its album);
//! the run ends with status 1.

use music_history_sandbox::Fault;
use music_history_sandbox::amazon::{AmazonMusicHistory, AmazonMusicSimulation};
use music_history_sandbox::spotify::{DEFAULT_ACCESS_TOKEN, SpotifyHistory, SpotifySimulation};
use serde_json::Value;

use crate::common::{json_lines, of_service, recently_played, run_beside_simulation, stderr};

/// The simulation's first page of 50, as it serves it.
async fn first_page(sim: &SpotifySimulation) -> Value {
    client_support::http::client_builder()
        .build()
        .unwrap()
        .get(format!(
            "{}/me/player/recently-played?limit=50",
            sim.base_url()
        ))
        .bearer_auth(DEFAULT_ACCESS_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Runs the binary against `spotify` and a small Amazon Music simulation.
async fn run_against(spotify: &SpotifySimulation, args: &[&str]) -> std::process::Output {
    let amazon = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(3, 7)).await;
    let mut command = recently_played(args);
    command.env("SPOTIFY_API_BASE_URL", spotify.base_url());
    command.env("AMAZON_MUSIC_API_BASE_URL", amazon.base_url());
    run_beside_simulation(command).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_play_is_said_on_stderr_the_rest_is_printed_and_the_run_is_incomplete() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(5, 11)).await;
    let mut page = first_page(&sim).await;
    // The second play's track is `null`; its context URI tries to write to the terminal.
    page["items"][1]["track"] = Value::Null;
    page["items"][1]["context"] = Value::from("\u{1b}[31mred");
    sim.inject(Fault::Body {
        status: 200,
        body: serde_json::to_vec(&page).unwrap(),
        content_type: Some("application/json".into()),
    });

    let output = run_against(&sim, &["--json"]).await;
    assert_eq!(
        output.status.code(),
        Some(1),
        "incomplete: {}",
        stderr(&output)
    );
    let lines = json_lines(&output);
    let spotify = of_service(&lines, "spotify");
    assert_eq!(spotify.len(), 4, "every other play is printed");
    assert_eq!(
        of_service(&lines, "amazon_music").len(),
        3,
        "the other service is read whole"
    );

    let said = stderr(&output);
    let reports: Vec<&str> = said
        .lines()
        .filter(|l| l.contains("does not decode"))
        .collect();
    assert_eq!(reports.len(), 1, "{said}");
    assert!(
        reports[0]
            .starts_with("Spotify: item 1 of the page at Latest does not decode (invalid type: "),
        "{}",
        reports[0]
    );
    assert!(
        !said.contains('\u{1b}'),
        "nothing from the server reaches the terminal raw"
    );
    assert!(
        said.contains("incomplete: 1 malformed item skipped"),
        "{said}"
    );

    // Every printed play carries its album.
    for line in spotify {
        assert!(
            line["album"].as_str().is_some_and(|a| !a.is_empty()),
            "{line}"
        );
        assert!(
            line.get("album_id").is_some() && line.get("release_date").is_some(),
            "{line}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_spotify_table_has_an_album_column_and_json_lines_carry_the_album() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(3, 5)).await;
    let page = first_page(&sim).await;
    let albums: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["track"]["album"]["name"].as_str().unwrap())
        .collect();

    let table = run_against(&sim, &[]).await;
    assert!(table.status.success(), "{}", stderr(&table));
    let text = String::from_utf8(table.stdout).unwrap();
    let header = text.lines().find(|l| l.starts_with("PLAYED AT")).unwrap();
    assert!(header.contains("ALBUM"), "{header}");
    for album in &albums {
        let shown: String = album.chars().take(29).collect();
        assert!(text.contains(&shown), "{album} in\n{text}");
    }

    let json = run_against(&sim, &["--json"]).await;
    assert!(json.status.success(), "{}", stderr(&json));
    let lines = json_lines(&json);
    let got: Vec<&str> = of_service(&lines, "spotify")
        .iter()
        .map(|line| line["album"].as_str().unwrap())
        .collect();
    assert_eq!(got, albums);
    for line in of_service(&lines, "spotify") {
        let first = &page["items"][0]["track"]["album"];
        if line["album"] == first["name"] {
            assert_eq!(line["album_id"], first["id"]);
            assert_eq!(line["release_date"], first["release_date"]);
        }
    }
}

//! The binary, run as a newcomer runs it: both clients walking the seeded sandbox over HTTP,
//! and every failure one sentence with a non-zero exit status.
//!
//! Every run clears the credential and base URL variables first, so no test can reach a real
//! service; the only addresses touched are the simulations' on 127.0.0.1.

use std::process::{Output, Stdio};

use chrono::{DateTime, Utc};
use music_history_sandbox::Fault;
use music_history_sandbox::amazon::{AmazonMusicHistory, AmazonMusicSimulation};
use music_history_sandbox::listenbrainz::ListenBrainzHistory;
use music_history_sandbox::spotify::{SpotifyHistory, SpotifySimulation};
use serde_json::Value;

use crate::common::*;

#[test]
fn a_plain_json_run_prints_every_seeded_play_once_newest_first_with_true_counts() {
    let output = run(&mut recently_played(&["--json"]));
    assert!(output.status.success(), "{}", stderr(&output));
    let said = stderr(&output);
    let (plays, seed) = seeded(&said);
    assert!(plays >= 200, "a few hundred plays, not {plays}");
    let lines = json_lines(&output);

    let spotify = SpotifyHistory::realistic(plays, seed);
    let mut expected: Vec<i64> = spotify.plays.iter().map(|p| p.played_at_ms()).collect();
    expected.sort_unstable_by(|a, b| b.cmp(a));
    let got: Vec<i64> = of_service(&lines, "spotify")
        .iter()
        .map(|line| played_at(line).timestamp_millis())
        .collect();
    assert_eq!(got, expected, "every Spotify play, once, newest first");
    // Pages of 50, the last one ending the walk with `next: null`.
    assert_eq!(summary(&said, "Spotify"), (plays, plays.div_ceil(50)));

    let amazon = AmazonMusicHistory::realistic(plays, seed);
    let expected: Vec<(i64, String)> = my_tracks(&amazon)
        .into_iter()
        .map(|p| (p.played_at.timestamp_millis(), p.track.id))
        .collect();
    let got: Vec<(i64, String)> = of_service(&lines, "amazon_music")
        .iter()
        .map(|line| {
            let id = line["item"]["node"]["id"].as_str().unwrap_or_default();
            (played_at(line).timestamp_millis(), id.to_string())
        })
        .collect();
    assert_eq!(
        got, expected,
        "every Amazon Music track play, once, newest first"
    );
    // Pages of 60, the last one ending the walk with `hasNextPage: false`.
    assert_eq!(summary(&said, "Amazon Music"), (plays, plays.div_ceil(60)));

    // ListenBrainz keeps every listen and is walked oldest first, the listens of one
    // second in `recording_msid` order.
    let listenbrainz = ListenBrainzHistory::realistic(plays, seed);
    let mut expected: Vec<(i64, String)> = listenbrainz
        .listens
        .iter()
        .map(|l| (l.listened_at * 1000, l.recording_msid().to_string()))
        .collect();
    expected.sort_unstable();
    let got: Vec<(i64, String)> = of_service(&lines, "listenbrainz")
        .iter()
        .map(|line| {
            let msid = line["item"]["recording_msid"].as_str().unwrap_or_default();
            (played_at(line).timestamp_millis(), msid.to_string())
        })
        .collect();
    assert_eq!(got, expected, "every listen, once, oldest first");
    assert!(
        of_service(&lines, "listenbrainz")
            .iter()
            .all(|line| line["kind"] == "track"),
        "a listen is of a track, as its record says"
    );
    // Pages of 1000: one page, short, which ends the walk.
    assert_eq!(
        summary(&said, "ListenBrainz"),
        (plays, plays.div_ceil(1000))
    );
    assert_eq!(lines.len(), 3 * plays, "nothing but plays on stdout");
}

#[test]
fn the_json_lines_keep_the_shapes_the_sandbox_seeds() {
    let output = run(&mut recently_played(&["--json"]));
    assert!(output.status.success(), "{}", stderr(&output));
    let lines = json_lines(&output);
    let spotify = of_service(&lines, "spotify");
    assert!(spotify.iter().any(|l| l["item"]["context"].is_null()));
    assert!(
        spotify
            .iter()
            .any(|l| l["item"]["track"]["is_local"] == true && l["id"].is_null())
    );
    for context in ["album", "playlist", "artist", "collection"] {
        assert!(
            spotify
                .iter()
                .any(|l| l["item"]["context"]["type"] == context),
            "no {context} context"
        );
    }
    // Amazon Music's history is plays of tracks: a time and a track, no entity kinds.
    let amazon = of_service(&lines, "amazon_music");
    assert!(!amazon.is_empty());
    for line in &amazon {
        assert_eq!(line["kind"], "Track", "{line}");
        assert!(line["item"]["playedAt"].is_string(), "{line}");
        assert!(line["item"]["node"]["id"].is_string(), "{line}");
        assert!(line["item"]["node"].get("_type").is_none(), "{line}");
    }
}

#[test]
fn a_plain_run_prints_a_table_row_per_play_and_a_summary_line_per_service() {
    let output = run(&mut recently_played(&[]));
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stderr(&output), "", "nothing on stderr when all went well");
    let printed = stdout(&output);
    let (plays, _) = seeded(&printed);
    let rows = printed
        .lines()
        .filter(|line| line.starts_with("20") && line.as_bytes().get(10) == Some(&b' '))
        .count();
    assert_eq!(rows, 3 * plays);
    assert!(printed.contains("Spotify · recently played tracks · sandbox http://127.0.0.1:"));
    assert!(printed.contains("Amazon Music · recently played tracks · sandbox http://127.0.0.1:"));
    assert!(printed.contains("ListenBrainz · listens · sandbox http://127.0.0.1:"));
    assert_eq!(summary(&printed, "Spotify").0, plays);
    assert_eq!(summary(&printed, "Amazon Music").0, plays);
    assert_eq!(summary(&printed, "ListenBrainz").0, plays);
}

#[test]
fn since_returns_exactly_the_plays_after_it_from_both_services() {
    let output = run(&mut recently_played(&["--json"]));
    let (plays, seed) = seeded(&stderr(&output));
    let since: DateTime<Utc> = "2024-05-01T09:00:00Z".parse().unwrap();

    for flag in ["2024-05-01T09:00:00Z", "1714554000000"] {
        let output = run(&mut recently_played(&["--json", "--since", flag]));
        assert!(output.status.success(), "{}", stderr(&output));
        let lines = json_lines(&output);

        let mut expected: Vec<i64> = SpotifyHistory::realistic(plays, seed)
            .plays
            .iter()
            .filter(|play| play.played_at > since)
            .map(|play| play.played_at_ms())
            .collect();
        // Asked for `after=`, Spotify's plays come oldest first, printed as they arrive.
        expected.sort_unstable();
        assert!(!expected.is_empty() && expected.len() < plays);
        let got: Vec<i64> = of_service(&lines, "spotify")
            .iter()
            .map(|line| played_at(line).timestamp_millis())
            .collect();
        assert_eq!(got, expected, "Spotify plays after {flag}, oldest first");

        let expected: Vec<(i64, String)> = my_tracks(&AmazonMusicHistory::realistic(plays, seed))
            .into_iter()
            .filter(|play| play.played_at > since)
            .map(|play| (play.played_at.timestamp_millis(), play.track.id))
            .collect();
        assert!(!expected.is_empty() && expected.len() < 60);
        let got: Vec<(i64, String)> = of_service(&lines, "amazon_music")
            .iter()
            .map(|line| {
                let id = line["item"]["node"]["id"].as_str().unwrap_or_default();
                (played_at(line).timestamp_millis(), id.to_string())
            })
            .collect();
        assert_eq!(
            got, expected,
            "Amazon Music plays after {flag}, newest first"
        );
        // No order is promised, so the whole history is read and every play filtered.
        assert_eq!(
            summary(&stderr(&output), "Amazon Music").1,
            plays.div_ceil(60)
        );
    }
}

/// Exactly one line on stderr, a sentence, with no Debug dump in it.
fn one_sentence(output: &Output) -> String {
    one_sentence_besides(&stderr(output))
}

/// With one service configured, the others are skipped and said so on stderr's first
/// lines (`skipped` among them); then exactly one sentence.
fn skipped_and_one_sentence(output: &Output, skipped: &str) -> String {
    let said = stderr(output);
    let (skips, rest): (Vec<&str>, Vec<&str>) = said
        .lines()
        .partition(|line| line.contains(": not configured, skipped"));
    assert!(
        skips
            .iter()
            .any(|line| line.starts_with(&format!("{skipped}: not configured, skipped"))),
        "{said}"
    );
    assert!(
        said.starts_with(skips.first().copied().unwrap_or_default()),
        "the skipped services are said first: {said}"
    );
    one_sentence_besides(&rest.join("\n"))
}

fn one_sentence_besides(said: &str) -> String {
    let lines: Vec<&str> = said.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr, got {said:?}");
    let line = lines[0];
    assert!(line.ends_with('.'), "{line}");
    for debug in ["Error {", "Unauthorized(", "ServiceError", "panicked"] {
        assert!(!line.contains(debug), "{line}");
    }
    line.to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invalid_token_is_one_sentence_naming_401_and_the_variable() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(10, 1)).await;
    let mut command = recently_played(&[]);
    command
        .env("SPOTIFY_ACCESS_TOKEN", "BQDbogus")
        .env("SPOTIFY_API_BASE_URL", sim.base_url());
    let output = run_beside_simulation(command).await;
    assert_eq!(output.status.code(), Some(1));
    let sentence = skipped_and_one_sentence(&output, "Amazon Music");
    assert!(sentence.starts_with("Spotify: "), "{sentence}");
    assert!(sentence.contains("401"), "{sentence}");
    assert!(sentence.contains("SPOTIFY_ACCESS_TOKEN"), "{sentence}");
    assert!(
        !sentence.contains("BQDbogus"),
        "the token is never printed: {sentence}"
    );
    assert_eq!(sim.request_count(), 1);
    // The other service is not configured: no sandbox stands in for it beside a real one.
    assert!(
        !stdout(&output).contains("Amazon Music"),
        "{}",
        stdout(&output)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_scope_and_a_rate_limit_are_one_sentence_each() {
    let sim = SpotifySimulation::start(SpotifyHistory::realistic(10, 1)).await;
    let configured = || {
        let mut command = recently_played(&["--json"]);
        command
            .env("SPOTIFY_ACCESS_TOKEN", "sandbox-spotify-token")
            .env("SPOTIFY_API_BASE_URL", sim.base_url())
            // Amazon Music out of the picture: a refused base URL sends nothing.
            .env("AMAZON_MUSIC_API_BASE_URL", "http://example.com/v1");
        command
    };

    sim.set_scope_granted(false);
    let output = run_beside_simulation(configured()).await;
    assert_eq!(output.status.code(), Some(1));
    let said = stderr(&output);
    let spotify: Vec<&str> = said.lines().filter(|l| l.starts_with("Spotify")).collect();
    assert_eq!(spotify.len(), 1, "{said}");
    assert!(spotify[0].contains("403"), "{said}");
    assert!(
        spotify[0].contains("user-read-recently-played scope"),
        "{said}"
    );
    assert!(said.contains(
        "Amazon Music: AMAZON_MUSIC_API_BASE_URL `http://example.com/v1` is refused: \
         plain http is only allowed to a loopback address."
    ));
    assert_eq!(stdout(&output), "");

    sim.set_scope_granted(true);
    // A wait longer than the default retries allow (30 s in all) fails at once, saying it.
    sim.inject(Fault::RateLimited {
        retry_after_secs: 120,
    });
    let output = run_beside_simulation(configured()).await;
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(sim.request_count(), 2, "the 429 is not retried");
    assert!(
        stderr(&output).contains("Spotify: rate limited: retry after 120 s.\n"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_api_key_is_one_sentence_naming_403_and_the_variable() {
    let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(10, 1)).await;
    let mut command = recently_played(&[]);
    command
        .env("AMAZON_MUSIC_ACCESS_TOKEN", "sandbox-amazon-music-token")
        .env("AMAZON_MUSIC_API_KEY", "amzn1.application.wrong")
        .env("AMAZON_MUSIC_API_BASE_URL", sim.base_url());
    let output = run_beside_simulation(command).await;
    assert_eq!(output.status.code(), Some(1));
    let sentence = skipped_and_one_sentence(&output, "Spotify");
    assert!(
        sentence.starts_with("Amazon Music: access denied (403"),
        "{sentence}"
    );
    assert!(sentence.contains("AMAZON_MUSIC_API_KEY"), "{sentence}");
    assert!(!sentence.contains("amzn1.application.wrong"), "{sentence}");
}

#[test]
fn half_the_amazon_credentials_or_a_bad_flag_is_one_sentence() {
    let mut command = recently_played(&[]);
    command.env("AMAZON_MUSIC_ACCESS_TOKEN", "Atza|x");
    let output = run(&mut command);
    assert_eq!(output.status.code(), Some(1));
    assert!(skipped_and_one_sentence(&output, "Spotify").contains("AMAZON_MUSIC_API_KEY is not"));

    let output = run(&mut recently_played(&["--since", "yesterday"]));
    assert_eq!(output.status.code(), Some(2));
    assert!(one_sentence(&output).contains("--since"));
}

#[test]
fn serve_prints_addresses_and_credentials_that_a_walk_can_use() {
    let child = recently_played(&["--serve", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the sandbox starts");
    // Stopped whatever happens, the test failing included.
    let mut serving = Running(child);
    let first = lines_of(serving.0.stdout.take().unwrap())
        .recv_timeout(PATIENCE)
        .unwrap_or_else(|_| panic!("no addresses printed within {PATIENCE:?}"));
    let addresses: Value = serde_json::from_str(&first).expect("one JSON object");
    let spotify_url = addresses["spotify"]["base_url"].as_str().unwrap();
    let amazon_url = addresses["amazon_music"]["base_url"].as_str().unwrap();
    assert!(spotify_url.starts_with("http://127.0.0.1:"));
    assert_eq!(
        addresses["spotify"]["access_token"],
        "sandbox-spotify-token"
    );
    assert_eq!(
        addresses["amazon_music"]["api_key"],
        "sandbox-amazon-music-api-key"
    );
    // What CI's tools read of each service (`.ci/schemathesis`): the spec it serves, every
    // spec in specs/ served once, and the headers that carry its credentials, its token
    // among them.
    let mut served = Vec::new();
    for (key, entry) in addresses.as_object().unwrap() {
        if !entry.is_object() {
            continue;
        }
        let spec = entry["spec"].as_str();
        served.push(spec.unwrap_or_else(|| panic!("{key}: no spec")).to_string());
        let token = entry["access_token"].as_str().unwrap();
        let headers = entry["headers"].as_object();
        let headers = headers.unwrap_or_else(|| panic!("{key}: no headers"));
        assert!(
            headers
                .values()
                .any(|value| value.as_str().is_some_and(|value| value.ends_with(token))),
            "{key}: {headers:?}"
        );
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut specs: Vec<String> = std::fs::read_dir(root.join("specs"))
        .expect("specs/")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".yaml"))
        .map(|name| format!("specs/{name}"))
        .collect();
    served.sort();
    specs.sort();
    assert_eq!(served, specs, "the specs the sandbox serves");

    let mut command = recently_played(&["--json"]);
    command
        .env("SPOTIFY_API_BASE_URL", spotify_url)
        .env("AMAZON_MUSIC_API_BASE_URL", amazon_url);
    let output = run(&mut command);
    assert!(output.status.success(), "{}", stderr(&output));
    let plays = addresses["plays"].as_u64().unwrap() as usize;
    let said = stderr(&output);
    assert!(
        !said.contains("Built-in sandbox"),
        "it used the served one: {said}"
    );
    assert_eq!(summary(&said, "Spotify"), (plays, plays.div_ceil(50)));
    assert_eq!(summary(&said, "Amazon Music"), (plays, plays.div_ceil(60)));
    assert!(
        said.contains(&format!("{spotify_url} (sandbox credentials)")),
        "{said}"
    );
    drop(serving);
}

#[test]
fn help_documents_every_flag_and_variable() {
    let output = run(&mut recently_played(&["--help"]));
    assert!(output.status.success());
    let help = stdout(&output);
    for needle in ["--json", "--since", "--serve", "--help"] {
        assert!(help.contains(needle), "--help does not mention {needle}");
    }
    // The variables every run here removes are read from the help: those the tests set
    // themselves, and each service's credentials, must be found there.
    for variable in [
        "SPOTIFY_ACCESS_TOKEN",
        "SPOTIFY_REFRESH_TOKEN",
        "SPOTIFY_API_BASE_URL",
        "AMAZON_MUSIC_ACCESS_TOKEN",
        "AMAZON_MUSIC_REFRESH_TOKEN",
        "AMAZON_MUSIC_API_KEY",
        "AMAZON_MUSIC_API_BASE_URL",
    ] {
        assert!(
            variables().iter().any(|found| found == variable),
            "{variable} is not among the variables removed: {:?}",
            variables()
        );
    }
}

/// `--since` is strictly after, to the millisecond, whichever way it is written: a play at
/// exactly that instant is left out, one a millisecond later is kept.
#[tokio::test(flavor = "multi_thread")]
async fn since_is_strictly_after_to_the_millisecond_for_both_services() {
    use music_history_sandbox::amazon::{AmazonMusicUser, TrackPlay};
    use music_history_sandbox::spotify::SpotifyPlay;

    // 2024-05-01T10:00:00.000Z, and a play at each of its next two milliseconds.
    const AT: i64 = 1_714_557_600_000;
    let spotify = SpotifySimulation::start(SpotifyHistory::new(
        (0..3)
            .rev()
            .map(|i| SpotifyPlay::new(AT + i, &format!("t{i}"), &format!("Track {i}"), "Artist"))
            .collect(),
    ))
    .await;
    let mut me = AmazonMusicUser::new("me", Some("Listener"));
    me.tracks = (0..3)
        .rev()
        .map(|i| TrackPlay::new(AT + i, &format!("B{i}"), "Track"))
        .collect();
    let amazon = AmazonMusicSimulation::start(AmazonMusicHistory::new(me)).await;

    for since in ["2024-05-01T10:00:00.001Z", "1714557600001"] {
        let mut command = recently_played(&["--json", "--since", since]);
        command
            .env("SPOTIFY_API_BASE_URL", spotify.base_url())
            .env("AMAZON_MUSIC_API_BASE_URL", amazon.base_url());
        let output = run_beside_simulation(command).await;
        assert!(output.status.success(), "{}", stderr(&output));
        let lines = json_lines(&output);
        for service in ["spotify", "amazon_music"] {
            let times: Vec<String> = of_service(&lines, service)
                .iter()
                .map(|l| l["played_at"].as_str().unwrap().to_string())
                .collect();
            assert_eq!(
                times,
                ["2024-05-01T10:00:00.002Z"],
                "{service} after {since}"
            );
        }
    }
}

/// `recently-played | head -1`: a reader that has gone away is the reader's choice, so the
/// run stops printing and exits 0 without calling it a failure.
#[test]
fn a_reader_that_closes_the_pipe_is_not_a_failure() {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let output = run_with_stdout(&mut recently_played(&["--json"]), writer.into());
    let said = stderr(&output);
    assert!(output.status.success(), "{said}");
    assert!(!said.contains("cannot print"), "{said}");
}

/// The sandbox's demonstration of `sync`: `RECENTLY_PLAYED_SANDBOX_EXTRA_PLAYS=N` adds N
/// plays to each service, three minutes apart, after the newest seeded one.
#[test]
fn the_sandboxs_extra_plays_come_three_minutes_apart_after_the_seeded_ones() {
    let seeded = run(&mut recently_played(&["--json"]));
    let extended =
        run(recently_played(&["--json"]).env("RECENTLY_PLAYED_SANDBOX_EXTRA_PLAYS", "3"));
    assert!(extended.status.success(), "{}", stderr(&extended));
    let (seeded, extended) = (json_lines(&seeded), json_lines(&extended));
    for service in ["spotify", "amazon_music"] {
        let newest_seeded = of_service(&seeded, service)
            .iter()
            .map(|l| played_at(l))
            .max();
        let mut times: Vec<DateTime<Utc>> = of_service(&extended, service)
            .iter()
            .map(|l| played_at(l))
            .collect();
        times.sort_unstable_by(|a, b| b.cmp(a));
        assert_eq!(
            times.len(),
            of_service(&seeded, service).len() + 3,
            "{service}"
        );
        let three_minutes = chrono::Duration::minutes(3);
        let newest_seeded = newest_seeded.unwrap();
        assert_eq!(
            times[..4],
            [
                newest_seeded + three_minutes * 3,
                newest_seeded + three_minutes * 2,
                newest_seeded + three_minutes,
                newest_seeded,
            ],
            "{service}"
        );
    }
}

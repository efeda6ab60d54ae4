//! The binary against hostile servers: whatever a server sends, a run ends, prints what it
//! fetched before a failure, says where to resume, leaks no credential and never lets a
//! server write to the terminal.

use std::process::Output;

use music_history_sandbox::hostile::{Hostile, HostileServer};

use crate::common::{
    json_lines, of_service, recently_played, run_beside_simulation, stderr, stdout,
};

/// Runs the binary with Spotify pointed at `spotify` and Amazon Music at `amazon` (each
/// with the sandbox's credentials unless `env` sets others).
async fn run_against(
    spotify: Option<&HostileServer>,
    amazon: Option<&HostileServer>,
    args: &[&str],
    env: &[(&str, &str)],
) -> Output {
    let mut command = recently_played(args);
    if let Some(server) = spotify {
        command.env("SPOTIFY_API_BASE_URL", server.base_url());
    }
    if let Some(server) = amazon {
        command.env("AMAZON_MUSIC_API_BASE_URL", server.base_url());
    }
    for (name, value) in env {
        command.env(name, value);
    }
    run_beside_simulation(command).await
}

/// The stderr line about `service`.
fn failure_of(output: &Output, service: &str) -> String {
    let said = stderr(output);
    said.lines()
        .find(|line| line.starts_with(&format!("{service}:")))
        .unwrap_or_else(|| panic!("no failure for {service} in {said:?}"))
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn endless_pages_end_at_the_page_budget_with_what_was_fetched_printed() {
    let spotify = HostileServer::start(Hostile::SpotifyEndlessPages).await;
    let amazon = HostileServer::start(Hostile::AmazonEndlessPages).await;
    let output = run_against(Some(&spotify), Some(&amazon), &["--json"], &[]).await;
    assert!(!output.status.success());
    let lines = json_lines(&output);
    // Spotify: 21 pages of 50 (1,000 plays, 20 times the 50 it keeps, plus the last page).
    assert_eq!(spotify.request_count(), 21);
    assert_eq!(of_service(&lines, "spotify").len(), 21 * 50);
    let said = failure_of(&output, "Spotify");
    assert!(said.contains("stopped after 21 pages"), "{said}");
    assert!(said.contains("after 1050 plays, printed above"), "{said}");
    // Amazon Music: 168 pages of 60 (10,000 plays, plus the last page).
    assert_eq!(amazon.request_count(), 168);
    assert_eq!(of_service(&lines, "amazon_music").len(), 168 * 60);
    let said = failure_of(&output, "Amazon Music");
    assert!(said.contains("stopped after 168 pages"), "{said}");
    assert!(said.contains("page token \"page-168\""), "{said}");
}

#[tokio::test(flavor = "multi_thread")]
async fn empty_pages_with_fresh_cursors_end_at_the_page_budget() {
    let spotify = HostileServer::start(Hostile::SpotifyEmptyPagesForever).await;
    let output = run_against(Some(&spotify), None, &["--json"], &[]).await;
    assert!(!output.status.success());
    assert_eq!(spotify.request_count(), 21);
    assert!(of_service(&json_lines(&output), "spotify").is_empty());
    assert!(failure_of(&output, "Spotify").contains("stopped after 21 pages"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_next_cursor_newer_than_its_page_is_refused_and_nothing_repeats() {
    let spotify = HostileServer::start(Hostile::SpotifyNextNewerThanPage).await;
    let output = run_against(Some(&spotify), None, &["--json"], &[]).await;
    assert!(!output.status.success());
    assert_eq!(spotify.request_count(), 1);
    assert_eq!(of_service(&json_lines(&output), "spotify").len(), 3);
    let said = failure_of(&output, "Spotify");
    assert!(said.contains("broke its paging rules"), "{said}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_endless_body_and_an_oversized_page_are_refused() {
    let endless = HostileServer::start(Hostile::EndlessBody).await;
    let oversized = HostileServer::start(Hostile::SpotifyOversizedPage(51)).await;
    let output = run_against(Some(&endless), Some(&oversized), &["--json"], &[]).await;
    assert!(!output.status.success());
    let said = failure_of(&output, "Spotify");
    assert!(
        said.contains("larger than the limit of 8388608 bytes"),
        "{said}"
    );
    // The Spotify-shaped page is no Amazon page: it does not decode, whatever its size.
    let said = failure_of(&output, "Amazon Music");
    assert!(
        said.contains("does not match the documented shape"),
        "{said}"
    );

    let output = run_against(Some(&oversized), None, &["--json"], &[]).await;
    let said = failure_of(&output, "Spotify");
    assert!(
        said.contains("holds 51 plays, more than the limit of 50"),
        "{said}"
    );
    assert!(of_service(&json_lines(&output), "spotify").is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn echoed_credentials_and_a_huge_message_never_reach_the_terminal() {
    let token = "BQD-echo-5ecret";
    let api_key = "amzn1.application.echo-5ecret";
    let spotify = HostileServer::start(Hostile::EchoCredentials(1_000_000)).await;
    let amazon = HostileServer::start(Hostile::EchoCredentials(0)).await;
    let env = [
        ("SPOTIFY_ACCESS_TOKEN", token),
        ("AMAZON_MUSIC_ACCESS_TOKEN", token),
        ("AMAZON_MUSIC_API_KEY", api_key),
    ];
    let output = run_against(Some(&spotify), Some(&amazon), &[], &env).await;
    assert!(!output.status.success());
    let printed = format!("{}{}", stdout(&output), stderr(&output));
    assert!(
        !printed.contains(token) && !printed.contains(api_key),
        "{printed}"
    );
    assert!(printed.contains("<redacted>"), "{printed}");
    // The 1 MB message is cut to one short line.
    let said = failure_of(&output, "Spotify");
    assert!(said.len() < 1_000, "{} bytes: {said}", said.len());
    assert!(said.contains("(401:"), "{said}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_base_url_with_a_password_is_refused_without_showing_it() {
    let output = run_against(
        None,
        None,
        &[],
        &[(
            "SPOTIFY_API_BASE_URL",
            "https://me:hunter22@api.spotify.com/v1",
        )],
    )
    .await;
    assert!(!output.status.success());
    let said = failure_of(&output, "Spotify");
    assert!(said.contains("SPOTIFY_API_BASE_URL"), "{said}");
    assert!(!format!("{}{}", stdout(&output), stderr(&output)).contains("hunter22"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failure_after_the_first_page_keeps_it_printed_and_says_where_to_resume() {
    let spotify = HostileServer::start(Hostile::SpotifyFailAfterFirstPage).await;
    let output = run_against(Some(&spotify), None, &["--json"], &[]).await;
    assert!(!output.status.success());
    let lines = json_lines(&output);
    let printed = of_service(&lines, "spotify");
    assert_eq!(printed.len(), 50, "the first page is printed");
    // One first page, then the failing page sent three times (the default retries).
    assert_eq!(spotify.request_count(), 1 + 3);
    let said = failure_of(&output, "Spotify");
    assert!(said.contains("the service failed (500"), "{said}");
    assert!(said.contains("after 50 plays, printed above"), "{said}");
    let oldest = printed.last().unwrap()["played_at"].as_str().unwrap();
    assert!(said.contains(&format!("plays before {oldest}")), "{said}");
}

#[tokio::test(flavor = "multi_thread")]
async fn since_on_amazon_keeps_every_later_play_whatever_the_order() {
    let amazon = HostileServer::start(Hostile::AmazonUnordered).await;
    let output = run_against(
        None,
        Some(&amazon),
        &["--json", "--since", "2024-05-01T09:00:00Z"],
        &[],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let lines = json_lines(&output);
    let times: Vec<&str> = of_service(&lines, "amazon_music")
        .iter()
        .map(|l| l["played_at"].as_str().unwrap())
        .collect();
    assert_eq!(
        times,
        ["2024-05-01T10:00:00.000Z", "2024-05-01T11:00:00.000Z"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn escape_sequences_from_a_server_never_reach_the_terminal_and_a_play_is_one_line() {
    let spotify = HostileServer::start(Hostile::SpotifyTerminalInjection).await;
    let output = run_against(Some(&spotify), None, &[], &[]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let printed = stdout(&output);
    assert!(
        !printed.contains('\u{1b}') && !printed.contains('\u{7}'),
        "{printed:?}"
    );
    assert!(!printed.contains('\r'), "{printed:?}");
    let table: Vec<&str> = printed
        .lines()
        .skip_while(|l| !l.starts_with("Spotify ·"))
        .take_while(|l| !l.is_empty())
        .collect();
    // The title, the header and one row per play: the forged row stays inside its play.
    assert_eq!(table.len(), 2 + 3, "{table:#?}");
    assert!(
        !printed
            .lines()
            .any(|l| l.starts_with("2024-05-01 00:00:00")),
        "{printed}"
    );
}

/// A server that answers every page slowly, for ever, within every request's timeout:
/// the sync ends at its deadline, keeping the pages it fetched and where it stood.
#[tokio::test(flavor = "multi_thread")]
async fn a_sync_of_slow_endless_pages_ends_at_its_deadline_with_what_it_fetched_kept() {
    let amazon = HostileServer::start(Hostile::Slow(
        std::time::Duration::from_millis(200),
        Box::new(Hostile::AmazonEndlessPages),
    ))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.sqlite3");
    let started = std::time::Instant::now();
    let output = run_against(
        None,
        Some(&amazon),
        &["sync", "--db", db.to_str().unwrap(), "--deadline", "2s"],
        &[],
    )
    .await;
    let took = started.elapsed();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(took < std::time::Duration::from_secs(15), "{took:?}");
    let said = failure_of(&output, "Amazon Music");
    assert!(said.contains("stopped at its deadline of 2s"), "{said}");
    assert!(
        said.contains("the next sync carries on from there"),
        "{said}"
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let stored: i64 = conn
        .query_row("SELECT count(*) FROM plays", [], |row| row.get(0))
        .unwrap();
    let pages = amazon.request_count() as i64;
    assert!(stored >= 60 && stored % 60 == 0, "{stored}");
    assert!(stored <= pages * 60, "{stored} of {pages} pages");
    let under_way: i64 = conn
        .query_row(
            "SELECT json_extract(state, '$.pending') IS NOT NULL FROM sync_state
             WHERE service = 'amazon_music'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(under_way, 1, "where the walk stood is kept");
}

/// The same server under a walk: it ends at its deadline, with the plays it read printed
/// and where to resume said.
#[tokio::test(flavor = "multi_thread")]
async fn a_walk_of_slow_endless_pages_ends_at_its_deadline_saying_where_to_resume() {
    let amazon = HostileServer::start(Hostile::Slow(
        std::time::Duration::from_millis(200),
        Box::new(Hostile::AmazonEndlessPages),
    ))
    .await;
    let output = run_against(None, Some(&amazon), &["--json", "--deadline", "2s"], &[]).await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let printed = of_service(&json_lines(&output), "amazon_music").len();
    assert!(printed >= 60 && printed.is_multiple_of(60), "{printed}");
    let said = failure_of(&output, "Amazon Music");
    assert!(said.contains("stopped at its deadline of 2s"), "{said}");
    assert!(
        said.contains(&format!("after {printed} plays, printed above")),
        "{said}"
    );
    assert!(said.contains("the rest starts at page token"), "{said}");
}

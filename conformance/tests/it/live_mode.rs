//! The live mode, offline: against the sandbox served in its own process it passes every
//! check; against a sandbox made to drift (a proxy in front of it) the check that should see
//! each drift fails, with the right pointer; without credentials it skips and says so; with
//! bad ones it stops in one sentence.

use std::process::{Command, Output};

use conformance::live::{self, Options, Report, Service, Status};
use serde_json::json;

use crate::common::block_on;
use crate::live_support::{Drift, SandboxProcess, drifting_proxy};

/// Plays per service in the sandbox process: several pages at the maximum page size.
const PLAYS: usize = 250;

/// Runs the `conformance` binary with only `env` (and `PATH`) in its environment.
fn conformance(args: &[&str], env: &[(&str, String)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_conformance"));
    command.env_clear().args(args);
    if let Some(path) = std::env::var_os("PATH") {
        command.env("PATH", path);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("the conformance binary runs")
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("conformance-live-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

#[test]
fn the_live_mode_passes_every_check_against_the_sandbox_process() {
    let sandbox = SandboxProcess::start(PLAYS);
    let dir = temp_dir("pass");
    let (report, bounds) = (dir.join("report.json"), dir.join("bounds.json"));
    let args = |update: bool| {
        let mut args = vec![
            "--live".to_string(),
            "--report".into(),
            report.display().to_string(),
            "--bounds".into(),
            bounds.display().to_string(),
        ];
        if update {
            args.push("--update-bounds".into());
        }
        args
    };
    // First with no recorded bounds (each answer is recorded), then against them.
    for (run, update) in [("first", true), ("second", false)] {
        let args = args(update);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = conformance(&args, &sandbox.env());
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{run} run: {:?}\n{stdout}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        let text = std::fs::read_to_string(&report).expect("the report");
        let parsed: Report = serde_json::from_str(&text).expect("a JSON report");
        let report_rows = parsed;
        let bad: Vec<_> = report_rows
            .rows
            .iter()
            .filter(|row| row.status.flags())
            .collect();
        assert!(bad.is_empty(), "{run} run: {bad:#?}");
        // Every check a service's description names passes (or is skipped, saying why, as
        // Amazon Music's forward walk is: it has no time cursor), beside those made of
        // every answer.
        for service in Service::ALL {
            let answers = [
                "status declared",
                "content type",
                "body matches schema",
                "decodes",
            ];
            for check in answers.iter().chain(service.description().checks) {
                let row = report_rows.row(service.key(), check);
                assert!(
                    row.is_some_and(|r| r.status == Status::Pass
                        || (r.status == Status::Skip && !r.detail.is_empty())),
                    "{run} run, {service} {check}: {row:?}"
                );
            }
        }
        for service in [Service::Spotify, Service::ListenBrainz] {
            let row = report_rows.row(service.key(), "forward walk agrees");
            assert_eq!(
                row.map(|r| r.status),
                Some(Status::Pass),
                "{run} run: {row:?}"
            );
        }
        let expected_bounds = if update {
            Status::Recorded
        } else {
            Status::Pass
        };
        let bounds_rows: Vec<_> = report_rows
            .rows
            .iter()
            .filter(|r| r.check.starts_with("bounds: "))
            .collect();
        // As many as the recorded bounds of every service (`conformance/live/bounds.json`).
        assert_eq!(
            bounds_rows.len(),
            recorded_bounds(),
            "{run} run: {bounds_rows:#?}"
        );
        assert!(
            bounds_rows.iter().all(|r| r.status == expected_bounds),
            "{run} run: {bounds_rows:#?}"
        );
        for secret in sandbox
            .env()
            .iter()
            .filter(|(name, _)| !name.ends_with("BASE_URL"))
        {
            assert!(
                !text.contains(&secret.1) && !stdout.contains(&secret.1),
                "{} leaked",
                secret.0
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// How many bounds `conformance/live/bounds.json` records, over every service.
fn recorded_bounds() -> usize {
    let path = conformance::spec::workspace_root().join("conformance/live/bounds.json");
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).expect("the recorded bounds")).unwrap();
    let answers = file["answers"].as_object().expect("answers by service");
    answers
        .values()
        .map(|bounds| bounds.as_object().map_or(0, serde_json::Map::len))
        .sum()
}

#[test]
fn without_credentials_it_says_which_services_it_skipped_and_exits_0() {
    let output = conformance(&["--live", "--report", "/dev/null"], &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{:?} {stdout}", output.status);
    for service in Service::ALL {
        let d = service.description();
        let access = d.variables.access_token;
        // A service with a refresh token names both ways in; one without, its token.
        let skipped = match d.variables.refresh {
            Some(refresh) => format!(
                "{}: skipped: neither {access} nor {} is set.",
                d.name, refresh.refresh_token
            ),
            None => format!("{}: skipped: {access} is not set.", d.name),
        };
        assert!(stdout.contains(&skipped), "{skipped:?} in {stdout}");
    }
}

#[test]
fn with_refresh_tokens_alone_it_gets_access_tokens_and_every_check_passes() {
    let sandbox = SandboxProcess::start(PLAYS);
    let dir = temp_dir("refresh");
    let report = dir.join("report.json").display().to_string();
    let bounds = dir.join("bounds.json").display().to_string();
    let mut env = sandbox.refresh_env();
    // Where a rotated refresh token is kept, as recently-played keeps it.
    let config = dir.join("config");
    env.push(("HOME", dir.display().to_string()));
    env.push(("XDG_CONFIG_HOME", config.display().to_string()));
    let output = conformance(
        &[
            "--live",
            "--report",
            &report,
            "--bounds",
            &bounds,
            "--update-bounds",
        ],
        &env,
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(!stdout.contains("skipped"), "{stdout}");
    let rows: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let rows = rows
        .as_array()
        .or_else(|| rows["rows"].as_array())
        .unwrap()
        .clone();
    for service in Service::ALL.map(Service::key) {
        assert!(
            rows.iter()
                .any(|row| row["service"] == service && row["status"] == "pass"),
            "{service}: {rows:?}"
        );
    }
    assert!(!rows.iter().any(|row| row["status"] == "fail"), "{rows:?}");
    let everything = format!(
        "{stdout}{stderr}{}",
        std::fs::read_to_string(&report).unwrap()
    );
    for (name, value) in &env {
        if name.ends_with("REFRESH_TOKEN") || name.ends_with("SECRET") {
            assert!(!everything.contains(value.as_str()), "{name} shown");
        }
    }

    // The sandbox's Spotify refresh tokens are single use, as with PKCE: the one in the
    // environment was spent, and a second scheduled run with the same secret starts from
    // its kept successor.
    let kept = config.join("recently-played/spotify.from-env.json");
    assert!(kept.exists(), "the rotated refresh token is kept");
    let again = conformance(
        &["--live", "--report", &report, "--service", "spotify"],
        &env,
    );
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(again.status.success(), "{said}");
    assert!(!said.contains("sign in again"), "{said}");

    // A revoked one: one sentence that says to sign in again, and exit 2.
    let mut revoked = env.clone();
    for (name, value) in &mut revoked {
        if *name == "SPOTIFY_REFRESH_TOKEN" {
            *value = "AQD-never-issued".into();
        }
    }
    let output = conformance(
        &["--live", "--report", &report, "--service", "spotify"],
        &revoked,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("sign in again"), "{stderr}");
    assert!(!stderr.contains("AQD-never-issued"), "{stderr}");
}

#[test]
fn bad_credentials_are_one_sentence_and_a_non_zero_exit() {
    let sandbox = SandboxProcess::start(3);
    let dir = temp_dir("bad");
    let mut env = sandbox.env();
    for (name, value) in &mut env {
        if *name == "SPOTIFY_ACCESS_TOKEN" {
            *value = "BQD-not-the-sandbox-token".into();
        }
    }
    let report = dir.join("report.json").display().to_string();
    let output = conformance(
        &["--live", "--service", "spotify", "--report", &report],
        &env,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("Spotify: the service refused the access token (401"),
        "{stderr}"
    );
    assert!(stderr.contains("check SPOTIFY_ACCESS_TOKEN."), "{stderr}");
    assert!(!stderr.contains("BQD-not-the-sandbox-token"), "{stderr}");

    // A token that cannot be a header never leaves the machine.
    env.retain(|(name, _)| name.starts_with("SPOTIFY"));
    env[0].1 = "two\nlines".into();
    let output = conformance(&["--live"], &env);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr.trim(),
        "Spotify: SPOTIFY_ACCESS_TOKEN cannot be used: the access token contains characters not allowed in an HTTP header."
    );

    // ListenBrainz answers an unknown token 200 `"valid": false`, not 401: without a user
    // named, the run asks whose token it is, and stops in one sentence.
    let mut env = sandbox.service_env(Service::ListenBrainz);
    env.retain(|(name, _)| *name != "LISTENBRAINZ_USER");
    env[0].1 = "lb-not-the-sandbox-token".into();
    let output = conformance(&["--live", "--report", &report], &env);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr.trim(),
        "ListenBrainz: the service does not know the token; check LISTENBRAINZ_TOKEN."
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs the live mode in this process against `service` of `sandbox` behind a proxy that
/// applies `drift`, and returns the report.
fn drifted(sandbox: &SandboxProcess, service: Service, drift: Drift) -> Report {
    block_on(async {
        let proxy = drifting_proxy(&sandbox.base_url(service), drift).await;
        let target = sandbox.target(service, Some(&proxy));
        live::run(&[target], &Options::default()).await.report
    })
}

/// The row of `check` failed, first at `pointer`.
fn assert_reported(report: &Report, service: Service, check: &str, pointer: &str) {
    let row = report
        .row(service.key(), check)
        .unwrap_or_else(|| panic!("no row {check}: {:#?}", report.rows));
    assert_eq!(
        (row.status, row.pointer.as_str()),
        (Status::Fail, pointer),
        "{service} {check}: {row:#?}\n{}",
        report.table()
    );
}

#[test]
fn each_drift_is_reported_by_the_check_that_should_report_it_with_its_pointer() {
    let sandbox = SandboxProcess::start(PLAYS);
    let spotify = Service::Spotify;
    let amazon = Service::AmazonMusic;

    let renamed = drifted(
        &sandbox,
        spotify,
        Drift::Rename {
            at: "/items/0",
            from: "played_at",
            to: "playedAt",
        },
    );
    assert_reported(
        &renamed,
        spotify,
        "body matches schema",
        "/items/0/played_at",
    );
    assert_reported(&renamed, spotify, "decodes", "/items/0");

    let removed = drifted(
        &sandbox,
        amazon,
        Drift::Remove("/data/user/recentEntitiesPlayback/edges/0/playedDate"),
    );
    assert_reported(
        &removed,
        amazon,
        "body matches schema",
        "/data/user/recentEntitiesPlayback/edges/0/playedDate",
    );

    let retyped = drifted(
        &sandbox,
        spotify,
        Drift::Replace("/items/0/track/duration_ms", json!("108546")),
    );
    assert_reported(
        &retyped,
        spotify,
        "body matches schema",
        "/items/0/track/duration_ms",
    );

    let stuck = drifted(&sandbox, spotify, Drift::CursorStays);
    assert_reported(&stuck, spotify, "cursors monotonic", "/cursors/before");

    let greedy = drifted(&sandbox, spotify, Drift::IgnoreLimit { max: 50 });
    assert_reported(&greedy, spotify, "at most limit items", "/items");
    let greedy = drifted(&sandbox, amazon, Drift::IgnoreLimit { max: 100 });
    assert_reported(
        &greedy,
        amazon,
        "at most limit items",
        "/data/user/recentEntitiesPlayback/edges",
    );

    let teapot = drifted(
        &sandbox,
        spotify,
        Drift::Status {
            nth: 2,
            status: 418,
        },
    );
    assert_reported(&teapot, spotify, "status declared", "");
    assert_eq!(
        teapot
            .row("spotify", "status declared")
            .map(|r| r.excerpt.as_str()),
        Some("418")
    );

    // ListenBrainz, reached without a user named: `validate-token` (sent with
    // `Authorization: Token`, the only scheme it reads) says whose history to walk.
    let listenbrainz = Service::ListenBrainz;
    let removed = drifted(
        &sandbox,
        listenbrainz,
        Drift::Remove("/payload/oldest_listen_ts"),
    );
    assert_reported(
        &removed,
        listenbrainz,
        "body matches schema",
        "/payload/oldest_listen_ts",
    );
    let miscounted = drifted(
        &sandbox,
        listenbrainz,
        Drift::Replace("/payload/count", json!(7)),
    );
    assert_reported(
        &miscounted,
        listenbrainz,
        "payload consistent with its listens",
        "/payload/count",
    );
    let outside = drifted(
        &sandbox,
        listenbrainz,
        Drift::Replace("/payload/listens/0/listened_at", json!(0)),
    );
    assert_reported(
        &outside,
        listenbrainz,
        "listens within min_ts and max_ts",
        "/payload/listens/0",
    );

    let text = drifted(&sandbox, amazon, Drift::ContentType("text/plain"));
    assert_reported(&text, amazon, "content type", "");
    assert_eq!(
        text.row("amazon_music", "content type")
            .map(|r| r.excerpt.as_str()),
        Some("text/plain")
    );
}

//! Recorded responses are regression cases: every set under `conformance/recorded/` (made by
//! `conformance --live --record DIR`) decodes with the generated types, matches its spec and
//! keeps its snapshot (`tests/it/recorded_snapshots/`). Adding a set needs no code.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use conformance::live::record::{Recorded, decode};
use conformance::live::{self, Credentials, Options, Service, Target};
use conformance::responses::SpecResponses;
use music_history_sandbox::amazon::{self, AmazonMusicHistory, AmazonMusicSimulation};

use crate::common::block_on;

fn recorded_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("recorded")
}

fn snapshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/recorded_snapshots")
}

/// `<set>__<service>__<file stem>` for `recorded/<set>/<service>/<stem>.json`.
fn snapshot_name(path: &Path) -> String {
    let relative = path
        .strip_prefix(recorded_dir())
        .unwrap_or(path)
        .with_extension("");
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("__")
}

/// What the suite checks of one recorded response: it matches its spec and decodes; the
/// digest of what it decoded to.
fn replay(recorded: &Recorded) -> Result<String, String> {
    let service = Service::from_key(&recorded.service)
        .ok_or_else(|| format!("unknown service {}", recorded.service))?;
    let spec = SpecResponses::load(service.api()).map_err(|e| e.to_string())?;
    let body = recorded.body_bytes();
    spec.check(
        &recorded.operation,
        recorded.status,
        recorded.content_type.as_deref(),
        &body,
    )
    .map_err(|e| e.to_string())?;
    decode(
        &recorded.service,
        &recorded.operation,
        recorded.status,
        &body,
    )
    .map_err(|e| e.to_string())
}

#[test]
fn every_recorded_response_matches_its_spec_decodes_and_keeps_its_snapshot() {
    let found = Recorded::find(&recorded_dir()).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !found.is_empty(),
        "no recorded response under conformance/recorded/"
    );
    let mut failures = Vec::new();
    for path in &found {
        let recorded = Recorded::load(path).unwrap_or_else(|e| panic!("{e}"));
        match replay(&recorded) {
            Err(failure) => failures.push(format!("{}: {failure}", path.display())),
            Ok(digest) => {
                insta::with_settings!({
                    snapshot_path => snapshot_dir(),
                    prepend_module_to_snapshot => false,
                    omit_expression => true,
                    description => format!("{}: {}, decoded", recorded.request, recorded.status),
                }, {
                    insta::assert_snapshot!(snapshot_name(path), digest);
                });
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_recorded_snapshot_belongs_to_a_recorded_response() {
    let expected: BTreeSet<String> = Recorded::find(&recorded_dir())
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|path| snapshot_name(path))
        .collect();
    let committed: BTreeSet<String> = std::fs::read_dir(snapshot_dir())
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .strip_suffix(".snap")
                .map(str::to_string)
        })
        .collect();
    let stale: Vec<_> = committed.difference(&expected).collect();
    assert!(
        stale.is_empty(),
        "snapshots of no recorded response (delete them): {stale:?}"
    );
}

/// The machinery: a live run's recording holds no secret, user ID or display name, and
/// every response in it replays.
#[test]
fn a_live_run_records_what_the_suite_replays_and_nothing_secret() {
    let dir = std::env::temp_dir().join(format!("conformance-record-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let history = AmazonMusicHistory::realistic(30, 5);
    let user = history
        .users
        .iter()
        .find(|u| u.id == history.me)
        .expect("me")
        .clone();
    let sent = block_on(async {
        let sim = AmazonMusicSimulation::start(history).await;
        let target = Target {
            service: Service::AmazonMusic,
            base_url: sim.base_url().to_string(),
            credentials: Credentials::AmazonMusic {
                token: amazon_music_web_api::AccessToken::new(amazon::DEFAULT_ACCESS_TOKEN)
                    .expect("a token"),
                api_key: amazon_music_web_api::ApiKey::new(amazon::DEFAULT_API_KEY).expect("a key"),
            },
        };
        let options = Options {
            record: Some(dir.clone()),
            ..Options::default()
        };
        let outcome = live::run(&[target], &options).await;
        assert!(!outcome.report.flagged(), "{}", outcome.report.table());
        sim.request_count()
    });
    let found = Recorded::find(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found.len(), sent, "one file per response: {found:?}");
    let mut secrets = vec![
        amazon::DEFAULT_ACCESS_TOKEN.to_string(),
        amazon::DEFAULT_API_KEY.to_string(),
        user.id.clone(),
    ];
    secrets.extend(user.name.clone());
    for path in &found {
        let text = std::fs::read_to_string(path).expect("a recorded response");
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "{}: holds {secret:?}",
                path.display()
            );
        }
        let recorded = Recorded::load(path).unwrap_or_else(|e| panic!("{e}"));
        replay(&recorded).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

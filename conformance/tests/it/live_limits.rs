//! The live mode's promises to the service it checks: never more requests than the budget,
//! nothing after the first 429, and a bound answered otherwise than recorded is flagged.

use std::collections::BTreeMap;

use conformance::live::{self, Answer, BoundsFile, Credentials, Options, Service, Status, Target};
use music_history_sandbox::Fault;
use music_history_sandbox::spotify::{DEFAULT_ACCESS_TOKEN, SpotifyHistory, SpotifySimulation};

use crate::common::block_on;

fn spotify_target(sim: &SpotifySimulation) -> Target {
    Target {
        service: Service::Spotify,
        base_url: sim.base_url().to_string(),
        credentials: Credentials::Spotify {
            token: spotify_web_api::AccessToken::new(DEFAULT_ACCESS_TOKEN).expect("a token"),
        },
    }
}

#[test]
fn a_run_sends_no_more_requests_than_its_budget_and_says_what_it_skipped() {
    block_on(async {
        let sim = SpotifySimulation::start(SpotifyHistory::realistic(250, 3)).await;
        let options = Options {
            budget: 3,
            ..Options::default()
        };
        let outcome = live::run(&[spotify_target(&sim)], &options).await;
        assert_eq!(sim.request_count(), 3);
        let report = outcome.report;
        let requests = report.row("spotify", "requests").expect("a requests row");
        assert_eq!(requests.status, Status::Skip);
        assert_eq!(requests.detail, "3 sent; the request budget (3) was spent");
        let forward = report
            .row("spotify", "forward walk agrees")
            .expect("a forward row");
        assert_eq!(
            (forward.status, forward.detail.as_str()),
            (Status::Skip, "the request budget (3) was spent")
        );
        assert!(!report.flagged(), "{}", report.table());
    });
}

#[test]
fn a_run_stops_at_the_first_429_and_checks_its_retry_after() {
    block_on(async {
        let sim = SpotifySimulation::start(SpotifyHistory::realistic(250, 3)).await;
        sim.inject(Fault::RateLimited {
            retry_after_secs: 7,
        });
        let outcome = live::run(&[spotify_target(&sim)], &Options::default()).await;
        assert_eq!(sim.request_count(), 1, "nothing is sent after a 429");
        let report = outcome.report;
        let retry = report
            .row("spotify", "retry-after on 429")
            .expect("a retry-after row");
        assert_eq!(
            (retry.status, retry.detail.as_str()),
            (Status::Pass, "Retry-After: 7")
        );
        let requests = report.row("spotify", "requests").expect("a requests row");
        assert_eq!(
            requests.detail,
            "1 sent; stopped at the first 429 (Retry-After: 7)"
        );
        assert_eq!(
            report.row("spotify", "status declared").map(|r| r.status),
            Some(Status::Pass)
        );
        assert_eq!(
            report
                .row("spotify", "two page sizes agree")
                .map(|r| r.status),
            Some(Status::Skip)
        );
    });
}

#[test]
fn a_bound_answered_otherwise_than_recorded_is_flagged() {
    block_on(async {
        let sim = SpotifySimulation::start(SpotifyHistory::realistic(60, 3)).await;
        let mut bounds = BoundsFile::default();
        let recorded = Answer {
            status: 200,
            limit: Some(20),
            items: Some(20),
        };
        bounds.merge(
            "spotify",
            &BTreeMap::from([("get_recently_played limit=0".to_string(), recorded)]),
        );
        let options = Options {
            bounds,
            ..Options::default()
        };
        let outcome = live::run(&[spotify_target(&sim)], &options).await;
        let row = outcome
            .report
            .row("spotify", "bounds: get_recently_played limit=0")
            .expect("a bounds row");
        assert_eq!(row.status, Status::Changed, "{row:#?}");
        assert_eq!(row.excerpt, "status 400");
        assert!(
            row.detail
                .ends_with("recorded before: status 200, limit 20, 20 items"),
            "{row:#?}"
        );
        assert!(outcome.report.flagged());
        assert_eq!(
            outcome.answers["spotify"]["get_recently_played limit=0"].status,
            400
        );
    });
}

fn spotify_target_at(base_url: &str, token: &str) -> Target {
    Target {
        service: Service::Spotify,
        base_url: base_url.to_string(),
        credentials: Credentials::Spotify {
            token: spotify_web_api::AccessToken::new(token).expect("a token"),
        },
    }
}

#[test]
fn a_body_that_never_ends_is_cut_at_the_clients_limit() {
    use music_history_sandbox::hostile::{Hostile, HostileServer};
    block_on(async {
        let server = HostileServer::start(Hostile::EndlessBody).await;
        let outcome = live::run(
            &[spotify_target_at(server.base_url(), DEFAULT_ACCESS_TOKEN)],
            &Options::default(),
        )
        .await;
        let requests = outcome
            .report
            .row("spotify", "requests")
            .expect("a requests row");
        assert_eq!(requests.status, Status::Fail, "{requests:#?}");
        assert!(
            requests.detail.contains(&format!(
                "the body is larger than {} bytes",
                live::MAX_BODY_BYTES
            )),
            "{requests:#?}"
        );
    });
}

#[test]
fn credentials_a_server_echoes_never_reach_the_report() {
    use music_history_sandbox::hostile::{Hostile, HostileServer};
    let token = "BQD-echoed/secret+token";
    block_on(async {
        let server = HostileServer::start(Hostile::EchoCredentials(0)).await;
        let outcome = live::run(
            &[spotify_target_at(server.base_url(), token)],
            &Options::default(),
        )
        .await;
        let everything = format!(
            "{}{}",
            serde_json::to_string(&outcome.report).expect("a report"),
            outcome.report.table()
        );
        assert_eq!(outcome.report.errors.len(), 1, "{everything}");
        assert!(
            outcome.report.errors[0].contains("<redacted>"),
            "{everything}"
        );
        for spelling in [
            token,
            "BQD-echoed%2Fsecret%2Btoken",
            "QlFELWVjaG9lZC9zZWNyZXQrdG9rZW4",
        ] {
            assert!(!everything.contains(spelling), "{spelling} in {everything}");
        }
    });
}

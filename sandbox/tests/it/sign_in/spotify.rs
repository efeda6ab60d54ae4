//! Spotify's accounts service: `/authorize` and `/api/token`.

use std::time::Duration;

use music_history_sandbox::spotify::{
    DEFAULT_ACCESS_TOKEN, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, SpotifyHistory,
    SpotifySimulation,
};
use music_history_sandbox::{Fault, TokenGrants};

use super::{
    CHALLENGE, Consent, OTHER_VERIFIER, REDIRECT_URI, Reply, VERIFIER, api, authorize, token,
};

const SCOPE: &str = "user-read-recently-played";

async fn start() -> SpotifySimulation {
    SpotifySimulation::start(SpotifyHistory::realistic(10, 3)).await
}

/// The authorization request of a PKCE app, with `extra` parameters added or replaced.
async fn consent(sim: &SpotifySimulation, extra: &[(&str, &str)]) -> Consent {
    let mut query = vec![
        ("response_type", "code"),
        ("client_id", DEFAULT_CLIENT_ID),
        ("redirect_uri", REDIRECT_URI),
        ("scope", SCOPE),
        ("code_challenge_method", "S256"),
        ("code_challenge", CHALLENGE),
    ];
    for (key, value) in extra {
        query.retain(|(name, _)| name != key);
        if !value.is_empty() {
            query.push((key, value));
        }
    }
    authorize(format!("{}/authorize", sim.accounts_base_url()), &query).await
}

/// Redeems `code` as a PKCE app (`client_id` in the form), with this verifier.
async fn redeem(sim: &SpotifySimulation, code: &str, verifier: Option<&str>) -> Reply {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT_URI),
        ("client_id", DEFAULT_CLIENT_ID),
    ];
    form.extend(verifier.map(|verifier| ("code_verifier", verifier)));
    token(
        sim.accounts_base_url().to_owned() + "/api/token",
        &form,
        None,
    )
    .await
}

async fn refresh(sim: &SpotifySimulation, refresh_token: &str) -> Reply {
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
        ("client_id", DEFAULT_CLIENT_ID),
    ];
    token(
        sim.accounts_base_url().to_owned() + "/api/token",
        &form,
        None,
    )
    .await
}

async fn history(sim: &SpotifySimulation, access_token: &str) -> Reply {
    let url = format!("{}/me/player/recently-played", sim.base_url());
    api(url, access_token, None).await
}

#[tokio::test]
async fn a_pkce_sign_in_redirects_with_the_state_and_its_tokens_read_the_history() {
    let sim = start().await;
    let state = "a b&c=d/é+%";
    let consent = consent(&sim, &[("state", state)]).await;
    assert_eq!(consent.status, 302);
    let location = consent.location.as_deref().unwrap();
    assert!(
        location.starts_with(&format!("{REDIRECT_URI}?code=")),
        "{location}"
    );
    assert_eq!(consent.param("state").as_deref(), Some(state));

    let tokens = redeem(&sim, &consent.code(), Some(VERIFIER)).await;
    assert_eq!(tokens.str("token_type"), "Bearer");
    assert_eq!(tokens.json["expires_in"], 3600);
    assert_eq!(tokens.str("scope"), SCOPE);
    assert_ne!(tokens.str("access_token"), tokens.str("refresh_token"));
    assert_eq!(tokens.headers["cache-control"], "no-store");
    assert!(
        tokens.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(history(&sim, tokens.str("access_token")).await.status, 200);

    let grants = TokenGrants {
        authorization_code: 1,
        refresh_token: 0,
    };
    assert_eq!(sim.token_grants(), grants);
    assert_eq!(
        sim.request_count(),
        1,
        "sign-in requests are not API requests"
    );
    let paths: Vec<_> = sim.auth_requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/authorize", "/api/token"]);
}

#[tokio::test]
async fn an_authorization_code_serves_once() {
    let sim = start().await;
    let code = consent(&sim, &[]).await.code();
    assert_eq!(redeem(&sim, &code, Some(VERIFIER)).await.status, 200);
    assert_eq!(
        redeem(&sim, &code, Some(VERIFIER)).await.error(),
        "invalid_grant"
    );
    assert_eq!(sim.token_grants().authorization_code, 1);
}

#[tokio::test]
async fn a_wrong_or_missing_code_verifier_is_invalid_grant_and_spends_the_code() {
    let sim = start().await;
    let code = consent(&sim, &[]).await.code();
    assert_eq!(
        redeem(&sim, &code, Some(OTHER_VERIFIER)).await.error(),
        "invalid_grant"
    );
    // The right verifier is too late: the failed attempt spent the code.
    assert_eq!(
        redeem(&sim, &code, Some(VERIFIER)).await.error(),
        "invalid_grant"
    );

    let code = consent(&sim, &[]).await.code();
    assert_eq!(redeem(&sim, &code, None).await.error(), "invalid_grant");

    // A verifier for a code requested without a challenge.
    let no_pkce = [("code_challenge", ""), ("code_challenge_method", "")];
    let code = consent(&sim, &no_pkce).await.code();
    assert_eq!(
        redeem(&sim, &code, Some(VERIFIER)).await.error(),
        "invalid_grant"
    );
    assert_eq!(sim.token_grants(), TokenGrants::default());
}

#[tokio::test]
async fn an_authorization_request_without_state_is_redirected_with_a_code_and_no_state() {
    let sim = start().await;
    let consent = consent(&sim, &[]).await;
    let code = consent.code();
    assert_eq!(consent.param("state"), None, "{:?}", consent.location);
    assert_eq!(redeem(&sim, &code, Some(VERIFIER)).await.status, 200);
}

#[tokio::test]
async fn a_denied_consent_redirects_with_the_error_and_the_state_and_issues_no_code() {
    let sim = start().await;
    sim.deny_next_consent("access_denied");
    // A request refused with 400 never reached the user: it spends no denial.
    let refused = consent(&sim, &[("redirect_uri", "http://localhost:8888/callback")]).await;
    assert_eq!((refused.status, refused.location), (400, None));

    let state = "a b&c=d/é+%";
    let denied = consent(&sim, &[("state", state)]).await;
    assert_eq!(denied.status, 302, "{}", denied.body);
    let location = denied.location.as_deref().unwrap();
    assert!(
        location.starts_with(&format!("{REDIRECT_URI}?error=access_denied&state=")),
        "{location}"
    );
    assert_eq!(denied.param("state").as_deref(), Some(state));
    assert_eq!(denied.param("code"), None, "{location}");
    assert_eq!(denied.param("error_description"), None, "{location}");

    // Only the next sign-in is refused: the one after is given a code that works.
    let code = consent(&sim, &[("state", "again")]).await.code();
    assert_eq!(redeem(&sim, &code, Some(VERIFIER)).await.status, 200);
    assert_eq!(sim.token_grants().authorization_code, 1);
}

#[tokio::test]
async fn each_denial_refuses_one_sign_in_in_turn_keeping_the_redirect_uri_query() {
    let sim = start().await;
    sim.deny_next_consent("access_denied");
    sim.deny_next_consent("temporarily_unavailable");
    let first = consent(&sim, &[]).await;
    assert_eq!(
        first.location.as_deref(),
        Some(format!("{REDIRECT_URI}?error=access_denied").as_str()),
        "no state asked, none sent back"
    );
    let redirect_uri = "http://127.0.0.1:8888/callback?from=app";
    let second = consent(&sim, &[("redirect_uri", redirect_uri), ("state", "s")]).await;
    assert_eq!(
        second.location.as_deref(),
        Some(format!("{redirect_uri}&error=temporarily_unavailable&state=s").as_str())
    );
    assert!(consent(&sim, &[]).await.param("code").is_some());
    let paths: Vec<_> = sim.auth_requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/authorize"; 3]);
    assert_eq!(sim.token_grants(), TokenGrants::default());
}

#[tokio::test]
async fn the_redirect_uri_at_the_token_endpoint_must_be_the_authorized_one() {
    let sim = start().await;
    let code = consent(&sim, &[]).await.code();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", "http://127.0.0.1:8889/callback"),
        ("client_id", DEFAULT_CLIENT_ID),
        ("code_verifier", VERIFIER),
    ];
    let url = format!("{}/api/token", sim.accounts_base_url());
    assert_eq!(token(url, &form, None).await.error(), "invalid_grant");
}

#[tokio::test]
async fn authorize_refuses_with_400_and_no_redirect_what_spotify_refuses() {
    let sim = start().await;
    let refused: [&[(&str, &str)]; 9] = [
        &[("client_id", "someone-else")],
        &[("redirect_uri", "http://localhost:8888/callback")],
        &[("redirect_uri", "https://example.com/callback")],
        &[("redirect_uri", "http://127.1:8888/callback")],
        &[("redirect_uri", "http://127.0.0.1:8888/callback#top")],
        &[("response_type", "")],
        &[("response_type", "token")],
        &[("code_challenge_method", "plain")],
        &[("code_challenge", "too-short")],
    ];
    for extra in refused {
        let consent = consent(&sim, extra).await;
        assert_eq!((consent.status, consent.location), (400, None), "{extra:?}");
        assert!(!consent.body.is_empty());
    }
    let ipv6 = consent(&sim, &[("redirect_uri", "http://[::1]:9000/cb")]).await;
    assert!(
        ipv6.location
            .unwrap()
            .starts_with("http://[::1]:9000/cb?code=")
    );
}

#[tokio::test]
async fn the_code_joins_a_query_the_redirect_uri_already_has() {
    let sim = start().await;
    let redirect_uri = "http://127.0.0.1:8888/callback?from=app";
    let consent = consent(&sim, &[("redirect_uri", redirect_uri), ("state", "s")]).await;
    let location = consent.location.clone().unwrap();
    assert!(
        location.starts_with(&format!("{redirect_uri}&code=")),
        "{location}"
    );
    assert!(location.ends_with("&state=s"), "{location}");
    assert_eq!(consent.param("from").as_deref(), Some("app"));
}

#[tokio::test]
async fn a_refresh_without_the_secret_rotates_the_refresh_token_and_revokes_the_one_used() {
    let sim = start().await;
    let first = sim.issue_tokens();
    let second = refresh(&sim, &first.refresh_token).await;
    let new_refresh_token = second.str("refresh_token");
    assert_ne!(new_refresh_token, first.refresh_token);
    assert_ne!(second.str("access_token"), first.access_token);
    assert_eq!(history(&sim, second.str("access_token")).await.status, 200);

    assert_eq!(
        refresh(&sim, &first.refresh_token).await.error(),
        "invalid_grant"
    );
    assert_eq!(refresh(&sim, new_refresh_token).await.status, 200);
    assert_eq!(sim.token_grants().refresh_token, 2);
}

#[tokio::test]
async fn a_refresh_with_the_secret_sends_no_refresh_token_and_the_same_one_keeps_working() {
    let sim = start().await;
    let url = || format!("{}/api/token", sim.accounts_base_url());
    let tokens = sim.issue_tokens();
    let by_basic = [
        ("grant_type", "refresh_token"),
        ("refresh_token", tokens.refresh_token.as_str()),
    ];
    let basic = Some((DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET));
    let in_form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", tokens.refresh_token.as_str()),
        ("client_id", DEFAULT_CLIENT_ID),
        ("client_secret", DEFAULT_CLIENT_SECRET),
    ];
    for renewed in [
        token(url(), &by_basic, basic).await,
        token(url(), &in_form, None).await,
        token(url(), &by_basic, basic).await,
    ] {
        assert_eq!(history(&sim, renewed.str("access_token")).await.status, 200);
        assert!(
            renewed.json.get("refresh_token").is_none(),
            "{}",
            renewed.json
        );
    }
    assert_eq!(sim.token_grants().refresh_token, 3);

    // The same token refreshed without the secret, as a PKCE app: rotated after all.
    let rotated = refresh(&sim, &tokens.refresh_token).await;
    assert_ne!(rotated.str("refresh_token"), tokens.refresh_token);
    assert_eq!(
        token(url(), &by_basic, basic).await.error(),
        "invalid_grant"
    );
}

#[tokio::test]
async fn a_refresh_token_dies_its_lifetime_after_the_sign_in_however_often_it_was_rotated() {
    let sim = start().await;
    sim.set_refresh_token_lifetime(Some(Duration::from_secs(2)));
    let code = consent(&sim, &[]).await.code();
    let signed_in = redeem(&sim, &code, Some(VERIFIER)).await;
    let second = refresh(&sim, signed_in.str("refresh_token")).await;
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    let third = refresh(&sim, second.str("refresh_token")).await;
    let third = third.str("refresh_token").to_owned();
    // Two seconds after the sign-in, one after `third` was issued: the chain's age counts.
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let expired = refresh(&sim, &third).await;
    assert_eq!(expired.error(), "invalid_grant");
    let description = expired.json["error_description"].as_str().unwrap();
    assert!(
        description.contains("refresh token expired"),
        "{description}"
    );
    assert_eq!(sim.token_grants().refresh_token, 2);

    // A new sign-in begins a new chain; with no lifetime, refresh tokens last until revoked.
    let fresh = sim.issue_tokens();
    assert_eq!(refresh(&sim, &fresh.refresh_token).await.status, 200);
    sim.set_refresh_token_lifetime(None);
    assert_eq!(refresh(&sim, &third).await.status, 200);
}

#[tokio::test]
async fn revoked_refresh_tokens_are_invalid_grant_and_later_ones_work() {
    let sim = start().await;
    let (a, b) = (sim.issue_tokens(), sim.issue_tokens());
    sim.revoke_refresh_tokens();
    assert_eq!(
        refresh(&sim, &a.refresh_token).await.error(),
        "invalid_grant"
    );
    assert_eq!(
        refresh(&sim, &b.refresh_token).await.error(),
        "invalid_grant"
    );
    let later = sim.issue_tokens();
    assert_eq!(refresh(&sim, &later.refresh_token).await.status, 200);
    // Revoking refresh tokens leaves access tokens alone.
    assert_eq!(history(&sim, &a.access_token).await.status, 200);
}

#[tokio::test]
async fn an_expired_access_token_is_401_the_access_token_expired() {
    let sim = start().await;
    let tokens = sim.issue_tokens();
    assert_eq!(history(&sim, &tokens.access_token).await.status, 200);
    sim.expire_access_tokens();
    let expired = history(&sim, &tokens.access_token).await;
    assert_eq!(expired.status, 401);
    assert_eq!(
        expired.json,
        serde_json::json!({"error": {"status": 401, "message": "The access token expired"}})
    );
    assert_eq!(history(&sim, DEFAULT_ACCESS_TOKEN).await.status, 200);
    let unknown = history(&sim, "BQnever-issued").await;
    assert_eq!(unknown.json["error"]["message"], "Invalid access token");
    // A refresh buys a working token again.
    let renewed = refresh(&sim, &tokens.refresh_token).await;
    assert_eq!(history(&sim, renewed.str("access_token")).await.status, 200);
}

#[tokio::test]
async fn access_tokens_last_the_configured_lifetime() {
    let sim = start().await;
    sim.set_access_token_lifetime(Duration::from_secs(7200));
    let tokens = sim.issue_tokens();
    assert_eq!(tokens.expires_in, Duration::from_secs(7200));
    assert_eq!(
        refresh(&sim, &tokens.refresh_token).await.json["expires_in"],
        7200
    );

    sim.set_access_token_lifetime(Duration::ZERO);
    let stillborn = sim.issue_tokens();
    assert_eq!(history(&sim, &stillborn.access_token).await.status, 401);
    assert_eq!(history(&sim, &tokens.access_token).await.status, 200);
}

#[tokio::test]
async fn a_token_without_the_recently_played_scope_is_403() {
    let sim = start().await;
    let code = consent(&sim, &[("scope", "user-read-email")]).await.code();
    let tokens = redeem(&sim, &code, Some(VERIFIER)).await;
    assert_eq!(tokens.str("scope"), "user-read-email");
    let refused = history(&sim, tokens.str("access_token")).await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        refused.json["error"]["message"],
        "Insufficient client scope"
    );
}

#[tokio::test]
async fn the_client_secret_is_optional_but_checked_when_sent() {
    let sim = start().await;
    let url = || format!("{}/api/token", sim.accounts_base_url());
    let tokens = sim.issue_tokens();
    let by_basic = [
        ("grant_type", "refresh_token"),
        ("refresh_token", tokens.refresh_token.as_str()),
    ];
    let right = Some((DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET));
    let wrong = token(url(), &by_basic, Some((DEFAULT_CLIENT_ID, "guess"))).await;
    assert_eq!(wrong.error(), "invalid_client");
    assert!(wrong.headers.contains_key("www-authenticate"));
    let unknown = token(
        url(),
        &by_basic,
        Some(("someone-else", DEFAULT_CLIENT_SECRET)),
    )
    .await;
    assert_eq!(unknown.error(), "invalid_client");
    assert_eq!(token(url(), &by_basic, right).await.status, 200);

    let tokens = sim.issue_tokens();
    let in_form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", tokens.refresh_token.as_str()),
        ("client_id", DEFAULT_CLIENT_ID),
        ("client_secret", "guess"),
    ];
    assert_eq!(token(url(), &in_form, None).await.error(), "invalid_client");

    // Without PKCE, only the secret proves the code's redeemer is the app.
    let no_pkce = [("code_challenge", ""), ("code_challenge_method", "")];
    let code = consent(&sim, &no_pkce).await.code();
    assert_eq!(redeem(&sim, &code, None).await.error(), "invalid_client");
    let code = consent(&sim, &no_pkce).await.code();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT_URI),
    ];
    assert_eq!(token(url(), &form, right).await.status, 200);
}

#[tokio::test]
async fn token_endpoint_errors_follow_rfc_6749() {
    let sim = start().await;
    let url = || format!("{}/api/token", sim.accounts_base_url());
    let client_id = ("client_id", DEFAULT_CLIENT_ID);
    let password = [("grant_type", "password"), client_id];
    assert_eq!(
        token(url(), &password, None).await.error(),
        "unsupported_grant_type"
    );
    assert_eq!(
        token(url(), &[client_id], None).await.error(),
        "invalid_request"
    );
    let no_token = [("grant_type", "refresh_token"), client_id];
    assert_eq!(
        token(url(), &no_token, None).await.error(),
        "invalid_request"
    );
    let anonymous = [("grant_type", "refresh_token"), ("refresh_token", "AQx")];
    assert_eq!(
        token(url(), &anonymous, None).await.error(),
        "invalid_client"
    );

    let as_json = super::client()
        .post(url())
        .json(&serde_json::json!({"grant_type": "refresh_token"}))
        .send()
        .await
        .unwrap();
    assert_eq!(super::reply(as_json).await.error(), "invalid_request");
    let get = super::client().get(url()).send().await.unwrap();
    assert_eq!(get.status(), 405);
    assert_eq!(get.headers()["allow"], "POST");
}

#[tokio::test]
async fn sign_in_requests_draw_no_fault_and_leave_the_api_count_alone() {
    let sim = start().await;
    sim.inject(Fault::ServerError);
    let tokens = sim.issue_tokens();
    let renewed = refresh(&sim, &tokens.refresh_token).await;
    assert_eq!(renewed.status, 200, "the fault waits for the API");
    assert_eq!(history(&sim, renewed.str("access_token")).await.status, 500);
    assert_eq!(sim.request_count(), 1);
    assert_eq!(sim.auth_requests().len(), 1);
    sim.clear_requests();
    assert!(sim.auth_requests().is_empty());
}

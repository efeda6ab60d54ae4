//! Login with Amazon: `/ap/oa` and `/auth/o2/token`.

use std::time::Duration;

use music_history_sandbox::amazon::{
    AmazonMusicHistory, AmazonMusicSimulation, DEFAULT_API_KEY, DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
};

use super::{CHALLENGE, REDIRECT_URI, Reply, VERIFIER, api, authorize, token};

/// A simulation, and the ID of the user who is not "me".
async fn start() -> (AmazonMusicSimulation, String) {
    let history = AmazonMusicHistory::realistic(10, 5);
    let other = history
        .users
        .iter()
        .find(|user| user.id != history.me)
        .expect("a realistic history has a second user")
        .id
        .clone();
    (AmazonMusicSimulation::start(history).await, other)
}

/// Signs in for `scope` (no PKCE, as a web app with a secret does) and returns the code.
async fn code(sim: &AmazonMusicSimulation, scope: &str) -> String {
    let query = [
        ("response_type", "code"),
        ("client_id", DEFAULT_CLIENT_ID),
        ("redirect_uri", REDIRECT_URI),
        ("scope", scope),
        ("state", "amazon"),
    ];
    let consent = authorize(format!("{}/ap/oa", sim.auth_base_url()), &query).await;
    assert_eq!(consent.param("state").as_deref(), Some("amazon"));
    consent.code()
}

/// POSTs `form` plus `client_id` and `client_secret` to the token endpoint.
async fn with_secret(sim: &AmazonMusicSimulation, form: &[(&str, &str)], secret: &str) -> Reply {
    let mut form = form.to_vec();
    form.extend([("client_id", DEFAULT_CLIENT_ID), ("client_secret", secret)]);
    token(
        format!("{}/auth/o2/token", sim.auth_base_url()),
        &form,
        None,
    )
    .await
}

async fn redeem(sim: &AmazonMusicSimulation, code: &str) -> Reply {
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT_URI),
    ];
    with_secret(sim, &form, DEFAULT_CLIENT_SECRET).await
}

async fn entities(sim: &AmazonMusicSimulation, user: Option<&str>, access_token: &str) -> Reply {
    let url = match user {
        None => format!("{}/me/recentlyPlayedEntities", sim.base_url()),
        Some(id) => format!("{}/users/{id}/recentlyPlayedEntities", sim.base_url()),
    };
    api(url, access_token, Some(DEFAULT_API_KEY)).await
}

#[tokio::test]
async fn a_sign_in_with_the_secret_in_the_form_gives_tokens_the_api_accepts() {
    let (sim, other) = start().await;
    let code = code(&sim, "music::history music::catalog").await;
    let tokens = redeem(&sim, &code).await;
    assert!(tokens.str("access_token").starts_with("Atza|"));
    assert!(tokens.str("refresh_token").starts_with("Atzr|"));
    assert_eq!(tokens.json["expires_in"], 3600);
    let access_token = tokens.str("access_token");
    assert_eq!(entities(&sim, None, access_token).await.status, 200);
    assert_eq!(entities(&sim, Some(&other), access_token).await.status, 200);
    let tracks = format!("{}/player/recentlyPlayed", sim.base_url());
    assert_eq!(
        api(tracks, access_token, Some(DEFAULT_API_KEY))
            .await
            .status,
        200
    );
    assert_eq!(sim.token_grants().authorization_code, 1);
    assert_eq!(sim.request_count(), 3);
}

#[tokio::test]
async fn a_denied_consent_redirects_with_the_error_and_the_state_and_issues_no_code() {
    let (sim, _) = start().await;
    sim.deny_next_consent("access_denied");
    let url = || format!("{}/ap/oa", sim.auth_base_url());
    let query = |redirect_uri| {
        [
            ("response_type", "code"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("redirect_uri", redirect_uri),
            ("scope", "music::history"),
            ("state", "amazon"),
        ]
    };
    // A redirect URI Login with Amazon does not allow gets 400, and spends no denial.
    let refused = authorize(url(), &query("https://example.com/callback")).await;
    assert_eq!((refused.status, refused.location), (400, None));

    let redirect_uri = "http://localhost:8888/callback";
    let denied = authorize(url(), &query(redirect_uri)).await;
    assert_eq!(denied.status, 302, "{}", denied.body);
    assert_eq!(
        denied.location.as_deref(),
        Some(format!("{redirect_uri}?error=access_denied&state=amazon").as_str())
    );
    assert_eq!(sim.token_grants().authorization_code, 0);

    // Only the next sign-in is refused.
    let code = code(&sim, "music::history").await;
    assert_eq!(redeem(&sim, &code).await.status, 200);
    assert_eq!(sim.token_grants().authorization_code, 1);
}

#[tokio::test]
async fn a_wrong_or_missing_client_secret_is_invalid_client_and_basic_also_works() {
    let (sim, _) = start().await;
    let tokens = sim.issue_tokens();
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", tokens.refresh_token.as_str()),
    ];
    let wrong = with_secret(&sim, &form, "guess").await;
    assert_eq!(wrong.error(), "invalid_client");
    let mut no_secret = form.to_vec();
    no_secret.push(("client_id", DEFAULT_CLIENT_ID));
    let url = || format!("{}/auth/o2/token", sim.auth_base_url());
    assert_eq!(
        token(url(), &no_secret, None).await.error(),
        "invalid_client"
    );

    let basic = Some((DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET));
    assert_eq!(token(url(), &form, basic).await.status, 200);
    assert_eq!(sim.token_grants().refresh_token, 1);
}

#[tokio::test]
async fn pkce_with_the_secret_checks_the_verifier_too() {
    let (sim, _) = start().await;
    let query = [
        ("response_type", "code"),
        ("client_id", DEFAULT_CLIENT_ID),
        ("redirect_uri", REDIRECT_URI),
        ("scope", "music::history"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    let url = format!("{}/ap/oa", sim.auth_base_url());
    let without_verifier = authorize(url.clone(), &query).await.code();
    assert_eq!(
        redeem(&sim, &without_verifier).await.error(),
        "invalid_grant"
    );
    let code = authorize(url, &query).await.code();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT_URI),
        ("code_verifier", VERIFIER),
    ];
    let tokens = with_secret(&sim, &form, DEFAULT_CLIENT_SECRET).await;
    assert_eq!(tokens.str("scope"), "music::history");
}

/// Refreshes `refresh_token` with the client secret, as every Login with Amazon client does.
async fn refresh(sim: &AmazonMusicSimulation, refresh_token: &str) -> Reply {
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
    ];
    with_secret(sim, &form, DEFAULT_CLIENT_SECRET).await
}

#[tokio::test]
async fn a_refresh_sends_the_same_refresh_token_back_and_it_keeps_working_until_revoked() {
    let (sim, _) = start().await;
    let first = sim.issue_tokens();
    for _ in 0..2 {
        let renewed = refresh(&sim, &first.refresh_token).await;
        assert_eq!(renewed.str("refresh_token"), first.refresh_token);
        assert_ne!(renewed.str("access_token"), first.access_token);
        assert_eq!(
            entities(&sim, None, renewed.str("access_token"))
                .await
                .status,
            200
        );
    }
    sim.revoke_refresh_tokens();
    assert_eq!(
        refresh(&sim, &first.refresh_token).await.error(),
        "invalid_grant"
    );
    assert_eq!(sim.token_grants().refresh_token, 2);
}

#[tokio::test]
async fn a_refresh_token_dies_its_lifetime_after_the_sign_in_however_often_it_was_used() {
    let (sim, _) = start().await;
    sim.set_refresh_token_lifetime(Some(Duration::from_secs(2)));
    let signed_in = sim.issue_tokens();
    assert_eq!(refresh(&sim, &signed_in.refresh_token).await.status, 200);
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    assert_eq!(refresh(&sim, &signed_in.refresh_token).await.status, 200);
    // Two seconds after the sign-in, one after the last refresh: refreshing did not extend it.
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let expired = refresh(&sim, &signed_in.refresh_token).await;
    assert_eq!(expired.error(), "invalid_grant");
    let description = expired.json["error_description"].as_str().unwrap();
    assert!(
        description.contains("refresh token expired"),
        "{description}"
    );

    // A sign-in through the authorization code grant begins a new chain.
    let code = code(&sim, "music::history").await;
    let tokens = redeem(&sim, &code).await;
    assert_eq!(refresh(&sim, tokens.str("refresh_token")).await.status, 200);
}

#[tokio::test]
async fn an_expired_access_token_is_401_invalid_access_token() {
    let (sim, _) = start().await;
    let tokens = sim.issue_tokens();
    assert_eq!(entities(&sim, None, &tokens.access_token).await.status, 200);
    sim.expire_access_tokens();
    let expired = entities(&sim, None, &tokens.access_token).await;
    assert_eq!(expired.status, 401);
    assert_eq!(expired.json["error"]["code"], "INVALID_ACCESS_TOKEN");
    assert_eq!(expired.json["error"]["status"], "401");
}

#[tokio::test]
async fn a_token_without_a_methods_scope_is_403() {
    let (sim, other) = start().await;
    let history_only = redeem(&sim, &code(&sim, "music::history").await).await;
    let access_token = history_only.str("access_token");
    assert_eq!(entities(&sim, None, access_token).await.status, 200);
    let refused = entities(&sim, Some(&other), access_token).await;
    assert_eq!(refused.status, 403);
    assert_eq!(refused.json["error"]["code"], "FORBIDDEN");
    // The catalog needs `music::catalog` too.
    let catalog = format!("{}/tracks/B0NOSUCH000", sim.base_url());
    let refused = api(catalog.clone(), access_token, Some(DEFAULT_API_KEY)).await;
    assert_eq!(refused.status, 403);
    let both = redeem(&sim, &code(&sim, "music::history music::catalog").await).await;
    let unknown = api(catalog, both.str("access_token"), Some(DEFAULT_API_KEY)).await;
    assert_eq!(
        unknown.status, 404,
        "past the scope: a track it does not know"
    );

    let profile_only = redeem(&sim, &code(&sim, "profile").await).await;
    let refused = entities(&sim, None, profile_only.str("access_token")).await;
    assert_eq!(refused.status, 403);
    let message = refused.json["error"]["message"].as_str().unwrap();
    assert!(message.contains("music::history"), "{message}");
}

#[tokio::test]
async fn login_with_amazon_takes_a_localhost_redirect_over_http_and_no_other_host() {
    let (sim, _) = start().await;
    let consent_to = |redirect_uri: &'static str| {
        let url = format!("{}/ap/oa", sim.auth_base_url());
        async move {
            let query = [
                ("response_type", "code"),
                ("client_id", DEFAULT_CLIENT_ID),
                ("redirect_uri", redirect_uri),
                ("scope", "music::history"),
            ];
            authorize(url, &query).await
        }
    };
    let localhost = consent_to("http://localhost:8888/callback").await;
    assert!(
        localhost
            .location
            .as_deref()
            .is_some_and(|to| to.starts_with("http://localhost:8888/callback?code=")),
        "{}",
        localhost.body
    );
    for refused in [
        "http://example.com:8888/callback",
        "http://localhost.example.com:8888/callback",
        "http://localhost:8888/callback#top",
    ] {
        let consent = consent_to(refused).await;
        assert_eq!((consent.status, consent.location), (400, None), "{refused}");
    }
}

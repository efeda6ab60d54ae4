//! Signing in and staying signed in, against the simulated authorization servers: the
//! code flow with PKCE, a code that serves once, a redirect without `state` or with the
//! server's `error`, refresh before expiry and after a `401`, one refresh for many
//! requests, rotated refresh tokens handed over, and "sign in again" when revoked.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use music_history_sandbox::RecordedRequest;
use music_history_sandbox::amazon::{self, AmazonMusicHistory, AmazonMusicSimulation};
use music_history_sandbox::spotify::{self, SpotifyHistory, SpotifySimulation};
use spotify_web_api::oauth::{
    self, AuthError, Authorization, ClientCredentials, OAuthClient, RefreshToken, RefreshingToken,
    Tokens,
};
use spotify_web_api::{AccessToken, Limit, RecentlyPlayedQuery, SpotifyClient};

use crate::common::*;

/// Where the simulated browser is sent back to; nothing needs to listen there.
const REDIRECT_URI: &str = "http://127.0.0.1:8888/callback";

fn spotify_accounts(sim: &SpotifySimulation) -> OAuthClient {
    OAuthClient::new(
        oauth::authorization_server(Some(sim.accounts_base_url())).unwrap(),
        ClientCredentials::public(spotify::DEFAULT_CLIENT_ID),
    )
    .unwrap()
}

/// Plays the browser: opens the authorization URL (the simulation consents at once) and
/// returns the query of the redirect it answers with.
async fn consent(url: &str) -> String {
    let location = music_history_sandbox::consent(url).await.unwrap();
    assert!(location.as_str().starts_with(REDIRECT_URI), "{location}");
    location.query().unwrap_or("").to_string()
}

/// The value of `key` in the query `query` (of a URL or a redirect), decoded.
fn param(query: &str, key: &str) -> Option<String> {
    reqwest::Url::parse(&format!("http://127.0.0.1/?{query}"))
        .unwrap()
        .query_pairs()
        .find(|(name, _)| name == key)
        .map(|(_, value)| value.into_owned())
}

/// The `state` a sign-in sent with its authorization request.
fn state_of(sign_in: &Authorization) -> String {
    let url = reqwest::Url::parse(sign_in.url()).unwrap();
    param(url.query().unwrap_or(""), "state").expect("a sign-in sends a state")
}

/// A redirect query of `pairs`, form-encoded.
fn redirect_query(pairs: &[(&str, &str)]) -> String {
    let mut url = reqwest::Url::parse("http://127.0.0.1/").unwrap();
    url.query_pairs_mut().extend_pairs(pairs);
    url.query().unwrap_or("").to_string()
}

/// The token requests a simulation's authorization server received.
fn token_requests(requests: Vec<RecordedRequest>) -> Vec<RecordedRequest> {
    requests
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect()
}

/// Tokens as the simulation issues them on a sign-in, expiring in `expires_in`.
fn issued(sim: &SpotifySimulation, expires_in: Duration) -> Tokens {
    let issued = sim.issue_tokens();
    Tokens {
        access: AccessToken::new(issued.access_token).unwrap(),
        refresh: RefreshToken::new(issued.refresh_token),
        expires_at: Some(SystemTime::now() + expires_in),
        scope: None,
    }
}

fn client_with(sim: &SpotifySimulation, token: RefreshingToken) -> SpotifyClient {
    SpotifyClient::builder(token)
        .base_url(sim.base_url())
        .build()
        .unwrap()
}

#[test]
fn a_pkce_sign_in_gets_tokens_the_api_accepts_and_a_code_works_once() {
    block_on(async {
        let sim = SpotifySimulation::start(SpotifyHistory::realistic(5, 1)).await;
        let accounts = spotify_accounts(&sim);
        let sign_in = accounts.authorize(REDIRECT_URI, &[oauth::SCOPE]).unwrap();
        assert!(
            sign_in.url().contains("code_challenge_method=S256"),
            "{}",
            sign_in.url()
        );
        let query = consent(sign_in.url()).await;
        let tokens = sign_in.finish(&accounts, &query).await.unwrap();
        let client = client_with(&sim, RefreshingToken::from_tokens(accounts.clone(), tokens));
        let page = client.fetch(&RecentlyPlayedQuery::new()).await.unwrap();
        assert_eq!(page.into_page().unwrap().items.len(), 5);
        assert_eq!(
            sim.token_grants().refresh_token,
            0,
            "a fresh token needs no refresh"
        );

        // The code a second time at the token endpoint, exactly as the client sent it (same
        // code, verifier and redirect URI): only its being spent can refuse it.
        let exchanged = token_requests(sim.auth_requests());
        assert_eq!(exchanged.len(), 1);
        let replayed = client_support::http::client_builder()
            .build()
            .unwrap()
            .post(format!("{}/api/token", sim.accounts_base_url()))
            .header(
                "content-type",
                exchanged[0].header("content-type").unwrap_or_default(),
            )
            .body(exchanged[0].body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(replayed.status(), 400);
        let refusal: serde_json::Value = replayed.json().await.unwrap();
        assert_eq!(refusal["error"], "invalid_grant", "{refusal}");
        assert!(
            refusal["error_description"]
                .as_str()
                .is_some_and(|d| d.contains("already used")),
            "{refusal}"
        );

        // The code brought back to a new sign-in, with that sign-in's own state: the client
        // exchanges it, and the refusal is the typed "sign in again".
        let code = param(&query, "code").expect("the redirect carries a code");
        let again = accounts.authorize(REDIRECT_URI, &[oauth::SCOPE]).unwrap();
        let state = state_of(&again);
        let spent = again
            .finish(
                &accounts,
                &redirect_query(&[("code", &code), ("state", &state)]),
            )
            .await
            .unwrap_err();
        assert!(spent.must_sign_in_again(), "{spent:?}");
        assert!(spent.to_string().contains("already used"), "{spent}");
        assert_eq!(token_requests(sim.auth_requests()).len(), 3);
        assert_eq!(sim.token_grants().authorization_code, 1);
    });
}

#[test]
fn a_redirect_without_state_is_refused_and_its_code_never_exchanged() {
    block_on(async {
        let sim = SpotifySimulation::start(SpotifyHistory::realistic(1, 1)).await;
        let accounts = spotify_accounts(&sim);
        let sign_in = accounts.authorize(REDIRECT_URI, &[oauth::SCOPE]).unwrap();
        // The authorization request with its state left out: the sandbox sends a good code
        // back (for this sign-in's PKCE challenge), and no state.
        let mut url = reqwest::Url::parse(sign_in.url()).unwrap();
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(key, _)| key != "state")
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
        url.query_pairs_mut().clear().extend_pairs(&kept);
        let query = consent(url.as_str()).await;
        assert!(param(&query, "code").is_some(), "{query}");
        assert_eq!(param(&query, "state"), None, "{query}");
        let refused = sign_in.finish(&accounts, &query).await.unwrap_err();
        assert!(matches!(refused, AuthError::StateMismatch), "{refused:?}");

        // Nor is an empty state, or an error without a state, believed.
        for query in ["code=abc&state=", "error=access_denied"] {
            let sign_in = accounts.authorize(REDIRECT_URI, &[oauth::SCOPE]).unwrap();
            let refused = sign_in.finish(&accounts, query).await.unwrap_err();
            assert!(
                matches!(refused, AuthError::StateMismatch),
                "{query}: {refused:?}"
            );
        }
        assert!(token_requests(sim.auth_requests()).is_empty());
        assert_eq!(sim.token_grants().authorization_code, 0);
    });
}

#[test]
fn a_consent_the_sandbox_denies_is_the_typed_denied_error_and_no_code_is_exchanged() {
    block_on(async {
        let sim = SpotifySimulation::start(SpotifyHistory::realistic(1, 1)).await;
        let accounts = spotify_accounts(&sim);
        sim.deny_next_consent("access_denied");
        let sign_in = accounts.authorize(REDIRECT_URI, &[oauth::SCOPE]).unwrap();
        let state = state_of(&sign_in);
        let query = consent(sign_in.url()).await;
        assert_eq!(param(&query, "error").as_deref(), Some("access_denied"));
        assert_eq!(param(&query, "state"), Some(state));
        let denied = sign_in.finish(&accounts, &query).await.unwrap_err();
        match &denied {
            AuthError::Denied { error, description } => {
                assert_eq!((error.as_str(), description), ("access_denied", &None));
            }
            other => panic!("expected the typed Denied error, got {other:?}"),
        }
        assert_eq!(
            denied.to_string(),
            "the sign-in was not completed (access_denied)"
        );
        assert!(!denied.must_sign_in_again());
        assert!(token_requests(sim.auth_requests()).is_empty());
        // The user consents the next time.
        let sign_in = accounts.authorize(REDIRECT_URI, &[oauth::SCOPE]).unwrap();
        let query = consent(sign_in.url()).await;
        sign_in.finish(&accounts, &query).await.unwrap();

        // Login with Amazon, a confidential client, likewise.
        let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(1, 1)).await;
        let lwa = OAuthClient::new(
            amazon_music_web_api::oauth::authorization_server(Some(sim.auth_base_url())).unwrap(),
            ClientCredentials::confidential(
                amazon::DEFAULT_CLIENT_ID,
                oauth::ClientSecret::new(amazon::DEFAULT_CLIENT_SECRET),
            ),
        )
        .unwrap();
        sim.deny_next_consent("access_denied");
        let sign_in = lwa
            .authorize(REDIRECT_URI, &[amazon_music_web_api::oauth::HISTORY_SCOPE])
            .unwrap();
        let query = consent(sign_in.url()).await;
        let denied = sign_in.finish(&lwa, &query).await.unwrap_err();
        assert!(
            matches!(&denied, AuthError::Denied { error, .. } if error == "access_denied"),
            "{denied:?}"
        );
        assert!(token_requests(sim.auth_requests()).is_empty());
        assert_eq!(sim.token_grants().authorization_code, 0);
    });
}

#[test]
fn a_forged_state_or_a_denied_consent_is_refused_before_any_exchange() {
    block_on(async {
        let sim = SpotifySimulation::start(SpotifyHistory::realistic(1, 1)).await;
        let accounts = spotify_accounts(&sim);
        let sign_in = accounts.authorize(REDIRECT_URI, &[oauth::SCOPE]).unwrap();
        let forged = sign_in.finish(&accounts, "code=abc&state=forged").await;
        assert!(
            matches!(forged, Err(AuthError::StateMismatch)),
            "{forged:?}"
        );

        let sign_in = accounts.authorize(REDIRECT_URI, &[oauth::SCOPE]).unwrap();
        let state = reqwest::Url::parse(sign_in.url())
            .unwrap()
            .query_pairs()
            .find(|(k, _)| k == "state")
            .map(|(_, v)| v.into_owned())
            .unwrap();
        let denied = sign_in
            .finish(&accounts, &format!("error=access_denied&state={state}"))
            .await
            .unwrap_err();
        assert_eq!(
            denied.to_string(),
            "the sign-in was not completed (access_denied)"
        );
    });
}

#[test]
fn a_token_about_to_expire_is_refreshed_before_the_request() {
    block_on(async {
        let sim = SpotifySimulation::start(SpotifyHistory::realistic(3, 2)).await;
        let near_expiry = issued(&sim, oauth::REFRESH_MARGIN / 2);
        let token = RefreshingToken::from_tokens(spotify_accounts(&sim), near_expiry.clone());
        let client = client_with(&sim, token.clone());
        client.fetch(&RecentlyPlayedQuery::new()).await.unwrap();
        assert_eq!(sim.token_grants().refresh_token, 1);
        let now = token.tokens().unwrap();
        assert_ne!(now.access, near_expiry.access);
        // And a token far from expiry is used as it is.
        client.fetch(&RecentlyPlayedQuery::new()).await.unwrap();
        assert_eq!(sim.token_grants().refresh_token, 1);
    });
}

#[test]
fn a_401_mid_walk_refreshes_once_and_loses_or_repeats_no_play() {
    block_on(async {
        let sim = SpotifySimulation::start(SpotifyHistory::realistic(120, 3)).await;
        let token = RefreshingToken::from_tokens(
            spotify_accounts(&sim),
            issued(&sim, Duration::from_secs(3600)),
        );
        let client = client_with(&sim, token);
        let mut history = client.history(RecentlyPlayedQuery::new().limit(Limit::new(20).unwrap()));
        let first = read_first(&mut history, 20).await.items;
        assert_eq!(first.len(), 20);
        // Every token issued so far is refused from now on: the next page gets a 401.
        sim.expire_access_tokens();
        let rest = read_walk(&mut history, 200).await;
        assert!(rest.ended_cleanly(), "{}", rest.how_it_ended());
        let played: Vec<_> = first.iter().chain(&rest.items).map(spotify_key).collect();
        let mut expected: Vec<_> = sim
            .plays()
            .iter()
            .map(|play| (play.played_at_ms(), play.track.name.clone()))
            .collect();
        expected.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
        assert_eq!(difference(&played, &expected), None);
        assert_eq!(
            sim.token_grants().refresh_token,
            1,
            "one refresh for the one 401"
        );
    });
}

#[test]
fn only_a_401_is_a_reason_to_refresh_not_a_403_or_a_400() {
    use music_history_sandbox::Fault;
    block_on(async {
        let sim = SpotifySimulation::start(SpotifyHistory::realistic(3, 8)).await;
        let token = RefreshingToken::from_tokens(
            spotify_accounts(&sim),
            issued(&sim, Duration::from_secs(3600)),
        );
        let client = client_with(&sim, token);
        // (Client errors, which are never retried: each is sent once.)
        for status in [403, 400] {
            sim.inject(Fault::Body {
                status,
                body: format!(r#"{{"error":{{"status":{status},"message":"no"}}}}"#).into_bytes(),
                content_type: Some("application/json".to_string()),
            });
            let error = client.fetch(&RecentlyPlayedQuery::new()).await.unwrap_err();
            assert_eq!(
                error.status().map(|s| s.as_u16()),
                Some(status),
                "{error:?}"
            );
        }
        assert_eq!(
            sim.token_grants().refresh_token,
            0,
            "no refresh for a 403 or a 400"
        );
        assert_eq!(sim.request_count(), 2, "each sent once");
    });
}

#[test]
fn concurrent_requests_that_need_a_token_share_one_refresh() {
    block_on(async {
        let sim = SpotifySimulation::start(SpotifyHistory::realistic(3, 4)).await;
        let refresh = RefreshToken::new(sim.issue_tokens().refresh_token);
        let client = client_with(&sim, RefreshingToken::new(spotify_accounts(&sim), refresh));
        let query = RecentlyPlayedQuery::new();
        let pages = futures_util::future::join_all((0..8).map(|_| client.fetch(&query))).await;
        assert!(pages.iter().all(Result::is_ok), "{pages:?}");
        assert_eq!(
            sim.token_grants().refresh_token,
            1,
            "eight requests, one refresh"
        );
    });
}

#[test]
fn concurrent_requests_refused_with_a_401_share_one_refresh() {
    block_on(async {
        let sim = SpotifySimulation::start(SpotifyHistory::realistic(3, 9)).await;
        let token = RefreshingToken::from_tokens(
            spotify_accounts(&sim),
            issued(&sim, Duration::from_secs(3600)),
        );
        let client = client_with(&sim, token);
        // The token looks fresh to the client, but the service refuses it.
        sim.expire_access_tokens();
        let query = RecentlyPlayedQuery::new();
        let pages = futures_util::future::join_all((0..8).map(|_| client.fetch(&query))).await;
        assert!(pages.iter().all(Result::is_ok), "{pages:?}");
        assert_eq!(
            sim.token_grants().refresh_token,
            1,
            "eight 401s, one refresh: the others use the token it got"
        );
    });
}

#[test]
fn tokens_a_server_echoes_after_a_refresh_reach_no_error() {
    use music_history_sandbox::hostile::{Hostile, HostileServer};
    block_on(async {
        let sim = SpotifySimulation::start(SpotifyHistory::realistic(1, 10)).await;
        let echoing = HostileServer::start(Hostile::EchoCredentials(10)).await;
        let token = RefreshingToken::from_tokens(
            spotify_accounts(&sim),
            issued(&sim, Duration::from_secs(3600)),
        );
        let client = SpotifyClient::builder(token.clone())
            .base_url(echoing.base_url())
            .build()
            .unwrap();
        let error = client.fetch(&RecentlyPlayedQuery::new()).await.unwrap_err();
        // The 401 made the client refresh and send again; that answer echoed the new token.
        assert_eq!(sim.token_grants().refresh_token, 1);
        let now = token.tokens().unwrap();
        let shown = format!("{error}\n{error:?}");
        for secret in [now.access.expose(), now.refresh.expose()] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("<redacted>"), "{shown}");
    });
}

#[test]
fn a_rotated_refresh_token_replaces_the_old_one_and_reaches_the_callback() {
    block_on(async {
        let sim = SpotifySimulation::start(SpotifyHistory::realistic(2, 5)).await;
        let first = RefreshToken::new(sim.issue_tokens().refresh_token);
        let handed: Arc<Mutex<Vec<Tokens>>> = Arc::default();
        let seen = handed.clone();
        let token = RefreshingToken::new(spotify_accounts(&sim), first.clone())
            .on_change(move |tokens| seen.lock().unwrap().push(tokens.clone()));
        let client = client_with(&sim, token.clone());
        client.fetch(&RecentlyPlayedQuery::new()).await.unwrap();
        let handed = handed.lock().unwrap().clone();
        assert_eq!(handed.len(), 1);
        assert_ne!(
            handed[0].refresh, first,
            "the simulation rotates refresh tokens"
        );
        assert_eq!(token.tokens().unwrap().refresh, handed[0].refresh);
        // The old refresh token is spent: using it again means signing in again.
        let stale = spotify_accounts(&sim).refresh(&first).await.unwrap_err();
        assert!(stale.must_sign_in_again(), "{stale:?}");
    });
}

#[test]
fn a_revoked_refresh_token_is_the_typed_sign_in_again_error() {
    block_on(async {
        let sim = SpotifySimulation::start(SpotifyHistory::realistic(2, 6)).await;
        let refresh = RefreshToken::new(sim.issue_tokens().refresh_token);
        sim.revoke_refresh_tokens();
        let client = client_with(&sim, RefreshingToken::new(spotify_accounts(&sim), refresh));
        let error = client.fetch(&RecentlyPlayedQuery::new()).await.unwrap_err();
        match &error {
            spotify_web_api::Error::Authorization(e) => assert!(e.must_sign_in_again(), "{e:?}"),
            other => panic!("expected the sign-in-again error, got {other:?}"),
        }
        assert!(error.to_string().ends_with(": sign in again"), "{error}");
        assert!(
            std::error::Error::source(&error).is_some(),
            "the AuthError is its source"
        );
        assert_eq!(sim.request_count(), 0, "no API request without a token");
    });
}

#[test]
fn amazon_signs_in_with_its_secret_and_a_wrong_secret_is_invalid_client() {
    block_on(async {
        let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(4, 7)).await;
        let server =
            amazon_music_web_api::oauth::authorization_server(Some(sim.auth_base_url())).unwrap();
        let app = |secret: &str| {
            ClientCredentials::confidential(
                amazon::DEFAULT_CLIENT_ID,
                oauth::ClientSecret::new(secret),
            )
        };
        let lwa = OAuthClient::new(server.clone(), app(amazon::DEFAULT_CLIENT_SECRET)).unwrap();
        let sign_in = lwa
            .authorize(REDIRECT_URI, &[amazon_music_web_api::oauth::HISTORY_SCOPE])
            .unwrap();
        let query = consent(sign_in.url()).await;
        let tokens = sign_in.finish(&lwa, &query).await.unwrap();
        let client = amazon_music_web_api::AmazonMusicClient::builder(
            RefreshingToken::from_tokens(lwa, tokens.clone()),
            amazon_music_web_api::ApiKey::new(amazon::DEFAULT_API_KEY).unwrap(),
        )
        .base_url(sim.base_url())
        .build()
        .unwrap();
        client
            .fetch(&amazon_music_web_api::MyEntitiesQuery::new())
            .await
            .unwrap();

        let wrong = OAuthClient::new(server, app("not-the-secret")).unwrap();
        let refused = wrong.refresh(&tokens.refresh).await.unwrap_err();
        assert!(
            matches!(refused, AuthError::InvalidClient { .. }),
            "{refused:?}"
        );
        assert!(!format!("{refused} {refused:?}").contains("not-the-secret"));
    });
}

#[test]
fn a_hostile_token_endpoint_ends_in_a_typed_error_in_bounded_time_showing_no_secret() {
    use music_history_sandbox::hostile::{Hostile, HostileServer};
    use oauth::ClientSecret;
    block_on(async {
        for hostile in [
            Hostile::EndlessBody,
            Hostile::EchoCredentials(100),
            Hostile::Gzip,
            Hostile::InvalidUtf8,
            Hostile::OversizeHeaders,
        ] {
            let server = HostileServer::start(hostile.clone()).await;
            let accounts = OAuthClient::new(
                oauth::authorization_server(Some(server.base_url())).unwrap(),
                ClientCredentials::confidential("client-id", ClientSecret::new("s3cret-value")),
            )
            .unwrap();
            let refresh = RefreshToken::new("AQD-refresh-secret");
            let refused = tokio::time::timeout(Duration::from_secs(40), accounts.refresh(&refresh))
                .await
                .unwrap_or_else(|_| panic!("{hostile:?}: the refresh did not end within 40 s"))
                .unwrap_err();
            if hostile == Hostile::EndlessBody {
                assert!(
                    matches!(refused, AuthError::BodyTooLarge { .. }),
                    "{refused:?}"
                );
            }
            let shown = format!("{refused}\n{refused:?}");
            for secret in ["s3cret-value", "AQD-refresh-secret", "czNjcmV0LXZhbHVl"] {
                assert!(!shown.contains(secret), "{hostile:?}: {secret} in {shown}");
            }
        }
    });
}

/// A token endpoint nothing listens on: a transport error that names the server and keeps
/// the cause as its source, not a response "too large".
#[test]
fn an_unreachable_token_endpoint_is_a_transport_error_with_its_cause() {
    block_on(async {
        // A port that was free a moment ago: nothing listens there.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let accounts = OAuthClient::new(
            oauth::authorization_server(Some(&format!("http://127.0.0.1:{port}"))).unwrap(),
            ClientCredentials::public("client-id"),
        )
        .unwrap();
        let refused = accounts
            .refresh(&RefreshToken::new("AQD-refresh-secret"))
            .await
            .unwrap_err();
        assert!(
            matches!(refused, AuthError::Transport { .. }),
            "{refused:?}"
        );
        assert!(
            refused
                .to_string()
                .starts_with("cannot reach Spotify accounts: "),
            "{refused}"
        );
        assert!(std::error::Error::source(&refused).is_some());
    });
}

//! The user of a sign-in: opens the authorization URL and consents, as a browser would.

/// Opens `authorize_url` (a simulation's authorization endpoint, which consents at once) and
/// returns where it sends the browser back: the redirect URI with `code` and `state`, or
/// with `error` and `state` if the simulation was told to refuse (`deny_next_consent`).
/// Nothing is fetched there; following it is the caller's choice. Fails, in a sentence, if
/// the server answers anything but a redirect.
///
/// ```
/// use music_history_sandbox::spotify::{DEFAULT_CLIENT_ID, SpotifyHistory, SpotifySimulation};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), String> {
/// let sim = SpotifySimulation::start(SpotifyHistory::realistic(1, 1)).await;
/// let url = format!(
///     "{}/authorize?response_type=code&client_id={DEFAULT_CLIENT_ID}&state=s1\
///      &redirect_uri=http%3A%2F%2F127.0.0.1%3A8888%2Fcallback&scope=user-read-recently-played",
///     sim.accounts_base_url()
/// );
/// let back = music_history_sandbox::consent(&url).await?;
/// assert!(back.as_str().starts_with("http://127.0.0.1:8888/callback?code="));
/// # Ok(())
/// # }
/// ```
pub async fn consent(authorize_url: &str) -> Result<reqwest::Url, String> {
    // The clients' HTTP settings follow no redirect, so the `Location` is there to read.
    let browser = client_support::http::client_builder()
        .build()
        .map_err(|e| e.to_string())?;
    let answer = browser
        .get(authorize_url)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    answer
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| reqwest::Url::parse(value).ok())
        .ok_or_else(|| {
            format!(
                "the authorize step answered {}, not a redirect",
                answer.status()
            )
        })
}

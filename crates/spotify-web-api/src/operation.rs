//! The operation as an [`Operation`] over its query, so that `fetch` has the shape of every
//! client's: [`RecentlyPlayedQuery`] answers one page, or the private session.

use client_support::Operation;
use client_support::generated_error::{GeneratedError, into_error};
use client_support::send::Sender;
use reqwest::StatusCode;

use crate::client::{RecentlyPlayed, SpotifyClient};
use crate::error::Error;
use crate::query::{Limit, RecentlyPlayedQuery};

impl Operation<SpotifyClient> for RecentlyPlayedQuery {
    type Response = RecentlyPlayed;
    type Error = Error;

    async fn send(&self, client: &SpotifyClient) -> Result<RecentlyPlayed, Error> {
        let (after, before) = self.from.params();
        let limit = self.limit.map(Limit::nonzero);
        let sent = client
            .sender
            .authorized(|context| async move {
                client
                    .generated(context)
                    .get_recently_played(after, before, limit)
                    .await
            })
            .await?;
        match sent {
            Ok(page) => Ok(RecentlyPlayed::Page(page.into_inner())),
            Err(error) => private_session(error, &client.sender).await,
        }
    }
}

/// The 204 was removed from the in-memory spec (progenitor cannot generate a bodyless 204
/// beside a JSON 200), so it arrives as an undeclared response: the documented outcome.
async fn private_session(error: GeneratedError, sender: &Sender) -> Result<RecentlyPlayed, Error> {
    match error {
        progenitor_client::Error::UnexpectedResponse(response)
            if response.status() == StatusCode::NO_CONTENT =>
        {
            Ok(RecentlyPlayed::PrivateSession)
        }
        error => Err(into_error(error, sender).await),
    }
}

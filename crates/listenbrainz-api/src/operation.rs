//! Each operation as an [`Operation`] over its query, so that `fetch` has the shape of every
//! client's: [`ListensQuery`] answers a page, [`ListenCountQuery`] a number,
//! [`ValidateTokenQuery`] whose token it is.

use client_support::Operation;
use client_support::generated_error::into_error;

use crate::client::ListenBrainzClient;
use crate::error::Error;
use crate::query::{ListenCountQuery, ListensQuery, ValidateTokenQuery};
use crate::types::ListensPayload;

impl Operation<ListenBrainzClient> for ListensQuery {
    type Response = ListensPayload;
    type Error = Error;

    /// One page: the `count` oldest listens in the window, as the server lists them (newest
    /// first). Both bounds are always sent (see [`TimeWindow`](crate::TimeWindow)).
    async fn send(&self, client: &ListenBrainzClient) -> Result<ListensPayload, Error> {
        let (min_ts, max_ts) = self.from.bounds(chrono::Utc::now().timestamp())?;
        let count = self.page_size().nonzero();
        let user = self.user.for_listens();
        let sent = client
            .sender
            .authorized(|context| async move {
                client
                    .generated(context)
                    .get_listens(user, Some(count), Some(max_ts), Some(min_ts))
                    .await
            })
            .await?;
        match sent {
            Ok(response) => Ok(response.into_inner().payload),
            Err(error) => Err(into_error(error, &client.sender).await),
        }
    }
}

impl Operation<ListenBrainzClient> for ListenCountQuery {
    type Response = i64;
    type Error = Error;

    /// The user's number of listens.
    async fn send(&self, client: &ListenBrainzClient) -> Result<i64, Error> {
        let user = self.user.for_listen_count();
        let sent = client
            .sender
            .authorized(
                |context| async move { client.generated(context).get_listen_count(user).await },
            )
            .await?;
        match sent {
            Ok(response) => Ok(response.into_inner().payload.count),
            Err(error) => Err(into_error(error, &client.sender).await),
        }
    }
}

impl Operation<ListenBrainzClient> for ValidateTokenQuery {
    type Response = Option<String>;
    type Error = Error;

    /// The user name the token belongs to, or `None` when the server does not know it.
    async fn send(&self, client: &ListenBrainzClient) -> Result<Option<String>, Error> {
        let sent = client
            .sender
            .authorized(|context| async move { client.generated(context).validate_token().await })
            .await?;
        match sent {
            Ok(response) => {
                let answer = response.into_inner();
                Ok(answer.user_name.filter(|_| answer.valid))
            }
            Err(error) => Err(into_error(error, &client.sender).await),
        }
    }
}

//! One operation of an API, as the value of its query: what every client's `fetch` takes.

use std::future::Future;

/// A query of one operation of `Client`'s API: what the service answers, and how the
/// client sends it. Each client crate implements it for each of its queries, so its
/// `fetch` is one method whatever the operation.
///
/// ```
/// use client_support::Operation;
///
/// /// An API with one operation, answered without a service.
/// struct Echo;
/// #[derive(Clone)]
/// struct Say(&'static str);
///
/// impl Operation<Echo> for Say {
///     type Response = String;
///     type Error = std::convert::Infallible;
///
///     async fn send(&self, _: &Echo) -> Result<String, Self::Error> {
///         Ok(self.0.to_uppercase())
///     }
/// }
///
/// async fn fetch<O: Operation<Echo>>(client: &Echo, query: &O) -> Result<O::Response, O::Error> {
///     query.send(client).await
/// }
/// # tokio_test_block_on(async { assert_eq!(fetch(&Echo, &Say("hi")).await.unwrap(), "HI") });
/// # fn tokio_test_block_on(f: impl std::future::Future<Output = ()>) {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
pub trait Operation<Client>: Clone + Send + Sync + 'static {
    /// One answer (for a history query, one page), as the service sends it.
    type Response: Send;
    /// The client crate's error.
    type Error;

    /// Sends the query with `client`: the client's `fetch` calls this.
    fn send(
        &self,
        client: &Client,
    ) -> impl Future<Output = Result<Self::Response, Self::Error>> + Send;
}

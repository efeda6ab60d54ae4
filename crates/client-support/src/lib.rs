//! What the Spotify and Amazon Music history clients need alike: secrets that never print,
//! token sources, bounded limits, checked base URLs, a retry policy, the page-walking stream
//! driver and one error type.
//!
//! Users of the clients meet these types through the client crates, which re-export them.

pub mod base_url;
pub mod error;
pub mod http;
pub mod limit;
pub mod paging;
pub mod request;
pub mod retry;
pub mod secret;

pub use base_url::BaseUrl;
pub use error::{DocumentedError, Error, ErrorBody, ServiceError};
pub use limit::{Limit, LimitOutOfRange};
pub use paging::{Page, PageWalk, ResumePoint};
pub use retry::RetryPolicy;
pub use secret::{AccessToken, ApiKey, SharedToken, TokenSource};

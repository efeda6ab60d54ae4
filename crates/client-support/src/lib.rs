#![doc = include_str!("../README.md")]

pub mod base_url;
pub mod entry;
pub mod error;
#[doc(hidden)]
pub mod generated_error;
pub mod http;
pub mod incremental;
pub mod limit;
pub mod oauth;
pub mod operation;
pub mod paging;
pub mod path_segment;
pub mod retry;
pub mod scrub;
pub mod secret;
pub mod send;
#[cfg(any(test, feature = "test-support"))]
pub mod test_support;

pub use base_url::{BaseUrl, InvalidBaseUrl};
pub use entry::{Entry, Malformed, MalformedItem};
pub use error::{
    DocumentedError, Error, ErrorBody, InvalidParameter, ProtocolError, RequestNotBuilt,
    ServiceError,
};
pub use limit::{Limit, LimitOutOfRange};
pub use operation::Operation;
pub use paging::{
    History, HistoryPage, Next, Outcome, Page, PageBudgetExhausted, PageFuture, Position,
    RepeatedCursor, ResumePoint, Walk,
};
pub use retry::RetryPolicy;
pub use secret::{
    AccessToken, ApiKey, ClientSecret, InvalidCredential, RefreshToken, SharedToken, TokenSource,
};

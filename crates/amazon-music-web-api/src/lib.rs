//! A typed client for the player history of the Amazon Music Web API: the current user's
//! recently played tracks, the current user's recently played entities, and another user's.
//! Generated from `specs/amazon-music-web-api.yaml` with a small hand-written layer: typed
//! parameters, one page with [`AmazonMusicClient::fetch`], the whole history as a stream
//! with [`AmazonMusicClient::history`], typed errors and retries.
//!
//! ```no_run
//! use futures_util::StreamExt;
//! use amazon_music_web_api::types::EntityType;
//! use amazon_music_web_api::{
//!     AccessToken, AmazonMusicClient, ApiKey, Entry, EntityTypes, Error, MyEntitiesQuery,
//!     TracksLimit, TracksQuery,
//! };
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     // A Login with Amazon access token and the security profile ID (sent as `x-api-key`).
//!     let client = AmazonMusicClient::new(
//!         AccessToken::new("Atza|...")?,
//!         ApiKey::new("amzn1.application.…")?,
//!     )?;
//!
//!     // One page: the ten tracks played last.
//!     let page = client.fetch(&TracksQuery::new().limit(TracksLimit::new(10)?)).await?;
//!     for edge in page.edges().iter().filter_map(Entry::item) {
//!         println!("{}  {}", edge.played_at, edge.node.title.as_deref().unwrap_or("?"));
//!     }
//!
//!     // The whole history of albums and playlists, page after page, as a stream of edges.
//!     let kinds = EntityTypes::from([EntityType::Album, EntityType::Playlist]);
//!     let mut history = client.history(MyEntitiesQuery::new().entity_types(kinds));
//!     while let Some(edge) = history.next().await {
//!         match edge {
//!             Ok(edge) => println!("{}  {}", edge.played_date, edge.node.kind()),
//!             // One edge that does not decode: reported, and the walk goes on.
//!             Err(Error::MalformedItem(item)) => eprintln!("{item}"),
//!             Err(error) => {
//!                 // Everything not yet seen is still there: resume from here later.
//!                 let resume = history.resume_point();
//!                 eprintln!("stopped ({error}); resume from {resume:?}");
//!                 break;
//!             }
//!         }
//!     }
//!     Ok(())
//! }
//! ```
//!
//! # The same shape as `spotify_web_api`
//!
//! A client made by `new(credentials)` or a builder (`base_url`, `retry`, `http_client`);
//! one query type per operation ([`TracksQuery`], [`MyEntitiesQuery`],
//! [`UserEntitiesQuery`]); `fetch(&query)` for one page; `history(query)` for a [`History`]
//! stream with `outcome()` and `resume_point()`; one [`Error`]. Unlike Spotify's, the
//! history has no time cursor: `sync_point()` is always `None`, and an incremental sync
//! walks newest first until it meets a play it already has (see [`History`]).
//!
//! # From `history(...)` to the wire, in five hops
//!
//! 1. [`AmazonMusicClient::history`] makes a [`History`] stream starting at the query's
//!    [`ResumePoint`].
//! 2. For each page, the stream calls [`AmazonMusicClient::fetch`] with the query moved to
//!    the page's cursor.
//! 3. `fetch` obtains a token (`client_support::send::Sender::authorized`) and calls the
//!    query's generated operation (`generated.rs`, from the spec) on a generated client
//!    built for this call with the token in its context, with the checked `limit`,
//!    `entityTypes`, `cursor` and user ID.
//! 4. The generated code builds the request and calls the crate's hooks (`hooks.rs`), which
//!    set the credentials from that context, send `entityTypes` as one comma-separated
//!    value and send the request with `client_support::send` (retries, one `tracing` span
//!    named `request` per attempt).
//! 5. The response comes back as a decoded page or a typed [`Error`]; the stream yields the
//!    page's edges and follows `pageInfo.token` to the next page.
//!
//! # What the client promises
//!
//! - **Credentials** are checked when made ([`AccessToken::new`], [`ApiKey::new`]). The
//!   token is asked of the [`TokenSource`] on every request, so a [`SharedToken`] (or any
//!   `Fn() -> AccessToken`) refreshes it without a new client, and an
//!   [`oauth::RefreshingToken`] refreshes on its own, before expiry and once after a `401`. Both headers are marked
//!   sensitive and never appear in `Debug`, `Display`, errors or `tracing` fields; the
//!   generator's `api-version` header is not sent. Plain `http` is refused except to
//!   loopback.
//! - **Bounds.** `limit` is a [`TracksLimit`] (1..=60) or an [`EntitiesLimit`] (1..=100):
//!   a value out of range cannot be put in a query, so it never reaches the network.
//! - **`entityTypes`** is an [`EntityTypes`] set, sent as one comma-separated value
//!   (`entityTypes=Album,Track`), as the spec's `style: form, explode: false` says.
//! - **User IDs** ([`UserId`]) arrive at the server as exactly one path segment equal to
//!   themselves; the few that cannot (empty, `.`, `..`, containing `\`) are refused by
//!   [`UserId::new`].
//! - **Errors** are one [`Error`]: documented error bodies decode as
//!   [`types::ErrorResponse`], any other body is kept as text, `429` carries `Retry-After`.
//! - **Retries**: by default at most 3 sends and 30 s of waiting per request (429 with
//!   `Retry-After`, 5xx, transport failures); [`AmazonMusicClientBuilder::retry`] changes it.
//! - **Bounded**: a walk fetches at most the pages for [`MAX_PLAYS_PER_WALK`] edges
//!   ([`AmazonMusicClientBuilder::max_pages`]); a response body is read up to 8 MiB
//!   ([`AmazonMusicClientBuilder::max_body_bytes`]); a page with more edges than asked for
//!   is [`Error::Protocol`]; a server's message is cut to 200 characters and scrubbed of the
//!   token and the API key.
//! - **Open shapes.** Unknown fields are ignored and an entity of a kind this crate does not
//!   know arrives as [`EntityNode::Unknown`] with its raw JSON, without failing the page.
//! - **One malformed edge never costs the rest.** Each edge of a page decodes on its own
//!   ([`Entry`]); a walk yields one that does not as [`Error::MalformedItem`] (its page,
//!   its index, the reason and its raw JSON) in its place and goes on.
//! - **Observability**: each request attempt is a `tracing` span named `request` with
//!   `service = "amazon_music"`, `operation`, `attempt`, `cursor`, `status` and
//!   `elapsed_ms`; retries and walk endings are events.
//!
//! The operations and types are generated by progenitor from `specs/amazon-music-web-api.yaml`
//! (`cargo xtask regen`); the modules beside the generated one make the client above.

// `Error` is client-support's shared type and keeps whole error bodies; whether to box it is
// that crate's call, and every fallible call here is network I/O that dwarfs moving it.
#![allow(clippy::result_large_err)]

#[rustfmt::skip]
#[allow(missing_docs, clippy::all, unreachable_pub, dead_code)]
mod generated;

mod client;
mod entity;
mod error;
mod history;
mod hooks;
pub mod oauth;
mod operation;
mod query;
mod response;
mod user_id;

pub use client::{AmazonMusicClient, AmazonMusicClientBuilder, DEFAULT_BASE_URL, SERVICE};
pub use entity::EntityNode;
pub use error::Error;
pub use generated::types;
pub use history::{History, MAX_PLAYS_PER_WALK};
pub use operation::Query;
pub use query::{
    EntitiesLimit, EntityTypes, MyEntitiesQuery, ResumePoint, TracksLimit, TracksQuery,
    UserEntitiesQuery,
};
pub use user_id::UserId;

/// Makes HTTPS ready for `reqwest` clients you build yourself (the crate's default client
/// does this on its own).
///
/// ```
/// amazon_music_web_api::install_crypto_provider();
/// let http = reqwest::Client::new();
/// # drop(http);
/// ```
pub use client_support::http::install_crypto_provider;

/// A Login with Amazon access token, checked when made and never printed.
///
/// ```
/// use amazon_music_web_api::AccessToken;
///
/// let token = AccessToken::new("Atza|secret")?;
/// assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
/// assert!(AccessToken::new("two\nlines").is_err());
/// # Ok::<(), amazon_music_web_api::InvalidCredential>(())
/// ```
pub use client_support::AccessToken;

/// The security profile ID, sent as `x-api-key`; checked when made and never printed.
///
/// ```
/// use amazon_music_web_api::ApiKey;
///
/// let key = ApiKey::new("amzn1.application.x")?;
/// assert_eq!(format!("{key:?}"), "ApiKey(<redacted>)");
/// # Ok::<(), amazon_music_web_api::InvalidCredential>(())
/// ```
pub use client_support::ApiKey;

/// Why a token or key was refused by [`AccessToken::new`] or [`ApiKey::new`].
pub use client_support::InvalidCredential;

/// Why a user ID was refused by [`UserId::new`].
pub use client_support::InvalidParameter;

/// A token you replace after refreshing it; the client sends the new one.
///
/// ```
/// use amazon_music_web_api::{AccessToken, AmazonMusicClient, ApiKey, SharedToken};
///
/// let token = SharedToken::new(AccessToken::new("Atza|first")?);
/// let client = AmazonMusicClient::new(token.clone(), ApiKey::new("amzn1.application.x")?)?;
/// token.replace(AccessToken::new("Atza|refreshed")?);
/// # drop(client);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub use client_support::SharedToken;

/// Where the client gets its token for each request: a fixed [`AccessToken`], a
/// [`SharedToken`], a closure, or an [`oauth::RefreshingToken`] that refreshes itself.
///
/// ```
/// use amazon_music_web_api::{AccessToken, AmazonMusicClient, ApiKey};
///
/// let token = AccessToken::new("Atza|secret")?;
/// let client = AmazonMusicClient::new(move || token.clone(), ApiKey::new("amzn1.application.x")?)?;
/// # drop(client);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub use client_support::TokenSource;

/// How often and how long the client retries a request (429, 5xx, transport failures).
///
/// ```
/// use std::time::Duration;
/// use amazon_music_web_api::{AccessToken, AmazonMusicClient, ApiKey, RetryPolicy};
///
/// let policy = RetryPolicy::new(4).max_total_wait(Duration::from_secs(30));
/// let client = AmazonMusicClient::builder(AccessToken::new("Atza|x")?, ApiKey::new("k")?)
///     .retry(policy)
///     .build()?;
/// # drop(client);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub use client_support::RetryPolicy;

/// How a [`History`] walk ended.
///
/// ```
/// use amazon_music_web_api::Outcome;
///
/// assert_ne!(Outcome::Complete, Outcome::Failed);
/// ```
pub use client_support::Outcome;

/// An error response: its status and body; see [`Error`].
pub use client_support::{ErrorBody, InvalidBaseUrl, LimitOutOfRange, ServiceError};

/// The repeated page token that stopped a walk; see [`Error::RepeatedCursor`].
pub use client_support::RepeatedCursor;

/// One edge of a page: the typed edge, or the raw JSON of one that does not decode.
///
/// ```
/// use amazon_music_web_api::{Entry, types::TrackPlaybackEdge};
///
/// let edges: Vec<Entry<TrackPlaybackEdge>> = serde_json::from_str(
///     r#"[{"playedAt": "2024-05-01T10:00:00Z", "node": {"id": "B01"}}, {"playedAt": 7}]"#,
/// )?;
/// assert_eq!(edges[0].item().unwrap().node.id, "B01");
/// assert_eq!(edges[1].malformed().unwrap().raw().get(), r#"{"playedAt": 7}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub use client_support::Entry;

/// What is known of an edge that does not decode: its raw JSON and the reason.
///
/// ```
/// use amazon_music_web_api::{Entry, Malformed, types::TrackPlaybackEdge};
///
/// let edge: Entry<TrackPlaybackEdge> = serde_json::from_str("null")?;
/// let malformed: &Malformed = edge.malformed().unwrap();
/// assert!(malformed.reason().starts_with("invalid type: null"));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub use client_support::Malformed;

/// An edge a walk could not decode, with its page and index; see [`Error::MalformedItem`].
///
/// ```
/// use amazon_music_web_api::{Error, MalformedItem};
///
/// fn skip_malformed(result: Result<(), Error>) -> Option<MalformedItem> {
///     match result {
///         Err(Error::MalformedItem(item)) => Some(item),
///         _ => None,
///     }
/// }
/// # let _ = skip_malformed;
/// ```
pub use client_support::MalformedItem;

//! The HTTP client the clients send requests with: HTTPS ready, bounded waits, a user agent.
//!
//! With the `rustls` feature (on by default in every client crate) HTTPS goes through rustls
//! with the *ring* crypto provider: no system library (no OpenSSL), and a clean build far
//! cheaper than reqwest's default provider, aws-lc-rs. reqwest leaves the choice of provider
//! to the application in that set-up (its `rustls-no-provider` feature), and panics when a
//! client is built before one is installed; [`client_builder`] installs ring first, unless
//! the application has installed a provider of its own.
//!
//! With the `native-tls` feature HTTPS goes through the operating system's TLS library
//! instead (OpenSSL on Linux, Secure Transport on macOS, SChannel on Windows) and its trust
//! store. When both features are on (one dependent asks for each), reqwest uses native-tls.
//! Without either the clients speak plain HTTP only, which [`BaseUrl`] allows for loopback
//! addresses alone.
//!
//! Either way [`ClientOptions::root_certificates`] adds certificates to trust besides the
//! system's: a company's TLS-inspecting proxy, or a test server's own certificate.

use std::time::Duration;

use crate::base_url::BaseUrl;
use crate::error::{Error, InvalidParameter};
use crate::retry::RetryPolicy;

/// How long to wait for a connection, TCP and TLS handshake included.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long one request may take, from sending it to the end of the response body.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The `User-Agent` that [`client_builder`] sets; a client crate replaces it with its own name.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A `reqwest` client builder with HTTPS ready (see the module docs), a connect timeout of
/// [`CONNECT_TIMEOUT`], a request timeout of [`REQUEST_TIMEOUT`], [`USER_AGENT`], and no
/// redirects followed.
///
/// Every setting can still be changed on the returned builder.
///
/// ```
/// let http = client_support::http::client_builder()
///     .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
///     .build()?;
/// # drop(http);
/// # Ok::<(), reqwest::Error>(())
/// ```
pub fn client_builder() -> reqwest::ClientBuilder {
    install_crypto_provider();
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT)
        .user_agent(USER_AGENT)
        // Neither API documents a redirect, and one to another host would carry the
        // credentials (reqwest drops `Authorization` across hosts, but not `x-api-key`).
        .redirect(reqwest::redirect::Policy::none())
}

/// What both clients' builders take: a base URL, a retry policy and an HTTP client.
///
/// Made with [`ClientOptions::new`] only (`non_exhaustive`), so that a new option is not a
/// breaking change.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ClientOptions {
    /// Where requests go; checked by [`ClientOptions::connect`].
    pub base_url: String,
    /// How requests are retried.
    pub retry: RetryPolicy,
    /// The HTTP client; `None` for [`client_builder`]'s.
    pub http: Option<reqwest::Client>,
    /// The most bytes of a response body the client reads.
    pub max_body_bytes: u64,
    /// The most pages one walk fetches; `None` for the service's default.
    pub max_pages: Option<usize>,
    /// Root certificates the default HTTP client trusts besides the system's; with `http`
    /// given, [`ClientOptions::connect`] refuses them (that client has its own trust).
    #[cfg(any(feature = "rustls", feature = "native-tls"))]
    pub root_certificates: Vec<reqwest::Certificate>,
}

/// The default limit on a response body: 8 MiB. The largest legitimate page is about
/// 0.4 MB (50 Spotify plays of full tracks, each listing ~185 markets twice); 20 times that
/// leaves room for growth while a hostile or broken server cannot exhaust memory.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 8 * 1024 * 1024;

/// What [`ClientOptions::connect`] makes: the checked base URL and the HTTP client.
#[derive(Clone, Debug)]
pub struct Connection {
    /// The checked base URL.
    pub base_url: BaseUrl,
    /// The HTTP client.
    pub http: reqwest::Client,
}

impl ClientOptions {
    /// The defaults: `base_url`, [`RetryPolicy::default`], the default HTTP client,
    /// [`DEFAULT_MAX_BODY_BYTES`], the service's page budget.
    pub fn new(base_url: &str) -> Self {
        Self {
            base_url: base_url.to_string(),
            retry: RetryPolicy::default(),
            http: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_pages: None,
            #[cfg(any(feature = "rustls", feature = "native-tls"))]
            root_certificates: Vec::new(),
        }
    }

    /// Checks the base URL and builds the default HTTP client (with `user_agent`, trusting
    /// [`root_certificates`](Self::root_certificates) too) unless one was given.
    ///
    /// Root certificates beside a given client are [`Error::InvalidParameter`]: they could
    /// not reach it, and a certificate silently left out would fail only at the first
    /// request, as an untrusted server.
    pub fn connect<B: crate::DocumentedError>(
        &self,
        user_agent: &'static str,
    ) -> Result<Connection, Error<B>> {
        let base_url = BaseUrl::parse(&self.base_url)?;
        let http = match &self.http {
            Some(client) => {
                self.refuse_root_certificates_beside_a_client()?;
                client.clone()
            }
            None => self.default_client(user_agent)?,
        };
        Ok(Connection { base_url, http })
    }

    fn default_client(&self, user_agent: &'static str) -> reqwest::Result<reqwest::Client> {
        let builder = client_builder().user_agent(user_agent);
        #[cfg(any(feature = "rustls", feature = "native-tls"))]
        let builder = builder.tls_certs_merge(self.root_certificates.iter().cloned());
        builder.build()
    }

    fn refuse_root_certificates_beside_a_client(&self) -> Result<(), InvalidParameter> {
        #[cfg(any(feature = "rustls", feature = "native-tls"))]
        if !self.root_certificates.is_empty() {
            return Err(InvalidParameter {
                parameter: "root_certificate",
                value: format!("{} certificate(s)", self.root_certificates.len()),
                reason: "is for the default HTTP client; a client given to `http_client` \
                         keeps its own trust, so add the certificate to that client",
            });
        }
        Ok(())
    }
}

/// The builder options both clients take, written once: `base_url`, `retry`,
/// `http_client`, `max_body_bytes` and `max_pages`, as methods of a builder that holds a
/// field `options: ClientOptions`, in a module where `DEFAULT_BASE_URL`, `Error` and
/// `RetryPolicy` are in scope.
/// Each client crate expands it in its builder's `impl` block, so the methods are
/// documented in that crate.
#[macro_export]
macro_rules! client_options {
    () => {
        /// Sends requests to `url` instead of [`DEFAULT_BASE_URL`] (a local sandbox, a test
        /// server). [`build`](Self::build) refuses anything but `https`, or plain `http` to a
        /// loopback address, so that credentials never travel in clear text.
        pub fn base_url(mut self, url: &str) -> Self {
            self.options.base_url = url.to_string();
            self
        }

        /// Retries requests that get 429 (honouring `Retry-After`, or `X-RateLimit-Reset-In`
        /// without it), a 5xx or a transport failure, as `policy` allows. The default,
        /// [`RetryPolicy::default`], sends a request at most 3 times and waits at most 30 s
        /// in all; [`RetryPolicy::none`] opts out.
        pub fn retry(mut self, policy: RetryPolicy) -> Self {
            self.options.retry = policy;
            self
        }

        /// Sends requests with `client` (for its proxy, TLS or timeout settings) instead of
        /// the default: HTTPS through rustls (the `rustls` feature) or the system's TLS
        /// library (`native-tls`), 10 s to connect, 30 s per request, and no redirects (the
        /// API documents none, and one to another host would carry the credentials with it).
        pub fn http_client(mut self, client: reqwest::Client) -> Self {
            self.options.http = Some(client);
            self
        }

        /// Reads at most `bytes` of any response body (default 8 MiB, about 20 times the
        /// largest legitimate page); a longer body is [`Error::BodyTooLarge`], and memory
        /// stays bounded whatever the server sends.
        pub fn max_body_bytes(mut self, bytes: u64) -> Self {
            self.options.max_body_bytes = bytes;
            self
        }

        /// Trusts `certificate` as a root, besides the system's, in the default HTTP client:
        /// for a TLS-inspecting proxy, or a test server with a certificate of its own.
        /// Needs the `rustls` or `native-tls` feature. [`build`](Self::build) refuses it
        /// beside [`http_client`](Self::http_client), whose client keeps its own trust.
        #[cfg(any(feature = "rustls", feature = "native-tls"))]
        pub fn root_certificate(mut self, certificate: reqwest::Certificate) -> Self {
            self.options.root_certificates.push(certificate);
            self
        }

        /// Fetches at most `pages` pages in one walk (the crate docs give the default); a
        /// walk that reaches it ends with [`Error::PageBudgetExhausted`] and a resume point.
        pub fn max_pages(mut self, pages: usize) -> Self {
            self.options.max_pages = Some(pages);
            self
        }
    };
}

/// Makes rustls' *ring* provider the process-wide default, unless a provider is installed
/// already; does nothing without the `rustls` feature.
///
/// [`client_builder`] calls this. Call it yourself before building a `reqwest::Client` any
/// other way in a program that uses a client crate's default features: they turn on reqwest's
/// `rustls-no-provider`, and then `reqwest::ClientBuilder::build` panics while no provider is
/// installed.
///
/// ```
/// client_support::http::install_crypto_provider();
/// let http = reqwest::Client::new();
/// # drop(http);
/// ```
pub fn install_crypto_provider() {
    #[cfg(feature = "rustls")]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may install one in between; then that one is used, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// Sends a GET to `url` with a client from [`client_builder`], on a fresh runtime.
    fn get(url: &str) -> Result<reqwest::Response, reqwest::Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async { client_builder().build()?.get(url).send().await })
    }

    #[test]
    fn a_client_builds_with_https_ready() {
        let built = client_builder().build();
        assert!(built.is_ok(), "{built:?}");
        #[cfg(feature = "rustls")]
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
    }

    #[test]
    fn https_to_a_closed_port_is_a_connect_error_not_a_panic() {
        let port = {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let error = get(&format!("https://127.0.0.1:{port}/")).unwrap_err();
        assert!(error.is_connect(), "{error:?}");
    }

    /// The handshake starts (a TLS ClientHello leaves, which needs the crypto provider) and a
    /// server that does not speak TLS makes the request fail as a connect error.
    #[cfg(feature = "rustls")]
    #[test]
    fn https_starts_a_tls_handshake_and_a_non_tls_server_is_a_connect_error() {
        use std::io::{Read, Write};
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut record_header = [0_u8; 3];
            stream.read_exact(&mut record_header).unwrap();
            stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n")
                .unwrap();
            record_header
        });
        let error = get(&format!("https://127.0.0.1:{port}/")).unwrap_err();
        // A TLS record of type handshake (22), protocol version 3.x.
        assert_eq!(server.join().unwrap()[..2], [22, 3]);
        assert!(error.is_connect(), "{error:?}");
    }

    #[test]
    fn the_defaults_are_the_documented_ones() {
        assert_eq!(CONNECT_TIMEOUT, Duration::from_secs(10));
        assert_eq!(REQUEST_TIMEOUT, Duration::from_secs(30));
        assert!(USER_AGENT.starts_with("client-support/"));
    }
}

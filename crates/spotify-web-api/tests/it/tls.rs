//! HTTPS end to end with the TLS backend the crate is built with: `rustls` in a plain
//! `cargo test`, the system's library (OpenSSL here) under
//! `--no-default-features --features native-tls`, as `.ci/run` does.
//!
//! A test certificate authority made for the run signs a certificate for 127.0.0.1; a
//! TLS-terminating proxy on 127.0.0.1 presents it and forwards the plain bytes to the
//! wiremock stand-in. The client trusts the authority through its builder's
//! `root_certificate`, and only then.
//!
//! The stand-in is wiremock on its own rather than `music-history-sandbox`: the sandbox
//! depends on this crate with its default features, which would turn `rustls` back on in the
//! `native-tls` run.

#![cfg(any(feature = "rustls", feature = "native-tls"))]

use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use spotify_web_api::{AccessToken, Error, RecentlyPlayedQuery, RetryPolicy, SpotifyClient};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::{self, pki_types};
use wiremock::MockServer;

use crate::common::{TOKEN, ok, page, recently_played, server, short_timeouts};

/// The backend reqwest uses: native-tls whenever it is compiled in.
const BACKEND: &str = if cfg!(feature = "native-tls") {
    "native-tls"
} else {
    "rustls"
};

/// A certificate authority made for one test, and a server certificate for 127.0.0.1 that
/// it signed.
struct TestPki {
    authority_pem: String,
    server: rustls::ServerConfig,
}

fn test_pki() -> TestPki {
    let authority_key = KeyPair::generate().unwrap();
    let mut authority = CertificateParams::new(Vec::<String>::new()).unwrap();
    authority.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    authority
        .distinguished_name
        .push(rcgen::DnType::CommonName, "spotify-web-api test authority");
    let authority_pem = authority.self_signed(&authority_key).unwrap().pem();
    let issuer = Issuer::new(authority, authority_key);

    let server_key = KeyPair::generate().unwrap();
    let server_cert = CertificateParams::new(vec!["127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&server_key, &issuer)
        .unwrap();
    let key = pki_types::PrivateKeyDer::Pkcs8(server_key.serialize_der().into());
    let server = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![server_cert.der().clone()], key)
    .unwrap();
    TestPki {
        authority_pem,
        server,
    }
}

/// Listens on 127.0.0.1 for TLS with `config` and forwards each connection, decrypted, to
/// `upstream`; returns its `https://` address.
async fn tls_proxy(config: rustls::ServerConfig, upstream: &MockServer) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let upstream = *upstream.address();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake: nothing to forward.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut plain = TcpStream::connect(upstream).await.unwrap();
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    format!("https://{address}")
}

fn builder(base: &str) -> spotify_web_api::SpotifyClientBuilder {
    SpotifyClient::builder(AccessToken::new(TOKEN).unwrap())
        .base_url(&format!("{base}/v1"))
        .retry(RetryPolicy::none())
}

fn authority(pki: &TestPki) -> reqwest::Certificate {
    reqwest::Certificate::from_pem(pki.authority_pem.as_bytes()).unwrap()
}

#[tokio::test]
async fn a_page_arrives_over_https_from_a_server_whose_root_the_builder_trusts() {
    let server = server().await;
    recently_played()
        .respond_with(ok(page(&[3_000, 2_000], None)))
        .expect(1)
        .mount(&server)
        .await;
    let pki = test_pki();
    let certificate = authority(&pki);
    let base = tls_proxy(pki.server, &server).await;

    let client = builder(&base)
        .root_certificate(certificate)
        .build()
        .unwrap();
    let fetched = client.fetch(&RecentlyPlayedQuery::new()).await;

    let page = fetched
        .unwrap_or_else(|e| panic!("{BACKEND}: {e:?}"))
        .into_page()
        .unwrap();
    assert_eq!(page.items.len(), 2, "{BACKEND}");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].headers["authorization"],
        format!("Bearer {TOKEN}")
    );
}

#[tokio::test]
async fn a_server_whose_root_is_not_trusted_is_refused_before_any_request() {
    let server = server().await;
    recently_played()
        .respond_with(ok(page(&[], None)))
        .expect(0)
        .mount(&server)
        .await;
    let base = tls_proxy(test_pki().server, &server).await;

    let error = builder(&base)
        .build()
        .unwrap()
        .fetch(&RecentlyPlayedQuery::new())
        .await
        .unwrap_err();

    let Error::Transport(transport) = &error else {
        panic!("{BACKEND}: not a transport error: {error:?}");
    };
    assert!(transport.is_connect(), "{BACKEND}: {transport:?}");
    let chain = format!("{:?}", source_chain(transport)).to_lowercase();
    assert!(chain.contains("certificate"), "{BACKEND}: {chain}");
}

#[test]
fn a_root_certificate_beside_a_client_of_ones_own_is_refused_when_built() {
    let refused = builder("https://127.0.0.1:1")
        .root_certificate(authority(&test_pki()))
        .http_client(short_timeouts())
        .build()
        .unwrap_err();
    assert!(
        matches!(&refused, Error::InvalidParameter(p) if p.parameter == "root_certificate"),
        "{refused:?}"
    );
    assert!(refused.to_string().contains("http_client"), "{refused}");
}

/// Every message in `error`'s source chain, outermost first.
fn source_chain(error: &(dyn std::error::Error + 'static)) -> Vec<String> {
    std::iter::successors(Some(error), |e| e.source())
        .map(ToString::to_string)
        .collect()
}

//! HTTPS end to end: a TLS server in front of the mock, with a certificate for `localhost` issued by a private CA
//! (`fixtures/tls`). A client that trusts that CA (`ClientOptions::with_root_certificate_pem`) calls through it;
//! one that does not, or that names the server by an address its certificate does not cover, is refused before any
//! request reaches the mock, with a transport error that says why. Every other test speaks plain HTTP to loopback,
//! so this is the one that runs the TLS stack the vendors' `https://` URLs use.
//!
//! The fixtures were made with openssl (the CA's key was thrown away; the server's key is a test key, used nowhere
//! else):
//! `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem -days 36500
//! -subj "/CN=tokensmith test TLS CA" -addext basicConstraints=critical,CA:TRUE -addext
//! keyUsage=critical,keyCertSign,cRLSign`, then a key and request for `CN=localhost` signed by it with
//! `subjectAltName=DNS:localhost`, `extendedKeyUsage=serverAuth`.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;

use common::*;
use tokensmith::blocking::AkoolClient;
use tokensmith::{AkoolCredentials, ClientOptions, ErrorKind, Method, Secret};
use tokensmith_mock::DEMO_API_KEY;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

const CA: &[u8] = include_bytes!("fixtures/tls/ca.pem");
const CERTIFICATE: &[u8] = include_bytes!("fixtures/tls/localhost.pem");
const KEY: &[u8] = include_bytes!("fixtures/tls/localhost.key");

/// The protocols ALPN settled on, one per connection the TLS server accepted.
static NEGOTIATED: std::sync::Mutex<Vec<Option<Vec<u8>>>> = std::sync::Mutex::new(Vec::new());

/// A TLS server on a loopback port that hands each connection's plain bytes to `backend`, on a runtime of its own
/// (kept alive by the returned handle). It offers HTTP/1.1 by ALPN.
fn tls_in_front_of(backend: SocketAddr) -> (SocketAddr, tokio::runtime::Runtime) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let certificates = vec![CertificateDer::from_pem_slice(CERTIFICATE).unwrap()];
    let key = PrivateKeyDer::from_pem_slice(KEY).unwrap();
    let mut config = ServerConfig::builder().with_no_client_auth().with_single_cert(certificates, key).unwrap();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let address = listener.local_addr().unwrap();
    runtime.spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A handshake the client refuses ends here: nothing reaches the backend.
                let Ok(mut tls) = acceptor.accept(stream).await else { return };
                NEGOTIATED.lock().unwrap().push(tls.get_ref().1.alpn_protocol().map(<[u8]>::to_vec));
                let Ok(mut plain) = tokio::net::TcpStream::connect(backend).await else { return };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    (address, runtime)
}

fn client(base_url: String, trust_the_ca: bool) -> AkoolClient {
    let mut options = ClientOptions::default().with_base_url(base_url).with_retry(fast_retry());
    if trust_the_ca {
        options = options.with_root_certificate_pem(CA.to_vec());
    }
    AkoolClient::new(AkoolCredentials::ApiKey(Secret::new(DEMO_API_KEY)), options).unwrap()
}

#[test]
fn https_works_with_a_trusted_ca_and_is_refused_without_it_or_for_another_name() {
    let mock = mock();
    let backend: SocketAddr = mock.base_url().trim_start_matches("http://").parse().unwrap();
    let (tls, _server) = tls_in_front_of(backend);

    let trusted = client(format!("https://localhost:{}", tls.port()), true);
    let data = trusted.request(Method::Get, QUOTA, None).unwrap();
    assert_eq!(data["auth"], "x-api-key");
    assert_eq!(mock.count("GET", QUOTA), 1, "the call went through the TLS server");
    let negotiated = NEGOTIATED.lock().unwrap().clone();
    assert_eq!(negotiated, [Some(b"http/1.1".to_vec())], "the client offered HTTP/1.1 by ALPN, as reqwest did");

    // "invalid peer certificate: UnknownIssuer", as rustls says it.
    let untrusted = client(format!("https://localhost:{}", tls.port()), false);
    let refused = untrusted.request(Method::Get, QUOTA, None).unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Transport, "{refused}");
    assert!(refused.to_string().contains("UnknownIssuer"), "says why: {refused}");

    // "certificate not valid for name "127.0.0.1"; certificate is only valid for DnsName("localhost")".
    let other_name = client(format!("https://127.0.0.1:{}", tls.port()), true);
    let refused = other_name.request(Method::Get, QUOTA, None).unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Transport, "{refused}");
    assert!(refused.to_string().contains("not valid for name"), "says why: {refused}");

    assert_eq!(mock.count("GET", QUOTA), 1, "no refused call reached the mock");
}

//! Many tenants in one process: clients of equal transport settings share one HTTP client and its connections,
//! never a credential or a token; clients of other settings never share a connection.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::Duration;

use common::*;
use futures_util::future::join_all;
use tokensmith::{AkoolCredentials, ClientOptions, ErrorKind, Method, Secret};

fn tenant(i: usize) -> (String, String) {
    (format!("tenant-{i}"), format!("tenant-{i}-secret-0123456789abcdef"))
}

#[test]
fn sequential_calls_of_many_tenants_reuse_one_connection() {
    let mock = mock();
    for i in 0..40 {
        let (id, secret) = tenant(i);
        mock.add_tenant(&id, &secret);
        let client =
            tokensmith::blocking::AkoolClient::new(AkoolCredentials::ApiKey(secret.into()), options(&mock)).unwrap();
        let data = client.request(Method::Get, QUOTA, None).unwrap();
        assert_eq!(data["client_id"], id.as_str(), "each call carries its own tenant's key");
    }
    assert_eq!(mock.count("GET", QUOTA), 40);
    assert_eq!(mock.connections(), 1, "40 tenants, one after another, one pooled connection");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_method_2_tenants_fetch_one_token_each_and_use_only_their_own() {
    let mock = mock();
    let clients: Vec<_> = (0..200)
        .map(|i| {
            let (id, secret) = tenant(i);
            mock.add_tenant(&id, &secret);
            let credentials =
                AkoolCredentials::ClientCredentials { client_id: id.clone(), client_secret: secret.into() };
            (id, tokensmith::AkoolClient::new(credentials, options(&mock)).unwrap())
        })
        .collect();
    let calls = clients.iter().flat_map(|(id, client)| {
        (0..10).map(move |_| {
            let call = client.request(Method::Get, QUOTA, None);
            async move { (id, call.await) }
        })
    });
    for (id, answer) in join_all(calls).await {
        let data = answer.unwrap();
        assert_eq!((data["auth"].as_str(), data["client_id"].as_str()), (Some("bearer"), Some(id.as_str())));
    }
    assert_eq!(mock.count("POST", GET_TOKEN), 200, "one getToken per tenant, not per call");
    assert_eq!(mock.tokens_issued(), 200);
}

#[test]
fn a_base_url_a_private_ca_and_a_proxy_each_get_their_own_connections() {
    let mock = mock();
    let call = |options: ClientOptions| {
        let key = AkoolCredentials::ApiKey(Secret::new(tokensmith_mock::DEMO_API_KEY));
        tokensmith::blocking::AkoolClient::new(key, options).unwrap().request(Method::Get, QUOTA, None).unwrap()
    };
    call(options(&mock));
    call(options(&mock));
    assert_eq!(mock.connections(), 1);

    // The same server under another base URL.
    let other_base = mock.base_url().replace("127.0.0.1", "localhost");
    call(options(&mock).with_base_url(other_base));
    assert_eq!(mock.connections(), 2);

    // A private CA: a pool of its own, even to a plain http:// loopback server that never uses it.
    let ca = include_bytes!("fixtures/private-ca.pem").to_vec();
    call(options(&mock).with_root_certificate_pem(ca.clone()));
    call(options(&mock).with_root_certificate_pem(ca));
    assert_eq!(mock.connections(), 3);

    // Through a proxy: the connection goes to the proxy, and none of the direct pools is used.
    let proxy = tokensmith_mock::MockServer::start().unwrap();
    let data = call(options(&mock).with_proxy(proxy.base_url()));
    assert_eq!(data["auth"], "x-api-key");
    assert_eq!((mock.connections(), proxy.connections(), proxy.count("GET", QUOTA)), (3, 1, 1));
}

#[test]
fn idle_connections_are_closed_by_the_pool_idle_timeout() {
    let mock = mock();
    let client = |idle: Duration| {
        let key = AkoolCredentials::ApiKey(Secret::new(tokensmith_mock::DEMO_API_KEY));
        tokensmith::blocking::AkoolClient::new(key, options(&mock).with_pool_idle_timeout(idle)).unwrap()
    };
    let (short, long) = (client(Duration::from_millis(50)), client(Duration::from_secs(60)));
    short.request(Method::Get, QUOTA, None).unwrap();
    long.request(Method::Get, QUOTA, None).unwrap();
    assert_eq!(mock.connections(), 2, "two idle timeouts, two pools");
    std::thread::sleep(Duration::from_millis(600));
    short.request(Method::Get, QUOTA, None).unwrap();
    long.request(Method::Get, QUOTA, None).unwrap();
    assert_eq!(mock.connections(), 3, "only the pool with the short idle timeout reconnected");
}

#[test]
fn a_proxy_refusing_the_tunnel_is_named_without_its_credentials() {
    let proxy = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = proxy.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in proxy.incoming().take(3).flatten() {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let _ = (&stream).write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n");
        }
    });
    let options = ClientOptions::default()
        .with_base_url("https://openapi.example.invalid")
        .with_proxy(format!("http://user:canary-proxy-password@{address}"));
    let client = tokensmith::blocking::AkoolClient::new(
        AkoolCredentials::ApiKey(Secret::new(tokensmith_mock::DEMO_API_KEY)),
        options.clone(),
    )
    .unwrap();
    let error = client.request(Method::Get, QUOTA, None).unwrap_err();
    let message = error.to_string();
    assert_eq!(error.kind(), ErrorKind::Transport, "{message}");
    assert!(message.contains("407") && message.contains(&format!("http://{address}/")), "{message}");
    assert!(!message.contains("canary") && !format!("{error:?} {options:?} {client:?}").contains("canary"));
}

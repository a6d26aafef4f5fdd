//! The transport policy against the mock: retries and what is never retried, timeouts, redirects, body limits,
//! and the base URL policy.

mod common;

use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use tokensmith::{
    blocking::AkoolClient, AkoolCredentials, ClientOptions, ErrorKind, Method, NewCredential, RetryPolicy, Secret,
};
use tokensmith_mock::{DEMO_API_KEY, DEMO_APPLICATION_ID};

#[test]
fn a_429_with_retry_after_is_waited_out_then_retried() {
    let mock = mock();
    mock.push_fault(json!({"kind": "status", "status": 429, "retry_after": "1", "path": QUOTA})).unwrap();
    let started = Instant::now();
    akool_with_key(&mock).request(Method::Get, QUOTA, None).unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After ignored: {:?}", started.elapsed());
    assert_eq!(mock.count("GET", QUOTA), 2);
}

#[test]
fn a_retry_after_beyond_the_limit_is_reported_not_slept() {
    let mock = mock();
    mock.push_fault(json!({"kind": "status", "status": 429, "retry_after": "3600", "path": QUOTA})).unwrap();
    let err = akool_with_key(&mock).request(Method::Get, QUOTA, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(mock.count("GET", QUOTA), 1);
}

#[test]
fn idempotent_calls_retry_5xx_until_success() {
    let mock = mock();
    mock.push_fault(json!({"kind": "status", "status": 503, "path": QUOTA, "times": 1})).unwrap();
    mock.push_fault(json!({"kind": "status", "status": 502, "path": QUOTA, "times": 1})).unwrap();
    akool_with_key(&mock).request(Method::Get, QUOTA, None).unwrap();
    assert_eq!(mock.count("GET", QUOTA), 3);
}

#[test]
fn retries_stop_at_the_limit_with_a_server_error() {
    let mock = mock();
    mock.push_fault(json!({"kind": "status", "status": 503, "path": QUOTA, "times": 10})).unwrap();
    let err = akool_with_key(&mock).request(Method::Get, QUOTA, None).unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::Server, Some(503)));
    assert_eq!(mock.count("GET", QUOTA), 3, "1 attempt + 2 retries");
}

#[test]
fn the_token_request_is_retried_like_a_read() {
    let mock = mock();
    mock.push_fault(json!({"kind": "status", "status": 504, "path": GET_TOKEN})).unwrap();
    akool_with_client_credentials(&mock).token().unwrap();
    assert_eq!(mock.count("POST", GET_TOKEN), 2);
}

#[test]
fn posts_are_not_retried_after_a_5xx() {
    let mock = mock();
    mock.push_fault(json!({"kind": "status", "status": 503, "path": SPECIFY_IMAGE})).unwrap();
    let err = akool_with_key(&mock).request(Method::Post, SPECIFY_IMAGE, Some(&json!({}))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(mock.count("POST", SPECIFY_IMAGE), 1);
}

#[test]
fn a_lost_answer_to_a_create_is_not_retried_so_one_credential_exists() {
    let mock = mock();
    mock.push_fault(json!({"kind": "drop_after", "path": CREDENTIALS, "method": "POST"})).unwrap();
    let err = platform(&mock).create_credential(&NewCredential::new(DEMO_APPLICATION_ID)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert_eq!(mock.count("POST", CREDENTIALS), 1);
    assert_eq!(mock.credential_count(), 1, "exactly one credential, not zero, not two");
}

#[test]
fn a_dropped_connection_is_retried_for_reads() {
    let mock = mock();
    mock.push_fault(json!({"kind": "drop_before", "path": QUOTA})).unwrap();
    akool_with_key(&mock).request(Method::Get, QUOTA, None).unwrap();
    assert_eq!(mock.count("GET", QUOTA), 2);
}

#[test]
fn slow_answers_time_out_and_only_reads_are_retried() {
    let mock = mock();
    let options = options(&mock).with_request_timeout(Duration::from_millis(300));
    let akool = AkoolClient::new(AkoolCredentials::ApiKey(Secret::new(DEMO_API_KEY)), options).unwrap();
    mock.push_fault(json!({"kind": "delay", "ms": 1500, "times": 10})).unwrap();
    let started = Instant::now();
    let err = akool.request(Method::Get, QUOTA, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(started.elapsed() < Duration::from_millis(1400), "the timeout did not cut the wait");
    assert_eq!(mock.count("GET", QUOTA), 3);
    let err = akool.request(Method::Post, SPECIFY_IMAGE, Some(&json!({}))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_eq!(mock.count("POST", SPECIFY_IMAGE), 1);
}

#[test]
fn connection_refused_is_retried_even_for_creates_because_nothing_was_sent() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let retry = RetryPolicy {
        initial_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_millis(100),
        ..RetryPolicy::default()
    };
    let options = ClientOptions::default().with_base_url(format!("http://127.0.0.1:{port}")).with_retry(retry);
    let platform = tokensmith::blocking::AceDataPlatform::new("t", options).unwrap();
    let started = Instant::now();
    let err = platform.create_credential(&NewCredential::new(DEMO_APPLICATION_ID)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    // Two backoffs of 50..100 ms each prove the two retries happened.
    assert!(started.elapsed() >= Duration::from_millis(100), "{:?}", started.elapsed());
}

#[test]
fn malformed_and_oversized_answers_are_decode_errors() {
    let mock = mock();
    let akool = akool_with_key(&mock);
    mock.push_fault(json!({"kind": "malformed"})).unwrap();
    let err = akool.request(Method::Get, QUOTA, None).unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::Decode, Some(200)));
    assert!(err.to_string().contains("{\\\"code\\\": 1000"), "excerpt missing: {err}");
    mock.push_fault(json!({"kind": "oversized"})).unwrap();
    let err = akool.request(Method::Get, QUOTA, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().contains("limit"), "{err}");
}

#[test]
fn answers_that_carry_secrets_are_never_quoted() {
    let mock = mock();
    mock.push_fault(json!({"kind": "malformed", "path": GET_TOKEN})).unwrap();
    let err = akool_with_client_credentials(&mock).token().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().contains("withheld"), "{err}");
}

#[test]
fn cross_origin_redirects_are_not_followed_so_the_secret_stays_home() {
    let mock = mock();
    for akool in [akool_with_key(&mock), akool_with_client_credentials(&mock)] {
        mock.push_fault(json!({"kind": "redirect", "target": "other", "path": QUOTA})).unwrap();
        let err = akool.request(Method::Get, QUOTA, None).unwrap_err();
        assert_eq!((err.kind(), err.status()), (ErrorKind::Decode, Some(307)), "{err}");
        assert!(err.to_string().contains(mock.foreign_origin()), "{err}");
    }
    mock.push_fault(json!({"kind": "redirect", "target": "other", "path": CREDENTIALS})).unwrap();
    assert_eq!(platform(&mock).list_credentials(&Default::default()).unwrap_err().kind(), ErrorKind::Decode);
    assert_eq!(mock.foreign_requests(), (0, 0), "the foreign origin was contacted");
}

#[test]
fn same_origin_redirects_are_followed_with_the_credential() {
    let mock = mock();
    mock.push_fault(json!({"kind": "redirect", "target": "same", "path": QUOTA})).unwrap();
    let data = akool_with_key(&mock).request(Method::Get, QUOTA, None).unwrap();
    assert_eq!(data["query"], "redirected=1");
    assert_eq!(data["auth"], "x-api-key");
}

#[test]
fn the_user_agent_can_be_extended_by_a_binding() {
    let mock = mock();
    let options = options(&mock).with_user_agent_suffix("python/3.11");
    let akool = AkoolClient::new(AkoolCredentials::ApiKey(Secret::new(DEMO_API_KEY)), options).unwrap();
    let data = akool.request(Method::Get, QUOTA, None).unwrap();
    assert_eq!(data["headers"]["user-agent"], format!("{} python/3.11", tokensmith::USER_AGENT));
}

#[test]
fn custom_ca_certificates_must_be_pem() {
    let err = AkoolClient::new(
        AkoolCredentials::ApiKey(Secret::new("k")),
        ClientOptions::default().with_root_certificate_pem(b"not a certificate".to_vec()),
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
}

#[test]
fn the_connect_timeout_covers_the_tls_handshake_and_a_create_that_timed_out_there_is_retried() {
    // Takes connections and never answers: a TLS handshake waits for a server hello that never comes.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    silent.set_nonblocking(true).unwrap();
    let held = std::thread::spawn(move || {
        let (mut held, until) = (Vec::new(), Instant::now() + Duration::from_secs(8));
        while held.len() < 3 && Instant::now() < until {
            match silent.accept() {
                Ok((stream, _)) => held.push(stream),
                Err(_) => std::thread::sleep(Duration::from_millis(5)),
            }
        }
        held
    });
    let options = ClientOptions::default()
        .with_base_url(format!("https://localhost:{port}"))
        .with_connect_timeout(Duration::from_millis(200))
        .with_request_timeout(Duration::from_secs(20))
        .with_retry(fast_retry());
    let akool = AkoolClient::new(AkoolCredentials::ApiKey(Secret::new(DEMO_API_KEY)), options).unwrap();
    let started = Instant::now();
    let err = akool.request(Method::Post, SPECIFY_IMAGE, Some(&json!({}))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(started.elapsed() < Duration::from_secs(5), "the connect timeout did not cut the handshake");
    // Nothing was sent, so even a create is retried: three connections for one call and its two retries.
    assert_eq!(held.join().unwrap().len(), 3);
}

#[test]
fn a_request_timeout_too_long_to_add_is_no_timeout() {
    let mock = mock();
    let options = options(&mock).with_request_timeout(Duration::MAX);
    let akool = AkoolClient::new(AkoolCredentials::ApiKey(Secret::new(DEMO_API_KEY)), options).unwrap();
    assert_eq!(akool.request(Method::Get, QUOTA, None).unwrap()["auth"], "x-api-key");
}

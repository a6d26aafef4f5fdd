//! Every row of docs/retries.md against the mock: which answers are repeated, for an idempotent call (a read)
//! and for one that is not (a create), and that a create is never performed twice.

mod common;

use std::net::TcpListener;
use std::time::Duration;

use common::*;
use serde_json::json;
use tokensmith::blocking::AceDataPlatform;
use tokensmith::{ClientOptions, ErrorKind, Method, NewCredential};
use tokensmith_mock::{MockServer, DEMO_APPLICATION_ID, DEMO_PLATFORM_TOKEN};

/// A read and a create, each after the fault `rule` (hitting its first attempt only), and how many attempts each
/// took and whether it succeeded.
fn read_and_create(rule: serde_json::Value) -> ((u64, bool), (u64, bool)) {
    let mock = mock();
    let platform = platform(&mock);
    let mut read_rule = rule.clone();
    read_rule["method"] = json!("GET");
    mock.push_fault(read_rule).unwrap();
    let read = platform.list_credentials(&Default::default()).is_ok();
    let mut create_rule = rule;
    create_rule["method"] = json!("POST");
    mock.push_fault(create_rule).unwrap();
    let create = platform.create_credential(&NewCredential::new(DEMO_APPLICATION_ID));
    if create.is_err() {
        assert!(mock.credential_count() <= 1, "a create was performed twice");
    } else {
        assert_eq!(mock.credential_count(), 1, "one create, one credential");
    }
    ((mock.count("GET", CREDENTIALS), read), (mock.count("POST", CREDENTIALS), create.is_ok()))
}

fn status(code: u16) -> serde_json::Value {
    json!({"kind": "status", "status": code, "path": CREDENTIALS, "retry_after": "0"})
}

#[test]
fn refusals_before_acting_are_repeated_for_every_call() {
    for code in [408, 429] {
        assert_eq!(read_and_create(status(code)), ((2, true), (2, true)), "HTTP {code}");
    }
}

#[test]
fn server_failures_are_repeated_for_idempotent_calls_only() {
    for code in [500, 502, 503, 504] {
        assert_eq!(read_and_create(status(code)), ((2, true), (1, false)), "HTTP {code}");
    }
}

#[test]
fn other_answers_are_the_answer() {
    for code in [400, 401, 403, 404, 409] {
        assert_eq!(read_and_create(status(code)), ((1, false), (1, false)), "HTTP {code}");
    }
}

#[test]
fn a_connection_lost_after_sending_is_repeated_for_idempotent_calls_only() {
    assert_eq!(read_and_create(json!({"kind": "drop_after", "path": CREDENTIALS})), ((2, true), (1, false)));
}

#[test]
fn a_timeout_after_sending_is_repeated_for_idempotent_calls_only() {
    let mock = mock();
    let platform =
        AceDataPlatform::new(DEMO_PLATFORM_TOKEN, options(&mock).with_request_timeout(Duration::from_millis(300)))
            .unwrap();
    mock.push_fault(json!({"kind": "delay", "ms": 1000, "path": CREDENTIALS, "method": "GET"})).unwrap();
    assert!(platform.list_credentials(&Default::default()).is_ok());
    assert_eq!(mock.count("GET", CREDENTIALS), 2);
    mock.push_fault(json!({"kind": "delay", "ms": 1000, "path": CREDENTIALS, "method": "POST"})).unwrap();
    let err = platform.create_credential(&NewCredential::new(DEMO_APPLICATION_ID)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_eq!(mock.count("POST", CREDENTIALS), 1);
}

#[test]
fn no_connection_is_repeated_for_every_call() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let options = ClientOptions::default().with_base_url(format!("http://127.0.0.1:{port}")).with_retry(fast_retry());
    let platform = AceDataPlatform::new(DEMO_PLATFORM_TOKEN, options).unwrap();
    // Nothing listens: both fail after their retries, as transport errors (the retries show in the log).
    assert_eq!(platform.list_credentials(&Default::default()).unwrap_err().kind(), ErrorKind::Transport);
    assert_eq!(
        platform.create_credential(&NewCredential::new(DEMO_APPLICATION_ID)).unwrap_err().kind(),
        ErrorKind::Transport
    );
}

#[test]
fn akool_too_frequent_is_repeated_for_every_call() {
    let mock = mock();
    let akool = akool_with_key(&mock);
    mock.push_fault(json!({"kind": "akool_code", "code": 1005})).unwrap();
    assert!(akool.request(Method::Get, QUOTA, None).is_ok());
    assert_eq!(mock.count("GET", QUOTA), 2);
    mock.push_fault(json!({"kind": "akool_code", "code": 1005})).unwrap();
    assert!(akool.request(Method::Post, SPECIFY_IMAGE, Some(&json!({"modifyImage": "https://x/b.png"}))).is_ok());
    assert_eq!(mock.count("POST", SPECIFY_IMAGE), 2);
    mock.push_fault(json!({"kind": "akool_code", "code": 1005, "times": 3})).unwrap();
    let err = akool.request(Method::Get, QUOTA, None).unwrap_err();
    assert_eq!((err.kind(), mock.count("GET", QUOTA)), (ErrorKind::RateLimited, 5), "two retries, then the error");
}

#[test]
fn other_akool_codes_are_not_repeated() {
    let mock: MockServer = mock();
    let akool = akool_with_key(&mock);
    mock.push_fault(json!({"kind": "akool_code", "code": 1003})).unwrap();
    assert_eq!(akool.request(Method::Get, QUOTA, None).unwrap_err().kind(), ErrorKind::InvalidRequest);
    assert_eq!(mock.count("GET", QUOTA), 1);
}

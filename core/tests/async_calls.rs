//! The async face against the mock: single flight across tasks and threads, cancellation, and the blocking face
//! called from inside another runtime.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use tokensmith::{ErrorKind, Method, NewCredential};
use tokensmith_mock::DEMO_APPLICATION_ID;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

#[test]
fn sixty_four_first_calls_from_tasks_and_threads_fetch_one_token() {
    let mock = mock();
    mock.push_fault(json!({"kind": "delay", "ms": 200, "path": GET_TOKEN})).unwrap();
    let blocking = akool_with_client_credentials(&mock);
    let akool = blocking.as_async().clone();
    let threads: Vec<_> = (0..16)
        .map(|_| {
            let blocking = blocking.clone();
            std::thread::spawn(move || blocking.request(Method::Get, QUOTA, None))
        })
        .collect();
    let results = runtime().block_on(async {
        let calls = (0..48).map(|_| akool.request(Method::Get, QUOTA, None));
        futures_util::future::join_all(calls).await
    });
    for result in results.into_iter().chain(threads.into_iter().map(|t| t.join().unwrap())) {
        assert_eq!(result.unwrap()["auth"], "bearer");
    }
    assert_eq!(mock.counts()[&format!("POST {GET_TOKEN}")], 1);
    assert_eq!(mock.counts()[&format!("GET {QUOTA}")], 64);
}

#[test]
fn a_cancelled_call_is_aborted_and_leaves_the_client_working() {
    let mock = mock();
    let akool = akool_with_key(&mock).as_async().clone();
    mock.push_fault(json!({"kind": "delay", "ms": 3000, "path": QUOTA})).unwrap();
    let runtime = runtime();
    let started = Instant::now();
    let cancelled = runtime.block_on(async {
        tokio::time::timeout(Duration::from_millis(100), akool.request(Method::Get, QUOTA, None)).await
    });
    assert!(cancelled.is_err(), "the timeout fired first");
    assert!(started.elapsed() < Duration::from_secs(2), "dropping the future did not wait for the answer");
    let data = runtime.block_on(akool.request(Method::Get, QUOTA, None)).unwrap();
    assert_eq!(data["auth"], "x-api-key");
    assert_eq!(mock.counts()[&format!("GET {QUOTA}")], 2, "the cancelled call was not retried");
}

#[test]
fn a_cancelled_token_waiter_leaves_the_fetch_to_the_others() {
    let mock = mock();
    mock.push_fault(json!({"kind": "delay", "ms": 300, "path": GET_TOKEN})).unwrap();
    let akool = akool_with_client_credentials(&mock).as_async().clone();
    let runtime = runtime();
    let gave_up = runtime.block_on(async { tokio::time::timeout(Duration::from_millis(50), akool.token()).await });
    assert!(gave_up.is_err());
    let token = runtime.block_on(akool.token()).unwrap();
    assert!(token.expose().starts_with("mock-token-"));
    assert_eq!(mock.counts()[&format!("POST {GET_TOKEN}")], 1, "the first fetch went on and served the second call");
}

#[test]
fn an_expired_token_is_renewed_once_for_async_calls_too() {
    let mock = mock();
    let akool = akool_with_client_credentials(&mock).as_async().clone();
    let runtime = runtime();
    let first = runtime.block_on(akool.token()).unwrap();
    mock.expire_tokens();
    let calls = (0..8).map(|_| akool.request(Method::Get, QUOTA, None));
    for result in runtime.block_on(futures_util::future::join_all(calls)) {
        assert_eq!(result.unwrap()["auth"], "bearer");
    }
    assert_ne!(runtime.block_on(akool.token()).unwrap(), first);
    assert_eq!(mock.counts()[&format!("POST {GET_TOKEN}")], 2, "a burst of 1101s caused one refetch");
}

#[test]
fn bad_input_fails_the_future_before_any_request() {
    let mock = mock();
    let platform = platform(&mock).as_async().clone();
    let err = runtime().block_on(platform.create_credential(&NewCredential::new("not-a-uuid"))).unwrap_err();
    assert_eq!((err.kind(), err.field()), (ErrorKind::InvalidInput, Some("application_id")));
    assert!(mock.counts().is_empty());
}

#[tokio::test(flavor = "current_thread")]
async fn the_blocking_face_works_inside_another_runtime() {
    let mock = mock();
    let platform = platform(&mock);
    let created = platform.create_credential(&NewCredential::new(DEMO_APPLICATION_ID)).unwrap();
    assert_eq!(platform.get_credential(&created.id).unwrap().id, created.id);
    // And the async face on this (current-thread) runtime, while the I/O runs on the core's.
    assert_eq!(platform.as_async().get_credential(&created.id).await.unwrap().id, created.id);
}

//! Connections that the server ends between calls: closed after sitting idle (as balancers and nginx do), closed
//! after an answer without saying so, reset, or all closed by a restart on the same port. No call may fail for it,
//! not even a create with retries off, from the blocking face or the async one on any runtime; and a create is
//! never made twice. The transport's own resend (an idempotent request whose connection closed before the
//! answer) is counted here too.
//!
//! CI runs short pauses; `TOKENSMITH_FAULT_IDLE_MS` and `TOKENSMITH_FAULT_ROUNDS` make the long run of
//! `scripts/test-reliability --long` (1 s, 100 calls per face).

mod common;

use std::time::Duration;

use common::*;
use tokensmith::{AkoolCredentials, ClientOptions, ErrorKind, Method, NewCredential, RetryPolicy, Secret};
use tokensmith_mock::{MockServer, DEMO_APPLICATION_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PLATFORM_TOKEN};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// How long the mock keeps an idle connection, and how long the test pauses between calls (twice that).
fn idle_close() -> Duration {
    Duration::from_millis(setting("TOKENSMITH_FAULT_IDLE_MS", 50))
}

fn rounds() -> u64 {
    setting("TOKENSMITH_FAULT_ROUNDS", 5)
}

/// No retries at all: only the transport's own guarantees may save a call.
fn no_retries(mock: &MockServer) -> ClientOptions {
    ClientOptions::default().with_base_url(mock.base_url()).with_retry(RetryPolicy::none())
}

fn method_two() -> AkoolCredentials {
    AkoolCredentials::ClientCredentials {
        client_id: DEMO_CLIENT_ID.into(),
        client_secret: Secret::new(DEMO_CLIENT_SECRET),
    }
}

#[test]
fn blocking_calls_survive_idle_closes_and_restarts_without_retries() {
    let mock = mock();
    let platform = tokensmith::blocking::AceDataPlatform::new(DEMO_PLATFORM_TOKEN, no_retries(&mock)).unwrap();
    let akool = tokensmith::blocking::AkoolClient::new(method_two(), no_retries(&mock)).unwrap();
    mock.set_idle_close(Some(idle_close()));
    for round in 0..rounds() {
        platform.create_credential(&NewCredential::new(DEMO_APPLICATION_ID)).expect("a create after an idle close");
        akool.request(Method::Get, QUOTA, None).expect("a request after an idle close");
        std::thread::sleep(idle_close() * 2);
        if round % 2 == 1 {
            mock.restart().unwrap();
        }
    }
    assert_eq!(mock.credential_count(), rounds() as usize, "each create made once");
    assert!(mock.connections() >= rounds(), "the mock closed the idle connections ({})", mock.connections());
}

#[test]
fn async_calls_survive_idle_closes_and_restarts_on_every_runtime() {
    let mock = mock();
    let platform = tokensmith::AceDataPlatform::new(DEMO_PLATFORM_TOKEN, no_retries(&mock)).unwrap();
    let akool = tokensmith::AkoolClient::new(method_two(), no_retries(&mock)).unwrap();
    mock.set_idle_close(Some(idle_close()));
    let multi = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let current = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let calls = |platform: tokensmith::AceDataPlatform, akool: tokensmith::AkoolClient| async move {
        platform.create_credential(&NewCredential::new(DEMO_APPLICATION_ID)).await.map(|_| ())?;
        akool.request(Method::Get, QUOTA, None).await.map(|_| ())
    };
    for round in 0..rounds() {
        // A task of the caller's multi-thread runtime runs inline on that runtime's pool; a current-thread
        // runtime's call runs on the core's runtime.
        multi.block_on(multi.spawn(calls(platform.clone(), akool.clone()))).unwrap().expect("on the caller's runtime");
        current.block_on(calls(platform.clone(), akool.clone())).expect("on the core's runtime");
        std::thread::sleep(idle_close() * 2);
        if round % 2 == 1 {
            mock.restart().unwrap();
        }
    }
    assert_eq!(mock.credential_count(), 2 * rounds() as usize, "each create made once");
}

#[test]
fn a_connection_closed_after_its_answer_without_saying_so_is_not_reused() {
    let mock = mock();
    let akool = tokensmith::blocking::AkoolClient::new(
        AkoolCredentials::ApiKey(Secret::new(tokensmith_mock::DEMO_API_KEY)),
        no_retries(&mock),
    )
    .unwrap();
    let platform = tokensmith::blocking::AceDataPlatform::new(DEMO_PLATFORM_TOKEN, no_retries(&mock)).unwrap();
    for _ in 0..rounds() {
        mock.push_fault(serde_json::json!({"kind": "close_after", "path": QUOTA})).unwrap();
        akool.request(Method::Get, QUOTA, None).unwrap();
        std::thread::sleep(Duration::from_millis(10));
        platform.create_credential(&NewCredential::new(DEMO_APPLICATION_ID)).expect("the next call, a create");
    }
    assert_eq!(mock.credential_count(), rounds() as usize);
}

#[test]
fn an_idempotent_request_whose_connection_is_reset_is_resent_once_and_a_create_is_not() {
    let mock = mock();
    let akool = tokensmith::blocking::AkoolClient::new(method_two(), no_retries(&mock)).unwrap();
    akool.token().unwrap();
    mock.push_fault(serde_json::json!({"kind": "reset", "path": QUOTA})).unwrap();
    akool.request(Method::Get, QUOTA, None).expect("resent once by the transport, with max_retries 0");
    assert_eq!(mock.count("GET", QUOTA), 2);

    // Twice in a row is not saved: one resend only, then the policy decides (no retries here).
    mock.push_fault(serde_json::json!({"kind": "reset", "path": QUOTA, "times": 2})).unwrap();
    let error = akool.request(Method::Get, QUOTA, None).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
    assert_eq!(mock.count("GET", QUOTA), 4);

    let platform = tokensmith::blocking::AceDataPlatform::new(DEMO_PLATFORM_TOKEN, no_retries(&mock)).unwrap();
    mock.push_fault(serde_json::json!({"kind": "reset", "path": CREDENTIALS, "method": "POST"})).unwrap();
    let error = platform.create_credential(&NewCredential::new(DEMO_APPLICATION_ID)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "a create that may have been read is not resent: {error}");
    assert_eq!(mock.count("POST", CREDENTIALS), 1);
}

/// Several threads in blocking calls share one runtime, and one of them drives it at a time. Here the one driving
/// is held up by a slow log sink (any user code on its thread would do) while a server closes an idle connection;
/// another thread's create must still see that close before it picks a connection, not write onto it.
#[test]
fn a_blocking_call_beside_a_held_up_one_sees_an_idle_close() {
    thread_local! {
        static HOLD_UP: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    // The sink holds up the thread that asked for it, once, inside its call (while it drives the runtime).
    tokensmith::logging::set_sink(
        Some(std::sync::Arc::new(|record: tokensmith::logging::LogRecord| {
            if record.message.contains("-> 200") && HOLD_UP.replace(false) {
                std::thread::sleep(Duration::from_millis(400));
            }
        })),
        tokensmith::logging::LevelFilter::Debug,
    );
    let (mock, other) = (common::mock(), common::mock());
    let platform = tokensmith::blocking::AceDataPlatform::new(DEMO_PLATFORM_TOKEN, no_retries(&mock)).unwrap();
    let elsewhere = tokensmith::blocking::AkoolClient::new(
        AkoolCredentials::ApiKey(Secret::new(tokensmith_mock::DEMO_API_KEY)),
        no_retries(&other),
    )
    .unwrap();
    platform.create_credential(&NewCredential::new(DEMO_APPLICATION_ID)).unwrap();
    // The create's connection idles; the mock will close it 100 ms from now, while the other thread is held up.
    mock.set_idle_close(Some(Duration::from_millis(100)));
    let held_up = std::thread::spawn(move || {
        HOLD_UP.set(true);
        elsewhere.request(Method::Get, QUOTA, None).map(|_| ())
    });
    std::thread::sleep(Duration::from_millis(200));
    platform.create_credential(&NewCredential::new(DEMO_APPLICATION_ID)).expect("a create after an idle close");
    held_up.join().unwrap().unwrap();
    assert_eq!(mock.credential_count(), 2, "each create made once");
    tokensmith::logging::set_sink(None, tokensmith::logging::LevelFilter::Off);
}

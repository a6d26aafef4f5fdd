//! A canary secret, used as every kind of secret and put through every kind of failure, must appear in no
//! error message, no `Debug` output and no log line (with logging at its most verbose).
//!
//! One test in its own binary, so the capturing logger sees exactly this test's lines.

mod common;

use std::net::TcpListener;
use std::sync::Mutex;
use std::time::Duration;

use common::*;
use serde_json::json;
use tokensmith::{
    blocking::{AceDataPlatform, AkoolClient},
    AkoolCredentials, ClientOptions, CredentialFilter, Method, NewCredential, Secret,
};
use tokensmith_mock::{MockServer, DEMO_APPLICATION_ID};

const CANARY: &str = "canary-7f3a9c41e2";

struct CaptureLogger(Mutex<Vec<String>>);

impl log::Log for CaptureLogger {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        self.0.lock().unwrap().push(format!("{} {}: {}", record.level(), record.target(), record.args()));
    }
    fn flush(&self) {}
}

static LOGGER: CaptureLogger = CaptureLogger(Mutex::new(Vec::new()));

fn canary_clients(base: &str) -> (AkoolClient, AkoolClient, AceDataPlatform) {
    let options = ClientOptions::default()
        .with_base_url(base)
        .with_retry(fast_retry())
        .with_request_timeout(Duration::from_millis(300));
    let by_key = AkoolClient::new(AkoolCredentials::ApiKey(Secret::new(CANARY)), options.clone()).unwrap();
    let by_secret = AkoolClient::new(
        AkoolCredentials::ClientCredentials { client_id: "mock-client-id".into(), client_secret: Secret::new(CANARY) },
        options.clone(),
    )
    .unwrap();
    let platform = AceDataPlatform::new(CANARY, options).unwrap();
    (by_key, by_secret, platform)
}

/// Every observable string form of a result.
fn seen<T: std::fmt::Debug>(out: &mut Vec<String>, result: tokensmith::Result<T>) {
    match result {
        Ok(value) => out.push(format!("{value:?}")),
        Err(error) => {
            out.push(error.to_string());
            out.push(format!("{error:?}"));
        }
    }
}

fn provoke_everything(mock: &MockServer, out: &mut Vec<String>) {
    let (by_key, by_secret, platform) = canary_clients(mock.base_url());
    out.extend([format!("{by_key:?}"), format!("{by_secret:?}"), format!("{platform:?}")]);
    out.push(format!("{:?}", by_key.auth_headers()));
    out.push(format!("{:?}", by_key.credentials()));
    let get = |client: &AkoolClient| client.request(Method::Get, QUOTA, None);
    let faults = [
        json!({"kind": "echo_auth"}),
        json!({"kind": "status", "status": 503, "times": 3}),
        json!({"kind": "status", "status": 429, "retry_after": "3600"}),
        json!({"kind": "malformed"}),
        json!({"kind": "oversized"}),
        json!({"kind": "delay", "ms": 1000, "times": 3}),
        json!({"kind": "redirect", "target": "other"}),
        json!({"kind": "akool_code", "code": 1200}),
    ];
    for fault in &faults {
        mock.push_fault(fault.clone()).unwrap();
        seen(out, get(&by_key));
        mock.push_fault(fault.clone()).unwrap();
        seen(out, by_secret.token());
        mock.push_fault(fault.clone()).unwrap();
        seen(out, platform.list_credentials(&CredentialFilter::default()));
        mock.push_fault(fault.clone()).unwrap();
        seen(out, platform.create_credential(&NewCredential::new(DEMO_APPLICATION_ID)));
    }
    // Refusals without faults: the mock does not know the canary.
    seen(out, get(&by_key));
    seen(out, get(&by_secret));
    seen(out, platform.get_credential(DEMO_APPLICATION_ID));
    // A port nobody listens on.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (by_key, _, platform) = canary_clients(&format!("http://127.0.0.1:{port}"));
    seen(out, get(&by_key));
    seen(out, platform.create_credential(&NewCredential::new(DEMO_APPLICATION_ID)));
    // Bad input next to a secret.
    seen(
        out,
        AkoolClient::new(
            AkoolCredentials::ApiKey(Secret::new(CANARY)),
            ClientOptions::default().with_base_url("http://example.com"),
        ),
    );
}

#[test]
fn the_canary_appears_in_no_message_debug_output_or_log_line() {
    log::set_logger(&LOGGER).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    let mock = mock();
    let mut out = Vec::new();
    provoke_everything(&mock, &mut out);

    assert!(out.len() > 60, "too little was provoked: {}", out.len());
    for text in &out {
        assert!(!text.contains(CANARY), "secret leaked: {text}");
    }
    assert!(out.iter().any(|t| t.contains(tokensmith::REDACTED)), "the echoed secret was not scrubbed");
    let logs = LOGGER.0.lock().unwrap();
    assert!(logs.iter().any(|l| l.contains("retrying")), "logging was not captured: {logs:?}");
    for line in logs.iter() {
        assert!(!line.contains(CANARY), "secret in a log line: {line}");
    }
}

#[test]
fn a_created_credential_never_prints_its_token_or_password() {
    let mock = mock();
    let platform = platform(&mock);
    for app in [DEMO_APPLICATION_ID, tokensmith_mock::DEMO_PROXY_APPLICATION_ID] {
        let created = platform.create_credential(&NewCredential::new(app)).unwrap();
        let printed = format!("{created:?} {created:#?}");
        for secret in [&created.token, &created.password].into_iter().flatten() {
            assert!(!printed.contains(secret.expose()), "{printed}");
        }
        assert!(printed.contains("Secret(** redacted **)"));
    }
}

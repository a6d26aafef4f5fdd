//! The process's telemetry hook (`tokensmith::telemetry::set_hook`), which the Kotlin, Swift and PHP bindings
//! (and Rust programs) trace through: started on the caller's thread with its propagation headers sent, finished
//! with the call's report, finished as `Cancelled` when the call's future is dropped, and left out of a call that
//! carries its own trace. Its own test binary: the hook is one per process.

mod common;

use std::sync::{Arc, Mutex};
use std::thread::ThreadId;
use std::time::Duration;

use common::*;
use serde_json::json;
use tokensmith::telemetry::{operations, set_hook, CallReport, CallTrace, Hook, HookStart};
use tokensmith::{CallOptions, Method};

#[derive(Default)]
struct Recording {
    started: Mutex<Vec<(&'static str, ThreadId)>>,
    finished: Mutex<Vec<(u64, CallReport)>>,
}

impl Hook for Recording {
    fn start(&self, operation: &'static str) -> Option<HookStart> {
        let mut started = self.started.lock().unwrap();
        started.push((operation, std::thread::current().id()));
        let handle = started.len() as u64;
        let traceparent = format!("00-{:032x}-{handle:016x}-01", 7);
        Some(HookStart { handle, propagation: vec![("traceparent".into(), traceparent)], unsent: false })
    }

    fn finish(&self, handle: u64, report: CallReport) {
        self.finished.lock().unwrap().push((handle, report));
    }
}

#[test]
fn the_hook_traces_blocking_and_async_calls_and_finishes_a_cancelled_one() {
    let hook = Arc::new(Recording::default());
    let _ = set_hook(Some(hook.clone()));
    let mock = mock();

    // A blocking call: started on this thread, its attempts send the hook's traceparent.
    mock.push_fault(json!({"kind": "status", "status": 503, "path": QUOTA, "times": 1, "retry_after": "0"})).unwrap();
    akool_with_key(&mock).request(Method::Get, QUOTA, None).unwrap();
    assert_eq!(hook.started.lock().unwrap()[0], (operations::AKOOL_REQUEST, std::thread::current().id()));
    let (handle, report) = hook.finished.lock().unwrap()[0].clone();
    assert_eq!((handle, report.operation, report.attempts.len()), (1, "akool.request", 2));
    let sent: Vec<_> = mock.requests(false).into_iter().map(|r| r["traceparent"].clone()).collect();
    assert_eq!(sent, vec![json!(format!("00-{:032x}-{:016x}-01", 7, 1)); 2]);

    // An AceData failure, async: the report carries the outcome.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let platform = platform(&mock).as_async().clone();
    runtime.block_on(platform.get_credential("not-a-uuid")).unwrap_err();
    let (_, report) = hook.finished.lock().unwrap().last().cloned().unwrap();
    assert_eq!((report.operation, report.error_type), ("acedata.get_credential", Some("InvalidInput")));

    // A call whose future is dropped before it ends is finished then, as cancelled.
    mock.push_fault(json!({"kind": "delay", "ms": 2000, "path": QUOTA})).unwrap();
    let client = akool_with_key(&mock).as_async().clone();
    let timed_out = runtime.block_on(async {
        tokio::time::timeout(Duration::from_millis(100), client.request(Method::Get, QUOTA, None)).await
    });
    assert!(timed_out.is_err());
    let (_, report) = hook.finished.lock().unwrap().last().cloned().unwrap();
    assert_eq!((report.operation, report.error_type), ("akool.request", Some("Cancelled")));

    // A call that carries its own trace (as the Python and Node layers do) is left to it.
    let before = hook.started.lock().unwrap().len();
    let trace = CallTrace::new(operations::AKOOL_REQUEST, Vec::new());
    let traced = akool_with_key(&mock).with_call_options(CallOptions::new().with_trace(trace.clone())).unwrap();
    mock.reset();
    traced.request(Method::Get, QUOTA, None).unwrap();
    assert_eq!(hook.started.lock().unwrap().len(), before);
    assert_eq!(trace.report().attempts.len(), 1);

    // A client whose telemetry setting is off is not offered to the hook, and sends no context.
    let off = tokensmith::blocking::AkoolClient::new(
        tokensmith::AkoolCredentials::ApiKey(tokensmith_mock::DEMO_API_KEY.into()),
        options(&mock).with_telemetry(tokensmith::telemetry::TelemetryMode::Off),
    )
    .unwrap();
    off.request(Method::Get, QUOTA, None).unwrap();
    assert_eq!(hook.started.lock().unwrap().len(), before);
    assert_eq!(mock.requests(false).last().unwrap()["traceparent"], serde_json::Value::Null);

    // No hook, nothing traced.
    let _ = set_hook(None);
    akool_with_key(&mock).request(Method::Get, QUOTA, None).unwrap();
    assert_eq!(hook.started.lock().unwrap().len(), before);
    assert_eq!(mock.requests(false).last().unwrap()["traceparent"], serde_json::Value::Null);
}

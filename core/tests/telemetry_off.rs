//! `TOKENSMITH_TELEMETRY=off` turns telemetry off for the process: the hook is never asked, and no call sends a
//! trace context. Its own test binary, one test: the variable is read once per process.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::*;
use tokensmith::telemetry::{set_hook, CallReport, Hook, HookStart};
use tokensmith::Method;

/// A hook that would trace every call it is offered, counting them.
#[derive(Default)]
struct Counting(AtomicUsize);

impl Hook for Counting {
    fn start(&self, _: &'static str) -> Option<HookStart> {
        let handle = self.0.fetch_add(1, Ordering::SeqCst) as u64 + 1;
        let traceparent = format!("00-{:032x}-{handle:016x}-01", 7);
        Some(HookStart { handle, propagation: vec![("traceparent".into(), traceparent)], unsent: false })
    }

    fn finish(&self, _: u64, _: CallReport) {}
}

#[test]
fn the_environment_turns_telemetry_off() {
    // SAFETY: the only test of this binary, before any thread of ours reads the environment.
    unsafe { std::env::set_var("TOKENSMITH_TELEMETRY", "Off") };
    let hook = Arc::new(Counting::default());
    let _ = set_hook(Some(hook.clone()));
    let mock = mock();

    akool_with_key(&mock).request(Method::Get, QUOTA, None).unwrap();
    akool_with_client_credentials(&mock).request(Method::Get, QUOTA, None).unwrap();

    assert!(!tokensmith::telemetry::enabled());
    assert_eq!(hook.0.load(Ordering::SeqCst), 0, "the hook was asked");
    let seen = mock.requests(false);
    assert_eq!(seen.len(), 3, "{seen:#?}");
    assert!(seen.iter().all(|r| r["traceparent"].is_null()), "a context was sent: {seen:#?}");
}

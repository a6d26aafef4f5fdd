//! The core's telemetry hook for PHP (`Tokensmith\set_telemetry_hook($hook)`): OpenTelemetry's PHP packages
//! cannot be installed where this extension is built, so a PHP program bridges the hook to `open-telemetry/api`
//! (docs/observability.md shows the few lines). The hook is a PHP object of the current request, called on the PHP
//! thread: `start(string $operation): ?array` when a call starts (return `['handle' => int, 'propagation' =>
//! array<string, string>]`, with `'unsent' => true` to keep the context for the token fetch's span and the logs
//! but send it to no vendor, or null to leave the call untraced) and `finish(int $handle, array $report): void` when
//! it ended (the report as `CallReport::to_json` writes it). It is forgotten when the request ends. What it throws
//! is dropped: telemetry never fails a call. Like the logger, it assumes PHP's usual non-thread-safe build.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use ext_php_rs::prelude::*;
use ext_php_rs::types::Zval;
use ext_php_rs::zend::ExecutorGlobals;
use tokensmith::telemetry::{self, CallReport, HookStart};

use crate::errors::invalid;
use crate::json;

thread_local! {
    static HOOK: RefCell<Option<Zval>> = const { RefCell::new(None) };
}

/// Sets the hook for the rest of this request, or removes it with null.
pub(crate) fn set_hook(hook: Option<&Zval>) -> PhpResult<()> {
    let hook = hook.filter(|h| !h.is_null());
    if let Some(hook) = hook {
        if !hook.is_object() {
            return Err(invalid("hook", "must be an object with start and finish methods"));
        }
    }
    HOOK.with(|cell| *cell.borrow_mut() = hook.map(Zval::shallow_clone));
    if hook.is_some() {
        // The core's hook is the process's, and stays: each thread's (each request's) PHP hook decides, so one
        // thread's request ending never stops another's tracing (ZTS builds).
        static INSTALLED: std::sync::Once = std::sync::Once::new();
        INSTALLED.call_once(|| drop(telemetry::set_hook(Some(Arc::new(PhpHook)))));
    }
    Ok(())
}

/// At the end of each request: the hook object dies with the request.
pub(crate) fn request_shutdown() {
    HOOK.with(|cell| cell.borrow_mut().take());
}

/// This thread's hook, cloned out of its cell: calling into PHP with the cell borrowed would panic when the hook
/// sets a hook itself.
fn current() -> Option<Zval> {
    HOOK.with(|cell| cell.borrow().as_ref().map(Zval::shallow_clone))
}

/// The core's side of the PHP hook: reaches the object of the current request, on the PHP thread.
struct PhpHook;

impl telemetry::Hook for PhpHook {
    fn start(&self, operation: &'static str) -> Option<HookStart> {
        let hook = current()?;
        let started = hook.try_call_method("start", vec![&operation]);
        drop(ExecutorGlobals::take_exception());
        let started = started.ok()?;
        let array = started.array()?;
        let handle = array.get("handle")?.long()?;
        let propagation: HashMap<String, String> = array
            .get("propagation")
            .and_then(Zval::array)
            .map(|headers| headers.iter().filter_map(|(key, value)| Some((key.to_string(), value.string()?))).collect())
            .unwrap_or_default();
        let unsent = array.get("unsent").and_then(Zval::bool).unwrap_or(false);
        Some(HookStart { handle: handle as u64, propagation: propagation.into_iter().collect(), unsent })
    }

    fn finish(&self, handle: u64, report: CallReport) {
        let Some(hook) = current() else { return };
        let Ok(report) = json::decode(&report.to_json().to_string()) else { return };
        let _ = hook.try_call_method("finish", vec![&(handle as i64), &report]);
        drop(ExecutorGlobals::take_exception());
    }
}

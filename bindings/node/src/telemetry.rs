//! Telemetry for the JavaScript layer (`node/telemetry.js`, which speaks to `@opentelemetry/api`). A call's
//! `CallTrace` is kept here under a number, which the layer puts in the call's options (`traceId`) and with which
//! it takes the report (JSON) when the call settled; a shared token fetch is kept under its own number for the
//! layer to claim, publish or wait for (a Node process may trace from several worker threads at once).

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{LazyLock, Mutex, PoisonError};

use napi_derive::napi;
use tokensmith::telemetry::{self, operations, CallTrace, TokenFetch};

use crate::errors::{to_js, Result};

/// The token fetches the layer may still claim or wait for: a few are plenty (one a year, or one per failed
/// attempt while getToken fails), so the oldest go first.
const FETCHES_KEPT: usize = 64;

static TRACES: LazyLock<Mutex<HashMap<i64, CallTrace>>> = LazyLock::new(Mutex::default);
static FETCHES: LazyLock<Mutex<VecDeque<TokenFetch>>> = LazyLock::new(Mutex::default);
static NEXT: AtomicI64 = AtomicI64::new(1);

/// Starts the telemetry of a call of `operation` whose operation span's context is `propagation`, which its
/// attempts send unless `sent` is false (`enable({ propagate: false })`); its number goes in the call's options
/// (`traceId`), and `finishTrace` must follow.
#[napi]
pub fn start_trace(operation: String, propagation: HashMap<String, String>, sent: bool) -> Result<i64> {
    let operation = operations::named(&operation)
        .ok_or_else(|| to_js(tokensmith::Error::invalid("operation", format!("no operation called {operation:?}"))))?;
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    let propagation = propagation.into_iter().collect();
    let trace = if sent { CallTrace::new(operation, propagation) } else { CallTrace::unsent(operation, propagation) };
    TRACES.lock().unwrap_or_else(PoisonError::into_inner).insert(id, trace);
    Ok(id)
}

/// The report of trace `id` as JSON (`CallReport::to_json`), once its call settled; the trace is forgotten.
#[napi]
pub fn finish_trace(id: i64) -> Option<String> {
    let trace = TRACES.lock().unwrap_or_else(PoisonError::into_inner).remove(&id)?;
    let report = trace.report();
    if let Some(fetch) = &report.token_fetch {
        let mut fetches = FETCHES.lock().unwrap_or_else(PoisonError::into_inner);
        if !fetches.iter().any(|kept| kept.id() == fetch.fetch.id()) {
            if fetches.len() == FETCHES_KEPT {
                fetches.pop_front();
            }
            fetches.push_back(fetch.fetch.clone());
        }
    }
    Some(report.to_json().to_string())
}

/// The trace of number `id`, for a call's options.
pub(crate) fn trace(id: i64) -> Option<CallTrace> {
    TRACES.lock().unwrap_or_else(PoisonError::into_inner).get(&id).cloned()
}

fn fetch(id: i64) -> Option<TokenFetch> {
    let fetches = FETCHES.lock().unwrap_or_else(PoisonError::into_inner);
    fetches.iter().find(|fetch| i64::try_from(fetch.id()) == Ok(id)).cloned()
}

/// The leader's propagation headers if this call is the first to report token fetch `id` (it then makes the
/// fetch's span and publishes it), else null.
#[napi]
pub fn token_fetch_claim(id: i64) -> Option<HashMap<String, String>> {
    fetch(id)?.claim().map(|headers| headers.into_iter().collect())
}

/// The context of the span made for token fetch `id`, as propagation headers, for the other calls to link to.
#[napi]
pub fn token_fetch_publish(id: i64, headers: HashMap<String, String>) {
    if let Some(fetch) = fetch(id) {
        fetch.publish(headers.into_iter().collect());
    }
}

/// The claimant of token fetch `id` could not make its span.
#[napi]
pub fn token_fetch_abandon(id: i64) {
    if let Some(fetch) = fetch(id) {
        fetch.abandon();
    }
}

/// The published context of token fetch `id`, waiting a moment at most (a claimant on another worker thread
/// makes it at once; on the same thread, it was made before this runs), or null.
#[napi]
pub fn token_fetch_wait(id: i64) -> Option<HashMap<String, String>> {
    let headers = fetch(id)?.wait()?;
    Some(headers.into_iter().collect())
}

/// Whether `TOKENSMITH_TELEMETRY` leaves telemetry on.
#[napi]
pub fn telemetry_enabled() -> bool {
    telemetry::enabled()
}

/// The names of the operations a call can trace (`akool.request`, ...).
#[napi]
pub fn telemetry_operations() -> Vec<String> {
    operations::ALL.iter().map(|name| (*name).to_owned()).collect()
}

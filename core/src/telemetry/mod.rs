//! Telemetry: what each call did (its HTTP attempts, retries, token fetch, outcome), recorded by the core for
//! each language to report through its own OpenTelemetry API, or through a hook where no such API can be
//! installed (PHP, Swift). `docs/observability.md` shows the spans, their attributes and the metrics.
//!
//! **Who does what.** The language starts the operation span on the caller's thread, in the caller's context
//! (`contextvars`, `Context.current()`, `AsyncLocalStorage`), so its SDK assigns the span id there. It writes
//! that span's context into propagation headers with its global propagator (W3C `traceparent` and
//! `tracestate`) and passes them with a [`CallTrace`] in the call's options. The core sends those headers on
//! every attempt of the call (and on the `getToken` request when this call starts the fetch) and records each
//! attempt. When the call returns, the language asks for the [`CallReport`] and makes the attempt spans, children
//! of the operation span, with their recorded times; then it ends the operation span. Calling into the language
//! for every attempt would cost a hop per attempt and, in Python, the GIL on the core's threads; this costs
//! neither.
//!
//! **What a server sees.** Every attempt of a call, retries included, sends the same `traceparent`: the operation
//! span's. A server's span is therefore a child of the operation, a sibling of the attempt spans, which carry
//! `http.request.resend_count` from the second on.
//!
//! **The token fetch** is shared by single flight: its span is a child of the operation that started it, and the
//! other calls link to it ([`TokenFetch`]).
//!
//! **Off** costs nothing: no [`CallTrace`] is made and nothing is recorded. It is off when the language has no
//! OpenTelemetry API, when the application configured no SDK, when a client's option says so, or when the
//! environment variable `TOKENSMITH_TELEMETRY` is `off` ([`enabled`]).

mod attempt;
mod call_trace;
mod flight;
mod hook;
mod hook_slot;
mod mode;
#[cfg(feature = "opentelemetry")]
mod opentelemetry;
pub mod operations;
mod outcome;
mod recorder;
mod report;
mod report_serde;
mod token_use;

use std::sync::OnceLock;

pub(crate) use attempt::{AttemptRecord, RetryReason};
pub use call_trace::CallTrace;
pub(crate) use flight::FlightTrace;
pub use flight::TokenFetch;
pub use hook::{Hook, HookStart};
pub use hook_slot::set_hook;
pub(crate) use hook_slot::{start as hook_start, Hooked};
pub use mode::TelemetryMode;
pub(crate) use recorder::{observe, Recorder};
pub use report::{
    instruments, keys, AttributeValue, Attributes, CallReport, InstrumentKind, Measurement, SpanData, SpanKind,
    SpanParent, TokenFetchReport,
};
pub(crate) use token_use::TokenUse;

/// Whether telemetry may be on in this process: `false` when `TOKENSMITH_TELEMETRY` is `off` (or `0`, `false`,
/// `none`), read once.
pub fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| {
        crate::env::process_env(crate::env::TOKENSMITH_TELEMETRY)
            .is_none_or(|value| !matches!(value.trim().to_ascii_lowercase().as_str(), "off" | "0" | "false" | "none"))
    })
}

//! [`Hook`]: how the languages without an OpenTelemetry layer over the core (Kotlin and Java, Swift, PHP) trace
//! calls, and how a Rust program can: one hook for the process, which the core calls at the start of each call,
//! on the caller's thread (a blocking call's, or the task's that creates the call's future), and at its end.
//!
//! `start` returns the propagation headers of the operation span the hook started (or `None` to leave the call
//! untraced); `finish` gets the call's [`CallReport`], with the `handle` that `start` gave, to make the attempt and
//! token fetch spans under it and end it. A call whose future is dropped before it ends is finished then, as
//! `Cancelled`. A call that already carries a [`CallTrace`] (the Python and Node layers make their own) is left
//! to it. With no hook set, a call pays one atomic load.

use super::report::CallReport;

/// What a hook's `start` returns for a call it traces.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HookStart {
    /// The hook's own number for the call (its operation span), given back to `finish`.
    pub handle: u64,
    /// The operation span's propagation headers (`traceparent`, `tracestate`), sent on every attempt.
    pub propagation: Vec<(String, String)>,
    /// Keep `propagation` for the token fetch's parent and the log records, but send it to no vendor (the hook's
    /// own "do not propagate" setting).
    pub unsent: bool,
}

/// The process's telemetry hook (see the module's documentation).
pub trait Hook: Send + Sync {
    /// A call of `operation` starts: the hook starts its operation span, in the caller's context.
    fn start(&self, operation: &'static str) -> Option<HookStart>;
    /// The call of `handle` ended: report what it did, then end its operation span.
    fn finish(&self, handle: u64, report: CallReport);
}

//! The process's one [`Hook`] (see `hook.rs`): where it is kept, how a call starts under it, and how a call it
//! traces ends ([`Hooked`]).

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use super::call_trace::CallTrace;
use super::hook::Hook;

static SET: AtomicBool = AtomicBool::new(false);
static HOOK: RwLock<Option<Arc<dyn Hook>>> = RwLock::new(None);

/// Sets (or, with `None`, removes) the process's telemetry hook; returns the one it replaces, for the caller to
/// drop (outside any lock of ours, as a foreign hook's release may call back).
pub fn set_hook(hook: Option<Arc<dyn Hook>>) -> Option<Arc<dyn Hook>> {
    // The application chose: the `opentelemetry` feature's bridge is not installed over its choice, `None` included.
    #[cfg(feature = "opentelemetry")]
    FEATURE_INSTALL.call_once(|| ());
    let mut slot = HOOK.write().unwrap_or_else(PoisonError::into_inner);
    SET.store(hook.is_some(), Ordering::Release);
    std::mem::replace(&mut *slot, hook)
}

/// With the `opentelemetry` feature, the first call installs the crate's bridge unless a hook is set (once: a hook
/// the application removes afterwards stays removed). Whether a hook is set now.
#[cfg(feature = "opentelemetry")]
static FEATURE_INSTALL: std::sync::Once = std::sync::Once::new();

#[cfg(feature = "opentelemetry")]
fn installed_by_feature() -> bool {
    FEATURE_INSTALL.call_once(|| {
        let mut slot = HOOK.write().unwrap_or_else(PoisonError::into_inner);
        if slot.is_none() {
            *slot = Some(super::opentelemetry::bridge());
            SET.store(true, Ordering::Release);
        }
    });
    SET.load(Ordering::Acquire)
}

#[cfg(not(feature = "opentelemetry"))]
fn installed_by_feature() -> bool {
    false
}

/// A call the hook traces: finished when it ends, or when its future is dropped before.
pub(crate) struct Hooked {
    hook: Arc<dyn Hook>,
    handle: u64,
    trace: CallTrace,
    finished: bool,
}

impl Hooked {
    /// The call ended (its outcome is in the trace already).
    pub(crate) fn finish(mut self) {
        self.finished = true;
        self.hook.finish(self.handle, self.trace.report());
    }
}

impl Drop for Hooked {
    fn drop(&mut self) {
        if !self.finished {
            self.trace.cancelled();
            self.hook.finish(self.handle, self.trace.report());
        }
    }
}

impl fmt::Debug for Hooked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooked").field("handle", &self.handle).field("trace", &self.trace).finish()
    }
}

/// The trace of a call of `operation` that starts now, if a hook is set, telemetry is on, and the call is not
/// traced already.
pub(crate) fn start(operation: &'static str, traced_already: bool) -> Option<(CallTrace, Hooked)> {
    if traced_already || !super::enabled() {
        return None;
    }
    if !SET.load(Ordering::Acquire) && !installed_by_feature() {
        return None;
    }
    let hook = HOOK.read().unwrap_or_else(PoisonError::into_inner).clone()?;
    let started = hook.start(operation)?;
    let trace = if started.unsent {
        CallTrace::unsent(operation, started.propagation)
    } else {
        CallTrace::new(operation, started.propagation)
    };
    Some((trace.clone(), Hooked { hook, handle: started.handle, trace, finished: false }))
}

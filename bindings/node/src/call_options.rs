//! `CallOptions`: settings for one call, as a JavaScript object handed to the core unchecked.

use std::collections::HashMap;

use napi_derive::napi;
use tokensmith::overrides::{call_view, CallOverrides};
use tokensmith::WithCallOptions;

use crate::errors::{js, Result};

/// A timeout, extra headers and retries for one call; a missing field keeps the client's setting.
#[napi(object)]
#[derive(Clone, Default)]
pub struct CallOptions {
    /// This call's timeout per attempt, in milliseconds (> 0).
    pub timeout_ms: Option<i64>,
    /// Extra headers (auth headers cannot be overridden).
    pub headers: Option<HashMap<String, String>>,
    /// Retries after the first attempt for this call (>= 0).
    pub max_retries: Option<i64>,
    /// The number of this call's trace (`startTrace`), set by the package's telemetry layer.
    pub trace_id: Option<i64>,
}

/// As the core's `CallOverrides` prints it: header names only (their values may be the caller's tokens).
impl std::fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        CallOverrides::from(self.clone()).fmt(f)
    }
}

impl From<CallOptions> for CallOverrides {
    fn from(o: CallOptions) -> Self {
        let overrides = CallOverrides::new(o.timeout_ms, o.headers.unwrap_or_default(), o.max_retries);
        match o.trace_id.and_then(crate::telemetry::trace) {
            Some(trace) => overrides.with_trace(trace),
            None => overrides,
        }
    }
}

/// `client`, or its view with `options`.
pub(crate) fn view<C: WithCallOptions>(client: &C, options: Option<CallOptions>) -> Result<C> {
    js(call_view(client, options.map(Into::into)))
}

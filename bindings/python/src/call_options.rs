//! `CallOptions`, with the UniFFI record's name and fields: settings for one call over the client's.

use std::collections::HashMap;

use pyo3::prelude::*;
use tokensmith::overrides::{call_view, CallOverrides};
use tokensmith::WithCallOptions;

use crate::errors::to_py;
use crate::telemetry::CallTrace;

/// A timeout (ms), extra headers and retries for one call; numbers are checked by the core when used.
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Clone, Debug)]
pub(crate) struct CallOptions(CallOverrides);

#[pymethods]
impl CallOptions {
    #[new]
    #[pyo3(signature = (*, timeout_ms=None, headers=HashMap::new(), max_retries=None, trace=None))]
    fn new(
        timeout_ms: Option<i64>,
        headers: HashMap<String, String>,
        max_retries: Option<i64>,
        trace: Option<&CallTrace>,
    ) -> Self {
        let overrides = CallOverrides::new(timeout_ms, headers, max_retries);
        Self(match trace {
            Some(trace) => overrides.with_trace(trace.inner().clone()),
            None => overrides,
        })
    }

    /// The same options, the call traced into `trace` (the telemetry layer's way in).
    fn with_trace(&self, trace: &CallTrace) -> Self {
        Self(self.0.clone().with_trace(trace.inner().clone()))
    }
}

impl CallOptions {
    /// The trace these options carry, if the telemetry layer set one.
    pub(crate) fn trace(&self) -> Option<tokensmith::telemetry::CallTrace> {
        self.0.trace.clone()
    }
}

/// `client`, or its view with `options`.
pub(crate) fn view<C: WithCallOptions>(client: &C, options: Option<&CallOptions>) -> PyResult<C> {
    call_view(client, overrides(options)).map_err(to_py)
}

/// The core's per-call settings for optional options.
pub(crate) fn overrides(options: Option<&CallOptions>) -> Option<CallOverrides> {
    options.map(|o| o.0.clone())
}

//! Telemetry for the Python layer (`tokensmith/_telemetry.py`, which speaks to OpenTelemetry's API): a call's
//! `CallTrace`, and its report as plain Python values (dicts, lists, numbers).

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use tokensmith::telemetry::{self, operations, CallReport};

/// The telemetry of one call: made by the layer with the operation span's propagation headers, passed in the
/// call's `CallOptions`, read with `report()` once the call returned.
#[pyclass(module = "tokensmith._native", frozen)]
pub(crate) struct CallTrace(telemetry::CallTrace);

#[pymethods]
impl CallTrace {
    /// `sent=False` keeps `propagation` for the token fetch's parent and the log records, and sends it to no
    /// vendor (`telemetry.enable(propagate=False)`).
    #[new]
    #[pyo3(signature = (operation, propagation, sent = true))]
    fn new(operation: &str, propagation: Vec<(String, String)>, sent: bool) -> PyResult<Self> {
        let operation = operations::named(operation)
            .ok_or_else(|| PyValueError::new_err(format!("tokensmith has no operation called {operation:?}")))?;
        let trace = if sent {
            telemetry::CallTrace::new(operation, propagation)
        } else {
            telemetry::CallTrace::unsent(operation, propagation)
        };
        Ok(Self(trace))
    }

    /// What the call did: `operation`, `attributes`, `error_type`, `attempts` (spans), `measurements` and
    /// `token_fetch` (None, or the fetch's `fetch`, `id`, `leader`, `span`, `attempts` and `measurements`). Times
    /// are `[seconds, nanoseconds]` since the epoch.
    fn report<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        report(py, self.0.report())
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.0)
    }
}

impl CallTrace {
    pub(crate) fn inner(&self) -> &telemetry::CallTrace {
        &self.0
    }
}

/// A token fetch shared by single flight: which call reports its span, and the span's context for the others.
#[pyclass(module = "tokensmith._native", frozen)]
pub(crate) struct TokenFetch(telemetry::TokenFetch);

#[pymethods]
impl TokenFetch {
    #[getter]
    fn id(&self) -> u64 {
        self.0.id()
    }

    #[getter]
    fn is_leader(&self) -> bool {
        self.0.is_leader()
    }

    fn claim(&self) -> Option<Vec<(String, String)>> {
        self.0.claim()
    }

    fn publish(&self, headers: Vec<(String, String)>) {
        self.0.publish(headers);
    }

    fn abandon(&self) {
        self.0.abandon();
    }

    /// Waits without the GIL: the claimant needs it to make the span this waits for.
    fn wait(&self, py: Python<'_>) -> Option<Vec<(String, String)>> {
        py.detach(|| self.0.wait())
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.0)
    }
}

/// The names of the operations a call can trace (`akool.request`, ...).
#[pyfunction]
pub(crate) fn telemetry_operations() -> Vec<&'static str> {
    operations::ALL.to_vec()
}

/// Whether `TOKENSMITH_TELEMETRY` leaves telemetry on (read once by the core).
#[pyfunction]
pub(crate) fn telemetry_enabled() -> bool {
    telemetry::enabled()
}

/// The report as Python values (`CallReport`'s serde form: `report_serde.rs` in the core), the token fetch's
/// object added beside its id for the layer to claim, publish or wait for.
fn report(py: Python<'_>, report: CallReport) -> PyResult<Bound<'_, PyAny>> {
    let fetch = report.token_fetch.as_ref().map(|fetch| fetch.fetch.clone());
    let value = pythonize::pythonize(py, &report)?;
    if let Some(fetch) = fetch {
        value.get_item("token_fetch")?.set_item("fetch", Py::new(py, TokenFetch(fetch))?)?;
    }
    Ok(value)
}

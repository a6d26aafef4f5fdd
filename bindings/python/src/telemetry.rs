//! Telemetry for the Python layer (`tokensmith/_telemetry.py`, which speaks to OpenTelemetry's API): a call's
//! `CallTrace`, and its report as plain Python values (dicts, lists, numbers), converted here and nowhere else.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use tokensmith::telemetry::{
    self, operations, AttributeValue, Attributes, CallReport, InstrumentKind, Measurement, SpanData, SpanKind,
    SpanParent, TokenFetchReport,
};

/// The telemetry of one call: made by the layer with the operation span's propagation headers, passed in the
/// call's `CallOptions`, read with `report()` once the call returned.
#[pyclass(module = "tokensmith._native", frozen)]
pub(crate) struct CallTrace(telemetry::CallTrace);

#[pymethods]
impl CallTrace {
    #[new]
    fn new(operation: &str, propagation: Vec<(String, String)>) -> PyResult<Self> {
        let operation = operations::named(operation)
            .ok_or_else(|| PyValueError::new_err(format!("tokensmith has no operation called {operation:?}")))?;
        Ok(Self(telemetry::CallTrace::new(operation, propagation)))
    }

    /// What the call did: `operation`, `attributes`, `error_type`, `attempts` (spans), `measurements` and
    /// `token_fetch` (None, or the fetch's `fetch`, `span`, `attempts` and `measurements`). Times are nanoseconds
    /// since the epoch, as OpenTelemetry's Python API takes them.
    fn report<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
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
    fn wait(&self, py: Python<'_>, timeout_s: f64) -> Option<Vec<(String, String)>> {
        let timeout = Duration::try_from_secs_f64(timeout_s).unwrap_or(Duration::ZERO);
        py.detach(|| self.0.wait(timeout))
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

fn report(py: Python<'_>, report: CallReport) -> PyResult<Bound<'_, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("operation", report.operation)?;
    dict.set_item("attributes", attributes(py, &report.attributes)?)?;
    dict.set_item("error_type", report.error_type)?;
    dict.set_item("attempts", spans(py, &report.attempts)?)?;
    dict.set_item("measurements", measurements(py, &report.measurements)?)?;
    let fetch = report.token_fetch.map(|fetch| token_fetch(py, fetch)).transpose()?;
    dict.set_item("token_fetch", fetch)?;
    Ok(dict)
}

fn token_fetch(py: Python<'_>, report: TokenFetchReport) -> PyResult<Bound<'_, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("span", span(py, &report.span)?)?;
    dict.set_item("attempts", spans(py, &report.attempts)?)?;
    dict.set_item("measurements", measurements(py, &report.measurements)?)?;
    dict.set_item("fetch", Py::new(py, TokenFetch(report.fetch))?)?;
    Ok(dict)
}

fn spans<'py>(py: Python<'py>, spans: &[SpanData]) -> PyResult<Bound<'py, PyList>> {
    PyList::new(py, spans.iter().map(|s| span(py, s)).collect::<PyResult<Vec<_>>>()?)
}

fn span<'py>(py: Python<'py>, span: &SpanData) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("name", &span.name)?;
    dict.set_item("kind", if span.kind == SpanKind::Client { "client" } else { "internal" })?;
    dict.set_item("parent", if span.parent == SpanParent::Operation { "operation" } else { "token_fetch" })?;
    dict.set_item("start", nanos(span.start))?;
    dict.set_item("end", nanos(span.end))?;
    dict.set_item("attributes", attributes(py, &span.attributes)?)?;
    dict.set_item("error_type", &span.error_type)?;
    Ok(dict)
}

fn measurements<'py>(py: Python<'py>, measurements: &[Measurement]) -> PyResult<Bound<'py, PyList>> {
    let items = measurements
        .iter()
        .map(|m| {
            let dict = PyDict::new(py);
            dict.set_item("instrument", m.instrument)?;
            dict.set_item("kind", if m.kind == InstrumentKind::Histogram { "histogram" } else { "counter" })?;
            dict.set_item("unit", m.unit)?;
            dict.set_item("description", m.description)?;
            dict.set_item("value", m.value)?;
            dict.set_item("attributes", attributes(py, &m.attributes)?)?;
            dict.set_item("boundaries", m.boundaries.map(<[f64]>::to_vec))?;
            Ok(dict)
        })
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

fn attributes<'py>(py: Python<'py>, attributes: &Attributes) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (key, value) in attributes {
        match value {
            AttributeValue::Str(v) => dict.set_item(key, v)?,
            AttributeValue::Int(v) => dict.set_item(key, v)?,
            AttributeValue::Bool(v) => dict.set_item(key, v)?,
            AttributeValue::Double(v) => dict.set_item(key, v)?,
        }
    }
    Ok(dict)
}

/// Nanoseconds since the epoch (0 for a time before it, which no clock here gives).
fn nanos(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

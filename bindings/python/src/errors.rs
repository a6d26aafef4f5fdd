//! One exception class, `TokensmithError`, whose `details` attribute holds every field of the core's error; the
//! package's Python layer raises its class for `details.kind`. So the kinds are listed nowhere in this crate.

use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::{create_exception, PyTypeInfo};
use tokensmith::Error;

create_exception!(_native, TokensmithError, PyException, "Every failure of the core; `details` says which.");
create_exception!(_native, InternalError, PyException, "A failure inside the extension itself.");

/// Every field of an error, with the names of the UniFFI record of the same name.
#[pyclass(module = "tokensmith._native", get_all, frozen)]
#[derive(Debug)]
pub(crate) struct ErrorDetails {
    kind: &'static str,
    message: String,
    status: Option<u16>,
    akool_code: Option<i64>,
    vendor_code: Option<String>,
    field: Option<String>,
    retry_after_seconds: Option<f64>,
    webhook_reason: Option<&'static str>,
    trace_id: Option<String>,
}

impl From<tokensmith::ErrorDetails> for ErrorDetails {
    fn from(details: tokensmith::ErrorDetails) -> Self {
        Self {
            kind: details.kind.name(),
            message: details.message,
            status: details.status,
            akool_code: details.akool_code,
            vendor_code: details.vendor_code,
            field: details.field,
            retry_after_seconds: details.retry_after.map(|d| d.as_secs_f64()),
            webhook_reason: details.webhook_reason.map(|r| r.name()),
            trace_id: details.trace_id,
        }
    }
}

/// Adds the exception classes to the module.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    module.add("TokensmithError", TokensmithError::type_object(py))?;
    module.add("InternalError", InternalError::type_object(py))?;
    module.add_class::<ErrorDetails>()
}

/// The Python exception for a core error: `TokensmithError(message)` with its `details`.
pub(crate) fn to_py(error: Error) -> PyErr {
    Python::attach(|py| {
        let details = ErrorDetails::from(error.details());
        let build = || -> PyResult<PyErr> {
            let instance = TokensmithError::type_object(py).call1((details.message.clone(),))?;
            instance.setattr("details", Py::new(py, details)?)?;
            Ok(PyErr::from_value(instance))
        };
        build().unwrap_or_else(|failure| failure)
    })
}

/// Runs a core call with the GIL released (writing its log records into `logging` after) and converts its error.
pub(crate) fn detached<T: Send>(py: Python<'_>, call: impl Send + FnOnce() -> tokensmith::Result<T>) -> PyResult<T> {
    crate::logging::detach(py, call).map_err(to_py)
}

//! Exceptions shaped like the UniFFI module's: `TokensmithError` with one subclass per kind, named for the kind,
//! carrying `detail`, `status`, `akool_code`, `vendor_code`, `field` and `retry_after_seconds`.

use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::{create_exception, PyTypeInfo};
use tokensmith::{Error, ErrorKind};

create_exception!(_native, TokensmithError, PyException, "Every failure of the core, by kind.");
create_exception!(_native, InternalError, PyException, "A failure inside the extension itself.");

macro_rules! kinds {
    ($($kind:ident),*) => {
        $(create_exception!(_native, $kind, TokensmithError);)*

        /// The exception class of a kind.
        fn class(py: Python<'_>, kind: ErrorKind) -> Bound<'_, pyo3::types::PyType> {
            match kind {
                $(ErrorKind::$kind => $kind::type_object(py),)*
                _ => Api::type_object(py),
            }
        }

        /// Adds the base class and every kind's class to the module, and as attributes of the base class
        /// (`TokensmithError.Authentication`), as the UniFFI module nests them.
        pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
            let py = module.py();
            let base = TokensmithError::type_object(py);
            module.add("TokensmithError", &base)?;
            module.add("InternalError", InternalError::type_object(py))?;
            $(
                module.add(stringify!($kind), $kind::type_object(py))?;
                base.setattr(stringify!($kind), $kind::type_object(py))?;
            )*
            Ok(())
        }
    };
}

kinds!(
    InvalidInput,
    MissingConfig,
    Unsupported,
    Authentication,
    AccountBanned,
    RateLimited,
    Billing,
    InvalidRequest,
    NotFound,
    Api,
    Server,
    Timeout,
    Transport,
    WebhookRejected,
    Decode
);

/// The Python exception for a core error, with the fields the package's layer reads.
pub(crate) fn to_py(error: Error) -> PyErr {
    Python::attach(|py| {
        let build = || -> PyResult<PyErr> {
            let detail = error.to_string();
            let instance = class(py, error.kind()).call1((detail.clone(),))?;
            instance.setattr("detail", detail)?;
            instance.setattr("status", error.status())?;
            instance.setattr("akool_code", error.akool_code().map(|code| code.value()))?;
            instance.setattr("vendor_code", error.acedata_code())?;
            instance.setattr("field", error.field())?;
            instance.setattr("retry_after_seconds", error.retry_after().map(|d| d.as_secs_f64()))?;
            instance.setattr("webhook_reason", error.webhook_rejection().map(|r| r.name()))?;
            Ok(PyErr::from_value(instance))
        };
        build().unwrap_or_else(|failure| failure)
    })
}

/// Runs a core call with the GIL released and converts its error.
pub(crate) fn detached<T: Send>(py: Python<'_>, call: impl Send + FnOnce() -> tokensmith::Result<T>) -> PyResult<T> {
    py.detach(call).map_err(to_py)
}

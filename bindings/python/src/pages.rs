//! `CredentialPages` and `AsyncCredentialPages`: the core's page cursor, which the package turns into a
//! generator and an async generator.

use pyo3::prelude::*;

use crate::call_options::CallOptions;
use crate::credential::Credential;
use crate::errors::detached;
use crate::runtime::awaitable;

/// Every matching credential, a page at a time (blocking).
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Debug)]
pub(crate) struct CredentialPages(pub(crate) tokensmith::blocking::CredentialPages);

#[pymethods]
impl CredentialPages {
    /// The next page, or None after the last; `options` carry only the telemetry layer's trace (a page's other
    /// settings are the pager's).
    #[pyo3(signature = (options=None))]
    fn next_page(&self, py: Python<'_>, options: Option<&CallOptions>) -> PyResult<Option<Vec<Credential>>> {
        let trace = options.and_then(CallOptions::trace);
        Ok(detached(py, || self.0.next_page_traced(trace))?.map(wrap))
    }

    /// Whether the last page was listed (the next `next_page` returns None without a request).
    fn is_done(&self) -> bool {
        self.0.is_done()
    }

    /// The platform's telemetry setting (`on`, `no_propagation` or `off`), as the telemetry layer reads it.
    #[getter]
    fn telemetry(&self) -> &'static str {
        self.0.telemetry().name()
    }
}

/// Every matching credential, a page at a time (awaitable).
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Debug)]
pub(crate) struct AsyncCredentialPages(pub(crate) tokensmith::CredentialPages);

#[pymethods]
impl AsyncCredentialPages {
    /// An awaitable of the next page, or None after the last (`options` as for `CredentialPages`).
    #[pyo3(signature = (options=None))]
    fn next_page<'py>(&self, py: Python<'py>, options: Option<&CallOptions>) -> PyResult<Bound<'py, PyAny>> {
        let trace = options.and_then(CallOptions::trace);
        awaitable(py, self.0.next_page_traced(trace), |page| Ok(page.map(wrap)))
    }

    /// Whether the last page was listed (the next `next_page` returns None without a request).
    fn is_done(&self) -> bool {
        self.0.is_done()
    }

    /// The platform's telemetry setting (`on`, `no_propagation` or `off`), as the telemetry layer reads it.
    #[getter]
    fn telemetry(&self) -> &'static str {
        self.0.telemetry().name()
    }
}

fn wrap(items: Vec<tokensmith::Credential>) -> Vec<Credential> {
    items.into_iter().map(Credential).collect()
}

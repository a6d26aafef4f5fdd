//! `CredentialPages` and `AsyncCredentialPages`: the core's page cursor, which the package turns into a
//! generator and an async generator.

use pyo3::prelude::*;

use crate::credential::Credential;
use crate::errors::detached;
use crate::runtime::awaitable;

/// Every matching credential, a page at a time (blocking).
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Debug)]
pub(crate) struct CredentialPages(pub(crate) tokensmith::blocking::CredentialPages);

#[pymethods]
impl CredentialPages {
    /// The next page, or None after the last.
    fn next_page(&self, py: Python<'_>) -> PyResult<Option<Vec<Credential>>> {
        Ok(detached(py, || self.0.next_page())?.map(wrap))
    }
}

/// Every matching credential, a page at a time (awaitable).
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Debug)]
pub(crate) struct AsyncCredentialPages(pub(crate) tokensmith::CredentialPages);

#[pymethods]
impl AsyncCredentialPages {
    /// An awaitable of the next page, or None after the last.
    fn next_page<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, self.0.next_page(), |page| Ok(page.map(wrap)))
    }
}

fn wrap(items: Vec<tokensmith::Credential>) -> Vec<Credential> {
    items.into_iter().map(Credential).collect()
}

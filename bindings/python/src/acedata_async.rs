//! `AsyncAceDataPlatform`: the core's async AceData client; every call returns an awaitable of the running loop.

use pyo3::prelude::*;

use crate::acedata::{from_env, with_token};
use crate::config::ClientConfig;
use crate::credential::{Credential, CredentialPage};
use crate::credential_params::{CredentialChanges, CredentialFilter, NewCredential};
use crate::runtime::awaitable;

/// An async client of the AceData Cloud platform API.
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Debug)]
pub(crate) struct AsyncAceDataPlatform(tokensmith::AceDataPlatform);

#[pymethods]
impl AsyncAceDataPlatform {
    #[new]
    #[pyo3(signature = (platform_token, config=None))]
    fn new(platform_token: String, config: Option<PyRef<'_, ClientConfig>>) -> PyResult<Self> {
        with_token(platform_token, config).map(Self)
    }

    #[staticmethod]
    #[pyo3(signature = (config=None))]
    fn from_env(config: Option<PyRef<'_, ClientConfig>>) -> PyResult<Self> {
        from_env(config).map(Self)
    }

    fn create_credential<'py>(&self, py: Python<'py>, new: &NewCredential) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, self.0.create_credential(&new.0), |c| Ok(Credential(c)))
    }

    #[pyo3(signature = (filter=None))]
    fn list_credentials<'py>(&self, py: Python<'py>, filter: Option<&CredentialFilter>) -> PyResult<Bound<'py, PyAny>> {
        let filter = filter.map(|f| f.0.clone()).unwrap_or_default();
        awaitable(py, self.0.list_credentials(&filter), |page| Python::attach(|py| CredentialPage::new(py, page)))
    }

    fn get_credential<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, self.0.get_credential(id), |c| Ok(Credential(c)))
    }

    fn update_credential<'py>(
        &self,
        py: Python<'py>,
        id: &str,
        changes: &CredentialChanges,
    ) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, self.0.update_credential(id, &changes.0), |c| Ok(Credential(c)))
    }

    fn rotate_credential<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, self.0.rotate_credential(id), |c| Ok(Credential(c)))
    }

    fn delete_credential<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, self.0.delete_credential(id), Ok)
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.0)
    }
}

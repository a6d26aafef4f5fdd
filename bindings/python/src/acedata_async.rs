//! `AsyncAceDataPlatform`: the core's async AceData client; every call returns an awaitable of the running loop.

use pyo3::prelude::*;

use crate::acedata::{from_env, with_token};
use crate::application::{Application, ApplicationFilter, ApplicationPage};
use crate::call_options::{view, CallOptions};
use crate::config::ClientConfig;
use crate::credential::{Credential, CredentialPage};
use crate::credential_params::{CredentialChanges, CredentialFilter, NewCredential};
use crate::pages::AsyncCredentialPages;
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

    #[pyo3(signature = (new, options=None))]
    fn create_credential<'py>(
        &self,
        py: Python<'py>,
        new: &NewCredential,
        options: Option<&CallOptions>,
    ) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, view(&self.0, options)?.create_credential(&new.0), |c| Ok(Credential(c)))
    }

    #[pyo3(signature = (filter=None, options=None))]
    fn list_credentials<'py>(
        &self,
        py: Python<'py>,
        filter: Option<&CredentialFilter>,
        options: Option<&CallOptions>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let filter = filter.map(|f| f.0.clone()).unwrap_or_default();
        let call = view(&self.0, options)?.list_credentials(&filter);
        awaitable(py, call, |page| Python::attach(|py| CredentialPage::new(py, page)))
    }

    #[pyo3(signature = (filter=None, options=None))]
    fn credential_pages(
        &self,
        filter: Option<&CredentialFilter>,
        options: Option<&CallOptions>,
    ) -> PyResult<AsyncCredentialPages> {
        let filter = filter.map(|f| f.0.clone()).unwrap_or_default();
        Ok(AsyncCredentialPages(view(&self.0, options)?.credential_pages(&filter)))
    }

    #[pyo3(signature = (id, options=None))]
    fn get_credential<'py>(
        &self,
        py: Python<'py>,
        id: &str,
        options: Option<&CallOptions>,
    ) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, view(&self.0, options)?.get_credential(id), |c| Ok(Credential(c)))
    }

    #[pyo3(signature = (id, changes, options=None))]
    fn update_credential<'py>(
        &self,
        py: Python<'py>,
        id: &str,
        changes: &CredentialChanges,
        options: Option<&CallOptions>,
    ) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, view(&self.0, options)?.update_credential(id, &changes.0), |c| Ok(Credential(c)))
    }

    #[pyo3(signature = (id, options=None))]
    fn rotate_credential<'py>(
        &self,
        py: Python<'py>,
        id: &str,
        options: Option<&CallOptions>,
    ) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, view(&self.0, options)?.rotate_credential(id), |c| Ok(Credential(c)))
    }

    #[pyo3(signature = (id, options=None))]
    fn delete_credential<'py>(
        &self,
        py: Python<'py>,
        id: &str,
        options: Option<&CallOptions>,
    ) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, view(&self.0, options)?.delete_credential(id), Ok)
    }

    #[pyo3(signature = (filter=None, options=None))]
    fn list_applications<'py>(
        &self,
        py: Python<'py>,
        filter: Option<&ApplicationFilter>,
        options: Option<&CallOptions>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let filter = filter.map(|f| f.0.clone()).unwrap_or_default();
        awaitable(py, view(&self.0, options)?.list_applications(&filter), |page| Ok(ApplicationPage::from(page)))
    }

    #[pyo3(signature = (id, options=None))]
    fn get_application<'py>(
        &self,
        py: Python<'py>,
        id: &str,
        options: Option<&CallOptions>,
    ) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, view(&self.0, options)?.get_application(id), |a| Ok(Application::from(a)))
    }

    /// The client's telemetry setting (`on`, `no_propagation`, `off`), for the layer's tracing.
    #[getter]
    fn telemetry(&self) -> &'static str {
        self.0.telemetry().name()
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.0)
    }
}

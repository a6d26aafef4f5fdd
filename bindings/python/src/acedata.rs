//! `AceDataPlatform` (blocking) with the UniFFI module's names and methods, and the constructors it shares with
//! `AsyncAceDataPlatform`.

use pyo3::prelude::*;

use crate::application::{Application, ApplicationFilter, ApplicationPage};
use crate::call_options::{view, CallOptions};
use crate::config::{options, ClientConfig};
use crate::credential::{Credential, CredentialPage};
use crate::credential_params::{CredentialChanges, CredentialFilter, NewCredential};
use crate::errors::{detached, to_py};
use crate::pages::CredentialPages;

/// A blocking client of the AceData Cloud platform API.
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Debug)]
pub(crate) struct AceDataPlatform(tokensmith::blocking::AceDataPlatform);

#[pymethods]
impl AceDataPlatform {
    #[new]
    #[pyo3(signature = (platform_token, config=None))]
    fn new(platform_token: String, config: Option<PyRef<'_, ClientConfig>>) -> PyResult<Self> {
        with_token(platform_token, config).map(|client| Self(client.into()))
    }

    #[staticmethod]
    #[pyo3(signature = (config=None))]
    fn from_env(config: Option<PyRef<'_, ClientConfig>>) -> PyResult<Self> {
        from_env(config).map(|client| Self(client.into()))
    }

    #[pyo3(signature = (new, options=None))]
    fn create_credential(
        &self,
        py: Python<'_>,
        new: &NewCredential,
        options: Option<&CallOptions>,
    ) -> PyResult<Credential> {
        let client = view(&self.0, options)?;
        detached(py, || client.create_credential(&new.0)).map(Credential)
    }

    #[pyo3(signature = (filter=None, options=None))]
    fn list_credentials(
        &self,
        py: Python<'_>,
        filter: Option<&CredentialFilter>,
        options: Option<&CallOptions>,
    ) -> PyResult<CredentialPage> {
        let (filter, client) = (filter.map(|f| f.0.clone()).unwrap_or_default(), view(&self.0, options)?);
        CredentialPage::new(py, detached(py, || client.list_credentials(&filter))?)
    }

    #[pyo3(signature = (filter=None, options=None))]
    fn credential_pages(
        &self,
        filter: Option<&CredentialFilter>,
        options: Option<&CallOptions>,
    ) -> PyResult<CredentialPages> {
        let filter = filter.map(|f| f.0.clone()).unwrap_or_default();
        Ok(CredentialPages(view(&self.0, options)?.credential_pages(&filter)))
    }

    #[pyo3(signature = (id, options=None))]
    fn get_credential(&self, py: Python<'_>, id: &str, options: Option<&CallOptions>) -> PyResult<Credential> {
        let client = view(&self.0, options)?;
        detached(py, || client.get_credential(id)).map(Credential)
    }

    #[pyo3(signature = (id, changes, options=None))]
    fn update_credential(
        &self,
        py: Python<'_>,
        id: &str,
        changes: &CredentialChanges,
        options: Option<&CallOptions>,
    ) -> PyResult<Credential> {
        let client = view(&self.0, options)?;
        detached(py, || client.update_credential(id, &changes.0)).map(Credential)
    }

    #[pyo3(signature = (id, options=None))]
    fn rotate_credential(&self, py: Python<'_>, id: &str, options: Option<&CallOptions>) -> PyResult<Credential> {
        let client = view(&self.0, options)?;
        detached(py, || client.rotate_credential(id)).map(Credential)
    }

    #[pyo3(signature = (id, options=None))]
    fn delete_credential(&self, py: Python<'_>, id: &str, options: Option<&CallOptions>) -> PyResult<()> {
        let client = view(&self.0, options)?;
        detached(py, || client.delete_credential(id))
    }

    #[pyo3(signature = (filter=None, options=None))]
    fn list_applications(
        &self,
        py: Python<'_>,
        filter: Option<&ApplicationFilter>,
        options: Option<&CallOptions>,
    ) -> PyResult<ApplicationPage> {
        let (filter, client) = (filter.map(|f| f.0.clone()).unwrap_or_default(), view(&self.0, options)?);
        detached(py, || client.list_applications(&filter)).map(Into::into)
    }

    #[pyo3(signature = (id, options=None))]
    fn get_application(&self, py: Python<'_>, id: &str, options: Option<&CallOptions>) -> PyResult<Application> {
        let client = view(&self.0, options)?;
        detached(py, || client.get_application(id)).map(Into::into)
    }

    /// The client's telemetry setting (`on`, `no_propagation`, `off`), for the layer's tracing.
    #[getter]
    fn telemetry(&self) -> &'static str {
        self.0.as_async().telemetry().name()
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.0.as_async())
    }
}

/// The async client for a platform token.
pub(crate) fn with_token(
    platform_token: String,
    config: Option<PyRef<'_, ClientConfig>>,
) -> PyResult<tokensmith::AceDataPlatform> {
    tokensmith::AceDataPlatform::new(platform_token, options(config.as_deref())?).map_err(to_py)
}

/// The async client from the environment.
pub(crate) fn from_env(config: Option<PyRef<'_, ClientConfig>>) -> PyResult<tokensmith::AceDataPlatform> {
    tokensmith::AceDataPlatform::from_env_with(options(config.as_deref())?).map_err(to_py)
}

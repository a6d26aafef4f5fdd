//! `AceDataPlatform` (blocking) with the UniFFI module's names and methods, and the constructors it shares with
//! `AsyncAceDataPlatform`.

use pyo3::prelude::*;

use crate::config::{options, ClientConfig};
use crate::credential::{Credential, CredentialPage};
use crate::credential_params::{CredentialChanges, CredentialFilter, NewCredential};
use crate::errors::{detached, to_py};

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

    fn create_credential(&self, py: Python<'_>, new: &NewCredential) -> PyResult<Credential> {
        detached(py, || self.0.create_credential(&new.0)).map(Credential)
    }

    #[pyo3(signature = (filter=None))]
    fn list_credentials(&self, py: Python<'_>, filter: Option<&CredentialFilter>) -> PyResult<CredentialPage> {
        let filter = filter.map(|f| f.0.clone()).unwrap_or_default();
        CredentialPage::new(py, detached(py, || self.0.list_credentials(&filter))?)
    }

    fn get_credential(&self, py: Python<'_>, id: &str) -> PyResult<Credential> {
        detached(py, || self.0.get_credential(id)).map(Credential)
    }

    fn update_credential(&self, py: Python<'_>, id: &str, changes: &CredentialChanges) -> PyResult<Credential> {
        detached(py, || self.0.update_credential(id, &changes.0)).map(Credential)
    }

    fn rotate_credential(&self, py: Python<'_>, id: &str) -> PyResult<Credential> {
        detached(py, || self.0.rotate_credential(id)).map(Credential)
    }

    fn delete_credential(&self, py: Python<'_>, id: &str) -> PyResult<()> {
        detached(py, || self.0.delete_credential(id))
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

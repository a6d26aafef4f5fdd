//! `AceDataPlatform`, `Credential` and the argument classes, with the UniFFI module's names and methods.

use pyo3::prelude::*;

use crate::config::{count, options, ClientConfig};
use crate::errors::{detached, to_py};

/// A client of the AceData Cloud platform API.
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Debug)]
pub(crate) struct AceDataPlatform(tokensmith::AceDataPlatform);

#[pymethods]
impl AceDataPlatform {
    #[new]
    #[pyo3(signature = (platform_token, config=None))]
    fn new(platform_token: String, config: Option<PyRef<'_, ClientConfig>>) -> PyResult<Self> {
        tokensmith::AceDataPlatform::new(platform_token, options(config.as_deref())?).map(Self).map_err(to_py)
    }

    #[staticmethod]
    #[pyo3(signature = (config=None))]
    fn from_env(config: Option<PyRef<'_, ClientConfig>>) -> PyResult<Self> {
        tokensmith::AceDataPlatform::from_env_with(options(config.as_deref())?).map(Self).map_err(to_py)
    }

    fn create_credential(&self, py: Python<'_>, new: &NewCredential) -> PyResult<Credential> {
        detached(py, || self.0.create_credential(&new.0)).map(Credential)
    }

    #[pyo3(signature = (filter=None))]
    fn list_credentials(&self, py: Python<'_>, filter: Option<&CredentialFilter>) -> PyResult<CredentialPage> {
        let filter = filter.map(|f| f.0.clone()).unwrap_or_default();
        let page = detached(py, || self.0.list_credentials(&filter))?;
        let items = page.items.into_iter().map(|c| Py::new(py, Credential(c))).collect::<PyResult<_>>()?;
        Ok(CredentialPage { count: page.count, items })
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
        format!("{:?}", self.0)
    }
}

/// A credential; its token and password only through their getters.
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Debug)]
pub(crate) struct Credential(tokensmith::Credential);

#[pymethods]
impl Credential {
    fn id(&self) -> &str {
        &self.0.id
    }
    fn user_id(&self) -> Option<&str> {
        self.0.user_id.as_deref()
    }
    fn application_id(&self) -> &str {
        &self.0.application_id
    }
    fn kind_name(&self) -> &str {
        self.0.kind.as_str()
    }
    fn token(&self) -> Option<&str> {
        self.0.token.as_ref().map(|s| s.expose())
    }
    fn username(&self) -> Option<&str> {
        self.0.username.as_deref()
    }
    fn password(&self) -> Option<&str> {
        self.0.password.as_ref().map(|s| s.expose())
    }
    fn host(&self) -> Option<&str> {
        self.0.host.as_deref()
    }
    fn limited_amount(&self) -> Option<f64> {
        self.0.limited_amount
    }
    fn used_amount(&self) -> Option<f64> {
        self.0.used_amount
    }
    fn expired_at(&self) -> Option<&str> {
        self.0.expired_at.as_deref()
    }
    fn created_at(&self) -> Option<&str> {
        self.0.created_at.as_deref()
    }
    fn updated_at(&self) -> Option<&str> {
        self.0.updated_at.as_deref()
    }
    fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }
    fn __str__(&self) -> String {
        self.0.to_string()
    }
    fn __repr__(&self) -> String {
        format!("{:?}", self.0)
    }
}

/// One page of credentials.
#[pyclass(module = "tokensmith._native", get_all, frozen)]
#[derive(Debug)]
pub(crate) struct CredentialPage {
    count: u64,
    items: Vec<Py<Credential>>,
}

/// A credential to create.
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Clone, Debug)]
pub(crate) struct NewCredential(tokensmith::NewCredential);

#[pymethods]
impl NewCredential {
    #[new]
    #[pyo3(signature = (*, application_id, host=None, limited_amount=None, expired_at=None))]
    fn new(
        application_id: String,
        host: Option<String>,
        limited_amount: Option<f64>,
        expired_at: Option<String>,
    ) -> Self {
        Self(tokensmith::NewCredential { application_id, host, limited_amount, expired_at })
    }
}

/// Which credentials to list.
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Clone, Debug)]
pub(crate) struct CredentialFilter(tokensmith::CredentialFilter);

#[pymethods]
impl CredentialFilter {
    #[new]
    #[pyo3(signature = (*, application_id=None, host=None, limit=None, offset=None))]
    fn new(
        application_id: Option<String>,
        host: Option<String>,
        limit: Option<i64>,
        offset: Option<i64>,
    ) -> PyResult<Self> {
        let (limit, offset) = (count("limit", limit)?, count("offset", offset)?);
        Ok(Self(tokensmith::CredentialFilter { application_id, host, limit, offset }))
    }
}

/// Changes to a credential: a value sets a field, a `clear_*` flag removes it (both at once is an input error).
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Clone, Debug)]
pub(crate) struct CredentialChanges(tokensmith::CredentialChanges);

#[pymethods]
impl CredentialChanges {
    #[new]
    #[pyo3(signature = (*, name=None, limited_amount=None, clear_limited_amount=false, expired_at=None,
        clear_expired_at=false, allowed_api_ids=None))]
    fn new(
        name: Option<String>,
        limited_amount: Option<f64>,
        clear_limited_amount: bool,
        expired_at: Option<String>,
        clear_expired_at: bool,
        allowed_api_ids: Option<Vec<String>>,
    ) -> PyResult<Self> {
        let limits = (limited_amount, clear_limited_amount);
        tokensmith::CredentialChanges::from_flags(name, limits, (expired_at, clear_expired_at), allowed_api_ids)
            .map(Self)
            .map_err(to_py)
    }
}

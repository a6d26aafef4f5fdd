//! `Credential` and `CredentialPage`, with the UniFFI module's names.

use pyo3::prelude::*;

/// A credential; its token and password only through their getters.
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Debug)]
pub(crate) struct Credential(pub(crate) tokensmith::Credential);

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

impl CredentialPage {
    /// The page as Python objects (needs the GIL).
    pub(crate) fn new(py: Python<'_>, page: tokensmith::CredentialPage) -> PyResult<Self> {
        let items = page.items.into_iter().map(|c| Py::new(py, Credential(c))).collect::<PyResult<_>>()?;
        Ok(Self { count: page.count, items })
    }
}

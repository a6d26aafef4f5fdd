//! `AkoolClient`, with the UniFFI module's constructors and methods.

use std::collections::HashMap;

use pyo3::prelude::*;
use tokensmith::{AkoolCredentials, Method};

use crate::config::{options, ClientConfig};
use crate::errors::{detached, to_py};

/// A client of the Akool OpenAPI.
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Debug)]
pub(crate) struct AkoolClient(tokensmith::AkoolClient);

#[pymethods]
impl AkoolClient {
    #[staticmethod]
    #[pyo3(signature = (api_key, config=None))]
    fn from_api_key(api_key: String, config: Option<PyRef<'_, ClientConfig>>) -> PyResult<Self> {
        tokensmith::AkoolClient::new(AkoolCredentials::ApiKey(api_key.into()), options(config.as_deref())?)
            .map(Self)
            .map_err(to_py)
    }

    #[staticmethod]
    #[pyo3(signature = (client_id, client_secret, config=None))]
    fn from_client_credentials(
        client_id: String,
        client_secret: String,
        config: Option<PyRef<'_, ClientConfig>>,
    ) -> PyResult<Self> {
        let credentials = AkoolCredentials::ClientCredentials { client_id, client_secret: client_secret.into() };
        tokensmith::AkoolClient::new(credentials, options(config.as_deref())?).map(Self).map_err(to_py)
    }

    #[staticmethod]
    #[pyo3(signature = (config=None))]
    fn from_env(config: Option<PyRef<'_, ClientConfig>>) -> PyResult<Self> {
        tokensmith::AkoolClient::from_env_with(options(config.as_deref())?).map(Self).map_err(to_py)
    }

    fn token(&self, py: Python<'_>) -> PyResult<String> {
        detached(py, || self.0.token().map(|t| t.expose().to_owned()))
    }

    fn auth_headers(&self, py: Python<'_>) -> PyResult<HashMap<&'static str, String>> {
        detached(py, || self.0.auth_headers())
            .map(|headers| headers.into_iter().map(|h| (h.name, h.value.expose().to_owned())).collect())
    }

    #[pyo3(signature = (method, path, json_body=None))]
    fn request(&self, py: Python<'_>, method: &str, path: &str, json_body: Option<&str>) -> PyResult<String> {
        let method: Method = method.parse().map_err(to_py)?;
        detached(py, || self.0.request_text(method, path, json_body))
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.0)
    }
}

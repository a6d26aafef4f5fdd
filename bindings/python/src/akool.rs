//! `AkoolClient` (blocking) with the UniFFI module's constructors and methods, and the constructors it shares
//! with `AsyncAkoolClient`.

use std::collections::HashMap;

use pyo3::prelude::*;
use tokensmith::overrides::blocking_request_text;
use tokensmith::{AkoolCredentials, AuthHeader};

use crate::call_options::{overrides, view, CallOptions};
use crate::config::{options, ClientConfig};
use crate::errors::{detached, to_py};

/// A blocking client of the Akool OpenAPI.
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Debug)]
pub(crate) struct AkoolClient(tokensmith::blocking::AkoolClient);

#[pymethods]
impl AkoolClient {
    #[staticmethod]
    #[pyo3(signature = (api_key, config=None))]
    fn from_api_key(api_key: String, config: Option<PyRef<'_, ClientConfig>>) -> PyResult<Self> {
        with_api_key(api_key, config).map(|client| Self(client.into()))
    }

    #[staticmethod]
    #[pyo3(signature = (client_id, client_secret, config=None))]
    fn from_client_credentials(
        client_id: String,
        client_secret: String,
        config: Option<PyRef<'_, ClientConfig>>,
    ) -> PyResult<Self> {
        with_client_credentials(client_id, client_secret, config).map(|client| Self(client.into()))
    }

    #[staticmethod]
    #[pyo3(signature = (config=None))]
    fn from_env(config: Option<PyRef<'_, ClientConfig>>) -> PyResult<Self> {
        from_env(config).map(|client| Self(client.into()))
    }

    #[pyo3(signature = (options=None))]
    fn token(&self, py: Python<'_>, options: Option<&CallOptions>) -> PyResult<String> {
        let client = view(&self.0, options)?;
        detached(py, || client.token().map(|t| t.expose().to_owned()))
    }

    #[pyo3(signature = (options=None))]
    fn auth_headers(&self, py: Python<'_>, options: Option<&CallOptions>) -> PyResult<HashMap<&'static str, String>> {
        let client = view(&self.0, options)?;
        detached(py, || client.auth_headers()).map(by_name)
    }

    #[pyo3(signature = (method, path, json_body=None, options=None))]
    fn request(
        &self,
        py: Python<'_>,
        method: &str,
        path: &str,
        json_body: Option<&str>,
        options: Option<&CallOptions>,
    ) -> PyResult<String> {
        detached(py, || blocking_request_text(&self.0, method, path, json_body, overrides(options)))
    }

    fn invalidate_token(&self, stale: &str) {
        self.0.invalidate_token(stale);
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

/// Whether an Akool answer's body says the token was refused as invalid or expired (`code` 1101).
#[pyfunction]
pub(crate) fn is_token_expired(body: &str) -> bool {
    tokensmith::AkoolClient::is_token_expired(body.as_bytes())
}

/// The async client for method 1.
pub(crate) fn with_api_key(
    api_key: String,
    config: Option<PyRef<'_, ClientConfig>>,
) -> PyResult<tokensmith::AkoolClient> {
    tokensmith::AkoolClient::new(AkoolCredentials::ApiKey(api_key.into()), options(config.as_deref())?).map_err(to_py)
}

/// The async client for method 2.
pub(crate) fn with_client_credentials(
    client_id: String,
    client_secret: String,
    config: Option<PyRef<'_, ClientConfig>>,
) -> PyResult<tokensmith::AkoolClient> {
    let credentials = AkoolCredentials::ClientCredentials { client_id, client_secret: client_secret.into() };
    tokensmith::AkoolClient::new(credentials, options(config.as_deref())?).map_err(to_py)
}

/// The async client from the environment.
pub(crate) fn from_env(config: Option<PyRef<'_, ClientConfig>>) -> PyResult<tokensmith::AkoolClient> {
    tokensmith::AkoolClient::from_env_with(options(config.as_deref())?).map_err(to_py)
}

/// Auth headers as a dict from name to value.
pub(crate) fn by_name(headers: Vec<AuthHeader>) -> HashMap<&'static str, String> {
    headers.into_iter().map(|h| (h.name, h.value.expose().to_owned())).collect()
}

//! `AsyncAkoolClient`: the core's async Akool client; every call returns an awaitable of the running loop.

use pyo3::prelude::*;
use tokensmith::overrides::request_text;

use crate::akool::{by_name, from_env, with_api_key, with_client_credentials};
use crate::call_options::{overrides, view, CallOptions};
use crate::config::ClientConfig;
use crate::runtime::awaitable;

/// An async client of the Akool OpenAPI.
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Debug)]
pub(crate) struct AsyncAkoolClient(tokensmith::AkoolClient);

#[pymethods]
impl AsyncAkoolClient {
    #[staticmethod]
    #[pyo3(signature = (api_key, config=None))]
    fn from_api_key(api_key: String, config: Option<PyRef<'_, ClientConfig>>) -> PyResult<Self> {
        with_api_key(api_key, config).map(Self)
    }

    #[staticmethod]
    #[pyo3(signature = (client_id, client_secret, config=None))]
    fn from_client_credentials(
        client_id: String,
        client_secret: String,
        config: Option<PyRef<'_, ClientConfig>>,
    ) -> PyResult<Self> {
        with_client_credentials(client_id, client_secret, config).map(Self)
    }

    #[staticmethod]
    #[pyo3(signature = (config=None))]
    fn from_env(config: Option<PyRef<'_, ClientConfig>>) -> PyResult<Self> {
        from_env(config).map(Self)
    }

    #[pyo3(signature = (options=None))]
    fn token<'py>(&self, py: Python<'py>, options: Option<&CallOptions>) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, view(&self.0, options)?.token(), |token| Ok(token.expose().to_owned()))
    }

    #[pyo3(signature = (options=None))]
    fn auth_headers<'py>(&self, py: Python<'py>, options: Option<&CallOptions>) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, view(&self.0, options)?.auth_headers(), |headers| Ok(by_name(headers)))
    }

    #[pyo3(signature = (method, path, json_body=None, options=None))]
    fn request<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        path: &str,
        json_body: Option<&str>,
        options: Option<&CallOptions>,
    ) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, request_text(&self.0, method, path, json_body, overrides(options)), Ok)
    }

    fn invalidate_token(&self, stale: &str) {
        self.0.invalidate_token(stale);
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

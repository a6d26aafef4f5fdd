//! `WebhookVerifier` and `WebhookEvent`, with the UniFFI module's names and methods.

use std::time::Duration;

use pyo3::prelude::*;

use crate::config::count;
use crate::errors::to_py;

/// Checks and decrypts Akool webhooks.
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Debug)]
pub(crate) struct WebhookVerifier(tokensmith::WebhookVerifier);

/// A verified, decrypted webhook, read through the UniFFI record's field names.
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Debug)]
pub(crate) struct WebhookEvent(tokensmith::WebhookEvent);

#[pymethods]
impl WebhookEvent {
    #[getter]
    fn payload_json(&self) -> String {
        self.0.payload.to_string()
    }
    #[getter]
    fn id(&self) -> Option<&str> {
        self.0.id.as_deref()
    }
    #[getter]
    fn status(&self) -> Option<i64> {
        self.0.status
    }
    #[getter]
    fn timestamp_ms(&self) -> i64 {
        self.0.timestamp_ms
    }
    #[getter]
    fn nonce(&self) -> &str {
        &self.0.nonce
    }
}

#[pymethods]
impl WebhookVerifier {
    #[new]
    #[pyo3(signature = (client_id, client_secret, tolerance_seconds=None))]
    fn new(client_id: String, client_secret: String, tolerance_seconds: Option<i64>) -> PyResult<Self> {
        let verifier = tokensmith::WebhookVerifier::new(client_id, client_secret).map_err(to_py)?;
        Ok(Self(match count("tolerance_seconds", tolerance_seconds)? {
            Some(seconds) => verifier.with_tolerance(Duration::from_secs(seconds.into())),
            None => verifier,
        }))
    }

    fn verify(&self, body: &str) -> PyResult<WebhookEvent> {
        self.0.verify(body.as_bytes()).map(WebhookEvent).map_err(to_py)
    }

    fn verify_expecting_id(&self, body: &str, expected_id: &str) -> PyResult<WebhookEvent> {
        self.0.verify_expecting_id(body.as_bytes(), expected_id).map(WebhookEvent).map_err(to_py)
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.0)
    }
}

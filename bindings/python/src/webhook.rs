//! `WebhookVerifier` and `WebhookEvent`, with the UniFFI module's names and methods.

use std::time::Duration;

use pyo3::prelude::*;

use crate::errors::to_py;

/// Checks and decrypts Akool webhooks.
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Debug)]
pub(crate) struct WebhookVerifier(tokensmith::WebhookVerifier);

/// A verified, decrypted webhook.
#[pyclass(module = "tokensmith._native", get_all, frozen)]
#[derive(Debug)]
pub(crate) struct WebhookEvent {
    payload_json: String,
    id: Option<String>,
    status: Option<i64>,
    timestamp_ms: i64,
    nonce: String,
}

impl From<tokensmith::WebhookEvent> for WebhookEvent {
    fn from(event: tokensmith::WebhookEvent) -> Self {
        Self {
            payload_json: event.payload.to_string(),
            id: event.id,
            status: event.status,
            timestamp_ms: event.timestamp_ms,
            nonce: event.nonce,
        }
    }
}

#[pymethods]
impl WebhookVerifier {
    #[new]
    #[pyo3(signature = (client_id, client_secret, tolerance_seconds=None))]
    fn new(client_id: String, client_secret: String, tolerance_seconds: Option<u32>) -> PyResult<Self> {
        let verifier = tokensmith::WebhookVerifier::new(client_id, client_secret).map_err(to_py)?;
        Ok(Self(match tolerance_seconds {
            Some(seconds) => verifier.with_tolerance(Duration::from_secs(seconds.into())),
            None => verifier,
        }))
    }

    fn verify(&self, body: &str) -> PyResult<WebhookEvent> {
        self.0.verify(body.as_bytes()).map(Into::into).map_err(to_py)
    }

    fn verify_expecting_id(&self, body: &str, expected_id: &str) -> PyResult<WebhookEvent> {
        self.0.verify_expecting_id(body.as_bytes(), expected_id).map(Into::into).map_err(to_py)
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.0)
    }
}

//! [`WebhookVerifier`]: the core's webhook verification as an object.

use std::sync::Arc;
use std::time::Duration;

use crate::config::count;
use crate::error::Result;

/// Checks and decrypts Akool webhooks with the client id and secret.
#[derive(Debug, uniffi::Object)]
#[uniffi::export(Debug)]
pub struct WebhookVerifier(tokensmith::WebhookVerifier);

/// A verified, decrypted webhook. Its payload (JSON text) holds job results, not credentials.
#[derive(Debug, uniffi::Record)]
pub struct WebhookEvent {
    /// The decrypted payload, a JSON object as text.
    pub payload_json: String,
    /// The payload's `_id`.
    pub id: Option<String>,
    /// The payload's `status` (1 queued, 2 processing, 3 done, 4 failed).
    pub status: Option<i64>,
    /// When it was sent, ms since the Unix epoch.
    pub timestamp_ms: i64,
    /// The sender's nonce.
    pub nonce: String,
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

#[uniffi::export]
impl WebhookVerifier {
    /// A verifier; `tolerance_seconds` rejects timestamps further than that from now (off when absent).
    #[uniffi::constructor(default(tolerance_seconds = None))]
    pub fn new(client_id: String, client_secret: String, tolerance_seconds: Option<i32>) -> Result<Arc<Self>> {
        let verifier = tokensmith::WebhookVerifier::new(client_id, client_secret)?;
        Ok(Arc::new(Self(match count("tolerance_seconds", tolerance_seconds)? {
            Some(seconds) => verifier.with_tolerance(Duration::from_secs(seconds.into())),
            None => verifier,
        })))
    }

    /// Checks the signature (and window), decrypts, and requires a JSON object.
    pub fn verify(&self, body: String) -> Result<WebhookEvent> {
        Ok(self.0.verify(body.as_bytes())?.into())
    }

    /// [`WebhookVerifier::verify`], and the payload's `_id` must be `expected_id`.
    pub fn verify_expecting_id(&self, body: String, expected_id: String) -> Result<WebhookEvent> {
        Ok(self.0.verify_expecting_id(body.as_bytes(), &expected_id)?.into())
    }
}

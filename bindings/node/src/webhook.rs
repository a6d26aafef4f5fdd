//! `WebhookVerifier`: synchronous (it does no I/O), for a raw request body.

use napi::bindgen_prelude::Buffer;
use napi_derive::napi;

use crate::errors::{js, Result};

/// Checks and decrypts Akool webhooks with the client id and secret.
#[napi]
#[derive(Debug)]
pub struct WebhookVerifier(tokensmith::WebhookVerifier);

#[napi]
impl WebhookVerifier {
    /// A verifier; `tolerance_seconds` rejects timestamps further than that from now (off when absent).
    #[napi(constructor)]
    pub fn new(client_id: String, client_secret: String, tolerance_seconds: Option<i64>) -> Result<Self> {
        let verifier = js(tokensmith::WebhookVerifier::new(client_id, client_secret))?;
        Ok(Self(match js(tokensmith::overrides::count("tolerance_seconds", tolerance_seconds))? {
            Some(seconds) => verifier.with_tolerance(std::time::Duration::from_secs(seconds.into())),
            None => verifier,
        }))
    }

    /// Checks the signature (and window), decrypts, and requires a JSON object; with `expected_id`, the
    /// payload's `_id` must be it. The event crosses as its JSON (`id`, `status`, `timestamp_ms`, `nonce`,
    /// `payload`).
    #[napi]
    pub fn verify(&self, body: Buffer, expected_id: Option<String>) -> Result<String> {
        let event = js(match expected_id {
            Some(id) => self.0.verify_expecting_id(&body, &id),
            None => self.0.verify(&body),
        })?;
        Ok(serde_json::to_string(&event).expect("a webhook event is JSON"))
    }

    /// The verifier as `Debug` prints it: the secret redacted.
    #[napi]
    pub fn describe(&self) -> String {
        format!("{:?}", self.0)
    }
}

//! `Tokensmith\WebhookVerifier`: checks a raw request body (no I/O).

use std::collections::HashMap;

use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};

use crate::call::php;
use crate::json;
use crate::options::Args;

/// Checks and decrypts Akool webhooks with the client id and secret.
#[php_class]
#[php(name = "Tokensmith\\WebhookVerifier")]
#[derive(Debug)]
pub struct WebhookVerifier(tokensmith::WebhookVerifier);

#[php_impl]
impl WebhookVerifier {
    /// A verifier; `['tolerance_seconds' => n]` refuses timestamps further than that from now.
    ///
    /// # Parameters
    ///
    /// - `options`: `array{tolerance_seconds?:int}|null`
    pub fn __construct(client_id: String, client_secret: String, options: Option<&ZendHashTable>) -> PhpResult<Self> {
        let args = Args::new(options, "the options", &["tolerance_seconds"])?;
        let tolerance = php(tokensmith::overrides::count("tolerance_seconds", args.int("tolerance_seconds")?))?;
        let verifier = php(tokensmith::WebhookVerifier::new(client_id, client_secret))?;
        Ok(Self(match tolerance {
            Some(seconds) => verifier.with_tolerance(std::time::Duration::from_secs(seconds.into())),
            None => verifier,
        }))
    }

    /// The event of a raw body, `['id' => ?string, 'status' => ?int, 'timestamp_ms' => int, 'nonce' => string,
    /// 'payload' => array]`, or a `Tokensmith\WebhookRejectedException` with its `reason`; with `$expected_id`,
    /// the payload's `_id` must be it.
    pub fn verify(&self, body: String, expected_id: Option<String>) -> PhpResult<Zval> {
        let event = php(match expected_id {
            Some(id) => self.0.verify_expecting_id(body.as_bytes(), &id),
            None => self.0.verify(body.as_bytes()),
        })?;
        json::decode(&serde_json_text(&event))
    }

    /// What `var_dump` and `print_r` show: the verifier with its secret redacted.
    pub fn __debug_info(&self) -> HashMap<String, String> {
        HashMap::from([("verifier".to_owned(), format!("{:?}", self.0))])
    }
}

fn serde_json_text(event: &tokensmith::WebhookEvent) -> String {
    serde_json::to_string(event).expect("a webhook event is JSON")
}

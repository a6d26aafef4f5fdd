//! The Akool OpenAPI: [`AkoolClient`] and its two ways to authenticate, the token cache, the answer envelope and
//! the business codes, and the verification of webhooks.

mod client;
mod credentials;
mod envelope;
mod token_cache;
mod webhook;

#[cfg(feature = "fuzzing")]
pub(crate) use client::token_from;
pub use client::{AkoolClient, AuthHeader};
pub use credentials::AkoolCredentials;

/// The `data` of an Akool answer, as `request` reads it.
#[cfg(feature = "fuzzing")]
pub(crate) fn envelope_data(response: &crate::transport::Response) -> crate::Result<serde_json::Value> {
    envelope::data(response)
}
pub use crate::vendor_code::AkoolCode;
pub use webhook::{WebhookEvent, WebhookVerifier};

//! The Akool OpenAPI: [`AkoolClient`] and its two ways to authenticate, the token cache, the answer envelope and
//! the business codes, and the verification of webhooks.

mod client;
mod codes;
mod envelope;
mod token_cache;
mod webhook;

pub use client::{AkoolClient, AkoolCredentials, AuthHeader};
pub use codes::AkoolCode;
pub use webhook::{WebhookEvent, WebhookVerifier};

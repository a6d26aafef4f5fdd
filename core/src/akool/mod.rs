//! The Akool OpenAPI: [`AkoolClient`] and its two ways to authenticate, the token cache, the answer envelope and
//! the business codes.

mod client;
mod codes;
mod envelope;
mod token_cache;

pub use client::{AkoolClient, AkoolCredentials, AuthHeader};
pub use codes::AkoolCode;

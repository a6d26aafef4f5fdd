//! [`AkoolClient`]: the async Akool client, waited for on the calling thread.

use serde_json::Value;

use crate::akool::{AkoolCredentials, AuthHeader, WebhookVerifier};
use crate::call_options::CallOptions;
use crate::error::Result;
use crate::method::Method;
use crate::options::ClientOptions;
use crate::runtime::block_on;
use crate::secret::Secret;

/// A blocking client of the Akool OpenAPI: the methods of [`crate::AkoolClient`], returning their results.
///
/// Cheap to clone and share across threads: clones share one connection pool and one token cache.
#[derive(Clone, Debug)]
pub struct AkoolClient {
    inner: crate::AkoolClient,
}

impl From<crate::AkoolClient> for AkoolClient {
    fn from(inner: crate::AkoolClient) -> Self {
        Self { inner }
    }
}

impl AkoolClient {
    /// Akool's production API.
    pub const DEFAULT_BASE_URL: &'static str = crate::AkoolClient::DEFAULT_BASE_URL;

    /// See [`crate::AkoolClient::with_call_options`]: a view whose calls use `options`.
    pub fn with_call_options(&self, options: CallOptions) -> Result<Self> {
        self.inner.with_call_options(options).map(Self::from)
    }

    /// See [`crate::AkoolClient::new`].
    pub fn new(credentials: AkoolCredentials, options: ClientOptions) -> Result<Self> {
        crate::AkoolClient::new(credentials, options).map(Self::from)
    }

    /// Method 1; see [`crate::AkoolClient::from_api_key`].
    pub fn from_api_key(api_key: impl Into<Secret>) -> Result<Self> {
        crate::AkoolClient::from_api_key(api_key).map(Self::from)
    }

    /// Method 2; see [`crate::AkoolClient::from_client_credentials`].
    pub fn from_client_credentials(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Result<Self> {
        crate::AkoolClient::from_client_credentials(client_id, client_secret).map(Self::from)
    }

    /// See [`crate::AkoolClient::from_env`].
    pub fn from_env() -> Result<Self> {
        crate::AkoolClient::from_env().map(Self::from)
    }

    /// See [`crate::AkoolClient::from_env_with`].
    pub fn from_env_with(options: ClientOptions) -> Result<Self> {
        crate::AkoolClient::from_env_with(options).map(Self::from)
    }

    /// The async client this one waits for (same pool, same token cache).
    pub fn as_async(&self) -> &crate::AkoolClient {
        &self.inner
    }

    /// The credentials this client was built with (values redacted in `Debug`).
    pub fn credentials(&self) -> &AkoolCredentials {
        self.inner.credentials()
    }

    /// See [`crate::AkoolClient::token`].
    pub fn token(&self) -> Result<Secret> {
        block_on(self.inner.token())
    }

    /// See [`crate::AkoolClient::invalidate_token`].
    pub fn invalidate_token(&self, stale: &str) {
        self.inner.invalidate_token(stale);
    }

    /// See [`crate::AkoolClient::is_token_expired`].
    pub fn is_token_expired(body: &[u8]) -> bool {
        crate::AkoolClient::is_token_expired(body)
    }

    /// See [`crate::AkoolClient::webhook_verifier`].
    pub fn webhook_verifier(&self) -> Result<WebhookVerifier> {
        self.inner.webhook_verifier()
    }

    /// See [`crate::AkoolClient::auth_headers`].
    pub fn auth_headers(&self) -> Result<Vec<AuthHeader>> {
        block_on(self.inner.auth_headers())
    }

    /// See [`crate::AkoolClient::request`].
    pub fn request(&self, method: Method, path: &str, body: Option<&Value>) -> Result<Value> {
        block_on(self.inner.request(method, path, body))
    }

    /// See [`crate::AkoolClient::request_text`].
    pub fn request_text(&self, method: Method, path: &str, json_body: Option<&str>) -> Result<String> {
        block_on(self.inner.request_text(method, path, json_body))
    }
}

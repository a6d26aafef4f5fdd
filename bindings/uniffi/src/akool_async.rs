//! [`AsyncAkoolClient`]: the core's async Akool client as an object: `suspend` functions in Kotlin, `async`
//! ones in Swift, coroutines in Python.

use std::collections::HashMap;
use std::sync::Arc;

use tokensmith::overrides::request_text;

use crate::akool::{by_name, from_env, with_api_key, with_client_credentials};
use crate::call_options::CallOptions;
use crate::cancellation::{cancellable, Cancellation};
use crate::config::ClientConfig;
use crate::error::Result;

/// An async client of the Akool OpenAPI. Thread-safe; share one per process. Cancelling a call (the coroutine,
/// the task, or its `cancellation`) aborts its request and leaves the client usable.
#[derive(Debug, uniffi::Object)]
#[uniffi::export(Debug)]
pub struct AsyncAkoolClient(tokensmith::AkoolClient);

impl AsyncAkoolClient {
    /// The core's client, for the JVM's JNI fast path (`jni_async.rs`), which calls it as `request` does.
    pub(crate) fn core(&self) -> &tokensmith::AkoolClient {
        &self.0
    }
}

#[uniffi::export]
impl AsyncAkoolClient {
    /// Method 1: every request carries `x-api-key`.
    #[uniffi::constructor(default(config = None))]
    pub fn from_api_key(api_key: String, config: Option<ClientConfig>) -> Result<Arc<Self>> {
        with_api_key(api_key, config).map(|client| Arc::new(Self(client)))
    }

    /// Method 2: a bearer token is fetched with the client id and secret.
    #[uniffi::constructor(default(config = None))]
    pub fn from_client_credentials(
        client_id: String,
        client_secret: String,
        config: Option<ClientConfig>,
    ) -> Result<Arc<Self>> {
        with_client_credentials(client_id, client_secret, config).map(|client| Arc::new(Self(client)))
    }

    /// From `AKOOL_API_KEY`, else `AKOOL_CLIENT_ID` + `AKOOL_CLIENT_SECRET`; `AKOOL_BASE_URL` overrides the base.
    #[uniffi::constructor(default(config = None))]
    pub fn from_env(config: Option<ClientConfig>) -> Result<Arc<Self>> {
        from_env(config).map(|client| Arc::new(Self(client)))
    }

    /// Forgets `stale`, a token Akool refused (1101) on a call made with another HTTP library.
    pub fn invalidate_token(&self, stale: String) {
        self.0.invalidate_token(&stale);
    }

    /// The bearer token (method 2), fetched once and shared by every caller.
    #[uniffi::method(default(cancellation = None))]
    pub async fn token(&self, cancellation: Option<Arc<Cancellation>>) -> Result<String> {
        cancellable(cancellation, self.0.token()).await.map(|token| token.expose().to_owned())
    }

    /// The auth header(s) to send with another HTTP library, by name.
    #[uniffi::method(default(cancellation = None))]
    pub async fn auth_headers(&self, cancellation: Option<Arc<Cancellation>>) -> Result<HashMap<String, String>> {
        cancellable(cancellation, self.0.auth_headers()).await.map(by_name)
    }

    /// An authenticated call; `json_body` and the result (the envelope's `data`) are JSON strings.
    #[uniffi::method(default(json_body = None, options = None, cancellation = None))]
    pub async fn request(
        &self,
        method: String,
        path: String,
        json_body: Option<String>,
        options: Option<CallOptions>,
        cancellation: Option<Arc<Cancellation>>,
    ) -> Result<String> {
        let request = request_text(&self.0, &method, &path, json_body.as_deref(), options.map(Into::into));
        cancellable(cancellation, request).await
    }
}

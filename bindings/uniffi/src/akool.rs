//! [`AkoolClient`]: the core's Akool client as an object.

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::{options, ClientConfig};
use crate::error::Result;

/// A client of the Akool OpenAPI. Thread-safe; share one per process.
#[derive(Debug, uniffi::Object)]
#[uniffi::export(Debug)]
pub struct AkoolClient(tokensmith::AkoolClient);

#[uniffi::export]
impl AkoolClient {
    /// Method 1: every request carries `x-api-key`.
    #[uniffi::constructor(default(config = None))]
    pub fn from_api_key(api_key: String, config: Option<ClientConfig>) -> Result<Arc<Self>> {
        let credentials = tokensmith::AkoolCredentials::ApiKey(api_key.into());
        Ok(Arc::new(Self(tokensmith::AkoolClient::new(credentials, options(config)?)?)))
    }

    /// Method 2: a bearer token is fetched with the client id and secret.
    #[uniffi::constructor(default(config = None))]
    pub fn from_client_credentials(
        client_id: String,
        client_secret: String,
        config: Option<ClientConfig>,
    ) -> Result<Arc<Self>> {
        let credentials =
            tokensmith::AkoolCredentials::ClientCredentials { client_id, client_secret: client_secret.into() };
        Ok(Arc::new(Self(tokensmith::AkoolClient::new(credentials, options(config)?)?)))
    }

    /// From `AKOOL_API_KEY`, else `AKOOL_CLIENT_ID` + `AKOOL_CLIENT_SECRET`; `AKOOL_BASE_URL` overrides the base.
    #[uniffi::constructor(default(config = None))]
    pub fn from_env(config: Option<ClientConfig>) -> Result<Arc<Self>> {
        Ok(Arc::new(Self(tokensmith::AkoolClient::from_env_with(options(config)?)?)))
    }

    /// The bearer token (method 2), fetched once and shared.
    pub fn token(&self) -> Result<String> {
        Ok(self.0.token()?.expose().to_owned())
    }

    /// The auth header(s) to send with another HTTP library, by name.
    pub fn auth_headers(&self) -> Result<HashMap<String, String>> {
        Ok(self.0.auth_headers()?.into_iter().map(|h| (h.name.to_owned(), h.value.expose().to_owned())).collect())
    }

    /// An authenticated call; `json_body` and the result (the envelope's `data`) are JSON strings.
    #[uniffi::method(default(json_body = None))]
    pub fn request(&self, method: String, path: String, json_body: Option<String>) -> Result<String> {
        Ok(self.0.request_text(method.parse()?, &path, json_body.as_deref())?)
    }
}

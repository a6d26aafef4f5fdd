//! [`AkoolClient`]: the core's blocking Akool client as an object, and the constructors it shares with
//! [`crate::AsyncAkoolClient`].

use std::collections::HashMap;
use std::sync::Arc;

use tokensmith::overrides::blocking_request_text;
use tokensmith::{AkoolCredentials, AuthHeader};

use crate::call_options::CallOptions;
use crate::config::{options, ClientConfig};
use crate::error::Result;

/// A blocking client of the Akool OpenAPI (for Java and blocking Kotlin/Swift code). Thread-safe; share one per
/// process. `AsyncAkoolClient` has the same constructors and methods as `suspend`/`async` functions.
#[derive(Debug, uniffi::Object)]
#[uniffi::export(Debug)]
pub struct AkoolClient(tokensmith::blocking::AkoolClient);

impl AkoolClient {
    /// The core's client, for the JVM's JNI fast path (`jni_fast_path.rs`).
    pub(crate) fn core(&self) -> &tokensmith::blocking::AkoolClient {
        &self.0
    }
}

#[uniffi::export]
impl AkoolClient {
    /// Method 1: every request carries `x-api-key`.
    #[uniffi::constructor(default(config = None))]
    pub fn from_api_key(api_key: String, config: Option<ClientConfig>) -> Result<Arc<Self>> {
        Ok(Arc::new(Self(with_api_key(api_key, config)?.into())))
    }

    /// Method 2: a bearer token is fetched with the client id and secret.
    #[uniffi::constructor(default(config = None))]
    pub fn from_client_credentials(
        client_id: String,
        client_secret: String,
        config: Option<ClientConfig>,
    ) -> Result<Arc<Self>> {
        Ok(Arc::new(Self(with_client_credentials(client_id, client_secret, config)?.into())))
    }

    /// From `AKOOL_API_KEY`, else `AKOOL_CLIENT_ID` + `AKOOL_CLIENT_SECRET`; `AKOOL_BASE_URL` overrides the base.
    #[uniffi::constructor(default(config = None))]
    pub fn from_env(config: Option<ClientConfig>) -> Result<Arc<Self>> {
        Ok(Arc::new(Self(from_env(config)?.into())))
    }

    /// The bearer token (method 2), fetched once and shared.
    pub fn token(&self) -> Result<String> {
        Ok(self.0.token()?.expose().to_owned())
    }

    /// The auth header(s) to send with another HTTP library, by name.
    pub fn auth_headers(&self) -> Result<HashMap<String, String>> {
        Ok(by_name(self.0.auth_headers()?))
    }

    /// An authenticated call; `json_body` and the result (the envelope's `data`) are JSON strings.
    #[uniffi::method(default(json_body = None, options = None))]
    pub fn request(
        &self,
        method: String,
        path: String,
        json_body: Option<String>,
        options: Option<CallOptions>,
    ) -> Result<String> {
        Ok(blocking_request_text(&self.0, &method, &path, json_body.as_deref(), options.map(Into::into))?)
    }

    /// Forgets `stale`, a token Akool refused (1101) on a call made with another HTTP library; a burst of such
    /// reports causes one new fetch.
    pub fn invalidate_token(&self, stale: String) {
        self.0.invalidate_token(&stale);
    }
}

/// Whether an Akool answer's body says the token was refused as invalid or expired (`code` 1101).
#[uniffi::export]
pub fn is_token_expired(body: String) -> bool {
    tokensmith::AkoolClient::is_token_expired(body.as_bytes())
}

/// The async client for method 1.
pub(crate) fn with_api_key(api_key: String, config: Option<ClientConfig>) -> Result<tokensmith::AkoolClient> {
    Ok(tokensmith::AkoolClient::new(AkoolCredentials::ApiKey(api_key.into()), options(config)?)?)
}

/// The async client for method 2.
pub(crate) fn with_client_credentials(
    client_id: String,
    client_secret: String,
    config: Option<ClientConfig>,
) -> Result<tokensmith::AkoolClient> {
    let credentials = AkoolCredentials::ClientCredentials { client_id, client_secret: client_secret.into() };
    Ok(tokensmith::AkoolClient::new(credentials, options(config)?)?)
}

/// The async client from the environment.
pub(crate) fn from_env(config: Option<ClientConfig>) -> Result<tokensmith::AkoolClient> {
    Ok(tokensmith::AkoolClient::from_env_with(options(config)?)?)
}

/// Auth headers as a map from name to value.
pub(crate) fn by_name(headers: Vec<AuthHeader>) -> HashMap<String, String> {
    headers.into_iter().map(|h| (h.name.to_owned(), h.value.expose().to_owned())).collect()
}

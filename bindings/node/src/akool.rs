//! `AkoolClient`: the core's async Akool client; every call that does I/O returns a Promise.

use std::collections::HashMap;

use napi::bindgen_prelude::PromiseRaw;
use napi::Env;
use napi_derive::napi;
use tokensmith::overrides::request_text;
use tokensmith::AkoolCredentials;

use crate::call_options::{view, CallOptions};
use crate::errors::{js, Result};
use crate::options::{options, ClientOptions};
use crate::settle::promise;

/// A client of the Akool OpenAPI.
#[napi]
#[derive(Debug)]
pub struct AkoolClient(tokensmith::AkoolClient);

#[napi]
impl AkoolClient {
    /// Method 1: every request carries `x-api-key`.
    #[napi(factory)]
    pub fn from_api_key(api_key: String, options: Option<ClientOptions>) -> Result<Self> {
        let credentials = AkoolCredentials::ApiKey(api_key.into());
        js(tokensmith::AkoolClient::new(credentials, self::options(options)?)).map(Self)
    }

    /// Method 2: a bearer token is fetched once with the client id and secret.
    #[napi(factory)]
    pub fn from_client_credentials(
        client_id: String,
        client_secret: String,
        options: Option<ClientOptions>,
    ) -> Result<Self> {
        let credentials = AkoolCredentials::ClientCredentials { client_id, client_secret: client_secret.into() };
        js(tokensmith::AkoolClient::new(credentials, self::options(options)?)).map(Self)
    }

    /// From `AKOOL_API_KEY`, else `AKOOL_CLIENT_ID` + `AKOOL_CLIENT_SECRET`; `AKOOL_BASE_URL` overrides the base.
    #[napi(factory)]
    pub fn from_env(options: Option<ClientOptions>) -> Result<Self> {
        js(tokensmith::AkoolClient::from_env_with(self::options(options)?)).map(Self)
    }

    /// The bearer token (method 2), fetched once and shared by every caller.
    #[napi]
    pub fn token<'env>(&self, env: &'env Env, options: Option<CallOptions>) -> Result<PromiseRaw<'env, String>> {
        let call = view(&self.0, options).map(|client| client.token());
        promise(env, async move { js(call?.await).map(|token| token.expose().to_owned()) })
    }

    /// The auth header(s) for a request made with another HTTP library, by name.
    #[napi]
    pub fn auth_headers<'env>(
        &self,
        env: &'env Env,
        options: Option<CallOptions>,
    ) -> Result<PromiseRaw<'env, HashMap<String, String>>> {
        let call = view(&self.0, options).map(|client| client.auth_headers());
        promise(env, async move {
            let headers = js(call?.await)?;
            Ok(headers.into_iter().map(|h| (h.name.to_owned(), h.value.expose().to_owned())).collect())
        })
    }

    /// An authenticated call; `json_body` and the result (the envelope's `data`) are JSON text.
    #[napi]
    pub fn request<'env>(
        &self,
        env: &'env Env,
        method: String,
        path: String,
        json_body: Option<String>,
        options: Option<CallOptions>,
    ) -> Result<PromiseRaw<'env, String>> {
        let call = request_text(&self.0, &method, &path, json_body.as_deref(), options.map(Into::into));
        promise(env, async move { js(call.await) })
    }

    /// Forgets `stale`, a token Akool refused (1101) on a call made with another HTTP library.
    #[napi]
    pub fn invalidate_token(&self, stale: String) {
        self.0.invalidate_token(&stale);
    }

    /// The client's telemetry setting (`on`, `no_propagation`, `off`), for the package's tracing.
    #[napi]
    pub fn telemetry(&self) -> String {
        self.0.telemetry().name().to_owned()
    }

    /// The client as `Debug` prints it: credentials redacted.
    #[napi]
    pub fn describe(&self) -> String {
        format!("{:?}", self.0)
    }
}

/// Whether an Akool answer's body says the token was refused as invalid or expired (`code` 1101).
#[napi]
pub fn is_token_expired(body: String) -> bool {
    tokensmith::AkoolClient::is_token_expired(body.as_bytes())
}

//! `Tokensmith\AkoolClient`: the core's blocking Akool client, kept per worker by `registry.rs`.

use std::collections::HashMap;

use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use tokensmith::overrides::blocking_request_text;
use tokensmith::AkoolCredentials;

use crate::call::php;
use crate::options::{call_overrides, client_options};
use crate::{json, registry};

/// A client of the Akool OpenAPI. Built with the same credentials and options, it is the same client in every
/// request of a PHP worker: one token fetch per tenant and worker, not per page view. Building one costs a few
/// microseconds and clients with the same timeouts and certificates share the worker's connections, so a client
/// per request, or per tenant, is the fast path.
///
/// The worker keeps its `tokensmith.max_clients` most recently used clients (php.ini or `php -d`, or a PHP-FPM
/// pool's `php_admin_value[tokensmith.max_clients]`; not changeable by `ini_set`): default 1000, about 1 KiB
/// each; 0 keeps none. One pushed out is dropped (its secrets zeroized) and built again when next asked for.
///
/// Options (all optional): `base_url` (https, or http to loopback), `connect_timeout` and `request_timeout`
/// (seconds), `max_retries`, `initial_backoff` (seconds), `pool_idle_timeout` (seconds an unused connection is
/// kept; default 90), `user_agent_suffix` (after `php` in the User-Agent), `root_certificates` (PEM strings): the
/// core's client settings. An unknown key or a value of the wrong type throws `InvalidInputException` naming it.
/// `persistent` (default true): false builds a client of its own, which the worker does not keep.
#[php_class]
#[php(name = "Tokensmith\\AkoolClient")]
#[derive(Debug)]
pub struct AkoolClient(pub(crate) tokensmith::blocking::AkoolClient);

impl AkoolClient {
    fn build(credentials: AkoolCredentials, options: Option<&ZendHashTable>) -> PhpResult<Self> {
        php(registry::akool(credentials, client_options(options)?)).map(Self)
    }
}

#[php_impl]
impl AkoolClient {
    /// Method 1 (recommended): every request carries `x-api-key`.
    pub fn from_api_key(api_key: String, options: Option<&ZendHashTable>) -> PhpResult<Self> {
        Self::build(AkoolCredentials::ApiKey(api_key.into()), options)
    }

    /// Method 2: a bearer token is fetched with the client id and secret once per worker, while it keeps the
    /// client.
    pub fn from_client_credentials(
        client_id: String,
        client_secret: String,
        options: Option<&ZendHashTable>,
    ) -> PhpResult<Self> {
        Self::build(AkoolCredentials::ClientCredentials { client_id, client_secret: client_secret.into() }, options)
    }

    /// From `AKOOL_API_KEY`, else `AKOOL_CLIENT_ID` + `AKOOL_CLIENT_SECRET`; `AKOOL_BASE_URL` overrides the base.
    /// Read on every call: changed variables give another client.
    pub fn from_env(options: Option<&ZendHashTable>) -> PhpResult<Self> {
        php(registry::akool_from_env(client_options(options)?)).map(Self)
    }

    /// The bearer token (method 2). A secret: do not log it.
    pub fn token(&self) -> PhpResult<String> {
        php(self.0.token()).map(|token| token.expose().to_owned())
    }

    /// The auth header(s) for `new GuzzleHttp\Client(['headers' => ...])`, by name.
    pub fn auth_headers(&self) -> PhpResult<HashMap<String, String>> {
        let headers = php(self.0.auth_headers())?;
        Ok(headers.into_iter().map(|h| (h.name.to_owned(), h.value.expose().to_owned())).collect())
    }

    /// An authenticated call; returns the answer's `data`, decoded (objects as arrays). Any code but 1000 throws.
    ///
    /// # Parameters
    ///
    /// - `body`: `mixed` sent as JSON; `null` sends none
    /// - `options`: `array{timeout?:int|float,headers?:array<string,string>,max_retries?:int}|null` this call's
    pub fn request(
        &self,
        method: String,
        path: String,
        body: Option<&Zval>,
        options: Option<&ZendHashTable>,
    ) -> PhpResult<Zval> {
        let body = body.filter(|b| !b.is_null()).map(|b| json::encode("body", b)).transpose()?;
        let call = call_overrides(options)?;
        json::decode(&php(blocking_request_text(&self.0, &method, &path, body.as_deref(), call))?)
    }

    /// Forgets `$stale`, a token Akool refused (1101) on a call made with Guzzle; the next `authHeaders()` fetches
    /// a new one (once, however many report it).
    pub fn invalidate_token(&self, stale: String) {
        self.0.invalidate_token(&stale);
    }

    /// What `var_dump` and `print_r` show: the client with its credentials redacted.
    pub fn __debug_info(&self) -> HashMap<String, String> {
        HashMap::from([("client".to_owned(), format!("{:?}", self.0.as_async()))])
    }
}

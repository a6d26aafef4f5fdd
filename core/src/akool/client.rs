//! [`AkoolClient`]: authenticated calls to any Akool OpenAPI endpoint, by API key or by client credentials.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use serde_json::Value;

use super::credentials::AkoolCredentials;
use super::envelope;
use super::token_cache::TokenCache;
use crate::call_options::CallOptions;
use crate::env::{self, Lookup};
use crate::error::{Error, Result};
use crate::method::Method;
use crate::options::ClientOptions;
use crate::runtime;
use crate::secret::Secret;
use crate::telemetry::{self, operations, FlightTrace, Hooked, Recorder, TelemetryMode};
use crate::transport::{PerCall, Request, Response, Transport};

/// The path of the token endpoint (method 2).
const GET_TOKEN_PATH: &str = "/api/open/v3/getToken";

/// One header to put on a request made with another HTTP library. The value is a [`Secret`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthHeader {
    /// The header name, lower case (`x-api-key` or `authorization`).
    pub name: &'static str,
    /// The header value (the key, or `Bearer TOKEN`).
    pub value: Secret,
}

/// A client of the Akool OpenAPI (`https://openapi.akool.com` by default). Its calls are async; for a blocking
/// client see [`crate::blocking::AkoolClient`] (same constructors and methods, sharing state with this one).
///
/// Cheap to clone and share across threads and tasks: clones share one connection pool and one token cache.
/// The futures it returns are `Send + 'static` and work on any executor ([`crate::runtime`] says who drives their
/// I/O). Clients of equal [`ClientOptions`] share connections, so one per tenant costs about a microsecond.
/// Dropping one aborts its request (see the README on cancellation).
#[derive(Clone)]
pub struct AkoolClient {
    inner: Arc<Inner>,
    /// This view's settings for its calls (see [`AkoolClient::with_call_options`]).
    per_call: Arc<PerCall>,
}

struct Inner {
    credentials: AkoolCredentials,
    transport: Transport,
    tokens: Arc<TokenCache>,
}

impl fmt::Debug for AkoolClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AkoolClient")
            .field("credentials", &self.inner.credentials)
            .field("transport", &self.inner.transport)
            .field("per_call", &self.per_call)
            .finish_non_exhaustive()
    }
}

impl AkoolClient {
    /// Akool's production API.
    pub const DEFAULT_BASE_URL: &'static str = "https://openapi.akool.com";

    /// A client with these credentials and options. Checks both before any request.
    pub fn new(credentials: AkoolCredentials, options: ClientOptions) -> Result<Self> {
        credentials.validate()?;
        let transport = Transport::new(&options, Self::DEFAULT_BASE_URL, "base_url")?;
        let inner = Arc::new(Inner { credentials, transport, tokens: Arc::default() });
        Ok(Self { inner, per_call: Arc::default() })
    }

    /// Method 1: authenticate every request with `x-api-key`.
    pub fn from_api_key(api_key: impl Into<Secret>) -> Result<Self> {
        Self::new(AkoolCredentials::ApiKey(api_key.into()), ClientOptions::default())
    }

    /// Method 2: fetch a bearer token with the client id and secret, then send `Authorization: Bearer`.
    pub fn from_client_credentials(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Result<Self> {
        let credentials =
            AkoolCredentials::ClientCredentials { client_id: client_id.into(), client_secret: client_secret.into() };
        Self::new(credentials, ClientOptions::default())
    }

    /// From `AKOOL_API_KEY`, else `AKOOL_CLIENT_ID` and `AKOOL_CLIENT_SECRET`; `AKOOL_BASE_URL` overrides the base.
    pub fn from_env() -> Result<Self> {
        Self::from_env_with(ClientOptions::default())
    }

    /// Like [`AkoolClient::from_env`], with options; a base URL set in `options` wins over `AKOOL_BASE_URL`.
    pub fn from_env_with(options: ClientOptions) -> Result<Self> {
        Self::from_lookup(&env::process_env, options)
    }

    pub(crate) fn from_lookup(lookup: Lookup<'_>, options: ClientOptions) -> Result<Self> {
        let (credentials, base_url) = super::credentials::from_env(lookup)?;
        let options = match (options.base_url.is_none(), base_url) {
            (true, Some(base)) => options.with_base_url(base),
            _ => options,
        };
        Self::new(credentials, options)
    }

    /// The credentials this client was built with (values redacted in `Debug`).
    pub fn credentials(&self) -> &AkoolCredentials {
        &self.inner.credentials
    }

    /// A view of this client (same token cache, same pool) whose calls use `options` over the client's settings:
    /// for one slow call, a header, or no retries. Fails, naming the setting, on an option that cannot be sent;
    /// the token fetch of method 2 is shared by all calls and keeps the client's settings.
    ///
    /// ```no_run
    /// # use std::time::Duration;
    /// # async fn run(akool: tokensmith::AkoolClient) -> tokensmith::Result<()> {
    /// use tokensmith::{CallOptions, Method};
    /// let slow = akool.with_call_options(CallOptions::new().with_timeout(Duration::from_secs(300)))?;
    /// let job = slow.request(Method::Post, "/api/open/v3/faceswap/highquality/specifyimage", None).await?;
    /// # Ok(()) }
    /// ```
    pub fn with_call_options(&self, options: CallOptions) -> Result<Self> {
        Ok(Self { inner: Arc::clone(&self.inner), per_call: Arc::new(PerCall::check(&options)?) })
    }

    /// What this client's calls record and send (`ClientOptions::with_telemetry`).
    pub fn telemetry(&self) -> TelemetryMode {
        self.inner.transport.telemetry
    }

    /// Whether `other` is a clone of this client (same token cache, same pool).
    pub fn same_as(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// The bearer token (method 2), fetched on first use and cached; concurrent first calls, async or blocking,
    /// share one fetch, which goes on for the others if one caller gives up.
    pub fn token(&self) -> impl Future<Output = Result<Secret>> + Send + 'static {
        let (per_call, hooked) = self.hooked(operations::AKOOL_TOKEN);
        let inner = Arc::clone(&self.inner);
        async move {
            let result = inner.token(&per_call).await;
            telemetry::observe(per_call.recorder.as_ref(), &result);
            if let Some(hooked) = hooked {
                hooked.finish();
            }
            result
        }
    }

    /// For callers that send [`AkoolClient::auth_headers`] with their own HTTP client: forgets `stale`, the token
    /// Akool just refused (1101, see [`AkoolClient::is_token_expired`]), so the next call fetches a new one.
    ///
    /// Only that token is forgotten: when many threads or tasks report the same stale token at once, the first
    /// forgets it, the others find a newer one or join the one fetch under way, so a burst of 1101s costs one
    /// `getToken`. A token other than the cached one (already replaced) is ignored.
    pub fn invalidate_token(&self, stale: &str) {
        self.inner.tokens.invalidate(&Secret::new(stale));
    }

    /// Whether an Akool answer's body says the token was refused as invalid or expired (`code` 1101): the sign
    /// to call [`AkoolClient::invalidate_token`] and retry once. Any other body, or one that is not an envelope,
    /// is `false`.
    pub fn is_token_expired(body: &[u8]) -> bool {
        envelope::code_of(body) == Some(super::AkoolCode::INVALID_TOKEN)
    }

    /// A verifier for the webhooks of jobs this client starts: they are signed with the client id and encrypted
    /// with the client secret, so it needs client credentials (method 2).
    pub fn webhook_verifier(&self) -> Result<super::WebhookVerifier> {
        match &self.inner.credentials {
            AkoolCredentials::ClientCredentials { client_id, client_secret } => {
                super::WebhookVerifier::new(client_id.clone(), client_secret.clone())
            }
            AkoolCredentials::ApiKey(_) => Err(Error::Unsupported(
                "webhooks are verified with the client id and secret; build the client from client credentials"
                    .to_owned(),
            )),
        }
    }

    /// The auth header to put on a request made with any other HTTP library (fetches the token in method 2).
    pub fn auth_headers(&self) -> impl Future<Output = Result<Vec<AuthHeader>>> + Send + 'static {
        let (per_call, hooked) = self.hooked(operations::AKOOL_AUTH_HEADERS);
        let inner = Arc::clone(&self.inner);
        async move {
            let result = inner.auth(&per_call).await.map(|(header, _)| vec![header]);
            telemetry::observe(per_call.recorder.as_ref(), &result);
            if let Some(hooked) = hooked {
                hooked.finish();
            }
            result
        }
    }

    /// An authenticated call to any Akool endpoint, returning the envelope's `data`.
    ///
    /// `path` starts with `/` and may carry a query string. Any code but 1000 is an error. In method 2, a 1101
    /// answer (expired token) leads to one new token and one repeat of the call; a second 1101 is returned.
    pub fn request(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> impl Future<Output = Result<Value>> + Send + 'static {
        let json = body.map(serde_json::to_vec).transpose().map_err(|e| Error::invalid("body", e.to_string()));
        self.call(method, path, json, envelope::data)
    }

    /// [`AkoolClient::request`] with the body and the result as JSON text: how bindings pass arbitrary JSON. The
    /// body is checked to be JSON and sent as given; the result is the answer's `data` as the vendor wrote it (no
    /// tree of values is built and written out again between the two).
    pub fn request_text(
        &self,
        method: Method,
        path: &str,
        json_body: Option<&str>,
    ) -> impl Future<Output = Result<String>> + Send + 'static {
        let json = json_body
            .map(|body| match serde_json::from_str::<serde::de::IgnoredAny>(body) {
                Ok(_) => Ok(body.as_bytes().to_vec()),
                Err(e) => Err(Error::invalid("body", format!("not JSON ({e})"))),
            })
            .transpose();
        self.call(method, path, json, envelope::data_text)
    }

    /// One `request`: the answer's envelope opened by `open`.
    fn call<T: Send + 'static>(
        &self,
        method: Method,
        path: &str,
        json: Result<Option<Vec<u8>>>,
        open: fn(&Response) -> Result<T>,
    ) -> impl Future<Output = Result<T>> + Send + 'static {
        let (per_call, hooked) = self.hooked(operations::AKOOL_REQUEST);
        let (inner, path) = (Arc::clone(&self.inner), path.to_owned());
        async move {
            let result = runtime::run(Box::pin(async move {
                let result = match json {
                    Ok(json) => inner.request(method, &path, json, &per_call, open).await,
                    Err(e) => Err(e),
                };
                telemetry::observe(per_call.recorder.as_ref(), &result);
                result
            }))
            .await;
            if let Some(hooked) = hooked {
                hooked.finish();
            }
            result
        }
    }
}

impl AkoolClient {
    /// This call's settings, traced by the process's telemetry hook when one is set (see `telemetry::Hook`).
    fn hooked(&self, operation: &'static str) -> (Arc<PerCall>, Option<Hooked>) {
        let skip = self.per_call.recorder.is_some() || self.inner.transport.telemetry == TelemetryMode::Off;
        match telemetry::hook_start(operation, skip) {
            Some((trace, hooked)) => (Arc::new(self.per_call.traced(trace)), Some(hooked)),
            None => (Arc::clone(&self.per_call), None),
        }
    }
}

impl Inner {
    async fn token(self: &Arc<Self>, per_call: &PerCall) -> Result<Secret> {
        match &self.credentials {
            AkoolCredentials::ClientCredentials { .. } => {
                let inner = Arc::clone(self);
                let trace = match &per_call.recorder {
                    Some(Recorder::Call(trace)) => Some(trace),
                    _ => None,
                };
                self.tokens.get_or_fetch(trace, move |flight| async move { inner.fetch_token(flight).await }).await
            }
            AkoolCredentials::ApiKey(_) => Err(Error::Unsupported(
                "token() needs client credentials (method 2); an API-key client sends x-api-key instead".to_owned(),
            )),
        }
    }

    async fn request<T>(
        self: &Arc<Self>,
        method: Method,
        path: &str,
        json: Option<Vec<u8>>,
        per_call: &PerCall,
        open: fn(&Response) -> Result<T>,
    ) -> Result<T> {
        let (header, token) = self.auth(per_call).await?;
        let send = |header| self.send(method, path, &json, header, per_call, open);
        match (send(header).await, token) {
            (Err(e), Some(stale)) if e.akool_code() == Some(super::AkoolCode::INVALID_TOKEN) => {
                let (trace_id, span_id) = per_call.trace_ids();
                log::info!(trace_id, span_id; "Akool answered 1101 (token expired): fetching a new token and repeating once");
                self.tokens.invalidate(&stale);
                send(self.auth(per_call).await?.0).await
            }
            (result, _) => result,
        }
    }

    /// The auth header, and in method 2 the token it carries (to invalidate if the server calls it stale).
    async fn auth(self: &Arc<Self>, per_call: &PerCall) -> Result<(AuthHeader, Option<Secret>)> {
        Ok(match &self.credentials {
            AkoolCredentials::ApiKey(key) => (AuthHeader { name: "x-api-key", value: key.clone() }, None),
            AkoolCredentials::ClientCredentials { .. } => {
                let token = self.token(per_call).await?;
                let value = Secret::new(format!("Bearer {}", token.expose()));
                (AuthHeader { name: "authorization", value }, Some(token))
            }
        })
    }

    async fn send<T>(
        &self,
        method: Method,
        path: &str,
        json: &Option<Vec<u8>>,
        header: AuthHeader,
        per_call: &PerCall,
        open: fn(&Response) -> Result<T>,
    ) -> Result<T> {
        let mut secrets = vec![header.value.clone()];
        if let AkoolCredentials::ClientCredentials { client_secret, .. } = &self.credentials {
            secrets.push(client_secret.clone());
        }
        let request = Request {
            method,
            path,
            auth: Some((header.name, header.value)),
            json: json.clone(),
            idempotent: method.is_idempotent(),
            secrets,
            secret_answer: false,
            refused: envelope::is_refused,
            per_call,
        };
        open(&self.transport.send(&request).await?)
    }

    async fn fetch_token(&self, flight: Arc<FlightTrace>) -> Result<Secret> {
        let AkoolCredentials::ClientCredentials { client_id, client_secret } = &self.credentials else {
            unreachable!("only client-credential clients fetch tokens");
        };
        let body = serde_json::json!({ "clientId": client_id, "clientSecret": client_secret.expose() });
        let request = Request {
            method: Method::Post,
            path: GET_TOKEN_PATH,
            auth: None,
            json: Some(body.to_string().into_bytes()),
            // getToken creates nothing: repeating it is harmless, so it is retried like a read.
            idempotent: true,
            secrets: vec![client_secret.clone()],
            secret_answer: true,
            refused: envelope::is_refused,
            // One fetch serves every caller, so no caller's per-call settings apply to it: only the propagation
            // headers of the caller that started it (its span is the fetch's parent).
            per_call: &PerCall::for_fetch(&flight),
        };
        token_from(&self.transport.send(&request).await?)
    }
}

/// The token of a getToken answer: at the top level as documented, or in `data` (be liberal in what we accept).
pub(crate) fn token_from(response: &Response) -> Result<Secret> {
    let envelope = envelope::open::<Value>(response)?;
    let token = envelope.token.or_else(|| envelope.data.get("token").and_then(Value::as_str).map(str::to_owned));
    match token {
        Some(token) if !token.trim().is_empty() => {
            log::debug!("fetched a new Akool token");
            Ok(Secret::new(token))
        }
        _ => Err(response.decode_error("getToken answered code 1000 without a token")),
    }
}

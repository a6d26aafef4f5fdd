//! [`AkoolClient`]: authenticated calls to any Akool OpenAPI endpoint, by API key or by client credentials.

use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use super::envelope;
use super::token_cache::TokenCache;
use crate::env::{self, Lookup};
use crate::error::{Error, Result};
use crate::method::Method;
use crate::options::ClientOptions;
use crate::secret::Secret;
use crate::transport::{Request, Response, Transport};

/// The path of the token endpoint (method 2).
const GET_TOKEN_PATH: &str = "/api/open/v3/getToken";

/// How a client proves who it is. Akool's API key is the same value as the client secret.
#[derive(Clone, Debug)]
pub enum AkoolCredentials {
    /// Method 1 (recommended): every request carries `x-api-key: KEY`.
    ApiKey(Secret),
    /// Method 2 (legacy): a bearer token is fetched from `getToken` with these, then sent as `Authorization`.
    ClientCredentials {
        /// The client id shown next to the API key in Akool's console.
        client_id: String,
        /// The client secret (the API key).
        client_secret: Secret,
    },
}

impl AkoolCredentials {
    fn validate(&self) -> Result<()> {
        match self {
            Self::ApiKey(key) if key.is_blank() => Err(Error::invalid("api_key", "must not be empty")),
            Self::ClientCredentials { client_id, .. } if client_id.trim().is_empty() => {
                Err(Error::invalid("client_id", "must not be empty"))
            }
            Self::ClientCredentials { client_secret, .. } if client_secret.is_blank() => {
                Err(Error::invalid("client_secret", "must not be empty"))
            }
            _ => Ok(()),
        }
    }
}

/// One header to put on a request made with another HTTP library. The value is a [`Secret`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthHeader {
    /// The header name, lower case (`x-api-key` or `authorization`).
    pub name: &'static str,
    /// The header value (the key, or `Bearer TOKEN`).
    pub value: Secret,
}

/// A client of the Akool OpenAPI (`https://openapi.akool.com` by default).
///
/// Cheap to clone and share across threads: clones share one connection pool and one token cache.
#[derive(Clone)]
pub struct AkoolClient {
    inner: Arc<Inner>,
}

struct Inner {
    credentials: AkoolCredentials,
    transport: Transport,
    tokens: TokenCache,
}

impl fmt::Debug for AkoolClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AkoolClient")
            .field("credentials", &self.inner.credentials)
            .field("transport", &self.inner.transport)
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
        Ok(Self { inner: Arc::new(Inner { credentials, transport, tokens: TokenCache::default() }) })
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
        let (credentials, base_url) = env::akool(lookup)?;
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

    /// The bearer token (method 2), fetched on first use and cached; concurrent first calls share one fetch.
    pub fn token(&self) -> Result<Secret> {
        match &self.inner.credentials {
            AkoolCredentials::ClientCredentials { client_id, client_secret } => {
                self.inner.tokens.get_or_fetch(|| self.fetch_token(client_id, client_secret))
            }
            AkoolCredentials::ApiKey(_) => Err(Error::Unsupported(
                "token() needs client credentials (method 2); an API-key client sends x-api-key instead".to_owned(),
            )),
        }
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
    pub fn auth_headers(&self) -> Result<Vec<AuthHeader>> {
        Ok(vec![self.auth()?.0])
    }

    /// An authenticated call to any Akool endpoint, returning the envelope's `data`.
    ///
    /// `path` starts with `/` and may carry a query string. Any code but 1000 is an error. In method 2, a 1101
    /// answer (expired token) leads to one new token and one repeat of the call; a second 1101 is returned.
    pub fn request(&self, method: Method, path: &str, body: Option<&Value>) -> Result<Value> {
        let json = body.map(serde_json::to_vec).transpose().map_err(|e| Error::invalid("body", e.to_string()))?;
        let (header, token) = self.auth()?;
        match (self.send(method, path, &json, header), token) {
            (Err(e), Some(stale)) if e.akool_code() == Some(super::AkoolCode::INVALID_TOKEN) => {
                log::info!("Akool answered 1101 (token expired): fetching a new token and repeating once");
                self.inner.tokens.invalidate(&stale);
                self.send(method, path, &json, self.auth()?.0)
            }
            (result, _) => result,
        }
    }

    /// [`AkoolClient::request`] with the body and the result as JSON text: how bindings pass arbitrary JSON.
    pub fn request_text(&self, method: Method, path: &str, json_body: Option<&str>) -> Result<String> {
        let body: Option<Value> = json_body
            .map(serde_json::from_str)
            .transpose()
            .map_err(|e| Error::invalid("body", format!("not JSON ({e})")))?;
        Ok(self.request(method, path, body.as_ref())?.to_string())
    }

    /// The auth header, and in method 2 the token it carries (to invalidate if the server calls it stale).
    fn auth(&self) -> Result<(AuthHeader, Option<Secret>)> {
        Ok(match &self.inner.credentials {
            AkoolCredentials::ApiKey(key) => (AuthHeader { name: "x-api-key", value: key.clone() }, None),
            AkoolCredentials::ClientCredentials { .. } => {
                let token = self.token()?;
                let value = Secret::new(format!("Bearer {}", token.expose()));
                (AuthHeader { name: "authorization", value }, Some(token))
            }
        })
    }

    fn send(&self, method: Method, path: &str, json: &Option<Vec<u8>>, header: AuthHeader) -> Result<Value> {
        let mut secrets = vec![header.value.clone()];
        if let AkoolCredentials::ClientCredentials { client_secret, .. } = &self.inner.credentials {
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
        };
        let response = self.inner.transport.send(&request)?;
        Ok(envelope::open(&response)?.data)
    }

    fn fetch_token(&self, client_id: &str, client_secret: &Secret) -> Result<Secret> {
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
        };
        token_from(&self.inner.transport.send(&request)?)
    }
}

/// The token of a getToken answer: at the top level as documented, or in `data` (be liberal in what we accept).
pub(crate) fn token_from(response: &Response) -> Result<Secret> {
    let envelope = envelope::open(response)?;
    let token = envelope.token.or_else(|| envelope.data.get("token").and_then(Value::as_str).map(str::to_owned));
    match token {
        Some(token) if !token.trim().is_empty() => {
            log::debug!("fetched a new Akool token");
            Ok(Secret::new(token))
        }
        _ => Err(response.decode_error("getToken answered code 1000 without a token")),
    }
}

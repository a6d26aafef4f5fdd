//! [`AceDataPlatform`]: the AceData Cloud management API, authenticated with a platform token.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error_body;
use super::pages::ListPage;
use super::params::{uuid_field, ApplicationFilter, CredentialChanges, CredentialFilter, NewCredential};
use super::{Application, ApplicationPage, Credential, CredentialPage, CredentialPages};
use crate::call_options::CallOptions;
use crate::env::{self, Lookup};
use crate::error::{Error, Result};
use crate::method::Method;
use crate::options::ClientOptions;
use crate::runtime;
use crate::secret::Secret;
use crate::telemetry::{self, operations, Hooked, TelemetryMode};
use crate::transport::{PerCall, Request, Response, Transport};

/// A client of the AceData Cloud platform API (`https://platform.acedata.cloud` by default). Its calls are
/// async; for a blocking client see [`crate::blocking::AceDataPlatform`].
///
/// Cheap to clone and share across threads and tasks: clones share one connection pool. The futures it returns
/// are `Send + 'static` and work on any executor; dropping one aborts its request. Inputs are checked before
/// any request: a bad one is an error from the future, with nothing sent.
#[derive(Clone)]
pub struct AceDataPlatform {
    inner: Arc<Inner>,
    /// This view's settings for its calls (see [`AceDataPlatform::with_call_options`]).
    per_call: Arc<PerCall>,
}

struct Inner {
    platform_token: Secret,
    transport: Transport,
}

impl fmt::Debug for AceDataPlatform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AceDataPlatform")
            .field("platform_token", &self.inner.platform_token)
            .field("transport", &self.inner.transport)
            .field("per_call", &self.per_call)
            .finish()
    }
}

impl AceDataPlatform {
    /// AceData's production management API.
    pub const DEFAULT_BASE_URL: &'static str = "https://platform.acedata.cloud";

    /// A client with this platform token and options. Checks both before any request.
    pub fn new(platform_token: impl Into<Secret>, options: ClientOptions) -> Result<Self> {
        let platform_token = platform_token.into();
        if platform_token.is_blank() {
            return Err(Error::invalid("platform_token", "must not be empty"));
        }
        let transport = Transport::new(&options, Self::DEFAULT_BASE_URL, "base_url")?;
        Ok(Self { inner: Arc::new(Inner { platform_token, transport }), per_call: Arc::default() })
    }

    /// A client with this platform token and default options.
    pub fn with_token(platform_token: impl Into<Secret>) -> Result<Self> {
        Self::new(platform_token, ClientOptions::default())
    }

    /// A view of this client (same pool) whose calls use `options` over the client's settings: a longer timeout
    /// for one call, a header, no retries. Fails, naming the setting, on an option that cannot be sent.
    pub fn with_call_options(&self, options: CallOptions) -> Result<Self> {
        Ok(Self { inner: Arc::clone(&self.inner), per_call: Arc::new(PerCall::check(&options)?) })
    }

    /// What this client's calls record and send (`ClientOptions::with_telemetry`).
    pub fn telemetry(&self) -> TelemetryMode {
        self.inner.transport.telemetry
    }

    /// Whether `other` is a clone of this client (same pool).
    pub fn same_as(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// From `ACEDATA_PLATFORM_TOKEN`; `ACEDATA_PLATFORM_BASE_URL` overrides the base.
    pub fn from_env() -> Result<Self> {
        Self::from_env_with(ClientOptions::default())
    }

    /// Like [`AceDataPlatform::from_env`], with options; a base URL set in `options` wins over the variable.
    pub fn from_env_with(options: ClientOptions) -> Result<Self> {
        Self::from_lookup(&env::process_env, options)
    }

    pub(crate) fn from_lookup(lookup: Lookup<'_>, options: ClientOptions) -> Result<Self> {
        let (token, base_url) = env::acedata(lookup)?;
        let options = match (options.base_url.is_none(), base_url) {
            (true, Some(base)) => options.with_base_url(base),
            _ => options,
        };
        Self::new(token, options)
    }

    /// Creates a credential (`POST /api/v1/credentials/`). Never retried once sent, so it is never created twice;
    /// if the future is dropped after sending, the credential may or may not exist (list to find out).
    pub fn create_credential(&self, new: &NewCredential) -> impl Future<Output = Result<Credential>> + Send + 'static {
        let (this, hooked) = self.hooked(operations::ACEDATA_CREATE_CREDENTIAL);
        let call = new.to_body().map(|body| this.call(Method::Post, "/api/v1/credentials/".into(), Some(body), false));
        this.observed(hooked, async move { call?.await })
    }

    /// Lists credentials (`GET /api/v1/credentials/`), one page at a time.
    pub fn list_credentials(
        &self,
        filter: &CredentialFilter,
    ) -> impl Future<Output = Result<CredentialPage>> + Send + 'static {
        let (this, hooked) = self.hooked(operations::ACEDATA_LIST_CREDENTIALS);
        let call =
            filter.to_query().map(|query| this.call(Method::Get, format!("/api/v1/credentials/{query}"), None, true));
        this.observed(hooked, async move { call?.await })
    }

    /// Every credential matching `filter`, paging for the caller (`filter.limit` is the page size, default
    /// [`super::DEFAULT_PAGE_SIZE`]). The stream ends after the last credential or after the first error.
    pub fn iter_credentials(
        &self,
        filter: &CredentialFilter,
    ) -> impl futures_util::Stream<Item = Result<Credential>> + Send + Unpin + 'static {
        self.credential_pages(filter).into_stream()
    }

    /// The same credentials as [`AceDataPlatform::iter_credentials`], a page at a time: what bindings wrap in
    /// their language's iterator.
    pub fn credential_pages(&self, filter: &CredentialFilter) -> CredentialPages {
        let platform = self.clone();
        let list: ListPage = Arc::new(move |filter, trace| {
            let platform = match trace {
                Some(trace) => {
                    Self { inner: Arc::clone(&platform.inner), per_call: Arc::new(platform.per_call.traced(trace)) }
                }
                None => platform.clone(),
            };
            Box::pin(async move { platform.list_credentials(&filter).await })
        });
        CredentialPages::new(list, filter, self.telemetry())
    }

    /// Lists the caller's applications (`GET /api/v1/applications/?user_id=me`), one page at a time: their ids
    /// are what a credential is created for.
    pub fn list_applications(
        &self,
        filter: &ApplicationFilter,
    ) -> impl Future<Output = Result<ApplicationPage>> + Send + 'static {
        let (this, hooked) = self.hooked(operations::ACEDATA_LIST_APPLICATIONS);
        let call =
            filter.to_query().map(|query| this.call(Method::Get, format!("/api/v1/applications/{query}"), None, true));
        this.observed(hooked, async move { call?.await })
    }

    /// One application by id.
    pub fn get_application(&self, id: &str) -> impl Future<Output = Result<Application>> + Send + 'static {
        let (this, hooked) = self.hooked(operations::ACEDATA_GET_APPLICATION);
        let call =
            uuid_field("id", id).map(|id| this.call(Method::Get, format!("/api/v1/applications/{id}/"), None, true));
        this.observed(hooked, async move { call?.await })
    }

    /// One credential by id.
    pub fn get_credential(&self, id: &str) -> impl Future<Output = Result<Credential>> + Send + 'static {
        let (this, hooked) = self.hooked(operations::ACEDATA_GET_CREDENTIAL);
        let call = credential_path(id, "").map(|path| this.call(Method::Get, path, None, true));
        this.observed(hooked, async move { call?.await })
    }

    /// Changes a credential's name, limit, expiry or allowed APIs (`PATCH`).
    pub fn update_credential(
        &self,
        id: &str,
        changes: &CredentialChanges,
    ) -> impl Future<Output = Result<Credential>> + Send + 'static {
        let (this, hooked) = self.hooked(operations::ACEDATA_UPDATE_CREDENTIAL);
        // Setting the same fields twice has no further effect, so a lost answer may be retried.
        let call =
            credential_path(id, "").and_then(|path| Ok(this.call(Method::Patch, path, Some(changes.to_body()?), true)));
        this.observed(hooked, async move { call?.await })
    }

    /// Issues a new token for the same credential; the old token stops working at once. Never retried once sent.
    pub fn rotate_credential(&self, id: &str) -> impl Future<Output = Result<Credential>> + Send + 'static {
        let (this, hooked) = self.hooked(operations::ACEDATA_ROTATE_CREDENTIAL);
        let call = credential_path(id, "rotate/").map(|path| this.call(Method::Post, path, None, false));
        this.observed(hooked, async move { call?.await })
    }

    /// Deletes a credential; it stops working at once. A retry that finds it already gone counts as success.
    pub fn delete_credential(&self, id: &str) -> impl Future<Output = Result<()>> + Send + 'static {
        let (this, hooked) = self.hooked(operations::ACEDATA_DELETE_CREDENTIAL);
        let send = credential_path(id, "").map(|path| this.send(Method::Delete, path, None, true));
        this.observed(hooked, async move {
            let response = send?.await?;
            match response.status {
                200..=299 => Ok(()),
                404 if response.attempts > 1 => Ok(()),
                _ => Err(error_body::error_for(&response)),
            }
        })
    }

    /// This client's view for one call, traced by the process's telemetry hook when one is set (see
    /// `telemetry::Hook`).
    fn hooked(&self, operation: &'static str) -> (Self, Option<Hooked>) {
        let skip = self.per_call.recorder.is_some() || self.inner.transport.telemetry == TelemetryMode::Off;
        match telemetry::hook_start(operation, skip) {
            Some((trace, hooked)) => {
                let per_call = Arc::new(self.per_call.traced(trace));
                (Self { inner: Arc::clone(&self.inner), per_call }, Some(hooked))
            }
            None => (self.clone(), None),
        }
    }

    /// `call`, whose outcome a traced call records (its input errors too), then the hook's trace ends.
    fn observed<T: Send + 'static>(
        &self,
        hooked: Option<Hooked>,
        call: impl Future<Output = Result<T>> + Send + 'static,
    ) -> impl Future<Output = Result<T>> + Send + 'static {
        let recorder = self.per_call.recorder.clone();
        async move {
            let result = call.await;
            telemetry::observe(recorder.as_ref(), &result);
            if let Some(hooked) = hooked {
                hooked.finish();
            }
            result
        }
    }

    fn call<T: DeserializeOwned + Send + 'static>(
        &self,
        method: Method,
        path: String,
        body: Option<Value>,
        idempotent: bool,
    ) -> impl Future<Output = Result<T>> + Send + 'static {
        let send = self.send(method, path, body, idempotent);
        async move { parse(&send.await?) }
    }

    /// Sends one call, on the runtime `runtime::run` chooses for the caller.
    fn send(
        &self,
        method: Method,
        path: String,
        body: Option<Value>,
        idempotent: bool,
    ) -> impl Future<Output = Result<Response>> + Send + 'static {
        let (inner, per_call) = (Arc::clone(&self.inner), Arc::clone(&self.per_call));
        runtime::run(Box::pin(async move {
            let bearer = Secret::new(format!("Bearer {}", inner.platform_token.expose()));
            let request = Request {
                method,
                path: &path,
                auth: Some(("authorization", bearer.clone())),
                json: body.map(|b| b.to_string().into_bytes()),
                idempotent,
                secrets: vec![bearer],
                // Credentials carry tokens and passwords: never quote these answers.
                secret_answer: method != Method::Delete,
                // Its refusals (429 too_many_requests) show in the status.
                refused: crate::transport::never_refused,
                per_call: &per_call,
            };
            inner.transport.send(&request).await
        }))
    }
}

/// The path of one credential (`/api/v1/credentials/{id}/{action}`), after checking that `id` is a UUID.
fn credential_path(id: &str, action: &str) -> Result<String> {
    Ok(format!("/api/v1/credentials/{}/{action}", uuid_field("id", id)?))
}

/// The typed answer of a credential call, or the error its status and body stand for.
pub(crate) fn parse<T: DeserializeOwned>(response: &Response) -> Result<T> {
    if !response.is_success() && !(300..400).contains(&response.status) {
        return Err(error_body::error_for(response));
    }
    response.json()
}

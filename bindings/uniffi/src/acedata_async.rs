//! [`AsyncAceDataPlatform`]: the core's async AceData client as an object: `suspend` functions in Kotlin,
//! `async` ones in Swift, coroutines in Python.

use std::sync::Arc;

use crate::acedata::{from_env, with_token};
use crate::application::{Application, ApplicationFilter, ApplicationPage};
use crate::call_options::{view, CallOptions};
use crate::cancellation::{cancellable, Cancellation};
use crate::config::ClientConfig;
use crate::credential::{Credential, CredentialPage};
use crate::credential_params::{CredentialChanges, CredentialFilter, NewCredential};
use crate::error::Result;
use crate::pages::AsyncCredentialPages;

/// An async client of the AceData Cloud platform API. Thread-safe; share one per process. Cancelling a call
/// aborts its request and leaves the client usable; a cancelled create or rotate may or may not have reached
/// the server, and is never retried.
#[derive(Debug, uniffi::Object)]
#[uniffi::export(Debug)]
pub struct AsyncAceDataPlatform(tokensmith::AceDataPlatform);

#[uniffi::export]
impl AsyncAceDataPlatform {
    /// A client with this platform token.
    #[uniffi::constructor(default(config = None))]
    pub fn new(platform_token: String, config: Option<ClientConfig>) -> Result<Arc<Self>> {
        with_token(platform_token, config).map(|client| Arc::new(Self(client)))
    }

    /// From `ACEDATA_PLATFORM_TOKEN`; `ACEDATA_PLATFORM_BASE_URL` overrides the base.
    #[uniffi::constructor(default(config = None))]
    pub fn from_env(config: Option<ClientConfig>) -> Result<Arc<Self>> {
        from_env(config).map(|client| Arc::new(Self(client)))
    }

    /// Creates a credential; never retried once sent.
    #[uniffi::method(default(options = None, cancellation = None))]
    pub async fn create_credential(
        &self,
        new: NewCredential,
        options: Option<CallOptions>,
        cancellation: Option<Arc<Cancellation>>,
    ) -> Result<Arc<Credential>> {
        let new = new.try_into()?;
        let client = view(&self.0, options)?;
        cancellable(cancellation, client.create_credential(&new)).await.map(|c| Arc::new(c.into()))
    }

    /// One page of credentials.
    #[uniffi::method(default(filter = None, options = None, cancellation = None))]
    pub async fn list_credentials(
        &self,
        filter: Option<CredentialFilter>,
        options: Option<CallOptions>,
        cancellation: Option<Arc<Cancellation>>,
    ) -> Result<CredentialPage> {
        let filter = CredentialFilter::into_core(filter)?;
        let client = view(&self.0, options)?;
        cancellable(cancellation, client.list_credentials(&filter)).await.map(Into::into)
    }

    /// Every matching credential, a page at a time (`limit` is the page size).
    #[uniffi::method(default(filter = None, options = None))]
    pub fn credential_pages(
        &self,
        filter: Option<CredentialFilter>,
        options: Option<CallOptions>,
    ) -> Result<Arc<AsyncCredentialPages>> {
        let filter = CredentialFilter::into_core(filter)?;
        Ok(Arc::new(AsyncCredentialPages(view(&self.0, options)?.credential_pages(&filter))))
    }

    /// One credential by id.
    #[uniffi::method(default(options = None, cancellation = None))]
    pub async fn get_credential(
        &self,
        id: String,
        options: Option<CallOptions>,
        cancellation: Option<Arc<Cancellation>>,
    ) -> Result<Arc<Credential>> {
        let client = view(&self.0, options)?;
        cancellable(cancellation, client.get_credential(&id)).await.map(|c| Arc::new(c.into()))
    }

    /// Changes a credential.
    #[uniffi::method(default(options = None, cancellation = None))]
    pub async fn update_credential(
        &self,
        id: String,
        changes: CredentialChanges,
        options: Option<CallOptions>,
        cancellation: Option<Arc<Cancellation>>,
    ) -> Result<Arc<Credential>> {
        let changes = changes.try_into()?;
        let client = view(&self.0, options)?;
        cancellable(cancellation, client.update_credential(&id, &changes)).await.map(|c| Arc::new(c.into()))
    }

    /// A new token for the same credential; never retried once sent.
    #[uniffi::method(default(options = None, cancellation = None))]
    pub async fn rotate_credential(
        &self,
        id: String,
        options: Option<CallOptions>,
        cancellation: Option<Arc<Cancellation>>,
    ) -> Result<Arc<Credential>> {
        let client = view(&self.0, options)?;
        cancellable(cancellation, client.rotate_credential(&id)).await.map(|c| Arc::new(c.into()))
    }

    /// Deletes a credential.
    #[uniffi::method(default(options = None, cancellation = None))]
    pub async fn delete_credential(
        &self,
        id: String,
        options: Option<CallOptions>,
        cancellation: Option<Arc<Cancellation>>,
    ) -> Result<()> {
        let client = view(&self.0, options)?;
        cancellable(cancellation, client.delete_credential(&id)).await
    }

    /// One page of the caller's applications (their ids are what credentials are created for).
    #[uniffi::method(default(filter = None, options = None, cancellation = None))]
    pub async fn list_applications(
        &self,
        filter: Option<ApplicationFilter>,
        options: Option<CallOptions>,
        cancellation: Option<Arc<Cancellation>>,
    ) -> Result<ApplicationPage> {
        let filter = ApplicationFilter::into_core(filter)?;
        let client = view(&self.0, options)?;
        cancellable(cancellation, client.list_applications(&filter)).await.map(Into::into)
    }

    /// One application by id.
    #[uniffi::method(default(options = None, cancellation = None))]
    pub async fn get_application(
        &self,
        id: String,
        options: Option<CallOptions>,
        cancellation: Option<Arc<Cancellation>>,
    ) -> Result<Application> {
        let client = view(&self.0, options)?;
        cancellable(cancellation, client.get_application(&id)).await.map(Into::into)
    }
}

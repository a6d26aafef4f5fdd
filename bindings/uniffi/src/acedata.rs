//! [`AceDataPlatform`]: the core's blocking AceData client as an object, and the constructors it shares with
//! [`crate::AsyncAceDataPlatform`].

use std::sync::Arc;

use crate::application::{Application, ApplicationFilter, ApplicationPage};
use crate::call_options::{view, CallOptions};
use crate::config::{options, ClientConfig};
use crate::credential::{Credential, CredentialPage};
use crate::credential_params::{CredentialChanges, CredentialFilter, NewCredential};
use crate::error::Result;
use crate::pages::CredentialPages;

/// A blocking client of the AceData Cloud platform API. Thread-safe; share one per process.
/// `AsyncAceDataPlatform` has the same constructors and methods as `suspend`/`async` functions.
#[derive(Debug, uniffi::Object)]
#[uniffi::export(Debug)]
pub struct AceDataPlatform(tokensmith::blocking::AceDataPlatform);

#[uniffi::export]
impl AceDataPlatform {
    /// A client with this platform token.
    #[uniffi::constructor(default(config = None))]
    pub fn new(platform_token: String, config: Option<ClientConfig>) -> Result<Arc<Self>> {
        Ok(Arc::new(Self(with_token(platform_token, config)?.into())))
    }

    /// From `ACEDATA_PLATFORM_TOKEN`; `ACEDATA_PLATFORM_BASE_URL` overrides the base.
    #[uniffi::constructor(default(config = None))]
    pub fn from_env(config: Option<ClientConfig>) -> Result<Arc<Self>> {
        Ok(Arc::new(Self(from_env(config)?.into())))
    }

    /// Creates a credential; never retried once sent.
    #[uniffi::method(default(options = None))]
    pub fn create_credential(&self, new: NewCredential, options: Option<CallOptions>) -> Result<Arc<Credential>> {
        let new = new.try_into()?;
        Ok(Arc::new(view(&self.0, options)?.create_credential(&new)?.into()))
    }

    /// One page of credentials.
    #[uniffi::method(default(filter = None, options = None))]
    pub fn list_credentials(
        &self,
        filter: Option<CredentialFilter>,
        options: Option<CallOptions>,
    ) -> Result<CredentialPage> {
        let filter = CredentialFilter::into_core(filter)?;
        Ok(view(&self.0, options)?.list_credentials(&filter)?.into())
    }

    /// Every matching credential, a page at a time (`limit` is the page size).
    #[uniffi::method(default(filter = None, options = None))]
    pub fn credential_pages(
        &self,
        filter: Option<CredentialFilter>,
        options: Option<CallOptions>,
    ) -> Result<Arc<CredentialPages>> {
        let filter = CredentialFilter::into_core(filter)?;
        Ok(Arc::new(CredentialPages(view(&self.0, options)?.credential_pages(&filter))))
    }

    /// One credential by id.
    #[uniffi::method(default(options = None))]
    pub fn get_credential(&self, id: String, options: Option<CallOptions>) -> Result<Arc<Credential>> {
        Ok(Arc::new(view(&self.0, options)?.get_credential(&id)?.into()))
    }

    /// Changes a credential.
    #[uniffi::method(default(options = None))]
    pub fn update_credential(
        &self,
        id: String,
        changes: CredentialChanges,
        options: Option<CallOptions>,
    ) -> Result<Arc<Credential>> {
        let changes = changes.try_into()?;
        Ok(Arc::new(view(&self.0, options)?.update_credential(&id, &changes)?.into()))
    }

    /// A new token for the same credential; never retried once sent.
    #[uniffi::method(default(options = None))]
    pub fn rotate_credential(&self, id: String, options: Option<CallOptions>) -> Result<Arc<Credential>> {
        Ok(Arc::new(view(&self.0, options)?.rotate_credential(&id)?.into()))
    }

    /// Deletes a credential.
    #[uniffi::method(default(options = None))]
    pub fn delete_credential(&self, id: String, options: Option<CallOptions>) -> Result<()> {
        Ok(view(&self.0, options)?.delete_credential(&id)?)
    }

    /// One page of the caller's applications (their ids are what credentials are created for).
    #[uniffi::method(default(filter = None, options = None))]
    pub fn list_applications(
        &self,
        filter: Option<ApplicationFilter>,
        options: Option<CallOptions>,
    ) -> Result<ApplicationPage> {
        let filter = ApplicationFilter::into_core(filter)?;
        Ok(view(&self.0, options)?.list_applications(&filter)?.into())
    }

    /// One application by id.
    #[uniffi::method(default(options = None))]
    pub fn get_application(&self, id: String, options: Option<CallOptions>) -> Result<Application> {
        Ok(view(&self.0, options)?.get_application(&id)?.into())
    }
}

/// The async client for a platform token.
pub(crate) fn with_token(platform_token: String, config: Option<ClientConfig>) -> Result<tokensmith::AceDataPlatform> {
    Ok(tokensmith::AceDataPlatform::new(platform_token, options(config)?)?)
}

/// The async client from the environment.
pub(crate) fn from_env(config: Option<ClientConfig>) -> Result<tokensmith::AceDataPlatform> {
    Ok(tokensmith::AceDataPlatform::from_env_with(options(config)?)?)
}

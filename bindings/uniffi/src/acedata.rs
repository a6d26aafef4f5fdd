//! [`AceDataPlatform`]: the core's blocking AceData client as an object, and the constructors it shares with
//! [`crate::AsyncAceDataPlatform`].

use std::sync::Arc;

use crate::config::{options, ClientConfig};
use crate::credential::{Credential, CredentialPage};
use crate::credential_params::{CredentialChanges, CredentialFilter, NewCredential};
use crate::error::Result;

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
    pub fn create_credential(&self, new: NewCredential) -> Result<Arc<Credential>> {
        Ok(Arc::new(self.0.create_credential(&new.try_into()?)?.into()))
    }

    /// One page of credentials.
    #[uniffi::method(default(filter = None))]
    pub fn list_credentials(&self, filter: Option<CredentialFilter>) -> Result<CredentialPage> {
        Ok(self.0.list_credentials(&CredentialFilter::into_core(filter)?)?.into())
    }

    /// One credential by id.
    pub fn get_credential(&self, id: String) -> Result<Arc<Credential>> {
        Ok(Arc::new(self.0.get_credential(&id)?.into()))
    }

    /// Changes a credential.
    pub fn update_credential(&self, id: String, changes: CredentialChanges) -> Result<Arc<Credential>> {
        Ok(Arc::new(self.0.update_credential(&id, &changes.try_into()?)?.into()))
    }

    /// A new token for the same credential; never retried once sent.
    pub fn rotate_credential(&self, id: String) -> Result<Arc<Credential>> {
        Ok(Arc::new(self.0.rotate_credential(&id)?.into()))
    }

    /// Deletes a credential.
    pub fn delete_credential(&self, id: String) -> Result<()> {
        Ok(self.0.delete_credential(&id)?)
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

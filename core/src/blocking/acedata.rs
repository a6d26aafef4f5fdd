//! [`AceDataPlatform`]: the async AceData client, waited for on the calling thread.

use crate::acedata::{Credential, CredentialChanges, CredentialFilter, CredentialPage, NewCredential};
use crate::error::Result;
use crate::options::ClientOptions;
use crate::runtime::block_on;
use crate::secret::Secret;

/// A blocking client of the AceData Cloud platform API: the methods of [`crate::AceDataPlatform`], returning
/// their results.
///
/// Cheap to clone and share across threads: clones share one connection pool.
#[derive(Clone, Debug)]
pub struct AceDataPlatform {
    inner: crate::AceDataPlatform,
}

impl From<crate::AceDataPlatform> for AceDataPlatform {
    fn from(inner: crate::AceDataPlatform) -> Self {
        Self { inner }
    }
}

impl AceDataPlatform {
    /// AceData's production management API.
    pub const DEFAULT_BASE_URL: &'static str = crate::AceDataPlatform::DEFAULT_BASE_URL;

    /// See [`crate::AceDataPlatform::new`].
    pub fn new(platform_token: impl Into<Secret>, options: ClientOptions) -> Result<Self> {
        crate::AceDataPlatform::new(platform_token, options).map(Self::from)
    }

    /// See [`crate::AceDataPlatform::with_token`].
    pub fn with_token(platform_token: impl Into<Secret>) -> Result<Self> {
        crate::AceDataPlatform::with_token(platform_token).map(Self::from)
    }

    /// See [`crate::AceDataPlatform::from_env`].
    pub fn from_env() -> Result<Self> {
        crate::AceDataPlatform::from_env().map(Self::from)
    }

    /// See [`crate::AceDataPlatform::from_env_with`].
    pub fn from_env_with(options: ClientOptions) -> Result<Self> {
        crate::AceDataPlatform::from_env_with(options).map(Self::from)
    }

    /// The async client this one waits for (same pool).
    pub fn as_async(&self) -> &crate::AceDataPlatform {
        &self.inner
    }

    /// See [`crate::AceDataPlatform::create_credential`]: never retried once sent.
    pub fn create_credential(&self, new: &NewCredential) -> Result<Credential> {
        block_on(self.inner.create_credential(new))
    }

    /// See [`crate::AceDataPlatform::list_credentials`].
    pub fn list_credentials(&self, filter: &CredentialFilter) -> Result<CredentialPage> {
        block_on(self.inner.list_credentials(filter))
    }

    /// See [`crate::AceDataPlatform::get_credential`].
    pub fn get_credential(&self, id: &str) -> Result<Credential> {
        block_on(self.inner.get_credential(id))
    }

    /// See [`crate::AceDataPlatform::update_credential`].
    pub fn update_credential(&self, id: &str, changes: &CredentialChanges) -> Result<Credential> {
        block_on(self.inner.update_credential(id, changes))
    }

    /// See [`crate::AceDataPlatform::rotate_credential`]: never retried once sent.
    pub fn rotate_credential(&self, id: &str) -> Result<Credential> {
        block_on(self.inner.rotate_credential(id))
    }

    /// See [`crate::AceDataPlatform::delete_credential`].
    pub fn delete_credential(&self, id: &str) -> Result<()> {
        block_on(self.inner.delete_credential(id))
    }
}

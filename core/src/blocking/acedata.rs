//! [`AceDataPlatform`]: the async AceData client, waited for on the calling thread.

use std::collections::VecDeque;

use crate::acedata::{
    Application, ApplicationFilter, ApplicationPage, Credential, CredentialChanges, CredentialFilter, CredentialPage,
    NewCredential,
};
use crate::call_options::CallOptions;
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

    /// See [`crate::AceDataPlatform::with_call_options`]: a view whose calls use `options`.
    pub fn with_call_options(&self, options: CallOptions) -> Result<Self> {
        self.inner.with_call_options(options).map(Self::from)
    }

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

    /// Every credential matching `filter`, paging for the caller (see [`crate::AceDataPlatform::iter_credentials`]);
    /// the iterator ends after the last credential or after the first error.
    pub fn iter_credentials(&self, filter: &CredentialFilter) -> CredentialIter {
        CredentialIter { pages: self.credential_pages(filter), buffered: VecDeque::new(), ended: false }
    }

    /// See [`crate::AceDataPlatform::credential_pages`]: the same credentials a page at a time.
    pub fn credential_pages(&self, filter: &CredentialFilter) -> CredentialPages {
        CredentialPages { inner: self.inner.credential_pages(filter) }
    }

    /// See [`crate::AceDataPlatform::list_applications`].
    pub fn list_applications(&self, filter: &ApplicationFilter) -> Result<ApplicationPage> {
        block_on(self.inner.list_applications(filter))
    }

    /// See [`crate::AceDataPlatform::get_application`].
    pub fn get_application(&self, id: &str) -> Result<Application> {
        block_on(self.inner.get_application(id))
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

/// A blocking [`crate::CredentialPages`]: the next page, waited for on the calling thread.
#[derive(Clone, Debug)]
pub struct CredentialPages {
    inner: crate::CredentialPages,
}

impl CredentialPages {
    /// See [`crate::CredentialPages::next_page`].
    pub fn next_page(&self) -> Result<Option<Vec<Credential>>> {
        block_on(self.inner.next_page())
    }

    /// See [`crate::CredentialPages::next_page_traced`].
    pub fn next_page_traced(&self, trace: Option<crate::telemetry::CallTrace>) -> Result<Option<Vec<Credential>>> {
        block_on(self.inner.next_page_traced(trace))
    }

    /// See [`crate::CredentialPages::telemetry`].
    pub fn telemetry(&self) -> crate::telemetry::TelemetryMode {
        self.inner.telemetry()
    }

    /// See [`crate::CredentialPages::is_done`].
    pub fn is_done(&self) -> bool {
        self.inner.is_done()
    }
}

/// The credentials of [`AceDataPlatform::iter_credentials`], fetched a page at a time as the iteration needs them.
#[derive(Debug)]
pub struct CredentialIter {
    pages: CredentialPages,
    buffered: VecDeque<Credential>,
    ended: bool,
}

impl Iterator for CredentialIter {
    type Item = Result<Credential>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.buffered.is_empty() && !self.ended {
            match self.pages.next_page() {
                Ok(Some(items)) => self.buffered.extend(items),
                Ok(None) => self.ended = true,
                Err(e) => {
                    self.ended = true;
                    return Some(Err(e));
                }
            }
        }
        self.buffered.pop_front().map(Ok)
    }
}

//! [`CredentialPages`] and [`AsyncCredentialPages`]: the core's page cursor, which each language turns into its
//! own iterator (a Kotlin `Sequence` or `Flow`, a Swift `AsyncSequence`, a Python generator).

use std::sync::Arc;

use crate::cancellation::{cancellable, Cancellation};
use crate::credential::Credential;
use crate::error::Result;

/// Every credential matching a filter, a page at a time: `next_page()` until it returns null.
#[derive(Debug, uniffi::Object)]
pub struct CredentialPages(pub(crate) tokensmith::blocking::CredentialPages);

#[uniffi::export]
impl CredentialPages {
    /// The next page's credentials, or null after the last; a failed page is asked for again by the next call.
    pub fn next_page(&self) -> Result<Option<Vec<Arc<Credential>>>> {
        Ok(self.0.next_page()?.map(wrap))
    }

    /// Whether the last page was listed: the next `next_page` returns null without a request.
    pub fn is_done(&self) -> bool {
        self.0.is_done()
    }
}

/// [`CredentialPages`] for async callers.
#[derive(Debug, uniffi::Object)]
pub struct AsyncCredentialPages(pub(crate) tokensmith::CredentialPages);

#[uniffi::export]
impl AsyncCredentialPages {
    /// The next page's credentials, or null after the last.
    #[uniffi::method(default(cancellation = None))]
    pub async fn next_page(&self, cancellation: Option<Arc<Cancellation>>) -> Result<Option<Vec<Arc<Credential>>>> {
        Ok(cancellable(cancellation, self.0.next_page()).await?.map(wrap))
    }

    /// Whether the last page was listed: the next `next_page` returns null without a request.
    pub fn is_done(&self) -> bool {
        self.0.is_done()
    }
}

fn wrap(items: Vec<tokensmith::Credential>) -> Vec<Arc<Credential>> {
    items.into_iter().map(|c| Arc::new(c.into())).collect()
}

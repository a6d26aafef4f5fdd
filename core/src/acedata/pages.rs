//! [`CredentialPages`]: every credential matching a filter, fetched one page after the other.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use futures_util::future::BoxFuture;
use futures_util::stream::{self, Stream, StreamExt, TryStreamExt};
use tokio::sync::Mutex;

use super::{Credential, CredentialFilter, CredentialPage};
use crate::error::Result;
use crate::telemetry::{CallTrace, TelemetryMode};

/// Lists one page for a filter, traced into the trace if one is given: the platform's `list_credentials`, handed
/// in by the platform that makes the cursor.
pub(crate) type ListPage =
    Arc<dyn Fn(CredentialFilter, Option<CallTrace>) -> BoxFuture<'static, Result<CredentialPage>> + Send + Sync>;

/// The page size when the filter sets none: large, so that few requests list many credentials.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// A cursor over the credentials matching a filter: [`CredentialPages::next_page`] lists the next page (`limit`
/// of the filter is the page size, `offset` where to start) until the platform's `count` is reached, a page
/// comes back empty, or (when the answer carries no `count`) a page comes back shorter than asked. Each page is one list call, retried like any read.
///
/// Clones share the cursor, and concurrent calls take pages in turn, so no page is fetched twice. A failed page
/// is not skipped: the next call asks for it again. Credentials created or deleted while paging may shift the
/// pages (the platform pages by offset), so one may be missed or seen twice.
#[derive(Clone)]
pub struct CredentialPages {
    list: ListPage,
    cursor: Arc<Mutex<Cursor>>,
    telemetry: TelemetryMode,
}

struct Cursor {
    filter: CredentialFilter,
    done: bool,
}

impl fmt::Debug for CredentialPages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cursor = self.cursor.try_lock();
        let filter = cursor.as_ref().map(|cursor| &cursor.filter).ok();
        f.debug_struct("CredentialPages").field("filter", &filter).finish_non_exhaustive()
    }
}

impl CredentialPages {
    pub(crate) fn new(list: ListPage, filter: &CredentialFilter, telemetry: TelemetryMode) -> Self {
        let filter = CredentialFilter {
            limit: Some(filter.limit.unwrap_or(DEFAULT_PAGE_SIZE)),
            offset: Some(filter.offset.unwrap_or(0)),
            ..filter.clone()
        };
        Self { list, cursor: Arc::new(Mutex::new(Cursor { filter, done: false })), telemetry }
    }

    /// The next page's credentials, or `None` after the last one. A bad filter is an error on the first call,
    /// before any request.
    pub fn next_page(&self) -> impl Future<Output = Result<Option<Vec<Credential>>>> + Send + 'static {
        self.next_page_traced(None)
    }

    /// [`CredentialPages::next_page`], its request traced into `trace` as an `acedata.list_credentials` call (the
    /// Python and Node layers' way in; a telemetry hook traces each page without it).
    pub fn next_page_traced(
        &self,
        trace: Option<CallTrace>,
    ) -> impl Future<Output = Result<Option<Vec<Credential>>>> + Send + 'static {
        let (list, cursor) = (Arc::clone(&self.list), Arc::clone(&self.cursor));
        async move {
            let mut cursor = cursor.lock_owned().await;
            if cursor.done {
                return Ok(None);
            }
            let page = list(cursor.filter.clone(), trace).await?;
            let fetched = page.items.len() as u32;
            let offset = cursor.filter.offset.unwrap_or(0).saturating_add(fetched);
            cursor.filter.offset = Some(offset);
            let last = if page.counted {
                u64::from(offset) >= page.count
            } else {
                fetched < cursor.filter.limit.unwrap_or(DEFAULT_PAGE_SIZE)
            };
            cursor.done = page.items.is_empty() || last;
            Ok((!page.items.is_empty()).then_some(page.items))
        }
    }

    /// The telemetry of the platform whose credentials these are (a layer that traces each page reads it).
    pub fn telemetry(&self) -> TelemetryMode {
        self.telemetry
    }

    /// Whether the last page was listed: a call to [`CredentialPages::next_page`] would return `None` without a
    /// request (so a layer that traces each page need not start a span for it). False while a page is in flight.
    pub fn is_done(&self) -> bool {
        self.cursor.try_lock().is_ok_and(|cursor| cursor.done)
    }

    /// The credentials one by one; the stream ends after the last, or after the first error.
    pub fn into_stream(self) -> impl Stream<Item = Result<Credential>> + Send + Unpin + 'static {
        stream::try_unfold(self, |pages| async move { Ok(pages.next_page().await?.map(|items| (items, pages))) })
            .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}

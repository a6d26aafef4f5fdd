//! The mock's memory: request counts, issued tokens, stored credentials, armed faults, and what reached the
//! foreign origin.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::Value;

use crate::faults::Faults;
use crate::seen::Seen;

/// Everything the mock remembers, behind one lock held only for short, non-blocking sections.
#[derive(Debug, Default)]
pub(crate) struct State {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
pub(crate) struct Inner {
    /// Requests seen, by `"METHOD /path"`.
    pub(crate) counts: BTreeMap<String, u64>,
    /// The latest requests, for tests that check what was sent.
    pub(crate) seen: Seen,
    /// Tokens getToken handed out that are still valid, with the client id each was issued to.
    pub(crate) live_tokens: HashMap<String, String>,
    /// Akool accounts besides the demo one, by client id: their client secret, which is also their API key.
    pub(crate) tenants: HashMap<String, String>,
    pub(crate) tokens_issued: u64,
    /// Credentials by id, as JSON objects.
    pub(crate) credentials: BTreeMap<String, Value>,
    pub(crate) faults: Faults,
    /// Requests that reached the second ("foreign") origin, and how many of them carried a credential header.
    pub(crate) foreign_requests: u64,
    pub(crate) foreign_auth_headers: u64,
    /// TCP connections the API origin accepted: how tests see whether clients reuse pooled connections.
    pub(crate) connections: u64,
}

impl State {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Inner {
    /// A snapshot for `GET /__mock/state`.
    pub(crate) fn snapshot(&self) -> Value {
        serde_json::json!({
            "counts": self.counts,
            "requests": self.seen.to_json(false),
            "credentials": self.credentials.len(),
            "tokens_issued": self.tokens_issued,
            "connections": self.connections,
            "foreign": {"requests": self.foreign_requests, "auth_headers": self.foreign_auth_headers},
        })
    }

    /// Forgets everything: counts, tokens, credentials, faults.
    pub(crate) fn reset(&mut self) {
        *self = Inner::default();
    }
}

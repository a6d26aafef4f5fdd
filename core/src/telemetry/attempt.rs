//! [`AttemptRecord`]: one HTTP attempt as the transport saw it, and [`AttemptLog`], where a call (or a shared token
//! fetch) collects them.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use crate::method::Method;

/// Why an attempt was followed by another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RetryReason {
    /// A status the policy retries (408, 429; 5xx when idempotent).
    Status,
    /// The vendor refused the call without acting on it (Akool's 1005), under any status.
    Refused,
    /// The connection closed before any byte of the answer: the transport's one resend.
    ConnectionClosed,
    /// The attempt timed out.
    Timeout,
    /// Any other network failure the policy retries.
    Transport,
}

impl RetryReason {
    /// The value of `tokensmith.retry.reason`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Status => "status",
            Self::Refused => "refused",
            Self::ConnectionClosed => "connection_closed",
            Self::Timeout => "timeout",
            Self::Transport => "transport",
        }
    }
}

/// One attempt: what was sent where, when, and what came of it. Holds no header, body or query string.
#[derive(Clone, Debug)]
pub(crate) struct AttemptRecord {
    pub(crate) method: Method,
    /// Scheme, host, port and path: the query is left out (AceData's filters, callers' own parameters).
    pub(crate) url: String,
    pub(crate) server_address: String,
    pub(crate) server_port: u16,
    pub(crate) start: SystemTime,
    pub(crate) end: SystemTime,
    pub(crate) status: Option<u16>,
    /// The error kind's name when no answer came (`Timeout`, `Transport`).
    pub(crate) failure: Option<&'static str>,
    /// How many attempts of this request came before this one (`http.request.resend_count`).
    pub(crate) resend_count: u32,
    /// Why another attempt followed, and the `Retry-After` honoured before it.
    pub(crate) retried: Option<(RetryReason, Option<Duration>)>,
}

/// The attempts of one call, or of one token fetch, in the order they were made.
#[derive(Debug, Default)]
pub(crate) struct AttemptLog(Mutex<Vec<AttemptRecord>>);

impl AttemptLog {
    pub(crate) fn push(&self, attempt: AttemptRecord) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).push(attempt);
    }

    /// Marks the last attempt as retried, for `reason`, after waiting `retry_after` when the server asked.
    pub(crate) fn retried(&self, reason: RetryReason, retry_after: Option<Duration>) {
        if let Some(last) = self.0.lock().unwrap_or_else(PoisonError::into_inner).last_mut() {
            last.retried = Some((reason, retry_after));
        }
    }

    /// The number of attempts so far: the resend count of the next one.
    pub(crate) fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    pub(crate) fn snapshot(&self) -> Vec<AttemptRecord> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

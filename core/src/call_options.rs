//! [`CallOptions`]: settings for one call that differ from the client's: a longer timeout for one slow call,
//! a header the caller's gateway wants, or no retries for a call the caller will repeat on its own.

use std::fmt;
use std::time::Duration;

use crate::telemetry::CallTrace;

/// Settings for the calls of one client view (see `AkoolClient::with_call_options` and
/// `AceDataPlatform::with_call_options`); unset ones keep the client's.
///
/// Checked when the view is made: a zero timeout, a header name or value HTTP does not allow, or a header that
/// tokensmith sets itself (`authorization`, `x-api-key`, ...: auth cannot be overridden) is an input error.
/// Header values are kept out of `Debug`, since callers put their own tokens in them.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) trace: Option<CallTrace>,
}

impl CallOptions {
    /// No overrides: the client's settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// The time one attempt of this call may take, body included, instead of the client's request timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Adds a header to this call's requests (after the client's own, so it may replace `accept` or
    /// `user-agent`, but never an auth header).
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Retries after the first attempt for this call, instead of the client's `max_retries` (0: none).
    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Records this call's telemetry into `trace` and sends its propagation headers (see
    /// [`telemetry`](crate::telemetry)): how a language's OpenTelemetry layer traces a call.
    pub fn with_trace(mut self, trace: CallTrace) -> Self {
        self.trace = Some(trace);
        self
    }

    /// Whether nothing is overridden.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("header_names", &header_names)
            .field("max_retries", &self.max_retries)
            .field("trace", &self.trace)
            .finish()
    }
}

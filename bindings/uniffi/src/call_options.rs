//! [`CallOptions`]: the core's per-call options as a record.

use std::collections::HashMap;

use tokensmith::overrides::{call_view, CallOverrides};
use tokensmith::WithCallOptions;

use crate::error::Result;

/// Settings for one call over the client's: a timeout for this call, extra headers (auth headers cannot be
/// overridden), and the retries for this call. Unset fields keep the client's settings.
#[derive(Clone, Default, uniffi::Record)]
pub struct CallOptions {
    /// This call's timeout per attempt, in milliseconds (> 0).
    #[uniffi(default = None)]
    pub timeout_ms: Option<i64>,
    /// Extra headers for this call.
    #[uniffi(default = None)]
    pub headers: Option<HashMap<String, String>>,
    /// Retries after the first attempt for this call (>= 0).
    #[uniffi(default = None)]
    pub max_retries: Option<i32>,
}

/// As the core's `CallOverrides` prints it: header names only (their values may be the caller's tokens).
impl std::fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        CallOverrides::from(self.clone()).fmt(f)
    }
}

impl From<CallOptions> for CallOverrides {
    fn from(options: CallOptions) -> Self {
        let max_retries = options.max_retries.map(i64::from);
        CallOverrides::new(options.timeout_ms, options.headers.unwrap_or_default(), max_retries)
    }
}

/// `client`, or its view with `options`.
pub(crate) fn view<C: WithCallOptions>(client: &C, options: Option<CallOptions>) -> Result<C> {
    Ok(call_view(client, options.map(Into::into))?)
}

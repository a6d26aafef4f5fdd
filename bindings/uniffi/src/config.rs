//! [`ClientConfig`]: the client options as a record. Every field is optional, so the defaults stay in core, and
//! numbers cross as they are: the core's `Overrides` checks them (signed, so that Java can pass them).

use tokensmith::{ClientOptions, Overrides};

use crate::error::{Result, TokensmithError};

/// Options for a client. Unset fields keep the core's defaults (10 s connect, 60 s request, 2 retries).
#[derive(Clone, Debug, Default, uniffi::Record)]
pub struct ClientConfig {
    /// Another base URL (https, or http to loopback).
    #[uniffi(default = None)]
    pub base_url: Option<String>,
    /// Connect timeout in milliseconds (> 0).
    #[uniffi(default = None)]
    pub connect_timeout_ms: Option<i64>,
    /// Whole-request timeout in milliseconds (> 0).
    #[uniffi(default = None)]
    pub request_timeout_ms: Option<i64>,
    /// Retries after the first attempt (>= 0).
    #[uniffi(default = None)]
    pub max_retries: Option<i32>,
    /// The first backoff in milliseconds (>= 0; it doubles per retry, capped at 8 s).
    #[uniffi(default = None)]
    pub initial_backoff_ms: Option<i64>,
    /// Appended to the User-Agent, e.g. `python/3.12`.
    #[uniffi(default = None)]
    pub user_agent_suffix: Option<String>,
    /// Extra CA certificates (PEM) to trust besides the system's.
    #[uniffi(default = [])]
    pub root_certificates_pem: Vec<String>,
}

impl TryFrom<ClientConfig> for ClientOptions {
    type Error = TokensmithError;

    fn try_from(config: ClientConfig) -> Result<Self> {
        let overrides = Overrides {
            base_url: config.base_url,
            connect_timeout_ms: config.connect_timeout_ms,
            request_timeout_ms: config.request_timeout_ms,
            max_retries: config.max_retries.map(i64::from),
            initial_backoff_ms: config.initial_backoff_ms,
            user_agent_suffix: config.user_agent_suffix,
            root_certificates_pem: config.root_certificates_pem,
        };
        Ok(ClientOptions::default().with_overrides(overrides)?)
    }
}

/// The options for an optional config. Every client constructor comes here, so on Android this is where a client built before `Tokensmith.init(context)`
/// is refused (`android.rs`); elsewhere that check does not exist.
pub(crate) fn options(config: Option<ClientConfig>) -> Result<ClientOptions> {
    #[cfg(target_os = "android")]
    crate::android::ensure_initialised()?;
    config.unwrap_or_default().try_into()
}

/// A count that crossed as a signed number (`limit`, `offset`, `tolerance_seconds`).
pub(crate) fn count(field: &str, value: Option<i32>) -> Result<Option<u32>> {
    Ok(tokensmith::overrides::count(field, value.map(i64::from))?)
}

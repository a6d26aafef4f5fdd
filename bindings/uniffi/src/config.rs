//! [`ClientConfig`]: the client options as a record. Every field is optional, so the defaults stay in core.

use std::time::Duration;

use tokensmith::{ClientOptions, RetryPolicy};

/// Options for a client. Unset fields keep the core's defaults (10 s connect, 60 s request, 2 retries).
#[derive(Clone, Debug, Default, uniffi::Record)]
pub struct ClientConfig {
    /// Another base URL (https, or http to loopback).
    #[uniffi(default = None)]
    pub base_url: Option<String>,
    /// Connect timeout in milliseconds (> 0).
    #[uniffi(default = None)]
    pub connect_timeout_ms: Option<u64>,
    /// Whole-request timeout in milliseconds (> 0).
    #[uniffi(default = None)]
    pub request_timeout_ms: Option<u64>,
    /// Retries after the first attempt.
    #[uniffi(default = None)]
    pub max_retries: Option<u32>,
    /// The first backoff in milliseconds (it doubles per retry, capped at 8 s).
    #[uniffi(default = None)]
    pub initial_backoff_ms: Option<u64>,
    /// Appended to the User-Agent, e.g. `python/3.12`.
    #[uniffi(default = None)]
    pub user_agent_suffix: Option<String>,
    /// Extra CA certificates (PEM) to trust besides the system's.
    #[uniffi(default = [])]
    pub root_certificates_pem: Vec<String>,
}

impl From<ClientConfig> for ClientOptions {
    fn from(config: ClientConfig) -> Self {
        let defaults = RetryPolicy::default();
        let retry = RetryPolicy {
            max_retries: config.max_retries.unwrap_or(defaults.max_retries),
            initial_backoff: config.initial_backoff_ms.map(Duration::from_millis).unwrap_or(defaults.initial_backoff),
            ..defaults
        };
        let mut options = ClientOptions::default().with_retry(retry);
        if let Some(base_url) = config.base_url {
            options = options.with_base_url(base_url);
        }
        if let Some(ms) = config.connect_timeout_ms {
            options = options.with_connect_timeout(Duration::from_millis(ms));
        }
        if let Some(ms) = config.request_timeout_ms {
            options = options.with_request_timeout(Duration::from_millis(ms));
        }
        if let Some(suffix) = config.user_agent_suffix {
            options = options.with_user_agent_suffix(suffix);
        }
        for pem in config.root_certificates_pem {
            options = options.with_root_certificate_pem(pem.into_bytes());
        }
        options
    }
}

/// The options for an optional config.
pub(crate) fn options(config: Option<ClientConfig>) -> ClientOptions {
    config.unwrap_or_default().into()
}

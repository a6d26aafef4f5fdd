//! [`ClientConfig`]: the client options as a record. Every field is optional, so the defaults stay in core.
//!
//! Numbers are signed so that Java, which has no unsigned types, can pass them; negatives are input errors.

use std::time::Duration;

use tokensmith::{ClientOptions, Overrides};

use crate::error::{invalid_input, Result, TokensmithError};

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
        Ok(ClientOptions::default().with_overrides(Overrides {
            base_url: config.base_url,
            connect_timeout: millis("connect_timeout_ms", config.connect_timeout_ms)?,
            request_timeout: millis("request_timeout_ms", config.request_timeout_ms)?,
            max_retries: non_negative("max_retries", config.max_retries)?,
            initial_backoff: millis("initial_backoff_ms", config.initial_backoff_ms)?,
            user_agent_suffix: config.user_agent_suffix,
            root_certificates_pem: config.root_certificates_pem,
        }))
    }
}

/// A count that must not be negative.
pub(crate) fn non_negative(field: &str, value: Option<i32>) -> Result<Option<u32>> {
    value
        .map(|v| u32::try_from(v).map_err(|_| invalid_input(field, format!("must not be negative, got {v}"))))
        .transpose()
}

fn millis(field: &str, value: Option<i64>) -> Result<Option<Duration>> {
    value
        .map(|v| {
            u64::try_from(v)
                .map(Duration::from_millis)
                .map_err(|_| invalid_input(field, format!("must not be negative, got {v}")))
        })
        .transpose()
}

/// The options for an optional config.
pub(crate) fn options(config: Option<ClientConfig>) -> Result<ClientOptions> {
    config.unwrap_or_default().try_into()
}

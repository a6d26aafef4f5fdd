//! `ClientOptions`: the client options as a JavaScript object, handed to the core's `Overrides` unchecked.

use napi_derive::napi;
use tokensmith::{ClientOptions as CoreOptions, Overrides};

use crate::errors::{js, Result};

/// Options for a client; a missing field keeps the core's default (10 s connect, 60 s request, 2 retries).
#[napi(object)]
#[derive(Debug, Default)]
pub struct ClientOptions {
    /// Another base URL (https, or http to loopback).
    pub base_url: Option<String>,
    /// Connect timeout in milliseconds (> 0).
    pub connect_timeout_ms: Option<i64>,
    /// Whole-request timeout in milliseconds (> 0).
    pub request_timeout_ms: Option<i64>,
    /// Retries after the first attempt (>= 0).
    pub max_retries: Option<i64>,
    /// The first backoff in milliseconds (>= 0).
    pub initial_backoff_ms: Option<i64>,
    /// Extra CA certificates (PEM) to trust besides the system's.
    pub root_certificates: Option<Vec<String>>,
}

/// The core's options for optional JavaScript ones.
pub(crate) fn options(options: Option<ClientOptions>) -> Result<CoreOptions> {
    let o = options.unwrap_or_default();
    js(CoreOptions::default().with_overrides(Overrides {
        base_url: o.base_url,
        connect_timeout_ms: o.connect_timeout_ms,
        request_timeout_ms: o.request_timeout_ms,
        max_retries: o.max_retries,
        initial_backoff_ms: o.initial_backoff_ms,
        user_agent_suffix: Some("node".to_owned()),
        root_certificates_pem: o.root_certificates.unwrap_or_default(),
    }))
}

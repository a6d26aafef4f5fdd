//! `ClientConfig`: the client options, as the UniFFI record of the same name takes them.

use std::time::Duration;

use pyo3::prelude::*;
use tokensmith::{ClientOptions, Overrides};

/// Options for a client; `None` keeps the core's default.
#[pyclass(module = "tokensmith._native", get_all, frozen)]
#[derive(Clone, Debug)]
pub(crate) struct ClientConfig {
    base_url: Option<String>,
    connect_timeout_ms: Option<u64>,
    request_timeout_ms: Option<u64>,
    max_retries: Option<u32>,
    initial_backoff_ms: Option<u64>,
    user_agent_suffix: Option<String>,
    root_certificates_pem: Vec<String>,
}

#[pymethods]
impl ClientConfig {
    #[new]
    #[pyo3(signature = (*, base_url=None, connect_timeout_ms=None, request_timeout_ms=None, max_retries=None,
        initial_backoff_ms=None, user_agent_suffix=None, root_certificates_pem=Vec::new()))]
    fn new(
        base_url: Option<String>,
        connect_timeout_ms: Option<u64>,
        request_timeout_ms: Option<u64>,
        max_retries: Option<u32>,
        initial_backoff_ms: Option<u64>,
        user_agent_suffix: Option<String>,
        root_certificates_pem: Vec<String>,
    ) -> Self {
        Self {
            base_url,
            connect_timeout_ms,
            request_timeout_ms,
            max_retries,
            initial_backoff_ms,
            user_agent_suffix,
            root_certificates_pem,
        }
    }
}

/// The options for an optional config.
pub(crate) fn options(config: Option<&ClientConfig>) -> ClientOptions {
    let Some(config) = config.cloned() else { return ClientOptions::default() };
    ClientOptions::default().with_overrides(Overrides {
        base_url: config.base_url,
        connect_timeout: config.connect_timeout_ms.map(Duration::from_millis),
        request_timeout: config.request_timeout_ms.map(Duration::from_millis),
        max_retries: config.max_retries,
        initial_backoff: config.initial_backoff_ms.map(Duration::from_millis),
        user_agent_suffix: config.user_agent_suffix,
        root_certificates_pem: config.root_certificates_pem,
    })
}

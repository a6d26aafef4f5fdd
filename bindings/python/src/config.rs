//! `ClientConfig`: the client options, as the UniFFI record of the same name takes them. Numbers are kept as
//! Python passed them and checked by the core (`tokensmith::Overrides`), as on the UniFFI backend.

use pyo3::prelude::*;
use tokensmith::{ClientOptions, Overrides};

use crate::errors::to_py;

/// Options for a client; `None` keeps the core's default.
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Clone, Debug)]
pub(crate) struct ClientConfig(Overrides);

#[pymethods]
impl ClientConfig {
    #[new]
    #[pyo3(signature = (*, base_url=None, connect_timeout_ms=None, request_timeout_ms=None, max_retries=None,
        initial_backoff_ms=None, user_agent_suffix=None, root_certificates_pem=Vec::new()))]
    fn new(
        base_url: Option<String>,
        connect_timeout_ms: Option<i64>,
        request_timeout_ms: Option<i64>,
        max_retries: Option<i64>,
        initial_backoff_ms: Option<i64>,
        user_agent_suffix: Option<String>,
        root_certificates_pem: Vec<String>,
    ) -> Self {
        Self(Overrides {
            base_url,
            connect_timeout_ms,
            request_timeout_ms,
            max_retries,
            initial_backoff_ms,
            user_agent_suffix,
            root_certificates_pem,
        })
    }
}

/// The options for an optional config.
pub(crate) fn options(config: Option<&ClientConfig>) -> PyResult<ClientOptions> {
    let overrides = config.map(|c| c.0.clone()).unwrap_or_default();
    ClientOptions::default().with_overrides(overrides).map_err(to_py)
}

/// A count as Python passed it (`limit`, `offset`, `tolerance_seconds`), checked by the core.
pub(crate) fn count(field: &str, value: Option<i64>) -> PyResult<Option<u32>> {
    tokensmith::overrides::count(field, value).map_err(to_py)
}

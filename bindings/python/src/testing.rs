//! `NativeMockServer` and `mock_demo_json`, with the UniFFI module's names: the mock vendor APIs in this process, for
//! `tokensmith.testing`. Rules, requests and state cross as JSON text; the package turns them into Python types.

use pyo3::prelude::*;

use crate::errors::to_py;

/// A running mock server on a free loopback port; stopped when collected (or by the package's `close()`).
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Debug)]
pub(crate) struct NativeMockServer(tokensmith_mock::MockServer);

#[pymethods]
impl NativeMockServer {
    #[staticmethod]
    fn start() -> PyResult<Self> {
        tokensmith_mock::MockServer::start()
            .map(Self)
            .map_err(|e| to_py(tokensmith::Error::Transport(format!("the mock server did not start: {e}"))))
    }

    fn base_url(&self) -> String {
        self.0.base_url().to_owned()
    }

    fn arm(&self, rule_json: &str) -> PyResult<()> {
        self.0.arm(rule_json).map_err(|reason| to_py(tokensmith::Error::invalid("rule", reason)))
    }

    fn requests_json(&self, reveal: bool) -> String {
        self.0.requests_json(reveal)
    }

    fn counts_json(&self) -> String {
        self.0.counts_json()
    }

    fn credentials_json(&self) -> String {
        self.0.credentials_json()
    }

    fn tokens_issued(&self) -> u64 {
        self.0.tokens_issued()
    }

    fn connections(&self) -> u64 {
        self.0.connections()
    }

    fn add_tenant(&self, client_id: &str, client_secret: &str) {
        self.0.add_tenant(client_id, client_secret);
    }

    fn expire_tokens(&self) {
        self.0.expire_tokens();
    }

    fn set_idle_close_ms(&self, ms: Option<u64>) {
        self.0.set_idle_close_ms(ms);
    }

    /// Blocks without the GIL until the new listener accepts.
    fn restart(&self, py: Python<'_>) -> PyResult<()> {
        crate::logging::detach(py, || self.0.restart())
            .map_err(|e| to_py(tokensmith::Error::Transport(format!("the mock did not restart: {e}"))))
    }

    fn reset(&self) {
        self.0.reset();
    }

    /// Blocks without the GIL: the receiver may be a Python server in this process.
    fn send_webhook(&self, py: Python<'_>, url: &str, payload_json: &str) -> PyResult<u16> {
        crate::logging::detach(py, || self.0.send_webhook_json(url, payload_json))
            .map_err(|reason| to_py(tokensmith::Error::invalid("webhook", reason)))
    }
}

/// The credentials and ids every mock accepts, as JSON.
#[pyfunction]
pub(crate) fn mock_demo_json() -> String {
    tokensmith_mock::MockServer::demo_json()
}

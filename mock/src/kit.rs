//! The mock as the language kits drive it: every argument and answer as JSON text, so that each binding is a
//! line per method and no binding parses or builds JSON of its own.

use crate::MockServer;

impl MockServer {
    /// [`MockServer::requests`] as a JSON array.
    pub fn requests_json(&self, reveal: bool) -> String {
        serde_json::Value::Array(self.requests(reveal)).to_string()
    }

    /// [`MockServer::counts`] as a JSON object.
    pub fn counts_json(&self) -> String {
        serde_json::to_string(&self.counts()).unwrap_or_default()
    }

    /// [`MockServer::credentials`] as a JSON array.
    pub fn credentials_json(&self) -> String {
        serde_json::Value::Array(self.credentials()).to_string()
    }

    /// [`MockServer::send_webhook`] with the payload as JSON text.
    pub fn send_webhook_json(&self, url: &str, payload_json: &str) -> Result<u16, String> {
        let payload = serde_json::from_str(payload_json).map_err(|e| format!("the payload is not JSON: {e}"))?;
        self.send_webhook(url, &payload)
    }

    /// [`MockServer::send_webhook_json`] for async callers whose own event loop runs the receiver (Node): the
    /// delivery runs on the mock's runtime and the returned future waits for it without blocking a thread.
    pub fn send_webhook_async(
        &self,
        url: &str,
        payload_json: &str,
    ) -> impl std::future::Future<Output = Result<u16, String>> + Send + 'static {
        let payload = serde_json::from_str::<serde_json::Value>(payload_json)
            .map_err(|e| format!("the payload is not JSON: {e}"));
        let (url, handle) = (url.to_owned(), self.handle.clone());
        async move {
            let payload = payload?;
            let delivery = handle.spawn(async move { crate::webhook::send(&url, &payload).await });
            delivery.await.map_err(|_| "the mock server stopped".to_owned())?
        }
    }

    /// [`MockServer::set_idle_close`] in milliseconds.
    pub fn set_idle_close_ms(&self, ms: Option<u64>) {
        self.set_idle_close(ms.map(std::time::Duration::from_millis));
    }

    /// [`MockServer::demo`] as JSON text.
    pub fn demo_json() -> String {
        Self::demo().to_string()
    }
}

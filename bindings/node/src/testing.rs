//! `NativeMockServer`: the mock vendor APIs in this process, for the package's testing kit
//! (`tokensmith/testing`). Rules, requests and state cross as JSON text; the package turns them into objects.

use napi::bindgen_prelude::PromiseRaw;
use napi::Env;
use napi_derive::napi;

use crate::errors::{js, Result};
use crate::settle::promise;

/// A running mock server on a free loopback port; stopped by `stop()` (or when collected).
#[napi]
#[derive(Debug)]
pub struct NativeMockServer(Option<tokensmith_mock::MockServer>);

#[napi]
impl NativeMockServer {
    /// Starts a mock on a free loopback port.
    #[napi(factory)]
    pub fn start() -> Result<Self> {
        let server = tokensmith_mock::MockServer::start()
            .map_err(|e| tokensmith::Error::Transport(format!("the mock server did not start: {e}")));
        Ok(Self(Some(js(server)?)))
    }

    /// Both APIs' base URL.
    #[napi]
    pub fn base_url(&self) -> Result<String> {
        Ok(self.server()?.base_url().to_owned())
    }

    /// Arms a fault given as JSON (docs/mock.md).
    #[napi]
    pub fn arm(&self, rule_json: String) -> Result<()> {
        js(self.server()?.arm(&rule_json).map_err(|reason| tokensmith::Error::invalid("rule", reason)))
    }

    /// The latest requests as JSON; credentials redacted unless `reveal`.
    #[napi]
    pub fn requests_json(&self, reveal: bool) -> Result<String> {
        Ok(self.server()?.requests_json(reveal))
    }

    /// Counts by `"METHOD /path"` as JSON.
    #[napi]
    pub fn counts_json(&self) -> Result<String> {
        Ok(self.server()?.counts_json())
    }

    /// The credentials held, as JSON.
    #[napi]
    pub fn credentials_json(&self) -> Result<String> {
        Ok(self.server()?.credentials_json())
    }

    /// How many tokens getToken issued.
    #[napi]
    pub fn tokens_issued(&self) -> Result<f64> {
        Ok(self.server()?.tokens_issued() as f64)
    }

    /// How many TCP connections the API origin accepted since the last reset.
    #[napi]
    pub fn connections(&self) -> Result<f64> {
        Ok(self.server()?.connections() as f64)
    }

    /// Adds an Akool account (its client secret is also its API key).
    #[napi]
    pub fn add_tenant(&self, client_id: String, client_secret: String) -> Result<()> {
        self.server()?.add_tenant(&client_id, &client_secret);
        Ok(())
    }

    /// Expires every token issued so far.
    #[napi]
    pub fn expire_tokens(&self) -> Result<()> {
        self.server()?.expire_tokens();
        Ok(())
    }

    /// Closes a keep-alive connection once it has had no request in flight for `ms` milliseconds (never when
    /// null); the package checks that `ms` is whole.
    #[napi]
    pub fn set_idle_close_ms(&self, ms: Option<u32>) -> Result<()> {
        self.server()?.set_idle_close_ms(ms.map(u64::from));
        Ok(())
    }

    /// Restarts on the same port: every connection closed, the state kept; returns once the new listener accepts.
    #[napi]
    pub fn restart(&self) -> Result<()> {
        js(self.server()?.restart().map_err(|e| tokensmith::Error::Transport(format!("the mock did not restart: {e}"))))
    }

    /// Forgets requests, counts, tokens, credentials, faults and the idle close.
    #[napi]
    pub fn reset(&self) -> Result<()> {
        self.server()?.reset();
        Ok(())
    }

    /// Posts a signed Akool webhook; resolves to the status the receiver answered. Async: the receiver is often a
    /// server on this process's own event loop.
    #[napi]
    pub fn send_webhook<'env>(
        &self,
        env: &'env Env,
        url: String,
        payload_json: String,
    ) -> Result<PromiseRaw<'env, u32>> {
        let sending = self.server().map(|server| server.send_webhook_async(&url, &payload_json));
        promise(env, async move {
            let sent = sending?.await;
            js(sent.map(u32::from).map_err(|reason| tokensmith::Error::invalid("webhook", reason)))
        })
    }

    /// Stops the server (later calls fail).
    #[napi]
    pub fn stop(&mut self) {
        self.0 = None;
    }

    fn server(&self) -> Result<&tokensmith_mock::MockServer> {
        js(self.0.as_ref().ok_or_else(|| tokensmith::Error::Unsupported("the mock server was stopped".into())))
    }
}

/// The credentials and ids every mock accepts, as JSON.
#[napi]
pub fn mock_demo_json() -> String {
    tokensmith_mock::MockServer::demo_json()
}

//! # tokensmith-mock
//!
//! A stand-in for the two vendor APIs on loopback, for the tests of every language, the demo and the
//! benchmarks. It speaks Akool's `getToken` and envelope (`/api/open/...`) and AceData's credential endpoints
//! (`/api/v1/credentials/...`) on one port, counts every request by method and path, and can be told over HTTP
//! to misbehave (see `docs/mock.md` and [`faults::FaultAction`]).
//!
//! It shares no code with the client: it is written from the vendors' docs, so the two can disagree.
#![warn(missing_docs, missing_debug_implementations, unreachable_pub)]

mod acedata;
mod akool;
mod applications;
pub mod faults;
mod http;
mod seen;
mod server;
mod state;
mod webhook;

use std::collections::BTreeMap;
use std::io;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::thread::JoinHandle;

use server::Context;
use tokio::sync::oneshot;

/// The Akool client id the mock accepts.
pub const DEMO_CLIENT_ID: &str = "mock-client-id";
/// The Akool client secret the mock accepts; as at Akool, it is also the API key.
pub const DEMO_CLIENT_SECRET: &str = "mock-api-key-0123456789abcdefghi";
/// The Akool API key the mock accepts (the client secret).
pub const DEMO_API_KEY: &str = DEMO_CLIENT_SECRET;
/// The AceData platform token the mock accepts.
pub const DEMO_PLATFORM_TOKEN: &str = "platform-v1-mock-0123456789";
/// An application whose credentials are `Token`s (the id from AceData's own example).
pub const DEMO_APPLICATION_ID: &str = "107f8d0f-e465-4a7e-a49e-d633d26f7aa2";
/// An application of a proxy service, whose credentials are `Identity`s with username and password.
pub const DEMO_PROXY_APPLICATION_ID: &str = "5a1b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d";

/// A running mock: two loopback listeners served on a background thread, stopped when dropped.
#[derive(Debug)]
pub struct MockServer {
    base_url: String,
    context: Arc<Context>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Starts on an ephemeral loopback port.
    pub fn start() -> io::Result<Self> {
        Self::start_on("127.0.0.1:0")
    }

    /// Starts on `addr` (e.g. `127.0.0.1:8080`); the foreign origin gets an ephemeral port on the same IP.
    pub fn start_on(addr: &str) -> io::Result<Self> {
        let api = TcpListener::bind(addr)?;
        let api_addr = api.local_addr()?;
        let foreign = TcpListener::bind(SocketAddr::new(api_addr.ip(), 0))?;
        let foreign_addr = foreign.local_addr()?;
        api.set_nonblocking(true)?;
        foreign.set_nonblocking(true)?;
        let context = Arc::new(Context { state: Default::default(), foreign_origin: format!("http://{foreign_addr}") });
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
        let (shutdown, stopped) = oneshot::channel::<()>();
        let served = context.clone();
        let thread = std::thread::Builder::new().name("tokensmith-mock".into()).spawn(move || {
            runtime.block_on(async move {
                let api = tokio::net::TcpListener::from_std(api).expect("a listener made by std converts");
                let foreign = tokio::net::TcpListener::from_std(foreign).expect("a listener made by std converts");
                tokio::select! {
                    _ = server::serve_api(api, served.clone()) => {}
                    _ = server::serve_foreign(foreign, served) => {}
                    _ = stopped => {}
                }
            });
            runtime.shutdown_background();
        })?;
        Ok(Self { base_url: format!("http://{api_addr}"), context, shutdown: Some(shutdown), thread: Some(thread) })
    }

    /// The base URL of both APIs, e.g. `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The other origin that `redirect` faults with target `other` point at.
    pub fn foreign_origin(&self) -> &str {
        &self.context.foreign_origin
    }

    /// How many requests arrived with this method and path (query excluded).
    pub fn count(&self, method: &str, path: &str) -> u64 {
        self.context.state.lock().counts.get(&format!("{method} {path}")).copied().unwrap_or(0)
    }

    /// Every count, by `"METHOD /path"`.
    pub fn counts(&self) -> BTreeMap<String, u64> {
        self.context.state.lock().counts.clone()
    }

    /// Arms a fault, given as the JSON that `POST /__mock/faults` takes.
    pub fn push_fault(&self, rule: serde_json::Value) -> Result<(), serde_json::Error> {
        let rule = serde_json::from_value(rule)?;
        self.context.state.lock().faults.push(rule);
        Ok(())
    }

    /// Invalidates every token issued so far.
    pub fn expire_tokens(&self) {
        akool::expire_tokens(&self.context.state);
    }

    /// How many credentials exist.
    pub fn credential_count(&self) -> usize {
        self.context.state.lock().credentials.len()
    }

    /// Every stored credential, as the JSON the platform would return.
    pub fn credentials(&self) -> Vec<serde_json::Value> {
        self.context.state.lock().credentials.values().cloned().collect()
    }

    /// Requests that reached the foreign origin, and how many of them carried `authorization` or `x-api-key`.
    pub fn foreign_requests(&self) -> (u64, u64) {
        let state = self.context.state.lock();
        (state.foreign_requests, state.foreign_auth_headers)
    }

    /// What `GET /__mock/state` answers: counts, the latest requests (credentials redacted), credentials held,
    /// tokens issued, and what reached the foreign origin.
    pub fn state(&self) -> serde_json::Value {
        self.context.state.lock().snapshot()
    }

    /// Forgets counts, tokens, credentials and faults.
    pub fn reset(&self) {
        self.context.state.lock().reset();
    }

    /// Blocks until the server thread ends (it runs until the process is stopped).
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

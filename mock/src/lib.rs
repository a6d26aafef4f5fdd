//! # tokensmith-mock
//!
//! A stand-in for the two vendor APIs on loopback, for the tests of every language, the demo and the
//! benchmarks. It speaks Akool's `getToken` and envelope (`/api/open/...`) and AceData's credential endpoints
//! (`/api/v1/credentials/...`) on one port, counts every request by method and path, and can be told over HTTP
//! to misbehave (see `docs/mock.md` and [`faults::FaultAction`]), down to its connections: closed when idle
//! ([`MockServer::set_idle_close`]), after an answer, with a reset, or all at once by a restart
//! ([`MockServer::restart`]).
//!
//! It shares no code with the client: it is written from the vendors' docs, so the two can disagree.
#![warn(missing_docs, missing_debug_implementations, unreachable_pub)]

mod acedata;
mod akool;
mod applications;
mod connection;
mod connection_state;
mod demo;
pub mod faults;
mod http;
mod kit;
mod listener;
mod seen;
mod server;
mod state;
mod webhook;

use std::collections::BTreeMap;
use std::io;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

pub use demo::{
    DEMO_API_KEY, DEMO_APPLICATION_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PLATFORM_TOKEN,
    DEMO_PROXY_APPLICATION_ID,
};
use server::Context;
use tokio::sync::{mpsc, oneshot, watch};

/// A running mock: two loopback listeners served on a background thread, stopped when dropped.
#[derive(Debug)]
pub struct MockServer {
    base_url: String,
    context: Arc<Context>,
    /// The server's runtime, for the calls that do I/O on behalf of a test (webhooks).
    handle: tokio::runtime::Handle,
    /// To the API origin's listener: restart requests.
    restarts: mpsc::UnboundedSender<listener::Restart>,
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
        let context = Arc::new(Context {
            state: Default::default(),
            foreign_origin: format!("http://{foreign_addr}"),
            idle_close: watch::Sender::new(None),
        });
        let (restarts, restart_requests) = mpsc::unbounded_channel();
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
        let handle = runtime.handle().clone();
        let (shutdown, stopped) = oneshot::channel::<()>();
        let served = context.clone();
        let thread = std::thread::Builder::new().name("tokensmith-mock".into()).spawn(move || {
            runtime.block_on(async move {
                let api = tokio::net::TcpListener::from_std(api).expect("a listener made by std converts");
                let foreign = tokio::net::TcpListener::from_std(foreign).expect("a listener made by std converts");
                tokio::select! {
                    _ = listener::serve_api(api, api_addr, served.clone(), restart_requests) => {}
                    _ = server::serve_foreign(foreign, served) => {}
                    _ = stopped => {}
                }
            });
            runtime.shutdown_background();
        })?;
        let base_url = format!("http://{api_addr}");
        Ok(Self { base_url, context, handle, restarts, shutdown: Some(shutdown), thread: Some(thread) })
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

    /// Arms a fault given as JSON text (what language kits pass); the error says what is wrong with it.
    pub fn arm(&self, rule_json: &str) -> Result<(), String> {
        let rule = serde_json::from_str(rule_json).map_err(|e| format!("not JSON: {e}"))?;
        self.push_fault(rule).map_err(|e| format!("not a fault rule (see docs/mock.md): {e}"))
    }

    /// Adds an Akool account besides the demo one: `client_secret` is also its API key (as at Akool). Tests of
    /// many tenants add one each; calls answer the `client_id` they authenticated as. Forgotten by `reset`.
    pub fn add_tenant(&self, client_id: &str, client_secret: &str) {
        self.context.state.lock().tenants.insert(client_id.to_owned(), client_secret.to_owned());
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

    /// The latest requests (up to 1000), oldest first: `{"method", "path", "headers", "json"}` each, the path with
    /// its query. Credentials (auth headers, a getToken body's `clientSecret`) are redacted unless `reveal`.
    pub fn requests(&self, reveal: bool) -> Vec<serde_json::Value> {
        match self.context.state.lock().seen.to_json(reveal) {
            serde_json::Value::Array(requests) => requests,
            _ => Vec::new(),
        }
    }

    /// How many TCP connections the API origin accepted since the last reset: clients that share a pool open
    /// one and reuse it, so N sequential calls from N clients of equal settings count 1.
    pub fn connections(&self) -> u64 {
        self.context.state.lock().connections
    }

    /// How many tokens getToken has issued since the last reset.
    pub fn tokens_issued(&self) -> u64 {
        self.context.state.lock().tokens_issued
    }

    /// Posts an Akool webhook for `payload` to `url` (loopback `http://` only), signed and encrypted with the demo
    /// client id and secret as Akool does it, once: the status the receiver answered. Blocks the calling thread.
    pub fn send_webhook(&self, url: &str, payload: &serde_json::Value) -> Result<u16, String> {
        let (url, payload) = (url.to_owned(), payload.clone());
        let (sent, answer) = std::sync::mpsc::channel();
        self.handle.spawn(async move {
            let _ = sent.send(webhook::send(&url, &payload).await);
        });
        answer.recv().map_err(|_| "the mock server stopped".to_owned())?
    }

    /// The credentials and ids the mock accepts, as JSON (`api_key`, `client_id`, `client_secret`,
    /// `platform_token`, `application_id`, `proxy_application_id`): what language kits hand their users.
    pub fn demo() -> serde_json::Value {
        serde_json::json!({
            "api_key": DEMO_API_KEY,
            "client_id": DEMO_CLIENT_ID,
            "client_secret": DEMO_CLIENT_SECRET,
            "platform_token": DEMO_PLATFORM_TOKEN,
            "application_id": DEMO_APPLICATION_ID,
            "proxy_application_id": DEMO_PROXY_APPLICATION_ID,
        })
    }

    /// Closes a keep-alive connection of the API origin once it has had no request in flight for `after` (none
    /// when `None`, the default), as servers do (nginx's `keepalive_timeout`, Node's `keepAliveTimeout` of 5 s):
    /// with a FIN and no `Connection: close` on the answer before. Idle means no request being handled and the
    /// last answer written; a connection that has not answered yet is left open. Open connections follow a change
    /// at once. Turned off by `reset`; `POST /__mock/connections` `{"idle_close_ms": N}` does the same over HTTP.
    pub fn set_idle_close(&self, after: Option<Duration>) {
        self.context.idle_close.send_replace(after);
    }

    /// Restarts the API origin on the same address, as a server process restarting would: every open connection
    /// is closed (a FIN; a request in flight gets no answer), the listener is closed, and a new one is bound to the
    /// same address. Everything the mock remembers survives (tenants, tokens, credentials, counts, faults, idle
    /// close), since it is the same state under a new listener. Returns once the new listener accepts; blocks the
    /// calling thread until then. If the address was taken in the meantime, the error says so and the mock stops.
    pub fn restart(&self) -> io::Result<()> {
        let stopped = || io::Error::other("the mock server stopped");
        let (restarted, done) = std::sync::mpsc::channel();
        self.restarts.send(restarted).map_err(|_| stopped())?;
        done.recv().map_err(|_| stopped())?
    }

    /// Forgets counts, tokens, credentials and faults, and turns idle close off.
    pub fn reset(&self) {
        self.context.reset();
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

//! The HTTP clients of one transport: one per runtime that drives its I/O, rebuilt when the process has forked.
//!
//! A client's pooled connections are tasks of the runtime that opened them: a connection opened on a runtime
//! makes progress only while that runtime runs, so a request on another runtime must never be handed one (it
//! hangs once the first runtime is blocked or gone: the known failure of sharing a pool across runtimes). Each
//! runtime that sends through this transport therefore gets its own reqwest client and pool, built from the same
//! settings, found by the runtime's id, and dropped when that runtime shuts down (see `runtime`).
//!
//! `fork()` copies the clients into the child but not the runtimes' threads, so a child process (gunicorn
//! workers, Celery, multiprocessing) that used the parent's pools would wait forever, or talk on the parent's
//! sockets. Each use checks the process id and starts afresh in a new process (the runtimes are rebuilt
//! likewise).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, PoisonError, RwLock, Weak};
use std::time::{Duration, Instant};

use reqwest::Client;
use tokio::runtime::{Handle, Id};

use super::proxy::ProxyChoice;
use crate::error::{Error, Result};
use crate::runtime;

/// What a client is built from: kept to build it again after a fork, and the key under which clients of the
/// process share it (see `shared`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) struct Settings {
    pub(super) user_agent: String,
    pub(super) connect_timeout: Duration,
    pub(super) request_timeout: Duration,
    pub(super) pool_idle_timeout: Duration,
    /// Extra trusted roots, as the caller gave them (PEM bundles).
    pub(super) certificates_pem: Vec<Vec<u8>>,
    pub(super) proxy: ProxyChoice,
}

impl Settings {
    /// Builds a reqwest client: loads the TLS roots, so it costs milliseconds; done once per distinct settings.
    fn build(&self) -> Result<Client> {
        let mut builder = Client::builder()
            .user_agent(self.user_agent.clone())
            .connect_timeout(self.connect_timeout)
            .timeout(self.request_timeout)
            .pool_idle_timeout(self.pool_idle_timeout)
            .redirect(super::redirects::same_origin_redirects())
            .tls_certs_merge(certificates(&self.certificates_pem)?);
        if let Some(proxy) = self.proxy.named()? {
            builder = builder.proxy(proxy);
        }
        builder.build().map_err(|e| {
            Error::Transport(format!("could not build the HTTP client: {}", super::error_chain::error_chain(&e)))
        })
    }
}

/// Parses PEM bundles, refusing any that holds no certificate.
fn certificates(bundles: &[Vec<u8>]) -> Result<Vec<reqwest::Certificate>> {
    let mut certificates = Vec::with_capacity(bundles.len());
    for pem in bundles {
        let bundle = reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|e| Error::invalid("root_certificate", format!("not a PEM certificate ({e})")))?;
        if bundle.is_empty() {
            return Err(Error::invalid("root_certificate", "holds no PEM certificate"));
        }
        certificates.extend(bundle);
    }
    Ok(certificates)
}

/// The origin of [`ForkSafeClient::idle_for`]'s clock.
static EPOCH: LazyLock<Instant> = LazyLock::new(Instant::now);

fn now() -> u64 {
    u64::try_from(EPOCH.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// The reqwest clients of one process, by the runtime whose tasks hold their connections.
struct Pools {
    pid: u32,
    by_runtime: HashMap<Id, Client>,
}

/// The transport's reqwest clients, one per runtime that drives its I/O, for the process they belong to.
pub(super) struct ForkSafeClient {
    settings: Settings,
    pools: RwLock<Pools>,
    /// When it last sent (milliseconds since [`EPOCH`]): how long its pools have been idle.
    last_used: AtomicU64,
}

impl ForkSafeClient {
    /// Checks the settings that can fail (certificates, proxy) now, so that a bad one fails when the vendor
    /// client is built; the reqwest clients are built by the first call on each runtime.
    pub(super) fn new(settings: Settings) -> Result<Self> {
        certificates(&settings.certificates_pem)?;
        settings.proxy.named()?;
        let pools = RwLock::new(Pools { pid: crate::process::id(), by_runtime: HashMap::new() });
        Ok(Self { settings, pools, last_used: AtomicU64::new(now()) })
    }

    /// How long since it last sent: once past the pool's idle timeout, its connections are closed anyway.
    pub(super) fn idle_for(&self) -> Duration {
        Duration::from_millis(now().saturating_sub(self.last_used.load(Ordering::Relaxed)))
    }

    /// The settings it was built from.
    pub(super) fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The client of the runtime this call runs on, in this process (a cheap handle on that runtime's pool).
    pub(super) fn get(self: &Arc<Self>) -> Result<Client> {
        self.last_used.store(now(), Ordering::Relaxed);
        // Calls run on a runtime (see `runtime::run`); the core's stands in should one ever be polled elsewhere.
        let runtime = Handle::try_current().unwrap_or_else(|_| runtime::handle());
        let (pid, id) = (crate::process::id(), runtime.id());
        {
            let pools = self.pools.read().unwrap_or_else(PoisonError::into_inner);
            if let Some(client) = pools.by_runtime.get(&id).filter(|_| pools.pid == pid) {
                return Ok(client.clone());
            }
        }
        let mut pools = self.pools.write().unwrap_or_else(PoisonError::into_inner);
        if pools.pid != pid {
            log::debug!("the process forked: new HTTP clients for pid {pid}");
            // Dropping the parent's pools could close or shut down sockets the parent still uses: leak them.
            std::mem::forget(std::mem::replace(&mut *pools, Pools { pid, by_runtime: HashMap::new() }));
        }
        if let Some(client) = pools.by_runtime.get(&id) {
            return Ok(client.clone());
        }
        let client = self.settings.build()?;
        pools.by_runtime.insert(id, client.clone());
        // Dropped with the runtime's tasks when it shuts down: the runtime's pool goes with it.
        runtime.spawn(ForgetOnDrop { client: Arc::downgrade(self), runtime: id, pid }.hold());
        Ok(client)
    }

    /// How many runtimes' pools it holds (for tests).
    #[cfg(test)]
    pub(super) fn pools(&self) -> usize {
        self.pools.read().unwrap_or_else(PoisonError::into_inner).by_runtime.len()
    }
}

/// Removes a runtime's pool from its transport when dropped: held by a task of that runtime that never ends, so
/// it is dropped when the runtime shuts down.
struct ForgetOnDrop {
    client: Weak<ForkSafeClient>,
    runtime: Id,
    pid: u32,
}

impl ForgetOnDrop {
    async fn hold(self) {
        std::future::pending::<()>().await;
        drop(self);
    }
}

impl Drop for ForgetOnDrop {
    fn drop(&mut self) {
        let Some(client) = self.client.upgrade() else { return };
        let mut pools = client.pools.write().unwrap_or_else(PoisonError::into_inner);
        if pools.pid == self.pid && pools.pid == crate::process::id() {
            pools.by_runtime.remove(&self.runtime);
        }
    }
}

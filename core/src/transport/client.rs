//! The HTTP clients of one transport: one per runtime that drives I/O, rebuilt when the process has forked.
//!
//! A client's pooled connections are tasks of the runtime that opened them: a connection opened by a blocked
//! caller on the callers' runtime makes progress only while a caller drives that runtime, so a request from the
//! core's runtime must never be handed one (it would hang). Each runtime therefore gets its own reqwest client
//! and pool (see `runtime`), built from the same settings.
//!
//! `fork()` copies the clients into the child but not the runtime's threads, so a child process (gunicorn
//! workers, Celery, multiprocessing) that used the parent's pool would wait forever, or talk on the parent's
//! sockets. Each use checks the process id and builds a fresh client in a new process (the runtimes are rebuilt
//! likewise).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, PoisonError, RwLock};
use std::time::{Duration, Instant};

use reqwest::Client;

use super::proxy::ProxyChoice;
use crate::error::{Error, Result};
use crate::runtime::{self, Driver};

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
            .redirect(super::same_origin_redirects())
            .tls_certs_merge(certificates(&self.certificates_pem)?);
        if let Some(proxy) = self.proxy.named()? {
            builder = builder.proxy(proxy);
        }
        builder
            .build()
            .map_err(|e| Error::Transport(format!("could not build the HTTP client: {}", super::error_chain(&e))))
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

/// A reqwest client and the process it belongs to.
type Slot = RwLock<Option<(u32, Client)>>;

/// The transport's reqwest clients, one per runtime that drives I/O, each for the process it belongs to.
pub(super) struct ForkSafeClient {
    settings: Settings,
    core: Slot,
    callers: Slot,
    /// When it last sent (milliseconds since [`EPOCH`]): how long its pool has been idle.
    last_used: AtomicU64,
}

impl ForkSafeClient {
    pub(super) fn new(settings: Settings) -> Result<Self> {
        // Built now, so that bad settings (a certificate that does not parse) fail when the vendor client is built.
        let core = RwLock::new(Some((crate::process::id(), settings.build()?)));
        Ok(Self { settings, core, callers: RwLock::new(None), last_used: AtomicU64::new(now()) })
    }

    /// How long since it last sent: once past the pool's idle timeout, its connections are closed anyway.
    pub(super) fn idle_for(&self) -> Duration {
        Duration::from_millis(now().saturating_sub(self.last_used.load(Ordering::Relaxed)))
    }

    /// The settings it was built from.
    pub(super) fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The client for the runtime driving this thread, in this process (a cheap handle on a shared pool).
    pub(super) fn get(&self) -> Result<Client> {
        self.last_used.store(now(), Ordering::Relaxed);
        let slot = match runtime::driving() {
            Some(Driver::Callers) => &self.callers,
            Some(Driver::Core) | None => &self.core,
        };
        let pid = crate::process::id();
        if let Some((owner, client)) = &*slot.read().unwrap_or_else(PoisonError::into_inner) {
            if *owner == pid {
                return Ok(client.clone());
            }
        }
        let mut slot = slot.write().unwrap_or_else(PoisonError::into_inner);
        match &*slot {
            Some((owner, client)) if *owner == pid => Ok(client.clone()),
            stale => {
                if stale.is_some() {
                    log::debug!("the process forked: building a new HTTP client for pid {pid}");
                }
                let client = self.settings.build()?;
                // Dropping the parent's pool could close or shut down sockets the parent still uses: leak it.
                std::mem::forget(slot.replace((pid, client.clone())));
                Ok(client)
            }
        }
    }
}

//! The HTTP clients of one transport: one per runtime that drives its I/O, rebuilt when the process has forked.
//!
//! A client's pooled connections are tasks of the runtime that opened them: a connection opened on a runtime
//! makes progress only while that runtime runs, so a request on another runtime must never be handed one (it
//! hangs once the first runtime is blocked or gone: the known failure of sharing a pool across runtimes). Each
//! runtime that sends through this transport therefore gets its own HTTP client and pool, built from the same
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

use tokio::runtime::{Handle, Id};
use tokio_util::sync::CancellationToken;

use super::http_client::HttpClient;
use super::settings::Settings;
use crate::error::Result;
use crate::runtime;

/// The origin of [`ForkSafeClient::idle_for`]'s clock.
static EPOCH: LazyLock<Instant> = LazyLock::new(Instant::now);

fn now() -> u64 {
    u64::try_from(EPOCH.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// What drives a pool's connections: a tokio runtime, or a foreign event loop (`loop_executor`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Driver {
    Runtime(Id),
    Loop(u64),
}

/// The HTTP clients of one process, by what drives the tasks that hold their connections.
struct Pools {
    pid: u32,
    by_runtime: HashMap<Driver, HttpClient>,
}

/// The transport's HTTP clients, one per runtime that drives its I/O, for the process they belong to.
pub(super) struct ForkSafeClient {
    settings: Settings,
    pools: RwLock<Pools>,
    /// When it last sent (milliseconds since [`EPOCH`]): how long its pools have been idle.
    last_used: AtomicU64,
    /// Cancelled when it is dropped, which ends the tasks that watch for its runtimes' shutdown.
    dropped: CancellationToken,
}

impl Drop for ForkSafeClient {
    fn drop(&mut self) {
        self.dropped.cancel();
    }
}

impl ForkSafeClient {
    /// Checks the settings that can fail (certificates, proxy) now, so that a bad one fails when the vendor
    /// client is built; the HTTP clients are built by the first call on each runtime.
    pub(super) fn new(settings: Settings) -> Result<Self> {
        super::tls::certificates(&settings.certificates_pem)?;
        settings.proxy.matcher()?;
        let pools = RwLock::new(Pools { pid: crate::process::id(), by_runtime: HashMap::new() });
        Ok(Self { settings, pools, last_used: AtomicU64::new(now()), dropped: CancellationToken::new() })
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
    pub(super) fn get(self: &Arc<Self>) -> Result<HttpClient> {
        self.last_used.store(now(), Ordering::Relaxed);
        // Calls run on a runtime or a loop (see `runtime::run`); the core's runtime stands in should one ever be
        // polled elsewhere.
        let event_loop = crate::loop_executor::current();
        let runtime = Handle::try_current().unwrap_or_else(|_| runtime::handle());
        let id = event_loop.as_ref().map_or(Driver::Runtime(runtime.id()), |l| Driver::Loop(l.id()));
        let pid = crate::process::id();
        {
            let pools = self.pools.read().unwrap_or_else(PoisonError::into_inner);
            if let Some(client) = pools.by_runtime.get(&id).filter(|_| pools.pid == pid) {
                return Ok(client.clone());
            }
        }
        let client = {
            let mut pools = self.pools.write().unwrap_or_else(PoisonError::into_inner);
            if pools.pid != pid {
                // Dropping the parent's pools could close or shut down sockets the parent still uses: leak them.
                // (Not logged: no record is written under a lock of ours, as a log sink may call back in.)
                std::mem::forget(std::mem::replace(&mut *pools, Pools { pid, by_runtime: HashMap::new() }));
            }
            if let Some(client) = pools.by_runtime.get(&id) {
                return Ok(client.clone());
            }
            let client = HttpClient::new(&self.settings, event_loop.clone())?;
            pools.by_runtime.insert(id, client.clone());
            client
        };
        // Dropped with the runtime's (or the loop's) tasks when it shuts down: its pool goes with it. Spawned after
        // the lock is released: a runtime that is shutting down drops the task at once, here, and its drop takes
        // the lock.
        let forget = ForgetOnDrop { client: Arc::downgrade(self), runtime: id, pid };
        let hold = forget.hold(self.dropped.clone());
        match event_loop {
            Some(event_loop) => event_loop.spawn(Box::pin(hold)),
            None => drop(runtime.spawn(hold)),
        }
        Ok(client)
    }

    /// How many runtimes' pools it holds (for tests).
    #[cfg(test)]
    pub(super) fn pools(&self) -> usize {
        self.pools.read().unwrap_or_else(PoisonError::into_inner).by_runtime.len()
    }
}

/// Removes a runtime's pool from its transport when dropped: held by a task of that runtime that ends only when
/// the transport itself is dropped, so it is dropped when the runtime shuts down, and leaves nothing behind on a
/// runtime that never does.
struct ForgetOnDrop {
    client: Weak<ForkSafeClient>,
    runtime: Driver,
    pid: u32,
}

impl ForgetOnDrop {
    async fn hold(self, transport_dropped: CancellationToken) {
        transport_dropped.cancelled().await;
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

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::sync::mpsc;

    use super::*;
    use crate::transport::proxy::ProxyChoice;

    fn settings(proxy: ProxyChoice) -> Settings {
        Settings {
            user_agent: "tokensmith-test".into(),
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(5),
            pool_idle_timeout: Duration::from_secs(5),
            certificates_pem: Vec::new(),
            proxy,
        }
    }

    /// Runs `work` on a thread of its own and fails the test if it has not returned within 5 s (a deadlock).
    fn within_5_s<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || sender.send(work()));
        receiver.recv_timeout(Duration::from_secs(5)).expect("it hung")
    }

    #[test]
    fn a_runtime_that_is_shutting_down_gets_a_client_without_a_deadlock() {
        let client = Arc::new(ForkSafeClient::new(settings(ProxyChoice::new(None))).unwrap());
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).build().unwrap();
        let stopped = runtime.handle().clone();
        runtime.shutdown_background();
        // Spawning on a runtime that shut down drops the watcher at once, on this thread: it must not find the
        // pools locked by the same thread.
        let pools = within_5_s(move || {
            let _context = stopped.enter();
            client.get().unwrap();
            client.pools()
        });
        assert_eq!(pools, 0, "the pool of a runtime that is gone is not kept");
    }

    #[test]
    fn the_watcher_task_ends_with_the_transport_on_a_runtime_that_lives_on() {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let client = Arc::new(ForkSafeClient::new(settings(ProxyChoice::new(None))).unwrap());
        runtime.block_on(async { client.get().unwrap() });
        let alive = || runtime.metrics().num_alive_tasks();
        assert_eq!(alive(), 1, "one task watches for the runtime's shutdown");
        drop(client);
        let deadline = Instant::now() + Duration::from_secs(5);
        while alive() > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(alive(), 0, "the transport is gone, and so is its watcher");
    }

    #[test]
    fn the_http_client_takes_the_environment_s_proxy_from_the_snapshot_not_from_the_environment_now() {
        // A proxy that answers any request, and records the request line it got.
        let proxy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = proxy.local_addr().unwrap();
        let seen = std::thread::spawn(move || {
            let (mut stream, _) = proxy.accept().unwrap();
            let mut head = [0u8; 1024];
            let read = stream.read(&mut head).unwrap();
            stream.write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n").unwrap();
            String::from_utf8_lossy(&head[..read]).lines().next().unwrap_or_default().to_owned()
        });
        // Nothing in this process's environment names a proxy; the snapshot does.
        let snapshot = super::super::proxy::tests::snapshot(&[("HTTP_PROXY", &format!("http://{address}"))]);
        let client = Arc::new(ForkSafeClient::new(settings(snapshot)).unwrap());
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let request = http::Request::get("http://vendor.invalid/x").body(Default::default()).unwrap();
        let status = runtime.block_on(async { client.get().unwrap().send(request).await });
        assert_eq!(status.unwrap().status(), 204);
        assert_eq!(seen.join().unwrap(), "GET http://vendor.invalid/x HTTP/1.1");
    }
}

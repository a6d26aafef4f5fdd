//! The one tokio runtime that drives every request of every client, and the two ways to wait for it.
//! Clients use it on their own; [`handle`] is public only for bindings that bridge a foreign event loop.
//!
//! Why one runtime owned by the core: a reqwest client's pooled connections belong to the runtime that opened
//! them, so a client shared by callers on different runtimes (a user's `#[tokio::main]`, Python's event loop
//! thread, Kotlin's dispatchers, a plain thread) breaks when one of them shuts down. Every async call of the
//! public API is therefore spawned here and awaited through a handle that works on any executor; the blocking
//! facade parks the calling thread on that same handle. One implementation, two ways to wait.
//!
//! Cancellation: dropping the future a public method returned aborts the spawned task, which drops its HTTP
//! request. The token fetch is the exception: it is spawned detached, so one cancelled waiter does not cancel
//! the fetch that others wait for (see `akool::token_cache`).
//!
//! `fork()`: a child process inherits none of the runtime's threads. The runtime is built lazily and rebuilt
//! when the process id changes; the parent's is leaked in the child (dropping it would wait for threads that do
//! not exist there).

use std::future::Future;
use std::sync::{Mutex, PoisonError, RwLock};
use std::time::Duration;

use tokio::runtime::{Builder, Handle, Runtime};
use tokio::task::JoinHandle;
use tokio_util::task::AbortOnDropHandle;

use crate::error::{Error, Result};

/// The handle of this process's runtime, with the process id it was built in.
static RUNTIME: RwLock<Option<(u32, Handle)>> = RwLock::new(None);

/// The runtime itself, kept so that [`shutdown`] can stop it.
static OWNED: Mutex<Option<Runtime>> = Mutex::new(None);

/// The handle of this process's runtime, built on first use and again after a fork.
///
/// For bindings that bridge a foreign event loop (Python's asyncio through `pyo3-async-runtimes`): spawn the
/// bridging tasks here, so that they too are rebuilt after a fork. The clients need nothing from it.
pub fn handle() -> Handle {
    let pid = std::process::id();
    if let Some((owner, handle)) = &*RUNTIME.read().unwrap_or_else(PoisonError::into_inner) {
        if *owner == pid {
            return handle.clone();
        }
    }
    let mut slot = RUNTIME.write().unwrap_or_else(PoisonError::into_inner);
    match &*slot {
        Some((owner, handle)) if *owner == pid => handle.clone(),
        inherited => {
            if inherited.is_some() {
                log::debug!("the process forked: starting a new runtime for pid {pid}");
            }
            let runtime = build();
            let handle = runtime.handle().clone();
            let inherited = OWNED.lock().unwrap_or_else(PoisonError::into_inner).replace(runtime);
            // A forked child's copy of the parent's runtime has no threads here: dropping it would wait for them.
            std::mem::forget(inherited);
            *slot = Some((pid, handle.clone()));
            handle
        }
    }
}

fn build() -> Runtime {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    Builder::new_multi_thread()
        .worker_threads(threads)
        // The core blocks nowhere; the blocking pool serves only bindings that hand results to a foreign event
        // loop (Python's asyncio bridge), which wait for one lock anyway. A small cap keeps the threads bounded.
        .max_blocking_threads(4)
        .thread_name("tokensmith-io")
        .enable_all()
        .build()
        // Building a runtime fails only when the OS refuses threads or an epoll/timer fd; nothing can work then.
        .expect("tokensmith: could not start its I/O runtime (threads or file descriptors exhausted)")
}

/// Stops the runtime's threads, waiting up to `timeout` for the work they are doing; calls in flight fail with a
/// transport error, and a later call starts a new runtime.
///
/// For hosts whose own threads must not be called into after they exit: a Python interpreter that is
/// finalizing kills a foreign thread that takes its lock, so the Python package calls this from `atexit`.
pub fn shutdown(timeout: Duration) {
    let runtime = OWNED.lock().unwrap_or_else(PoisonError::into_inner).take();
    if let Some(runtime) = runtime {
        *RUNTIME.write().unwrap_or_else(PoisonError::into_inner) = None;
        runtime.shutdown_timeout(timeout);
        log::debug!("the runtime has shut down");
    }
}

/// Runs `work` on the runtime and waits for it without blocking the caller's executor. Dropping the returned
/// future aborts `work`. A panic inside `work` resumes on the caller.
pub(crate) async fn run<T: Send + 'static>(work: impl Future<Output = Result<T>> + Send + 'static) -> Result<T> {
    let task = AbortOnDropHandle::new(handle().spawn(work));
    match task.await {
        Ok(value) => value,
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        // This future was not dropped (it is running), so the runtime itself stopped: see `shutdown`.
        Err(_) => Err(Error::Transport("the call was stopped because tokensmith's runtime shut down".into())),
    }
}

/// Spawns `work` to run to the end even if nobody waits for it (the single-flight token fetch).
pub(crate) fn spawn_detached<T: Send + 'static>(work: impl Future<Output = T> + Send + 'static) -> JoinHandle<T> {
    handle().spawn(work)
}

/// Waits for `future` on the calling thread, which parks until the runtime has done the work: the blocking
/// facade. Works from any thread, also one inside another tokio runtime (it never enters that runtime).
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    futures_executor::block_on(future)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocking_waits_work_inside_another_runtime() {
        let outer = Builder::new_current_thread().enable_all().build().unwrap();
        let value = outer.block_on(async { block_on(run(async { Ok(6 * 7) })) });
        assert_eq!(value, Ok(42));
    }

    #[test]
    fn dropping_the_future_aborts_the_work() {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let future = run(async move {
            tokio::time::sleep(std::time::Duration::from_secs(30)).await;
            let _ = tx.send(());
            Ok(())
        });
        let outer = Builder::new_current_thread().enable_all().build().unwrap();
        let timed_out =
            outer.block_on(async { tokio::time::timeout(std::time::Duration::from_millis(20), future).await });
        assert!(timed_out.is_err());
        // The task was aborted: its sender is dropped without sending (not after its 30 s sleep).
        let outcome = rx.recv_timeout(std::time::Duration::from_secs(5));
        assert_eq!(outcome, Err(std::sync::mpsc::RecvTimeoutError::Disconnected));
    }
}

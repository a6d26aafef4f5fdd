//! The asyncio bridge: a core call's future runs on the core's bridges' runtime, and its outcome comes back to the event
//! loop's thread through a completion queue of that loop, with no thread of ours taking the GIL.
//!
//! A call ([`awaitable`]) creates an `asyncio.Future` of the running loop and spawns the call on the bridges' runtime
//! (`tokensmith::runtime::bridge_handle`), where it runs inline (the core does not spawn it again). When it ends, the core's thread pushes the outcome,
//! still a Rust value, onto the loop's queue without the GIL, and wakes the loop only if the queue was empty: it
//! writes to an eventfd (Linux; a socket pair elsewhere) that the loop watches with `loop.add_reader`. The loop's
//! thread then drains the queue, with the GIL it already holds: each outcome is converted to Python and set on its
//! future unless that was cancelled. So a call crosses threads twice (the loop wakes a core thread, a core thread
//! wakes the loop), and under load one wake-up of the loop delivers many calls.
//!
//! A call that needs no I/O (`auth_headers` with an API key or a cached token, an argument refused before any
//! request) has its result set on its future at once, on the loop's thread, without the queue
//! (`tokensmith::runtime::poll_without_io`).
//!
//! A loop without `add_reader` (Windows' `ProactorEventLoop`) is woken instead with one `call_soon_threadsafe` per
//! empty-to-non-empty transition of its queue, which takes the GIL on a thread of the runtime's blocking pool (so
//! that no worker waits for it), as `pyo3-async-runtimes` did for every call.
//!
//! Each loop's queue (a `Completions`) is made on the loop's first call and kept in a `WeakKeyDictionary` keyed
//! by the loop, with the process id: a child forked after first use makes its own queue and wake-up fd, and a stale
//! reader inherited from the parent leaves the parent's wake-ups alone. The core's runtimes are themselves rebuilt
//! after a fork.
//!
//! A child that goes on running the parent's loop object shares more than the fd with the parent: the loop's
//! epoll instance, whose interest list both see. Removing the stale reader there would remove the parent's, and
//! reading the fd would take the parent's wake-up (its queue only wakes it again once emptied, so its calls would
//! hang). Yet while the parent's wake-up is pending, the fd is ready, level-triggered, and the child's loop spins
//! on the stale reader until the parent drains it. So a pending wake-up is not left for a child to inherit: before
//! a fork, the forking thread drains its loops' queues when it may (see `BeforeFork`); and a child whose parent
//! exited with one pending (nobody will drain it) clears it. A parent that keeps calls in flight across a fork and
//! then stops running its loop while they finish still makes such a child spin until it runs the loop again:
//! asyncio does not support one loop run by two processes (from Python 3.12 a child has no running loop).
//!
//! Cancelling the asyncio future (the task awaiting it, `asyncio.wait_for`) aborts the spawned call, which aborts
//! its request; an outcome that arrives for a cancelled future is dropped. A call that panics raises
//! `InternalError`; one stopped by the runtime's shutdown raises a transport error.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Poll;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
#[cfg(unix)]
use pyo3::types::IntoPyDict;
use pyo3::types::{PyWeakrefMethods, PyWeakrefReference};
use pyo3::{intern, IntoPyObjectExt};
use tokio::task::AbortHandle;

use crate::errors::{to_py, InternalError};

/// An awaitable for a core call: an `asyncio.Future` of the running loop, its result converted with `convert`
/// (on the loop's thread) and its error with the package's exceptions. Cancelling it aborts the call.
pub(crate) fn awaitable<'py, T, U>(
    py: Python<'py>,
    call: impl Future<Output = tokensmith::Result<T>> + Send + 'static,
    convert: impl FnOnce(T) -> PyResult<U> + Send + 'static,
) -> PyResult<Bound<'py, PyAny>>
where
    T: Send + 'static,
    U: for<'a> IntoPyObject<'a> + Send + 'static,
{
    static GET_RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let event_loop = GET_RUNNING_LOOP
        .get_or_try_init(py, || py.import("asyncio")?.getattr("get_running_loop").map(Bound::unbind))?
        .call0(py)?
        .into_bound(py);
    let mut call = Box::pin(call);
    // A call that needs no I/O (a cached token, an API key's headers) is set on its future here and now: no hop. A
    // panic is caught here, as `Pending` reports one on the bridge's thread.
    let probed =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| tokensmith::runtime::poll_without_io(call.as_mut())));
    let ready = match probed {
        Ok(Poll::Pending) => None,
        Ok(Poll::Ready(result)) => Some(result.map_err(to_py)),
        Err(_) => Some(Err(InternalError::new_err(PANICKED))),
    };
    if let Some(outcome) = ready {
        let future = event_loop.call_method0(intern!(py, "create_future"))?;
        match outcome.and_then(convert).and_then(|value| value.into_py_any(py)) {
            Ok(value) => future.call_method1(intern!(py, "set_result"), (value,))?,
            Err(error) => future.call_method1(intern!(py, "set_exception"), (error.into_value(py),))?,
        };
        return Ok(future);
    }
    let queue = queue_of(&event_loop)?;
    let future = event_loop.call_method0(intern!(py, "create_future"))?;
    let pending = Pending { queue, future: Some(future.clone().unbind()) };
    let task = tokensmith::runtime::bridge_handle().spawn(async move {
        let result = call.await;
        pending.finish(Box::new(move |py| match result {
            Ok(value) => convert(value)?.into_py_any(py),
            Err(error) => Err(to_py(error)),
        }));
    });
    future.call_method1(intern!(py, "add_done_callback"), (Abort(task.abort_handle()),))?;
    Ok(future)
}

/// What a call that panicked raises, as an `InternalError`.
const PANICKED: &str = "the call panicked inside tokensmith";

/// Turns a call's outcome into its Python result, on the loop's thread.
type Outcome = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;

/// A finished call: its asyncio future and its outcome.
struct Done {
    future: Py<PyAny>,
    outcome: Outcome,
}

/// One event loop's completion queue, shared by that loop's `Completions` and its calls in flight.
struct Queue {
    done: Mutex<Vec<Done>>,
    wake: Wake,
    /// The process that made it: a forked child makes its own.
    pid: u32,
}

/// How the core's thread wakes a loop whose queue was empty.
enum Wake {
    /// Writes to an fd that the loop watches with `add_reader`; no GIL.
    #[cfg(unix)]
    Fd(signal::Signal),
    /// `loop.call_soon_threadsafe(drain)`, with the GIL: for loops without `add_reader`. The loop is held weakly
    /// (when it can be), so that the cache keyed by the loop does not keep it alive.
    Threadsafe(LoopRef),
}

enum LoopRef {
    Weak(Py<PyWeakrefReference>),
    Strong(Py<PyAny>),
}

impl Queue {
    /// Queues a finished call, and wakes the loop if the queue was empty (else a wake-up is on its way: the loop
    /// takes the whole queue after clearing the wake-up, see `Completions::__call__`). `on_worker`: pushed by a call
    /// that finished, on a worker of the core's runtime, which must not wait for the GIL.
    fn push(self: &Arc<Self>, done: Done, on_worker: bool) {
        let mut queue = self.done.lock().unwrap_or_else(PoisonError::into_inner);
        let was_empty = queue.is_empty();
        queue.push(done);
        drop(queue);
        if !was_empty {
            return;
        }
        match &self.wake {
            #[cfg(unix)]
            Wake::Fd(signal) => signal.raise(),
            // Waiting for the GIL would stall the worker's other calls: a thread of the blocking pool waits instead,
            // as pyo3-async-runtimes does for every call.
            Wake::Threadsafe(_) => match tokio::runtime::Handle::try_current() {
                Ok(runtime) if on_worker => {
                    let queue = Arc::clone(self);
                    drop(runtime.spawn_blocking(move || queue.call_soon_threadsafe()));
                }
                // A call dropped unfinished (cancelled, or the runtime is stopping): rare, and the runtime may be
                // going away.
                _ => self.call_soon_threadsafe(),
            },
        }
    }

    /// `loop.call_soon_threadsafe(drain)`, with the GIL, unless the interpreter is finalizing (the package stops
    /// the runtime at exit before that) or the loop is gone.
    fn call_soon_threadsafe(self: &Arc<Self>) {
        let Wake::Threadsafe(event_loop) = &self.wake else { return };
        Python::try_attach(|py| {
            let event_loop = match event_loop {
                LoopRef::Weak(weak) => weak.bind(py).upgrade(),
                LoopRef::Strong(strong) => Some(strong.bind(py).clone()),
            };
            // A closed loop refuses: its futures are gone with it.
            if let Some(event_loop) = event_loop {
                let drain = Completions { queue: Arc::clone(self) };
                let _ = event_loop.call_method1(intern!(py, "call_soon_threadsafe"), (drain,));
            }
        });
    }

    /// Sets the result or the exception of every queued call whose future is still waiting; on the loop's thread.
    fn deliver(&self, py: Python<'_>) {
        let done = std::mem::take(&mut *self.done.lock().unwrap_or_else(PoisonError::into_inner));
        for Done { future, outcome } in done {
            let future = future.bind(py);
            // Cancelled: the caller is gone, and the call was aborted (or had just finished).
            if future.call_method0(intern!(py, "cancelled")).and_then(|c| c.is_truthy()).unwrap_or(true) {
                continue;
            }
            let set = match outcome(py) {
                Ok(value) => future.call_method1(intern!(py, "set_result"), (value,)),
                Err(error) => future.call_method1(intern!(py, "set_exception"), (error.into_value(py),)),
            };
            if let Err(error) = set {
                error.write_unraisable(py, Some(future));
            }
        }
    }
}

impl fmt::Debug for Queue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mode = match &self.wake {
            #[cfg(unix)]
            Wake::Fd(_) => "fd",
            Wake::Threadsafe(_) => "call_soon_threadsafe",
        };
        f.debug_struct("Queue").field("wake", &mode).field("pid", &self.pid).finish_non_exhaustive()
    }
}

/// A call in flight: finished with its outcome, or, if it is dropped first (a panic, the runtime's shutdown, or an
/// abort after cancellation), finished with an error that the loop drops if the future was cancelled.
struct Pending {
    queue: Arc<Queue>,
    future: Option<Py<PyAny>>,
}

impl Pending {
    fn finish(mut self, outcome: Outcome) {
        if let Some(future) = self.future.take() {
            self.queue.push(Done { future, outcome }, true);
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        // The future goes back to the loop's thread, so that no thread of ours touches Python objects.
        if let Some(future) = self.future.take() {
            let outcome: Outcome = if std::thread::panicking() {
                Box::new(|_| Err(InternalError::new_err(PANICKED)))
            } else {
                Box::new(|_| {
                    let reason = "the call was stopped because tokensmith's runtime shut down";
                    Err(to_py(tokensmith::Error::Transport(reason.into())))
                })
            };
            self.queue.push(Done { future, outcome }, false);
        }
    }
}

/// An event loop's completion queue, as the loop sees it: `add_reader`'s callback (or `call_soon_threadsafe`'s),
/// which drains the queue on the loop's thread.
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Debug)]
pub(crate) struct Completions {
    queue: Arc<Queue>,
}

#[pymethods]
impl Completions {
    fn __call__(&self, py: Python<'_>) {
        // A reader inherited through fork() by a child that runs the parent's loop: the fd and its wake-ups are the
        // parent's (see the module's docs), unless the parent has exited with one pending, which would spin this
        // loop for good.
        if self.queue.pid != tokensmith::runtime::process_id() {
            #[cfg(unix)]
            if let Wake::Fd(signal) = &self.queue.wake {
                if !signal::process_exists(self.queue.pid) {
                    signal.clear();
                }
            }
            return;
        }
        // Clear the wake-up before taking the queue: a call queued in between then wakes the loop again.
        #[cfg(unix)]
        if let Wake::Fd(signal) = &self.queue.wake {
            signal.clear();
        }
        // The calls' log records first, so that they are in `logging` when the awaiting tasks resume.
        crate::logging::deliver(py);
        self.queue.deliver(py);
    }
}

/// Aborts a call's task once its future is done: a no-op when the call finished, the abort when it was cancelled.
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Debug)]
struct Abort(AbortHandle);

#[pymethods]
impl Abort {
    fn __call__(&self, _future: &Bound<'_, PyAny>) {
        self.0.abort();
    }
}

/// The `Completions` of each loop, by loop (a `WeakKeyDictionary`), made on the process's first call, when the
/// hook that drains them before a fork is registered.
fn queues(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static QUEUES: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let queues = QUEUES.get_or_try_init(py, || {
        // Without the hook, calls still work; only a child may inherit a pending wake-up (see `BeforeFork`).
        #[cfg(unix)]
        let _ = BeforeFork::register(py);
        py.import("weakref")?.getattr("WeakKeyDictionary")?.call0().map(Bound::unbind)
    })?;
    Ok(queues.bind(py))
}

/// The completion queue of `event_loop` in this process: the cached one, or a new one registered with the loop.
fn queue_of(event_loop: &Bound<'_, PyAny>) -> PyResult<Arc<Queue>> {
    let py = event_loop.py();
    let queues = queues(py)?;
    let pid = tokensmith::runtime::process_id();
    let Ok(cached) = queues.call_method1(intern!(py, "get"), (event_loop,)) else {
        // A loop that cannot be referenced weakly cannot be a cache key: a queue per call, holding the loop.
        return Ok(Arc::new(Queue::threadsafe(LoopRef::Strong(event_loop.clone().unbind()), pid)));
    };
    if let Ok(cached) = cached.cast::<Completions>() {
        if cached.get().queue.pid == pid {
            return Ok(Arc::clone(&cached.get().queue));
        }
    }
    let queue = Queue::watched_by(event_loop, pid)?;
    queues.set_item(event_loop, Completions { queue: Arc::clone(&queue) })?;
    Ok(queue)
}

/// `os.register_at_fork(before=...)`: the forking thread drains the queues of its loops that have outcomes waiting
/// (a pending wake-up), so that a child running one of those loops does not inherit a wake-up that only this
/// process may clear (see the module's docs). Only where setting futures' results is safe: a loop that runs on this
/// thread, or one that runs nowhere and is open. A loop running on another thread drains its own soon.
#[cfg(unix)]
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Debug)]
struct BeforeFork;

#[cfg(unix)]
#[pymethods]
impl BeforeFork {
    fn __call__(&self, py: Python<'_>) {
        // An at-fork hook's exception would only be printed; a loop it could not check keeps its wake-up.
        let _ = Self::drain(py);
    }
}

#[cfg(unix)]
impl BeforeFork {
    fn register(py: Python<'_>) -> PyResult<()> {
        let hook = [("before", Bound::new(py, BeforeFork)?)].into_py_dict(py)?;
        py.import("os")?.call_method("register_at_fork", (), Some(&hook))?;
        Ok(())
    }

    fn drain(py: Python<'_>) -> PyResult<()> {
        let pid = tokensmith::runtime::process_id();
        let running = py.import("asyncio")?.getattr("_get_running_loop")?.call0()?;
        let loops = py.import("builtins")?.getattr("list")?.call1((queues(py)?.call_method0("items")?,))?;
        for entry in loops.try_iter()? {
            let (event_loop, completions) = entry?.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>()?;
            let Ok(completions) = completions.cast::<Completions>() else { continue };
            let queue = &completions.get().queue;
            if queue.pid != pid || !matches!(queue.wake, Wake::Fd(_)) || queue.is_empty() {
                continue;
            }
            let idle = || -> PyResult<bool> {
                Ok(!event_loop.call_method0(intern!(py, "is_running"))?.is_truthy()?
                    && !event_loop.call_method0(intern!(py, "is_closed"))?.is_truthy()?)
            };
            if event_loop.is(&running) || idle()? {
                completions.get().__call__(py);
            }
        }
        Ok(())
    }
}

impl Queue {
    /// Whether no outcome waits.
    #[cfg(unix)]
    fn is_empty(&self) -> bool {
        self.done.lock().unwrap_or_else(PoisonError::into_inner).is_empty()
    }

    /// A new queue for `event_loop`: woken through an fd it watches, or else with `call_soon_threadsafe`.
    fn watched_by(event_loop: &Bound<'_, PyAny>, pid: u32) -> PyResult<Arc<Self>> {
        #[cfg(unix)]
        if let Ok(signal) = signal::Signal::new() {
            let fd = signal.fd();
            let queue = Arc::new(Queue { done: Mutex::new(Vec::new()), wake: Wake::Fd(signal), pid });
            let drain = Completions { queue: Arc::clone(&queue) };
            // ProactorEventLoop raises NotImplementedError; the fd then closes with this queue.
            if event_loop.call_method1(intern!(event_loop.py(), "add_reader"), (fd, drain)).is_ok() {
                return Ok(queue);
            }
        }
        let weak = PyWeakrefReference::new(event_loop)?;
        Ok(Arc::new(Self::threadsafe(LoopRef::Weak(weak.unbind()), pid)))
    }

    fn threadsafe(event_loop: LoopRef, pid: u32) -> Self {
        Queue { done: Mutex::new(Vec::new()), wake: Wake::Threadsafe(event_loop), pid }
    }
}

#[cfg(unix)]
mod signal {
    //! The wake-up fd of a loop: an eventfd on Linux, a non-blocking socket pair elsewhere (as asyncio's own
    //! self-pipe). Raised by the core's thread when the queue stops being empty, cleared by the loop's drain.

    use std::io::{Read, Write};
    use std::os::fd::{AsRawFd, RawFd};

    /// Whether process `pid` still exists (a zombie counts, until its parent reaps it).
    pub(super) fn process_exists(pid: u32) -> bool {
        let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
        // SAFETY: signal 0 only checks that the process exists and may be signalled; nothing is sent.
        let signalled = unsafe { libc::kill(pid, 0) } == 0;
        signalled || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub(super) struct Signal(std::fs::File);

    #[cfg(any(target_os = "linux", target_os = "android"))]
    impl Signal {
        pub(super) fn new() -> std::io::Result<Self> {
            use std::os::fd::FromRawFd;
            // SAFETY: eventfd takes no pointers; a non-negative result is a new fd that we own from here on.
            let fd = unsafe { libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC) };
            if fd < 0 {
                return Err(std::io::Error::last_os_error());
            }
            // SAFETY: `fd` is open and owned by nothing else.
            Ok(Self(unsafe { std::fs::File::from_raw_fd(fd) }))
        }

        pub(super) fn fd(&self) -> RawFd {
            self.0.as_raw_fd()
        }

        pub(super) fn raise(&self) {
            // Adds 1 to the counter; cannot block (the counter would have to reach 2^64 - 1).
            let _ = (&self.0).write(&1u64.to_ne_bytes());
        }

        pub(super) fn clear(&self) {
            // Resets the counter; EAGAIN when it is already 0.
            let _ = (&self.0).read(&mut [0; 8]);
        }
    }

    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    pub(super) struct Signal {
        read: std::os::unix::net::UnixStream,
        write: std::os::unix::net::UnixStream,
    }

    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    impl Signal {
        pub(super) fn new() -> std::io::Result<Self> {
            let (read, write) = std::os::unix::net::UnixStream::pair()?;
            read.set_nonblocking(true)?;
            write.set_nonblocking(true)?;
            Ok(Self { read, write })
        }

        pub(super) fn fd(&self) -> RawFd {
            self.read.as_raw_fd()
        }

        pub(super) fn raise(&self) {
            // A full buffer already holds a wake-up.
            let _ = (&self.write).write(&[1]);
        }

        pub(super) fn clear(&self) {
            let mut buffer = [0; 64];
            while let Ok(64) = (&self.read).read(&mut buffer) {}
        }
    }
}

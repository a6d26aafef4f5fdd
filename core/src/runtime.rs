//! The runtimes that drive every request, and the ways to wait for them. Clients use them on their own;
//! [`handle`] is public only for bindings that bridge a foreign event loop. `docs/architecture.md` has the table
//! of who drives which caller's I/O, with the test of each row.
//!
//! An HTTP client's pooled connections belong to the runtime that opened them (their tasks run there), so the
//! transport keeps one pool per runtime that drives its I/O (see `transport::client`), and a call runs where it
//! is awaited whenever that runtime can drive it, instead of being handed to another thread and back:
//!
//! - **A task of a multi-thread tokio runtime** (a Rust caller's `tokio::spawn`, or one of ours): the call runs
//!   inline, on that runtime's own pool, which is dropped when that runtime shuts down. Only a future polled by
//!   the runtime's own task machinery qualifies (its waker is a tokio task's): a future that a runtime's
//!   `block_on` drives, or another executor polls on a worker (`futures::executor::block_on`), is handed to the
//!   core's runtime instead, since a blocked worker would never run the connection tasks the call spawns.
//! - **The core's runtime** (multi-thread, a few `tokensmith-io` threads, never shut down by a host): drives the
//!   calls of every other async caller (a current-thread runtime, another executor, Kotlin's dispatchers, Swift's
//!   tasks, a short-lived `Runtime::new().block_on(..)`: spawned here and awaited through a handle that works
//!   anywhere, over one warm pool) and the single-flight token fetch.
//! - **The bridges' runtime** (multi-thread with one worker, `tokensmith-bridge`, never shut down by a host): the
//!   executor of the bindings that bridge a foreign event loop (the asyncio bridge, the JVM's fast-path `suspend`
//!   calls), whose calls are spawned there and run inline. One worker, so that a call wakes one thread of ours (see
//!   [`bridge_handle`]). A loop that polls its calls itself (Node's: [`on_loop`]) uses only its I/O driver and timers.
//! - **The callers' runtime** (current-thread, no threads of its own, ours): drives the blocking facade. A blocked
//!   caller drives the I/O of its own call on its own thread, as OkHttp's `execute()` does, instead of parking
//!   while a core thread does it and wakes it: no thread hop in the common case. Many blocked threads share it;
//!   tokio lets one of them drive the I/O at a time and hands it over when that one's call is done. A blocking
//!   call made inside another tokio runtime cannot enter a second one, so it parks while the core's runtime
//!   works. Nobody drives this runtime between calls, so it does not see a server close an idle connection
//!   until a call drives it again: `notice_closed_connections` lets it read those closes before a request
//!   picks a connection.
//!
//! A blocking call made on one of the core's own threads (from a log sink, a callback, a coroutine resumed there)
//! would park the thread that its own I/O needs: it fails at once with [`Error::Unsupported`] naming the fix,
//! unless it needs no I/O (a cached token).
//!
//! Cancellation: dropping the future a public method returned drops its request, whether it runs inline or was
//! spawned (the spawned task is aborted). The token fetch is the exception: it is spawned detached on the core's
//! runtime, so one cancelled waiter does not cancel the fetch that others wait for (see `akool::token_cache`).
//!
//! `fork()`: a child process inherits none of the runtime's threads, and the parent's connections must not be
//! used by both. The runtimes are built lazily and rebuilt when the process id changes; the parent's are leaked
//! in the child (dropping one would wait for threads that do not exist there).

use std::cell::Cell;
use std::future::Future;
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use futures_util::future::BoxFuture;
use tokio::runtime::{Builder, Handle, Runtime, RuntimeFlavor};
use tokio_util::task::AbortOnDropHandle;

use crate::error::{Error, Result};

/// The core's runtime (see the module docs).
static CORE: Shared = Shared::new(|| {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    build_shared(threads, "tokensmith-io")
});

/// The bridges' runtime (see the module docs).
static BRIDGES: Shared = Shared::new(|| build_shared(1, "tokensmith-bridge"));

/// The callers' runtime of this process, with the process id it was built in.
static CALLERS: RwLock<Option<(u32, Arc<Runtime>)>> = RwLock::new(None);

/// How many threads are inside a blocking call that drives the callers' runtime (one of them holds its scheduler, the
/// others' calls are polled beside it: see [`notice_closed_connections`]), with the process they are in: the id in
/// the high 32 bits, the count in the low. A forked child does not count the parent's threads, which are not there.
static DRIVING: AtomicU64 = AtomicU64::new(0);

/// How many blocking calls have started driving the callers' runtime, ever: a thread that was alone sees whether
/// another came and went while it yielded.
static ENTRIES: AtomicUsize = AtomicUsize::new(0);

/// What a thread inside a blocking call is doing: what decides whether a call it makes runs inline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Blocked {
    /// Driving the callers' runtime: its calls run inline.
    Driving,
    /// Parked while another thread does the work: its calls must be spawned on the core's runtime, since this
    /// thread cannot drive the runtime it is on (it may be that runtime's only worker).
    Parked,
}

thread_local! {
    /// Set for as long as a thread is inside `block_on`.
    static BLOCKED: Cell<Option<Blocked>> = const { Cell::new(None) };
    /// Set on the core's runtime's own threads (workers and its blocking pool), for their whole life.
    static CORE_THREAD: Cell<bool> = const { Cell::new(false) };
    /// Set while a call is polled once to see whether it needs I/O ([`probe`]): [`run`] then pauses before it
    /// starts anything (a create must not go out for a call that is about to fail, nor I/O start off a runtime).
    static PROBING: Cell<bool> = const { Cell::new(false) };
}

/// Whether a call polled with `waker` on this thread runs inline: when the thread drives a runtime that can do
/// its I/O (the callers' runtime, or a multi-thread runtime polling one of its tasks) or polls a loop's task
/// (`loop_executor`), and is not parked inside a blocking call.
fn runs_inline(waker: &Waker) -> bool {
    match BLOCKED.get() {
        Some(Blocked::Driving) => true,
        Some(Blocked::Parked) => false,
        None => {
            crate::loop_executor::polling()
                || Handle::try_current().is_ok_and(|handle| handle.runtime_flavor() == RuntimeFlavor::MultiThread)
                    && is_tokio_task(waker)
        }
    }
}

/// Whether `waker` wakes a tokio task: the future is polled by a runtime's scheduler, which also runs the
/// connection tasks a call spawns, rather than by a thread that blocks on it (`Runtime::block_on`,
/// `futures::executor::block_on` on a worker). Every tokio task's waker shares one vtable, learned once from a
/// task of a throwaway runtime.
fn is_tokio_task(waker: &Waker) -> bool {
    static TASK_WAKER_VTABLE: OnceLock<usize> = OnceLock::new();
    let vtable = |waker: &Waker| std::ptr::from_ref(waker.vtable()) as usize;
    let known = TASK_WAKER_VTABLE.get_or_init(|| {
        // On a thread of its own: this one may be inside a runtime, where no other can be entered.
        std::thread::spawn(move || {
            let probe = Builder::new_current_thread().build().ok()?;
            probe.block_on(probe.spawn(std::future::poll_fn(move |cx| Poll::Ready(vtable(cx.waker()))))).ok()
        })
        .join()
        .ok()
        .flatten()
        // Should that fail (no threads left), no waker matches and calls take the spawned path.
        .unwrap_or(0)
    });
    vtable(waker) == *known
}

/// Whether this thread is one of the core's runtime's, where a blocking wait would stall the I/O it waits for.
fn on_core_thread() -> bool {
    CORE_THREAD.get()
}

/// The handle of the core's runtime, built on first use and again after a fork.
///
/// For bindings that bridge a foreign event loop and must spawn on a runtime of the core's (Python's asyncio
/// bridge spawns its watchers here), so that those too are rebuilt after a fork. The clients need nothing from it.
pub fn handle() -> Handle {
    CORE.handle()
}

/// The handle of the bridges' runtime, built on first use and again after a fork: where a binding that bridges a
/// foreign event loop (the asyncio bridge, the JVM's `suspend` fast path) spawns its calls, which then run inline
/// there.
///
/// One worker thread: a call at a time then wakes one thread of ours twice (its request out, its answer in) and
/// the loop's once. With the core's several workers, one woke to start the call and another took the answer,
/// a third sleep per call; side by side from Node, the one worker made 3.0 context switches per call instead of
/// 4.0, took 15% less CPU per call, and as many calls per second at 64 in flight (bench/RESULTS.md, issue 30).
/// Its thread is not the core's, so a bridge's calls and the core's own work (token fetches, other bindings'
/// calls) do not queue behind each other.
pub fn bridge_handle() -> Handle {
    BRIDGES.handle()
}

/// Runs `poll` on a foreign event loop's thread as `event_loop`'s: the calls made or polled in it run inline, send
/// over the loop's own connections, and spawn their connection tasks on the loop; their sockets and timers are the
/// bridges' runtime's (see `loop_executor`). For bindings whose host polls tasks on its loop's thread (Node).
///
/// A call's deadline is a tokio timer registered from the loop's thread, and tokio wakes the driver's thread
/// whenever a timer is registered that is due before the driver's next wake-up (tokio 1.54,
/// `runtime/time/mod.rs`), which with no timer armed is every time: a context switch more per call. So once a loop
/// is entered, the bridges' runtime keeps a timer armed that is due within a second (it wakes its thread about
/// once a second); a call's deadline (a minute by default) comes later and wakes nobody.
pub fn on_loop<R>(event_loop: &crate::loop_executor::LoopExecutor, poll: impl FnOnce() -> R) -> R {
    static ARMED_IN: AtomicU32 = AtomicU32::new(0);
    let bridges = bridge_handle();
    let pid = crate::process::id();
    // Once per process, and again in a forked child (whose runtimes are new).
    if ARMED_IN.load(Ordering::Relaxed) != pid && ARMED_IN.swap(pid, Ordering::SeqCst) != pid {
        bridges.spawn(async {
            loop {
                tokio::time::sleep(Duration::from_millis(900)).await;
            }
        });
    }
    let _context = bridges.enter();
    let _entered = event_loop.enter();
    poll()
}

/// This process's id, cached per process and forgotten in a forked child: for bindings that key their own
/// state by process, as the core does (`getpid` is a system call).
pub fn process_id() -> u32 {
    crate::process::id()
}

/// Stops the core's and the bridges' runtimes, waiting up to `timeout` in all for the work they are doing; calls in
/// flight fail with a transport error, and a later call starts new runtimes.
///
/// For hosts whose own threads must not be called into after they exit: a Python interpreter that is
/// finalizing kills a foreign thread that takes its lock, so the Python package calls this from `atexit`.
pub fn shutdown(timeout: Duration) {
    let deadline = std::time::Instant::now() + timeout;
    BRIDGES.shutdown(timeout);
    CORE.shutdown(deadline.saturating_duration_since(std::time::Instant::now()));
}

/// A multi-thread runtime of the process, built on first use and rebuilt after a fork.
struct Shared {
    /// Its handle, with the process id it was built in.
    handle: RwLock<Option<(u32, Handle)>>,
    /// The runtime itself, kept so that [`Shared::shutdown`] can stop it.
    owned: Mutex<Option<Runtime>>,
    build: fn() -> Runtime,
}

impl Shared {
    const fn new(build: fn() -> Runtime) -> Self {
        Self { handle: RwLock::new(None), owned: Mutex::new(None), build }
    }

    fn handle(&self) -> Handle {
        let pid = crate::process::id();
        if let Some((owner, handle)) = &*self.handle.read().unwrap_or_else(PoisonError::into_inner) {
            if *owner == pid {
                return handle.clone();
            }
        }
        let mut slot = self.handle.write().unwrap_or_else(PoisonError::into_inner);
        if let Some((owner, handle)) = &*slot {
            if *owner == pid {
                return handle.clone();
            }
        }
        let forked = slot.is_some();
        let runtime = (self.build)();
        let handle = runtime.handle().clone();
        let inherited = self.owned.lock().unwrap_or_else(PoisonError::into_inner).replace(runtime);
        // A forked child's copy of the parent's runtime has no threads here: dropping it would wait for them.
        std::mem::forget(inherited);
        *slot = Some((pid, handle.clone()));
        drop(slot);
        // Logged with no lock of ours held: a log sink may call back into tokensmith.
        if forked {
            log::debug!("the process forked: started a new runtime for pid {pid}");
        }
        handle
    }

    fn shutdown(&self, timeout: Duration) {
        let runtime = self.owned.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(runtime) = runtime {
            *self.handle.write().unwrap_or_else(PoisonError::into_inner) = None;
            runtime.shutdown_timeout(timeout);
            log::debug!("a runtime has shut down");
        }
    }
}

/// The core's and the bridges' runtimes: their threads are the core's own (see [`on_core_thread`]).
fn build_shared(threads: usize, name: &str) -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(threads)
        // The core blocks nowhere; the blocking pool serves only a binding that must take a lock to reach a foreign
        // event loop (Python's asyncio bridge, for loops it cannot watch a descriptor on). A small cap bounds it.
        .max_blocking_threads(4)
        .thread_name(name)
        .on_thread_start(|| CORE_THREAD.set(true))
        .enable_all()
        .build()
        // Building a runtime fails only when the OS refuses threads or an epoll/timer fd; nothing can work then.
        .expect("tokensmith: could not start its I/O runtime (threads or file descriptors exhausted)")
}

/// Runs `work` where it is awaited when that runtime can drive its I/O (see the module docs), else spawned on the
/// core's runtime and waited for without blocking the caller's executor. Dropping the returned future drops (or
/// aborts) `work`. A panic inside `work` resumes on the caller.
///
/// `work` comes boxed: a call's state is several KiB (the HTTP client's request future, the retry loop, the envelope), and
/// a future is moved whole each time it is passed on (into a binding's wrapper, into a spawned task, through
/// tokio's layers). Boxed once where it is made, each of those moves is a pointer's; unboxed, they were a tenth of
/// the Node addon's event-loop thread, copying it.
pub(crate) async fn run<T: Send + 'static>(work: BoxFuture<'static, Result<T>>) -> Result<T> {
    // Paused while probed; polled again off the probe (on a runtime), it goes on from here.
    std::future::poll_fn(|_| if PROBING.get() { Poll::Pending } else { Poll::Ready(()) }).await;
    if std::future::poll_fn(|cx| Poll::Ready(runs_inline(cx.waker()))).await {
        return work.await;
    }
    let task = AbortOnDropHandle::new(handle().spawn(work));
    match task.await {
        Ok(value) => value,
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        // This future was not dropped (it is running), so the runtime itself stopped: see `shutdown`.
        Err(_) => Err(Error::Transport("the call was stopped because tokensmith's runtime shut down".into())),
    }
}

/// Polls `call`, a future of a client's public method, once on this thread, pausing it before its request would
/// start: `Ready` when it needs no request (an API key's headers, a cached token, an argument refused), else
/// `Pending`, and then it is to be spawned on [`bridge_handle`], where it goes on from where it paused. (A method-2
/// call whose token is not cached joins or starts the token fetch here, which runs on the core's runtime.)
///
/// For bindings that settle calls on a foreign event loop: a call that needs no I/O is settled at once on the loop's
/// thread, instead of crossing to a runtime thread and back (two wake-ups, 13 µs from Node on this project's VM,
/// against about 1 µs) only to read a cached token.
pub fn poll_without_io<F: Future + ?Sized>(call: std::pin::Pin<&mut F>) -> Poll<F::Output> {
    let _context = bridge_handle().enter();
    probe(call)
}

/// Polls `call` once with [`PROBING`] set.
fn probe<F: Future + ?Sized>(call: std::pin::Pin<&mut F>) -> Poll<F::Output> {
    let _probing = ProbeFlag::set(true);
    call.poll(&mut Context::from_waker(Waker::noop()))
}

/// Sets [`PROBING`] for as long as it lives, restoring what was there (also on a panic). A probed call may run user
/// code (a telemetry hook, a log sink) that makes a blocking call of its own: that one must not pause.
struct ProbeFlag(bool);

impl ProbeFlag {
    fn set(probing: bool) -> Self {
        Self(PROBING.replace(probing))
    }
}

impl Drop for ProbeFlag {
    fn drop(&mut self) {
        PROBING.set(self.0);
    }
}

/// Waits for `future` on the calling thread: the blocking facade. The thread drives the callers' runtime itself,
/// so its call's I/O runs here. Inside another tokio runtime (which a thread cannot leave for a second one), or
/// on one of ours, it parks instead while the core's runtime does the work. On one of the core's own threads it
/// fails at once unless the call needs no I/O (see the module docs).
pub(crate) fn block_on<T>(future: impl Future<Output = Result<T>>) -> Result<T> {
    let mut future = std::pin::pin!(future);
    if on_core_thread() {
        return match probe(future.as_mut()) {
            Poll::Ready(output) => output,
            Poll::Pending => Err(Error::Unsupported(
                "a blocking tokensmith call was made on one of tokensmith's own I/O threads (tokensmith-io or \
                 tokensmith-bridge: in a log sink, a callback, or a coroutine resumed there), where waiting would \
                 stall the I/O it waits for; make it from a thread of your own, or use the async API"
                    .into(),
            )),
        };
    }
    // Waited for, not probed, even when made from inside a probe (see `ProbeFlag`).
    let _probing = ProbeFlag::set(false);
    if Handle::try_current().is_ok() || BLOCKED.get().is_some() {
        let _parked = BlockedGuard::enter(Blocked::Parked);
        return futures_executor::block_on(future);
    }
    let runtime = callers();
    let _driving = BlockedGuard::enter(Blocked::Driving);
    // Many calls need no I/O (a cached token, `auth_headers`): poll once in the runtime's context, and enter
    // the scheduler (a few hundred nanoseconds) only when the future has to wait. `block_on` polls it again
    // first, so the no-op waker of this poll loses no wake-up.
    {
        let _context = runtime.handle().enter();
        if let Poll::Ready(output) = future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            return output;
        }
    }
    runtime.block_on(future)
}

/// On the callers' runtime, lets it read what arrived on its idle connections while nobody drove it (a server's
/// or a balancer's close, a restart), so that the pool drops those connections before the request about to be
/// sent picks one: the check urllib3 makes with a zero-timeout poll before reusing a socket. Elsewhere a
/// runtime's threads watch their connections all along, and this returns at once.
///
/// How: each yield hands the thread back to the scheduler. The first one (or the first poll, when the blocking
/// facade polled the call once outside the scheduler) lets it poll the I/O driver without waiting, which wakes
/// the tasks of the connections that saw an end of file; the next lets it run those tasks, which close their
/// connections and tell the pool, before this future is polled again. A few microseconds of system calls; the
/// test that the second POST after an idle close succeeds (core/tests/connection_faults.rs) guards the count.
///
/// That holds for the thread that holds the scheduler. When several threads are in blocking calls, tokio polls the
/// others' calls on their own threads beside it, where a yield returns at once and nothing reads the driver: the
/// yields then run as a task of the runtime, on whichever thread holds it, and the call waits for that task.
/// Checked again after the yields: a thread that started a blocking call meanwhile (even one that has ended
/// since) may have held the scheduler while these yields returned at once.
pub(crate) async fn notice_closed_connections() {
    if BLOCKED.get() != Some(Blocked::Driving) {
        return;
    }
    let entries = ENTRIES.load(Ordering::SeqCst);
    let alone = || driving() == 1 && ENTRIES.load(Ordering::SeqCst) == entries;
    if alone() {
        yield_thrice().await;
        if alone() {
            return;
        }
    }
    // A panic cannot happen in three yields; a runtime shutting down ends the task, and the call then goes on.
    let _ = tokio::spawn(yield_thrice()).await;
}

async fn yield_thrice() {
    for _ in 0..3 {
        tokio::task::yield_now().await;
    }
}

/// Marks the thread as blocked for as long as it lives, restoring what was there (also on a panic), and counts
/// it among the [`DRIVING`] threads while it drives.
struct BlockedGuard(Option<Blocked>);

impl BlockedGuard {
    fn enter(blocked: Blocked) -> Self {
        if blocked == Blocked::Driving {
            ENTRIES.fetch_add(1, Ordering::SeqCst);
            count_driving(true);
        }
        Self(BLOCKED.replace(Some(blocked)))
    }
}

impl Drop for BlockedGuard {
    fn drop(&mut self) {
        if BLOCKED.replace(self.0) == Some(Blocked::Driving) {
            count_driving(false);
        }
    }
}

/// How many threads of this process are in [`DRIVING`].
fn driving() -> u64 {
    let (pid, count) = split(DRIVING.load(Ordering::SeqCst));
    if pid == crate::process::id() {
        count
    } else {
        0
    }
}

/// Counts a thread in (`entering`) or out of [`DRIVING`]. The parent's count, seen first in a forked child, is
/// started afresh; a thread counted in by the parent and out in the child (the one that forked) leaves it alone.
fn count_driving(entering: bool) {
    let pid = crate::process::id();
    let _ = DRIVING.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |packed| {
        let (owner, count) = split(packed);
        let count = match (owner == pid, entering) {
            (true, true) => count + 1,
            (true, false) => count.checked_sub(1)?,
            (false, true) => 1,
            (false, false) => return None,
        };
        Some(u64::from(pid) << 32 | count)
    });
}

/// [`DRIVING`]'s process id and count.
fn split(packed: u64) -> (u32, u64) {
    ((packed >> 32) as u32, packed & u64::from(u32::MAX))
}

/// The callers' runtime of this process, built on first use and again after a fork.
fn callers() -> Arc<Runtime> {
    let pid = crate::process::id();
    if let Some((owner, runtime)) = &*CALLERS.read().unwrap_or_else(PoisonError::into_inner) {
        if *owner == pid {
            return Arc::clone(runtime);
        }
    }
    let mut slot = CALLERS.write().unwrap_or_else(PoisonError::into_inner);
    if let Some((owner, runtime)) = &*slot {
        if *owner == pid {
            return Arc::clone(runtime);
        }
    }
    let runtime = Arc::new(
        Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokensmith: could not start its I/O runtime (file descriptors exhausted)"),
    );
    // A forked child's copy holds the parent's connections: leak it rather than close them under the parent.
    std::mem::forget(slot.replace((pid, Arc::clone(&runtime))));
    runtime
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocking_waits_work_inside_another_runtime() {
        let outer = Builder::new_current_thread().enable_all().build().unwrap();
        let value = outer.block_on(async { block_on(run(Box::pin(async { Ok(6 * 7) }))) });
        assert_eq!(value, Ok(42));
    }

    #[test]
    fn dropping_the_future_aborts_the_work() {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let future = run(Box::pin(async move {
            tokio::time::sleep(std::time::Duration::from_secs(30)).await;
            let _ = tx.send(());
            Ok(())
        }));
        let outer = Builder::new_current_thread().enable_all().build().unwrap();
        let timed_out =
            outer.block_on(async { tokio::time::timeout(std::time::Duration::from_millis(20), future).await });
        assert!(timed_out.is_err());
        // The task was aborted: its sender is dropped without sending (not after its 30 s sleep).
        let outcome = rx.recv_timeout(std::time::Duration::from_secs(5));
        assert_eq!(outcome, Err(std::sync::mpsc::RecvTimeoutError::Disconnected));
    }
}

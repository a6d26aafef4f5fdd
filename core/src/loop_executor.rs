//! Calls driven on a foreign event loop's own thread, for bindings whose host has one loop per thread (Node's
//! environments): [`LoopExecutor`].
//!
//! A call spawned on a runtime of the core's crosses threads twice: the loop wakes a runtime thread to start it,
//! that thread writes the request, sleeps until the answer, and wakes the loop. At one call in flight that thread
//! sleeps twice a call (after the request, and between calls), so a call costs three context switches where an
//! HTTP client of the loop's own (undici) costs one. Polled by the loop instead, a call writes its request on the
//! loop's thread, and so does the connection task that hyper-util's client spawns for it (through this executor,
//! not tokio's). The bridges' runtime (`runtime::bridge_handle`) is left with its I/O driver and timers only: its
//! thread wakes once a call, when the answer's bytes arrive, and wakes the loop. Two context switches a call.
//!
//! What the binding provides ([`LoopSpawner`]): a way to take a task from any thread and poll it on the loop's
//! thread until it ends, waking the loop when a task's waker is called (Node: a queue and one threadsafe function
//! per environment). What the core does: while a task is polled inside [`LoopExecutor::run`], a call runs inline
//! (not spawned on a runtime), the transport gives it the loop's own connection pool (a pooled connection is a
//! task of the loop, which must never be handed to a runtime, nor a runtime's to the loop), and hyper-util's client
//! spawns its connection tasks on the loop. When the binding drops its tasks (the environment is torn down), the
//! loop's pool goes with them.
//!
//! Timers: a call's deadline is a tokio timer of the bridges' runtime, registered from the loop's thread. tokio
//! wakes the driver's thread whenever a timer is registered that is due before the driver's next wake-up
//! (tokio 1.54, `runtime/time/mod.rs`), which with no timer armed is every time: a third context switch per call.
//! So while any loop executor exists, the bridges' runtime keeps a timer armed that is due within a second:
//! a call's deadline (a minute by default) comes later and wakes nobody.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;

/// How a binding's loop takes tasks: each is to be polled on the loop's thread, inside [`LoopExecutor::run`], until
/// it ends, and polled again whenever its waker is called (from any thread).
pub trait LoopSpawner: Send + Sync + 'static {
    /// Takes `task`; called from any thread (mostly the loop's own, while it polls a call).
    fn spawn(&self, task: BoxFuture<'static, ()>);
}

/// An event loop that polls its calls itself (see the module docs). Cheap to clone.
#[derive(Clone)]
pub struct LoopExecutor {
    id: u64,
    spawner: Arc<dyn LoopSpawner>,
}

impl std::fmt::Debug for LoopExecutor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoopExecutor").field("id", &self.id).finish_non_exhaustive()
    }
}

thread_local! {
    /// The loop whose task this thread is polling, inside [`LoopExecutor::run`].
    static CURRENT: RefCell<Option<LoopExecutor>> = const { RefCell::new(None) };
}

impl LoopExecutor {
    /// A loop that takes its tasks through `spawner`; one per event loop (its connections are its own).
    pub fn new(spawner: Arc<dyn LoopSpawner>) -> Self {
        static IDS: AtomicU64 = AtomicU64::new(1);
        keep_a_timer_armed();
        Self { id: IDS.fetch_add(1, Ordering::Relaxed), spawner }
    }

    /// Runs `poll` (which polls this loop's tasks) on the loop's thread as this loop's: calls made or polled in it
    /// run inline and send over the loop's connections; their timers and sockets are the bridges' runtime's.
    pub fn run<R>(&self, poll: impl FnOnce() -> R) -> R {
        let bridges = crate::runtime::bridge_handle();
        let _context = bridges.enter();
        let previous = CURRENT.with_borrow_mut(|current| current.replace(self.clone()));
        let _restore = Restore(previous);
        poll()
    }

    /// Hands `task` to the loop.
    pub(crate) fn spawn(&self, task: BoxFuture<'static, ()>) {
        self.spawner.spawn(task);
    }

    /// Tells this loop's connection pool from every other.
    pub(crate) fn id(&self) -> u64 {
        self.id
    }
}

/// Puts back the loop that was current (also on a panic).
struct Restore(Option<LoopExecutor>);

impl Drop for Restore {
    fn drop(&mut self) {
        let previous = self.0.take();
        CURRENT.with_borrow_mut(|current| *current = previous);
    }
}

/// The loop whose task this thread is polling, if any.
pub(crate) fn current() -> Option<LoopExecutor> {
    CURRENT.with_borrow(Clone::clone)
}

/// Whether this thread is polling a loop's task (cheaper than [`current`]: no clone).
pub(crate) fn polling() -> bool {
    CURRENT.with_borrow(Option::is_some)
}

/// Spawns, once per process (and again after a fork, whose child has new runtimes), a task on the bridges' runtime
/// that keeps a timer due within a second (see the module docs).
fn keep_a_timer_armed() {
    static ARMED_IN: AtomicU32 = AtomicU32::new(0);
    let pid = crate::process::id();
    if ARMED_IN.swap(pid, Ordering::SeqCst) != pid {
        crate::runtime::bridge_handle().spawn(async {
            loop {
                tokio::time::sleep(Duration::from_millis(900)).await;
            }
        });
    }
}

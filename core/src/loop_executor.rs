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
//! per environment). What the core does: while a task is polled inside `runtime::on_loop`, a call runs inline
//! (not spawned on a runtime), the transport gives it the loop's own connection pool (a pooled connection is a
//! task of the loop, which must never be handed to a runtime, nor a runtime's to the loop), and hyper-util's client
//! spawns its connection tasks on the loop. When the binding drops its tasks (the environment is torn down), the
//! loop's pool goes with them.
//!
//! Timers: a call's deadline is a tokio timer of the bridges' runtime, registered from the loop's thread; see
//! `runtime::on_loop` for why the bridges' runtime then keeps a timer armed.
//!
//! This file holds the types and which loop a thread polls for; `runtime::on_loop` enters a loop (the runtime
//! imports this file, not the other way round).

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use futures_util::future::BoxFuture;

/// How a binding's loop takes tasks: each is to be polled on the loop's thread, inside `runtime::on_loop`, until
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
    /// The loop whose task this thread is polling, inside `runtime::on_loop`.
    static CURRENT: RefCell<Option<LoopExecutor>> = const { RefCell::new(None) };
}

impl LoopExecutor {
    /// A loop that takes its tasks through `spawner`; one per event loop (its connections are its own).
    pub fn new(spawner: Arc<dyn LoopSpawner>) -> Self {
        static IDS: AtomicU64 = AtomicU64::new(1);
        Self { id: IDS.fetch_add(1, Ordering::Relaxed), spawner }
    }

    /// Makes this the loop this thread polls for, until the guard is dropped.
    pub(crate) fn enter(&self) -> Entered {
        Entered(CURRENT.with_borrow_mut(|current| current.replace(self.clone())))
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

/// Puts back the loop that was current when dropped (also on a panic).
pub(crate) struct Entered(Option<LoopExecutor>);

impl Drop for Entered {
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

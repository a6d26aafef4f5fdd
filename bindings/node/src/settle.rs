//! How a call's Promise is settled: the call is polled on the event loop's thread itself, as one task of the
//! environment's executor, and so are the connection tasks it needs (`tokensmith::loop_executor`).
//!
//! A synchronous function creates the Promise ([`promise`]) and polls the call at once, as the environment's
//! [`LoopExecutor`]'s (`tokensmith::runtime::on_loop`): a call that needs no I/O (`authHeaders` with an API key or
//! a cached token, an argument refused) is settled there and then; any other writes its request from this thread
//! before the function returns. Its task,
//! and the connection tasks hyper-util's client spawns for it, are then polled again whenever their wakers are
//! called: from the bridges' runtime's thread, whose I/O driver sees the answer arrive, or from the core's runtime
//! (a token fetch another call started). A waker pushes the task onto the environment's queue and signals the
//! environment's one long-lived threadsafe function only if the queue was empty and the loop is not draining it
//! already; the loop's thread then drains the queue, polls what was woken and settles the Promises of the calls
//! that ended. So a call at a time makes two context switches (the loop waits for the answer, the bridges' thread
//! for its bytes), where a call spawned on a runtime made three, and under load one wake-up polls many tasks.
//!
//! The threadsafe function is referenced while a call is pending and unreferenced when none is, so Node neither
//! exits under a pending call nor stays alive for an idle client (an idle pooled connection is a task too, but no
//! call). Each environment (the main thread, each worker thread) has its own executor, queue, function and
//! connection pool, made on its first call. When an environment is torn down (a worker exits or is terminated, the
//! process exits), its cleanup hook drops its tasks (their requests and its connections are dropped, and the core
//! forgets its pool), closes its queue (a wake-up that arrives later is dropped) and releases its function.
//!
//! A task that panics is dropped; a call's Promise is then rejected with an error saying so. None is left pending.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ffi::c_void;
use std::future::Future;
use std::pin::Pin;
use std::ptr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::task::{Context, Poll, Wake, Waker};

use napi::bindgen_prelude::{PromiseRaw, ToNapiValue};
use napi::{sys, Env, Error, Result, Status};
use tokensmith::loop_executor::{LoopExecutor, LoopSpawner};

/// A call's outcome, turned into its JavaScript value on the loop's thread.
type Outcome = Box<dyn FnOnce(sys::napi_env) -> Result<sys::napi_value> + Send>;

/// A task the core hands the loop (a connection's, the pool's watcher).
type BoxedTask = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A task of the loop: a call (whose end settles a Promise) or a connection's (which ends with nothing to settle).
type TaskFuture = Pin<Box<dyn Future<Output = Option<Outcome>> + Send>>;

/// The Promise of `call`, settled with its value (converted on the loop's thread) or rejected with its error.
pub(crate) fn promise<'env, T>(
    env: &'env Env,
    call: impl Future<Output = Result<T>> + Send + 'static,
) -> Result<PromiseRaw<'env, T>>
where
    T: ToNapiValue + Send + 'static,
{
    let raw = env.raw();
    let mut deferred = ptr::null_mut();
    let mut promise = ptr::null_mut();
    check(unsafe { sys::napi_create_promise(raw, &mut deferred, &mut promise) }, "create a promise")?;
    let task: TaskFuture = Box::pin(async move {
        let result = call.await;
        Some(Box::new(move |env| unsafe { T::to_napi_value(env, result?) }) as Outcome)
    });
    let settled = LOOP.with_borrow_mut(|slot| {
        let this = match slot {
            Some(this) if this.env == raw => this,
            _ => slot.insert(Loop::new(raw)?),
        };
        Ok::<_, Error>(this.start(task, deferred))
    })?;
    // The call may have ended at once, and polling it may have ended others (their answers were in).
    settle_all(raw, settled);
    Ok(PromiseRaw::new(raw, promise))
}

thread_local! {
    /// The environment of this thread (Node runs each environment on a thread of its own), once it made a call.
    static LOOP: RefCell<Option<Loop>> = const { RefCell::new(None) };
    /// The queue this thread is draining, while it polls its loop's tasks: a waker of that queue called then needs
    /// no signal, the drain goes on (another environment's queue still needs its own).
    static DRAINING: Cell<*const Queue> = const { Cell::new(ptr::null()) };
}

/// One environment's side: its executor, its queue, and the tasks it polls.
struct Loop {
    env: sys::napi_env,
    queue: Arc<Queue>,
    executor: LoopExecutor,
    tasks: HashMap<u64, Task>,
    /// How many tasks are calls (whose Promises are pending): what keeps Node alive.
    calls: usize,
    /// Whether the threadsafe function is referenced (some call is pending).
    referenced: bool,
    next: u64,
}

/// A task: its future, the Promise it settles if it is a call, and its waker.
struct Task {
    future: TaskFuture,
    deferred: Option<sys::napi_deferred>,
    waker: Arc<TaskWaker>,
}

impl Loop {
    fn new(env: sys::napi_env) -> Result<Self> {
        let mut name = ptr::null_mut();
        let label = "tokensmith";
        check(
            unsafe { sys::napi_create_string_utf8(env, label.as_ptr().cast(), label.len() as isize, &mut name) },
            "name the completion queue",
        )?;
        let mut wake = ptr::null_mut();
        check(
            unsafe {
                sys::napi_create_threadsafe_function(
                    env,
                    ptr::null_mut(),
                    ptr::null_mut(),
                    name,
                    0,
                    1,
                    ptr::null_mut(),
                    None,
                    ptr::null_mut(),
                    Some(drain),
                    &mut wake,
                )
            },
            "create the completion queue's threadsafe function",
        )?;
        // Idle until a call is pending: an idle client must not keep Node running.
        unsafe { sys::napi_unref_threadsafe_function(env, wake) };
        check(
            unsafe { sys::napi_add_env_cleanup_hook(env, Some(torn_down), ptr::null_mut()) },
            "watch the environment",
        )?;
        let queue = Arc::new(Queue { state: Mutex::new(Some(Pending::default())), wake: Signal(wake) });
        let executor = LoopExecutor::new(Arc::clone(&queue) as Arc<dyn LoopSpawner>);
        Ok(Self { env, queue, executor, tasks: HashMap::new(), calls: 0, referenced: false, next: 1 })
    }

    /// Adds a call's task, polls it and whatever it woke or spawned; returns the Promises to settle.
    fn start(&mut self, future: TaskFuture, deferred: sys::napi_deferred) -> Vec<(sys::napi_deferred, Outcome)> {
        self.calls += 1;
        let id = self.add(future, Some(deferred));
        self.run(Some(id))
    }

    fn add(&mut self, future: TaskFuture, deferred: Option<sys::napi_deferred>) -> u64 {
        let id = self.next;
        self.next += 1;
        let waker = Arc::new(TaskWaker { id, queued: AtomicBool::new(false), queue: Arc::downgrade(&self.queue) });
        self.tasks.insert(id, Task { future, deferred, waker });
        id
    }

    /// Polls what waited, then `first` (a new call), then every task that was woken or spawned, until none is left.
    fn run(&mut self, first: Option<u64>) -> Vec<(sys::napi_deferred, Outcome)> {
        let mut settled = Vec::new();
        let _draining = Draining::enter(&self.queue);
        let executor = self.executor.clone();
        tokensmith::runtime::on_loop(&executor, || {
            // What was woken first: a connection the server closed while idle reads its end and leaves the pool
            // before a new call could pick it.
            self.poll_waiting(&mut settled);
            if let Some(id) = first {
                self.poll(id, &mut settled);
            }
            self.poll_waiting(&mut settled);
        });
        // Referenced while a call is pending; a call settled at once touches neither.
        if self.referenced != (self.calls > 0) {
            self.keep_alive(self.calls > 0);
        }
        settled
    }

    /// Polls what was spawned or woken, until nothing is.
    fn poll_waiting(&mut self, settled: &mut Vec<(sys::napi_deferred, Outcome)>) {
        loop {
            let Some(pending) = self.queue.take() else { break };
            if pending.is_empty() {
                break;
            }
            for task in pending.spawned {
                let id = self.add(
                    Box::pin(async move {
                        task.await;
                        None
                    }),
                    None,
                );
                self.poll(id, settled);
            }
            for id in pending.woken {
                self.poll(id, settled);
            }
        }
    }

    /// Polls task `id` if it still exists; one that ended is removed, and a call's outcome kept to settle.
    fn poll(&mut self, id: u64, settled: &mut Vec<(sys::napi_deferred, Outcome)>) {
        let Some(task) = self.tasks.get_mut(&id) else { return };
        task.waker.queued.store(false, Ordering::SeqCst);
        let waker = Waker::from(Arc::clone(&task.waker));
        let polled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            task.future.as_mut().poll(&mut Context::from_waker(&waker))
        }));
        let outcome = match polled {
            Ok(Poll::Pending) => return,
            Ok(Poll::Ready(outcome)) => outcome,
            Err(_) => Some(Box::new(|_| Err(Error::new(Status::GenericFailure, PANICKED))) as Outcome),
        };
        let Some(task) = self.tasks.remove(&id) else { return };
        if let Some(deferred) = task.deferred {
            self.calls -= 1;
            if let Some(outcome) = outcome {
                settled.push((deferred, outcome));
            }
        }
    }

    fn keep_alive(&mut self, pending: bool) {
        self.referenced = pending;
        let wake = self.queue.wake.0;
        unsafe {
            if pending {
                sys::napi_ref_threadsafe_function(self.env, wake);
            } else {
                sys::napi_unref_threadsafe_function(self.env, wake);
            }
        }
    }
}

/// What waits for the loop's thread: tasks to add, and the ids of tasks whose wakers were called.
#[derive(Default)]
struct Pending {
    spawned: Vec<BoxedTask>,
    woken: Vec<u64>,
}

impl Pending {
    fn is_empty(&self) -> bool {
        self.spawned.is_empty() && self.woken.is_empty()
    }
}

/// What any thread hands one environment; `None` once that environment is gone.
struct Queue {
    state: Mutex<Option<Pending>>,
    wake: Signal,
}

/// The environment's threadsafe function: napi lets any thread call it, and it is released only under the queue's
/// lock (see [`torn_down`]), so a thread that calls it holding that lock never calls a released one.
struct Signal(sys::napi_threadsafe_function);

unsafe impl Send for Signal {}
unsafe impl Sync for Signal {}

impl Queue {
    /// Adds to what waits, and wakes the loop if nothing waited and it is not draining on this very thread.
    fn push(&self, add: impl FnOnce(&mut Pending)) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(pending) = state.as_mut() else { return };
        let was_empty = pending.is_empty();
        add(pending);
        if was_empty && DRAINING.get() != std::ptr::from_ref(self) {
            unsafe {
                sys::napi_call_threadsafe_function(
                    self.wake.0,
                    ptr::null_mut(),
                    sys::ThreadsafeFunctionCallMode::nonblocking,
                )
            };
        }
    }

    /// What waits (emptied), or `None` once the environment is gone.
    fn take(&self) -> Option<Pending> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.as_mut().map(std::mem::take)
    }
}

impl LoopSpawner for Queue {
    fn spawn(&self, task: BoxedTask) {
        self.push(|pending| pending.spawned.push(task));
    }
}

/// A task's waker: queues the task once until it is polled again.
struct TaskWaker {
    id: u64,
    queued: AtomicBool,
    queue: Weak<Queue>,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if self.queued.swap(true, Ordering::SeqCst) {
            return;
        }
        if let Some(queue) = self.queue.upgrade() {
            queue.push(|pending| pending.woken.push(self.id));
        }
    }
}

/// Sets [`DRAINING`] for as long as it lives, restoring what was there (also on a panic).
struct Draining(*const Queue);

impl Draining {
    fn enter(queue: &Arc<Queue>) -> Self {
        Self(DRAINING.replace(Arc::as_ptr(queue)))
    }
}

impl Drop for Draining {
    fn drop(&mut self) {
        DRAINING.set(self.0);
    }
}

/// What a call that panicked is rejected with.
const PANICKED: &str = "tokensmith: the call panicked inside the native library";

/// The threadsafe function's callback, on the loop's thread: polls what was woken, settles the calls that ended.
unsafe extern "C" fn drain(env: sys::napi_env, _: sys::napi_value, _: *mut c_void, _: *mut c_void) {
    if env.is_null() {
        return; // the function is being torn down with its environment
    }
    let settled = LOOP.with_borrow_mut(|slot| match slot.as_mut().filter(|this| this.env == env) {
        Some(this) => this.run(None),
        None => Vec::new(),
    });
    settle_all(env, settled);
}

/// Settles each Promise, with no state of this thread borrowed: napi converts the values here.
fn settle_all(env: sys::napi_env, settled: Vec<(sys::napi_deferred, Outcome)>) {
    for (deferred, outcome) in settled {
        unsafe { settle(env, deferred, outcome(env)) };
    }
}

/// Resolves `deferred` with `outcome`'s value or rejects it with its error.
///
/// # Safety
/// On the thread of `env`, with `deferred` not settled yet.
unsafe fn settle(env: sys::napi_env, deferred: sys::napi_deferred, outcome: Result<sys::napi_value>) {
    unsafe {
        match outcome {
            Ok(value) => sys::napi_resolve_deferred(env, deferred, value),
            Err(error) => {
                let message = error.reason.clone();
                let error = ToNapiValue::to_napi_value(env, error).or_else(|_| plain_error(env, &message));
                match error {
                    Ok(error) => sys::napi_reject_deferred(env, deferred, error),
                    Err(_) => sys::napi_reject_deferred(env, deferred, ptr::null_mut()),
                }
            }
        };
    }
}

/// The environment's cleanup hook: its tasks are dropped, its queue closed and its threadsafe function released.
unsafe extern "C" fn torn_down(_: *mut c_void) {
    let Some(this) = LOOP.with_borrow_mut(Option::take) else { return };
    let Loop { queue, executor, tasks, .. } = this;
    // Closed first, and what waited dropped with no lock held: a task that is dropped may wake another.
    let waiting = queue.state.lock().unwrap_or_else(PoisonError::into_inner).take();
    // Dropped as the loop's, so that what they hold (connections, the pool's watcher) goes the way it came.
    tokensmith::runtime::on_loop(&executor, || drop((tasks, waiting)));
    let _released = queue.state.lock().unwrap_or_else(PoisonError::into_inner);
    unsafe { sys::napi_release_threadsafe_function(queue.wake.0, sys::ThreadsafeFunctionReleaseMode::abort) };
}

/// A plain `Error` with `message`: what a rejection falls back to if its error cannot be made.
fn plain_error(env: sys::napi_env, message: &str) -> Result<sys::napi_value> {
    let mut text = ptr::null_mut();
    let mut error = ptr::null_mut();
    check(
        unsafe { sys::napi_create_string_utf8(env, message.as_ptr().cast(), message.len() as isize, &mut text) },
        "make an error message",
    )?;
    check(unsafe { sys::napi_create_error(env, ptr::null_mut(), text, &mut error) }, "make an error")?;
    Ok(error)
}

fn check(status: sys::napi_status, what: &str) -> Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(Error::new(Status::from(status), format!("tokensmith: could not {what}")))
    }
}

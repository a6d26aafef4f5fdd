//! How a call's Promise is settled: on the event loop's thread, from one completion queue per environment, with no
//! threadsafe function made per call.
//!
//! napi-rs's `async fn` makes a threadsafe function (a libuv async handle, opened and closed) for every call, and
//! runs the call on a runtime of its own. Here, as in the Python package's asyncio bridge
//! (`bindings/python/src/runtime.rs`), a synchronous function creates the Promise ([`promise`]) and spawns the call
//! on the core's bridges' runtime (`tokensmith::runtime::bridge_handle`, one thread), where it runs inline. When it
//! ends, that thread pushes the outcome, still a Rust value, onto the queue of the environment that made the call,
//! and signals that environment's one long-lived threadsafe function only if the queue was empty. The loop's thread
//! then drains the queue: each outcome becomes its JavaScript value there and settles its Promise. So a call
//! crosses threads twice (the loop wakes the bridge thread, the bridge thread wakes the loop), and under load one
//! wake-up settles many calls.
//!
//! The threadsafe function is referenced while a call is pending and unreferenced when none is, so Node neither
//! exits under a pending call nor stays alive for an idle client. Each environment (the main thread, each worker
//! thread) has its own queue and function, made on its first call. When an environment is torn down (a worker
//! exits or is terminated, the process exits), its cleanup hook aborts its calls (their requests are dropped),
//! closes its queue (an outcome that arrives later is dropped) and releases its function. The bridges' runtime is
//! never an environment's: no worker's exit stops it.
//!
//! A call that needs no I/O (`authHeaders` with an API key or a cached token, an argument refused before any
//! request) is settled at once, on the loop's thread, without the queue (`tokensmith::runtime::poll_without_io`).
//!
//! A call that panics rejects its Promise with an error saying so; none is left pending.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::c_void;
use std::future::Future;
use std::ptr;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Poll;

use napi::bindgen_prelude::{PromiseRaw, ToNapiValue};
use napi::{sys, Env, Error, Result, Status};
use tokio::task::AbortHandle;

/// A call's outcome, turned into its JavaScript value on the loop's thread.
type Outcome = Box<dyn FnOnce(sys::napi_env) -> Result<sys::napi_value> + Send>;

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
    let mut call = Box::pin(call);
    // A call that needs no I/O (a cached token, an API key's headers) is settled here and now: no thread hop. A
    // panic is caught here, on the loop's thread, as `Completion` catches one on the bridge's.
    let probed =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| tokensmith::runtime::poll_without_io(call.as_mut())));
    let settled = match probed {
        Ok(Poll::Pending) => None,
        Ok(Poll::Ready(result)) => Some(result.and_then(|value| unsafe { T::to_napi_value(raw, value) })),
        Err(_) => Some(Err(Error::new(Status::GenericFailure, PANICKED))),
    };
    if let Some(outcome) = settled {
        unsafe { settle(raw, deferred, outcome) };
        return Ok(PromiseRaw::new(raw, promise));
    }
    LOOP.with_borrow_mut(|slot| {
        let this = match slot {
            Some(this) if this.env == raw => this,
            _ => slot.insert(Loop::new(raw)?),
        };
        let id = this.next;
        this.next += 1;
        let completion = Completion { queue: Arc::clone(&this.queue), id, done: false };
        let task = tokensmith::runtime::bridge_handle().spawn(async move {
            let result = call.await;
            completion.finish(Box::new(move |env| unsafe { T::to_napi_value(env, result?) }));
        });
        // The task may have finished already: its outcome waits in the queue, which only this thread drains.
        if this.pending.is_empty() {
            this.keep_alive(true);
        }
        this.pending.insert(id, Pending { deferred, task: task.abort_handle() });
        Ok::<(), Error>(())
    })?;
    Ok(PromiseRaw::new(raw, promise))
}

thread_local! {
    /// The environment of this thread (Node runs each environment on a thread of its own), once it made a call.
    static LOOP: RefCell<Option<Loop>> = const { RefCell::new(None) };
}

/// One environment's side: its queue and the calls whose Promises it will settle.
struct Loop {
    env: sys::napi_env,
    queue: Arc<Queue>,
    pending: HashMap<u64, Pending>,
    next: u64,
}

/// A call in flight: the Promise to settle, and the task to abort if the environment goes first.
struct Pending {
    deferred: sys::napi_deferred,
    task: AbortHandle,
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
        let queue = Arc::new(Queue { outcomes: Mutex::new(Some(Vec::new())), wake: Wake(wake) });
        Ok(Self { env, queue, pending: HashMap::new(), next: 1 })
    }

    fn keep_alive(&self, pending: bool) {
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

/// The outcomes that core threads hand to one environment; `None` once that environment is gone.
struct Queue {
    outcomes: Mutex<Option<Vec<(u64, Outcome)>>>,
    wake: Wake,
}

/// The environment's threadsafe function: napi lets any thread call it, and it is released only under the queue's
/// lock (see [`torn_down`]), so a thread that calls it holding that lock never calls a released one.
struct Wake(sys::napi_threadsafe_function);

unsafe impl Send for Wake {}
unsafe impl Sync for Wake {}

impl Queue {
    fn push(&self, id: u64, outcome: Outcome) {
        let mut outcomes = self.outcomes.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(list) = outcomes.as_mut() else { return };
        list.push((id, outcome));
        if list.len() == 1 {
            unsafe {
                sys::napi_call_threadsafe_function(
                    self.wake.0,
                    ptr::null_mut(),
                    sys::ThreadsafeFunctionCallMode::nonblocking,
                )
            };
        }
    }

    fn take(&self) -> Vec<(u64, Outcome)> {
        let mut outcomes = self.outcomes.lock().unwrap_or_else(PoisonError::into_inner);
        outcomes.as_mut().map(std::mem::take).unwrap_or_default()
    }
}

/// What a call that panicked is rejected with.
const PANICKED: &str = "tokensmith: the call panicked inside the native library";

/// A call's way back: finished with its outcome, or, if dropped first (a panic, or the task aborted or stopped
/// with the runtime), with an error, so that no Promise is left pending while its environment lives.
struct Completion {
    queue: Arc<Queue>,
    id: u64,
    done: bool,
}

impl Completion {
    fn finish(mut self, outcome: Outcome) {
        self.done = true;
        self.queue.push(self.id, outcome);
    }
}

impl Drop for Completion {
    fn drop(&mut self) {
        if !self.done {
            let reason = if std::thread::panicking() {
                PANICKED
            } else {
                "tokensmith: the call was stopped before it ended (its runtime shut down)"
            };
            self.queue.push(self.id, Box::new(move |_| Err(Error::new(Status::GenericFailure, reason))));
        }
    }
}

/// The threadsafe function's callback, on the loop's thread: settles every Promise whose outcome arrived.
unsafe extern "C" fn drain(env: sys::napi_env, _: sys::napi_value, _: *mut c_void, _: *mut c_void) {
    if env.is_null() {
        return; // the function is being torn down with its environment
    }
    // Taken out of the thread's state first: settling runs no JavaScript now, but nothing here may hold the state
    // while napi converts values.
    let settled: Vec<(sys::napi_deferred, Outcome)> = LOOP.with_borrow_mut(|slot| {
        let Some(this) = slot.as_mut().filter(|this| this.env == env) else { return Vec::new() };
        let settled = this
            .queue
            .take()
            .into_iter()
            .filter_map(|(id, outcome)| this.pending.remove(&id).map(|pending| (pending.deferred, outcome)))
            .collect();
        if this.pending.is_empty() {
            this.keep_alive(false);
        }
        settled
    });
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

/// The environment's cleanup hook: its calls are aborted, its queue closed and its threadsafe function released.
unsafe extern "C" fn torn_down(_: *mut c_void) {
    let Some(this) = LOOP.with_borrow_mut(Option::take) else { return };
    for pending in this.pending.values() {
        pending.task.abort();
    }
    let mut outcomes = this.queue.outcomes.lock().unwrap_or_else(PoisonError::into_inner);
    *outcomes = None;
    unsafe { sys::napi_release_threadsafe_function(this.queue.wake.0, sys::ThreadsafeFunctionReleaseMode::abort) };
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

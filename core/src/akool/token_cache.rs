//! The bearer token cache of method 2, with single flight across async tasks and blocking threads.
//!
//! Akool tokens live for more than a year, so one fetch serves a client for its whole life, until the server
//! answers 1101. When many callers need the token at once, exactly one fetch runs and every caller that arrives
//! while it runs waits for that fetch and shares its result, success or failure; a failure is handed to those
//! waiters but not cached, so the next call tries again.
//!
//! The fetch runs as its own task on the core's runtime, not inside any caller: a waiter that is cancelled (its
//! future dropped) stops waiting, but the fetch goes on for the others. Waiting is awaiting a shared future, so
//! async waiters never block a runtime thread, and blocking callers park only their own thread.
//!
//! When the token is found stale, [`TokenCache::invalidate`] drops it only if it is still the cached one, so a
//! burst of 1101 answers causes one refetch, not one per caller. A flight inherited through `fork()` has no task
//! in the child: it is ignored there and a new one starts.

use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use futures_util::future::{BoxFuture, FutureExt, Shared};

use crate::error::{Error, Result};
use crate::runtime;
use crate::secret::Secret;
use crate::telemetry::{CallTrace, FlightTrace, TokenUse};

/// Numbers the flights of every cache in the process: a fetch that lands late cannot clear a newer flight, and a
/// binding that keeps fetches by number (Node's telemetry registry) never confuses two caches' fetches.
static NEXT_FLIGHT: AtomicU64 = AtomicU64::new(1);

/// One running fetch: what its waiters await, and its telemetry, which a traced waiter reports.
struct Flight {
    id: u64,
    pid: u32,
    outcome: Shared<BoxFuture<'static, Result<Secret>>>,
    trace: Arc<FlightTrace>,
}

#[derive(Default)]
struct State {
    token: Option<Secret>,
    flight: Option<Flight>,
}

/// A cached token and the coordination of the one fetch that fills it. Shared by the clones of a client.
#[derive(Default)]
pub(crate) struct TokenCache {
    state: Mutex<State>,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("TokenCache")
            .field("cached", &state.token.is_some())
            .field("fetching", &state.flight.is_some())
            .finish()
    }
}

impl TokenCache {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The cached token, or the result of the one fetch that runs for every caller arriving while it runs.
    /// `fetch` is called only when a new flight starts, with the flight's telemetry to record its attempts into.
    /// A traced caller (`trace`) learns which of the three it was.
    pub(crate) async fn get_or_fetch<F, Fut>(self: &Arc<Self>, trace: Option<&CallTrace>, fetch: F) -> Result<Secret>
    where
        F: FnOnce(Arc<FlightTrace>) -> Fut,
        Fut: Future<Output = Result<Secret>> + Send + 'static,
    {
        if let Some(token) = &self.lock().token {
            if let Some(trace) = trace {
                trace.token_used(TokenUse::Cached);
            }
            return Ok(token.clone());
        }
        // Before the lock: starting the runtime may log (after a fork), and no record is written under a lock of
        // ours, since a log sink may call back into this client.
        let runtime = runtime::handle();
        let outcome = {
            let mut state = self.lock();
            if let Some(token) = &state.token {
                if let Some(trace) = trace {
                    trace.token_used(TokenUse::Cached);
                }
                return Ok(token.clone());
            }
            let pid = crate::process::id();
            match &state.flight {
                Some(flight) if flight.pid == pid => {
                    if let Some(trace) = trace {
                        trace.token_used(TokenUse::Fetch { flight: Arc::clone(&flight.trace), leader: false });
                    }
                    flight.outcome.clone()
                }
                _ => {
                    let id = NEXT_FLIGHT.fetch_add(1, Ordering::Relaxed);
                    let cache = Arc::clone(self);
                    let propagation = trace.map(|t| t.propagation().to_vec()).unwrap_or_default();
                    let flight_trace = FlightTrace::new(id, propagation, trace.is_none_or(CallTrace::is_sent));
                    if let Some(trace) = trace {
                        trace.token_used(TokenUse::Fetch { flight: Arc::clone(&flight_trace), leader: true });
                    }
                    let work = fetch(Arc::clone(&flight_trace));
                    let ended = Arc::clone(&flight_trace);
                    let task = runtime.spawn(async move {
                        let outcome = work.await;
                        // Before any waiter wakes: each that reports finds the fetch ended.
                        ended.ended(outcome.as_ref().err().map(|e| e.kind().name()));
                        cache.land(id, &outcome);
                        outcome
                    });
                    // A fetch that panicked, or whose task died with the runtime, still answers its waiters.
                    let outcome = task
                        .map(|joined| {
                            joined.unwrap_or_else(|_| Err(Error::Transport("the token fetch was interrupted".into())))
                        })
                        .boxed()
                        .shared();
                    state.flight = Some(Flight { id, pid, outcome: outcome.clone(), trace: flight_trace });
                    outcome
                }
            }
        };
        let result = outcome.clone().await;
        if result.is_err() {
            // `land` ran unless the task panicked: make sure a failed flight is never waited on again.
            self.end_flight(&outcome);
        }
        result
    }

    /// Records the outcome of flight `id`: a token is cached, a failure is not; either way the flight is over.
    fn land(&self, id: u64, outcome: &Result<Secret>) {
        let mut state = self.lock();
        if state.flight.as_ref().is_some_and(|f| f.id == id) {
            state.flight = None;
            if let Ok(token) = outcome {
                state.token = Some(token.clone());
            }
        }
    }

    fn end_flight(&self, outcome: &Shared<BoxFuture<'static, Result<Secret>>>) {
        let mut state = self.lock();
        if state.flight.as_ref().is_some_and(|f| f.outcome.ptr_eq(outcome)) {
            state.flight = None;
        }
    }

    /// Forgets `stale` if it is still the cached token (a newer token fetched meanwhile is kept).
    pub(crate) fn invalidate(&self, stale: &Secret) {
        let mut state = self.lock();
        if state.token.as_ref() == Some(stale) {
            state.token = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Barrier;
    use std::thread;
    use std::time::Duration;

    use super::*;

    fn counted(fetches: &Arc<AtomicUsize>, token: &'static str) -> impl Future<Output = Result<Secret>> + Send {
        let fetches = Arc::clone(fetches);
        async move {
            fetches.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(50)).await;
            Ok(Secret::new(token))
        }
    }

    #[test]
    fn threads_and_tasks_share_one_fetch() {
        let cache = Arc::new(TokenCache::default());
        let fetches = Arc::new(AtomicUsize::new(0));
        let barrier = Arc::new(Barrier::new(16));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (cache, fetches, barrier) = (cache.clone(), fetches.clone(), barrier.clone());
                thread::spawn(move || {
                    barrier.wait();
                    runtime::block_on(cache.get_or_fetch(None, |_| counted(&fetches, "t1")))
                })
            })
            .collect();
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (cache, fetches, barrier) = (cache.clone(), fetches.clone(), barrier.clone());
                thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                    barrier.wait();
                    rt.block_on(async move { cache.get_or_fetch(None, |_| counted(&fetches, "t1")).await })
                })
            })
            .collect();
        for h in threads.into_iter().chain(tasks) {
            assert_eq!(h.join().unwrap().unwrap().expose(), "t1");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn failures_reach_waiters_but_are_not_cached() {
        let cache = Arc::new(TokenCache::default());
        let err = runtime::block_on(cache.get_or_fetch(None, |_| async { Err(Error::Transport("down".into())) }))
            .unwrap_err();
        assert_eq!(err.to_string(), "transport error: down");
        let token = runtime::block_on(cache.get_or_fetch(None, |_| async { Ok(Secret::new("t2")) })).unwrap();
        assert_eq!(token.expose(), "t2");
    }

    #[test]
    fn invalidate_drops_only_the_stale_token() {
        let cache = Arc::new(TokenCache::default());
        let get = |token: &'static str| {
            runtime::block_on(cache.get_or_fetch(None, move |_| async move { Ok(Secret::new(token)) }))
        };
        let t1 = get("t1").unwrap();
        cache.invalidate(&Secret::new("other"));
        assert_eq!(get("x").unwrap().expose(), "t1");
        cache.invalidate(&t1);
        assert_eq!(get("t2").unwrap().expose(), "t2");
    }

    #[test]
    fn a_cancelled_waiter_does_not_cancel_the_fetch() {
        let cache = Arc::new(TokenCache::default());
        let fetches = Arc::new(AtomicUsize::new(0));
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let first = cache.get_or_fetch(None, |_| counted(&fetches, "t3"));
        let timed_out = rt.block_on(async { tokio::time::timeout(Duration::from_millis(5), first).await });
        assert!(timed_out.is_err(), "the first waiter gave up");
        let token = runtime::block_on(cache.get_or_fetch(None, |_| counted(&fetches, "other")));
        assert_eq!(token.unwrap().expose(), "t3");
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_panicking_fetch_releases_waiters_and_is_not_cached() {
        let cache = Arc::new(TokenCache::default());
        let err = runtime::block_on(cache.get_or_fetch(None, |_| async { panic!("boom") })).unwrap_err();
        assert!(err.to_string().contains("interrupted"), "{err}");
        let token = runtime::block_on(cache.get_or_fetch(None, |_| async { Ok(Secret::new("t4")) })).unwrap();
        assert_eq!(token.expose(), "t4");
    }
}

//! The bearer token cache of method 2, with single flight.
//!
//! Akool tokens live for more than a year, so one fetch serves a client for its whole life, until the server
//! answers 1101. When many threads need the token at once, exactly one of them fetches it and the others wait for
//! that fetch and share its result, success or failure; a failure is handed to those waiters but not cached, so
//! the next call tries again. When the token is found stale, [`TokenCache::invalidate`] drops it only if it is
//! still the cached one, so a burst of 1101 answers causes one refetch, not one per thread.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use crate::error::Result;
use crate::secret::Secret;

#[derive(Debug, Default)]
struct State {
    token: Option<Secret>,
    /// Incremented when a fetch starts; identifies the flight that waiters wait for.
    flight: u64,
    in_flight: bool,
    /// The process that started the flight: a flight inherited through `fork()` has no fetching thread here.
    flight_pid: u32,
    /// The error of the last failed flight, for the waiters of that flight.
    failure: Option<(u64, crate::error::Error)>,
}

/// A cached token and the coordination of the one fetch that fills it.
#[derive(Debug, Default)]
pub(crate) struct TokenCache {
    state: Mutex<State>,
    landed: Condvar,
}

/// Ends a flight even if the fetch panics, so waiters are never left hanging.
struct FlightGuard<'a> {
    cache: &'a TokenCache,
    flight: u64,
    outcome: Option<Result<Secret>>,
}

impl Drop for FlightGuard<'_> {
    fn drop(&mut self) {
        let mut state = self.cache.lock();
        state.in_flight = false;
        match self.outcome.take() {
            Some(Ok(token)) => state.token = Some(token),
            Some(Err(error)) => state.failure = Some((self.flight, error)),
            None => {
                state.failure =
                    Some((self.flight, crate::error::Error::Transport("the token fetch was interrupted".to_owned())))
            }
        }
        self.cache.landed.notify_all();
    }
}

impl TokenCache {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The cached token, or the result of one `fetch` shared by every caller that arrives while it runs.
    pub(crate) fn get_or_fetch(&self, fetch: impl FnOnce() -> Result<Secret>) -> Result<Secret> {
        let mut state = self.lock();
        if let Some(token) = &state.token {
            return Ok(token.clone());
        }
        if state.in_flight && state.flight_pid != std::process::id() {
            state.in_flight = false;
        }
        if state.in_flight {
            let flight = state.flight;
            state = self
                .landed
                .wait_while(state, |s| s.in_flight && s.flight == flight)
                .unwrap_or_else(PoisonError::into_inner);
            if let Some(token) = &state.token {
                return Ok(token.clone());
            }
            if let Some((failed, error)) = &state.failure {
                if *failed == flight {
                    return Err(error.clone());
                }
            }
            // The flight we waited for was followed by an invalidation: start over.
            drop(state);
            return self.get_or_fetch(fetch);
        }
        state.flight += 1;
        state.in_flight = true;
        state.flight_pid = std::process::id();
        let mut guard = FlightGuard { cache: self, flight: state.flight, outcome: None };
        drop(state);
        let outcome = fetch();
        guard.outcome = Some(outcome.clone());
        drop(guard);
        outcome
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
    use std::sync::{Arc, Barrier};
    use std::thread;
    use std::time::Duration;

    use super::*;
    use crate::error::Error;

    #[test]
    fn concurrent_callers_share_one_fetch() {
        let cache = Arc::new(TokenCache::default());
        let fetches = Arc::new(AtomicUsize::new(0));
        let barrier = Arc::new(Barrier::new(16));
        let handles: Vec<_> = (0..16)
            .map(|_| {
                let (cache, fetches, barrier) = (cache.clone(), fetches.clone(), barrier.clone());
                thread::spawn(move || {
                    barrier.wait();
                    cache.get_or_fetch(|| {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        thread::sleep(Duration::from_millis(50));
                        Ok(Secret::new("t1"))
                    })
                })
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap().unwrap().expose(), "t1");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn failures_reach_waiters_but_are_not_cached() {
        let cache = TokenCache::default();
        let err = cache.get_or_fetch(|| Err(Error::Transport("down".into()))).unwrap_err();
        assert_eq!(err.to_string(), "transport error: down");
        assert_eq!(cache.get_or_fetch(|| Ok(Secret::new("t2"))).unwrap().expose(), "t2");
    }

    #[test]
    fn invalidate_drops_only_the_stale_token() {
        let cache = TokenCache::default();
        let t1 = cache.get_or_fetch(|| Ok(Secret::new("t1"))).unwrap();
        cache.invalidate(&Secret::new("other"));
        assert_eq!(cache.get_or_fetch(|| Ok(Secret::new("x"))).unwrap().expose(), "t1");
        cache.invalidate(&t1);
        assert_eq!(cache.get_or_fetch(|| Ok(Secret::new("t2"))).unwrap().expose(), "t2");
    }

    #[test]
    fn a_panicking_fetch_releases_waiters() {
        let cache = Arc::new(TokenCache::default());
        let c = cache.clone();
        let panicked = thread::spawn(move || c.get_or_fetch(|| panic!("boom"))).join();
        assert!(panicked.is_err());
        assert_eq!(cache.get_or_fetch(|| Ok(Secret::new("t3"))).unwrap().expose(), "t3");
    }
}

//! [`FlightTrace`]: the telemetry of one token fetch, which single flight shares among every call that needed the
//! token while it ran, and [`TokenFetch`], how those calls agree on the one span that reports it.
//!
//! The span of the fetch is a child of the operation of the call that started it (the leader), and every other
//! call links to it. The language's OpenTelemetry SDK assigns span ids, so the span exists only once a language
//! has made it, after the calls return. The first call to report [claims](TokenFetch::claim) it: it makes the
//! span under the leader's context (the leader's propagation headers, extracted) and
//! [publishes](TokenFetch::publish) the span's own context; the others [wait](TokenFetch::wait) for that, briefly,
//! to link to it. Claiming, making and publishing happen in one go on the claimant's thread, so a wait lasts
//! microseconds; a claimant that fails [abandons](TokenFetch::abandon) the claim and the waiters link to nothing.

use std::fmt;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use super::attempt::AttemptLog;

/// How long a call that shared a token fetch waits for the claimant to publish the fetch's span. The claimant
/// publishes microseconds after it claims; this only bounds one that died between the two (a Node worker
/// terminated mid-report), so it is short: a Node waiter blocks its event loop for it. One value for every
/// language, so that all of them link alike.
const LINK_WAIT: Duration = Duration::from_millis(200);

#[derive(Debug)]
enum Publication {
    Unclaimed,
    Claimed,
    Published(Vec<(String, String)>),
    Abandoned,
}

/// The fetch's record: its attempts, its times and outcome, and the leader's propagation headers.
pub(crate) struct FlightTrace {
    pub(crate) id: u64,
    /// The leader's propagation headers (its operation span's context): the fetch's parent.
    pub(crate) parent_headers: Vec<(String, String)>,
    /// Whether the fetch's attempts send `parent_headers` (not when the leader's trace is [unsent]).
    ///
    /// [unsent]: super::CallTrace::unsent
    pub(crate) sent: bool,
    pub(crate) attempts: AttemptLog,
    pub(crate) start: SystemTime,
    /// When it ended, and the error kind's name if it failed.
    end: Mutex<Option<(SystemTime, Option<&'static str>)>>,
    publication: Mutex<Publication>,
    published: Condvar,
}

impl fmt::Debug for FlightTrace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlightTrace").field("id", &self.id).field("attempts", &self.attempts.len()).finish()
    }
}

impl FlightTrace {
    pub(crate) fn new(id: u64, parent_headers: Vec<(String, String)>, sent: bool) -> Arc<Self> {
        Arc::new(Self {
            id,
            parent_headers,
            sent,
            attempts: AttemptLog::default(),
            start: SystemTime::now(),
            end: Mutex::new(None),
            publication: Mutex::new(Publication::Unclaimed),
            published: Condvar::new(),
        })
    }

    /// Records the end of the fetch (before any waiter is woken, so every call that reports sees it ended).
    pub(crate) fn ended(&self, failure: Option<&'static str>) {
        *self.end.lock().unwrap_or_else(PoisonError::into_inner) = Some((SystemTime::now(), failure));
    }

    pub(crate) fn end(&self) -> Option<(SystemTime, Option<&'static str>)> {
        *self.end.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn publication(&self) -> std::sync::MutexGuard<'_, Publication> {
        self.publication.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A call's part in a shared token fetch, for its report: see the module's documentation.
#[derive(Clone)]
pub struct TokenFetch {
    pub(crate) flight: Arc<FlightTrace>,
    pub(crate) leader: bool,
}

impl fmt::Debug for TokenFetch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenFetch").field("flight", &self.flight.id).field("leader", &self.leader).finish()
    }
}

impl TokenFetch {
    /// A number that tells fetches apart within a process (a process-wide count of them).
    pub fn id(&self) -> u64 {
        self.flight.id
    }

    /// Whether this call started the fetch: the fetch's span is a child of this call's operation span, and this
    /// call does not link to it.
    pub fn is_leader(&self) -> bool {
        self.leader
    }

    /// The leader's propagation headers, if this call is the first to report the fetch and must make its span
    /// (as their child); `None` if another call did or does. Call [`TokenFetch::publish`] or
    /// [`TokenFetch::abandon`] next, at once.
    pub fn claim(&self) -> Option<Vec<(String, String)>> {
        let mut publication = self.flight.publication();
        match *publication {
            Publication::Unclaimed => {
                *publication = Publication::Claimed;
                Some(self.flight.parent_headers.clone())
            }
            _ => None,
        }
    }

    /// The made span's context as propagation headers, for the other calls to link to.
    pub fn publish(&self, headers: Vec<(String, String)>) {
        *self.flight.publication() = Publication::Published(headers);
        self.flight.published.notify_all();
    }

    /// The claimant could not make the span: the others link to nothing.
    pub fn abandon(&self) {
        *self.flight.publication() = Publication::Abandoned;
        self.flight.published.notify_all();
    }

    /// The fetch span's context, once the claimant published it (waiting a moment at most); `None` if it was
    /// abandoned, or not published in time.
    pub fn wait(&self) -> Option<Vec<(String, String)>> {
        self.wait_at_most(LINK_WAIT)
    }

    fn wait_at_most(&self, timeout: Duration) -> Option<Vec<(String, String)>> {
        let publication = self.flight.publication();
        let (publication, _) = self
            .flight
            .published
            .wait_timeout_while(publication, timeout, |p| matches!(p, Publication::Claimed))
            .unwrap_or_else(PoisonError::into_inner);
        match &*publication {
            Publication::Published(headers) => Some(headers.clone()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fetch() -> TokenFetch {
        TokenFetch {
            flight: FlightTrace::new(7, vec![("traceparent".into(), "00-leader".into())], true),
            leader: false,
        }
    }

    #[test]
    fn one_claimant_makes_the_span_and_the_others_get_its_context() {
        let first = fetch();
        let other = first.clone();
        assert_eq!(first.claim(), Some(vec![("traceparent".into(), "00-leader".into())]));
        assert_eq!(other.claim(), None, "a second claim finds it taken");
        let waiter = std::thread::spawn(move || other.wait());
        std::thread::sleep(Duration::from_millis(20));
        first.publish(vec![("traceparent".into(), "00-fetch".into())]);
        assert_eq!(waiter.join().unwrap(), Some(vec![("traceparent".into(), "00-fetch".into())]));
    }

    #[test]
    fn an_abandoned_or_unpublished_claim_ends_the_wait_with_nothing() {
        let first = fetch();
        let other = first.clone();
        first.claim();
        assert_eq!(other.wait_at_most(Duration::from_millis(10)), None, "not published in time");
        first.abandon();
        assert_eq!(other.wait(), None);
    }
}

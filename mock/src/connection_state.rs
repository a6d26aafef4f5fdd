//! What the requests of one connection tell the task that watches it (`connection.rs`): how many are in flight,
//! since when it has been idle, and how a fault of one of them ends it. A leaf, so that the dispatch can mark a
//! connection's end and the watcher can serve the dispatch without either importing the other.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context as TaskContext, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::{Body, Frame, SizeHint};
use tokio::sync::{watch, Notify};
use tokio::time::Instant;

/// How a fault ends the connection its request came on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ending {
    /// Closed with a FIN once the answer is written, which said nothing of it (`close_after`).
    AfterAnswer,
    /// Closed with a TCP reset instead of an answer (`reset`).
    Reset,
}

/// What the requests of one connection tell the task that watches it.
#[derive(Debug)]
pub(crate) struct Connection {
    activity: Mutex<Activity>,
    /// The server's idle close, to know whether a written answer concerns the watcher.
    idle_close: watch::Receiver<Option<Duration>>,
    /// Woken when an answer the watcher waits for was written, or a fault ended the connection.
    changed: Notify,
}

#[derive(Debug, Default)]
struct Activity {
    /// Requests that arrived and whose answer is not written yet.
    in_flight: usize,
    /// When the last answer was written, while no request is in flight. `None` before the first answer: a new
    /// connection is not a keep-alive one yet (real servers give it their header timeout instead), and closing it
    /// before its first request could arrive would fail calls no client can retry.
    idle_since: Option<Instant>,
    /// How a fault of one of its requests ends the connection.
    ending: Option<Ending>,
}

impl Connection {
    pub(crate) fn new(idle_close: watch::Receiver<Option<Duration>>) -> Self {
        Self { activity: Mutex::default(), idle_close, changed: Notify::new() }
    }

    /// Ends the connection as `ending` says, once the request that asked for it is done with.
    pub(crate) fn end(&self, ending: Ending) {
        self.activity().ending = Some(ending);
        self.changed.notify_one();
    }

    /// Counts a request in until its answer is written (see [`InFlight`]).
    pub(crate) fn arrived(self: &Arc<Self>) -> InFlight {
        let mut activity = self.activity();
        activity.in_flight += 1;
        activity.idle_since = None;
        InFlight(self.clone())
    }

    /// When to close the connection gracefully: at once after an answer that a `close_after` fault ends, else
    /// when it will have been idle for `idle_close`; `None` while a request is in flight, when nothing closes it,
    /// or when a reset ends it instead.
    pub(crate) fn close_at(&self, idle_close: Option<Duration>) -> Option<Instant> {
        let activity = self.activity();
        let idle_since = activity.idle_since?;
        match activity.ending {
            Some(Ending::AfterAnswer) => Some(idle_since),
            Some(Ending::Reset) => None,
            None => idle_close.map(|after| idle_since + after),
        }
    }

    /// Whether a fault asked for a reset (linger 0) instead of a FIN.
    pub(crate) fn ends_with_reset(&self) -> bool {
        self.activity().ending == Some(Ending::Reset)
    }

    /// Resolves when an answer the watcher waits for was written, or a fault ended the connection.
    pub(crate) async fn changed(&self) {
        self.changed.notified().await;
    }

    fn activity(&self) -> MutexGuard<'_, Activity> {
        self.activity.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A request, counted from its arrival until hyper drops its answer's body, which it does once the body is written
/// (or when the connection ends first).
#[derive(Debug)]
pub(crate) struct InFlight(Arc<Connection>);

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut activity = self.0.activity();
        activity.in_flight -= 1;
        if activity.in_flight > 0 {
            return;
        }
        activity.idle_since = Some(Instant::now());
        // The watcher is woken only when it has something to close: with neither an idle close nor a fault, an
        // answer costs what it cost before connections were watched (a wake would reschedule the task).
        let watched = activity.ending.is_some() || self.0.idle_close.borrow().is_some();
        drop(activity);
        if watched {
            self.0.changed.notify_one();
        }
    }
}

/// An answer's body carrying its request's [`InFlight`], so that the connection knows when the answer is written.
#[derive(Debug)]
pub(crate) struct Written {
    pub(crate) body: Full<Bytes>,
    pub(crate) _in_flight: InFlight,
}

impl Body for Written {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

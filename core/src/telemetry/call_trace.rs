//! [`CallTrace`]: the telemetry of one call, collected by the core while the call runs and turned into a
//! [`CallReport`] when it returns.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use super::attempt::AttemptLog;
use super::flight::TokenFetch;
use super::outcome::Outcome;
use super::report::{self, CallReport};
use super::token_use::TokenUse;
use crate::error::Error;

struct State {
    operation: &'static str,
    propagation: Vec<(String, String)>,
    /// Whether the attempts send `propagation` (else it only parents the token fetch and names the log records'
    /// span).
    sent: bool,
    attempts: AttemptLog,
    token: Mutex<TokenUse>,
    outcome: Mutex<Option<Outcome>>,
}

/// The telemetry of one call, for a language's OpenTelemetry API (or a hook) to report: the binding makes one
/// when the application traces, passes it with the call's options (`CallOptions::with_trace`), and asks for
/// its [`CallReport`] when the call returns, success or failure.
///
/// It carries the propagation headers of the caller's operation span (W3C `traceparent` and `tracestate`, as the
/// language's global propagator wrote them), which every attempt of the call sends, and the token fetch too when
/// this call starts one. It holds no secret: no header but those, no body, no query string.
#[derive(Clone)]
pub struct CallTrace(Arc<State>);

impl CallTrace {
    /// A trace for the operation `operation` (one of [`operations`](super::operations)), whose attempts send
    /// `propagation`.
    pub fn new(operation: &'static str, propagation: Vec<(String, String)>) -> Self {
        Self::with_sending(operation, propagation, true)
    }

    /// A trace whose `propagation` is the operation span's context but is not sent to the vendor (the language
    /// layer's `propagate = false`): the token fetch's span is still the operation's child, and the call's log
    /// records still carry its ids, as with the client's `NoPropagation`.
    pub fn unsent(operation: &'static str, propagation: Vec<(String, String)>) -> Self {
        Self::with_sending(operation, propagation, false)
    }

    fn with_sending(operation: &'static str, propagation: Vec<(String, String)>, sent: bool) -> Self {
        Self(Arc::new(State {
            operation,
            propagation,
            sent,
            attempts: AttemptLog::default(),
            token: Mutex::default(),
            outcome: Mutex::default(),
        }))
    }

    /// What happened, as spans, attributes and measurements: call it once the call returned.
    pub fn report(&self) -> CallReport {
        let token = self.0.token.lock().unwrap_or_else(PoisonError::into_inner).clone();
        let outcome = self.0.outcome.lock().unwrap_or_else(PoisonError::into_inner).clone();
        // A call that ended before its fetch did (cancelled while waiting) leaves the fetch to those that waited
        // for it to end: reported now, it would end early, without its outcome or all its attempts.
        let fetch = match &token {
            TokenUse::Fetch { flight, leader } if flight.end().is_some() => {
                Some(TokenFetch { flight: Arc::clone(flight), leader: *leader })
            }
            _ => None,
        };
        report::build(self.0.operation, &self.0.attempts.snapshot(), &token, outcome.as_ref(), fetch)
    }

    pub(crate) fn propagation(&self) -> &[(String, String)] {
        &self.0.propagation
    }

    pub(crate) fn is_sent(&self) -> bool {
        self.0.sent
    }

    pub(crate) fn attempts(&self) -> &AttemptLog {
        &self.0.attempts
    }

    pub(crate) fn token_used(&self, token: TokenUse) {
        *self.0.token.lock().unwrap_or_else(PoisonError::into_inner) = token;
    }

    /// Records that the call's future was dropped before it ended (the caller cancelled it).
    pub(crate) fn cancelled(&self) {
        let mut outcome = self.0.outcome.lock().unwrap_or_else(PoisonError::into_inner);
        outcome.get_or_insert_with(Outcome::cancelled);
    }

    /// Records how the call failed (the last failure, if the call made several: a 1101 renewal's).
    pub(crate) fn failed(&self, error: &Error) {
        *self.0.outcome.lock().unwrap_or_else(PoisonError::into_inner) = Some(Outcome::of(error));
    }
}

/// Two traces are equal when they are the same trace (a call's options compare equal to themselves).
impl PartialEq for CallTrace {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for CallTrace {}

impl fmt::Debug for CallTrace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.0.propagation.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("CallTrace")
            .field("operation", &self.0.operation)
            .field("propagation", &names)
            .field("sent", &self.0.sent)
            .field("attempts", &self.0.attempts.len())
            .finish()
    }
}

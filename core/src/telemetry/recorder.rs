//! [`Recorder`]: where the transport writes the attempts of one request: a traced call, or a token fetch.

use std::sync::Arc;

use super::attempt::AttemptLog;
use super::call_trace::CallTrace;
use super::flight::FlightTrace;
use crate::error::Result;

/// What a request's attempts are recorded into.
#[derive(Clone, Debug)]
pub(crate) enum Recorder {
    /// A call the application traces.
    Call(CallTrace),
    /// A token fetch (always recorded: a traced call may wait for it, and there is one a year).
    Fetch(Arc<FlightTrace>),
}

impl Recorder {
    pub(crate) fn attempts(&self) -> &AttemptLog {
        match self {
            Self::Call(trace) => trace.attempts(),
            Self::Fetch(flight) => &flight.attempts,
        }
    }
}

/// Records how a traced call ended, when it failed.
pub(crate) fn observe<T>(recorder: Option<&Recorder>, result: &Result<T>) {
    if let (Some(Recorder::Call(trace)), Err(error)) = (recorder, result) {
        trace.failed(error);
    }
}

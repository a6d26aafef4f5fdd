//! [`Outcome`]: what a failed call ended with, for its operation span.

use crate::error::Error;

/// What a failed call ended with, for the operation span.
#[derive(Clone, Debug)]
pub(crate) struct Outcome {
    pub(crate) kind: &'static str,
    pub(crate) status: Option<u16>,
    pub(crate) akool_code: Option<i64>,
    pub(crate) acedata_code: Option<String>,
    pub(crate) vendor_trace_id: Option<String>,
}

impl Outcome {
    /// A call whose future was dropped before it ended.
    pub(crate) fn cancelled() -> Self {
        Self { kind: "Cancelled", status: None, akool_code: None, acedata_code: None, vendor_trace_id: None }
    }

    pub(crate) fn of(error: &Error) -> Self {
        Self {
            kind: error.kind().name(),
            status: error.status(),
            akool_code: error.akool_code().map(|code| code.value()),
            acedata_code: error.acedata_code().map(str::to_owned),
            vendor_trace_id: error.failure().and_then(|f| f.trace_id.clone()),
        }
    }
}

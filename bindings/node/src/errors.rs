//! How a core error crosses to JavaScript: an `Error` whose message is [`MARKER`] and the error's details as
//! JSON. napi-rs cannot throw an instance of a class defined in JavaScript (napi-rs#1981), so the package's
//! `index.js` catches these and throws the error class of the kind, with the details as properties.

use napi::{Error, Status};
use serde_json::json;

/// Starts the message of every error the addon throws; `index.js` looks for it.
pub(crate) const MARKER: &str = "tokensmith-error:";

/// The JavaScript error for a core error.
pub(crate) fn to_js(error: tokensmith::Error) -> Error {
    let d = error.details();
    let details = json!({
        "kind": d.kind.name(),
        "message": d.message,
        "status": d.status,
        "akoolCode": d.akool_code,
        "vendorCode": d.vendor_code,
        "field": d.field,
        "retryAfter": d.retry_after.map(|r| r.as_secs_f64()),
        "reason": d.webhook_reason.map(|r| r.name()),
        "traceId": d.trace_id,
    });
    Error::new(Status::GenericFailure, format!("{MARKER}{details}"))
}

/// The result type of every exported call.
pub(crate) type Result<T> = std::result::Result<T, Error>;

/// Converts a core result.
pub(crate) fn js<T>(result: tokensmith::Result<T>) -> Result<T> {
    result.map_err(to_js)
}

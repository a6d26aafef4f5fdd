//! Reads AceData error answers, whichever of their shapes arrives.
//!
//! Seen in the vendor's docs and code: `{"error": {"code", "message"}, "trace_id"}`, `{"error": "text"}`,
//! `{"detail": "text"}` and field errors `{"field": ["message", ...]}`. Anything else falls back to the status.

use serde_json::Value;

use crate::error::Error;
use crate::transport::Response;
use crate::vendor_code::VendorCode;

impl Error {
    /// The AceData error code (`invalid_token`, `used_up`, ...), if this error came from an AceData answer.
    pub fn acedata_code(&self) -> Option<&str> {
        match self.vendor_code() {
            Some(VendorCode::AceData(code)) => Some(code),
            _ => None,
        }
    }
}

/// The error for a non-2xx answer.
pub(crate) fn error_for(response: &Response) -> Error {
    let Ok(body) = serde_json::from_slice::<Value>(&response.body) else {
        return Error::from_status(response.failure(None, ""), response.retry_after);
    };
    let (code, message) = read(&body);
    let used_up = code.as_deref() == Some("used_up");
    let mut failure = response.failure(code.map(VendorCode::AceData), &message);
    if let Some(trace_id) = body.get("trace_id").and_then(Value::as_str) {
        failure.trace_id = Some(trace_id.to_owned());
    }
    if used_up {
        // The credential's quota is spent: a payment matter, not a credential to fix (docs/errors.md).
        return Error::Billing(failure);
    }
    Error::from_status(failure, response.retry_after)
}

/// The vendor code and message of an error body.
fn read(body: &Value) -> (Option<String>, String) {
    let Some(object) = body.as_object() else {
        return (None, body.as_str().unwrap_or_default().to_owned());
    };
    match object.get("error") {
        Some(Value::Object(error)) => {
            let code = error.get("code").and_then(Value::as_str).map(str::to_owned);
            let message = error.get("message").and_then(Value::as_str).unwrap_or_default().to_owned();
            return (code, message);
        }
        Some(Value::String(message)) => return (None, message.clone()),
        _ => {}
    }
    if let Some(detail) = object.get("detail") {
        return (None, text_of(detail));
    }
    let fields: Vec<String> = object
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "error" | "trace_id" | "code"))
        .map(|(name, value)| format!("{name}: {}", text_of(value)))
        .collect();
    (object.get("code").and_then(Value::as_str).map(str::to_owned), fields.join("; "))
}

/// A message value as text: strings as they are, lists joined, anything else as JSON.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(text_of).collect::<Vec<_>>().join(" "),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_documented_table_is_the_mapping() {
        for row in crate::error::doc_rows("AceData") {
            let (status, code) = row.value.split_once(' ').unwrap();
            let body = json!({"error": {"code": code, "message": "m"}, "trace_id": "t-1"});
            let response = Response::synthetic(status.parse().unwrap(), body.to_string().into_bytes(), false);
            let error = error_for(&response);
            assert_eq!(error.kind().name(), row.kind, "{row:?}");
            assert_eq!((error.acedata_code(), error.trace_id()), (Some(code), Some("t-1")));
        }
    }

    #[test]
    fn every_documented_shape_is_read() {
        let cases = [
            (
                json!({"error": {"code": "invalid_token", "message": "Token is invalid"}, "trace_id": "t"}),
                Some("invalid_token"),
                "Token is invalid",
            ),
            (json!({"error": "used up"}), None, "used up"),
            (json!({"error": null, "detail": "Not found."}), None, "Not found."),
            (json!({"detail": ["a", "b"]}), None, "a b"),
            (
                json!({"application_id": ["Must be a valid UUID."], "host": ["bad"]}),
                None,
                "application_id: Must be a valid UUID.; host: bad",
            ),
            (json!("plain"), None, "plain"),
        ];
        for (body, code, message) in cases {
            assert_eq!(read(&body), (code.map(str::to_owned), message.to_owned()), "{body}");
        }
    }
}

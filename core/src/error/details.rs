//! [`ErrorDetails`]: every field of an [`Error`] as one plain value, so each binding converts an error once,
//! in one place, and foreign callers read named properties instead of matching on variants.

use std::time::Duration;

use super::{Error, ErrorKind, WebhookRejection};
use crate::vendor_code::VendorCode;

/// An [`Error`] flattened: its kind, its message, and whatever data it carries (unset fields are `None`).
///
/// Holds no secret: the message is the error's `Display`, which is scrubbed of every secret the request carried.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ErrorDetails {
    /// What the caller can do about it.
    pub kind: ErrorKind,
    /// The full message (the error's `Display`).
    pub message: String,
    /// The HTTP status of the answer, when there was one.
    pub status: Option<u16>,
    /// The Akool business code (`1101`, `1200`, ...), when the answer carried one.
    pub akool_code: Option<i64>,
    /// The AceData error code (`invalid_token`, `used_up`, ...), when the answer carried one.
    pub vendor_code: Option<String>,
    /// The argument or setting an input error names.
    pub field: Option<String>,
    /// How long a rate-limited answer asked the caller to wait.
    pub retry_after: Option<Duration>,
    /// Why a webhook was refused.
    pub webhook_reason: Option<WebhookRejection>,
    /// The vendor's id for the failed request, for its support.
    pub trace_id: Option<String>,
}

impl From<&Error> for ErrorDetails {
    fn from(error: &Error) -> Self {
        let (akool_code, vendor_code) = match error.vendor_code() {
            Some(VendorCode::Akool(code)) => (Some(code.value()), None),
            Some(VendorCode::AceData(code)) => (None, Some(code.clone())),
            None => (None, None),
        };
        Self {
            kind: error.kind(),
            message: error.to_string(),
            status: error.status(),
            akool_code,
            vendor_code,
            field: error.field().map(str::to_owned),
            retry_after: error.retry_after(),
            webhook_reason: error.webhook_rejection(),
            trace_id: error.trace_id().map(str::to_owned),
        }
    }
}

impl Error {
    /// Every field of this error in one value: what bindings convert, once each.
    pub fn details(&self) -> ErrorDetails {
        ErrorDetails::from(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiFailure;

    #[test]
    fn details_carry_every_field() {
        let failure = ApiFailure {
            status: 403,
            code: Some(VendorCode::AceData("used_up".into())),
            message: "spent".into(),
            trace_id: Some("trace-9".into()),
        };
        let details = Error::Billing(failure).details();
        assert_eq!(details.kind, ErrorKind::Billing);
        assert_eq!(details.status, Some(403));
        assert_eq!(details.vendor_code.as_deref(), Some("used_up"));
        assert_eq!(details.akool_code, None);
        assert_eq!(details.trace_id.as_deref(), Some("trace-9"));
        assert_eq!(
            details.message,
            "quota, credit or payment problem (HTTP 403, AceData code used_up: spent [trace id trace-9])"
        );
        let input = Error::invalid("limit", "must be positive").details();
        assert_eq!((input.kind, input.field.as_deref()), (ErrorKind::InvalidInput, Some("limit")));
    }
}

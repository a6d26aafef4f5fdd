//! The public error type: one enum whose variants say what the caller can do about a failure.
//!
//! Vendor codes and HTTP statuses are data on the variants ([`ApiFailure`]), never parsed back out of messages.
//! This module knows no vendor: HTTP statuses are mapped here ([`Error::from_status`]); each vendor maps its own
//! answers in its module (`akool::envelope`, `acedata::error_body`); transport errors in the transport module.
//! Bindings read every field at once through [`ErrorDetails`].

mod details;
mod table;

use std::fmt;
use std::time::Duration;

pub use details::ErrorDetails;
use table::error_table;

use crate::vendor_code::VendorCode;

/// The result type of every fallible call in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What a vendor answered when it refused a call: HTTP status, its own code if it sent one, and its message.
///
/// The message has been scrubbed of every secret the client sent, in case the server echoes one back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiFailure {
    /// The HTTP status of the answer (Akool reports most failures under 200).
    pub status: u16,
    /// The vendor's code, when the answer carried one.
    pub code: Option<VendorCode>,
    /// The vendor's message, or a description of the status when it sent none.
    pub message: String,
    /// The vendor's id for this request (AceData's `trace_id`), what its support asks for.
    pub trace_id: Option<String>,
}

impl fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, ", {code}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(trace_id) = &self.trace_id {
            write!(f, " [trace id {trace_id}]")?;
        }
        Ok(())
    }
}

error_table! {
    /// Everything that can go wrong, grouped by what the caller can do about it.
    #[derive(Clone, Debug, PartialEq, thiserror::Error)]
    #[non_exhaustive]
    pub enum Error {
        /// An argument or setting was rejected before any request was sent. Fix the named field.
        #[error("invalid {field}: {reason}")]
        InvalidInput {
            /// The argument, setting or field that is wrong (`application_id`, `base_url`, ...).
            field: String,
            /// Why it was rejected.
            reason: String,
        },
        /// Required configuration (environment variables) is missing. Set what the message names.
        #[error("missing configuration: {0}")]
        MissingConfig(String),
        /// The call does not apply to how this client was built (e.g. `token()` on an API-key client).
        #[error("unsupported: {0}")]
        Unsupported(String),
        /// The credentials were refused or lack permission (Akool 1101/1102, HTTP 401/403). Check or renew them.
        #[error("authentication failed ({0})")]
        Authentication(ApiFailure),
        /// The account is banned (Akool 1200). Nothing the client can do; contact the vendor.
        #[error("account banned ({0})")]
        AccountBanned(ApiFailure),
        /// Too many requests (HTTP 429, Akool 1005). Back off, for `retry_after` if the server said so.
        #[error("rate limited ({failure}){}", retry_after.map(|d| format!("; retry after {} s", d.as_secs_f64())).unwrap_or_default())]
        RateLimited {
            /// What the server answered.
            failure: ApiFailure,
            /// How long the server asked the client to wait, when it said so.
            retry_after: Option<Duration>,
        },
        /// Quota, credit or payment is exhausted (Akool 1006/1103/1104). Top up or pay, then call again.
        #[error("quota, credit or payment problem ({0})")]
        Billing(ApiFailure),
        /// The server rejected the request's content (Akool 1003, HTTP 400/422). Fix the request.
        #[error("request rejected ({0})")]
        InvalidRequest(ApiFailure),
        /// The addressed resource does not exist (HTTP 404, Akool 1008/1014).
        #[error("not found ({0})")]
        NotFound(ApiFailure),
        /// Any other refusal by the vendor; the code and message say which.
        #[error("API error ({0})")]
        Api(ApiFailure),
        /// The server failed (HTTP 5xx) and retries, where allowed, did not help. Try again later.
        #[error("server error ({0})")]
        Server(ApiFailure),
        /// No answer in time (connect or whole-request timeout) after the allowed retries.
        #[error("timed out: {0}")]
        Timeout(String),
        /// The connection failed or broke (refused, DNS, TLS, reset) after the allowed retries.
        #[error("transport error: {0}")]
        Transport(String),
        /// A webhook body was refused (bad signature, altered or foreign ciphertext, missing field, stale, ...).
        /// Answer the sender with an error status and do not act on it.
        #[error("webhook rejected ({reason:?}): {message}")]
        WebhookRejected {
            /// Why.
            reason: WebhookRejection,
            /// What exactly.
            message: String,
        },
        /// The answer was not what the API documents (not JSON, wrong shape, too large, a foreign redirect).
        /// Report it: either the vendor changed or something sits in between.
        #[error("unexpected response (HTTP {status}): {message}")]
        Decode {
            /// The HTTP status of the unexpected answer.
            status: u16,
            /// What was wrong, with a short excerpt of the body where the body cannot carry a secret.
            message: String,
        },
    }
}

/// Why a webhook was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WebhookRejection {
    /// The body is not the documented JSON object, or a field has the wrong type.
    MalformedBody,
    /// A documented field is missing.
    MissingField,
    /// The signature does not match the body.
    BadSignature,
    /// The timestamp is outside the configured tolerance window.
    StaleTimestamp,
    /// `dataEncrypt` is not base64 or does not decrypt with this key (wrong key, altered ciphertext, bad padding).
    BadCiphertext,
    /// The decrypted payload is not a JSON object.
    NotJson,
    /// The payload's `_id` is not the one the caller expected.
    UnexpectedId,
}

impl WebhookRejection {
    /// The reason's name, for bindings (`"BadSignature"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::MalformedBody => "MalformedBody",
            Self::MissingField => "MissingField",
            Self::BadSignature => "BadSignature",
            Self::StaleTimestamp => "StaleTimestamp",
            Self::BadCiphertext => "BadCiphertext",
            Self::NotJson => "NotJson",
            Self::UnexpectedId => "UnexpectedId",
        }
    }
}

/// See [`ErrorKind::parent`].
fn parent_kind(kind: ErrorKind) -> Option<ErrorKind> {
    use ErrorKind::*;
    match kind {
        Authentication | AccountBanned | RateLimited | Billing | InvalidRequest | NotFound | Server => Some(Api),
        Timeout => Some(Transport),
        InvalidInput | MissingConfig | Unsupported | Api | Transport | WebhookRejected | Decode => None,
    }
}

impl Error {
    /// An input error naming `field` and why it is refused (what every check before a request returns).
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidInput { field: field.into(), reason: reason.into() }
    }

    /// What the vendor answered, for errors that came from an answer.
    pub fn failure(&self) -> Option<&ApiFailure> {
        match self {
            Self::Authentication(f)
            | Self::AccountBanned(f)
            | Self::RateLimited { failure: f, .. }
            | Self::Billing(f)
            | Self::InvalidRequest(f)
            | Self::NotFound(f)
            | Self::Api(f)
            | Self::Server(f) => Some(f),
            _ => None,
        }
    }

    /// The HTTP status of the answer behind this error, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Decode { status, .. } => Some(*status),
            other => other.failure().map(|f| f.status),
        }
    }

    /// The vendor's own code, if the answer carried one.
    pub fn vendor_code(&self) -> Option<&VendorCode> {
        self.failure().and_then(|f| f.code.as_ref())
    }

    /// The vendor's id for the failed request, if its answer carried one.
    pub fn trace_id(&self) -> Option<&str> {
        self.failure().and_then(|f| f.trace_id.as_deref())
    }

    /// Why a webhook was refused, for webhook errors.
    pub fn webhook_rejection(&self) -> Option<WebhookRejection> {
        match self {
            Self::WebhookRejected { reason, .. } => Some(*reason),
            _ => None,
        }
    }

    /// The argument or setting an input error names.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::InvalidInput { field, .. } => Some(field),
            _ => None,
        }
    }

    /// How long the server asked us to wait, for rate-limit errors that said so.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Maps an HTTP error status (and whatever the body said) to the variant that says what to do.
    pub(crate) fn from_status(failure: ApiFailure, retry_after: Option<Duration>) -> Self {
        match failure.status {
            401 | 403 => Self::Authentication(failure),
            404 | 410 => Self::NotFound(failure),
            400 | 422 => Self::InvalidRequest(failure),
            429 => Self::RateLimited { failure, retry_after },
            500..=599 => Self::Server(failure),
            _ => Self::Api(failure),
        }
    }
}

/// One row of a table in `docs/errors.md`, which the vendor modules' tests compare with their mapping.
#[cfg(test)]
#[derive(Debug)]
pub(crate) struct DocRow {
    pub(crate) value: &'static str,
    pub(crate) kind: &'static str,
}

/// The rows of `docs/errors.md` whose source is `source` (`HTTP`, `Akool`, `AceData`).
#[cfg(test)]
pub(crate) fn doc_rows(source: &str) -> Vec<DocRow> {
    let rows: Vec<DocRow> = include_str!("../../../docs/errors.md")
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(str::trim).collect();
            (cells.len() == 3 && cells[0] == source).then(|| DocRow { value: cells[1], kind: cells[2] })
        })
        .collect();
    assert!(rows.len() >= 5, "docs/errors.md has a table for {source}");
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_table_is_the_mapping() {
        for row in doc_rows("HTTP") {
            assert_eq!(
                Error::from_status(failure(row.value.parse().unwrap()), None).kind().name(),
                row.kind,
                "{row:?}"
            );
        }
    }

    fn failure(status: u16) -> ApiFailure {
        ApiFailure { status, code: None, message: "m".into(), trace_id: None }
    }

    #[test]
    fn statuses_map_to_what_the_caller_can_do() {
        let kind = |s| Error::from_status(failure(s), None).kind();
        assert_eq!(kind(401), ErrorKind::Authentication);
        assert_eq!(kind(403), ErrorKind::Authentication);
        assert_eq!(kind(404), ErrorKind::NotFound);
        assert_eq!(kind(400), ErrorKind::InvalidRequest);
        assert_eq!(kind(429), ErrorKind::RateLimited);
        assert_eq!(kind(503), ErrorKind::Server);
        assert_eq!(kind(418), ErrorKind::Api);
    }

    #[test]
    fn display_names_status_message_and_trace_id() {
        let err = Error::from_status(failure(429), Some(Duration::from_secs(2)));
        assert_eq!(err.to_string(), "rate limited (HTTP 429: m); retry after 2 s");
        assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
        let traced = ApiFailure { trace_id: Some("t-1".into()), ..failure(404) };
        assert_eq!(Error::from_status(traced, None).to_string(), "not found (HTTP 404: m [trace id t-1])");
    }

    #[test]
    fn the_table_gives_every_kind_a_name_and_a_place() {
        let names: Vec<_> = ErrorKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(names.len(), 15);
        assert_eq!(names[0], "InvalidInput");
        assert_eq!(names[14], "Decode");
        assert_eq!(Error::Timeout("t".into()).kind().name(), "Timeout");
        assert_eq!(Error::invalid("f", "r").kind(), ErrorKind::InvalidInput);
    }
}

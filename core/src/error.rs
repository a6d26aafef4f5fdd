//! The public error type: one enum whose variants say what the caller can do about a failure.
//!
//! Vendor codes and HTTP statuses are data on the variants ([`ApiFailure`]), never parsed back out of messages.
//! Internal failures are mapped to this enum in one place each: HTTP statuses in [`Error::from_status`], Akool
//! business codes in [`Error::from_akool_code`], transport errors in the transport module.

use std::fmt;
use std::time::Duration;

use crate::akool::AkoolCode;

/// The result type of every fallible call in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A vendor's own code for a failure, next to the HTTP status.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VendorCode {
    /// The `code` of an Akool envelope (`1101`, `1200`, ...).
    Akool(AkoolCode),
    /// The `error.code` string of an AceData answer (`invalid_token`, `used_up`, ...).
    AceData(String),
}

impl fmt::Display for VendorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Akool(code) => write!(f, "Akool code {}", code.value()),
            Self::AceData(code) => write!(f, "AceData code {code}"),
        }
    }
}

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
}

impl fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, ", {code}")?;
        }
        write!(f, ": {}", self.message)
    }
}

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

/// The kind of an [`Error`] without its data: what bindings map to exception classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[allow(missing_docs)] // each kind is documented on the `Error` variant of the same name
pub enum ErrorKind {
    InvalidInput,
    MissingConfig,
    Unsupported,
    Authentication,
    AccountBanned,
    RateLimited,
    Billing,
    InvalidRequest,
    NotFound,
    Api,
    Server,
    Timeout,
    Transport,
    WebhookRejected,
    Decode,
}

impl ErrorKind {
    /// The kind's name, as bindings name their exception classes (`"Authentication"`, `"RateLimited"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::InvalidInput => "InvalidInput",
            Self::MissingConfig => "MissingConfig",
            Self::Unsupported => "Unsupported",
            Self::Authentication => "Authentication",
            Self::AccountBanned => "AccountBanned",
            Self::RateLimited => "RateLimited",
            Self::Billing => "Billing",
            Self::InvalidRequest => "InvalidRequest",
            Self::NotFound => "NotFound",
            Self::Api => "Api",
            Self::Server => "Server",
            Self::Timeout => "Timeout",
            Self::Transport => "Transport",
            Self::WebhookRejected => "WebhookRejected",
            Self::Decode => "Decode",
        }
    }
}

impl Error {
    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidInput { field: field.into(), reason: reason.into() }
    }

    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::InvalidInput { .. } => ErrorKind::InvalidInput,
            Self::MissingConfig(_) => ErrorKind::MissingConfig,
            Self::Unsupported(_) => ErrorKind::Unsupported,
            Self::Authentication(_) => ErrorKind::Authentication,
            Self::AccountBanned(_) => ErrorKind::AccountBanned,
            Self::RateLimited { .. } => ErrorKind::RateLimited,
            Self::Billing(_) => ErrorKind::Billing,
            Self::InvalidRequest(_) => ErrorKind::InvalidRequest,
            Self::NotFound(_) => ErrorKind::NotFound,
            Self::Api(_) => ErrorKind::Api,
            Self::Server(_) => ErrorKind::Server,
            Self::Timeout(_) => ErrorKind::Timeout,
            Self::Transport(_) => ErrorKind::Transport,
            Self::WebhookRejected { .. } => ErrorKind::WebhookRejected,
            Self::Decode { .. } => ErrorKind::Decode,
        }
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

    /// The Akool business code, if this error came from an Akool envelope.
    pub fn akool_code(&self) -> Option<AkoolCode> {
        match self.vendor_code() {
            Some(VendorCode::Akool(code)) => Some(*code),
            _ => None,
        }
    }

    /// The AceData error code (`invalid_token`, `used_up`, ...), if this error came from an AceData answer.
    pub fn acedata_code(&self) -> Option<&str> {
        match self.vendor_code() {
            Some(VendorCode::AceData(code)) => Some(code),
            _ => None,
        }
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

    /// Maps an Akool business code (any code but 1000) to the variant that says what to do.
    pub(crate) fn from_akool_code(code: AkoolCode, failure: ApiFailure) -> Self {
        match code {
            AkoolCode::INVALID_TOKEN | AkoolCode::TOKEN_EMPTY => Self::Authentication(failure),
            AkoolCode::ACCOUNT_BANNED => Self::AccountBanned(failure),
            AkoolCode::TOO_FREQUENT => Self::RateLimited { failure, retry_after: None },
            AkoolCode::INSUFFICIENT_QUOTA | AkoolCode::PAYMENT_OVERDUE | AkoolCode::INSUFFICIENT_CREDIT => {
                Self::Billing(failure)
            }
            AkoolCode::PARAMETER_ERROR => Self::InvalidRequest(failure),
            AkoolCode::CONTENT_NOT_FOUND | AkoolCode::RESOURCE_NOT_FOUND => Self::NotFound(failure),
            _ => Self::Api(failure),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(status: u16) -> ApiFailure {
        ApiFailure { status, code: None, message: "m".into() }
    }

    fn akool_failure(code: i64, message: &str) -> ApiFailure {
        ApiFailure { status: 200, code: Some(VendorCode::Akool(AkoolCode(code))), message: message.into() }
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
    fn akool_codes_map_to_kinds_and_keep_the_code() {
        let e = |c| Error::from_akool_code(AkoolCode(c), akool_failure(c, "msg"));
        assert_eq!(e(1101).kind(), ErrorKind::Authentication);
        assert_eq!(e(1102).kind(), ErrorKind::Authentication);
        assert_eq!(e(1200).kind(), ErrorKind::AccountBanned);
        assert_eq!(e(1005).kind(), ErrorKind::RateLimited);
        assert_eq!(e(1006).kind(), ErrorKind::Billing);
        assert_eq!(e(1104).kind(), ErrorKind::Billing);
        assert_eq!(e(1103).kind(), ErrorKind::Billing);
        assert_eq!(e(1003).kind(), ErrorKind::InvalidRequest);
        assert_eq!(e(4242).kind(), ErrorKind::Api);
        assert_eq!(e(4242).akool_code(), Some(AkoolCode(4242)));
        assert_eq!(e(1200).status(), Some(200));
    }

    #[test]
    fn display_names_status_code_and_message() {
        let err = Error::from_akool_code(AkoolCode(1200), akool_failure(1200, "The account has been banned"));
        assert_eq!(err.to_string(), "account banned (HTTP 200, Akool code 1200: The account has been banned)");
        let err = Error::from_status(failure(429), Some(Duration::from_secs(2)));
        assert_eq!(err.to_string(), "rate limited (HTTP 429: m); retry after 2 s");
        assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
    }
}

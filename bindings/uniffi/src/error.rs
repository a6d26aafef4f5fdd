//! [`TokensmithError`]: the core's error as one exported enum, one variant per kind, each carrying the same
//! [`ErrorDetails`] record. The variants come from the core's table (`tokensmith::for_each_error_kind!`), so a
//! kind added in core appears here without an edit.

use tokensmith::ErrorKind;

/// Every field of an error, by name: what Kotlin, Java and Swift callers read (`e.details.status`).
///
/// Holds no secret: `message` is the core's message, scrubbed of anything the request carried.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct ErrorDetails {
    /// The kind's name (`"Authentication"`, `"RateLimited"`, ...), as the variant is named.
    pub kind: String,
    /// The full message.
    pub message: String,
    /// The HTTP status of the answer, when there was one.
    pub status: Option<i32>,
    /// The Akool business code (`1101`, `1200`, ...).
    pub akool_code: Option<i64>,
    /// The AceData error code (`invalid_token`, `used_up`, ...).
    pub vendor_code: Option<String>,
    /// The argument or setting an input error names.
    pub field: Option<String>,
    /// How long a rate-limited answer asked the caller to wait, in seconds.
    pub retry_after_seconds: Option<f64>,
    /// Why a webhook was refused (`"BadSignature"`, ...).
    pub webhook_reason: Option<String>,
    /// The vendor's id for the failed request, for its support.
    pub trace_id: Option<String>,
}

impl From<tokensmith::ErrorDetails> for ErrorDetails {
    fn from(details: tokensmith::ErrorDetails) -> Self {
        Self {
            kind: details.kind.name().to_owned(),
            message: details.message,
            status: details.status.map(i32::from),
            akool_code: details.akool_code,
            vendor_code: details.vendor_code,
            field: details.field,
            retry_after_seconds: details.retry_after.map(|d| d.as_secs_f64()),
            webhook_reason: details.webhook_reason.map(|r| r.name().to_owned()),
            trace_id: details.trace_id,
        }
    }
}

/// Declares the enum, one variant per kind of the core's table, and the one conversion from the core's error.
macro_rules! declare_error {
    ($($kind:ident),*) => {
        /// Every failure, by kind (the core's `ErrorKind`); every variant carries the same `details`.
        ///
        /// `Display` is exported, so Kotlin's `toString()`, Python's `str()` and Swift's `description` give the
        /// core's message (Kotlin's `message` too, see `scripts/gen-bindings`).
        #[derive(Debug, thiserror::Error, uniffi::Error)]
        #[uniffi::export(Display)]
        #[allow(missing_docs)] // each variant is documented on the core's `Error` variant of the same name
        pub enum TokensmithError {
            $(
                #[error("{}", details.message)]
                $kind { details: ErrorDetails },
            )*
        }

        impl From<tokensmith::Error> for TokensmithError {
            fn from(error: tokensmith::Error) -> Self {
                let details = error.details();
                match details.kind {
                    $(ErrorKind::$kind => Self::$kind { details: details.into() },)*
                }
            }
        }

        impl TokensmithError {
            fn details_ref(&self) -> &ErrorDetails {
                match self {
                    $(Self::$kind { details })|* => details,
                }
            }
        }
    };
}

tokensmith::for_each_error_kind!(declare_error);

#[uniffi::export]
impl TokensmithError {
    /// The details of any kind, for callers that catch the base type.
    pub fn details(&self) -> ErrorDetails {
        self.details_ref().clone()
    }
}

/// The names of every error kind, in the core's order: lets each package check that it knows them all.
#[uniffi::export]
pub fn error_kinds() -> Vec<String> {
    ErrorKind::ALL.iter().map(|kind| kind.name().to_owned()).collect()
}

/// The result type of every exported call.
pub(crate) type Result<T> = std::result::Result<T, TokensmithError>;

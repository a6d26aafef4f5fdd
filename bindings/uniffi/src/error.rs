//! [`TokensmithError`]: the core's error as one exported enum, one variant per kind.

use tokensmith::{Error, ErrorKind};

/// Declares the enum with the same fields on every variant, and the one conversion from the core's error.
macro_rules! kinds {
    ($($kind:ident),* $(,)?) => {
        /// Every failure, by kind (the core's `ErrorKind`). All variants carry the same fields; `detail` is the
        /// full message.
        ///
        /// `Display` is exported, so Kotlin's `toString()`, Python's `str()` and Swift's `description` give
        /// `detail` (Kotlin's `message` too, see `scripts/gen-bindings`).
        #[derive(Debug, thiserror::Error, uniffi::Error)]
        #[uniffi::export(Display)]
        #[allow(missing_docs)] // each variant is documented on the core's `Error` variant of the same name
        pub enum TokensmithError {
            $(
                #[error("{detail}")]
                $kind {
                    detail: String,
                    status: Option<i32>,
                    akool_code: Option<i64>,
                    vendor_code: Option<String>,
                    field: Option<String>,
                    retry_after_seconds: Option<f64>,
                    webhook_reason: Option<String>,
                },
            )*
        }

        impl From<Error> for TokensmithError {
            fn from(error: Error) -> Self {
                let detail = error.to_string();
                let status = error.status().map(i32::from);
                let akool_code = error.akool_code().map(|code| code.value());
                let vendor_code = error.acedata_code().map(str::to_owned);
                let field = error.field().map(str::to_owned);
                let retry_after_seconds = error.retry_after().map(|d| d.as_secs_f64());
                let webhook_reason = error.webhook_rejection().map(|r| r.name().to_owned());
                match error.kind() {
                    $(ErrorKind::$kind => Self::$kind {
                        detail, status, akool_code, vendor_code, field, retry_after_seconds, webhook_reason,
                    },)*
                    // The core's kinds are non-exhaustive: a kind added later is still an API error here.
                    _ => Self::Api { detail, status, akool_code, vendor_code, field, retry_after_seconds, webhook_reason },
                }
            }
        }
    };
}

kinds!(
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
);

/// The input error for a value that cannot cross the boundary as given (e.g. a negative timeout).
pub(crate) fn invalid_input(field: &str, reason: impl std::fmt::Display) -> TokensmithError {
    Error::InvalidInput { field: field.to_owned(), reason: reason.to_string() }.into()
}

/// The result type of every exported call.
pub(crate) type Result<T> = std::result::Result<T, TokensmithError>;

//! [`VendorCode`]: the vendors' own failure codes, as data next to the HTTP status.
//!
//! Kept apart from `error` so that the error module names no vendor, and apart from the vendor modules so that
//! nothing here imports them: `error` and both vendors import this module, which imports nothing of ours. What
//! a code *means* for the caller is decided in the vendor's module (`akool/envelope.rs`, `acedata/error_body.rs`),
//! which also hold each vendor's accessor on [`Error`](crate::Error).

use std::fmt;

mod akool_code;

pub use akool_code::AkoolCode;

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

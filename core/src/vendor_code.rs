//! [`VendorCode`]: the vendors' own failure codes, as data next to the HTTP status.
//!
//! Kept apart from `error` so that the error module names no vendor; this module depends only on the leaf
//! `akool::codes`, which depends on nothing of ours. Each vendor's accessor on [`Error`](crate::Error) lives
//! in that vendor's module (`Error::akool_code` in `akool/envelope.rs`, `Error::acedata_code` in
//! `acedata/error_body.rs`), so no module imports one that imports it back.

use std::fmt;

use crate::akool::codes::AkoolCode;

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

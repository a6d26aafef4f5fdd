//! [`VendorCode`]: the vendors' own failure codes, as data next to the HTTP status.
//!
//! Kept apart from `error` so that the error module names no vendor; this module depends only on the leaf
//! `akool::codes`, which depends on nothing of ours.

use std::fmt;

use crate::akool::AkoolCode;
use crate::error::Error;

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

impl Error {
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
}

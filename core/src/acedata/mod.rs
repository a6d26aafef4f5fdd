//! The AceData Cloud platform API: [`AceDataPlatform`] and the lifecycle of API credentials.

mod credential;
mod error_body;
mod params;
mod platform;

pub use credential::{Credential, CredentialKind, CredentialPage};
pub use params::{Change, CredentialChanges, CredentialFilter, NewCredential};
#[cfg(feature = "fuzzing")]
pub(crate) use platform::parse;
pub use platform::AceDataPlatform;

//! The AceData Cloud platform API: [`AceDataPlatform`] and the lifecycle of API credentials.

mod credential;
mod error_body;
mod params;
mod platform;

pub use credential::{Credential, CredentialKind, CredentialPage};
pub use params::{Change, CredentialChanges, CredentialFilter, NewCredential};
pub use platform::AceDataPlatform;

//! The AceData Cloud platform API: [`AceDataPlatform`], the lifecycle of API credentials, and the applications
//! they are issued for.

mod application;
mod credential;
mod error_body;
mod new_credential_fields;
mod page;
mod pages;
mod params;
mod platform;

pub use application::Application;
pub use credential::{Credential, CredentialKind};
pub use new_credential_fields::NewCredentialArgs;
pub use page::Page;
pub use pages::{CredentialPages, DEFAULT_PAGE_SIZE};
pub use params::{ApplicationFilter, Change, CredentialChanges, CredentialFilter, NewCredential};
#[cfg(feature = "fuzzing")]
pub(crate) use platform::parse;
pub use platform::AceDataPlatform;

/// One page of credentials.
pub type CredentialPage = Page<Credential>;
/// One page of applications.
pub type ApplicationPage = Page<Application>;

//! [`Credential`] and its page: what the AceData calls return.

use std::sync::Arc;

/// A credential. An object, not a record, so that its token and password are read only through their getters
/// and never printed: `toString`/`str`/`description` name it without secrets.
#[derive(Debug, uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct Credential(tokensmith::Credential);

impl std::fmt::Display for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl From<tokensmith::Credential> for Credential {
    fn from(credential: tokensmith::Credential) -> Self {
        Self(credential)
    }
}

#[uniffi::export]
impl Credential {
    /// The id (a UUID).
    pub fn id(&self) -> String {
        self.0.id.clone()
    }
    /// The owner's id.
    pub fn user_id(&self) -> Option<String> {
        self.0.user_id.clone()
    }
    /// The application's id.
    pub fn application_id(&self) -> String {
        self.0.application_id.clone()
    }
    /// `Token` or `Identity` (or a kind this version does not know).
    pub fn kind(&self) -> CredentialKind {
        self.0.kind.clone().into()
    }
    /// The kind as the platform spells it (`Token`, `Identity`, or a newer name).
    pub fn kind_name(&self) -> String {
        self.0.kind.as_str().to_owned()
    }
    /// The bearer token, for `Token` credentials. A secret: do not log it.
    pub fn token(&self) -> Option<String> {
        self.0.token.as_ref().map(|s| s.expose().to_owned())
    }
    /// The user name, for `Identity` credentials.
    pub fn username(&self) -> Option<String> {
        self.0.username.clone()
    }
    /// The password, for `Identity` credentials. A secret: do not log it.
    pub fn password(&self) -> Option<String> {
        self.0.password.as_ref().map(|s| s.expose().to_owned())
    }
    /// The bound domain.
    pub fn host(&self) -> Option<String> {
        self.0.host.clone()
    }
    /// The usage limit; none is unlimited.
    pub fn limited_amount(&self) -> Option<f64> {
        self.0.limited_amount
    }
    /// The amount used.
    pub fn used_amount(&self) -> Option<f64> {
        self.0.used_amount
    }
    /// Expiry (ISO 8601); none is never.
    pub fn expired_at(&self) -> Option<String> {
        self.0.expired_at.clone()
    }
    /// Creation time (ISO 8601).
    pub fn created_at(&self) -> Option<String> {
        self.0.created_at.clone()
    }
    /// Last change (ISO 8601).
    pub fn updated_at(&self) -> Option<String> {
        self.0.updated_at.clone()
    }
    /// The name, if one was set.
    pub fn name(&self) -> Option<String> {
        self.0.name.clone()
    }
}

/// The kind of a credential.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum CredentialKind {
    /// Use `token` as the bearer.
    Token,
    /// Use `username` and `password` (proxy services).
    Identity,
    /// A kind this version does not know, as the platform spelled it.
    Other {
        /// The platform's name for it.
        name: String,
    },
}

impl From<tokensmith::CredentialKind> for CredentialKind {
    fn from(kind: tokensmith::CredentialKind) -> Self {
        match kind {
            tokensmith::CredentialKind::Token => Self::Token,
            tokensmith::CredentialKind::Identity => Self::Identity,
            tokensmith::CredentialKind::Other(name) => Self::Other { name },
        }
    }
}

/// One page of credentials.
#[derive(Debug, uniffi::Record)]
pub struct CredentialPage {
    /// How many match in all.
    pub count: i64,
    /// This page.
    pub items: Vec<Arc<Credential>>,
}

impl From<tokensmith::CredentialPage> for CredentialPage {
    fn from(page: tokensmith::CredentialPage) -> Self {
        Self {
            count: i64::try_from(page.count).unwrap_or(i64::MAX),
            items: page.items.into_iter().map(|c| Arc::new(c.into())).collect(),
        }
    }
}

//! [`AceDataPlatform`] and the credential types, as exported objects and records.

use std::sync::Arc;

use crate::config::{count, options, ClientConfig};
use crate::error::{Result, TokensmithError};

/// A client of the AceData Cloud platform API. Thread-safe; share one per process.
#[derive(Debug, uniffi::Object)]
#[uniffi::export(Debug)]
pub struct AceDataPlatform(tokensmith::AceDataPlatform);

#[uniffi::export]
impl AceDataPlatform {
    /// A client with this platform token.
    #[uniffi::constructor(default(config = None))]
    pub fn new(platform_token: String, config: Option<ClientConfig>) -> Result<Arc<Self>> {
        Ok(Arc::new(Self(tokensmith::AceDataPlatform::new(platform_token, options(config)?)?)))
    }

    /// From `ACEDATA_PLATFORM_TOKEN`; `ACEDATA_PLATFORM_BASE_URL` overrides the base.
    #[uniffi::constructor(default(config = None))]
    pub fn from_env(config: Option<ClientConfig>) -> Result<Arc<Self>> {
        Ok(Arc::new(Self(tokensmith::AceDataPlatform::from_env_with(options(config)?)?)))
    }

    /// Creates a credential; never retried once sent.
    pub fn create_credential(&self, new: NewCredential) -> Result<Arc<Credential>> {
        Ok(Arc::new(self.0.create_credential(&new.into())?.into()))
    }

    /// One page of credentials.
    #[uniffi::method(default(filter = None))]
    pub fn list_credentials(&self, filter: Option<CredentialFilter>) -> Result<CredentialPage> {
        let filter = filter.map(TryInto::try_into).transpose()?.unwrap_or_default();
        Ok(self.0.list_credentials(&filter)?.into())
    }

    /// One credential by id.
    pub fn get_credential(&self, id: String) -> Result<Arc<Credential>> {
        Ok(Arc::new(self.0.get_credential(&id)?.into()))
    }

    /// Changes a credential.
    pub fn update_credential(&self, id: String, changes: CredentialChanges) -> Result<Arc<Credential>> {
        Ok(Arc::new(self.0.update_credential(&id, &changes.try_into()?)?.into()))
    }

    /// A new token for the same credential; never retried once sent.
    pub fn rotate_credential(&self, id: String) -> Result<Arc<Credential>> {
        Ok(Arc::new(self.0.rotate_credential(&id)?.into()))
    }

    /// Deletes a credential.
    pub fn delete_credential(&self, id: String) -> Result<()> {
        Ok(self.0.delete_credential(&id)?)
    }
}

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

/// A credential to create.
#[derive(Clone, Debug, uniffi::Record)]
pub struct NewCredential {
    /// The application (a UUID).
    pub application_id: String,
    /// Bind to this domain (a bare host name).
    #[uniffi(default = None)]
    pub host: Option<String>,
    /// A usage limit (>= 0).
    #[uniffi(default = None)]
    pub limited_amount: Option<f64>,
    /// Expiry, RFC 3339.
    #[uniffi(default = None)]
    pub expired_at: Option<String>,
}

impl From<NewCredential> for tokensmith::NewCredential {
    fn from(new: NewCredential) -> Self {
        Self {
            application_id: new.application_id,
            host: new.host,
            limited_amount: new.limited_amount,
            expired_at: new.expired_at,
        }
    }
}

/// Which credentials to list.
#[derive(Clone, Debug, Default, uniffi::Record)]
pub struct CredentialFilter {
    /// Only this application's.
    #[uniffi(default = None)]
    pub application_id: Option<String>,
    /// Only those bound to this host.
    #[uniffi(default = None)]
    pub host: Option<String>,
    /// Page size (>= 1).
    #[uniffi(default = None)]
    pub limit: Option<i32>,
    /// How many to skip (>= 0).
    #[uniffi(default = None)]
    pub offset: Option<i32>,
}

impl TryFrom<CredentialFilter> for tokensmith::CredentialFilter {
    type Error = TokensmithError;

    fn try_from(filter: CredentialFilter) -> Result<Self> {
        Ok(Self {
            application_id: filter.application_id,
            host: filter.host,
            limit: count("limit", filter.limit)?,
            offset: count("offset", filter.offset)?,
        })
    }
}

/// Changes to a credential. A value sets a field; a `clear_*` flag removes it; both at once is an input error.
#[derive(Clone, Debug, Default, uniffi::Record)]
pub struct CredentialChanges {
    /// A new name.
    #[uniffi(default = None)]
    pub name: Option<String>,
    /// A new usage limit.
    #[uniffi(default = None)]
    pub limited_amount: Option<f64>,
    /// Remove the usage limit.
    #[uniffi(default = false)]
    pub clear_limited_amount: bool,
    /// A new expiry, RFC 3339.
    #[uniffi(default = None)]
    pub expired_at: Option<String>,
    /// Remove the expiry.
    #[uniffi(default = false)]
    pub clear_expired_at: bool,
    /// The API ids the credential may call.
    #[uniffi(default = None)]
    pub allowed_api_ids: Option<Vec<String>>,
}

impl TryFrom<CredentialChanges> for tokensmith::CredentialChanges {
    type Error = TokensmithError;

    fn try_from(changes: CredentialChanges) -> Result<Self> {
        let CredentialChanges {
            name,
            limited_amount,
            clear_limited_amount,
            expired_at,
            clear_expired_at,
            allowed_api_ids,
        } = changes;
        let limited_amount = (limited_amount, clear_limited_amount);
        Ok(Self::from_flags(name, limited_amount, (expired_at, clear_expired_at), allowed_api_ids)?)
    }
}

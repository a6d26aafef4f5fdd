//! The arguments of the AceData calls as records: [`NewCredential`], [`CredentialFilter`], [`CredentialChanges`].

use tokensmith::NewCredentialArgs;

use crate::config::count;
use crate::error::{Result, TokensmithError};

/// Declares [`NewCredential`] and its conversion from the core's table of a new credential's fields.
macro_rules! new_credential_record {
    (
        required { $($(#[$rdoc:meta])* $required:ident: $rty:ty,)* }
        optional { $($(#[$odoc:meta])* $optional:ident: $oty:ty,)* }
    ) => {
        /// A credential to create.
        #[derive(Clone, Debug, uniffi::Record)]
        pub struct NewCredential {
            $($(#[$rdoc])* pub $required: $rty,)*
            $($(#[$odoc])* #[uniffi(default = None)] pub $optional: Option<$oty>,)*
        }

        impl From<NewCredential> for NewCredentialArgs {
            fn from(new: NewCredential) -> Self {
                Self { $($required: new.$required,)* $($optional: new.$optional,)* }
            }
        }
    };
}

tokensmith::for_each_new_credential_field!(new_credential_record);

impl TryFrom<NewCredential> for tokensmith::NewCredential {
    type Error = TokensmithError;

    fn try_from(new: NewCredential) -> Result<Self> {
        Ok(NewCredentialArgs::from(new).try_into()?)
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

impl CredentialFilter {
    /// The core's filter for an optional one (none lists everything).
    pub(crate) fn into_core(filter: Option<Self>) -> Result<tokensmith::CredentialFilter> {
        Ok(filter.map(TryInto::try_into).transpose()?.unwrap_or_default())
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

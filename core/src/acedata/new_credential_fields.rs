//! A credential to create as every binding takes it: declared once, as a table the bindings generate their
//! records, constructors and option readers from ([`for_each_new_credential_field!`]), and
//! [`NewCredentialArgs`], the one form they all hand to core.

use super::params::NewCredential;
use crate::error::{Error, Result};

/// Calls `callback!` with the fields of a credential to create as bindings take them: `required { .. }` and
/// `optional { .. }` (each field's doc comment, name and value type; an optional field's value is an `Option` of
/// it). Your own data crosses as JSON text (`metadata_json`): each language's layer encodes its own value.
///
/// ```
/// macro_rules! count {
///     (required { $($(#[$d:meta])* $r:ident: $rt:ty,)* } optional { $($(#[$e:meta])* $o:ident: $ot:ty,)* }) => {
///         [$(stringify!($r),)* $(stringify!($o),)*].len()
///     };
/// }
/// assert_eq!(tokensmith::for_each_new_credential_field!(count), 7);
/// ```
/// (Docs as `#[doc]` strings, for napi-derive: see `for_each_client_setting!`.)
#[macro_export]
macro_rules! for_each_new_credential_field {
    ($callback:ident) => {
        $callback! {
            required {
                #[doc = "The application (a UUID)."]
                application_id: String,
            }
            optional {
                #[doc = "Bind the credential to this domain (a bare host name: no scheme, port or path)."]
                host: String,
                #[doc = "A usage limit (finite, >= 0); unset is unlimited."]
                limited_amount: f64,
                #[doc = "When it expires (RFC 3339, e.g. `2030-01-01T00:00:00Z`); unset is never."]
                expired_at: String,
                #[doc = "A name to tell it apart in the console."]
                name: String,
                #[doc = "The API ids (UUIDs) it may call; unset leaves the platform's default."]
                allowed_api_ids: Vec<String>,
                #[doc = "Your own data to keep with it: a JSON object, as text."]
                metadata_json: String,
            }
        }
    };
}

/// Declares [`NewCredentialArgs`] from the table.
macro_rules! new_credential_args {
    (
        required { $($(#[$rdoc:meta])* $required:ident: $rty:ty,)* }
        optional { $($(#[$odoc:meta])* $optional:ident: $oty:ty,)* }
    ) => {
        /// A credential to create as a binding received it ([`for_each_new_credential_field!`]); checked when
        /// it becomes a [`NewCredential`] (the metadata's JSON) and when it is sent (every other field).
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct NewCredentialArgs {
            $($(#[$rdoc])* pub $required: $rty,)*
            $($(#[$odoc])* pub $optional: Option<$oty>,)*
        }
    };
}

for_each_new_credential_field!(new_credential_args);

impl TryFrom<NewCredentialArgs> for NewCredential {
    type Error = Error;

    fn try_from(args: NewCredentialArgs) -> Result<Self> {
        let NewCredentialArgs {
            application_id,
            host,
            limited_amount,
            expired_at,
            name,
            allowed_api_ids,
            metadata_json,
        } = args;
        let metadata = NewCredential::metadata_from_json(metadata_json.as_deref())?;
        Ok(Self { application_id, host, limited_amount, expired_at, name, allowed_api_ids, metadata })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_metadata_must_be_a_json_object_and_the_rest_is_kept() {
        let args = NewCredentialArgs {
            application_id: "app".into(),
            name: Some("acme".into()),
            metadata_json: Some(r#"{"tenant": 7}"#.into()),
            ..NewCredentialArgs::default()
        };
        let new = NewCredential::try_from(args.clone()).unwrap();
        assert_eq!((new.application_id.as_str(), new.name.as_deref()), ("app", Some("acme")));
        assert_eq!(new.metadata.unwrap()["tenant"], 7);
        let list = NewCredentialArgs { metadata_json: Some("[1]".into()), ..args };
        assert_eq!(NewCredential::try_from(list).unwrap_err().field(), Some("metadata"));
    }
}

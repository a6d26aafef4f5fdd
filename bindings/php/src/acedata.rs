//! `Tokensmith\AceDataPlatform`: the core's (process-wide) blocking AceData client, arguments as arrays.

use std::collections::HashMap;

use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use tokensmith::{CredentialChanges, CredentialFilter, NewCredential};

use crate::credential::Credential;
use crate::errors::php;
use crate::json;
use crate::options::{client_options, Args};

/// A client of the AceData Cloud platform API; the same client in every request of a worker for equal
/// tokens and options.
#[php_class]
#[php(name = "Tokensmith\\AceDataPlatform")]
#[derive(Debug)]
pub struct AceDataPlatform(tokensmith::blocking::AceDataPlatform);

#[php_impl]
impl AceDataPlatform {
    /// A client with this platform token.
    pub fn __construct(platform_token: String, options: Option<&ZendHashTable>) -> PhpResult<Self> {
        let settings = client_options(options)?;
        let client = if settings.persistent {
            tokensmith::AceDataPlatform::shared(platform_token, settings.options)
        } else {
            tokensmith::AceDataPlatform::new(platform_token, settings.options)
        };
        Ok(Self(php(client)?.into()))
    }

    /// From `ACEDATA_PLATFORM_TOKEN`; `ACEDATA_PLATFORM_BASE_URL` overrides the base.
    pub fn from_env(options: Option<&ZendHashTable>) -> PhpResult<Self> {
        Ok(Self(php(tokensmith::blocking::AceDataPlatform::from_env_with(client_options(options)?.options))?))
    }

    /// Creates a credential (`limited_amount`, `host`, `expired_at` in `$options`). Never retried once sent.
    pub fn create_credential(&self, application_id: String, options: Option<&ZendHashTable>) -> PhpResult<Credential> {
        let keys = ["host", "limited_amount", "expired_at", "name", "allowed_api_ids", "metadata"];
        let args = Args::new(options, "the credential", &keys)?;
        let metadata = args.get("metadata").map(|m| json::encode("metadata", m)).transpose()?;
        let new = NewCredential {
            application_id,
            host: args.string("host")?,
            limited_amount: args.number("limited_amount")?,
            expired_at: args.string("expired_at")?,
            name: args.string("name")?,
            allowed_api_ids: args.strings("allowed_api_ids")?,
            metadata: php(NewCredential::metadata_from_json(metadata.as_deref()))?,
        };
        php(self.0.create_credential(&new)).map(Credential)
    }

    /// One page of credentials: `['count' => int, 'items' => Credential[]]` (filter: `application_id`, `host`,
    /// `limit`, `offset`).
    pub fn list_credentials(
        &self,
        filter: Option<&ZendHashTable>,
    ) -> PhpResult<HashMap<String, ext_php_rs::types::Zval>> {
        let args = Args::new(filter, "the filter", &["application_id", "host", "limit", "offset"])?;
        let count = |key| php(tokensmith::overrides::count(key, args.int(key)?));
        let filter = CredentialFilter {
            application_id: args.string("application_id")?,
            host: args.string("host")?,
            limit: count("limit")?,
            offset: count("offset")?,
        };
        let page = php(self.0.list_credentials(&filter))?;
        let items: Vec<Credential> = page.items.into_iter().map(Credential).collect();
        let mut result = HashMap::new();
        result.insert("count".to_owned(), zval(page.count as i64)?);
        result.insert("items".to_owned(), zval(items)?);
        Ok(result)
    }

    /// One credential by id.
    pub fn get_credential(&self, id: String) -> PhpResult<Credential> {
        php(self.0.get_credential(&id)).map(Credential)
    }

    /// Changes a credential (`name`, `limited_amount`, `expired_at`, `allowed_api_ids`); `null` clears the limit
    /// or the expiry, a missing key keeps it.
    pub fn update_credential(&self, id: String, changes: &ZendHashTable) -> PhpResult<Credential> {
        let args =
            Args::new(Some(changes), "the changes", &["name", "limited_amount", "expired_at", "allowed_api_ids"])?;
        let changes = php(CredentialChanges::from_flags(
            args.string("name")?,
            (args.number("limited_amount")?, args.is_null("limited_amount")),
            (args.string("expired_at")?, args.is_null("expired_at")),
            args.strings("allowed_api_ids")?,
        ))?;
        php(self.0.update_credential(&id, &changes)).map(Credential)
    }

    /// A new token for the same credential; the old one stops working at once. Never retried once sent.
    pub fn rotate_credential(&self, id: String) -> PhpResult<Credential> {
        php(self.0.rotate_credential(&id)).map(Credential)
    }

    /// Deletes a credential.
    pub fn delete_credential(&self, id: String) -> PhpResult<()> {
        php(self.0.delete_credential(&id))
    }

    /// What `var_dump` and `print_r` show: the client with its token redacted.
    pub fn __debug_info(&self) -> HashMap<String, String> {
        HashMap::from([("client".to_owned(), format!("{:?}", self.0.as_async()))])
    }
}

fn zval(value: impl ext_php_rs::convert::IntoZval) -> PhpResult<ext_php_rs::types::Zval> {
    value.into_zval(false).map_err(|e| PhpException::from_message(e.to_string()))
}

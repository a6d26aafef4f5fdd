//! `Tokensmith\AceDataPlatform`: the core's blocking AceData client (kept per worker by `registry.rs`),
//! arguments as arrays.

use std::collections::HashMap;
use std::sync::LazyLock;

use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use tokensmith::{ApplicationFilter, CredentialChanges, CredentialFilter, NewCredential, NewCredentialArgs};

use crate::call::php;
use crate::credential::Credential;
use crate::options::{call_view, client_options, php_field, view, with_call_options, Args, Setting};
use crate::pages::CredentialIterator;
use crate::registry;

/// A client of the AceData Cloud platform API; the same client in every request of a worker for equal
/// tokens and options, among the worker's `tokensmith.max_clients` most recently used clients (see
/// `AkoolClient`), unless `'persistent' => false`. Takes the options of `AkoolClient`.
///
/// Every method takes the per-call options `timeout` (seconds), `headers` (auth headers cannot be overridden)
/// and `max_retries` in its last array.
#[php_class]
#[php(name = "Tokensmith\\AceDataPlatform")]
#[derive(Debug)]
pub struct AceDataPlatform(pub(crate) tokensmith::blocking::AceDataPlatform);

#[php_impl]
impl AceDataPlatform {
    /// A client with this platform token.
    pub fn __construct(platform_token: String, options: Option<&ZendHashTable>) -> PhpResult<Self> {
        php(registry::acedata(platform_token.into(), client_options(options)?)).map(Self)
    }

    /// From `ACEDATA_PLATFORM_TOKEN`; `ACEDATA_PLATFORM_BASE_URL` overrides the base. Read on every call.
    pub fn from_env(options: Option<&ZendHashTable>) -> PhpResult<Self> {
        php(registry::acedata_from_env(client_options(options)?)).map(Self)
    }

    /// Creates a credential. Never retried once sent, so it is never created twice.
    ///
    /// # Parameters
    ///
    /// - `options`: `array{host?:string,limited_amount?:int|float,expired_at?:string,name?:string,allowed_api_ids?:list<string>,metadata?:array,timeout?:int|float,headers?:array<string,string>,max_retries?:int}|null`
    pub fn create_credential(&self, application_id: String, options: Option<&ZendHashTable>) -> PhpResult<Credential> {
        let args = Args::new(options, "the credential", &with_call_options(&NEW_CREDENTIAL_KEYS))?;
        let new = php(NewCredential::try_from(new_credential(application_id, &args)?))?;
        php(view(&self.0, &args)?.create_credential(&new)).map(Credential)
    }

    /// One page of credentials: `['count' => int, 'items' => Credential[]]`.
    ///
    /// # Parameters
    ///
    /// - `filter`: `array{application_id?:string,host?:string,limit?:int,offset?:int,timeout?:int|float,headers?:array<string,string>,max_retries?:int}|null`
    pub fn list_credentials(&self, filter: Option<&ZendHashTable>) -> PhpResult<HashMap<String, Zval>> {
        let args = Args::new(filter, "the filter", &with_call_options(&["application_id", "host", "limit", "offset"]))?;
        let filter = credential_filter(&args)?;
        let page = php(view(&self.0, &args)?.list_credentials(&filter))?;
        let items: Vec<Credential> = page.items.into_iter().map(Credential).collect();
        page_of(page.count, items)
    }

    /// Every matching credential, for `foreach`: pages are fetched as the loop needs them (`limit` is the page
    /// size).
    ///
    /// # Parameters
    ///
    /// - `filter`: `array{application_id?:string,host?:string,limit?:int,timeout?:int|float,headers?:array<string,string>,max_retries?:int}|null`
    pub fn iter_credentials(&self, filter: Option<&ZendHashTable>) -> PhpResult<CredentialIterator> {
        let args = Args::new(filter, "the filter", &with_call_options(&["application_id", "host", "limit"]))?;
        let filter = credential_filter(&args)?;
        Ok(CredentialIterator::new(view(&self.0, &args)?, filter))
    }

    /// One credential by id.
    pub fn get_credential(&self, id: String, options: Option<&ZendHashTable>) -> PhpResult<Credential> {
        php(call_view(&self.0, options)?.get_credential(&id)).map(Credential)
    }

    /// Changes a credential; `null` clears the limit or the expiry, a missing key keeps it.
    ///
    /// # Parameters
    ///
    /// - `changes`: `array{name?:string,limited_amount?:int|float|null,expired_at?:string|null,allowed_api_ids?:list<string>}`
    pub fn update_credential(
        &self,
        id: String,
        changes: &ZendHashTable,
        options: Option<&ZendHashTable>,
    ) -> PhpResult<Credential> {
        let args =
            Args::new(Some(changes), "the changes", &["name", "limited_amount", "expired_at", "allowed_api_ids"])?;
        let changes = php(CredentialChanges::from_flags(
            args.string("name")?,
            (args.number("limited_amount")?, args.is_null("limited_amount")),
            (args.string("expired_at")?, args.is_null("expired_at")),
            args.strings("allowed_api_ids")?,
        ))?;
        php(call_view(&self.0, options)?.update_credential(&id, &changes)).map(Credential)
    }

    /// A new token for the same credential; the old one stops working at once. Never retried once sent.
    pub fn rotate_credential(&self, id: String, options: Option<&ZendHashTable>) -> PhpResult<Credential> {
        php(call_view(&self.0, options)?.rotate_credential(&id)).map(Credential)
    }

    /// Deletes a credential.
    pub fn delete_credential(&self, id: String, options: Option<&ZendHashTable>) -> PhpResult<()> {
        php(call_view(&self.0, options)?.delete_credential(&id))
    }

    /// One page of your applications: `['count' => int, 'items' => array[]]`, each application an array
    /// (`id`, `user_id`, `service_id`, `type`, `scope`, `remaining_amount`, `used_amount`, `created_at`,
    /// `updated_at`); their ids are what credentials are created for.
    ///
    /// # Parameters
    ///
    /// - `options`: `array{limit?:int,offset?:int,timeout?:int|float,headers?:array<string,string>,max_retries?:int}|null`
    pub fn list_applications(&self, options: Option<&ZendHashTable>) -> PhpResult<HashMap<String, Zval>> {
        let args = Args::new(options, "the options", &with_call_options(&["limit", "offset"]))?;
        let count = |key| php(tokensmith::overrides::count(key, args.int(key)?));
        let filter = ApplicationFilter { limit: count("limit")?, offset: count("offset")? };
        let page = php(view(&self.0, &args)?.list_applications(&filter))?;
        let items: Vec<HashMap<String, Zval>> = page.items.into_iter().map(application).collect::<PhpResult<_>>()?;
        page_of(page.count, items)
    }

    /// One application by id, as an array.
    pub fn get_application(&self, id: String, options: Option<&ZendHashTable>) -> PhpResult<HashMap<String, Zval>> {
        application(php(call_view(&self.0, options)?.get_application(&id))?)
    }

    /// What `var_dump` and `print_r` show: the client with its token redacted.
    pub fn __debug_info(&self) -> HashMap<String, String> {
        HashMap::from([("client".to_owned(), format!("{:?}", self.0.as_async()))])
    }
}

fn credential_filter(args: &Args<'_>) -> PhpResult<CredentialFilter> {
    let count = |key| php(tokensmith::overrides::count(key, args.int(key)?));
    Ok(CredentialFilter {
        application_id: args.string("application_id")?,
        host: args.string("host")?,
        limit: count("limit")?,
        offset: if args.get("offset").is_some() { count("offset")? } else { None },
    })
}

/// `['count' => ..., 'items' => ...]`.
fn page_of(count: u64, items: impl ext_php_rs::convert::IntoZval) -> PhpResult<HashMap<String, Zval>> {
    Ok(HashMap::from([
        ("count".to_owned(), zval(i64::try_from(count).unwrap_or(i64::MAX))?),
        ("items".to_owned(), zval(items)?),
    ]))
}

/// The platform's name of a field of the core's tables: the `as` name where the table gives one.
macro_rules! platform_name {
    ($name:ident) => {
        stringify!($name)
    };
    ($name:ident $platform:literal) => {
        $platform
    };
}

/// Declares `application`, an application as an array with the platform's field names, from the core's table of
/// its fields.
macro_rules! application_array {
    ($($(#[$doc:meta])* $name:ident $(as $platform:literal)?: $ty:ty,)*) => {
        /// An application as an array, with the platform's field names (`type`, not `kind`).
        fn application(application: tokensmith::Application) -> PhpResult<HashMap<String, Zval>> {
            Ok(HashMap::from([
                $((platform_name!($name $($platform)?).to_owned(), zval(application.$name)?),)*
            ]))
        }
    };
}

tokensmith::for_each_application_field!(application_array);

/// Declares the reading of a new credential from `createCredential`'s arguments from the core's table of its
/// fields: the required ones are the method's own arguments, the optional ones keys of its options array.
macro_rules! new_credential_reader {
    (
        required { $($(#[$rdoc:meta])* $required:ident: $rty:ty,)* }
        optional { $($(#[$odoc:meta])* $optional:ident: $oty:ty,)* }
    ) => {
        /// The keys of a new credential's options array (besides the per-call options).
        static NEW_CREDENTIAL_KEYS: LazyLock<Vec<&'static str>> =
            LazyLock::new(|| vec![$(php_field(stringify!($optional)).0,)*]);

        /// A credential to create, from its required arguments and its options array.
        fn new_credential($($required: $rty,)* args: &Args<'_>) -> PhpResult<NewCredentialArgs> {
            Ok(NewCredentialArgs {
                $($required,)*
                $($optional: <$oty as Setting>::read(args, stringify!($optional))?,)*
            })
        }
    };
}

tokensmith::for_each_new_credential_field!(new_credential_reader);

fn zval(value: impl ext_php_rs::convert::IntoZval) -> PhpResult<ext_php_rs::types::Zval> {
    value.into_zval(false).map_err(|e| PhpException::from_message(e.to_string()))
}

//! `AceDataPlatform` and the credential records: the core's async AceData client; every call returns a Promise.

use napi::bindgen_prelude::PromiseRaw;
use napi::Env;
use napi_derive::napi;
use tokensmith::overrides::CallOverrides;
use tokensmith::{ApplicationFilter, CredentialChanges, CredentialFilter, NewCredential, NewCredentialArgs};

use crate::call_options::{view, CallOptions};
use crate::errors::{js, Result};
use crate::options::{options, ClientOptions};
use crate::settle::promise;

/// A client of the AceData Cloud platform API.
#[napi]
#[derive(Debug)]
pub struct AceDataPlatform(tokensmith::AceDataPlatform);

/// A credential as the platform returns it. `token` and `password` are secrets: the package's `Credential`
/// class keeps them out of `inspect` and `JSON.stringify`.
#[napi(object)]
#[derive(Debug)]
pub struct CredentialData {
    pub id: String,
    pub user_id: Option<String>,
    pub application_id: String,
    /// `Token` or `Identity` (or a newer kind, as the platform spells it).
    pub r#type: String,
    pub token: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub host: Option<String>,
    pub limited_amount: Option<f64>,
    pub used_amount: Option<f64>,
    pub expired_at: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub name: Option<String>,
}

impl From<tokensmith::Credential> for CredentialData {
    fn from(c: tokensmith::Credential) -> Self {
        Self {
            r#type: c.kind.as_str().to_owned(),
            token: c.token.as_ref().map(|s| s.expose().to_owned()),
            password: c.password.as_ref().map(|s| s.expose().to_owned()),
            id: c.id,
            user_id: c.user_id,
            application_id: c.application_id,
            username: c.username,
            host: c.host,
            limited_amount: c.limited_amount,
            used_amount: c.used_amount,
            expired_at: c.expired_at,
            created_at: c.created_at,
            updated_at: c.updated_at,
            name: c.name,
        }
    }
}

/// One page of credentials.
#[napi(object)]
#[derive(Debug)]
pub struct CredentialPageData {
    pub count: f64,
    pub items: Vec<CredentialData>,
}

/// Declares [`NewCredentialData`] and its conversion from the core's table of a new credential's fields.
macro_rules! new_credential_object {
    (
        required { $($(#[doc = $rdoc:literal])* $required:ident: $rty:ty,)* }
        optional { $($(#[doc = $odoc:literal])* $optional:ident: $oty:ty,)* }
    ) => {
        /// What to create: the application, and optionally a bound host, a usage limit, an expiry (RFC 3339), a
        /// name, the API ids it may call and your own data (the package passes `JSON.stringify(metadata)`).
        #[napi(object)]
        #[derive(Debug)]
        pub struct NewCredentialData {
            $($(#[doc = $rdoc])* pub $required: $rty,)*
            $($(#[doc = $odoc])* pub $optional: Option<$oty>,)*
        }

        impl From<NewCredentialData> for NewCredentialArgs {
            fn from(new: NewCredentialData) -> Self {
                Self { $($required: new.$required,)* $($optional: new.$optional,)* }
            }
        }
    };
}

tokensmith::for_each_new_credential_field!(new_credential_object);

/// Which credentials to list.
#[napi(object)]
#[derive(Debug, Default)]
pub struct CredentialFilterData {
    pub application_id: Option<String>,
    pub host: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl TryFrom<Option<CredentialFilterData>> for CredentialFilterWrapper {
    type Error = napi::Error;

    fn try_from(filter: Option<CredentialFilterData>) -> Result<Self> {
        let f = filter.unwrap_or_default();
        let count = tokensmith::overrides::count;
        Ok(Self(CredentialFilter {
            application_id: f.application_id,
            host: f.host,
            limit: js(count("limit", f.limit))?,
            offset: js(count("offset", f.offset))?,
        }))
    }
}

/// The core's filter, built from the JavaScript one.
struct CredentialFilterWrapper(CredentialFilter);

/// Declares [`ApplicationData`] and its conversion from the core's table of its fields.
macro_rules! application_object {
    ($($(#[doc = $doc:literal])* $name:ident $(as $js:literal)?: $ty:ty,)*) => {
        /// An application of the caller (it holds no secret): `id` is what a credential is created for.
        #[napi(object)]
        #[derive(Debug)]
        pub struct ApplicationData {
            $($(#[doc = $doc])* $(#[napi(js_name = $js)])? pub $name: $ty,)*
        }

        impl From<tokensmith::Application> for ApplicationData {
            fn from(application: tokensmith::Application) -> Self {
                Self { $($name: application.$name,)* }
            }
        }
    };
}

tokensmith::for_each_application_field!(application_object);

/// One page of applications.
#[napi(object)]
#[derive(Debug)]
pub struct ApplicationPageData {
    pub count: f64,
    pub items: Vec<ApplicationData>,
}

/// Which page of applications to list.
#[napi(object)]
#[derive(Debug, Default)]
pub struct ApplicationFilterData {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Every matching credential, a page at a time; the package's `iterCredentials` is an async generator over it.
#[napi]
#[derive(Debug)]
pub struct CredentialPages(tokensmith::CredentialPages);

#[napi]
impl CredentialPages {
    /// The next page, or null after the last; a failed page is asked for again by the next call. Of `options`,
    /// only the telemetry layer's `traceId` applies (a page's other settings are the pager's).
    #[napi]
    pub fn next_page<'env>(
        &self,
        env: &'env Env,
        options: Option<CallOptions>,
    ) -> Result<PromiseRaw<'env, Option<Vec<CredentialData>>>> {
        let trace = options.and_then(|o| CallOverrides::from(o).trace);
        let page = self.0.next_page_traced(trace);
        promise(env, async move { Ok(js(page.await)?.map(|items| items.into_iter().map(Into::into).collect())) })
    }

    /// Whether the last page was listed (the next `nextPage` returns null without a request).
    #[napi]
    pub fn is_done(&self) -> bool {
        self.0.is_done()
    }

    /// The platform's telemetry setting, as the telemetry layer reads it.
    #[napi]
    pub fn telemetry(&self) -> String {
        self.0.telemetry().name().to_owned()
    }
}

/// Changes: a value sets a field, a `clear*` flag removes it (both at once is an input error).
#[napi(object)]
#[derive(Debug, Default)]
pub struct CredentialChangesData {
    pub name: Option<String>,
    pub limited_amount: Option<f64>,
    pub clear_limited_amount: Option<bool>,
    pub expired_at: Option<String>,
    pub clear_expired_at: Option<bool>,
    pub allowed_api_ids: Option<Vec<String>>,
}

#[napi]
impl AceDataPlatform {
    /// A client with this platform token.
    #[napi(constructor)]
    pub fn new(platform_token: String, options: Option<ClientOptions>) -> Result<Self> {
        js(tokensmith::AceDataPlatform::new(platform_token, self::options(options)?)).map(Self)
    }

    /// From `ACEDATA_PLATFORM_TOKEN`; `ACEDATA_PLATFORM_BASE_URL` overrides the base.
    #[napi(factory)]
    pub fn from_env(options: Option<ClientOptions>) -> Result<Self> {
        js(tokensmith::AceDataPlatform::from_env_with(self::options(options)?)).map(Self)
    }

    /// Creates a credential; never retried once sent.
    #[napi]
    pub fn create_credential<'env>(
        &self,
        env: &'env Env,
        credential: NewCredentialData,
        options: Option<CallOptions>,
    ) -> Result<PromiseRaw<'env, CredentialData>> {
        let new = js(NewCredential::try_from(NewCredentialArgs::from(credential)));
        let call = new.and_then(|new| Ok(view(&self.0, options)?.create_credential(&new)));
        promise(env, async move { js(call?.await).map(Into::into) })
    }

    /// One page of credentials.
    #[napi]
    pub fn list_credentials<'env>(
        &self,
        env: &'env Env,
        filter: Option<CredentialFilterData>,
        options: Option<CallOptions>,
    ) -> Result<PromiseRaw<'env, CredentialPageData>> {
        let filter: Result<CredentialFilterWrapper> = filter.try_into();
        let call =
            filter.and_then(|CredentialFilterWrapper(filter)| Ok(view(&self.0, options)?.list_credentials(&filter)));
        promise(env, async move {
            let page = js(call?.await)?;
            Ok(CredentialPageData { count: page.count as f64, items: page.items.into_iter().map(Into::into).collect() })
        })
    }

    /// Every matching credential, a page at a time (`limit` is the page size).
    #[napi]
    pub fn credential_pages(
        &self,
        filter: Option<CredentialFilterData>,
        options: Option<CallOptions>,
    ) -> Result<CredentialPages> {
        let CredentialFilterWrapper(filter) = filter.try_into()?;
        Ok(CredentialPages(view(&self.0, options)?.credential_pages(&filter)))
    }

    /// One credential by id.
    #[napi]
    pub fn get_credential<'env>(
        &self,
        env: &'env Env,
        id: String,
        options: Option<CallOptions>,
    ) -> Result<PromiseRaw<'env, CredentialData>> {
        let call = view(&self.0, options).map(|platform| platform.get_credential(&id));
        promise(env, async move { js(call?.await).map(Into::into) })
    }

    /// Changes a credential.
    #[napi]
    pub fn update_credential<'env>(
        &self,
        env: &'env Env,
        id: String,
        changes: CredentialChangesData,
        options: Option<CallOptions>,
    ) -> Result<PromiseRaw<'env, CredentialData>> {
        let c = changes;
        let limits = (c.limited_amount, c.clear_limited_amount.unwrap_or(false));
        let expiry = (c.expired_at, c.clear_expired_at.unwrap_or(false));
        let changes = js(CredentialChanges::from_flags(c.name, limits, expiry, c.allowed_api_ids));
        let call = changes.and_then(|changes| Ok(view(&self.0, options)?.update_credential(&id, &changes)));
        promise(env, async move { js(call?.await).map(Into::into) })
    }

    /// A new token for the same credential; never retried once sent.
    #[napi]
    pub fn rotate_credential<'env>(
        &self,
        env: &'env Env,
        id: String,
        options: Option<CallOptions>,
    ) -> Result<PromiseRaw<'env, CredentialData>> {
        let call = view(&self.0, options).map(|platform| platform.rotate_credential(&id));
        promise(env, async move { js(call?.await).map(Into::into) })
    }

    /// Deletes a credential.
    #[napi]
    pub fn delete_credential<'env>(
        &self,
        env: &'env Env,
        id: String,
        options: Option<CallOptions>,
    ) -> Result<PromiseRaw<'env, ()>> {
        let call = view(&self.0, options).map(|platform| platform.delete_credential(&id));
        promise(env, async move { js(call?.await) })
    }

    /// One page of the caller's applications.
    #[napi]
    pub fn list_applications<'env>(
        &self,
        env: &'env Env,
        filter: Option<ApplicationFilterData>,
        options: Option<CallOptions>,
    ) -> Result<PromiseRaw<'env, ApplicationPageData>> {
        let f = filter.unwrap_or_default();
        let count = tokensmith::overrides::count;
        let filter = js(count("limit", f.limit))
            .and_then(|limit| Ok(ApplicationFilter { limit, offset: js(count("offset", f.offset))? }));
        let call = filter.and_then(|filter| Ok(view(&self.0, options)?.list_applications(&filter)));
        promise(env, async move {
            let page = js(call?.await)?;
            Ok(ApplicationPageData {
                count: page.count as f64,
                items: page.items.into_iter().map(Into::into).collect(),
            })
        })
    }

    /// One application by id.
    #[napi]
    pub fn get_application<'env>(
        &self,
        env: &'env Env,
        id: String,
        options: Option<CallOptions>,
    ) -> Result<PromiseRaw<'env, ApplicationData>> {
        let call = view(&self.0, options).map(|platform| platform.get_application(&id));
        promise(env, async move { js(call?.await).map(Into::into) })
    }

    /// The client's telemetry setting (`on`, `no_propagation`, `off`), for the package's tracing.
    #[napi]
    pub fn telemetry(&self) -> String {
        self.0.telemetry().name().to_owned()
    }

    /// The client as `Debug` prints it: the platform token redacted.
    #[napi]
    pub fn describe(&self) -> String {
        format!("{:?}", self.0)
    }
}

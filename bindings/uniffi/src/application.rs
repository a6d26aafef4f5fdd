//! [`Application`] and its page and filter as records (an application holds no secret, so a record may print
//! every field).

/// An application of the caller: its `id` is the `application_id` a credential is created for.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Application {
    /// The application's id (a UUID).
    pub id: String,
    /// The owning user's id.
    pub user_id: Option<String>,
    /// The service it subscribes to.
    pub service_id: Option<String>,
    /// Its type as the platform spells it (`type` in the API).
    pub kind: Option<String>,
    /// Its scope as the platform spells it.
    pub scope: Option<String>,
    /// What is left of its balance.
    pub remaining_amount: Option<f64>,
    /// What has been used.
    pub used_amount: Option<f64>,
    /// When it was created (ISO 8601, as sent).
    pub created_at: Option<String>,
    /// When it was last changed.
    pub updated_at: Option<String>,
}

impl From<tokensmith::Application> for Application {
    fn from(a: tokensmith::Application) -> Self {
        Self {
            id: a.id,
            user_id: a.user_id,
            service_id: a.service_id,
            kind: a.kind,
            scope: a.scope,
            remaining_amount: a.remaining_amount,
            used_amount: a.used_amount,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

/// One page of applications.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct ApplicationPage {
    /// How many there are in all (signed, as Java counts).
    pub count: i64,
    /// This page's applications.
    pub items: Vec<Application>,
}

impl From<tokensmith::ApplicationPage> for ApplicationPage {
    fn from(page: tokensmith::ApplicationPage) -> Self {
        let count = i64::try_from(page.count).unwrap_or(i64::MAX);
        Self { count, items: page.items.into_iter().map(Into::into).collect() }
    }
}

/// Which page of applications to list.
#[derive(Clone, Debug, Default, uniffi::Record)]
pub struct ApplicationFilter {
    /// Page size (>= 1).
    #[uniffi(default = None)]
    pub limit: Option<i32>,
    /// How many to skip.
    #[uniffi(default = None)]
    pub offset: Option<i32>,
}

impl ApplicationFilter {
    /// The core's filter for an optional one.
    pub(crate) fn into_core(filter: Option<Self>) -> crate::error::Result<tokensmith::ApplicationFilter> {
        let filter = filter.unwrap_or_default();
        Ok(tokensmith::ApplicationFilter {
            limit: crate::config::count("limit", filter.limit)?,
            offset: crate::config::count("offset", filter.offset)?,
        })
    }
}

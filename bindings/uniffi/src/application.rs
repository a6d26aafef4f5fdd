//! [`Application`] and its page and filter as records (an application holds no secret, so a record may print
//! every field).

/// Declares [`Application`] and its conversion from the core's table of its fields.
macro_rules! application_record {
    ($($(#[$doc:meta])* $name:ident $(as $js:literal)?: $ty:ty,)*) => {
        /// An application of the caller: its `id` is the `application_id` a credential is created for.
        #[derive(Clone, Debug, PartialEq, uniffi::Record)]
        pub struct Application {
            $($(#[$doc])* pub $name: $ty,)*
        }

        impl From<tokensmith::Application> for Application {
            fn from(application: tokensmith::Application) -> Self {
                Self { $($name: application.$name,)* }
            }
        }
    };
}

tokensmith::for_each_application_field!(application_record);

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

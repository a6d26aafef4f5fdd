//! `Application`, `ApplicationPage` and `ApplicationFilter`, with the UniFFI records' names and fields.

use pyo3::prelude::*;

use crate::config::count;

/// Declares `Application` and its conversion from the core's table of its fields.
macro_rules! application_class {
    ($($(#[$doc:meta])* $name:ident $(as $js:literal)?: $ty:ty,)*) => {
        /// An application of the caller; `id` is what a credential is created for. Holds no secret.
        #[pyclass(module = "tokensmith._native", get_all, frozen)]
        #[derive(Clone, Debug)]
        pub(crate) struct Application {
            $($name: $ty,)*
        }

        impl From<tokensmith::Application> for Application {
            fn from(application: tokensmith::Application) -> Self {
                Self { $($name: application.$name,)* }
            }
        }
    };
}

tokensmith::for_each_application_field!(application_class);

#[pymethods]
impl Application {
    fn __repr__(&self) -> String {
        format!("{self:?}")
    }
}

/// One page of applications.
#[pyclass(module = "tokensmith._native", get_all, frozen)]
#[derive(Debug)]
pub(crate) struct ApplicationPage {
    count: u64,
    items: Vec<Application>,
}

impl From<tokensmith::ApplicationPage> for ApplicationPage {
    fn from(page: tokensmith::ApplicationPage) -> Self {
        Self { count: page.count, items: page.items.into_iter().map(Into::into).collect() }
    }
}

/// Which page of applications to list.
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Clone, Debug)]
pub(crate) struct ApplicationFilter(pub(crate) tokensmith::ApplicationFilter);

#[pymethods]
impl ApplicationFilter {
    #[new]
    #[pyo3(signature = (*, limit=None, offset=None))]
    fn new(limit: Option<i64>, offset: Option<i64>) -> PyResult<Self> {
        Ok(Self(tokensmith::ApplicationFilter { limit: count("limit", limit)?, offset: count("offset", offset)? }))
    }
}

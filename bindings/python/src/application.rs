//! `Application`, `ApplicationPage` and `ApplicationFilter`, with the UniFFI records' names and fields.

use pyo3::prelude::*;

use crate::config::count;

/// An application of the caller; `id` is what a credential is created for. Holds no secret.
#[pyclass(module = "tokensmith._native", get_all, frozen)]
#[derive(Clone, Debug)]
pub(crate) struct Application {
    id: String,
    user_id: Option<String>,
    service_id: Option<String>,
    kind: Option<String>,
    scope: Option<String>,
    remaining_amount: Option<f64>,
    used_amount: Option<f64>,
    created_at: Option<String>,
    updated_at: Option<String>,
}

#[pymethods]
impl Application {
    fn __repr__(&self) -> String {
        format!("{self:?}")
    }
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

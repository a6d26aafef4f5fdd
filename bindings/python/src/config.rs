//! `ClientConfig`: the client options, generated from the core's table of settings as the UniFFI record of the
//! same name is. Numbers are kept as Python passed them and checked by the core (`tokensmith::Overrides`), as on
//! the UniFFI backend.

use pyo3::prelude::*;
use tokensmith::{ClientOptions, Overrides};

use crate::errors::to_py;

/// Options for a client; `None` keeps the core's default.
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Clone, Debug)]
pub(crate) struct ClientConfig(Overrides);

/// Declares `ClientConfig`'s keyword-only constructor from the core's table of settings.
macro_rules! client_config_constructor {
    ($($(#[$doc:meta])* $name:ident: $ty:ty,)*) => {
        #[pymethods]
        impl ClientConfig {
            #[new]
            #[pyo3(signature = (*, $($name = None),*))]
            // One keyword argument per setting of the core's table, however many there are.
            #[allow(clippy::too_many_arguments)]
            fn new($($name: Option<$ty>),*) -> Self {
                Self(Overrides { $($name),* })
            }
        }
    };
}

tokensmith::for_each_client_setting!(client_config_constructor);

/// The options for an optional config.
pub(crate) fn options(config: Option<&ClientConfig>) -> PyResult<ClientOptions> {
    let overrides = config.map(|c| c.0.clone()).unwrap_or_default();
    ClientOptions::default().with_overrides(overrides).map_err(to_py)
}

/// Seconds as the whole milliseconds the `*_ms` settings take (the core's one conversion, as on the UniFFI
/// backend); a number that is not finite is an input error naming `setting`.
#[pyfunction]
pub(crate) fn millis_from_seconds(setting: &str, seconds: f64) -> PyResult<i64> {
    tokensmith::overrides::millis_from_seconds(setting, seconds).map_err(to_py)
}

/// A count as Python passed it (`limit`, `offset`, `tolerance_seconds`), checked by the core.
pub(crate) fn count(field: &str, value: Option<i64>) -> PyResult<Option<u32>> {
    tokensmith::overrides::count(field, value).map_err(to_py)
}

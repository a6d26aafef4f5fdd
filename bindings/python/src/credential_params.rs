//! `NewCredential`, `CredentialFilter` and `CredentialChanges`: the arguments of the AceData calls, with the
//! UniFFI module's names; each holds the core's value, checked when it is built.

use pyo3::prelude::*;
use tokensmith::NewCredentialArgs;

use crate::config::count;
use crate::errors::to_py;

/// A credential to create.
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Clone, Debug)]
pub(crate) struct NewCredential(pub(crate) tokensmith::NewCredential);

/// Declares `NewCredential`'s keyword-only constructor from the core's table of a new credential's fields.
macro_rules! new_credential_constructor {
    (
        required { $($(#[$rdoc:meta])* $required:ident: $rty:ty,)* }
        optional { $($(#[$odoc:meta])* $optional:ident: $oty:ty,)* }
    ) => {
        #[pymethods]
        impl NewCredential {
            #[new]
            #[pyo3(signature = (*, $($required,)* $($optional = None),*))]
            fn new($($required: $rty,)* $($optional: Option<$oty>,)*) -> PyResult<Self> {
                let args = NewCredentialArgs { $($required,)* $($optional,)* };
                args.try_into().map(Self).map_err(to_py)
            }
        }
    };
}

tokensmith::for_each_new_credential_field!(new_credential_constructor);

/// Which credentials to list.
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Clone, Debug)]
pub(crate) struct CredentialFilter(pub(crate) tokensmith::CredentialFilter);

#[pymethods]
impl CredentialFilter {
    #[new]
    #[pyo3(signature = (*, application_id=None, host=None, limit=None, offset=None))]
    fn new(
        application_id: Option<String>,
        host: Option<String>,
        limit: Option<i64>,
        offset: Option<i64>,
    ) -> PyResult<Self> {
        let (limit, offset) = (count("limit", limit)?, count("offset", offset)?);
        Ok(Self(tokensmith::CredentialFilter { application_id, host, limit, offset }))
    }
}

/// Changes to a credential: a value sets a field, a `clear_*` flag removes it (both at once is an input error).
#[pyclass(module = "tokensmith._native", frozen)]
#[derive(Clone, Debug)]
pub(crate) struct CredentialChanges(pub(crate) tokensmith::CredentialChanges);

#[pymethods]
impl CredentialChanges {
    #[new]
    #[pyo3(signature = (*, name=None, limited_amount=None, clear_limited_amount=false, expired_at=None,
        clear_expired_at=false, allowed_api_ids=None))]
    fn new(
        name: Option<String>,
        limited_amount: Option<f64>,
        clear_limited_amount: bool,
        expired_at: Option<String>,
        clear_expired_at: bool,
        allowed_api_ids: Option<Vec<String>>,
    ) -> PyResult<Self> {
        let limits = (limited_amount, clear_limited_amount);
        tokensmith::CredentialChanges::from_flags(name, limits, (expired_at, clear_expired_at), allowed_api_ids)
            .map(Self)
            .map_err(to_py)
    }
}

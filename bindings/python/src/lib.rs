//! # tokensmith-py
//!
//! The PyO3 extension module `tokensmith._native`: the same names and signatures as the UniFFI module that
//! `tokensmith-ffi` generates, and errors carrying the same `details`, so the Python package's layer
//! (`python/src/tokensmith`) runs unchanged on either backend. It only converts; every behaviour lives in the
//! core. Every blocking call releases the GIL, so Python threads sharing one client make requests at once; the
//! `Async*` classes return asyncio awaitables driven by the core's runtime (`runtime.rs`).
#![warn(missing_docs, missing_debug_implementations, unreachable_pub)]

#[cfg(feature = "pyo3")]
mod acedata;
#[cfg(feature = "pyo3")]
mod acedata_async;
#[cfg(feature = "pyo3")]
mod akool;
#[cfg(feature = "pyo3")]
mod akool_async;
#[cfg(feature = "pyo3")]
mod application;
#[cfg(feature = "pyo3")]
mod call_options;
#[cfg(feature = "pyo3")]
mod config;
#[cfg(feature = "pyo3")]
mod credential;
#[cfg(feature = "pyo3")]
mod credential_params;
#[cfg(feature = "pyo3")]
mod errors;
#[cfg(feature = "pyo3")]
mod logging;
#[cfg(feature = "pyo3")]
mod pages;
#[cfg(feature = "pyo3")]
mod runtime;
#[cfg(feature = "pyo3")]
mod telemetry;
#[cfg(feature = "pyo3")]
mod testing;
#[cfg(feature = "pyo3")]
mod webhook;

#[cfg(feature = "pyo3")]
use pyo3::prelude::*;

// The UniFFI build: this library is the `tokensmith-ffi` component, nothing more.
#[cfg(feature = "uniffi")]
tokensmith_ffi::uniffi_reexport_scaffolding!();

/// The module `tokensmith._native`.
#[cfg(feature = "pyo3")]
#[pymodule(name = "_native")]
fn native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(core_version, module)?)?;
    module.add_function(wrap_pyfunction!(error_kinds, module)?)?;
    module.add_function(wrap_pyfunction!(shutdown_runtime, module)?)?;
    module.add_function(wrap_pyfunction!(akool::is_token_expired, module)?)?;
    module.add_function(wrap_pyfunction!(config::millis_from_seconds, module)?)?;
    module.add_function(wrap_pyfunction!(logging::refresh_logging, module)?)?;
    module.add_function(wrap_pyfunction!(testing::mock_demo_json, module)?)?;
    module.add_class::<testing::NativeMockServer>()?;
    module.add_class::<call_options::CallOptions>()?;
    module.add_class::<telemetry::CallTrace>()?;
    module.add_class::<telemetry::TokenFetch>()?;
    module.add_function(wrap_pyfunction!(telemetry::telemetry_enabled, module)?)?;
    module.add_function(wrap_pyfunction!(telemetry::telemetry_operations, module)?)?;
    module.add_class::<application::Application>()?;
    module.add_class::<application::ApplicationPage>()?;
    module.add_class::<application::ApplicationFilter>()?;
    module.add_class::<pages::CredentialPages>()?;
    module.add_class::<pages::AsyncCredentialPages>()?;
    module.add_class::<config::ClientConfig>()?;
    module.add_class::<akool::AkoolClient>()?;
    module.add_class::<akool_async::AsyncAkoolClient>()?;
    module.add_class::<acedata::AceDataPlatform>()?;
    module.add_class::<acedata_async::AsyncAceDataPlatform>()?;
    module.add_class::<credential::Credential>()?;
    module.add_class::<credential::CredentialPage>()?;
    module.add_class::<credential_params::NewCredential>()?;
    module.add_class::<credential_params::CredentialFilter>()?;
    module.add_class::<credential_params::CredentialChanges>()?;
    module.add_class::<webhook::WebhookVerifier>()?;
    module.add_class::<webhook::WebhookEvent>()?;
    logging::install(module.py())?;
    errors::register(module)
}

/// The names of every error kind, in the core's order: lets the package check that it knows them all.
#[cfg(feature = "pyo3")]
#[pyfunction]
fn error_kinds() -> Vec<&'static str> {
    tokensmith::ErrorKind::ALL.iter().map(|kind| kind.name()).collect()
}

/// Stops the core's I/O threads (waiting up to 2 s, without the GIL, for their work, including results being
/// handed to an event loop), so none takes the GIL of an interpreter that is finalizing: called from `atexit`.
/// Then writes the log records still waiting for a Python thread, while `logging` still has its handlers.
#[cfg(feature = "pyo3")]
#[pyfunction]
fn shutdown_runtime(py: Python<'_>) {
    logging::detach(py, || tokensmith::runtime::shutdown(std::time::Duration::from_secs(2)));
}

/// The core's version.
#[cfg(feature = "pyo3")]
#[pyfunction]
fn core_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

//! # tokensmith-ffi
//!
//! The UniFFI exports of the `tokensmith` core, for Kotlin/Java, Swift and Python. This crate only converts:
//! every behaviour lives in core, so each language gets the same one. Conversions are `From`/`TryFrom` impls;
//! exported methods are one-line delegations.
//!
//! Crossing the boundary:
//! - Secrets are returned only by explicit getters (`token()`, `Credential.token()`), never held in records,
//!   because generated records print every field (`data class` `toString`, Python `repr`).
//! - Arbitrary JSON crosses as a JSON string.
//! - Each client comes twice: blocking (`AkoolClient`) and async (`AsyncAkoolClient`: `suspend` in Kotlin, `async`
//!   in Swift, coroutines in Python), over the same core client types; the async futures are the core's, which
//!   run their I/O on the core's runtime, so no `async_runtime` is needed here.
//! - Every error is one [`TokensmithError`], one variant per kind, each with the same [`ErrorDetails`], and its
//!   `Display` exported so `toString`/`str`/`description` read as the core's message.
#![warn(missing_docs, missing_debug_implementations, unreachable_pub)]
// The error is serialised across the boundary by value on every failure; its size (one details record) costs
// nothing next to the network call that produced it, and UniFFI errors cannot be boxed.
#![allow(clippy::result_large_err)]

mod acedata;
// Android: the TLS verifier's Context and the check that it was given (compiled nowhere else but in tests).
mod acedata_async;
mod akool;
mod akool_async;
#[cfg(any(target_os = "android", test))]
mod android;
mod application;
mod call_options;
mod cancellation;
mod config;
mod credential;
mod credential_params;
mod error;
mod jni_async;
mod jni_fast_path;
mod logging;
mod pages;
mod telemetry;
mod testing;
mod webhook;

pub use acedata::AceDataPlatform;
pub use acedata_async::AsyncAceDataPlatform;
pub use akool::{is_token_expired, AkoolClient};
pub use akool_async::AsyncAkoolClient;
pub use application::{Application, ApplicationFilter, ApplicationPage};
pub use call_options::CallOptions;
pub use cancellation::Cancellation;
pub use config::{millis_from_seconds, ClientConfig};
pub use credential::{Credential, CredentialKind, CredentialPage};
pub use credential_params::{CredentialChanges, CredentialFilter, NewCredential};
pub use error::{error_kinds, ErrorDetails, TokensmithError};
pub use logging::{set_log_sink, LogLevel, LogSink};
pub use pages::{AsyncCredentialPages, CredentialPages};
pub use telemetry::{
    set_telemetry_hook, telemetry_enabled, TelemetryAttribute, TelemetryError, TelemetryHook, TelemetryMeasurement,
    TelemetryReport, TelemetrySpan, TelemetryStart, TelemetryTokenFetch, TelemetryTokenFetchReport, TelemetryValue,
};
pub use testing::{mock_demo, mock_demo_json, MockDemo, NativeMockServer, SeenRequest};
pub use webhook::{WebhookEvent, WebhookVerifier};

uniffi::setup_scaffolding!();

/// The core's version, to check that a package loaded the library it was built with.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Stops the core's I/O threads (waiting up to 2 s for their work), so none calls into the host after it exits:
/// the Python package calls it from `atexit`. A later call starts them again.
#[uniffi::export]
pub fn shutdown_runtime() {
    tokensmith::runtime::shutdown(std::time::Duration::from_secs(2));
}

//! # tokensmith-node
//!
//! The napi-rs addon behind the `tokensmith` npm package (`node/`). It only converts: every behaviour lives in
//! the core. Calls that do I/O return Promises, so Node's event loop never blocks: each call is spawned on the
//! core's runtime, where it runs inline, and its Promise is settled on the event loop's thread from a completion
//! queue per environment (`settle.rs`): one hand-off from the event loop and one back, with no threadsafe
//! function made per call and no runtime of napi's. No host lifecycle stops the core's runtime (a worker thread's
//! exit aborts that environment's calls only). Pure calls (webhook verification, building a client) are
//! synchronous.
//!
//! Crossing the boundary: JSON crosses as text; an error crosses as a JavaScript `Error` whose message is its
//! `ErrorDetails` as JSON behind a marker (`errors.rs`), which the package's `index.js` turns into the error
//! class of its kind. Secrets cross only as return values the caller asked for (a token, a credential).
#![warn(missing_docs, missing_debug_implementations, unreachable_pub)]
#![deny(clippy::all)]

mod acedata;
mod akool;
mod call_options;
mod errors;
mod logging;
mod options;
mod settle;
mod telemetry;
mod testing;
mod webhook;

pub use akool::is_token_expired;
pub use logging::{set_log_sink, LogCallback};
pub use options::client_option_names;
pub use telemetry::{
    finish_trace, start_trace, telemetry_enabled, telemetry_operations, token_fetch_abandon, token_fetch_claim,
    token_fetch_publish, token_fetch_wait,
};
pub use testing::{mock_demo_json, NativeMockServer};

use napi_derive::napi;

/// The core's version, to check that the package loaded the addon it was built with.
#[napi]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The names of every error kind, in the core's order: the package declares one error class per kind.
#[napi]
pub fn error_kinds() -> Vec<String> {
    tokensmith::ErrorKind::ALL.iter().map(|kind| kind.name().to_owned()).collect()
}

/// The kind each kind refines (`ErrorKind::parent`), or null: the package's class hierarchy.
#[napi]
pub fn error_kind_parents() -> std::collections::HashMap<String, Option<String>> {
    let parent = |kind: tokensmith::ErrorKind| kind.parent().map(|p| p.name().to_owned());
    tokensmith::ErrorKind::ALL.iter().map(|kind| (kind.name().to_owned(), parent(*kind))).collect()
}

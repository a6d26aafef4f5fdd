//! # tokensmith-node
//!
//! The napi-rs addon behind the `tokensmith` npm package (`node/`). It only converts: every behaviour lives in
//! the core. Calls that do I/O are `async fn`s, so JavaScript gets Promises and Node's event loop never
//! blocks; the futures are the core's, whose I/O runs on the core's runtime. Pure calls (webhook
//! verification, building a client) are synchronous.
//!
//! Crossing the boundary: JSON crosses as text; an error crosses as a JavaScript `Error` whose message is its
//! `ErrorDetails` as JSON behind a marker (`errors.rs`), which the package's `index.js` turns into the error
//! class of its kind. Secrets cross only as return values the caller asked for (a token, a credential).
#![warn(missing_docs, missing_debug_implementations, unreachable_pub)]
#![deny(clippy::all)]

mod acedata;
mod akool;
mod errors;
mod options;
mod webhook;

pub use akool::is_token_expired;

use napi_derive::napi;

/// The core's version, to check that the package loaded the addon it was built with.
#[napi]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The names of every error kind, in the core's order: lets the package check that it has a class for each.
#[napi]
pub fn error_kinds() -> Vec<String> {
    tokensmith::ErrorKind::ALL.iter().map(|kind| kind.name().to_owned()).collect()
}

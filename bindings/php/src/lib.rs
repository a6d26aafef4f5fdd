//! # tokensmith-php
//!
//! The PHP extension `tokensmith`: the classes `Tokensmith\AkoolClient`, `Tokensmith\AceDataPlatform`,
//! `Tokensmith\Credential`, `Tokensmith\WebhookVerifier` and the exceptions under `Tokensmith\TokensmithException`.
//! It converts: every behaviour of a client lives in the core. PHP is blocking, so the extension uses the core's
//! blocking clients: the calling thread drives its own call's I/O on the core's callers' runtime, which is per
//! process and rebuilt after a fork (PHP-FPM forks its workers), and which reads what the server did to idle
//! connections between page views before a request picks one.
//!
//! The one thing of its own is PHP's: clients are kept per worker process (`registry.rs`), since PHP builds its
//! objects anew on every request. A PHP object built with the same credentials and options in a later request
//! of the same worker gets the same client and token, so method 2 costs one `getToken` per tenant and worker
//! instead of one per page view. The worker keeps its `tokensmith.max_clients` (php.ini, default 1000, about
//! 1 KiB each; 0 for none) most recently used clients. Building one costs microseconds, and clients with equal
//! timeouts and certificates share the core's connection pool, so a client per request or per tenant is fine.
// `missing_docs` stays off: `#[php_module]` generates undocumented C entry points.
#![warn(missing_debug_implementations)]
#![allow(clippy::needless_pass_by_value)] // ext-php-rs passes arguments by value

mod acedata;
mod akool;
mod call;
mod credential;
mod errors;
mod json;
mod logging;
mod options;
mod pages;
mod registry;
mod telemetry;
mod testing;
mod webhook;

use ext_php_rs::prelude::*;
use ext_php_rs::types::Zval;

/// The core's version, to check that PHP loaded the extension it was built with.
#[php_function]
#[php(name = "Tokensmith\\core_version")]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The names of every error kind, in the core's order; each has a `Tokensmith\<Kind>Exception`
/// (`Timeout`: `RequestTimeoutException`).
#[php_function]
#[php(name = "Tokensmith\\error_kinds")]
pub fn error_kinds() -> Vec<String> {
    tokensmith::ErrorKind::ALL.iter().map(|kind| kind.name().to_owned()).collect()
}

/// Whether an Akool answer's body says the token was refused as invalid or expired (`code` 1101).
#[php_function]
#[php(name = "Tokensmith\\is_token_expired")]
pub fn is_token_expired(body: String) -> bool {
    tokensmith::AkoolClient::is_token_expired(body.as_bytes())
}

/// Traces every call through `$hook` for the rest of this request, or stops with null (docs/observability.md):
/// `$hook->start(string $operation): ?array` on the call's start returns `['handle' => int, 'propagation' =>
/// array<string, string>]` (the operation span's `traceparent`/`tracestate`, sent on every attempt) or null;
/// `$hook->finish(int $handle, array $report): void` gets what the call did (its attempts, retries, token fetch,
/// error). What the hook throws is dropped; it must not call tokensmith.
///
/// # Parameters
///
/// - `hook`: `?object` an object with `start` and `finish` methods
#[php_function]
#[php(name = "Tokensmith\\set_telemetry_hook")]
pub fn set_telemetry_hook(hook: Option<&Zval>) -> PhpResult<()> {
    telemetry::set_hook(hook)
}

/// Sends tokensmith's log records (requests, retries, token fetches; never a secret) up to `$level` (`error`,
/// `warn`, `info`, `debug` (the default), `trace`) to `$logger`, a PSR-3 logger, for the rest of this request;
/// `null` stops them. Records are handed over when the call that wrote them returns.
///
/// # Parameters
///
/// - `logger`: `?object` a PSR-3 `Psr\Log\LoggerInterface` (any object with its `log` method)
#[php_function]
#[php(name = "Tokensmith\\set_logger")]
pub fn set_logger(logger: Option<&Zval>, level: Option<String>) -> PhpResult<()> {
    logging::set_logger(logger, level)
}

/// The module's startup: the ini setting `tokensmith.max_clients` (ext-php-rs registers the classes after it).
extern "C" fn startup(_type: i32, module_number: i32) -> i32 {
    registry::register_ini(module_number);
    0
}

/// The end of each request: the logger and the telemetry hook are PHP objects of that request.
extern "C" fn request_shutdown(_type: i32, _module: i32) -> i32 {
    logging::request_shutdown();
    telemetry::request_shutdown();
    0
}

/// The module: its ini setting, its classes (the exceptions' generated from the core's kinds), its functions.
#[php_module]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    errors::register(module)
        .name("tokensmith")
        .startup_function(startup)
        .request_shutdown_function(request_shutdown)
        .class::<akool::AkoolClient>()
        .class::<acedata::AceDataPlatform>()
        .class::<credential::Credential>()
        .class::<pages::CredentialIterator>()
        .class::<testing::MockServer>()
        .class::<webhook::WebhookVerifier>()
        .function(wrap_function!(core_version))
        .function(wrap_function!(error_kinds))
        .function(wrap_function!(is_token_expired))
        .function(wrap_function!(set_logger))
        .function(wrap_function!(set_telemetry_hook))
}

//! The client settings every binding exposes, declared once as a table.
//!
//! A binding's own form of the settings (UniFFI's `ClientConfig` record, PyO3's `ClientConfig` class, napi's
//! `ClientOptions` object, PHP's options array) is generated from [`for_each_client_setting!`], so a new setting
//! is a line here and its application in [`ClientOptions::with_overrides`](crate::ClientOptions::with_overrides),
//! not an edit in every binding. Durations are whole milliseconds and named `*_ms`: bindings whose language counts
//! seconds (Python, PHP) drop the suffix and convert with [`millis_from_seconds`](super::millis_from_seconds).

/// Calls `callback!` with the table of client settings: for each, its doc comment, its name and the type of
/// its value (every setting is optional; an absent one keeps the core's default).
///
/// A new setting goes at the end: the order is the order of the UniFFI record's fields, which Swift's labelled
/// arguments and Java's positional constructors follow. A secret (a proxy's password) is never a row: the
/// records generated from the table print every field (`Debug`, Kotlin's `toString`). The docs are `#[doc]`
/// attributes of plain strings, not `///` comments: napi-derive writes the raw string a `///` comment becomes
/// into the TypeScript declarations as it is spelled (`r" ..."`).
///
/// ```
/// macro_rules! names { ($($(#[$doc:meta])* $name:ident: $ty:ty,)*) => { [$(stringify!($name)),*] } }
/// assert!(tokensmith::for_each_client_setting!(names).contains(&"request_timeout_ms"));
/// ```
#[macro_export]
macro_rules! for_each_client_setting {
    ($callback:ident) => {
        $callback! {
            #[doc = "Another base URL (https, or http to loopback)."]
            base_url: String,
            #[doc = "Connect timeout in milliseconds (> 0; default 10 s)."]
            connect_timeout_ms: i64,
            #[doc = "Timeout of one attempt in milliseconds, body included (> 0; default 60 s)."]
            request_timeout_ms: i64,
            #[doc = "Retries after the first attempt (>= 0; default 2)."]
            max_retries: i64,
            #[doc = "The first backoff in milliseconds (>= 0; default 250; it doubles per retry, capped at 8 s)."]
            initial_backoff_ms: i64,
            #[doc = "Appended to the User-Agent, after the binding's own (e.g. `python/3.12`)."]
            user_agent_suffix: String,
            #[doc = "Extra CA certificates (PEM) to trust besides the system's."]
            root_certificates: Vec<String>,
            #[doc = "How long an unused pooled connection is kept, in milliseconds (>= 0; default 50 s; 0: not kept)."]
            pool_idle_timeout_ms: i64,
            #[doc = "This client's telemetry: `on` (default), `no_propagation` (no trace context sent) or `off`."]
            telemetry: String,
        }
    };
}

/// Declares [`Overrides`] from the table.
macro_rules! overrides_struct {
    ($($(#[$doc:meta])* $name:ident: $ty:ty,)*) => {
        /// Optional client settings as bindings receive them ([`for_each_client_setting!`]); `None` keeps the
        /// default. Durations are milliseconds.
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        pub struct Overrides {
            $($(#[$doc])* pub $name: Option<$ty>,)*
        }
    };
}

for_each_client_setting!(overrides_struct);

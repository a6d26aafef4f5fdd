//! Settings and arguments as the language bindings receive them: optional, in plain signed numbers.
//!
//! Foreign languages pass numbers their own way (Java has no unsigned types; Python ints are unbounded; Swift and
//! Kotlin pass `Long`). Every binding hands them here unchanged, so a negative timeout or retry count is refused
//! with the same error, naming the same setting, in every language; no binding checks numbers on its own.

use std::time::Duration;

use crate::call_options::CallOptions;
use crate::error::{Error, Result};
use crate::options::ClientOptions;

mod client_settings;
mod request;

pub use client_settings::Overrides;
pub use request::{blocking_request_text, request_text};

impl Overrides {
    /// These settings with the User-Agent suffix naming the binding first (`node`, `php`), then the caller's own
    /// suffix, if any, so the vendor can tell those languages apart whatever the caller adds. (UniFFI's bindings
    /// cannot tell which language calls them: Python's layer names itself, Kotlin and Swift do not.)
    pub fn with_binding_suffix(mut self, binding: &str) -> Self {
        self.user_agent_suffix = Some(match self.user_agent_suffix.take() {
            Some(suffix) => format!("{binding} {suffix}"),
            None => binding.to_owned(),
        });
        self
    }
}

impl ClientOptions {
    /// Applies the settings a binding received; `None` keeps the current one. A negative or oversized number is
    /// an input error naming the setting (zero timeouts are refused when the client is built).
    pub fn with_overrides(mut self, overrides: Overrides) -> Result<Self> {
        let Overrides {
            base_url,
            connect_timeout_ms,
            request_timeout_ms,
            max_retries,
            initial_backoff_ms,
            user_agent_suffix,
            root_certificates,
            pool_idle_timeout_ms,
            telemetry,
        } = overrides;
        if let Some(base_url) = base_url {
            self = self.with_base_url(base_url);
        }
        if let Some(timeout) = millis("connect_timeout", connect_timeout_ms)? {
            self = self.with_connect_timeout(timeout);
        }
        if let Some(timeout) = millis("request_timeout", request_timeout_ms)? {
            self = self.with_request_timeout(timeout);
        }
        let mut retry = self.retry.clone();
        retry.max_retries = count("max_retries", max_retries)?.unwrap_or(retry.max_retries);
        retry.initial_backoff = millis("initial_backoff", initial_backoff_ms)?.unwrap_or(retry.initial_backoff);
        self = self.with_retry(retry);
        if let Some(timeout) = millis("pool_idle_timeout", pool_idle_timeout_ms)? {
            self = self.with_pool_idle_timeout(timeout);
        }
        if let Some(suffix) = user_agent_suffix {
            self = self.with_user_agent_suffix(suffix);
        }
        for pem in root_certificates.into_iter().flatten() {
            self = self.with_root_certificate_pem(pem);
        }
        if let Some(telemetry) = telemetry {
            self = self.with_telemetry(crate::telemetry::TelemetryMode::parse(&telemetry)?);
        }
        Ok(self)
    }
}

/// Per-call options as bindings receive them: the timeout in milliseconds, the headers as pairs. `Debug` shows
/// the header names only (their values may be the caller's tokens).
#[derive(Clone, Default, PartialEq, Eq)]
#[allow(missing_docs)] // each field sets the `CallOptions` setting of the same name
pub struct CallOverrides {
    pub timeout_ms: Option<i64>,
    pub headers: Vec<(String, String)>,
    pub max_retries: Option<i64>,
    pub trace: Option<crate::telemetry::CallTrace>,
}

impl CallOverrides {
    /// The settings of one call as a binding received them; headers come in the map order of the language, so
    /// they are sorted here, once for every binding: equal options then print and compare alike.
    pub fn new(
        timeout_ms: Option<i64>,
        headers: impl IntoIterator<Item = (String, String)>,
        max_retries: Option<i64>,
    ) -> Self {
        let mut headers: Vec<(String, String)> = headers.into_iter().collect();
        headers.sort();
        Self { timeout_ms, headers, max_retries, trace: None }
    }

    /// The same settings, with the call traced into `trace` (see [`crate::telemetry`]).
    pub fn with_trace(mut self, trace: crate::telemetry::CallTrace) -> Self {
        self.trace = Some(trace);
        self
    }
}

impl std::fmt::Debug for CallOverrides {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("CallOverrides")
            .field("timeout_ms", &self.timeout_ms)
            .field("header_names", &header_names)
            .field("max_retries", &self.max_retries)
            .field("trace", &self.trace)
            .finish()
    }
}

impl CallOptions {
    /// The options a binding received; a negative number is an input error naming `timeout` or `max_retries`.
    pub fn from_overrides(overrides: CallOverrides) -> Result<Self> {
        let mut options = CallOptions::new();
        if let Some(timeout) = millis("timeout", overrides.timeout_ms)? {
            options = options.with_timeout(timeout);
        }
        if let Some(max_retries) = count("max_retries", overrides.max_retries)? {
            options = options.with_max_retries(max_retries);
        }
        for (name, value) in overrides.headers {
            options = options.with_header(name, value);
        }
        if let Some(trace) = overrides.trace {
            options = options.with_trace(trace);
        }
        Ok(options)
    }
}

/// The clients whose calls take [`CallOptions`] (both vendors, async and blocking), for code that makes views
/// of any of them, as the bindings do.
pub trait WithCallOptions: Clone + Sized {
    /// A view of the client whose calls use `options` (see `AkoolClient::with_call_options`).
    fn with_call_options(&self, options: CallOptions) -> Result<Self>;
}

macro_rules! with_call_options {
    ($($client:ty),*) => {$(
        impl WithCallOptions for $client {
            fn with_call_options(&self, options: CallOptions) -> Result<Self> {
                <$client>::with_call_options(self, options)
            }
        }
    )*};
}

with_call_options!(
    crate::AkoolClient,
    crate::AceDataPlatform,
    crate::blocking::AkoolClient,
    crate::blocking::AceDataPlatform
);

/// `client` itself when a binding received no per-call options, else its view with them.
pub fn call_view<C: WithCallOptions>(client: &C, overrides: Option<CallOverrides>) -> Result<C> {
    match overrides {
        None => Ok(client.clone()),
        Some(overrides) => client.with_call_options(CallOptions::from_overrides(overrides)?),
    }
}

/// A count as a binding passes it (`limit`, `max_retries`, ...): absent, or a non-negative number that fits.
pub fn count(field: &str, value: Option<i64>) -> Result<Option<u32>> {
    value
        .map(|v| match u32::try_from(v) {
            Ok(v) => Ok(v),
            Err(_) if v < 0 => Err(Error::invalid(field, format!("must not be negative, got {v}"))),
            Err(_) => Err(Error::invalid(field, format!("must be at most {}, got {v}", u32::MAX))),
        })
        .transpose()
}

/// Seconds, as Python and PHP callers give durations, as the whole milliseconds of the `*_ms` settings: a
/// number that is not finite is an input error naming `field` (a negative one is refused where it is applied).
pub fn millis_from_seconds(field: &str, seconds: f64) -> Result<i64> {
    if seconds.is_finite() {
        Ok((seconds * 1000.0).round() as i64)
    } else {
        Err(Error::invalid(field, "must be a finite number of seconds"))
    }
}

/// A duration in milliseconds as a binding passes it: absent, or not negative.
pub fn millis(field: &str, value: Option<i64>) -> Result<Option<Duration>> {
    value
        .map(|v| {
            u64::try_from(v)
                .map(Duration::from_millis)
                .map_err(|_| Error::invalid(field, format!("must not be negative, got {v} ms")))
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_sorted_so_equal_options_compare_alike() {
        let header = |name: &str| (name.to_owned(), "v".to_owned());
        let a = CallOverrides::new(Some(5), [header("b"), header("a")], None);
        assert_eq!(a, CallOverrides::new(Some(5), [header("a"), header("b")], None));
        assert_eq!(
            format!("{a:?}"),
            r#"CallOverrides { timeout_ms: Some(5), header_names: ["a", "b"], max_retries: None, trace: None }"#
        );
    }

    #[test]
    fn negative_numbers_name_the_setting() {
        let bad = |o: Overrides| ClientOptions::default().with_overrides(o).unwrap_err();
        let e = bad(Overrides { max_retries: Some(-1), ..Overrides::default() });
        assert_eq!(e.to_string(), "invalid max_retries: must not be negative, got -1");
        let e = bad(Overrides { initial_backoff_ms: Some(-1), ..Overrides::default() });
        assert_eq!(e.field(), Some("initial_backoff"));
        let e = bad(Overrides { request_timeout_ms: Some(-5), ..Overrides::default() });
        assert_eq!(e.field(), Some("request_timeout"));
        let e = bad(Overrides { pool_idle_timeout_ms: Some(-1), ..Overrides::default() });
        assert_eq!(e.field(), Some("pool_idle_timeout"));
        let e = bad(Overrides { max_retries: Some(i64::MAX), ..Overrides::default() });
        assert!(e.to_string().contains("at most"), "{e}");
    }

    #[test]
    fn absent_values_keep_the_defaults_and_present_ones_apply() {
        let o = ClientOptions::default().with_overrides(Overrides::default()).unwrap();
        assert_eq!(o, ClientOptions::default());
        let o = ClientOptions::default()
            .with_overrides(Overrides { max_retries: Some(0), request_timeout_ms: Some(1500), ..Overrides::default() })
            .unwrap();
        assert_eq!(o.retry.max_retries, 0);
        assert_eq!(o.request_timeout, Duration::from_millis(1500));
    }

    #[test]
    fn seconds_become_whole_milliseconds_and_only_finite_ones() {
        assert_eq!(millis_from_seconds("timeout", 1.5).unwrap(), 1500);
        assert_eq!(millis_from_seconds("timeout", 0.0004).unwrap(), 0);
        assert_eq!(millis_from_seconds("timeout", -2.0).unwrap(), -2000);
        let e = millis_from_seconds("connect_timeout", f64::NAN).unwrap_err();
        assert_eq!(e.to_string(), "invalid connect_timeout: must be a finite number of seconds");
        assert_eq!(millis_from_seconds("timeout", f64::INFINITY).unwrap_err().field(), Some("timeout"));
    }

    #[test]
    fn the_binding_comes_first_in_the_user_agent_suffix() {
        let named = |suffix: Option<&str>| {
            let overrides = Overrides { user_agent_suffix: suffix.map(str::to_owned), ..Overrides::default() };
            overrides.with_binding_suffix("node").user_agent_suffix
        };
        assert_eq!(named(None).as_deref(), Some("node"));
        assert_eq!(named(Some("billing/2")).as_deref(), Some("node billing/2"));
    }

    #[test]
    fn call_overrides_print_header_names_only() {
        let overrides =
            CallOverrides { headers: vec![("x-tenant".into(), "canary-value".into())], ..Default::default() };
        let printed = format!("{overrides:?}");
        assert!(printed.contains("x-tenant") && !printed.contains("canary"), "{printed}");
    }
}

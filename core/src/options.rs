//! [`ClientOptions`]: the per-client settings both vendor clients share (base URL, timeouts, retries, TLS roots,
//! proxy, connection pool).

use std::fmt;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::proxy_url::ProxyUrl;
use crate::secret::Secret;
use crate::telemetry::TelemetryMode;

/// How long an unused pooled connection is kept by default: shorter than the idle timeouts in front of most
/// servers (AWS load balancers 60 s, nginx 75 s), so that the client, not the server, ends a connection that sat
/// idle, and never writes a request onto one the server is closing at that instant. Go's default is 90 s;
/// OkHttp's 5 min (both check a connection before reuse, as the core does: see `docs/retries.md`).
pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(50);

/// How many times a retryable call is repeated, and how long to wait in between.
///
/// Waits grow exponentially from `initial_backoff`, capped at `max_backoff`, with random jitter so that many
/// clients do not retry in lockstep. A `Retry-After` from the server is honoured when it is at most
/// `max_retry_after`; a longer one ends the retries and is reported in the error instead.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// The wait before the first retry.
    pub initial_backoff: Duration,
    /// The longest computed wait between attempts.
    pub max_backoff: Duration,
    /// The longest `Retry-After` the client will sleep for on its own.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self { max_retries: 0, ..Self::default() }
    }
}

/// Settings for one client. Start from `ClientOptions::default()` and change what you need.
///
/// Timeouts cannot be switched off: a zero duration is rejected when the client is built.
///
/// `Hash` hashes the proxy's password too: key maps with a keyed hasher (std's `RandomState`) only.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ClientOptions {
    pub(crate) base_url: Option<String>,
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) user_agent_suffix: Option<String>,
    pub(crate) root_certificates_pem: Vec<Vec<u8>>,
    /// `None`: the standard environment variables (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`).
    pub(crate) proxy: Option<Secret>,
    pub(crate) pool_idle_timeout: Duration,
    pub(crate) telemetry: TelemetryMode,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            base_url: None,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            user_agent_suffix: None,
            root_certificates_pem: Vec::new(),
            proxy: None,
            pool_idle_timeout: DEFAULT_POOL_IDLE_TIMEOUT,
            telemetry: TelemetryMode::On,
        }
    }
}

impl fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientOptions")
            .field("base_url", &self.base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("retry", &self.retry)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("root_certificates", &self.root_certificates_pem.len())
            .field("proxy", &self.proxy.as_ref().map(|url| ProxyUrl::redacted(url.expose())))
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .field("telemetry", &self.telemetry)
            .finish()
    }
}

impl ClientOptions {
    /// What this client's calls record and send to the vendor ([`TelemetryMode`]; default `On`): `NoPropagation`
    /// keeps the spans but sends no `traceparent` to the vendor, `Off` records and sends nothing.
    pub fn with_telemetry(mut self, mode: TelemetryMode) -> Self {
        self.telemetry = mode;
        self
    }

    /// Sends requests to this base URL instead of the vendor's (e.g. the loopback mock). `https://` is required,
    /// except for loopback hosts.
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// How long to wait for a connection (default 10 s).
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take from start to the end of the body (default 60 s).
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Replaces the retry policy (default: 2 retries).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Appended to the `User-Agent` (e.g. `python/3.12`), so the vendor can tell which binding called.
    pub fn with_user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Trusts one more CA certificate (PEM), besides the system's roots.
    pub fn with_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates_pem.push(pem.into());
        self
    }

    /// Sends every request through this proxy (`http://` or `https://`, with `user:password@` if it asks for
    /// them) instead of the one the environment names. The URL is kept as a secret: errors and `Debug` show it
    /// without its user info.
    pub fn with_proxy(mut self, url: impl Into<Secret>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// How long an unused pooled connection is kept open for the next call (default 50 s, see
    /// [`DEFAULT_POOL_IDLE_TIMEOUT`]).
    pub fn with_pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// Checks the settings that could silently weaken the client.
    pub(crate) fn validate(&self) -> Result<()> {
        if self.connect_timeout.is_zero() {
            return Err(Error::invalid("connect_timeout", "must be greater than zero (timeouts cannot be disabled)"));
        }
        if self.request_timeout.is_zero() {
            return Err(Error::invalid("request_timeout", "must be greater than zero (timeouts cannot be disabled)"));
        }
        if let Some(proxy) = &self.proxy {
            ProxyUrl::check(proxy.expose())?;
        }
        if let Some(suffix) = &self.user_agent_suffix {
            if suffix.chars().any(|c| c.is_control()) {
                return Err(Error::invalid("user_agent_suffix", "must not contain control characters"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_documented_policy() {
        let o = ClientOptions::default();
        assert_eq!(o.connect_timeout, Duration::from_secs(10));
        assert_eq!(o.request_timeout, Duration::from_secs(60));
        assert_eq!(o.retry.max_retries, 2);
        assert!(o.validate().is_ok());
    }

    #[test]
    fn zero_timeouts_are_refused() {
        let e = ClientOptions::default().with_request_timeout(Duration::ZERO).validate().unwrap_err();
        assert!(matches!(e, Error::InvalidInput { ref field, .. } if field == "request_timeout"), "{e}");
        let e = ClientOptions::default().with_connect_timeout(Duration::ZERO).validate().unwrap_err();
        assert!(matches!(e, Error::InvalidInput { ref field, .. } if field == "connect_timeout"), "{e}");
    }
}

//! [`Settings`]: what an HTTP client is built from.

use std::time::Duration;

use super::proxy::ProxyChoice;

/// What a client is built from: kept to build it again after a fork, and the key under which clients of the
/// process share it (see `shared`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) struct Settings {
    pub(super) user_agent: String,
    pub(super) connect_timeout: Duration,
    pub(super) request_timeout: Duration,
    pub(super) pool_idle_timeout: Duration,
    /// Extra trusted roots, as the caller gave them (PEM bundles).
    pub(super) certificates_pem: Vec<Vec<u8>>,
    pub(super) proxy: ProxyChoice,
}

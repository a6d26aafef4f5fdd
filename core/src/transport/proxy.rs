//! Which proxy a transport uses: the one a client names, or the one the standard environment variables name,
//! and how it is shown in errors (never with its user info, which may hold a password).

use crate::error::{Error, Result};
use crate::proxy_url::ProxyUrl;
use crate::secret::Secret;

/// The variables reqwest reads for its system proxy, in the order it reads them (`REQUEST_METHOD` marks a CGI
/// process, where `HTTP_PROXY` is ignored as it could come from a request header).
const ENV_VARIABLES: [&str; 9] = [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "REQUEST_METHOD",
];

/// Which proxy a transport uses: part of what tells one shared transport from another.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) enum ProxyChoice {
    /// The client's own (`ClientOptions::with_proxy`); it replaces the environment's.
    Named(Secret),
    /// The environment's variables as they were when the client was built (joined; a URL may hold a password).
    /// A process that changes them gets a new transport for its later clients, as it would without sharing.
    Environment(Secret),
}

impl ProxyChoice {
    pub(super) fn new(named: Option<&Secret>) -> Self {
        match named {
            Some(url) => Self::Named(url.clone()),
            None => {
                let mut snapshot = String::new();
                for name in ENV_VARIABLES {
                    if let Some(value) = std::env::var_os(name) {
                        snapshot.push_str(name);
                        snapshot.push('=');
                        snapshot.push_str(&value.to_string_lossy());
                    }
                    snapshot.push('\0');
                }
                Self::Environment(Secret::new(snapshot))
            }
        }
    }

    /// The proxy an `https://` call tunnels through, without user info, for errors.
    pub(super) fn describe(&self) -> String {
        match self {
            Self::Named(url) => ProxyUrl::redacted(url.expose()),
            Self::Environment(_) => ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
                .iter()
                .find_map(|name| {
                    std::env::var(name).ok().map(|url| format!("{} (from {name})", ProxyUrl::redacted(&url)))
                })
                .unwrap_or_else(|| "the proxy from the environment".to_owned()),
        }
    }

    /// The reqwest proxy to set, if the client named one.
    pub(super) fn named(&self) -> Result<Option<reqwest::Proxy>> {
        match self {
            Self::Named(url) => reqwest::Proxy::all(url.expose())
                .map(Some)
                .map_err(|e| Error::invalid("proxy", format!("not a proxy URL ({e})"))),
            Self::Environment(_) => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_named_proxy_is_described_without_user_info() {
        let named = ProxyChoice::Named(Secret::new("https://u:canary-pass@p.example"));
        assert_eq!(named.describe(), "https://p.example/");
    }
}

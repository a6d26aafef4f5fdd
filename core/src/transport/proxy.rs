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

/// Builds a reqwest proxy for one scheme (or all) from a URL.
type MakeProxy = fn(&str) -> reqwest::Result<reqwest::Proxy>;

/// Which proxy a transport uses: part of what tells one shared transport from another.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) enum ProxyChoice {
    /// The client's own (`ClientOptions::with_proxy`); it replaces the environment's.
    Named(Secret),
    /// The environment's variables as they were when the client was built, in [`ENV_VARIABLES`]' order (a URL
    /// may hold a password). The HTTP clients are built from this snapshot, not from the environment of the
    /// moment (they are built later: per runtime, after a fork), so a transport's proxy is the one its key says.
    /// A process that changes the variables gets a new transport for its later clients, as it would without
    /// sharing.
    Environment(Vec<Option<Secret>>),
}

impl ProxyChoice {
    pub(super) fn new(named: Option<&Secret>) -> Self {
        match named {
            Some(url) => Self::Named(url.clone()),
            None => Self::Environment(
                ENV_VARIABLES
                    .iter()
                    .map(|name| std::env::var_os(name).map(|value| Secret::new(value.to_string_lossy())))
                    .collect(),
            ),
        }
    }

    /// The first of these variables the snapshot holds.
    fn variable(&self, names: &[&str]) -> Option<(&'static str, &str)> {
        let Self::Environment(values) = self else { return None };
        names.iter().find_map(|name| {
            let index = ENV_VARIABLES.iter().position(|known| known == name)?;
            values.get(index)?.as_ref().map(|value| (ENV_VARIABLES[index], value.expose()))
        })
    }

    /// The proxy an `https://` call tunnels through, without user info, for errors.
    pub(super) fn describe(&self) -> String {
        match self {
            Self::Named(url) => ProxyUrl::redacted(url.expose()),
            Self::Environment(_) => self
                .variable(&["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"])
                .map(|(name, url)| format!("{} (from {name})", ProxyUrl::redacted(url)))
                .unwrap_or_else(|| "the proxy from the environment".to_owned()),
        }
    }

    /// The reqwest proxies to set, most specific first; the HTTP client must not read the environment itself.
    ///
    /// For the snapshot, the rules reqwest applies to the environment: `HTTPS_PROXY` for `https://`, `HTTP_PROXY`
    /// for `http://` (not in a CGI process, where a request header could have set it), `ALL_PROXY` for both
    /// when the specific one is unset, each with `NO_PROXY`'s exceptions; upper case before lower case.
    pub(super) fn proxies(&self) -> Result<Vec<reqwest::Proxy>> {
        let invalid = |field: &str, e: reqwest::Error| Error::invalid(field, format!("not a proxy URL ({e})"));
        if let Self::Named(url) = self {
            return Ok(vec![reqwest::Proxy::all(url.expose()).map_err(|e| invalid("proxy", e))?]);
        }
        let no_proxy =
            self.variable(&["NO_PROXY", "no_proxy"]).and_then(|(_, list)| reqwest::NoProxy::from_string(list));
        let cgi = self.variable(&["REQUEST_METHOD"]).is_some();
        let http = if cgi { &["http_proxy"][..] } else { &["HTTP_PROXY", "http_proxy"][..] };
        let kinds: [(&[&str], MakeProxy); 3] = [
            (&["HTTPS_PROXY", "https_proxy"], |url| reqwest::Proxy::https(url)),
            (http, |url| reqwest::Proxy::http(url)),
            (&["ALL_PROXY", "all_proxy"], |url| reqwest::Proxy::all(url)),
        ];
        let mut proxies = Vec::new();
        for (names, make) in kinds {
            if let Some((name, url)) = self.variable(names).filter(|(_, url)| !url.is_empty()) {
                proxies.push(make(url).map_err(|e| invalid(name, e))?.no_proxy(no_proxy.clone()));
            }
        }
        Ok(proxies)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    #[test]
    fn a_named_proxy_is_described_without_user_info() {
        let named = ProxyChoice::Named(Secret::new("https://u:canary-pass@p.example"));
        assert_eq!(named.describe(), "https://p.example/");
    }

    /// A snapshot holding `pairs` and nothing else.
    pub(in crate::transport) fn snapshot(pairs: &[(&str, &str)]) -> ProxyChoice {
        let value = |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| Secret::new(*v));
        ProxyChoice::Environment(ENV_VARIABLES.iter().map(|name| value(name)).collect())
    }

    #[test]
    fn the_snapshot_gives_one_proxy_per_scheme_and_names_a_bad_variable() {
        assert_eq!(snapshot(&[]).proxies().unwrap().len(), 0);
        let all =
            snapshot(&[("HTTPS_PROXY", "http://a:3128"), ("http_proxy", "http://b:3128"), ("ALL_PROXY", "http://c:1")]);
        assert_eq!(all.proxies().unwrap().len(), 3);
        let cgi = snapshot(&[("HTTP_PROXY", "http://b:3128"), ("REQUEST_METHOD", "GET")]);
        assert_eq!(cgi.proxies().unwrap().len(), 0, "HTTP_PROXY is ignored in a CGI process");
        assert_eq!(snapshot(&[("HTTPS_PROXY", "http://[::1")]).proxies().unwrap_err().field(), Some("HTTPS_PROXY"));
        let described = snapshot(&[("https_proxy", "http://u:canary-pass@p.example:3128")]).describe();
        assert_eq!(described, "http://p.example:3128/ (from https_proxy)");
    }
}

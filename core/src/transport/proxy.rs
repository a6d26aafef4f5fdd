//! Which proxy a transport uses: the one a client names, or the one the standard environment variables name,
//! and how it is shown in errors (never with its user info, which may hold a password).

use hyper_util::client::proxy::matcher::Matcher;

use crate::error::{Error, Result};
use crate::proxy_url::ProxyUrl;
use crate::secret::Secret;

/// The proxy variables of the environment, in the order they are read (`REQUEST_METHOD` marks a CGI
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

    /// The proxy rules the connector applies (hyper-util's matcher), or none for direct connections only.
    ///
    /// For the snapshot, the rules curl and reqwest apply to the environment: `HTTPS_PROXY` for `https://`,
    /// `HTTP_PROXY` for `http://` (not in a CGI process, where a request header could have set it: there only
    /// `http_proxy`), `ALL_PROXY` for both when the specific one is unset, each with `NO_PROXY`'s exceptions;
    /// upper case before lower case. Where the environment names none, macOS and Windows use the system settings'
    /// proxy; elsewhere the environment is all there is.
    pub(super) fn matcher(&self) -> Result<Option<Matcher>> {
        if let Self::Named(url) = self {
            let url = checked("proxy", url.expose())?.to_owned();
            return Ok(Some(Matcher::builder().all(url).build()));
        }
        let cgi = self.variable(&["REQUEST_METHOD"]).is_some();
        let http: &[&str] = if cgi { &["http_proxy"] } else { &["HTTP_PROXY", "http_proxy"] };
        let mut builder = Matcher::builder();
        let mut any = false;
        for (names, scheme) in
            [(&["HTTPS_PROXY", "https_proxy"][..], "https"), (http, "http"), (&["ALL_PROXY", "all_proxy"][..], "all")]
        {
            let Some((name, url)) = self.variable(names).filter(|(_, url)| !url.trim().is_empty()) else { continue };
            let url = checked(name, url)?.to_owned();
            any = true;
            builder = match scheme {
                "https" => builder.https(url),
                "http" => builder.http(url),
                _ => builder.all(url),
            };
        }
        if !any {
            return Ok(cfg!(any(target_os = "macos", windows)).then(Matcher::from_system));
        }
        if let Some((_, list)) = self.variable(&["NO_PROXY", "no_proxy"]) {
            builder = builder.no(list.to_owned());
        }
        Ok(Some(builder.build()))
    }
}

/// `url` trimmed, if it is a proxy URL (an `http://` or `https://` URL with a host, or a bare `host:port`, taken
/// as `http://`; a SOCKS one is taken too, and refused by the connector only for the destinations it would carry,
/// so that a `NO_PROXY` that exempts the vendor keeps working); else an error naming `field` (the URL is not
/// quoted: it may hold a password).
fn checked<'a>(field: &str, url: &'a str) -> Result<&'a str> {
    let url = url.trim();
    let uri: http::Uri = url.parse().map_err(|e| Error::invalid(field, format!("not a proxy URL ({e})")))?;
    match uri.scheme_str() {
        None | Some("http" | "https" | "socks4" | "socks4a" | "socks5" | "socks5h") => {}
        Some(other) => {
            return Err(Error::invalid(field, format!("unsupported proxy scheme {other:?}; use http:// or https://")))
        }
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(Error::invalid(field, "not a proxy URL (no host)"));
    }
    Ok(url)
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
        let proxy_of = |choice: &ProxyChoice, url: &'static str| {
            let matcher = choice.matcher().unwrap()?;
            matcher.intercept(&http::Uri::from_static(url)).map(|proxy| proxy.uri().to_string())
        };
        if !cfg!(any(target_os = "macos", windows)) {
            assert!(snapshot(&[]).matcher().unwrap().is_none());
        }
        let all =
            snapshot(&[("HTTPS_PROXY", "http://a:3128"), ("http_proxy", "http://b:3128"), ("ALL_PROXY", "http://c:1")]);
        assert_eq!(proxy_of(&all, "https://api.example/").as_deref(), Some("http://a:3128/"));
        assert_eq!(proxy_of(&all, "http://api.example/").as_deref(), Some("http://b:3128/"));
        let fallback = snapshot(&[("HTTPS_PROXY", "http://a:3128"), ("ALL_PROXY", "c:1"), ("NO_PROXY", ".internal")]);
        assert_eq!(proxy_of(&fallback, "http://api.example/").as_deref(), Some("http://c:1/"));
        assert_eq!(proxy_of(&fallback, "https://api.internal/"), None, "NO_PROXY names the domain");
        let cgi = snapshot(&[("HTTP_PROXY", "http://b:3128"), ("REQUEST_METHOD", "GET")]);
        assert_eq!(proxy_of(&cgi, "http://api.example/"), None, "HTTP_PROXY is ignored in a CGI process");
        assert_eq!(snapshot(&[("HTTPS_PROXY", "http://[::1")]).matcher().unwrap_err().field(), Some("HTTPS_PROXY"));
        assert_eq!(snapshot(&[("ALL_PROXY", "ftp://h:1")]).matcher().unwrap_err().field(), Some("ALL_PROXY"));
        let socks = snapshot(&[("ALL_PROXY", "socks5://h:1"), ("NO_PROXY", "api.example")]);
        assert_eq!(proxy_of(&socks, "https://api.example/"), None, "exempt: the SOCKS proxy is never used");
        let described = snapshot(&[("https_proxy", "http://u:canary-pass@p.example:3128")]).describe();
        assert_eq!(described, "http://p.example:3128/ (from https_proxy)");
    }
}

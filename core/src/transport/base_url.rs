//! The base URL policy: where a client may send its secrets.
//!
//! Every client carries a secret on every request, so the policy is checked once, when the client is built:
//! `https://` anywhere, plain `http://` only to loopback (127.0.0.0/8, ::1, `localhost`), nothing else. Paths are
//! joined to the base by [`BaseUrl::join`], which also refuses anything that would leave the base's origin.

use std::borrow::Cow;
use std::net::IpAddr;

use url::{Host, Url};

use crate::error::{Error, Result};

/// A validated base URL (scheme, host, port and an optional path prefix).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BaseUrl {
    url: Url,
}

impl BaseUrl {
    /// Parses and checks a base URL; `field` names the setting in errors.
    pub(crate) fn parse(raw: &str, field: &str) -> Result<Self> {
        let raw = raw.trim();
        let url = Url::parse(raw).map_err(|e| Error::invalid(field, format!("not a URL ({e})")))?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => {
                return Err(Error::invalid(
                    field,
                    "plain http:// would send secrets unencrypted; use https:// (http:// is allowed only to loopback)",
                ))
            }
            other => return Err(Error::invalid(field, format!("unsupported scheme {other:?}; use https://"))),
        }
        if url.host().is_none() {
            return Err(Error::invalid(field, "has no host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::invalid(field, "must not contain user info"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::invalid(field, "must not contain a query or fragment"));
        }
        Ok(Self { url })
    }

    /// The base URL as text.
    pub(crate) fn as_str(&self) -> &str {
        self.url.as_str()
    }

    /// The base followed by `path` (which starts with `/` and may carry a query string).
    pub(crate) fn join(&self, path: &str) -> Result<Url> {
        if !path.starts_with('/') || path.starts_with("//") {
            return Err(Error::invalid("path", format!("must start with a single '/', got {path:?}")));
        }
        if path.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::invalid("path", "must not contain whitespace or control characters"));
        }
        // Parsed as a reference relative to the base: the base's scheme and host are copied, not parsed again (a
        // call's URL is made on every call, and parsing the host was a tenth of the core's own CPU per call).
        let prefix = self.url.path().trim_end_matches('/');
        let reference = if prefix.is_empty() { Cow::Borrowed(path) } else { Cow::Owned(format!("{prefix}{path}")) };
        let url = Url::options()
            .base_url(Some(&self.url))
            .parse(&reference)
            .map_err(|e| Error::invalid("path", format!("does not form a URL ({e})")))?;
        if url.scheme() != self.url.scheme() || url.host() != self.url.host() || url.port() != self.url.port() {
            return Err(Error::invalid("path", "must stay on the client's base URL"));
        }
        Ok(url)
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_and_loopback_http_are_allowed() {
        for ok in [
            "https://openapi.akool.com",
            "https://platform.acedata.cloud/",
            "http://127.0.0.1:8080",
            "http://127.9.9.9",
            "http://[::1]:9",
            "http://localhost:1",
            "http://LOCALHOST",
        ] {
            assert!(BaseUrl::parse(ok, "base_url").is_ok(), "{ok}");
        }
    }

    #[test]
    fn everything_else_is_refused_with_the_field_named() {
        for bad in [
            "http://openapi.akool.com",
            "http://10.0.0.1",
            "http://localhost.evil.com",
            "ftp://x",
            "openapi.akool.com",
            "https://user:pw@x.com",
            "https://x.com/?a=1",
            "",
        ] {
            let err = BaseUrl::parse(bad, "base_url").unwrap_err();
            assert!(matches!(err, Error::InvalidInput { ref field, .. } if field == "base_url"), "{bad}: {err}");
        }
    }

    #[test]
    fn join_keeps_prefix_and_query_and_refuses_escapes() {
        let base = BaseUrl::parse("https://h.com/prefix/", "base_url").unwrap();
        assert_eq!(base.join("/a/b?x=1&y=2").unwrap().as_str(), "https://h.com/prefix/a/b?x=1&y=2");
        for bad in ["a/b", "//evil.com/x", "/a b", "/a\n"] {
            assert!(base.join(bad).is_err(), "{bad}");
        }
        let base = BaseUrl::parse("https://h.com", "base_url").unwrap();
        assert!(base.join("/@evil.com").unwrap().as_str().starts_with("https://h.com/"));
        assert_eq!(base.join("/a/../b?q").unwrap().as_str(), "https://h.com/b?q", "dot segments resolve on the base");
        let base = BaseUrl::parse("http://127.0.0.1:8080/v1", "base_url").unwrap();
        assert_eq!(base.join("/x").unwrap().as_str(), "http://127.0.0.1:8080/v1/x", "a prefix without its slash");
    }
}

//! [`ProxyUrl`]: how a proxy URL is checked and shown. It may hold a password, so it is shown without user info.

use url::Url;

use crate::error::{Error, Result};

/// Checks and prints proxy URLs.
pub(crate) struct ProxyUrl;

impl ProxyUrl {
    /// Refuses what the transport cannot use as a proxy, naming the `proxy` setting (the URL is not quoted: it may
    /// hold a password).
    pub(crate) fn check(raw: &str) -> Result<()> {
        let url = Url::parse(raw.trim()).map_err(|e| Error::invalid("proxy", format!("not a URL ({e})")))?;
        match url.scheme() {
            "http" | "https" => {}
            other => {
                return Err(Error::invalid("proxy", format!("unsupported scheme {other:?}; use http:// or https://")))
            }
        }
        if url.host().is_none() {
            return Err(Error::invalid("proxy", "has no host"));
        }
        Ok(())
    }

    /// The URL without user info (`http://proxy:3128/`), or a placeholder for one that does not parse.
    pub(crate) fn redacted(raw: &str) -> String {
        match Url::parse(raw.trim()) {
            Ok(mut url) => {
                let _ = url.set_username("");
                let _ = url.set_password(None);
                url.to_string()
            }
            Err(_) => "(a proxy URL that does not parse)".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_info_never_shows() {
        assert_eq!(ProxyUrl::redacted("http://user:canary-pass@proxy.example:3128"), "http://proxy.example:3128/");
    }

    #[test]
    fn only_http_proxies_with_a_host_are_accepted() {
        assert!(ProxyUrl::check("http://user:pw@127.0.0.1:3128").is_ok());
        let e = ProxyUrl::check("socks5://127.0.0.1:1080").unwrap_err();
        assert_eq!(e.field(), Some("proxy"));
        assert!(!e.to_string().contains("127.0.0.1"), "{e}");
        assert_eq!(ProxyUrl::check("not a url").unwrap_err().field(), Some("proxy"));
    }
}

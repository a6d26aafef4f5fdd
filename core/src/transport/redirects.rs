//! The redirect policy: credentials never leave the origin they were meant for.

use crate::method::Method;

/// How many same-origin redirects are followed before giving up.
const MAX_REDIRECTS: u32 = 5;

/// The request a followed redirect makes.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Hop {
    pub(super) url: url::Url,
    pub(super) method: Method,
    /// Whether the body is sent again (307, 308) or dropped with the method turned to `GET` (301, 302, 303).
    pub(super) keeps_body: bool,
}

/// Where an answer redirects `current` to, if it is to be followed: only within `first`'s origin, so that
/// `x-api-key` and `Authorization` never reach another host, and after at most [`MAX_REDIRECTS`] hops
/// (`followed` so far). 301, 302 and 303 become a `GET` without a body, as browsers and reqwest make them; 307 and
/// 308 repeat the request as it was. Anything else, or a `Location` that is missing or not a URL, is the answer.
pub(super) fn follow(
    first: &url::Url,
    current: &url::Url,
    method: Method,
    (status, location): (u16, Option<&str>),
    followed: u32,
) -> Option<Hop> {
    let keeps_body = match status {
        301..=303 => false,
        307 | 308 => true,
        _ => return None,
    };
    let url = current.join(location?).ok()?;
    if url.origin() != first.origin() || followed >= MAX_REDIRECTS {
        return None;
    }
    let method = if keeps_body { method } else { Method::Get };
    Some(Hop { url, method, keeps_body })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> url::Url {
        url::Url::parse(text).unwrap()
    }

    #[test]
    fn only_same_origin_redirects_are_followed_and_only_five_times() {
        let first = url("https://api.example/v1/a");
        let hop = follow(&first, &first, Method::Post, (307, Some("/v1/b")), 0).unwrap();
        assert_eq!(hop, Hop { url: url("https://api.example/v1/b"), method: Method::Post, keeps_body: true });
        let hop = follow(&first, &first, Method::Post, (303, Some("b")), 4).unwrap();
        assert_eq!((hop.url.as_str(), hop.method, hop.keeps_body), ("https://api.example/v1/b", Method::Get, false));
        assert_eq!(follow(&first, &first, Method::Get, (302, Some("/b")), 5), None, "the sixth is not followed");
        for elsewhere in ["https://evil.example/", "http://api.example/", "https://api.example:444/"] {
            assert_eq!(follow(&first, &first, Method::Get, (302, Some(elsewhere)), 0), None, "{elsewhere}");
        }
        assert_eq!(follow(&first, &first, Method::Get, (302, None), 0), None);
        assert_eq!(follow(&first, &first, Method::Get, (304, Some("/b")), 0), None);
    }
}

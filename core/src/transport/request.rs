//! [`Request`]: one HTTP call as a vendor client describes it, and what it asks to be kept out of errors.

use http::header::HeaderValue;

use super::per_call::PerCall;
use super::response::Response;
use crate::method::Method;
use crate::secret::Secret;

/// One HTTP call, as a vendor client describes it.
pub(crate) struct Request<'a> {
    pub(crate) method: Method,
    /// Starts with `/`; may carry a query string.
    pub(crate) path: &'a str,
    /// The auth header (name and full value); its value is marked sensitive on the wire.
    pub(crate) auth: Option<(&'static str, Secret)>,
    /// A JSON body, sent with `content-type: application/json`.
    pub(crate) json: Option<Vec<u8>>,
    /// Whether repeating the call has no further effect (decides what may be retried).
    pub(crate) idempotent: bool,
    /// Secrets that the server might echo back (auth value, body secrets): scrubbed from errors and excerpts.
    pub(crate) secrets: Vec<Secret>,
    /// The answer itself carries secrets (a token, a credential): never quote its body in errors.
    pub(crate) secret_answer: bool,
    /// Whether an answer (under any status) is the vendor refusing the call without acting on it, so that even a
    /// call that is not idempotent may be repeated (Akool's 1005 "too frequent").
    pub(crate) refused: fn(&Response) -> bool,
    /// The caller's settings for this call (timeout, headers, retries).
    pub(crate) per_call: &'a PerCall,
}

/// For vendors whose refusals all show in the HTTP status.
pub(crate) fn never_refused(_: &Response) -> bool {
    false
}

impl Request<'_> {
    /// Every value to scrub from what the server says back: our secrets, and the values of the caller's own
    /// headers for this call, which may be tokens of theirs. Short header values (under 8 characters: flags,
    /// versions) are left, so that scrubbing does not garble every message that happens to contain them.
    pub(crate) fn secrets_to_scrub(&self) -> Vec<Secret> {
        let headers = self.per_call.headers.values().filter_map(|v| HeaderValue::to_str(v).ok());
        self.secrets.iter().cloned().chain(headers.filter(|v| v.len() >= 8).map(Secret::new)).collect()
    }
}

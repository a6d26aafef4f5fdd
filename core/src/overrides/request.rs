//! An Akool request as every binding receives one: the method's name as text, the body as JSON text and the
//! per-call settings unchecked. All three are checked here, before any network call, so a binding's `request`
//! is one delegation (and a bad method is refused with the same error in every language).

use std::future::Future;

use super::{call_view, CallOverrides};
use crate::error::Result;
use crate::method::Method;
use crate::runtime::block_on;

/// [`AkoolClient::request_text`](crate::AkoolClient::request_text) with `method` by name and this call's
/// settings as the binding received them; the result is the envelope's `data` as JSON text.
pub fn request_text(
    client: &crate::AkoolClient,
    method: &str,
    path: &str,
    json_body: Option<&str>,
    call: Option<CallOverrides>,
) -> impl Future<Output = Result<String>> + Send + 'static {
    let request =
        method.parse::<Method>().and_then(|method| Ok(call_view(client, call)?.request_text(method, path, json_body)));
    async move { request?.await }
}

/// [`request_text`] for the blocking client: the call blocks the calling thread.
pub fn blocking_request_text(
    client: &crate::blocking::AkoolClient,
    method: &str,
    path: &str,
    json_body: Option<&str>,
    call: Option<CallOverrides>,
) -> Result<String> {
    block_on(request_text(client.as_async(), method, path, json_body, call))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AkoolCredentials, ClientOptions, ErrorKind};

    #[test]
    fn a_bad_method_or_setting_is_refused_before_any_call() {
        // Port 9 on loopback: nothing answers, so reaching the network would fail with another kind.
        let options = ClientOptions::default().with_base_url("http://127.0.0.1:9");
        let client = crate::AkoolClient::new(AkoolCredentials::ApiKey("k".into()), options).unwrap();
        let e = block_on(request_text(&client, "FETCH", "/x", None, None)).unwrap_err();
        assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some("method")));
        let negative = CallOverrides { timeout_ms: Some(-1), ..CallOverrides::default() };
        let e = block_on(request_text(&client, "GET", "/x", None, Some(negative))).unwrap_err();
        assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some("timeout")));
        let e = block_on(request_text(&client, "POST", "/x", Some("{not json"), None)).unwrap_err();
        assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some("body")));
    }
}

//! [`PerCall`]: a [`CallOptions`] after its checks, in the form the transport applies to each attempt.

use std::sync::Arc;
use std::time::Duration;

use http::header::{HeaderMap, HeaderName, HeaderValue};

use crate::call_options::CallOptions;
use crate::error::{Error, Result};
use crate::telemetry::{CallTrace, FlightTrace, Recorder};

/// Headers that tokensmith writes itself: authentication, and what the body and framing depend on.
const RESERVED: [&str; 8] = [
    "authorization",
    "x-api-key",
    "proxy-authorization",
    "host",
    "content-length",
    "content-type",
    "transfer-encoding",
    "connection",
];

/// Checked per-call settings; the default changes nothing.
#[derive(Clone, Debug, Default)]
pub(crate) struct PerCall {
    pub(crate) timeout: Option<Duration>,
    pub(crate) headers: HeaderMap,
    pub(crate) max_retries: Option<u32>,
    /// Where the attempts are recorded, when the call is traced or is a token fetch.
    pub(crate) recorder: Option<Recorder>,
    /// The trace context of the call's operation span (`traceparent`, `tracestate`): named in its log records,
    /// and sent when `send_propagation` and the client's telemetry allow.
    pub(crate) propagation: HeaderMap,
    /// Whether the attempts send `propagation` (not for a trace made [unsent](crate::telemetry::CallTrace::unsent)).
    pub(crate) send_propagation: bool,
}

impl PerCall {
    /// Checks `options`: every problem is an input error naming `timeout` or `headers`.
    pub(crate) fn check(options: &CallOptions) -> Result<Self> {
        if options.timeout == Some(Duration::ZERO) {
            return Err(Error::invalid("timeout", "must be greater than zero"));
        }
        let headers = Self::headers(options.headers.iter())?;
        // Telemetry never fails a call: a propagation header that does not parse is left out, as in `traced`.
        let propagation = options.trace.as_ref().map(|trace| trace.propagation()).unwrap_or_default();
        let propagation = Self::headers(propagation.iter()).unwrap_or_default();
        let send_propagation = options.trace.as_ref().is_some_and(CallTrace::is_sent);
        let recorder = options.trace.clone().map(Recorder::Call);
        Ok(Self {
            timeout: options.timeout,
            headers,
            max_retries: options.max_retries,
            recorder,
            propagation,
            send_propagation,
        })
    }

    /// These settings, traced into `trace` (a telemetry hook's): its propagation headers added, a header that does
    /// not parse left out.
    pub(crate) fn traced(&self, trace: CallTrace) -> Self {
        let propagation = Self::headers(trace.propagation().iter()).unwrap_or_default();
        Self { propagation, send_propagation: trace.is_sent(), recorder: Some(Recorder::Call(trace)), ..self.clone() }
    }

    /// The trace id and the operation span's id of a traced call (from its `traceparent`), for its log records;
    /// empty strings otherwise (the logging bridge reads them as absent).
    pub(crate) fn trace_ids(&self) -> (&str, &str) {
        let traceparent = self.propagation.get("traceparent").and_then(|v| v.to_str().ok()).unwrap_or_default();
        let mut parts = traceparent.split('-');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(_version), Some(trace_id), Some(span_id)) if trace_id.len() == 32 && span_id.len() == 16 => {
                (trace_id, span_id)
            }
            _ => ("", ""),
        }
    }

    /// The per-call settings of the token fetch `flight`: the leader's propagation headers, its attempts recorded
    /// into the flight; nothing else of any caller's applies to a fetch that serves them all.
    pub(crate) fn for_fetch(flight: &Arc<FlightTrace>) -> Self {
        // They were checked with the leader's options; a header that no longer parses is left out.
        let propagation = Self::headers(flight.parent_headers.iter()).unwrap_or_default();
        Self {
            propagation,
            send_propagation: flight.sent,
            recorder: Some(Recorder::Fetch(Arc::clone(flight))),
            ..Self::default()
        }
    }

    fn headers<'a>(pairs: impl Iterator<Item = &'a (String, String)>) -> Result<HeaderMap> {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            let name = HeaderName::from_bytes(name.trim().as_bytes())
                .map_err(|_| Error::invalid("headers", format!("{name:?} is not a valid header name")))?;
            if RESERVED.contains(&name.as_str()) {
                return Err(Error::invalid("headers", format!("{name} is set by tokensmith and cannot be overridden")));
            }
            let mut value = HeaderValue::from_str(value).map_err(|_| {
                Error::invalid("headers", format!("the value of {name} contains characters not allowed in a header"))
            })?;
            // Callers put their own tokens here: keep them out of any HTTP-level debug output.
            value.set_sensitive(true);
            headers.insert(name, value);
        }
        Ok(headers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_and_message(options: CallOptions) -> (String, String) {
        let e = PerCall::check(&options).unwrap_err();
        (e.field().unwrap_or_default().to_owned(), e.to_string())
    }

    #[test]
    fn auth_and_framing_headers_cannot_be_overridden_in_any_case() {
        for name in ["Authorization", "X-API-Key", "host", "Content-Length", "Content-Type"] {
            let (field, message) = field_and_message(CallOptions::new().with_header(name, "x"));
            assert_eq!(field, "headers");
            assert!(message.contains("cannot be overridden"), "{message}");
        }
    }

    #[test]
    fn bad_names_values_and_zero_timeouts_are_refused_without_echoing_values() {
        let (field, _) = field_and_message(CallOptions::new().with_header("bad name", "x"));
        assert_eq!(field, "headers");
        let (field, message) = field_and_message(CallOptions::new().with_header("x-token", "canary\nsecret"));
        assert_eq!(field, "headers");
        assert!(!message.contains("canary"), "{message}");
        let (field, _) = field_and_message(CallOptions::new().with_timeout(Duration::ZERO));
        assert_eq!(field, "timeout");
    }

    #[test]
    fn accepted_options_carry_over_and_debug_shows_no_header_value() {
        let options = CallOptions::new()
            .with_header("X-Tenant", "canary-tenant")
            .with_max_retries(0)
            .with_timeout(Duration::from_secs(2));
        let checked = PerCall::check(&options).unwrap();
        assert_eq!(checked.headers.get("x-tenant").unwrap(), "canary-tenant");
        assert_eq!((checked.max_retries, checked.timeout), (Some(0), Some(Duration::from_secs(2))));
        assert!(!format!("{options:?}").contains("canary"));
        assert!(!format!("{checked:?}").contains("canary"));
    }
}

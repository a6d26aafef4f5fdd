//! The one place that sends HTTP. Both vendor clients describe a call as a [`Request`] and get a [`Response`];
//! the base URL policy, timeouts, retries, redirect policy, body cap, user agent and the scrubbing of secrets
//! from anything the server says back all live here.

mod base_url;
mod client;
mod connector;
mod error_chain;
mod http_client;
mod per_call;
mod proxy;
mod redirects;
mod request;
mod response;
mod retry;
mod settings;
mod shared;
mod tls;

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use http_body_util::Full;

pub(crate) use base_url::BaseUrl;
use client::ForkSafeClient;
use error_chain::error_chain;
pub(crate) use per_call::PerCall;
use proxy::ProxyChoice;
pub(crate) use request::{never_refused, Request};
pub(crate) use response::Response;
pub(crate) use retry::parse_retry_after;
use retry::{backoff, may_retry, retry_status, Failure};
use settings::Settings;

use crate::error::{Error, Result};
use crate::options::{ClientOptions, RetryPolicy};
use crate::telemetry::{AttemptRecord, RetryReason, TelemetryMode};

/// The `User-Agent` of every request, before any binding's suffix.
pub const USER_AGENT: &str = concat!("tokensmith/", env!("CARGO_PKG_VERSION"), " (rust)");

/// The most a response body may hold; more is refused as a decode error instead of filling memory.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Headers in which servers and gateways name the request, for the vendor's support; the first one present becomes
/// an error's trace id (an AceData body's own `trace_id` wins).
const REQUEST_ID_HEADERS: [&str; 4] = ["x-request-id", "x-trace-id", "request-id", "trace-id"];

/// Sends requests for one vendor client: its base URL and retry policy, over the process's HTTP client for its
/// settings (shared with every client of equal settings: see `shared`).
pub(crate) struct Transport {
    client: Arc<ForkSafeClient>,
    base: BaseUrl,
    retry: RetryPolicy,
    /// What this client's calls record and send (not a setting of the shared HTTP client: clients that differ
    /// only here share connections).
    pub(crate) telemetry: TelemetryMode,
}

impl Transport {
    /// The transport for `options`, with `default_base` when the options name none: microseconds when a client
    /// of equal settings exists, else the HTTP client is built (milliseconds: the TLS roots are loaded).
    pub(crate) fn new(options: &ClientOptions, default_base: &str, base_field: &str) -> Result<Self> {
        options.validate()?;
        let base = BaseUrl::parse(options.base_url.as_deref().unwrap_or(default_base), base_field)?;
        let user_agent = match &options.user_agent_suffix {
            Some(suffix) => format!("{USER_AGENT} {suffix}"),
            None => USER_AGENT.to_owned(),
        };
        let settings = Settings {
            user_agent,
            connect_timeout: options.connect_timeout,
            request_timeout: options.request_timeout,
            pool_idle_timeout: options.pool_idle_timeout,
            certificates_pem: options.root_certificates_pem.clone(),
            proxy: ProxyChoice::new(options.proxy.as_ref()),
        };
        let client = shared::client_for(base.as_str(), settings)?;
        Ok(Self { client, base, retry: options.retry.clone(), telemetry: options.telemetry })
    }

    /// Whether `other` sends over the same HTTP client (and so the same connections).
    #[cfg(test)]
    pub(crate) fn shares_connections_with(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.client, &other.client)
    }

    /// Sends `request`, retrying as the policy allows, and returns the last answer of any status.
    ///
    /// Runs on whichever runtime `runtime::run` chose. Dropping the future aborts the attempt in flight and any
    /// wait before the next: nothing is retried after that.
    ///
    /// Besides the policy's retries, the transport resends an idempotent request once, at once, when its
    /// connection closed before any byte of the answer came (a kept-alive connection the server closed as the
    /// request went out), as Go's `net/http` does; this resend does not count against `max_retries`. A request
    /// that provably was not written is resent by hyper itself, idempotent or not (`retry_canceled_requests`).
    /// `docs/retries.md` says why, and what no client can save.
    pub(crate) async fn send(&self, request: &Request<'_>) -> Result<Response> {
        let url = self.base.join(request.path)?;
        let max_retries = request.per_call.max_retries.unwrap_or(self.retry.max_retries);
        let recorder = request.per_call.recorder.as_ref().filter(|_| self.telemetry != TelemetryMode::Off);
        let (trace_id, span_id) = request.per_call.trace_ids();
        let mut retries = 0;
        let mut resent = false;
        loop {
            crate::runtime::notice_closed_connections().await;
            let started = Instant::now();
            let start_time = recorder.map(|_| SystemTime::now());
            let outcome = self.attempt(&url, request).await;
            if let (Some(recorder), Some(start)) = (recorder, start_time) {
                let timing = (start, started.elapsed());
                recorder.attempts().push(attempt_record(&url, request, timing, &outcome, retries + u32::from(resent)));
            }
            let (wait, reason) = match outcome {
                Ok(response) => {
                    log::debug!(
                        trace_id, span_id;
                        "{} {} -> {} in {} ms (attempt {})",
                        request.method,
                        url.path(),
                        response.status,
                        started.elapsed().as_millis(),
                        retries + 1
                    );
                    match self.wait_before_retry(&response, request, retries, max_retries) {
                        Some((wait, reason)) => (wait, (reason, response.retry_after.filter(|asked| *asked == wait))),
                        // Every time it was sent, the transport's resend included: a delete whose first answer
                        // was lost reads its 404 knowing that.
                        None => return Ok(response.with_attempts(retries + 1 + u32::from(resent))),
                    }
                }
                Err((Failure::Closed, error)) if request.idempotent && !resent => {
                    log::debug!(
                        trace_id, span_id;
                        "{} {}: the connection closed before the answer ({error}); resending on a new connection",
                        request.method,
                        url.path()
                    );
                    if let Some(recorder) = recorder {
                        recorder.attempts().retried(RetryReason::ConnectionClosed, None);
                    }
                    resent = true;
                    continue;
                }
                Err((failure, error)) => {
                    log::debug!(
                        trace_id, span_id;
                        "{} {} failed (attempt {}): {error}", request.method, url.path(), retries + 1
                    );
                    if retries >= max_retries || !may_retry(failure, request.idempotent) {
                        return Err(error);
                    }
                    let reason = match error {
                        Error::Timeout(_) => RetryReason::Timeout,
                        _ => RetryReason::Transport,
                    };
                    (backoff(&self.retry, retries), (reason, None))
                }
            };
            if let Some(recorder) = recorder {
                recorder.attempts().retried(reason.0, reason.1);
            }
            log::info!(trace_id, span_id; "retrying {} {} in {} ms", request.method, url.path(), wait.as_millis());
            tokio::time::sleep(wait).await;
            retries += 1;
        }
    }

    /// `Some((wait, why))` when the answer asks for a retry that the policy allows.
    fn wait_before_retry(
        &self,
        response: &Response,
        request: &Request<'_>,
        retries: u32,
        max_retries: u32,
    ) -> Option<(Duration, RetryReason)> {
        let reason = if retry_status(response.status, request.idempotent) {
            RetryReason::Status
        } else if (request.refused)(response) {
            RetryReason::Refused
        } else {
            return None;
        };
        if retries >= max_retries {
            return None;
        }
        match response.retry_after {
            Some(asked) if asked > self.retry.max_retry_after => None,
            Some(asked) => Some((asked, reason)),
            None => Some((backoff(&self.retry, retries), reason)),
        }
    }

    /// One attempt: the request sent, its same-origin redirects followed, and the answer read whole, all within the
    /// request's deadline.
    async fn attempt(&self, url: &url::Url, request: &Request<'_>) -> Result<Response, (Failure, Error)> {
        let client = self.client.get().map_err(|e| (Failure::NotSent, e))?;
        let timeout = request.per_call.timeout.unwrap_or(client.request_timeout);
        // A timeout too long to add (`Duration::MAX` for "none") is a deadline in thirty years, as tokio's own.
        let now = tokio::time::Instant::now();
        let deadline = now.checked_add(timeout).unwrap_or_else(|| now + Duration::from_secs(86_400 * 365 * 30));
        let timed_out =
            |what: &str| Error::Timeout(format!("{what} {url}: no answer within {} ms", timeout.as_millis()));
        let (mut hop_url, mut method, mut body) = (url.clone(), request.method, request.json.clone().map(Bytes::from));
        let mut hops = 0;
        let answer = loop {
            let sending = http_request(&hop_url, method, body.clone(), self.headers(request, body.is_some())?);
            let sent = tokio::time::timeout_at(deadline, client.send(sending.map_err(|e| (Failure::NotSent, e))?));
            let answer = match sent.await {
                Ok(Ok(answer)) => answer,
                Ok(Err(e)) => return Err(classify(&e, &hop_url, &self.client.settings().proxy)),
                Err(_) => return Err((Failure::MaybeSent, timed_out("sending to"))),
            };
            let location = answer.headers().get(LOCATION).and_then(|v| v.to_str().ok());
            match redirects::follow(url, &hop_url, method, (answer.status().as_u16(), location), hops) {
                Some(hop) => {
                    (hop_url, method, hops) = (hop.url, hop.method, hops + 1);
                    body = body.filter(|_| hop.keeps_body);
                }
                None => break answer,
            }
        };
        let status = answer.status().as_u16();
        let headers = answer.headers();
        let retry_after = headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let location = headers.get(LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let request_id = REQUEST_ID_HEADERS
            .iter()
            .find_map(|name| headers.get(*name))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let read = tokio::time::timeout_at(deadline, response::read_capped(answer, MAX_BODY_BYTES));
        let body = read.await.map_err(|_| (Failure::MaybeSent, timed_out("reading the body of"))).and_then(|read| {
            read.map_err(|e| match e {
                response::ReadError::TooLarge => (
                    Failure::Answered,
                    Error::Decode { status, message: format!("the body exceeds the {MAX_BODY_BYTES}-byte limit") },
                ),
                response::ReadError::Http(e) => {
                    (Failure::MaybeSent, Error::Transport(format!("reading the body: {}", error_chain(&e))))
                }
            })
        })?;
        Ok(Response::new(status, body, retry_after, location, request.secrets_to_scrub(), request.secret_answer)
            .with_request_id(request_id))
    }

    /// The headers of `request`: what the vendor's API expects (a content type when it `has_body`: a redirect may
    /// have dropped it), the caller's own (replacing a default of the same name; auth names were refused when the
    /// options were checked), trace propagation, the auth header.
    fn headers(&self, request: &Request<'_>, has_body: bool) -> Result<HeaderMap, (Failure, Error)> {
        let mut headers = HeaderMap::with_capacity(8);
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if has_body {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        if !request.per_call.headers.is_empty() {
            headers.extend(request.per_call.headers.clone());
        }
        if self.telemetry == TelemetryMode::On && request.per_call.send_propagation {
            headers.extend(request.per_call.propagation.clone());
        }
        if let Some((name, value)) = &request.auth {
            let mut value = HeaderValue::from_str(value.expose()).map_err(|_| {
                (Failure::NotSent, Error::invalid(*name, "contains characters that are not allowed in a header"))
            })?;
            value.set_sensitive(true);
            headers.insert(*name, value);
        }
        Ok(headers)
    }
}

/// The HTTP request of one hop.
fn http_request(
    url: &url::Url,
    method: crate::method::Method,
    body: Option<Bytes>,
    headers: HeaderMap,
) -> Result<http::Request<Full<Bytes>>> {
    let mut sending = http::Request::new(Full::new(body.unwrap_or_default()));
    *sending.method_mut() = method.into();
    *sending.uri_mut() = http_client::uri(url)?;
    *sending.headers_mut() = headers;
    Ok(sending)
}

/// The record of one attempt of a traced request: where it went (no query string), when, and what came of it. Its
/// end is its start plus the time the monotonic clock measured (a wall clock step would skew the duration).
fn attempt_record(
    url: &url::Url,
    request: &Request<'_>,
    (start, took): (SystemTime, Duration),
    outcome: &Result<Response, (Failure, Error)>,
    resend_count: u32,
) -> AttemptRecord {
    let mut without_query = url.clone();
    without_query.set_query(None);
    without_query.set_fragment(None);
    let (status, failure) = match outcome {
        Ok(response) => (Some(response.status), None),
        Err((_, error)) => (error.status(), Some(error.kind().name())),
    };
    AttemptRecord {
        method: request.method,
        url: without_query.into(),
        server_address: url.host_str().unwrap_or_default().to_owned(),
        server_port: url.port_or_known_default().unwrap_or_default(),
        start,
        end: start + took,
        status,
        failure,
        resend_count,
        retried: None,
    }
}

/// Whether the connection ended before any byte of the answer: hyper's "connection closed before message
/// completed" (an end of file where the answer should start), or a reset or broken pipe while sending.
fn closed_before_answer(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(error);
    while let Some(cause) = source {
        if let Some(hyper) = cause.downcast_ref::<hyper::Error>() {
            if hyper.is_incomplete_message() {
                return true;
            }
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::{BrokenPipe, ConnectionAborted, ConnectionReset};
            if matches!(io.kind(), ConnectionReset | BrokenPipe | ConnectionAborted) {
                return true;
            }
        }
        source = cause.source();
    }
    false
}

/// Whether an I/O error in the chain is a timeout (TCP's connect timeout).
fn timed_out(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(error);
    while let Some(cause) = source {
        if cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut) {
            return true;
        }
        source = cause.source();
    }
    false
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport").field("base_url", &self.base.as_str()).field("retry", &self.retry).finish()
    }
}

/// Maps an HTTP client's error to whether the server could have seen the request, and to our error.
fn classify(error: &hyper_util::client::legacy::Error, url: &url::Url, proxy: &ProxyChoice) -> (Failure, Error) {
    let failure = if error.is_connect() {
        Failure::NotSent
    } else if closed_before_answer(error) {
        Failure::Closed
    } else {
        Failure::MaybeSent
    };
    let message = format!("error sending request for url ({url}): {}", error_chain(error));
    // hyper-util's tunnel error says only "proxy authorization required": name the proxy (never its user info)
    // and the fix, which is in the caller's settings, not at the vendor.
    if message.contains("proxy authorization required") {
        let proxy = proxy.describe();
        return (
            Failure::NotSent,
            Error::Transport(format!(
                "the proxy {proxy} refused the tunnel with 407 Proxy Authentication Required: \
                 its user name or password is missing or wrong ({message})"
            )),
        );
    }
    if message.contains("tunnel error") {
        let proxy = proxy.describe();
        return (Failure::NotSent, Error::Transport(format!("the proxy {proxy} refused the tunnel ({message})")));
    }
    if timed_out(error) {
        (failure, Error::Timeout(message))
    } else {
        (failure, Error::Transport(message))
    }
}

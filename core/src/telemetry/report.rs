//! [`CallReport`]: what one call did, as spans, attributes and measurements in OpenTelemetry's terms, for a
//! language to hand to its own OpenTelemetry API. The names follow the semantic conventions for HTTP clients
//! (`http.*`, `server.*`, `url.full`, `error.type`); what they do not cover is under `tokensmith.`. Nothing here
//! can hold a secret: no header, no body, no query string; the vendor's trace id and codes are not secrets.

use std::time::{Duration, SystemTime};

use super::attempt::AttemptRecord;
use super::flight::TokenFetch;
use super::operations;
use super::outcome::Outcome;
use super::token_use::TokenUse;

/// An attribute's value.
#[derive(Clone, Debug, PartialEq)]
pub enum AttributeValue {
    /// A string.
    Str(String),
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A floating-point number.
    Double(f64),
}

/// Attributes, in the order they were set.
pub type Attributes = Vec<(&'static str, AttributeValue)>;

/// The span kinds tokensmith reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanKind {
    /// An HTTP attempt.
    Client,
    /// The token fetch, around its attempts.
    Internal,
}

/// Whose child a span is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanParent {
    /// The call's operation span, which the language started.
    Operation,
    /// The token fetch's span (see [`TokenFetchReport`]).
    TokenFetch,
}

/// A finished span.
#[derive(Clone, Debug)]
pub struct SpanData {
    /// The span's name: the HTTP method for an attempt, as the conventions ask.
    pub name: String,
    /// Its kind.
    pub kind: SpanKind,
    /// Its parent.
    pub parent: SpanParent,
    /// When it started.
    pub start: SystemTime,
    /// When it ended.
    pub end: SystemTime,
    /// Its attributes, `error.type` among them when it failed.
    pub attributes: Attributes,
    /// `Some(error type)` when the span failed: its status is then an error.
    pub error_type: Option<String>,
}

/// What a measurement goes into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstrumentKind {
    /// A histogram (`http.client.request.duration`).
    Histogram,
    /// A monotonic counter.
    Counter,
}

/// One value for a metric instrument.
#[derive(Clone, Debug)]
pub struct Measurement {
    /// The instrument's name.
    pub instrument: &'static str,
    /// Its kind.
    pub kind: InstrumentKind,
    /// Its unit, in UCUM as the conventions write them.
    pub unit: &'static str,
    /// Its description.
    pub description: &'static str,
    /// The value.
    pub value: f64,
    /// The attributes of this value.
    pub attributes: Attributes,
    /// A histogram's bucket boundaries, as advice to the SDK (the conventions' for durations in seconds).
    pub boundaries: Option<&'static [f64]>,
}

/// The token fetch a call took part in: its span, the spans of its attempts and its measurements, reported by
/// the one call that [claims](TokenFetch::claim) it.
#[derive(Clone, Debug)]
pub struct TokenFetchReport {
    /// How the calls that shared the fetch agree on who reports it.
    pub fetch: TokenFetch,
    /// The fetch's span; its parent is the leader's operation span.
    pub span: SpanData,
    /// The spans of its HTTP attempts (parent: [`SpanParent::TokenFetch`]).
    pub attempts: Vec<SpanData>,
    /// Its measurements (the attempts' durations, the fetch itself, its retries).
    pub measurements: Vec<Measurement>,
}

/// What one call did.
#[derive(Clone, Debug)]
pub struct CallReport {
    /// The operation span's name.
    pub operation: &'static str,
    /// Attributes for the operation span.
    pub attributes: Attributes,
    /// The error kind's name when the call failed (the operation span's `error.type` and error status).
    pub error_type: Option<&'static str>,
    /// The spans of the call's HTTP attempts, children of the operation span.
    pub attempts: Vec<SpanData>,
    /// The call's measurements.
    pub measurements: Vec<Measurement>,
    /// The token fetch this call started or waited for, if any.
    pub token_fetch: Option<TokenFetchReport>,
}

/// Attribute names: the conventions', then ours.
pub mod keys {
    /// `http.request.method`.
    pub const HTTP_REQUEST_METHOD: &str = "http.request.method";
    /// `http.response.status_code`.
    pub const HTTP_RESPONSE_STATUS_CODE: &str = "http.response.status_code";
    /// `http.request.resend_count`, on the second attempt and later.
    pub const HTTP_REQUEST_RESEND_COUNT: &str = "http.request.resend_count";
    /// `server.address`.
    pub const SERVER_ADDRESS: &str = "server.address";
    /// `server.port`.
    pub const SERVER_PORT: &str = "server.port";
    /// `url.full`, without its query string.
    pub const URL_FULL: &str = "url.full";
    /// `error.type`: the HTTP status of a failed attempt, else the error kind's name.
    pub const ERROR_TYPE: &str = "error.type";
    /// How many HTTP attempts the call or the fetch made.
    pub const ATTEMPTS: &str = "tokensmith.attempts";
    /// Whether the bearer token came from the cache (method 2 only).
    pub const TOKEN_CACHED: &str = "tokensmith.token.cached";
    /// Akool's business code of a failed call.
    pub const AKOOL_CODE: &str = "tokensmith.akool.code";
    /// AceData's error code of a failed call.
    pub const ACEDATA_CODE: &str = "tokensmith.acedata.code";
    /// The vendor's trace id of a failed call, for a support ticket.
    pub const VENDOR_TRACE_ID: &str = "tokensmith.vendor.trace_id";
    /// Why the attempt was followed by another.
    pub const RETRY_REASON: &str = "tokensmith.retry.reason";
    /// The `Retry-After` honoured before the next attempt, in seconds.
    pub const RETRY_AFTER: &str = "tokensmith.retry.retry_after";
}

/// Instrument names.
pub mod instruments {
    /// The duration of each HTTP attempt (the conventions' histogram), in seconds.
    pub const HTTP_CLIENT_REQUEST_DURATION: &str = "http.client.request.duration";
    /// Token fetches, by outcome.
    pub const TOKEN_FETCHES: &str = "tokensmith.token.fetches";
    /// Retries, by reason.
    pub const RETRIES: &str = "tokensmith.retries";

    /// The bucket boundaries the semantic conventions advise for `http.client.request.duration`, in seconds (the SDKs'
    /// default boundaries are for milliseconds: every attempt would land in the first bucket).
    pub const DURATION_BOUNDARIES: [f64; 14] =
        [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0];
}

use keys::*;

pub(crate) fn build(
    operation: &'static str,
    attempts: &[AttemptRecord],
    token: &TokenUse,
    outcome: Option<&Outcome>,
    fetch: Option<TokenFetch>,
) -> CallReport {
    let mut attributes: Attributes = vec![(ATTEMPTS, AttributeValue::Int(attempts.len() as i64))];
    if let Some(server) = attempts.first() {
        attributes.push((SERVER_ADDRESS, AttributeValue::Str(server.server_address.clone())));
    }
    match token {
        TokenUse::None => {}
        TokenUse::Cached => attributes.push((TOKEN_CACHED, AttributeValue::Bool(true))),
        TokenUse::Fetch { .. } => attributes.push((TOKEN_CACHED, AttributeValue::Bool(false))),
    }
    if let Some(outcome) = outcome {
        attributes.push((ERROR_TYPE, AttributeValue::Str(outcome.kind.to_owned())));
        if let Some(status) = outcome.status {
            attributes.push((HTTP_RESPONSE_STATUS_CODE, AttributeValue::Int(i64::from(status))));
        }
        if let Some(code) = outcome.akool_code {
            attributes.push((AKOOL_CODE, AttributeValue::Int(code)));
        }
        if let Some(code) = &outcome.acedata_code {
            attributes.push((ACEDATA_CODE, AttributeValue::Str(code.clone())));
        }
        if let Some(trace_id) = &outcome.vendor_trace_id {
            attributes.push((VENDOR_TRACE_ID, AttributeValue::Str(trace_id.clone())));
        }
    }
    let token_fetch = fetch.map(fetch_report);
    CallReport {
        operation,
        attributes,
        error_type: outcome.map(|o| o.kind),
        attempts: attempts.iter().map(|a| attempt_span(a, SpanParent::Operation)).collect(),
        measurements: attempts.iter().flat_map(attempt_measurements).collect(),
        token_fetch,
    }
}

fn fetch_report(fetch: TokenFetch) -> TokenFetchReport {
    let flight = &fetch.flight;
    let attempts = flight.attempts.snapshot();
    let (end, failure) = flight.end().unwrap_or((SystemTime::now(), None));
    let mut attributes: Attributes = vec![(ATTEMPTS, AttributeValue::Int(attempts.len() as i64))];
    let mut outcome: Attributes = Vec::new();
    if let Some(server) = attempts.first() {
        attributes.push((SERVER_ADDRESS, AttributeValue::Str(server.server_address.clone())));
        outcome.push((SERVER_ADDRESS, AttributeValue::Str(server.server_address.clone())));
    }
    if let Some(kind) = failure {
        attributes.push((ERROR_TYPE, AttributeValue::Str(kind.to_owned())));
        outcome.push((ERROR_TYPE, AttributeValue::Str(kind.to_owned())));
    }
    let span = SpanData {
        name: operations::AKOOL_GET_TOKEN.to_owned(),
        kind: SpanKind::Internal,
        parent: SpanParent::Operation,
        start: flight.start,
        end,
        attributes,
        error_type: failure.map(str::to_owned),
    };
    let mut measurements: Vec<Measurement> = attempts.iter().flat_map(attempt_measurements).collect();
    measurements.push(Measurement {
        instrument: instruments::TOKEN_FETCHES,
        kind: InstrumentKind::Counter,
        unit: "{fetch}",
        description: "Akool token fetches (getToken), each shared by the calls that needed the token meanwhile",
        value: 1.0,
        attributes: outcome,
        boundaries: None,
    });
    TokenFetchReport {
        attempts: attempts.iter().map(|a| attempt_span(a, SpanParent::TokenFetch)).collect(),
        span,
        measurements,
        fetch,
    }
}

fn attempt_span(attempt: &AttemptRecord, parent: SpanParent) -> SpanData {
    let method = attempt.method.as_str();
    let mut attributes: Attributes = vec![
        (HTTP_REQUEST_METHOD, AttributeValue::Str(method.to_owned())),
        (SERVER_ADDRESS, AttributeValue::Str(attempt.server_address.clone())),
        (SERVER_PORT, AttributeValue::Int(i64::from(attempt.server_port))),
        (URL_FULL, AttributeValue::Str(attempt.url.clone())),
    ];
    if attempt.resend_count > 0 {
        attributes.push((HTTP_REQUEST_RESEND_COUNT, AttributeValue::Int(i64::from(attempt.resend_count))));
    }
    if let Some(status) = attempt.status {
        attributes.push((HTTP_RESPONSE_STATUS_CODE, AttributeValue::Int(i64::from(status))));
    }
    let error_type = error_type(attempt);
    if let Some(error) = &error_type {
        attributes.push((ERROR_TYPE, AttributeValue::Str(error.clone())));
    }
    if let Some((reason, retry_after)) = attempt.retried {
        attributes.push((RETRY_REASON, AttributeValue::Str(reason.name().to_owned())));
        if let Some(wait) = retry_after {
            attributes.push((RETRY_AFTER, AttributeValue::Double(wait.as_secs_f64())));
        }
    }
    SpanData {
        name: method.to_owned(),
        kind: SpanKind::Client,
        parent,
        start: attempt.start,
        end: attempt.end,
        attributes,
        error_type,
    }
}

/// The conventions' `error.type` of an attempt: the status code of an answer of 400 or more, else the kind of the
/// failure when no answer came.
fn error_type(attempt: &AttemptRecord) -> Option<String> {
    match (attempt.status, attempt.failure) {
        (Some(status), _) if status >= 400 => Some(status.to_string()),
        (None, Some(kind)) => Some(kind.to_owned()),
        _ => None,
    }
}

fn attempt_measurements(attempt: &AttemptRecord) -> Vec<Measurement> {
    let mut attributes: Attributes = vec![
        (HTTP_REQUEST_METHOD, AttributeValue::Str(attempt.method.as_str().to_owned())),
        (SERVER_ADDRESS, AttributeValue::Str(attempt.server_address.clone())),
        (SERVER_PORT, AttributeValue::Int(i64::from(attempt.server_port))),
    ];
    if let Some(status) = attempt.status {
        attributes.push((HTTP_RESPONSE_STATUS_CODE, AttributeValue::Int(i64::from(status))));
    }
    if let Some(error) = error_type(attempt) {
        attributes.push((ERROR_TYPE, AttributeValue::Str(error)));
    }
    let seconds = attempt.end.duration_since(attempt.start).unwrap_or(Duration::ZERO).as_secs_f64();
    let mut measurements = vec![Measurement {
        instrument: instruments::HTTP_CLIENT_REQUEST_DURATION,
        kind: InstrumentKind::Histogram,
        unit: "s",
        description: "Duration of HTTP client requests.",
        value: seconds,
        attributes,
        boundaries: Some(&instruments::DURATION_BOUNDARIES),
    }];
    if let Some((reason, _)) = attempt.retried {
        measurements.push(Measurement {
            instrument: instruments::RETRIES,
            kind: InstrumentKind::Counter,
            unit: "{retry}",
            description: "HTTP attempts that were followed by another, by reason",
            value: 1.0,
            attributes: vec![
                (RETRY_REASON, AttributeValue::Str(reason.name().to_owned())),
                (SERVER_ADDRESS, AttributeValue::Str(attempt.server_address.clone())),
            ],
            boundaries: None,
        });
    }
    measurements
}

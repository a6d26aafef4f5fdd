//! The core's telemetry hook (`tokensmith::telemetry::Hook`), implemented by the host language: the JVM package
//! bridges it to OpenTelemetry's API (`TokensmithTelemetry`), a Swift program to its own tracing. The report
//! crosses as records; the shared token fetch as an object, to claim, publish or wait for.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokensmith::telemetry::{
    self, AttributeValue, Attributes, CallReport, HookStart, InstrumentKind, Measurement, SpanData, SpanKind,
    TokenFetch, TokenFetchReport,
};

/// What `TelemetryHook.start` returns for a call it traces.
#[derive(Clone, Debug, uniffi::Record)]
pub struct TelemetryStart {
    /// The hook's own number for the call, given back to `finish`.
    pub handle: i64,
    /// The operation span's propagation headers (`traceparent`, `tracestate`), sent on every attempt.
    pub propagation: HashMap<String, String>,
    /// Keep `propagation` as the token fetch's parent and the log records' ids, but send it to no vendor (the
    /// hook's "do not propagate").
    #[uniffi(default = false)]
    pub unsent: bool,
}

/// An attribute's value.
#[derive(Clone, Debug, PartialEq, uniffi::Enum)]
pub enum TelemetryValue {
    /// A string.
    Text {
        /// The value.
        value: String,
    },
    /// An integer.
    Integer {
        /// The value.
        value: i64,
    },
    /// A boolean.
    Boolean {
        /// The value.
        value: bool,
    },
    /// A floating-point number.
    Double {
        /// The value.
        value: f64,
    },
}

/// One attribute.
#[derive(Clone, Debug, uniffi::Record)]
pub struct TelemetryAttribute {
    /// Its key (`http.request.method`, `tokensmith.attempts`, ...).
    pub key: String,
    /// Its value.
    pub value: TelemetryValue,
}

/// A finished span: an HTTP attempt, or the token fetch.
#[derive(Clone, Debug, uniffi::Record)]
pub struct TelemetrySpan {
    /// Its name (the HTTP method for an attempt).
    pub name: String,
    /// Whether it is a client span (an HTTP attempt), else internal (the token fetch).
    pub client: bool,
    /// When it started, in nanoseconds since the epoch.
    pub start_epoch_nanos: i64,
    /// When it ended, in nanoseconds since the epoch.
    pub end_epoch_nanos: i64,
    /// Its attributes.
    pub attributes: Vec<TelemetryAttribute>,
    /// Set when it failed: its status is then an error, with this description.
    pub error_type: Option<String>,
}

/// One value for a metric instrument.
#[derive(Clone, Debug, uniffi::Record)]
pub struct TelemetryMeasurement {
    /// The instrument's name.
    pub instrument: String,
    /// Whether it is a histogram, else a counter.
    pub histogram: bool,
    /// Its unit.
    pub unit: String,
    /// Its description.
    pub description: String,
    /// The value.
    pub value: f64,
    /// The value's attributes.
    pub attributes: Vec<TelemetryAttribute>,
    /// A histogram's bucket boundaries, as advice to the SDK.
    pub boundaries: Option<Vec<f64>>,
}

/// A token fetch shared by single flight: the first call to report it makes its span (under the leader's
/// context) and publishes the span's context; the others link to it.
#[derive(Debug, uniffi::Object)]
pub struct TelemetryTokenFetch(TokenFetch);

#[uniffi::export]
impl TelemetryTokenFetch {
    /// Tells fetches apart within the process.
    pub fn id(&self) -> u64 {
        self.0.id()
    }

    /// Whether this call started the fetch (its operation span is the fetch's parent; it does not link).
    pub fn is_leader(&self) -> bool {
        self.0.is_leader()
    }

    /// The leader's propagation headers if this call is the first to report the fetch (make its span, then
    /// `publish` or `abandon` at once), else null.
    pub fn claim(&self) -> Option<HashMap<String, String>> {
        self.0.claim().map(|headers| headers.into_iter().collect())
    }

    /// The made span's context as propagation headers, for the other calls to link to.
    pub fn publish(&self, headers: HashMap<String, String>) {
        self.0.publish(headers.into_iter().collect());
    }

    /// The claimant could not make the span.
    pub fn abandon(&self) {
        self.0.abandon();
    }

    /// The published span's context, waiting a moment at most (the core's bound, the same in every language);
    /// null if abandoned or late.
    pub fn wait(&self) -> Option<HashMap<String, String>> {
        self.0.wait().map(|headers| headers.into_iter().collect())
    }
}

/// The token fetch a call took part in.
#[derive(Clone, Debug, uniffi::Record)]
pub struct TelemetryTokenFetchReport {
    /// Who reports it.
    pub fetch: Arc<TelemetryTokenFetch>,
    /// Its span (parent: the leader's operation span).
    pub span: TelemetrySpan,
    /// Its HTTP attempts (parent: the fetch's span).
    pub attempts: Vec<TelemetrySpan>,
    /// Its measurements, recorded by the call that claims it.
    pub measurements: Vec<TelemetryMeasurement>,
}

/// What one call did.
#[derive(Clone, Debug, uniffi::Record)]
pub struct TelemetryReport {
    /// The operation span's name (`akool.request`, ...).
    pub operation: String,
    /// Attributes for the operation span.
    pub attributes: Vec<TelemetryAttribute>,
    /// The error kind's name when the call failed (or `Cancelled`).
    pub error_type: Option<String>,
    /// The HTTP attempts, children of the operation span.
    pub attempts: Vec<TelemetrySpan>,
    /// The call's measurements.
    pub measurements: Vec<TelemetryMeasurement>,
    /// The token fetch the call started or waited for.
    pub token_fetch: Option<TelemetryTokenFetchReport>,
}

/// A telemetry hook's failure: the call goes on untraced (telemetry never fails a call).
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum TelemetryError {
    /// The hook threw.
    #[error("the telemetry hook failed: {reason}")]
    Failed {
        /// What it threw.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for TelemetryError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Failed { reason: error.reason }
    }
}

/// Traces calls for the host language: `start` on the caller's thread (in its context) when a call starts,
/// `finish` when it ended. Must not block for long, nor call tokensmith. What it throws is ignored.
#[uniffi::export(with_foreign)]
pub trait TelemetryHook: Send + Sync {
    /// A call of `operation` starts: start its operation span and return its propagation headers, or null when
    /// not tracing (no SDK configured): the calls of the next second are then not offered to the hook, so an
    /// idle hook costs a call across the boundary once a second, not once a call.
    fn start(&self, operation: String) -> Result<Option<TelemetryStart>, TelemetryError>;
    /// The call of `handle` ended: make its attempt and token fetch spans, then end its operation span.
    fn finish(&self, handle: i64, report: TelemetryReport) -> Result<(), TelemetryError>;
}

/// Sets the process's telemetry hook, or removes it with null.
///
/// The hook it replaces is kept, not released: on the JVM it may belong to another class loader of the same
/// library (an application server's redeploy), whose callbacks this loader's cannot reach, and it is a few bytes.
#[uniffi::export]
pub fn set_telemetry_hook(hook: Option<Arc<dyn TelemetryHook>>) {
    let foreign = |hook| Foreign { hook, quiet_until: AtomicU64::new(0), epoch: Instant::now() };
    let replaced = telemetry::set_hook(hook.map(|hook| Arc::new(foreign(hook)) as Arc<dyn telemetry::Hook>));
    std::mem::forget(replaced);
}

/// Whether `TOKENSMITH_TELEMETRY` leaves telemetry on.
#[uniffi::export]
pub fn telemetry_enabled() -> bool {
    telemetry::enabled()
}

/// The foreign hook, offered calls again one second after it last declined one.
struct Foreign {
    hook: Arc<dyn TelemetryHook>,
    /// Until when (nanoseconds since `epoch`) calls are not offered; 0 while the hook traces.
    quiet_until: AtomicU64,
    epoch: Instant,
}

/// How long calls go untraced after the hook declined one.
const QUIET: Duration = Duration::from_secs(1);

impl telemetry::Hook for Foreign {
    fn start(&self, operation: &'static str) -> Option<HookStart> {
        let now = u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX);
        if now < self.quiet_until.load(Ordering::Relaxed) {
            return None;
        }
        let Some(started) = self.hook.start(operation.to_owned()).ok().flatten() else {
            let quiet = u64::try_from(QUIET.as_nanos()).unwrap_or(u64::MAX);
            self.quiet_until.store(now.saturating_add(quiet), Ordering::Relaxed);
            return None;
        };
        Some(HookStart {
            handle: started.handle as u64,
            propagation: started.propagation.into_iter().collect(),
            unsent: started.unsent,
        })
    }

    fn finish(&self, handle: u64, report: CallReport) {
        // A hook that threw has lost this call's spans; the call itself is unaffected.
        let _ = self.hook.finish(handle as i64, self::report(report));
    }
}

fn report(report: CallReport) -> TelemetryReport {
    TelemetryReport {
        operation: report.operation.to_owned(),
        attributes: attributes(&report.attributes),
        error_type: report.error_type.map(str::to_owned),
        attempts: report.attempts.iter().map(span).collect(),
        measurements: report.measurements.iter().map(measurement).collect(),
        token_fetch: report.token_fetch.map(token_fetch),
    }
}

fn token_fetch(report: TokenFetchReport) -> TelemetryTokenFetchReport {
    TelemetryTokenFetchReport {
        span: span(&report.span),
        attempts: report.attempts.iter().map(span).collect(),
        measurements: report.measurements.iter().map(measurement).collect(),
        fetch: Arc::new(TelemetryTokenFetch(report.fetch)),
    }
}

fn span(span: &SpanData) -> TelemetrySpan {
    TelemetrySpan {
        name: span.name.clone(),
        client: span.kind == SpanKind::Client,
        start_epoch_nanos: nanos(span.start),
        end_epoch_nanos: nanos(span.end),
        attributes: attributes(&span.attributes),
        error_type: span.error_type.clone(),
    }
}

fn measurement(m: &Measurement) -> TelemetryMeasurement {
    TelemetryMeasurement {
        instrument: m.instrument.to_owned(),
        histogram: m.kind == InstrumentKind::Histogram,
        unit: m.unit.to_owned(),
        description: m.description.to_owned(),
        value: m.value,
        attributes: attributes(&m.attributes),
        boundaries: m.boundaries.map(<[f64]>::to_vec),
    }
}

fn attributes(attributes: &Attributes) -> Vec<TelemetryAttribute> {
    attributes
        .iter()
        .map(|(key, value)| TelemetryAttribute {
            key: (*key).to_owned(),
            value: match value {
                AttributeValue::Str(v) => TelemetryValue::Text { value: v.clone() },
                AttributeValue::Int(v) => TelemetryValue::Integer { value: *v },
                AttributeValue::Bool(v) => TelemetryValue::Boolean { value: *v },
                AttributeValue::Double(v) => TelemetryValue::Double { value: *v },
            },
        })
        .collect()
}

/// Nanoseconds since the epoch (up to the year 2262).
fn nanos(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

//! With the cargo feature `opentelemetry`: every call reported through the `opentelemetry` crate's global tracer,
//! meter and propagator, with no code from the application. The bridge is the process's [`Hook`], installed on the
//! first call unless the application set a hook of its own. The operation span starts where the call's future is
//! made, as a child of `opentelemetry::Context::current()` (which `FutureExt::with_context` and `tracing`'s
//! OpenTelemetry layer keep per task); no SDK configured (the global provider is the API's no-op one) leaves calls
//! untraced at the cost of a no-op span.
//!
//! Why this crate and not `tracing`: the spans need their recorded start and end times and links added after start,
//! which `tracing`'s span model cannot give an OpenTelemetry layer; and depending on the API crate alone leaves the
//! SDK and exporter versions to the application.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};

use opentelemetry::global::{self, BoxedTracer};
use opentelemetry::metrics::{Counter, Histogram, Meter, MeterProvider};
use opentelemetry::trace::{SpanContext, SpanKind, Status, TraceContextExt, Tracer};
use opentelemetry::{Context, InstrumentationScope, KeyValue, Value};

use super::hook::{Hook, HookStart};
use super::report::{AttributeValue, Attributes, CallReport, InstrumentKind, Measurement, SpanData, TokenFetchReport};

/// The name tokensmith's tracer and meter carry.
const INSTRUMENTATION: &str = "tokensmith";

/// The hook that reports through the `opentelemetry` crate's globals.
#[derive(Default)]
pub(crate) struct OpenTelemetryHook {
    calls: Mutex<HashMap<u64, Context>>,
    handles: std::sync::atomic::AtomicU64,
}

/// The bridge, made once (installed by `hook::start` on the first call when no hook is set).
pub(crate) fn bridge() -> Arc<dyn Hook> {
    static BRIDGE: OnceLock<Arc<OpenTelemetryHook>> = OnceLock::new();
    BRIDGE.get_or_init(Arc::default).clone()
}

/// The scope tokensmith's tracer and meter carry: its name and version.
fn scope() -> InstrumentationScope {
    InstrumentationScope::builder(INSTRUMENTATION).with_version(env!("CARGO_PKG_VERSION")).build()
}

/// The global provider's tracer, taken per call: the application may set its provider after the first call.
fn tracer() -> BoxedTracer {
    global::tracer_with_scope(scope())
}

impl Hook for OpenTelemetryHook {
    fn start(&self, operation: &'static str) -> Option<HookStart> {
        let parent = Context::current();
        let tracer = tracer();
        let span = tracer.span_builder(operation).with_kind(SpanKind::Internal).start_with_context(&tracer, &parent);
        let context = parent.with_span(span);
        if !context.span().span_context().is_valid() {
            return None; // no SDK configured (an unsampled span still carries its context, sent on)
        }
        let mut propagation = HashMap::new();
        global::get_text_map_propagator(|propagator| propagator.inject_context(&context, &mut propagation));
        let handle = self.handles.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        self.calls.lock().unwrap_or_else(PoisonError::into_inner).insert(handle, context);
        Some(HookStart { handle, propagation: propagation.into_iter().collect(), unsent: false })
    }

    fn finish(&self, handle: u64, report: CallReport) {
        let Some(context) = self.calls.lock().unwrap_or_else(PoisonError::into_inner).remove(&handle) else { return };
        let span = context.span();
        span.set_attributes(key_values(&report.attributes));
        if let Some(error) = report.error_type {
            span.set_status(Status::error(error));
        }
        let tracer = tracer();
        for attempt in &report.attempts {
            finished(&tracer, attempt, &context);
        }
        record(&report.measurements);
        if let Some(fetch) = &report.token_fetch {
            if let Some(link) = token_fetch(&tracer, fetch, &context) {
                if !fetch.fetch.is_leader() {
                    span.add_link(link, Vec::new());
                }
            }
        }
        span.end();
    }
}

/// The span context of the shared token fetch: made here if this call claims it, else the claimant's.
fn token_fetch(tracer: &BoxedTracer, fetch: &TokenFetchReport, operation: &Context) -> Option<SpanContext> {
    let extract = |headers: Vec<(String, String)>| {
        let headers: HashMap<String, String> = headers.into_iter().collect();
        global::get_text_map_propagator(|propagator| propagator.extract(&headers))
    };
    let Some(parent_headers) = fetch.fetch.claim() else {
        let headers = fetch.fetch.wait()?;
        return Some(extract(headers).span().span_context().clone()).filter(SpanContext::is_valid);
    };
    let parent = if parent_headers.is_empty() { operation.clone() } else { extract(parent_headers) };
    let context = parent.with_span(finished_span(tracer, &fetch.span, &parent));
    // Published first: its context is known now, and the other calls wait for nothing else.
    let mut headers = HashMap::new();
    global::get_text_map_propagator(|propagator| propagator.inject_context(&context, &mut headers));
    fetch.fetch.publish(headers.into_iter().collect());
    for attempt in &fetch.attempts {
        finished(tracer, attempt, &context);
    }
    context.span().end_with_timestamp(fetch.span.end);
    record(&fetch.measurements);
    Some(context.span().span_context().clone())
}

fn finished_span(tracer: &BoxedTracer, data: &SpanData, parent: &Context) -> opentelemetry::global::BoxedSpan {
    let kind = if data.kind == super::report::SpanKind::Client { SpanKind::Client } else { SpanKind::Internal };
    let mut span = tracer
        .span_builder(data.name.clone())
        .with_kind(kind)
        .with_start_time(data.start)
        .with_attributes(key_values(&data.attributes))
        .start_with_context(tracer, parent);
    if let Some(error) = &data.error_type {
        opentelemetry::trace::Span::set_status(&mut span, Status::error(error.clone()));
    }
    span
}

fn finished(tracer: &BoxedTracer, data: &SpanData, parent: &Context) {
    let mut span = finished_span(tracer, data, parent);
    opentelemetry::trace::Span::end_with_timestamp(&mut span, data.end);
}

fn record(measurements: &[Measurement]) {
    if measurements.is_empty() {
        return;
    }
    let provider = global::meter_provider();
    let (instruments, stale) = {
        let mut cache = INSTRUMENTS.lock().unwrap_or_else(PoisonError::into_inner);
        let stale = match &*cache {
            Some(cached) if cached.built_by(&provider) => None,
            _ => cache.replace(Instruments::new(&provider)),
        };
        let cached = cache.get_or_insert_with(|| Instruments::new(&provider));
        let instruments: Vec<Instrument> = measurements.iter().map(|m| cached.get(m).clone()).collect();
        (instruments, stale)
    };
    // Outside the lock: the replaced provider's instruments may be the last of it, and an SDK provider dropped
    // for good shuts down, exporting what it holds.
    drop(stale);
    for (m, instrument) in measurements.iter().zip(instruments) {
        let attributes = key_values(&m.attributes);
        match instrument {
            Instrument::Histogram(histogram) => histogram.record(m.value, &attributes),
            Instrument::Counter(counter) => counter.add(m.value as u64, &attributes),
        }
    }
}

/// The instruments of the global meter provider they were built from: built once per instrument and provider (an
/// SDK looks a repeated build up by name, under a lock, on every record), built again when the application sets
/// another provider. Handles are taken under the lock and used after it, so calls record in parallel.
static INSTRUMENTS: Mutex<Option<Instruments>> = Mutex::new(None);

struct Instruments {
    /// The provider they were built from, weakly: the application's replaced provider is not kept alive by it (the
    /// weak count keeps its address from being reused, so the comparison stays sound).
    provider: Weak<dyn MeterProvider + Send + Sync>,
    meter: Meter,
    by_name: HashMap<&'static str, Instrument>,
}

#[derive(Clone)]
enum Instrument {
    Histogram(Histogram<f64>),
    Counter(Counter<u64>),
}

impl Instruments {
    fn new(provider: &Arc<dyn MeterProvider + Send + Sync>) -> Self {
        let meter = provider.meter_with_scope(scope());
        Self { provider: Arc::downgrade(provider), meter, by_name: HashMap::new() }
    }

    /// Whether they were built from `provider`.
    fn built_by(&self, provider: &Arc<dyn MeterProvider + Send + Sync>) -> bool {
        std::ptr::addr_eq(self.provider.as_ptr(), Arc::as_ptr(provider))
    }

    fn get(&mut self, m: &Measurement) -> &Instrument {
        let meter = &self.meter;
        self.by_name.entry(m.instrument).or_insert_with(|| match m.kind {
            InstrumentKind::Histogram => {
                let histogram = meter.f64_histogram(m.instrument).with_unit(m.unit).with_description(m.description);
                let histogram = match m.boundaries {
                    Some(boundaries) => histogram.with_boundaries(boundaries.to_vec()),
                    None => histogram,
                };
                Instrument::Histogram(histogram.build())
            }
            InstrumentKind::Counter => Instrument::Counter(
                meter.u64_counter(m.instrument).with_unit(m.unit).with_description(m.description).build(),
            ),
        })
    }
}

fn key_values(attributes: &Attributes) -> Vec<KeyValue> {
    attributes
        .iter()
        .map(|(key, value)| {
            let value = match value {
                AttributeValue::Str(v) => Value::from(v.clone()),
                AttributeValue::Int(v) => Value::from(*v),
                AttributeValue::Bool(v) => Value::from(*v),
                AttributeValue::Double(v) => Value::from(*v),
            };
            KeyValue::new(*key, value)
        })
        .collect()
}

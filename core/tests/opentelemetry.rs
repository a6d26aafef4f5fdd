//! The `opentelemetry` feature against the Rust SDK with its in-memory exporters: installed on the first call with
//! no code but the SDK's setup, the operation span is a child of the caller's context (a thread's, or a task's
//! through `FutureExt::with_context`), its attempts follow the conventions and every attempt sends its
//! `traceparent`, 64 concurrent first calls of method 2 show one token fetch linked from the others, an error sets
//! the status, the metrics reach the meter provider, log records carry the call's ids, and no secret appears in
//! any span or metric. Its own test binary, one test: the providers, the hook and the logger are global.
//! `cargo test -p tokensmith --features opentelemetry --test opentelemetry` (scripts/test runs it).

mod common;

use common::*;
use std::sync::Mutex;

use opentelemetry::trace::{FutureExt, Span, SpanKind, Status, TraceContextExt, Tracer};
use opentelemetry::{global, Context, KeyValue, Value};
use opentelemetry_sdk::metrics::data::{AggregatedMetrics, MetricData};
use opentelemetry_sdk::metrics::{InMemoryMetricExporter, PeriodicReader, SdkMeterProvider};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use serde_json::json;
use tokensmith::{AkoolCredentials, Method, Secret};

fn attribute(span: &SpanData, key: &str) -> Option<Value> {
    span.attributes.iter().find(|kv| kv.key.as_str() == key).map(|kv| kv.value.clone())
}

fn traceparent(span: &SpanData) -> String {
    let context = &span.span_context;
    format!("00-{}-{}-{:02x}", context.trace_id(), context.span_id(), context.trace_flags().to_u8())
}

/// The conformance suite's canary (tests/conformance/cases.json).
const CANARY: &str = "canary-5e1f-c0ffee-0042";

/// A log record's message, and its `trace_id` and `span_id` key-values.
type Record = (String, Option<String>, Option<String>);

/// Every log record.
struct CaptureLogger(Mutex<Vec<Record>>);

impl log::Log for CaptureLogger {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let value = |key| record.key_values().get(log::kv::Key::from_str(key)).map(|v| v.to_string());
        self.0.lock().unwrap().push((record.args().to_string(), value("trace_id"), value("span_id")));
    }
    fn flush(&self) {}
}

static LOGGER: CaptureLogger = CaptureLogger(Mutex::new(Vec::new()));

/// The sum of a counter's points whose attributes include `with`.
fn counted(metrics: &InMemoryMetricExporter, name: &str, with: &KeyValue) -> u64 {
    let mut total = 0;
    for resource in metrics.get_finished_metrics().unwrap() {
        for metric in resource.scope_metrics().flat_map(|s| s.metrics()).filter(|m| m.name() == name) {
            if let AggregatedMetrics::U64(MetricData::Sum(sum)) = metric.data() {
                total +=
                    sum.data_points().filter(|p| p.attributes().any(|kv| kv == with)).map(|p| p.value()).sum::<u64>();
            }
        }
    }
    total
}

/// How many durations the histogram holds whose attributes include `with`.
fn durations(metrics: &InMemoryMetricExporter, with: &KeyValue) -> u64 {
    let mut total = 0;
    for resource in metrics.get_finished_metrics().unwrap() {
        let all = resource.scope_metrics().flat_map(|s| s.metrics());
        for metric in all.filter(|m| m.name() == "http.client.request.duration") {
            if let AggregatedMetrics::F64(MetricData::Histogram(histogram)) = metric.data() {
                total += histogram
                    .data_points()
                    .filter(|p| p.attributes().any(|kv| kv == with))
                    .map(|p| p.count())
                    .sum::<u64>();
            }
        }
    }
    total
}

#[test]
fn calls_are_traced_through_the_global_providers_with_no_code_from_the_application() {
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder().with_simple_exporter(exporter.clone()).build();
    global::set_tracer_provider(provider.clone());
    global::set_text_map_propagator(TraceContextPropagator::new());
    let metrics = InMemoryMetricExporter::default();
    let meters = SdkMeterProvider::builder().with_reader(PeriodicReader::builder(metrics.clone()).build()).build();
    global::set_meter_provider(meters.clone());
    log::set_logger(&LOGGER).unwrap();
    log::set_max_level(log::LevelFilter::Debug);
    let mock = mock();
    let spans = |name: &str| -> Vec<SpanData> {
        exporter.get_finished_spans().unwrap().into_iter().filter(|s| s.name == name).collect()
    };

    // A retried call under the caller's span.
    mock.push_fault(json!({"kind": "status", "status": 503, "path": QUOTA, "times": 1, "retry_after": "0"})).unwrap();
    let tracer = global::tracer("test");
    let handler = tracer.start("handler");
    let handler_id = handler.span_context().span_id();
    let _guard = Context::current_with_span(handler).attach();
    akool_with_key(&mock).request(Method::Get, &format!("{QUOTA}?page=2"), None).unwrap();
    drop(_guard);
    let operation = spans("akool.request").pop().expect("the operation span");
    assert_eq!(operation.parent_span_id, handler_id);
    let attempts = spans("GET");
    assert_eq!(attempts.len(), 2);
    assert!(attempts.iter().all(|a| a.parent_span_id == operation.span_context.span_id()));
    assert_eq!(attempts[0].span_kind, SpanKind::Client);
    assert_eq!(attribute(&attempts[0], "http.response.status_code"), Some(Value::I64(503)));
    assert_eq!(attribute(&attempts[1], "http.request.resend_count"), Some(Value::I64(1)));
    assert_eq!(attribute(&attempts[0], "url.full"), Some(Value::from(format!("{}{QUOTA}", mock.base_url()))));
    let sent: Vec<_> = mock.requests(false).into_iter().map(|r| r["traceparent"].clone()).collect();
    assert_eq!(sent, vec![json!(traceparent(&operation)); 2], "every attempt sends the operation span's");
    // The call's log records carry its trace and operation span ids.
    let (trace_id, span_id) =
        (operation.span_context.trace_id().to_string(), operation.span_context.span_id().to_string());
    let records = std::mem::take(&mut *LOGGER.0.lock().unwrap());
    let retrying = records.iter().find(|r| r.0.starts_with("retrying GET")).expect("the retry's record");
    assert_eq!((retrying.1.as_deref(), retrying.2.as_deref()), (Some(trace_id.as_str()), Some(span_id.as_str())));
    // The metrics: two durations, one by its 503, and a retry by its reason.
    metrics.reset(); // each export holds the totals so far: read the latest alone
    meters.force_flush().unwrap();
    assert_eq!(durations(&metrics, &KeyValue::new("http.response.status_code", 503)), 1);
    assert_eq!(durations(&metrics, &KeyValue::new("http.response.status_code", 200)), 1);
    assert_eq!(counted(&metrics, "tokensmith.retries", &KeyValue::new("tokensmith.retry.reason", "status")), 1);

    // 64 first calls of method 2, tasks each in its request handler's context, share one fetch: one span, the
    // leader's child, linked from the others.
    mock.reset();
    exporter.reset();
    mock.push_fault(json!({"kind": "delay", "ms": 200, "path": GET_TOKEN})).unwrap();
    let client = akool_with_client_credentials(&mock).as_async().clone();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let handlers: Vec<opentelemetry::trace::SpanId> = runtime.block_on(async {
        let calls: Vec<_> = (0..64)
            .map(|_| {
                let handler = Context::current_with_span(tracer.start("handler"));
                let id = handler.span().span_context().span_id();
                let client = client.clone();
                let call = async move { client.request(Method::Get, QUOTA, None).await.unwrap() };
                (id, tokio::spawn(call.with_context(handler)))
            })
            .collect();
        let mut ids = Vec::new();
        for (id, call) in calls {
            call.await.unwrap();
            ids.push(id);
        }
        ids
    });
    assert_eq!(mock.count("POST", GET_TOKEN), 1);
    let fetches = spans("akool.get_token");
    assert_eq!(fetches.len(), 1, "one fetch span");
    let fetch = &fetches[0];
    let operations = spans("akool.request");
    assert_eq!(operations.len(), 64);
    let parents: std::collections::HashSet<_> = operations.iter().map(|o| o.parent_span_id).collect();
    assert_eq!(parents, handlers.into_iter().collect(), "each operation is its own handler's child");
    let leaders: Vec<_> = operations.iter().filter(|o| o.span_context.span_id() == fetch.parent_span_id).collect();
    assert_eq!(leaders.len(), 1);
    for other in operations.iter().filter(|o| o.span_context.span_id() != fetch.parent_span_id) {
        let links: Vec<_> = other.links.iter().map(|l| l.span_context.span_id()).collect();
        assert_eq!(links, vec![fetch.span_context.span_id()]);
    }
    metrics.reset(); // each export holds the totals so far: read the latest alone
    meters.force_flush().unwrap();
    assert_eq!(counted(&metrics, "tokensmith.token.fetches", &KeyValue::new("server.address", "127.0.0.1")), 1);

    // An error.
    exporter.reset();
    mock.push_fault(json!({"kind": "akool_code", "code": 1200, "path": QUOTA})).unwrap();
    akool_with_key(&mock).request(Method::Get, QUOTA, None).unwrap_err();
    let operation = spans("akool.request").pop().unwrap();
    assert!(matches!(operation.status, Status::Error { .. }));
    assert_eq!(attribute(&operation, "error.type"), Some(Value::from("AccountBanned")));

    // No secret in any span or metric: the canary as an API key, a client secret and a platform token, and in
    // bodies; the vendor echoes the credentials of one call back.
    exporter.reset();
    mock.reset();
    mock.push_fault(json!({"kind": "echo_auth", "path": SPECIFY_IMAGE})).unwrap();
    let secret =
        |id: &str| AkoolCredentials::ClientCredentials { client_id: id.into(), client_secret: Secret::new(CANARY) };
    let mut clients =
        vec![tokensmith::blocking::AkoolClient::new(AkoolCredentials::ApiKey(Secret::new(CANARY)), options(&mock))
            .unwrap()];
    clients.push(tokensmith::blocking::AkoolClient::new(secret("mock-client-id"), options(&mock)).unwrap());
    for client in &clients {
        for path in [QUOTA, SPECIFY_IMAGE] {
            let _ = client.request(Method::Post, path, Some(&json!({"secret": CANARY})));
        }
    }
    let platform = tokensmith::blocking::AceDataPlatform::new(CANARY, options(&mock)).unwrap();
    let _ = platform.create_credential(&tokensmith::NewCredential::new(tokensmith_mock::DEMO_APPLICATION_ID));
    metrics.reset(); // each export holds the totals so far: read the latest alone
    meters.force_flush().unwrap();
    let finished = exporter.get_finished_spans().unwrap();
    assert!(finished.len() >= 5, "the calls were traced: {finished:#?}");
    let text = format!("{finished:?} {:?}", metrics.get_finished_metrics().unwrap());
    assert!(!text.contains(CANARY), "the canary in telemetry: {text}");
    let records = LOGGER.0.lock().unwrap();
    assert!(!records.is_empty() && !format!("{records:?}").contains(CANARY), "the canary in a log record");
    provider.shutdown().unwrap();
    meters.shutdown().unwrap();
}

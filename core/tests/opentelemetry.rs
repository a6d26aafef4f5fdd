//! The `opentelemetry` feature against the Rust SDK with its in-memory exporter: installed on the first call with no
//! code but the SDK's setup, the operation span is a child of the caller's context, its attempts follow the
//! conventions and every attempt sends its `traceparent`, 16 first calls of method 2 show one token fetch linked from
//! the others, and an error sets the status. Its own test binary: the providers and the hook are global.
//! `cargo test -p tokensmith --features opentelemetry --test opentelemetry` (scripts/test runs it).

mod common;

use common::*;
use opentelemetry::trace::{Span, SpanKind, Status, TraceContextExt, Tracer};
use opentelemetry::{global, Context, Value};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use serde_json::json;
use tokensmith::Method;

fn attribute(span: &SpanData, key: &str) -> Option<Value> {
    span.attributes.iter().find(|kv| kv.key.as_str() == key).map(|kv| kv.value.clone())
}

fn traceparent(span: &SpanData) -> String {
    let context = &span.span_context;
    format!("00-{}-{}-{:02x}", context.trace_id(), context.span_id(), context.trace_flags().to_u8())
}

#[test]
fn calls_are_traced_through_the_global_providers_with_no_code_from_the_application() {
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder().with_simple_exporter(exporter.clone()).build();
    global::set_tracer_provider(provider.clone());
    global::set_text_map_propagator(TraceContextPropagator::new());
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

    // 16 first calls of method 2 share one fetch: one span, the leader's child, linked from the others.
    mock.reset();
    exporter.reset();
    mock.push_fault(json!({"kind": "delay", "ms": 200, "path": GET_TOKEN})).unwrap();
    let client = akool_with_client_credentials(&mock);
    std::thread::scope(|scope| {
        for _ in 0..16 {
            scope.spawn(|| client.request(Method::Get, QUOTA, None).unwrap());
        }
    });
    assert_eq!(mock.count("POST", GET_TOKEN), 1);
    let fetch = spans("akool.get_token").pop().expect("one fetch span");
    let operations = spans("akool.request");
    assert_eq!(operations.len(), 16);
    let leaders: Vec<_> = operations.iter().filter(|o| o.span_context.span_id() == fetch.parent_span_id).collect();
    assert_eq!(leaders.len(), 1);
    for other in operations.iter().filter(|o| o.span_context.span_id() != fetch.parent_span_id) {
        let links: Vec<_> = other.links.iter().map(|l| l.span_context.span_id()).collect();
        assert_eq!(links, vec![fetch.span_context.span_id()]);
    }

    // An error.
    exporter.reset();
    mock.push_fault(json!({"kind": "akool_code", "code": 1200, "path": QUOTA})).unwrap();
    akool_with_key(&mock).request(Method::Get, QUOTA, None).unwrap_err();
    let operation = spans("akool.request").pop().unwrap();
    assert!(matches!(operation.status, Status::Error { .. }));
    assert_eq!(attribute(&operation, "error.type"), Some(Value::from("AccountBanned")));
    provider.shutdown().unwrap();
}

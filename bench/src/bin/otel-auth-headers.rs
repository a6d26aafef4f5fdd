//! The telemetry section's Rust row: ns per `auth_headers()` with the token cached (no I/O), the core built with its
//! `opentelemetry` feature as a Rust application that wants tracing builds it. Unset, the bridge is installed on the
//! first call and finds no SDK (the API's no-op provider): each call makes a no-op span. `BENCH_TELEMETRY=on`
//! configures the SDK first, its spans dropped by the exporter (what telemetry costs the call, not an exporter).
//! `TOKENSMITH_TELEMETRY=off` is the off switch.
//!
//! `otel-auth-headers BASE ITERATIONS`; prints `{"ns_per_call": ...}`.

use std::time::Instant;

use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::trace::{SdkTracerProvider, SpanData, SpanExporter};
use tokensmith::blocking::AkoolClient;
use tokensmith::{AkoolCredentials, ClientOptions, Secret};

/// Takes the spans and keeps nothing.
#[derive(Debug)]
struct Dropping;

impl SpanExporter for Dropping {
    async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
        std::hint::black_box(batch);
        Ok(())
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(base), Some(iterations)) = (args.first(), args.get(1).and_then(|n| n.parse::<u32>().ok())) else {
        panic!("usage: otel-auth-headers BASE ITERATIONS");
    };
    if std::env::var("BENCH_TELEMETRY").as_deref() == Ok("on") {
        let provider = SdkTracerProvider::builder().with_simple_exporter(Dropping).build();
        opentelemetry::global::set_tracer_provider(provider);
        let propagator = opentelemetry_sdk::propagation::TraceContextPropagator::new();
        opentelemetry::global::set_text_map_propagator(propagator);
    }
    let credentials = AkoolCredentials::ClientCredentials {
        client_id: "mock-client-id".into(),
        client_secret: Secret::new("mock-api-key-0123456789abcdefghi"),
    };
    let client = AkoolClient::new(credentials, ClientOptions::default().with_base_url(base)).expect("a valid client");
    client.token().expect("the mock issues a token");
    let started = Instant::now();
    for _ in 0..iterations {
        std::hint::black_box(client.auth_headers().unwrap());
    }
    let ns = started.elapsed().as_nanos() as f64 / f64::from(iterations);
    println!("{{\"ns_per_call\": {ns}}}");
}

//! `tokensmith demo --trace`: the spans of each call, printed as a tree, as a console exporter would show them.
//! The demo has no OpenTelemetry SDK, so it plays the language's part itself: it makes the operation span's
//! `traceparent` (random ids), traces the call with the core's [`CallTrace`], and prints the report.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant, SystemTime};

use tokensmith::telemetry::{keys, AttributeValue, Attributes, CallReport, CallTrace, SpanData};
use tokensmith::{CallOptions, Result, WithCallOptions};

/// Traces the demo's calls when `--trace` is given.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TraceTree {
    pub(crate) on: bool,
}

impl TraceTree {
    /// Makes `call` on `client`, traced as `operation` when tracing is on, and prints its tree.
    pub(crate) fn call<C: WithCallOptions, T>(
        self,
        client: &C,
        operation: &'static str,
        call: impl FnOnce(&C) -> Result<T>,
    ) -> Result<T> {
        if !self.on {
            return call(client);
        }
        let (trace_id, span_id) = ((u128::from(random()) << 64) | u128::from(random()), random());
        let traceparent = format!("00-{trace_id:032x}-{span_id:016x}-01");
        let trace = CallTrace::new(operation, vec![("traceparent".into(), traceparent)]);
        let view = client.with_call_options(CallOptions::new().with_trace(trace.clone()))?;
        let started = Instant::now();
        let result = call(&view);
        print(&trace.report(), started.elapsed(), span_id);
        result
    }
}

fn print(report: &CallReport, took: Duration, span_id: u64) {
    let mut line = format!("    {} {}  span {span_id:016x}", report.operation, millis(took));
    line.push_str(&details(&report.attributes, &[keys::TOKEN_CACHED, keys::ERROR_TYPE, keys::AKOOL_CODE]));
    println!("{line}");
    let mut children: Vec<String> = Vec::new();
    if let Some(fetch) = &report.token_fetch {
        if fetch.fetch.claim().is_some() {
            let mut lines = vec![format!("{} {}", fetch.span.name, millis(span_time(&fetch.span)))];
            lines.extend(fetch.attempts.iter().map(|a| format!("    {}", attempt(a))));
            fetch.fetch.publish(Vec::new());
            children.push(lines.join("\n"));
        } else {
            children.push(format!("(linked to the token fetch #{} another call started)", fetch.fetch.id()));
        }
    }
    children.extend(report.attempts.iter().map(attempt));
    for (i, child) in children.iter().enumerate() {
        let (branch, rest) = if i + 1 == children.len() { ("└─ ", "   ") } else { ("├─ ", "│  ") };
        for (j, text) in child.lines().enumerate() {
            let text = text.strip_prefix("    ").map(|t| format!("└─ {t}")).unwrap_or_else(|| text.to_owned());
            println!("    {}{text}", if j == 0 { branch } else { rest });
        }
    }
}

fn attempt(span: &SpanData) -> String {
    let url = match find(&span.attributes, keys::URL_FULL) {
        Some(AttributeValue::Str(url)) => url.clone(),
        _ => String::new(),
    };
    let shown =
        [keys::HTTP_RESPONSE_STATUS_CODE, keys::HTTP_REQUEST_RESEND_COUNT, keys::ERROR_TYPE, keys::RETRY_REASON];
    format!("{} {url} {}{}", span.name, millis(span_time(span)), details(&span.attributes, &shown))
}

fn details(attributes: &Attributes, shown: &[&str]) -> String {
    shown.iter().filter_map(|key| find(attributes, key).map(|value| format!("  {key}={}", text(value)))).collect()
}

fn find<'a>(attributes: &'a Attributes, key: &str) -> Option<&'a AttributeValue> {
    attributes.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
}

fn text(value: &AttributeValue) -> String {
    match value {
        AttributeValue::Str(v) => v.clone(),
        AttributeValue::Int(v) => v.to_string(),
        AttributeValue::Bool(v) => v.to_string(),
        AttributeValue::Double(v) => v.to_string(),
    }
}

fn span_time(span: &SpanData) -> Duration {
    span.end.duration_since(span.start).unwrap_or(Duration::ZERO)
}

fn millis(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

/// A random 64-bit id (std's hasher keys are random per process and per `RandomState`).
fn random() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u128(SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_nanos());
    hasher.finish() | 1
}

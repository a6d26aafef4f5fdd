//! A [`CallReport`] as JSON, for the bindings that hand it over as text (Node, PHP's hook): the same fields and
//! names as the report, times as `[seconds, nanoseconds]` since the epoch (OpenTelemetry's `HrTime`; a JavaScript
//! number cannot hold nanoseconds since 1970), the token fetch as its `id` and `leader` flag (Node's addon keeps
//! the [`TokenFetch`](super::TokenFetch) by that id, to claim and publish; a PHP process has one call at a time).

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};

use super::report::{
    AttributeValue, Attributes, CallReport, InstrumentKind, Measurement, SpanData, SpanKind, SpanParent,
};

impl CallReport {
    /// The report as JSON (see the module's documentation).
    pub fn to_json(&self) -> Value {
        let token_fetch = self.token_fetch.as_ref().map(|fetch| {
            json!({
                "id": fetch.fetch.id(),
                "leader": fetch.fetch.is_leader(),
                "span": span(&fetch.span),
                "attempts": fetch.attempts.iter().map(span).collect::<Vec<_>>(),
                "measurements": fetch.measurements.iter().map(measurement).collect::<Vec<_>>(),
            })
        });
        json!({
            "operation": self.operation,
            "attributes": attributes(&self.attributes),
            "error_type": self.error_type,
            "attempts": self.attempts.iter().map(span).collect::<Vec<_>>(),
            "measurements": self.measurements.iter().map(measurement).collect::<Vec<_>>(),
            "token_fetch": token_fetch,
        })
    }
}

fn span(span: &SpanData) -> Value {
    json!({
        "name": span.name,
        "kind": if span.kind == SpanKind::Client { "client" } else { "internal" },
        "parent": if span.parent == SpanParent::Operation { "operation" } else { "token_fetch" },
        "start": hr_time(span.start),
        "end": hr_time(span.end),
        "attributes": attributes(&span.attributes),
        "error_type": span.error_type,
    })
}

fn measurement(m: &Measurement) -> Value {
    json!({
        "instrument": m.instrument,
        "kind": if m.kind == InstrumentKind::Histogram { "histogram" } else { "counter" },
        "unit": m.unit,
        "description": m.description,
        "value": m.value,
        "attributes": attributes(&m.attributes),
        "boundaries": m.boundaries,
    })
}

fn attributes(attributes: &Attributes) -> Value {
    let mut map = Map::new();
    for (key, value) in attributes {
        let value = match value {
            AttributeValue::Str(v) => json!(v),
            AttributeValue::Int(v) => json!(v),
            AttributeValue::Bool(v) => json!(v),
            AttributeValue::Double(v) => json!(v),
        };
        map.insert((*key).to_owned(), value);
    }
    Value::Object(map)
}

/// `[seconds, nanoseconds]` since the epoch.
fn hr_time(time: SystemTime) -> Value {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    json!([since.as_secs(), since.subsec_nanos()])
}

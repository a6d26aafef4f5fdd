//! A [`CallReport`] as data (`serde::Serialize`), for the bindings that hand it over whole rather than as typed
//! records: Node and PHP's hook as JSON text ([`CallReport::to_json`]), Python as dicts (through `pythonize`). The
//! field names are the report's; times are `[seconds, nanoseconds]` since the epoch (OpenTelemetry's `HrTime`: a
//! JavaScript number cannot hold nanoseconds since 1970); the token fetch is its `id` and `leader` flag (Node's
//! addon keeps the [`TokenFetch`](super::TokenFetch) by that id, to claim and publish; Python's binding adds the
//! object itself).

use std::time::{SystemTime, UNIX_EPOCH};

use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;
use serde_json::Value;

use super::report::{
    AttributeValue, Attributes, CallReport, InstrumentKind, Measurement, SpanData, SpanKind, SpanParent,
    TokenFetchReport,
};

impl CallReport {
    /// The report as JSON (see the module's documentation).
    pub fn to_json(&self) -> Value {
        // Nothing in a report fails to serialize: its keys are strings, and a float that JSON cannot hold is null.
        serde_json::to_value(self).unwrap_or_default()
    }
}

impl Serialize for CallReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(6))?;
        map.serialize_entry("operation", self.operation)?;
        map.serialize_entry("attributes", &AttributeMap(&self.attributes))?;
        map.serialize_entry("error_type", &self.error_type)?;
        map.serialize_entry("attempts", &self.attempts)?;
        map.serialize_entry("measurements", &self.measurements)?;
        map.serialize_entry("token_fetch", &self.token_fetch)?;
        map.end()
    }
}

impl Serialize for TokenFetchReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(5))?;
        map.serialize_entry("id", &self.fetch.id())?;
        map.serialize_entry("leader", &self.fetch.is_leader())?;
        map.serialize_entry("span", &self.span)?;
        map.serialize_entry("attempts", &self.attempts)?;
        map.serialize_entry("measurements", &self.measurements)?;
        map.end()
    }
}

impl Serialize for SpanData {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(7))?;
        map.serialize_entry("name", &self.name)?;
        map.serialize_entry("kind", if self.kind == SpanKind::Client { "client" } else { "internal" })?;
        map.serialize_entry("parent", if self.parent == SpanParent::Operation { "operation" } else { "token_fetch" })?;
        map.serialize_entry("start", &HrTime(self.start))?;
        map.serialize_entry("end", &HrTime(self.end))?;
        map.serialize_entry("attributes", &AttributeMap(&self.attributes))?;
        map.serialize_entry("error_type", &self.error_type)?;
        map.end()
    }
}

impl Serialize for Measurement {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(7))?;
        map.serialize_entry("instrument", self.instrument)?;
        map.serialize_entry("kind", if self.kind == InstrumentKind::Histogram { "histogram" } else { "counter" })?;
        map.serialize_entry("unit", self.unit)?;
        map.serialize_entry("description", self.description)?;
        map.serialize_entry("value", &self.value)?;
        map.serialize_entry("attributes", &AttributeMap(&self.attributes))?;
        map.serialize_entry("boundaries", &self.boundaries)?;
        map.end()
    }
}

/// Attributes as a map from key to its plain value.
struct AttributeMap<'a>(&'a Attributes);

impl Serialize for AttributeMap<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in self.0 {
            match value {
                AttributeValue::Str(v) => map.serialize_entry(key, v)?,
                AttributeValue::Int(v) => map.serialize_entry(key, v)?,
                AttributeValue::Bool(v) => map.serialize_entry(key, v)?,
                AttributeValue::Double(v) => map.serialize_entry(key, v)?,
            }
        }
        map.end()
    }
}

/// `[seconds, nanoseconds]` since the epoch.
struct HrTime(SystemTime);

impl Serialize for HrTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let since = self.0.duration_since(UNIX_EPOCH).unwrap_or_default();
        let mut pair = serializer.serialize_seq(Some(2))?;
        pair.serialize_element(&since.as_secs())?;
        pair.serialize_element(&since.subsec_nanos())?;
        pair.end()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::super::flight::{FlightTrace, TokenFetch};
    use super::*;

    fn span(name: &str, parent: SpanParent) -> SpanData {
        let start = UNIX_EPOCH + Duration::new(1_700_000_000, 5);
        SpanData {
            name: name.to_owned(),
            kind: SpanKind::Client,
            parent,
            start,
            end: start + Duration::from_nanos(10),
            attributes: vec![("http.response.status_code", AttributeValue::Int(503))],
            error_type: Some("503".to_owned()),
        }
    }

    #[test]
    fn a_report_reads_as_its_fields_with_hr_times_and_the_fetch_by_id() {
        let report = CallReport {
            operation: "akool.request",
            attributes: vec![("tokensmith.token.cached", AttributeValue::Bool(false))],
            error_type: None,
            attempts: vec![span("GET", SpanParent::Operation)],
            measurements: vec![Measurement {
                instrument: "tokensmith.retries",
                kind: InstrumentKind::Counter,
                unit: "{retry}",
                description: "retries",
                value: 1.0,
                attributes: vec![("tokensmith.retry.reason", AttributeValue::Str("status".to_owned()))],
                boundaries: None,
            }],
            token_fetch: Some(TokenFetchReport {
                fetch: TokenFetch { flight: FlightTrace::new(9, Vec::new(), true), leader: true },
                span: span("akool.get_token", SpanParent::Operation),
                attempts: vec![span("POST", SpanParent::TokenFetch)],
                measurements: Vec::new(),
            }),
        };
        let json = report.to_json();
        assert_eq!(json["operation"], "akool.request");
        assert_eq!(json["attributes"], json!({"tokensmith.token.cached": false}));
        assert_eq!(json["error_type"], Value::Null);
        let attempt = &json["attempts"][0];
        assert_eq!(attempt["start"], json!([1_700_000_000u64, 5]));
        assert_eq!(attempt["end"], json!([1_700_000_000u64, 15]));
        assert_eq!(
            (&attempt["kind"], &attempt["parent"], &attempt["error_type"]),
            (&json!("client"), &json!("operation"), &json!("503"))
        );
        assert_eq!(json["measurements"][0]["kind"], "counter");
        assert_eq!(json["measurements"][0]["attributes"]["tokensmith.retry.reason"], "status");
        let fetch = &json["token_fetch"];
        assert_eq!((&fetch["id"], &fetch["leader"]), (&json!(9), &json!(true)));
        assert_eq!(fetch["attempts"][0]["parent"], "token_fetch");
    }
}

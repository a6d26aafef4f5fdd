//! The requests the mock has seen, as tests read them back: method, path with its query, headers and JSON body.
//! Credentials are replaced by [`REDACTED`] unless a test asks to see them, so a test's log or assertion message
//! never shows one by accident.

use std::collections::VecDeque;

use serde_json::{json, Map, Value};

use crate::http::Incoming;

/// How many of the latest requests are kept; a soak test sends far more, and only the last ones matter.
pub(crate) const KEPT: usize = 1000;

/// What stands in for a credential.
pub(crate) const REDACTED: &str = "** redacted **";

/// Headers that carry credentials.
const SECRET_HEADERS: [&str; 4] = ["authorization", "x-api-key", "proxy-authorization", "cookie"];

/// Body fields that carry credentials (Akool's getToken).
const SECRET_FIELDS: [&str; 1] = ["clientSecret"];

/// One request as it arrived.
#[derive(Debug)]
struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    json: Option<Value>,
}

/// The latest requests, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Seen(VecDeque<Request>);

impl Seen {
    pub(crate) fn record(&mut self, incoming: &Incoming) {
        if self.0.len() == KEPT {
            self.0.pop_front();
        }
        let headers = incoming
            .headers
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            .collect();
        let path = match &incoming.query {
            Some(query) => format!("{}?{query}", incoming.path),
            None => incoming.path.clone(),
        };
        self.0.push_back(Request {
            method: incoming.method.clone(),
            path,
            headers,
            json: incoming.json().ok().flatten(),
        });
    }

    /// The requests as JSON, credentials redacted unless `reveal`.
    pub(crate) fn to_json(&self, reveal: bool) -> Value {
        Value::Array(self.0.iter().map(|request| describe(request, reveal)).collect())
    }
}

fn describe(request: &Request, reveal: bool) -> Value {
    let mut headers = Map::new();
    for (name, value) in &request.headers {
        let secret = !reveal && SECRET_HEADERS.contains(&name.as_str());
        headers.insert(name.clone(), if secret { REDACTED.into() } else { value.clone().into() });
    }
    let mut body = request.json.clone();
    if let (Some(Value::Object(fields)), false) = (&mut body, reveal) {
        for field in SECRET_FIELDS {
            if let Some(value) = fields.get_mut(field) {
                *value = REDACTED.into();
            }
        }
    }
    // The W3C trace context the client sent, on its own for the telemetry tests of every language (null when
    // none was sent).
    let header = |name: &str| request.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    json!({
        "method": request.method,
        "path": request.path,
        "headers": headers,
        "json": body,
        "traceparent": header("traceparent"),
        "tracestate": header("tracestate"),
    })
}

//! The requests the mock has seen, as tests read them back (`GET /__mock/state`, field `requests`): method, path
//! with its query, headers and JSON body, with every credential replaced by [`REDACTED`] so a test's log or
//! assertion message never shows one.

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

/// The latest requests, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Seen(VecDeque<Value>);

impl Seen {
    pub(crate) fn record(&mut self, incoming: &Incoming) {
        if self.0.len() == KEPT {
            self.0.pop_front();
        }
        self.0.push_back(describe(incoming));
    }

    pub(crate) fn to_json(&self) -> Value {
        Value::Array(self.0.iter().cloned().collect())
    }
}

fn describe(incoming: &Incoming) -> Value {
    let mut headers = Map::new();
    for (name, value) in &incoming.headers {
        let value = if SECRET_HEADERS.contains(&name.as_str()) {
            REDACTED.to_owned()
        } else {
            String::from_utf8_lossy(value.as_bytes()).into_owned()
        };
        headers.insert(name.as_str().to_owned(), value.into());
    }
    let mut body = incoming.json().ok().flatten();
    if let Some(Value::Object(fields)) = &mut body {
        for field in SECRET_FIELDS {
            if let Some(value) = fields.get_mut(field) {
                *value = REDACTED.into();
            }
        }
    }
    let path = match &incoming.query {
        Some(query) => format!("{}?{query}", incoming.path),
        None => incoming.path.clone(),
    };
    json!({"method": incoming.method, "path": path, "headers": headers, "json": body})
}

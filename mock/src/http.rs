//! Small helpers shared by the handlers: the request as the mock sees it, and JSON answers.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use hyper::{Response, StatusCode};
use serde_json::Value;

/// The answer type of every handler.
pub(crate) type Answer = Response<Full<Bytes>>;

/// A request read whole.
#[derive(Debug)]
pub(crate) struct Incoming {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Option<String>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Incoming {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as JSON: `Ok(None)` when empty, `Err` when it is not JSON.
    pub(crate) fn json(&self) -> Result<Option<Value>, String> {
        if self.body.is_empty() {
            return Ok(None);
        }
        serde_json::from_slice(&self.body).map(Some).map_err(|e| format!("body is not JSON: {e}"))
    }

    /// One query parameter.
    pub(crate) fn query_param(&self, name: &str) -> Option<String> {
        self.query.as_deref()?.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (key == name).then(|| percent_decode(value))
        })
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match u8::from_str_radix(&text[i + 1..i + 3], 16) {
                Ok(byte) => {
                    out.push(byte);
                    i += 3;
                    continue;
                }
                Err(_) => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A JSON answer.
pub(crate) fn json(status: u16, body: &Value) -> Answer {
    raw(status, Bytes::from(body.to_string()))
}

/// An answer with a body that claims to be JSON, whatever it holds.
pub(crate) fn raw(status: u16, body: Bytes) -> Answer {
    let mut answer = Response::new(Full::new(body));
    *answer.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    answer.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    answer
}

/// An empty answer (204 and the like).
pub(crate) fn empty(status: u16) -> Answer {
    let mut answer = Response::new(Full::new(Bytes::new()));
    *answer.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_params_are_decoded() {
        let incoming = Incoming {
            method: "GET".into(),
            path: "/".into(),
            query: Some("a=1&host=x%2Ey&b".into()),
            headers: HeaderMap::new(),
            body: Bytes::new(),
        };
        assert_eq!(incoming.query_param("host").as_deref(), Some("x.y"));
        assert_eq!(incoming.query_param("b").as_deref(), Some(""));
        assert_eq!(incoming.query_param("c"), None);
    }
}

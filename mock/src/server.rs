//! The dispatch (admin endpoints, faults, then the vendor handlers) and the foreign origin.
//!
//! Two listeners share the state: the API origin ([`crate::listener`], each connection watched by
//! [`crate::connection`]), and a second "foreign" origin that cross-origin redirect faults point at. The foreign
//! origin records whether a credential header ever reached it.

use std::convert::Infallible;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming as Body;
use hyper::header::{HeaderName, HeaderValue, LOCATION, RETRY_AFTER};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::Request;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::connection_state::{Connection, Ending};
use crate::faults::{FaultAction, FaultRule, RedirectTarget};
use crate::http::{self, Answer, Incoming};
use crate::state::State;
use crate::{acedata, akool, applications, webhook};

/// The largest request body the mock reads.
const MAX_REQUEST_BODY: usize = 1024 * 1024;
/// The size of an `oversized` answer when the fault names none: above the client's 16 MiB cap.
const DEFAULT_OVERSIZED: usize = 17 * 1024 * 1024;

/// What the dispatch needs: the shared state, where the foreign origin listens, and the connections' settings.
#[derive(Debug)]
pub(crate) struct Context {
    pub(crate) state: State,
    pub(crate) foreign_origin: String,
    /// How long a keep-alive connection of the API origin may stay idle before the mock closes it (never when
    /// `None`); a watch, so that open connections follow a change at once.
    pub(crate) idle_close: watch::Sender<Option<Duration>>,
}

impl Context {
    /// Forgets everything the state holds, and turns idle close off: the next test starts from a plain server.
    pub(crate) fn reset(&self) {
        self.state.lock().reset();
        self.idle_close.send_replace(None);
    }
}

/// Returned by the service to make hyper close the connection without answering.
#[derive(Debug)]
pub(crate) struct DropConnection;

impl fmt::Display for DropConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by a mock fault")
    }
}

impl std::error::Error for DropConnection {}

/// Serves the foreign origin: answers a success envelope and records any credential header it receives.
pub(crate) async fn serve_foreign(listener: TcpListener, context: Arc<Context>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        let context = context.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request: Request<Body>| {
                let context = context.clone();
                async move {
                    let carries_credential =
                        request.headers().contains_key("authorization") || request.headers().contains_key("x-api-key");
                    let mut state = context.state.lock();
                    state.foreign_requests += 1;
                    state.foreign_auth_headers += u64::from(carries_credential);
                    Ok::<_, Infallible>(http::json(200, &json!({"code": 1000, "msg": "OK", "data": {"foreign": true}})))
                }
            });
            let _ = connection_builder().serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

/// The HTTP/1 settings of both listeners. No vectored writes: `writev` on a socket the client already closed (a
/// client timeout) raises SIGPIPE, which kills a host process that does not ignore it (a Swift test runner, with
/// the mock in-process); plain writes are sent with `MSG_NOSIGNAL` and fail with an error instead.
pub(crate) fn connection_builder() -> http1::Builder {
    let mut builder = http1::Builder::new();
    builder.writev(false);
    builder
}

/// Answers one request of the API origin that arrived on `connection`, or drops the connection.
pub(crate) async fn dispatch(
    context: Arc<Context>,
    connection: Arc<Connection>,
    request: Request<Body>,
) -> Result<Answer, DropConnection> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_REQUEST_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Ok(http::json(413, &json!({"detail": "Request body too large."}))),
    };
    let incoming = Incoming {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body,
    };
    if incoming.path.starts_with("/__mock/") {
        return Ok(admin(&context, &incoming).await);
    }
    let fault = {
        let mut state = context.state.lock();
        *state.counts.entry(format!("{} {}", incoming.method, incoming.path)).or_default() += 1;
        state.seen.record(&incoming);
        state.faults.take(&incoming.method, &incoming.path)
    };
    let Some(fault) = fault else {
        return Ok(route(&context.state, &incoming, false));
    };
    match fault {
        FaultAction::Delay { ms } => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            Ok(route(&context.state, &incoming, false))
        }
        FaultAction::DropBefore => Err(DropConnection),
        FaultAction::Reset => {
            connection.end(Ending::Reset);
            Err(DropConnection)
        }
        FaultAction::DropAfter => {
            route(&context.state, &incoming, false);
            Err(DropConnection)
        }
        FaultAction::CloseAfter => {
            connection.end(Ending::AfterAnswer);
            Ok(route(&context.state, &incoming, false))
        }
        FaultAction::LegacyList => Ok(route(&context.state, &incoming, true)),
        FaultAction::Status { status, retry_after, body, headers } => {
            let body = body.unwrap_or_else(
                || json!({"error": {"code": "mock_fault", "message": format!("injected status {status}")}}),
            );
            let mut answer = http::json(status, &body);
            if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(&v).ok()) {
                answer.headers_mut().insert(RETRY_AFTER, value);
            }
            for (name, value) in headers {
                if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&value))
                {
                    answer.headers_mut().insert(name, value);
                }
            }
            Ok(answer)
        }
        FaultAction::AkoolCode { code, msg } => {
            Ok(akool::failure(code, msg.as_deref().unwrap_or(akool::message_for(code))))
        }
        FaultAction::Malformed => Ok(http::raw(200, Bytes::from_static(b"{\"code\": 1000, \"data\": {\"trunc"))),
        FaultAction::Oversized { bytes } => {
            Ok(http::raw(200, Bytes::from(vec![b' '; bytes.unwrap_or(DEFAULT_OVERSIZED)])))
        }
        FaultAction::Redirect { target } => {
            let origin = match target {
                RedirectTarget::Other => context.foreign_origin.clone(),
                RedirectTarget::Same => String::new(),
            };
            let query = match (target, &incoming.query) {
                (RedirectTarget::Same, Some(q)) => format!("?{q}&redirected=1"),
                (RedirectTarget::Same, None) => "?redirected=1".to_owned(),
                (RedirectTarget::Other, Some(q)) => format!("?{q}"),
                (RedirectTarget::Other, None) => String::new(),
            };
            let mut answer = http::empty(307);
            if let Ok(location) = HeaderValue::from_str(&format!("{origin}{}{query}", incoming.path)) {
                answer.headers_mut().insert(LOCATION, location);
            }
            Ok(answer)
        }
        FaultAction::EchoAuth => {
            let sent = incoming.header("x-api-key").or(incoming.header("authorization")).unwrap_or("nothing");
            Ok(if incoming.path.starts_with("/api/open/") {
                akool::failure(1101, &format!("Invalid authorization: {sent}"))
            } else {
                http::json(
                    401,
                    &json!({"error": {"code": "invalid_token", "message": format!("invalid token {sent}")}}),
                )
            })
        }
    }
}

fn route(state: &State, incoming: &Incoming, legacy_list: bool) -> Answer {
    if incoming.path.starts_with("/api/open/") {
        akool::handle(state, incoming)
    } else if incoming.path.starts_with("/api/v1/applications/") {
        applications::handle(incoming)
    } else if incoming.path.starts_with("/api/v1/") {
        acedata::handle(state, incoming, legacy_list)
    } else {
        http::json(404, &json!({"detail": "Not found."}))
    }
}

/// `GET /__mock/state`, `GET /__mock/requests`, `POST /__mock/faults`, `POST /__mock/webhook`,
/// `POST /__mock/tenants`, `POST /__mock/connections`, `POST /__mock/expire-tokens`, `POST /__mock/reset`.
async fn admin(context: &Context, incoming: &Incoming) -> Answer {
    match (incoming.method.as_str(), incoming.path.as_str()) {
        ("GET", "/__mock/state") => http::json(200, &context.state.lock().snapshot()),
        ("GET", "/__mock/requests") => {
            let reveal = incoming.query_param("reveal").is_some_and(|v| v == "1" || v == "true");
            http::json(200, &context.state.lock().seen.to_json(reveal))
        }
        ("POST", "/__mock/webhook") => {
            let Ok(Some(request)) = incoming.json() else {
                return http::json(400, &json!({"detail": "{\"url\", \"payload\"} is required"}));
            };
            let (Some(url), Some(payload)) = (request["url"].as_str(), request.get("payload")) else {
                return http::json(400, &json!({"detail": "{\"url\", \"payload\"} is required"}));
            };
            match webhook::send(url, payload).await {
                Ok(status) => http::json(200, &json!({"status": status})),
                Err(detail) => http::json(400, &json!({"detail": detail})),
            }
        }
        ("POST", "/__mock/faults") => {
            let rules: Result<Vec<FaultRule>, _> = match incoming.json() {
                Ok(Some(Value::Array(items))) => items.into_iter().map(serde_json::from_value).collect(),
                Ok(Some(item)) => serde_json::from_value(item).map(|rule| vec![rule]),
                Ok(None) => return http::json(400, &json!({"detail": "a fault rule (or a list of them) is required"})),
                Err(e) => return http::json(400, &json!({"detail": e})),
            };
            match rules {
                Ok(rules) => {
                    let mut state = context.state.lock();
                    rules.into_iter().for_each(|rule| state.faults.push(rule));
                    http::empty(204)
                }
                Err(e) => http::json(400, &json!({"detail": format!("not a fault rule: {e}")})),
            }
        }
        ("POST", "/__mock/tenants") => {
            let body = incoming.json().ok().flatten().unwrap_or(Value::Null);
            let (Some(id), Some(secret)) = (body["client_id"].as_str(), body["client_secret"].as_str()) else {
                return http::json(400, &json!({"detail": "{\"client_id\", \"client_secret\"} is required"}));
            };
            context.state.lock().tenants.insert(id.to_owned(), secret.to_owned());
            http::empty(204)
        }
        ("POST", "/__mock/connections") => {
            let body = incoming.json().ok().flatten().unwrap_or(Value::Null);
            let Some(ms) = body.get("idle_close_ms").filter(|ms| ms.is_null() || ms.is_u64()) else {
                return http::json(400, &json!({"detail": "{\"idle_close_ms\": N or null} is required"}));
            };
            context.idle_close.send_replace(ms.as_u64().map(Duration::from_millis));
            http::empty(204)
        }
        ("POST", "/__mock/expire-tokens") => {
            akool::expire_tokens(&context.state);
            http::empty(204)
        }
        ("POST", "/__mock/reset") => {
            context.reset();
            http::empty(204)
        }
        _ => http::json(404, &json!({"detail": "unknown admin endpoint"})),
    }
}

//! The AceData side: the credential endpoints under `/api/v1/credentials/`, with the platform's validation and
//! error shapes.

use serde_json::{json, Map, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::demo::{DEMO_PLATFORM_TOKEN, DEMO_PROXY_APPLICATION_ID};
use crate::http::{self, Answer, Incoming};
use crate::state::State;

const PREFIX: &str = "/api/v1/credentials/";
pub(crate) const DEMO_USER_ID: &str = "b87f67c1-b04f-4332-99a1-7a5e651331c6";

pub(crate) fn handle(state: &State, request: &Incoming, legacy_list: bool) -> Answer {
    if let Some(refusal) = refuse_unauthenticated(request) {
        return refusal;
    }
    if !request.body.is_empty() && request.header("content-type") != Some("application/json") {
        return http::json(415, &json!({"detail": "Unsupported media type in request: use application/json."}));
    }
    let Some(rest) =
        request.path.strip_prefix(PREFIX).or_else(|| (request.path == PREFIX.trim_end_matches('/')).then_some(""))
    else {
        return not_found();
    };
    let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    match (request.method.as_str(), parts.as_slice()) {
        ("POST", []) => create(state, request),
        ("GET", []) => list(state, request, legacy_list),
        ("GET", [id]) => with_credential(state, id, |c| http::json(200, c)),
        ("PATCH", [id]) => update(state, request, id),
        ("POST", [id, "rotate"]) => rotate(state, id),
        ("DELETE", [id]) => match state.lock().credentials.remove(*id) {
            Some(_) => http::empty(204),
            None => not_found(),
        },
        _ => http::json(405, &json!({"detail": format!("Method \"{}\" not allowed.", request.method)})),
    }
}

/// The 401 answer for a request without the demo platform token, in the platform's two documented shapes.
pub(crate) fn refuse_unauthenticated(request: &Incoming) -> Option<Answer> {
    match request.header("authorization") {
        None => Some(http::json(401, &json!({"detail": "Authentication credentials were not provided."}))),
        Some(value) if value.strip_prefix("Bearer ") == Some(DEMO_PLATFORM_TOKEN) => None,
        Some(_) => Some(http::json(
            401,
            &json!({"error": {"code": "invalid_token", "message": "The platform token is invalid."}, "trace_id": trace_id()}),
        )),
    }
}

fn create(state: &State, request: &Incoming) -> Answer {
    let body = match request.json() {
        Ok(Some(Value::Object(body))) => body,
        Ok(_) => return http::json(400, &json!({"detail": "A JSON object is required."})),
        Err(e) => return http::json(400, &json!({"detail": e})),
    };
    let mut errors = Map::new();
    let application_id = body.get("application_id").and_then(Value::as_str).unwrap_or_default();
    if Uuid::try_parse(application_id).is_err() {
        errors.insert("application_id".into(), json!(["Must be a valid UUID."]));
    }
    check_optional_fields(&body, &mut errors);
    if !errors.is_empty() {
        return http::json(400, &Value::Object(errors));
    }
    let now = now();
    let identity = application_id == DEMO_PROXY_APPLICATION_ID;
    let id = Uuid::new_v4().to_string();
    let credential = json!({
        "id": id,
        "user_id": DEMO_USER_ID,
        "application_id": application_id,
        "type": if identity { "Identity" } else { "Token" },
        "token": if identity { Value::Null } else { new_token().into() },
        "username": if identity { Value::String(format!("user-{}", &id[..8])) } else { Value::Null },
        "password": if identity { new_token().into() } else { Value::Null },
        "host": body.get("host").cloned().unwrap_or(Value::Null),
        "limited_amount": body.get("limited_amount").cloned().unwrap_or(Value::Null),
        "used_amount": 0,
        "expired_at": body.get("expired_at").cloned().unwrap_or(Value::Null),
        "name": body.get("name").cloned().unwrap_or(Value::Null),
        "allowed_api_ids": body.get("allowed_api_ids").cloned().unwrap_or(Value::Null),
        "metadata": body.get("metadata").cloned().unwrap_or(Value::Null),
        "created_at": now,
        "updated_at": now,
    });
    state.lock().credentials.insert(id, credential.clone());
    http::json(201, &credential)
}

fn check_optional_fields(body: &Map<String, Value>, errors: &mut Map<String, Value>) {
    match body.get("host") {
        None | Some(Value::Null) => {}
        Some(Value::String(host)) if !host.is_empty() && !host.contains(['/', ':']) => {}
        Some(_) => {
            errors.insert("host".into(), json!(["Enter a valid host name."]));
        }
    }
    match body.get("limited_amount") {
        None | Some(Value::Null) => {}
        Some(Value::Number(n)) if n.as_f64().is_some_and(|n| n >= 0.0) => {}
        Some(_) => {
            errors.insert("limited_amount".into(), json!(["A valid number >= 0 is required."]));
        }
    }
    match body.get("expired_at") {
        None | Some(Value::Null) => {}
        Some(Value::String(ts)) if OffsetDateTime::parse(ts, &Rfc3339).is_ok() => {}
        Some(_) => {
            errors.insert("expired_at".into(), json!(["Datetime has wrong format."]));
        }
    }
}

fn list(state: &State, request: &Incoming, legacy: bool) -> Answer {
    let application_id = request.query_param("application_id");
    let host = request.query_param("host");
    let limit: usize = request.query_param("limit").and_then(|v| v.parse().ok()).unwrap_or(20);
    let offset: usize = request.query_param("offset").and_then(|v| v.parse().ok()).unwrap_or(0);
    let state = state.lock();
    let matching: Vec<&Value> = state
        .credentials
        .values()
        .filter(|c| application_id.as_deref().is_none_or(|id| c["application_id"] == id))
        .filter(|c| host.as_deref().is_none_or(|h| c["host"] == h))
        .collect();
    let page: Vec<&Value> = matching.iter().skip(offset).take(limit).copied().collect();
    let field = if legacy { "results" } else { "items" };
    http::json(200, &json!({"count": matching.len(), field: page}))
}

fn update(state: &State, request: &Incoming, id: &str) -> Answer {
    let Ok(Some(Value::Object(body))) = request.json() else {
        return http::json(400, &json!({"detail": "A JSON object is required."}));
    };
    let mut errors = Map::new();
    check_optional_fields(&body, &mut errors);
    if !errors.is_empty() {
        return http::json(400, &Value::Object(errors));
    }
    let mut state = state.lock();
    let Some(credential) = state.credentials.get_mut(id) else {
        return not_found();
    };
    for field in ["name", "limited_amount", "expired_at", "allowed_api_ids"] {
        if let Some(value) = body.get(field) {
            credential[field] = value.clone();
        }
    }
    credential["updated_at"] = now().into();
    http::json(200, credential)
}

fn rotate(state: &State, id: &str) -> Answer {
    let mut state = state.lock();
    let Some(credential) = state.credentials.get_mut(id) else {
        return not_found();
    };
    let field = if credential["type"] == "Identity" { "password" } else { "token" };
    credential[field] = new_token().into();
    credential["updated_at"] = now().into();
    http::json(200, credential)
}

fn with_credential(state: &State, id: &str, answer: impl FnOnce(&Value) -> Answer) -> Answer {
    match state.lock().credentials.get(id) {
        Some(credential) => answer(credential),
        None => not_found(),
    }
}

pub(crate) fn not_found() -> Answer {
    http::json(404, &json!({"detail": "Not found."}))
}

fn new_token() -> String {
    format!("sk-mock-{}", Uuid::new_v4().simple())
}

fn trace_id() -> String {
    Uuid::new_v4().to_string()
}

fn now() -> String {
    OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_default()
}

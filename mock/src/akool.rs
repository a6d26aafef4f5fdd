//! The Akool side: `getToken`, and every other path under `/api/open/` as an authenticated echo.
//!
//! As the vendor documents: failures are business codes under HTTP 200; `Authorization` wins when both auth
//! headers arrive; no auth at all is 1102, a bad key or token is 1101.
//!
//! Besides the demo account, tests add tenants (`MockServer::add_tenant`): each its own client id and secret
//! (also its API key), its own tokens. The echo names the account a call authenticated as (`client_id`), so a
//! test can tell that every call carried its own tenant's credential.

use serde_json::{json, Map, Value};

use crate::demo::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};
use crate::http::{self, Answer, Incoming};
use crate::state::State;
use crate::webhook;

/// The token endpoint.
pub(crate) const GET_TOKEN_PATH: &str = "/api/open/v3/getToken";

/// The vendor's message for a code, as the mock sends it.
pub(crate) fn message_for(code: i64) -> &'static str {
    match code {
        1003 => "Parameter error",
        1005 => "Operation is too frequent",
        1006 => "Insufficient quota",
        1101 => "Invalid authorization or The request token has expired",
        1102 => "Authorization cannot be empty",
        1103 => "Not paid or payment is overdue",
        1104 => "Insufficient credit",
        1200 => "The account has been banned",
        _ => "Error",
    }
}

/// An Akool failure: HTTP 200 with a business code.
pub(crate) fn failure(code: i64, msg: &str) -> Answer {
    http::json(200, &json!({"code": code, "msg": msg}))
}

pub(crate) fn handle(state: &State, request: &Incoming) -> Answer {
    if request.path == GET_TOKEN_PATH {
        return get_token(state, request);
    }
    let (scheme, client_id) = match authenticate(state, request) {
        Ok(found) => found,
        Err(code) => return failure(code, message_for(code)),
    };
    let body = match request.json() {
        Ok(body) => body,
        Err(_) => return failure(1003, "Parameter error: body is not JSON"),
    };
    let mut data = json!({
        "method": request.method,
        "path": request.path,
        "query": request.query,
        "body": body,
        "auth": scheme,
        "client_id": client_id,
        "headers": visible_headers(request),
    });
    // A job with a webhookUrl: answer its id now and report its result to that URL, as Akool does.
    let target =
        body.as_ref().and_then(|b| b.get("webhookUrl")).and_then(Value::as_str).and_then(webhook::loopback_target);
    if let Some(target) = target {
        let id = uuid::Uuid::new_v4().simple().to_string();
        data["_id"] = json!(id);
        let payload = json!({"_id": id, "status": 3, "type": 1, "url": "https://example.invalid/result.mp4"});
        tokio::spawn(webhook::deliver(target, webhook::body_for(&payload)));
    }
    http::json(200, &json!({"code": 1000, "msg": "OK", "data": data}))
}

fn get_token(state: &State, request: &Incoming) -> Answer {
    if request.method != "POST" {
        return failure(1003, "Parameter error: getToken takes POST");
    }
    let body = request.json().ok().flatten().unwrap_or(Value::Null);
    let (Some(id), Some(secret)) =
        (body.get("clientId").and_then(Value::as_str), body.get("clientSecret").and_then(Value::as_str))
    else {
        return failure(1003, "Parameter error: clientId and clientSecret are required");
    };
    let mut state = state.lock();
    let known = (id == DEMO_CLIENT_ID && secret == DEMO_CLIENT_SECRET)
        || state.tenants.get(id).is_some_and(|tenant_secret| tenant_secret == secret);
    if !known {
        return failure(1101, "Invalid clientId or clientSecret");
    }
    state.tokens_issued += 1;
    let token = format!("mock-token-{}-{}", state.tokens_issued, uuid::Uuid::new_v4().simple());
    state.live_tokens.insert(token.clone(), id.to_owned());
    http::json(200, &json!({"code": 1000, "token": token}))
}

/// Which scheme authenticated the request and the client id of its account, or the business code refusing it.
fn authenticate(state: &State, request: &Incoming) -> Result<(&'static str, String), i64> {
    let state = state.lock();
    if let Some(authorization) = request.header("authorization") {
        let token = authorization.strip_prefix("Bearer ").ok_or(1101)?;
        return state.live_tokens.get(token).map(|id| ("bearer", id.clone())).ok_or(1101);
    }
    match request.header("x-api-key") {
        Some(key) if key == DEMO_CLIENT_SECRET => Ok(("x-api-key", DEMO_CLIENT_ID.to_owned())),
        Some(key) => state
            .tenants
            .iter()
            .find(|(_, secret)| secret.as_str() == key)
            .map(|(id, _)| ("x-api-key", id.clone()))
            .ok_or(1101),
        None => Err(1102),
    }
}

/// The request's headers, with credential values replaced by whether they were valid: echoed, never leaked.
fn visible_headers(request: &Incoming) -> Value {
    let mut headers = Map::new();
    for (name, value) in &request.headers {
        let shown = match name.as_str() {
            "authorization" | "x-api-key" => "<credential>".to_owned(),
            _ => value.to_str().unwrap_or("<binary>").to_owned(),
        };
        headers.insert(name.as_str().to_owned(), Value::String(shown));
    }
    Value::Object(headers)
}

/// Invalidates every token handed out so far: the next use of one answers 1101.
pub(crate) fn expire_tokens(state: &State) {
    state.lock().live_tokens.clear();
}

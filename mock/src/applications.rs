//! The AceData applications a platform token's user owns: `GET /api/v1/applications/?user_id=me` and
//! `GET /api/v1/applications/{id}/`. Fixed data: the two demo applications every credential test uses.

use serde_json::{json, Value};

use crate::acedata::{not_found, refuse_unauthenticated, DEMO_USER_ID};
use crate::demo::{DEMO_APPLICATION_ID, DEMO_PROXY_APPLICATION_ID};
use crate::http::{self, Answer, Incoming};

const PREFIX: &str = "/api/v1/applications/";

pub(crate) fn handle(request: &Incoming) -> Answer {
    if let Some(refusal) = refuse_unauthenticated(request) {
        return refusal;
    }
    let rest = request.path.strip_prefix(PREFIX).unwrap_or_default();
    let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    match (request.method.as_str(), parts.as_slice()) {
        ("GET", []) => list(request),
        ("GET", [id]) => {
            applications().into_iter().find(|a| a["id"] == *id).map_or_else(not_found, |a| http::json(200, &a))
        }
        _ => http::json(405, &json!({"detail": format!("Method \"{}\" not allowed.", request.method)})),
    }
}

/// As on the platform, a normal account must ask for its own applications (`user_id=me`); without it the
/// answer is 403.
fn list(request: &Incoming) -> Answer {
    if request.query_param("user_id").as_deref() != Some("me") {
        return http::json(
            403,
            &json!({"error": {"code": "permission_denied", "message": "You do not have permission to perform this action."}}),
        );
    }
    let limit: usize = request.query_param("limit").and_then(|v| v.parse().ok()).unwrap_or(20);
    let offset: usize = request.query_param("offset").and_then(|v| v.parse().ok()).unwrap_or(0);
    let all = applications();
    let page: Vec<&Value> = all.iter().skip(offset).take(limit).collect();
    http::json(200, &json!({"count": all.len(), "items": page}))
}

fn applications() -> Vec<Value> {
    let application = |id: &str, service_id: &str, kind: &str, remaining: f64| {
        json!({
            "id": id,
            "user_id": DEMO_USER_ID,
            "service_id": service_id,
            "type": kind,
            "scope": "Individual",
            "remaining_amount": remaining,
            "used_amount": 0,
            "created_at": "2024-08-01T10:00:00.000000Z",
            "updated_at": "2024-08-01T10:00:00.000000Z",
        })
    };
    vec![
        application(DEMO_APPLICATION_ID, "9b0f4b3e-4c1f-4b8e-9d55-6f1d2c3b4a50", "Api", 1000.0),
        application(DEMO_PROXY_APPLICATION_ID, "0c6a1e2d-3f4b-4a5c-8d9e-0f1a2b3c4d5e", "Proxy", 50.0),
    ]
}

//! The AceData platform client against the mock: the whole credential lifecycle, the wire format, validation
//! before any request, and every error shape.

mod common;

use common::*;
use serde_json::json;
use tokensmith::{
    blocking::AceDataPlatform, CallOptions, Change, CredentialChanges, CredentialFilter, CredentialKind, Error,
    ErrorKind, NewCredential, VendorCode,
};
use tokensmith_mock::{DEMO_APPLICATION_ID, DEMO_PROXY_APPLICATION_ID};

#[test]
fn create_sends_the_documented_body_and_returns_a_typed_credential() {
    let mock = mock();
    let platform = platform(&mock);
    let created = platform.create_credential(&NewCredential::new(DEMO_APPLICATION_ID)).unwrap();
    assert_eq!(created.kind, CredentialKind::Token);
    assert_eq!(created.application_id, DEMO_APPLICATION_ID);
    assert!(created.token.as_ref().unwrap().expose().starts_with("sk-mock-"));
    assert_eq!((created.username.as_deref(), created.password.is_none()), (None, true));
    assert_eq!((created.limited_amount, created.used_amount, created.expired_at.as_deref()), (None, Some(0.0), None));
    assert!(created.created_at.is_some() && created.updated_at.is_some() && created.user_id.is_some());
    assert_eq!(mock.count("POST", CREDENTIALS), 1);

    let full = NewCredential::new(DEMO_APPLICATION_ID)
        .with_host("example.com")
        .with_limited_amount(100.0)
        .with_expired_at("2030-01-01T00:00:00Z");
    let created = platform.create_credential(&full).unwrap();
    assert_eq!(created.host.as_deref(), Some("example.com"));
    assert_eq!(created.limited_amount, Some(100.0));
    assert_eq!(created.expired_at.as_deref(), Some("2030-01-01T00:00:00Z"));
}

#[test]
fn proxy_applications_get_identity_credentials() {
    let mock = mock();
    let created = platform(&mock).create_credential(&NewCredential::new(DEMO_PROXY_APPLICATION_ID)).unwrap();
    assert_eq!(created.kind, CredentialKind::Identity);
    assert!(created.username.is_some() && created.password.is_some() && created.token.is_none());
}

#[test]
fn the_whole_lifecycle() {
    let mock = mock();
    let platform = platform(&mock);
    let created = platform.create_credential(&NewCredential::new(DEMO_APPLICATION_ID)).unwrap();

    let fetched = platform.get_credential(&created.id).unwrap();
    assert_eq!(fetched, created);

    let changes = CredentialChanges {
        name: Some("production".into()),
        limited_amount: Change::Set(50.0),
        expired_at: Change::Set("2031-06-01T00:00:00+00:00".into()),
        ..Default::default()
    };
    let updated = platform.update_credential(&created.id, &changes).unwrap();
    assert_eq!((updated.name.as_deref(), updated.limited_amount), (Some("production"), Some(50.0)));
    let cleared = platform
        .update_credential(&created.id, &CredentialChanges { limited_amount: Change::Clear, ..Default::default() })
        .unwrap();
    assert_eq!((cleared.limited_amount, cleared.name.as_deref()), (None, Some("production")));

    let rotated = platform.rotate_credential(&created.id).unwrap();
    assert_eq!(rotated.id, created.id);
    assert_ne!(rotated.token, created.token, "rotation issues a new token");

    platform.delete_credential(&created.id).unwrap();
    let err = platform.get_credential(&created.id).unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::NotFound, Some(404)));
    assert_eq!(err.failure().unwrap().message, "Not found.");
    let err = platform.delete_credential(&created.id).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "a first-attempt 404 on delete is an error");
    assert_eq!(mock.credential_count(), 0);
}

#[test]
fn list_filters_and_pages_and_accepts_both_list_fields() {
    let mock = mock();
    let platform = platform(&mock);
    for _ in 0..3 {
        platform.create_credential(&NewCredential::new(DEMO_APPLICATION_ID)).unwrap();
    }
    platform.create_credential(&NewCredential::new(DEMO_PROXY_APPLICATION_ID)).unwrap();

    let all = platform.list_credentials(&CredentialFilter::default()).unwrap();
    assert_eq!((all.count, all.items.len()), (4, 4));
    let filter = CredentialFilter {
        application_id: Some(DEMO_APPLICATION_ID.into()),
        limit: Some(2),
        offset: Some(1),
        host: None,
    };
    let page = platform.list_credentials(&filter).unwrap();
    assert_eq!((page.count, page.items.len()), (3, 2));
    assert!(page.items.iter().all(|c| c.application_id == DEMO_APPLICATION_ID));

    mock.push_fault(json!({"kind": "legacy_list"})).unwrap();
    let legacy = platform.list_credentials(&filter).unwrap();
    assert_eq!((legacy.count, legacy.items.len()), (3, 2));
}

#[test]
fn reads_are_retried_after_5xx_but_creates_and_rotations_are_not() {
    let mock = mock();
    let platform = platform(&mock);
    mock.push_fault(json!({"kind": "status", "status": 503, "method": "GET"})).unwrap();
    platform.list_credentials(&CredentialFilter::default()).unwrap();
    assert_eq!(mock.count("GET", CREDENTIALS), 2);

    mock.push_fault(json!({"kind": "status", "status": 503, "method": "POST"})).unwrap();
    let err = platform.create_credential(&NewCredential::new(DEMO_APPLICATION_ID)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!((mock.count("POST", CREDENTIALS), mock.credential_count()), (1, 0));

    let created = platform.create_credential(&NewCredential::new(DEMO_APPLICATION_ID)).unwrap();
    let rotate = format!("{CREDENTIALS}{}/rotate/", created.id);
    mock.push_fault(json!({"kind": "drop_after", "path": rotate})).unwrap();
    assert_eq!(platform.rotate_credential(&created.id).unwrap_err().kind(), ErrorKind::Transport);
    assert_eq!(mock.count("POST", &rotate), 1);
}

#[test]
fn a_delete_whose_answer_was_lost_succeeds_on_retry() {
    let mock = mock();
    let platform = platform(&mock);
    let created = platform.create_credential(&NewCredential::new(DEMO_APPLICATION_ID)).unwrap();
    let path = format!("{CREDENTIALS}{}/", created.id);
    mock.push_fault(json!({"kind": "drop_after", "path": path, "method": "DELETE"})).unwrap();
    platform.delete_credential(&created.id).unwrap();
    assert_eq!((mock.count("DELETE", &path), mock.credential_count()), (2, 0));
}

#[test]
fn every_bad_input_is_refused_before_any_request_and_names_its_field() {
    let mock = mock();
    let platform = platform(&mock);
    let app = DEMO_APPLICATION_ID;
    let creates = [
        (NewCredential::new(""), "application_id"),
        (NewCredential::new("107f8d0f"), "application_id"),
        (NewCredential::new(app).with_host("https://example.com"), "host"),
        (NewCredential::new(app).with_host("example.com/x"), "host"),
        (NewCredential::new(app).with_limited_amount(-5.0), "limited_amount"),
        (NewCredential::new(app).with_limited_amount(f64::NAN), "limited_amount"),
        (NewCredential::new(app).with_expired_at("next week"), "expired_at"),
    ];
    for (input, field) in creates {
        assert_field(platform.create_credential(&input).unwrap_err(), field);
    }
    assert_field(platform.get_credential("../../admin").unwrap_err(), "id");
    assert_field(platform.rotate_credential("").unwrap_err(), "id");
    assert_field(platform.delete_credential("x/y").unwrap_err(), "id");
    assert_field(platform.update_credential(app, &CredentialChanges::default()).unwrap_err(), "changes");
    let filter = CredentialFilter { application_id: Some("nope".into()), ..Default::default() };
    assert_field(platform.list_credentials(&filter).unwrap_err(), "application_id");
    assert_field(AceDataPlatform::new("", options(&mock)).unwrap_err(), "platform_token");
    assert_field(
        AceDataPlatform::new("t", tokensmith::ClientOptions::default().with_base_url("http://platform.acedata.cloud"))
            .unwrap_err(),
        "base_url",
    );
    assert!(mock.counts().is_empty(), "requests were sent: {:?}", mock.counts());
}

fn assert_field(err: Error, expected: &str) {
    match err {
        Error::InvalidInput { field, reason } => {
            assert_eq!(field, expected, "{reason}");
            assert!(!reason.is_empty());
        }
        other => panic!("expected an input error for {expected}, got {other}"),
    }
}

#[test]
fn error_shapes_become_kinds_with_status_code_and_message() {
    let mock = mock();
    let platform = platform(&mock);
    let list = || platform.list_credentials(&CredentialFilter::default()).unwrap_err();
    let cases = [
        (
            json!({"status": 401, "body": {"error": {"code": "token_expired", "message": "expired"}, "trace_id": "t"}}),
            ErrorKind::Authentication,
            Some("token_expired"),
            "expired",
        ),
        (
            json!({"status": 403, "body": {"error": {"code": "used_up", "message": "quota used up"}}}),
            ErrorKind::Billing,
            Some("used_up"),
            "quota used up",
        ),
        (
            json!({"status": 403, "body": {"detail": "permission_denied"}}),
            ErrorKind::Authentication,
            None,
            "permission_denied",
        ),
        (
            json!({"status": 400, "body": {"application_id": ["Must be a valid UUID."]}}),
            ErrorKind::InvalidRequest,
            None,
            "application_id: Must be a valid UUID.",
        ),
        (json!({"status": 404, "body": {"error": "no such thing"}}), ErrorKind::NotFound, None, "no such thing"),
        (
            json!({"status": 429, "retry_after": "3600", "body": {"error": {"code": "too_many_requests", "message": "slow down"}}}),
            ErrorKind::RateLimited,
            Some("too_many_requests"),
            "slow down",
        ),
        (
            // Every attempt: a 500 on a read is repeated (docs/retries.md).
            json!({"status": 500, "times": 3, "body": {"error": {"code": "api_error", "message": "boom"}}}),
            ErrorKind::Server,
            Some("api_error"),
            "boom",
        ),
        (json!({"status": 418, "body": {}}), ErrorKind::Api, None, "I'm a teapot"),
    ];
    for (mut fault, kind, code, message) in cases {
        fault["kind"] = json!("status");
        let status = fault["status"].as_u64().unwrap() as u16;
        mock.push_fault(fault).unwrap();
        let err = list();
        assert_eq!((err.kind(), err.status()), (kind, Some(status)), "{err}");
        assert_eq!(err.vendor_code(), code.map(|c| VendorCode::AceData(c.into())).as_ref());
        assert_eq!(err.failure().unwrap().message, message);
    }
}

#[test]
fn a_wrong_platform_token_is_an_authentication_error() {
    let mock = mock();
    let platform = AceDataPlatform::new("platform-v1-wrong", options(&mock)).unwrap();
    let err = platform.create_credential(&NewCredential::new(DEMO_APPLICATION_ID)).unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::Authentication, Some(401)));
    assert_eq!(err.vendor_code(), Some(&VendorCode::AceData("invalid_token".into())));
    assert_eq!(mock.credential_count(), 0);
}

#[test]
fn pages_without_a_count_are_followed_until_one_comes_back_short() {
    let mock = mock();
    let credential = |n: u32| json!({"id": format!("00000000-0000-4000-8000-00000000000{n}"), "application_id": DEMO_APPLICATION_ID, "type": "Token"});
    mock.push_fault(
        json!({"kind": "status", "status": 200, "path": CREDENTIALS, "body": [credential(1), credential(2)]}),
    )
    .unwrap();
    mock.push_fault(json!({"kind": "status", "status": 200, "path": CREDENTIALS, "body": [credential(3)]})).unwrap();
    let filter = CredentialFilter { limit: Some(2), ..Default::default() };
    let all: Vec<_> = platform(&mock).iter_credentials(&filter).collect::<Result<_, _>>().unwrap();
    assert_eq!(all.len(), 3, "a full page without a count is not the last");
    assert_eq!(mock.count("GET", CREDENTIALS), 2, "a short page is");
}

#[test]
fn an_echoed_per_call_header_value_is_scrubbed_from_errors() {
    let mock = mock();
    let token = "tenant-token-canary-0123456789";
    let body = json!({"error": {"code": "bad_request", "message": format!("unknown tenant token {token}")}});
    mock.push_fault(json!({"kind": "status", "status": 400, "path": CREDENTIALS, "body": body})).unwrap();
    let view = platform(&mock).with_call_options(CallOptions::new().with_header("x-tenant-token", token)).unwrap();
    let error = view.list_credentials(&CredentialFilter::default()).unwrap_err();
    assert!(error.to_string().contains("unknown tenant token") && !error.to_string().contains(token), "{error}");
    assert!(!format!("{error:?}").contains(token));
}

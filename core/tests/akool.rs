//! The Akool client against the mock: both auth methods on the wire, the token cache, the envelope and its codes.

mod common;

use std::sync::{Arc, Barrier};
use std::thread;

use common::*;
use serde_json::json;
use tokensmith::{
    blocking::AkoolClient, AkoolCode, AkoolCredentials, CallOptions, ClientOptions, Error, ErrorKind, Method, Secret,
    USER_AGENT,
};
use tokensmith_mock::{DEMO_API_KEY, DEMO_CLIENT_ID};

#[test]
fn method_1_sends_exactly_x_api_key_and_no_token_request() {
    let mock = mock();
    let akool = akool_with_key(&mock);
    let body = json!({"sourceImage": [{"path": "https://x/a.png"}], "modifyImage": "https://x/b.png"});
    let data = akool.request(Method::Post, SPECIFY_IMAGE, Some(&body)).unwrap();
    assert_eq!(data["auth"], "x-api-key");
    assert_eq!(data["method"], "POST");
    assert_eq!(data["path"], SPECIFY_IMAGE);
    assert_eq!(data["body"], body);
    let headers = &data["headers"];
    assert_eq!(headers["x-api-key"], "<credential>");
    assert!(headers.get("authorization").is_none(), "both auth headers sent: {headers}");
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["accept"], "application/json");
    assert_eq!(headers["user-agent"], USER_AGENT);
    assert_eq!(mock.count("POST", GET_TOKEN), 0);
}

#[test]
fn a_call_s_headers_replace_the_defaults_of_their_names_and_add_the_rest() {
    let mock = mock();
    let options = CallOptions::new()
        .with_header("Accept", "application/vnd.akool+json")
        .with_header("User-Agent", "tenant-app/2")
        .with_header("X-Tenant", "t-1");
    let akool = akool_with_key(&mock).with_call_options(options).unwrap();
    let data = akool.request(Method::Get, QUOTA, None).unwrap();
    let headers = &data["headers"];
    assert_eq!(headers["accept"], "application/vnd.akool+json", "one accept, the call's: {headers}");
    assert_eq!(headers["user-agent"], "tenant-app/2", "{headers}");
    assert_eq!(headers["x-tenant"], "t-1");
    assert_eq!(headers["x-api-key"], "<credential>");
}

#[test]
fn method_2_fetches_one_token_then_sends_exactly_the_bearer() {
    let mock = mock();
    let akool = akool_with_client_credentials(&mock);
    for _ in 0..3 {
        let data = akool.request(Method::Get, QUOTA, None).unwrap();
        assert_eq!(data["auth"], "bearer");
        assert_eq!(data["headers"]["authorization"], "<credential>");
        assert!(data["headers"].get("x-api-key").is_none());
        assert!(data["headers"].get("content-type").is_none(), "no body, no content-type");
    }
    assert_eq!(mock.count("POST", GET_TOKEN), 1);
    assert_eq!(mock.count("GET", QUOTA), 3);
}

#[test]
fn token_is_cached_and_auth_headers_carry_it() {
    let mock = mock();
    let akool = akool_with_client_credentials(&mock);
    let token = akool.token().unwrap();
    assert!(token.expose().starts_with("mock-token-"));
    assert_eq!(akool.token().unwrap(), token);
    let headers = akool.auth_headers().unwrap();
    assert_eq!(headers.len(), 1);
    assert_eq!(headers[0].name, "authorization");
    assert_eq!(headers[0].value.expose(), format!("Bearer {}", token.expose()));
    assert_eq!(mock.count("POST", GET_TOKEN), 1);
}

#[test]
fn method_1_headers_and_token_refusal() {
    let mock = mock();
    let akool = akool_with_key(&mock);
    let headers = akool.auth_headers().unwrap();
    assert_eq!((headers[0].name, headers[0].value.expose()), ("x-api-key", DEMO_API_KEY));
    let err = akool.token().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert!(err.to_string().contains("client credentials"), "{err}");
    assert_eq!(mock.counts().len(), 0, "nothing may be sent");
}

#[test]
fn query_strings_are_kept() {
    let mock = mock();
    let data =
        akool_with_key(&mock).request(Method::Get, "/api/open/v3/faceswap/result/listbyids?_ids=a,b", None).unwrap();
    assert_eq!(data["query"], "_ids=a,b");
    assert_eq!(mock.count("GET", "/api/open/v3/faceswap/result/listbyids"), 1);
}

#[test]
fn sixty_four_threads_share_one_token_request() {
    let mock = mock();
    let akool = akool_with_client_credentials(&mock);
    let barrier = Arc::new(Barrier::new(64));
    let threads: Vec<_> = (0..64)
        .map(|_| {
            let (akool, barrier) = (akool.clone(), barrier.clone());
            thread::spawn(move || {
                barrier.wait();
                akool.request(Method::Get, QUOTA, None)
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap().unwrap()["auth"], "bearer");
    }
    assert_eq!(mock.count("POST", GET_TOKEN), 1);
    assert_eq!(mock.count("GET", QUOTA), 64);
}

#[test]
fn a_failed_token_fetch_is_not_cached() {
    let mock = mock();
    let akool = akool_with_client_credentials(&mock);
    mock.push_fault(json!({"kind": "akool_code", "code": 1200, "path": GET_TOKEN})).unwrap();
    assert_eq!(akool.token().unwrap_err().kind(), ErrorKind::AccountBanned);
    assert!(akool.token().is_ok());
    assert_eq!(mock.count("POST", GET_TOKEN), 2);
}

#[test]
fn wrong_client_credentials_are_an_authentication_error() {
    let mock = mock();
    let credentials = AkoolCredentials::ClientCredentials {
        client_id: DEMO_CLIENT_ID.into(),
        client_secret: Secret::new("wrong-secret"),
    };
    let akool = AkoolClient::new(credentials, options(&mock)).unwrap();
    let err = akool.request(Method::Get, QUOTA, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert_eq!(err.akool_code(), Some(AkoolCode::INVALID_TOKEN));
    assert_eq!(mock.count("GET", QUOTA), 0, "no call without a token");
}

#[test]
fn an_expired_token_is_renewed_once_and_the_call_repeated_once() {
    let mock = mock();
    let akool = akool_with_client_credentials(&mock);
    let first = akool.token().unwrap();
    mock.expire_tokens();
    let data = akool.request(Method::Post, SPECIFY_IMAGE, Some(&json!({"a": 1}))).unwrap();
    assert_eq!(data["auth"], "bearer");
    assert_ne!(akool.token().unwrap(), first, "the stale token was replaced");
    assert_eq!(mock.count("POST", GET_TOKEN), 2);
    assert_eq!(mock.count("POST", SPECIFY_IMAGE), 2);
}

#[test]
fn a_second_1101_is_returned_not_retried_again() {
    let mock = mock();
    let akool = akool_with_client_credentials(&mock);
    mock.push_fault(json!({"kind": "akool_code", "code": 1101, "path": QUOTA, "times": 5})).unwrap();
    let err = akool.request(Method::Get, QUOTA, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert_eq!(err.akool_code(), Some(AkoolCode(1101)));
    assert_eq!(mock.count("POST", GET_TOKEN), 2);
    assert_eq!(mock.count("GET", QUOTA), 2);
}

#[test]
fn method_1_does_not_retry_1101() {
    let mock = mock();
    mock.push_fault(json!({"kind": "akool_code", "code": 1101, "path": QUOTA})).unwrap();
    let err = akool_with_key(&mock).request(Method::Get, QUOTA, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert_eq!(mock.count("GET", QUOTA), 1);
}

#[test]
fn a_wrong_api_key_is_1101_and_no_key_header_is_1102() {
    let mock = mock();
    let akool = AkoolClient::new(AkoolCredentials::ApiKey(Secret::new("not-the-key")), options(&mock)).unwrap();
    let err = akool.request(Method::Get, QUOTA, None).unwrap_err();
    assert_eq!((err.kind(), err.akool_code()), (ErrorKind::Authentication, Some(AkoolCode(1101))));
    // 1102 cannot be provoked through the client, which always authenticates: the mock sends it on demand.
    mock.push_fault(json!({"kind": "akool_code", "code": 1102})).unwrap();
    let err = akool_with_key(&mock).request(Method::Get, QUOTA, None).unwrap_err();
    assert_eq!((err.kind(), err.akool_code()), (ErrorKind::Authentication, Some(AkoolCode::TOKEN_EMPTY)));
    assert_eq!(err.failure().unwrap().message, "Authorization cannot be empty");
}

#[test]
fn every_business_code_maps_to_its_kind_with_code_and_message() {
    let cases = [
        (1003, ErrorKind::InvalidRequest),
        (1005, ErrorKind::RateLimited),
        (1006, ErrorKind::Billing),
        (1008, ErrorKind::NotFound),
        (1103, ErrorKind::Billing),
        (1104, ErrorKind::Billing),
        (1200, ErrorKind::AccountBanned),
        (1015, ErrorKind::Api),
        (1999, ErrorKind::Api),
    ];
    let mock = mock();
    let akool = akool_with_key(&mock);
    for (code, kind) in cases {
        // 1005 is repeated (docs/retries.md): fault all three attempts.
        let times = if code == 1005 { 3 } else { 1 };
        mock.push_fault(json!({"kind": "akool_code", "code": code, "msg": format!("message {code}"), "times": times}))
            .unwrap();
        let err = akool.request(Method::Post, SPECIFY_IMAGE, Some(&json!({}))).unwrap_err();
        assert_eq!(err.kind(), kind, "{code}");
        assert_eq!(err.akool_code(), Some(AkoolCode(code)));
        assert_eq!(err.status(), Some(200));
        assert_eq!(err.failure().unwrap().message, format!("message {code}"));
        assert!(err.to_string().contains(&format!("Akool code {code}")), "{err}");
    }
    let retries_of_1005 = 2;
    assert_eq!(mock.count("POST", SPECIFY_IMAGE), cases.len() as u64 + retries_of_1005, "only 1005 is repeated");
}

#[test]
fn bad_input_is_refused_before_any_request() {
    let mock = mock();
    let akool = akool_with_key(&mock);
    for path in ["api/open/v3/x", "//evil.example/x", "/a b"] {
        let err = akool.request(Method::Get, path, None).unwrap_err();
        assert!(matches!(err, Error::InvalidInput { ref field, .. } if field == "path"), "{path}: {err}");
    }
    let cases: Vec<(AkoolCredentials, &str)> = vec![
        (AkoolCredentials::ApiKey(Secret::new(" ")), "api_key"),
        (AkoolCredentials::ClientCredentials { client_id: "".into(), client_secret: Secret::new("s") }, "client_id"),
        (
            AkoolCredentials::ClientCredentials { client_id: "i".into(), client_secret: Secret::new("") },
            "client_secret",
        ),
    ];
    for (credentials, field) in cases {
        let err = AkoolClient::new(credentials, options(&mock)).unwrap_err();
        assert!(matches!(err, Error::InvalidInput { field: ref f, .. } if f == field), "{err}");
    }
    let err = AkoolClient::new(
        AkoolCredentials::ApiKey(Secret::new("k")),
        ClientOptions::default().with_base_url("http://openapi.akool.com"),
    )
    .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { ref field, .. } if field == "base_url"), "{err}");
    assert!(err.to_string().contains("http://"), "{err}");
    assert!(mock.counts().is_empty(), "nothing may be sent: {:?}", mock.counts());
}

#[test]
fn users_of_their_own_http_client_renew_a_refused_token_once() {
    let mock = mock();
    let akool = akool_with_client_credentials(&mock);
    let stale = akool.token().unwrap();
    mock.expire_tokens();
    // Eight threads send the cached token with their own HTTP client, all get 1101, all report it.
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (akool, stale) = (akool.clone(), stale.clone());
            std::thread::spawn(move || {
                let answer = br#"{"code": 1101, "msg": "invalid authorization or token expired"}"#;
                assert!(tokensmith::blocking::AkoolClient::is_token_expired(answer));
                akool.invalidate_token(stale.expose());
                akool.token().unwrap()
            })
        })
        .collect();
    let fresh: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(fresh.iter().all(|t| *t == fresh[0] && *t != stale));
    assert_eq!(mock.count("POST", GET_TOKEN), 2, "one fetch before, one for the whole burst of 1101s");
    akool.invalidate_token("a token that is not the cached one");
    assert_eq!(akool.token().unwrap(), fresh[0]);
}

#[test]
fn request_text_returns_data_as_json_text_and_sends_the_body_as_given() {
    let mock = mock();
    let client = akool_with_key(&mock);
    let quota = "/api/open/v3/faceswap/quota/info";
    let envelope = serde_json::json!({"code": 1000, "msg": "OK", "data": {"b": 1, "a": [true, null, "\u{e9}\""]}});
    mock.push_fault(serde_json::json!({"kind": "status", "status": 200, "path": quota, "body": envelope})).unwrap();
    let text = client.request_text(Method::Get, quota, None).unwrap();
    assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), envelope["data"]);

    let bare = serde_json::json!({"code": 1000, "msg": "OK"});
    mock.push_fault(serde_json::json!({"kind": "status", "status": 200, "path": quota, "body": bare})).unwrap();
    assert_eq!(client.request_text(Method::Get, quota, None).unwrap(), "null", "no data is JSON null");

    client.request_text(Method::Post, quota, Some(r#"{"x": [1, 2.5]}"#)).unwrap();
    let sent = mock.requests(false).into_iter().last().unwrap();
    assert_eq!(sent["json"], serde_json::json!({"x": [1, 2.5]}));
    let e = client.request_text(Method::Post, quota, Some(r#"{"x": 1} trailing"#)).unwrap_err();
    assert_eq!(e.field(), Some("body"));
}

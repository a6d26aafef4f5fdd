//! What a traced call records ([`tokensmith::telemetry`]), against the mock: the attempts with their retries and
//! resend counts, the propagation headers every attempt sends, the one token fetch shared by 64 calls, the outcome
//! of a failed call, and no secret anywhere in a report.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use tokensmith::telemetry::{
    keys, operations, AttributeValue, CallReport, CallTrace, SpanData, SpanParent, TelemetryMode,
};
use tokensmith::{AkoolClient, CallOptions, CredentialFilter, Method};
use tokensmith_mock::{DEMO_API_KEY, DEMO_CLIENT_SECRET, DEMO_PLATFORM_TOKEN};

const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

fn propagation(traceparent: &str) -> Vec<(String, String)> {
    vec![("traceparent".into(), traceparent.into()), ("tracestate".into(), "vendor=tokensmith".into())]
}

fn attribute<'a>(attributes: &'a [(&'static str, AttributeValue)], key: &str) -> Option<&'a AttributeValue> {
    attributes.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
}

fn int(span: &SpanData, key: &str) -> Option<i64> {
    match attribute(&span.attributes, key) {
        Some(AttributeValue::Int(value)) => Some(*value),
        _ => None,
    }
}

fn traced(client: &tokensmith::blocking::AkoolClient, trace: &CallTrace) -> tokensmith::blocking::AkoolClient {
    client.with_call_options(CallOptions::new().with_trace(trace.clone())).unwrap()
}

#[test]
fn a_retried_call_shows_each_attempt_and_every_attempt_sends_the_operations_traceparent() {
    let mock = mock();
    mock.push_fault(json!({"kind": "status", "status": 503, "path": QUOTA, "times": 2, "retry_after": "0"})).unwrap();
    let trace = CallTrace::new(operations::AKOOL_REQUEST, propagation(TRACEPARENT));
    traced(&akool_with_key(&mock), &trace).request(Method::Get, &format!("{QUOTA}?page=2"), None).unwrap();

    let report = trace.report();
    assert_eq!(report.operation, "akool.request");
    assert_eq!(report.error_type, None);
    assert_eq!(report.attempts.len(), 3, "{report:#?}");
    let resend: Vec<Option<i64>> = report.attempts.iter().map(|a| int(a, keys::HTTP_REQUEST_RESEND_COUNT)).collect();
    assert_eq!(resend, [None, Some(1), Some(2)], "the first attempt has no resend count");
    let statuses: Vec<Option<i64>> = report.attempts.iter().map(|a| int(a, keys::HTTP_RESPONSE_STATUS_CODE)).collect();
    assert_eq!(statuses, [Some(503), Some(503), Some(200)]);
    let first = &report.attempts[0];
    assert_eq!((first.name.as_str(), first.parent), ("GET", SpanParent::Operation));
    assert_eq!(first.error_type.as_deref(), Some("503"), "error.type of an attempt is its status");
    assert_eq!(attribute(&first.attributes, keys::RETRY_REASON), Some(&AttributeValue::Str("status".into())));
    assert_eq!(attribute(&first.attributes, keys::RETRY_AFTER), Some(&AttributeValue::Double(0.0)));
    let url = format!("{}{QUOTA}", mock.base_url());
    assert_eq!(attribute(&first.attributes, keys::URL_FULL), Some(&AttributeValue::Str(url)), "no query string");
    assert!(report.attempts.windows(2).all(|w| w[0].end <= w[1].start), "attempts follow each other");
    assert_eq!(report.attempts[2].error_type, None);
    assert_eq!(
        report.measurements.iter().filter(|m| m.instrument == "http.client.request.duration").count(),
        3,
        "one duration per attempt"
    );
    assert_eq!(report.measurements.iter().filter(|m| m.instrument == "tokensmith.retries").count(), 2);
    let duration = report.measurements.iter().find(|m| m.instrument == "http.client.request.duration").unwrap();
    assert_eq!(duration.boundaries.map(|b| (b[0], b.len())), Some((0.005, 14)), "the conventions' buckets, in s");

    let seen: Vec<_> = mock.requests(false).into_iter().filter(|r| r["path"] == format!("{QUOTA}?page=2")).collect();
    assert_eq!(seen.len(), 3);
    for request in seen {
        assert_eq!(request["traceparent"], TRACEPARENT, "every attempt, retries too, sends the operation's context");
        assert_eq!(request["tracestate"], "vendor=tokensmith");
    }
}

#[test]
fn an_untraced_call_sends_no_traceparent() {
    let mock = mock();
    akool_with_key(&mock).request(Method::Get, QUOTA, None).unwrap();
    assert_eq!(mock.requests(false)[0]["traceparent"], serde_json::Value::Null);
}

#[test]
fn a_failed_call_reports_its_kind_codes_and_the_vendors_trace_id() {
    let mock = mock();
    mock.push_fault(json!({"kind": "akool_code", "code": 1200, "path": QUOTA})).unwrap();
    let trace = CallTrace::new(operations::AKOOL_REQUEST, Vec::new());
    let error = traced(&akool_with_key(&mock), &trace).request(Method::Get, QUOTA, None).unwrap_err();
    let report = trace.report();
    assert_eq!(report.error_type, Some(error.kind().name()));
    assert_eq!(report.error_type, Some("AccountBanned"));
    assert_eq!(attribute(&report.attributes, keys::AKOOL_CODE), Some(&AttributeValue::Int(1200)));
    assert_eq!(attribute(&report.attributes, keys::ERROR_TYPE), Some(&AttributeValue::Str("AccountBanned".into())));

    let mock = common::mock();
    let headers = json!({"x-request-id": "vendor-trace-77"});
    mock.push_fault(json!({"kind": "status", "status": 404, "path": "/api/v1/credentials/", "headers": headers}))
        .unwrap();
    let trace = CallTrace::new(operations::ACEDATA_LIST_CREDENTIALS, Vec::new());
    let platform = platform(&mock).with_call_options(CallOptions::new().with_trace(trace.clone())).unwrap();
    platform.list_credentials(&CredentialFilter::default()).unwrap_err();
    let report = trace.report();
    assert_eq!(report.error_type, Some("NotFound"));
    assert_eq!(
        attribute(&report.attributes, keys::VENDOR_TRACE_ID),
        Some(&AttributeValue::Str("vendor-trace-77".into()))
    );
    assert_eq!(attribute(&report.attributes, keys::HTTP_RESPONSE_STATUS_CODE), Some(&AttributeValue::Int(404)));
}

#[test]
fn an_input_error_is_reported_without_any_attempt() {
    let mock = mock();
    let trace = CallTrace::new(operations::ACEDATA_GET_CREDENTIAL, Vec::new());
    let platform = platform(&mock).with_call_options(CallOptions::new().with_trace(trace.clone())).unwrap();
    platform.get_credential("not-a-uuid").unwrap_err();
    let report = trace.report();
    assert_eq!((report.error_type, report.attempts.len()), (Some("InvalidInput"), 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_first_calls_share_one_token_fetch_which_one_reports_and_the_rest_link_to() {
    let mock = mock();
    mock.push_fault(json!({"kind": "delay", "ms": 200, "path": GET_TOKEN})).unwrap();
    let client: AkoolClient = akool_with_client_credentials(&mock).as_async().clone();
    let calls = (0..64).map(|i| {
        let trace =
            CallTrace::new(operations::AKOOL_REQUEST, propagation(&format!("00-{:032x}-{:016x}-01", i + 1, i + 1)));
        let client = client.with_call_options(CallOptions::new().with_trace(trace.clone())).unwrap();
        tokio::spawn(async move {
            client.request(Method::Get, QUOTA, None).await.unwrap();
            trace.report()
        })
    });
    let reports: Vec<CallReport> =
        futures_util::future::join_all(calls).await.into_iter().map(Result::unwrap).collect();
    assert_eq!(mock.count("POST", GET_TOKEN), 1, "one fetch");
    let fetches: Vec<_> = reports.iter().map(|r| r.token_fetch.as_ref().expect("each waited for the fetch")).collect();
    assert!(fetches.iter().all(|f| f.fetch.id() == fetches[0].fetch.id()), "the same fetch");
    let leaders: Vec<usize> = (0..64).filter(|i| fetches[*i].fetch.is_leader()).collect();
    assert_eq!(leaders.len(), 1, "one call started it");
    for report in &reports {
        assert_eq!(attribute(&report.attributes, keys::TOKEN_CACHED), Some(&AttributeValue::Bool(false)));
    }

    // The fetch's parent is the leader's operation: its propagation headers, which getToken also sent.
    let leader_traceparent = format!("00-{:032x}-{:016x}-01", leaders[0] + 1, leaders[0] + 1);
    let get_token = mock.requests(false).into_iter().find(|r| r["path"] == GET_TOKEN).unwrap();
    assert_eq!(get_token["traceparent"], leader_traceparent.as_str());
    // One reporter claims the fetch and publishes its span's context; the others get it.
    let claimed: Vec<_> = fetches.iter().filter_map(|f| f.fetch.claim()).collect();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0][0], ("traceparent".to_owned(), leader_traceparent));
    fetches[0].fetch.publish(propagation("00-fetch"));
    assert!(fetches.iter().all(|f| f.fetch.wait() == Some(propagation("00-fetch"))));
    let fetch = fetches[0];
    assert_eq!(fetch.span.name, "akool.get_token");
    assert_eq!(fetch.attempts.len(), 1);
    assert_eq!(fetch.attempts[0].parent, SpanParent::TokenFetch);
    assert!(fetch.span.end.duration_since(fetch.span.start).unwrap() >= Duration::from_millis(200));
    assert!(fetch.measurements.iter().any(|m| m.instrument == "tokensmith.token.fetches"));

    // The next call finds the token in the cache.
    let trace = CallTrace::new(operations::AKOOL_REQUEST, Vec::new());
    client
        .with_call_options(CallOptions::new().with_trace(trace.clone()))
        .unwrap()
        .request(Method::Get, QUOTA, None)
        .await
        .unwrap();
    let report = trace.report();
    assert_eq!(attribute(&report.attributes, keys::TOKEN_CACHED), Some(&AttributeValue::Bool(true)));
    assert!(report.token_fetch.is_none());
}

#[test]
fn no_secret_appears_in_any_report() {
    let mock = mock();
    let canary = "canary-5e1f-c0ffee-0042-telemetry";
    mock.push_fault(json!({"kind": "status", "status": 503, "times": 1, "retry_after": "0"})).unwrap();
    mock.push_fault(json!({"kind": "echo_auth", "path": SPECIFY_IMAGE})).unwrap();
    let mut reports = Vec::new();
    let key = tokensmith::blocking::AkoolClient::new(
        tokensmith::AkoolCredentials::ApiKey(tokensmith::Secret::new(canary)),
        options(&mock),
    )
    .unwrap();
    for client in [key, akool_with_client_credentials(&mock)] {
        for path in [QUOTA, SPECIFY_IMAGE] {
            let trace = CallTrace::new(operations::AKOOL_REQUEST, Vec::new());
            let _ = traced(&client, &trace).request(Method::Post, path, Some(&json!({"secret": canary})));
            reports.push(trace.report());
        }
    }
    let trace = CallTrace::new(operations::ACEDATA_CREATE_CREDENTIAL, Vec::new());
    let platform = platform(&mock).with_call_options(CallOptions::new().with_trace(trace.clone())).unwrap();
    let created = platform.create_credential(&tokensmith::NewCredential::new(tokensmith_mock::DEMO_APPLICATION_ID));
    reports.push(trace.report());
    let text = format!("{reports:?}");
    assert!(created.is_ok());
    for secret in [canary, DEMO_API_KEY, DEMO_CLIENT_SECRET, DEMO_PLATFORM_TOKEN, "Bearer"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    assert!(reports.iter().all(|r| r.token_fetch.as_ref().is_none_or(|f| !format!("{f:?}").contains(canary))));
}

#[test]
fn the_clients_telemetry_option_sends_no_context_or_records_nothing() {
    let mock = mock();
    let client = |mode| {
        let options = options(&mock).with_telemetry(mode);
        tokensmith::blocking::AkoolClient::new(tokensmith::AkoolCredentials::ApiKey(DEMO_API_KEY.into()), options)
            .unwrap()
    };
    let trace = CallTrace::new(operations::AKOOL_REQUEST, propagation(TRACEPARENT));
    traced(&client(TelemetryMode::NoPropagation), &trace).request(Method::Get, QUOTA, None).unwrap();
    assert_eq!(trace.report().attempts.len(), 1, "recorded");
    assert_eq!(mock.requests(false)[0]["traceparent"], serde_json::Value::Null, "but no context sent");

    let trace = CallTrace::new(operations::AKOOL_REQUEST, propagation(TRACEPARENT));
    traced(&client(TelemetryMode::Off), &trace).request(Method::Get, QUOTA, None).unwrap();
    assert_eq!(trace.report().attempts.len(), 0, "nothing recorded");
    assert_eq!(mock.requests(false)[1]["traceparent"], serde_json::Value::Null);
    assert_eq!(client(TelemetryMode::Off).as_async().telemetry(), TelemetryMode::Off);
}

#[test]
fn an_unsent_trace_sends_no_context_yet_parents_the_token_fetch() {
    let mock = mock();
    let trace = CallTrace::unsent(operations::AKOOL_REQUEST, propagation(TRACEPARENT));
    traced(&akool_with_client_credentials(&mock), &trace).request(Method::Get, QUOTA, None).unwrap();

    let seen = mock.requests(false);
    assert_eq!(seen.len(), 2, "the token fetch, then the request: {seen:#?}");
    assert!(seen.iter().all(|r| r["traceparent"].is_null()), "neither sends the context: {seen:#?}");
    let report = trace.report();
    assert_eq!(report.attempts.len(), 1, "still recorded");
    let fetch = report.token_fetch.expect("the call started the fetch");
    assert!(fetch.fetch.is_leader());
    assert_eq!(fetch.fetch.claim(), Some(propagation(TRACEPARENT)), "its span's parent is the operation");
}

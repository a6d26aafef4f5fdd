//! The Rust runner of the shared conformance suite (`tests/conformance/cases.json`; format in its README), in
//! both modes: blocking (each of a step's `threads` is a thread calling `tokensmith::blocking`) and async (each
//! is a task on a multi-thread tokio runtime of the test's own, awaiting the async clients).

use std::sync::Barrier;
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use serde_json::{json, Value};
use tokensmith::{
    AceDataPlatform, AkoolClient, AkoolCredentials, Application, ApplicationFilter, CallOptions, Change, ClientOptions,
    Credential, CredentialChanges, CredentialFilter, Error, NewCredential, RetryPolicy, Secret, WebhookVerifier,
};
use tokensmith_mock::MockServer;

const CASES: &str = include_str!("../../tests/conformance/cases.json");

enum Client {
    Akool(AkoolClient),
    AceData(AceDataPlatform),
    Webhook(WebhookVerifier),
}

/// How a case's calls are made and waited for.
#[derive(Clone, Copy, Debug)]
enum Mode {
    /// Threads calling the blocking clients (`tokensmith::blocking`).
    Blocking,
    /// Tasks awaiting the async clients.
    Async,
}

struct Case<'a> {
    mode: Mode,
    spec: &'a Value,
    suite: &'a Value,
    mock: &'a MockServer,
    client: Option<Client>,
    created: Value,
}

impl Case<'_> {
    fn setting(&self, key: &str) -> String {
        let value = self.spec["client"].get(key).or_else(|| self.suite["demo"].get(key)).and_then(Value::as_str);
        match value {
            Some("$canary") => self.canary().to_owned(),
            Some(v) => v.to_owned(),
            None => panic!("no {key} for the client"),
        }
    }

    fn canary(&self) -> &str {
        self.suite["canary"].as_str().unwrap()
    }

    fn build(&self) -> Result<Client, Error> {
        let spec = &self.spec["client"];
        let base = spec.get("base_url").and_then(Value::as_str).unwrap_or(self.mock.base_url());
        let retry = RetryPolicy { initial_backoff: Duration::from_millis(10), ..RetryPolicy::default() };
        let mut options = ClientOptions::default().with_base_url(base).with_retry(retry);
        if let Some(ms) = spec.get("request_timeout_ms").and_then(Value::as_u64) {
            options = options.with_request_timeout(Duration::from_millis(ms));
        }
        Ok(match spec["type"].as_str().unwrap() {
            "akool_api_key" => Client::Akool(AkoolClient::new(
                AkoolCredentials::ApiKey(Secret::new(self.setting("api_key"))),
                options,
            )?),
            "akool_client_credentials" => Client::Akool(AkoolClient::new(
                AkoolCredentials::ClientCredentials {
                    client_id: self.setting("client_id"),
                    client_secret: Secret::new(self.setting("client_secret")),
                },
                options,
            )?),
            "acedata" => Client::AceData(AceDataPlatform::new(self.setting("platform_token"), options)?),
            "webhook" => {
                Client::Webhook(WebhookVerifier::new(self.setting("client_id"), self.setting("client_secret"))?)
            }
            other => panic!("unknown client type {other}"),
        })
    }

    fn substitute(&self, text: &str) -> String {
        match self.created.get("id").and_then(Value::as_str) {
            Some(id) => text.replace("$created.id", id),
            None => text.to_owned(),
        }
    }

    /// Runs one op on the blocking clients (the async ones wrapped as `tokensmith::blocking` wraps them).
    fn call_blocking(&self, op: &str, args: &Value) -> Result<Value, Error> {
        let client = self.client.as_ref().expect("built before calls");
        let text = |key: &str| args.get(key).and_then(Value::as_str).map(|s| self.substitute(s));
        match (op, client) {
            ("token", Client::Akool(akool)) => {
                Ok(json!({"token": tokensmith::blocking::AkoolClient::from(akool.clone()).token()?.expose()}))
            }
            ("request", Client::Akool(akool)) => {
                let mut akool = tokensmith::blocking::AkoolClient::from(akool.clone());
                if let Some(call) = args.get("call") {
                    akool = akool.with_call_options(call_options(call))?;
                }
                akool.request(text("method").unwrap().parse()?, &text("path").unwrap(), args.get("body"))
            }
            ("get_credential", Client::AceData(platform)) => Ok(credential_json(
                &tokensmith::blocking::AceDataPlatform::from(platform.clone()).get_credential(&text("id").unwrap())?,
            )),
            ("iter_credentials", Client::AceData(platform)) if args.get("call").is_none() => {
                let filter = CredentialFilter {
                    application_id: text("application_id"),
                    host: text("host"),
                    limit: args.get("limit").and_then(Value::as_u64).map(|n| n as u32),
                    offset: None,
                };
                let blocking = tokensmith::blocking::AceDataPlatform::from(platform.clone());
                let items = blocking.iter_credentials(&filter).collect::<Result<Vec<_>, _>>()?;
                Ok(json!({"count": items.len(), "items": items.iter().map(credential_json).collect::<Vec<_>>()}))
            }
            // The other blocking methods forward the same way (core/src/blocking/); their own tests cover them.
            _ => futures_executor::block_on(self.call_async(op, args)),
        }
    }

    /// Runs one op on the async clients and returns its result as JSON, or the error.
    async fn call_async(&self, op: &str, args: &Value) -> Result<Value, Error> {
        let text = |key: &str| args.get(key).and_then(Value::as_str).map(|s| self.substitute(s));
        let number = |key: &str| args.get(key).and_then(Value::as_f64);
        let flag = |key: &str| args.get(key).and_then(Value::as_bool).unwrap_or(false);
        let count = |key: &str| args.get(key).and_then(Value::as_u64).map(|n| n as u32);
        let client = match (self.client.as_ref().expect("built before calls"), args.get("call")) {
            (Client::Akool(akool), Some(call)) => &Client::Akool(akool.with_call_options(call_options(call))?),
            (Client::AceData(platform), Some(call)) => {
                &Client::AceData(platform.with_call_options(call_options(call))?)
            }
            (client, _) => client,
        };
        match (op, client) {
            ("token", Client::Akool(akool)) => Ok(json!({"token": akool.token().await?.expose()})),
            ("auth_headers", Client::Akool(akool)) => Ok(akool
                .auth_headers()
                .await?
                .into_iter()
                .map(|h| (h.name.to_owned(), Value::from(h.value.expose())))
                .collect()),
            ("request", Client::Akool(akool)) => {
                let method = text("method").unwrap().parse()?;
                akool.request(method, &text("path").unwrap(), args.get("body")).await
            }
            ("create_credential", Client::AceData(platform)) => {
                let new = NewCredential {
                    application_id: text("application_id").unwrap(),
                    host: text("host"),
                    limited_amount: number("limited_amount"),
                    expired_at: text("expired_at"),
                    name: text("name"),
                    allowed_api_ids: args
                        .get("allowed_api_ids")
                        .map(|ids| serde_json::from_value(ids.clone()).unwrap()),
                    metadata: args.get("metadata").and_then(Value::as_object).cloned(),
                };
                Ok(credential_json(&platform.create_credential(&new).await?))
            }
            ("list_credentials", Client::AceData(platform)) => {
                let filter = CredentialFilter {
                    application_id: text("application_id"),
                    host: text("host"),
                    limit: count("limit"),
                    offset: count("offset"),
                };
                let page = platform.list_credentials(&filter).await?;
                Ok(json!({"count": page.count, "items": page.items.iter().map(credential_json).collect::<Vec<_>>()}))
            }
            ("iter_credentials", Client::AceData(platform)) => {
                let filter = CredentialFilter {
                    application_id: text("application_id"),
                    host: text("host"),
                    limit: count("limit"),
                    offset: None,
                };
                let items: Vec<Credential> = platform.iter_credentials(&filter).try_collect().await?;
                Ok(json!({"count": items.len(), "items": items.iter().map(credential_json).collect::<Vec<_>>()}))
            }
            ("list_applications", Client::AceData(platform)) => {
                let filter = ApplicationFilter { limit: count("limit"), offset: count("offset") };
                let page = platform.list_applications(&filter).await?;
                Ok(json!({"count": page.count, "items": page.items.iter().map(application_json).collect::<Vec<_>>()}))
            }
            ("get_application", Client::AceData(platform)) => {
                Ok(application_json(&platform.get_application(&text("id").unwrap()).await?))
            }
            ("get_credential", Client::AceData(platform)) => {
                Ok(credential_json(&platform.get_credential(&text("id").unwrap()).await?))
            }
            ("update_credential", Client::AceData(platform)) => {
                let changes = CredentialChanges {
                    name: text("name"),
                    limited_amount: Change::from_parts(
                        "limited_amount",
                        number("limited_amount"),
                        flag("clear_limited_amount"),
                    )?,
                    expired_at: Change::from_parts("expired_at", text("expired_at"), flag("clear_expired_at"))?,
                    allowed_api_ids: None,
                };
                Ok(credential_json(&platform.update_credential(&text("id").unwrap(), &changes).await?))
            }
            ("rotate_credential", Client::AceData(platform)) => {
                Ok(credential_json(&platform.rotate_credential(&text("id").unwrap()).await?))
            }
            ("delete_credential", Client::AceData(platform)) => {
                platform.delete_credential(&text("id").unwrap()).await?;
                Ok(Value::Null)
            }
            ("webhook_verify", Client::Webhook(verifier)) => {
                let body = text("body").unwrap();
                let event = match text("expected_id") {
                    Some(id) => verifier.verify_expecting_id(body.as_bytes(), &id)?,
                    None => verifier.verify(body.as_bytes())?,
                };
                Ok(json!({"id": event.id, "status": event.status, "timestamp_ms": event.timestamp_ms,
                          "nonce": event.nonce, "payload": event.payload}))
            }
            (op, _) => panic!("op {op} does not apply to this client"),
        }
    }

    fn run(&mut self) -> Result<(), String> {
        self.mock.reset();
        for (index, step) in self.spec["steps"].as_array().unwrap().iter().enumerate() {
            let op = step["op"].as_str().unwrap();
            let at = format!("step {index} ({op})");
            let args = step.get("args").cloned().unwrap_or(json!({}));
            match op {
                "fault" => {
                    self.mock.push_fault(args).map_err(|e| format!("{at}: bad fault: {e}"))?;
                    continue;
                }
                "expire_tokens" => {
                    self.mock.expire_tokens();
                    continue;
                }
                _ => {}
            }
            let expect = step.get("expect").cloned().unwrap_or(json!({"ok": true}));
            if self.client.is_none() {
                match self.build() {
                    Ok(client) => self.client = Some(client),
                    Err(error) => return self.check(&at, &expect, Err(error), Duration::ZERO),
                }
            }
            if op == "build" {
                self.check(&at, &expect, Ok(Value::Null), Duration::ZERO)?;
                continue;
            }
            let threads = step.get("threads").and_then(Value::as_u64).unwrap_or(1) as usize;
            let outcomes = match self.mode {
                Mode::Blocking => self.on_threads(threads, op, &args),
                Mode::Async => self.on_tasks(threads, op, &args),
            };
            for (result, elapsed) in outcomes {
                if op == "create_credential" {
                    if let Ok(created) = &result {
                        self.created = created.clone();
                    }
                }
                self.check(&at, &expect, result, elapsed)?;
            }
        }
        let expected_counts: serde_json::Map<String, Value> =
            self.spec["counts"].as_object().unwrap().iter().map(|(k, v)| (self.substitute(k), v.clone())).collect();
        let actual_counts: serde_json::Map<String, Value> =
            self.mock.counts().into_iter().map(|(k, v)| (k, Value::from(v))).collect();
        if expected_counts != actual_counts {
            return Err(format!("counts: expected {expected_counts:?}, got {actual_counts:?}"));
        }
        if let Some(state) = self.spec.get("state") {
            matches(state, &self.mock.state(), &Value::Null).map_err(|e| format!("state: {e}"))?;
        }
        Ok(())
    }

    /// Runs `op` on `threads` threads at once, released together.
    fn on_threads(&self, threads: usize, op: &str, args: &Value) -> Vec<(Result<Value, Error>, Duration)> {
        let barrier = Barrier::new(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        barrier.wait();
                        let started = Instant::now();
                        (self.call_blocking(op, args), started.elapsed())
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().expect("no panic")).collect()
        })
    }

    /// Runs `op` as `tasks` concurrent tasks on a multi-thread runtime, all started before any is awaited.
    fn on_tasks(&self, tasks: usize, op: &str, args: &Value) -> Vec<(Result<Value, Error>, Duration)> {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        runtime.block_on(async {
            let calls = (0..tasks).map(|_| async {
                let started = Instant::now();
                (self.call_async(op, args).await, started.elapsed())
            });
            futures_util::future::join_all(calls).await
        })
    }

    fn check(&self, at: &str, expect: &Value, result: Result<Value, Error>, elapsed: Duration) -> Result<(), String> {
        if self.spec.get("canary").and_then(Value::as_bool).unwrap_or(false) {
            let mut forms = vec![];
            if let Err(error) = &result {
                forms.extend([error.to_string(), format!("{error:?}")]);
            }
            match &self.client {
                Some(Client::Akool(c)) => forms.push(format!("{c:?}")),
                Some(Client::AceData(c)) => forms.push(format!("{c:?}")),
                Some(Client::Webhook(c)) => forms.push(format!("{c:?}")),
                None => {}
            }
            if let Some(leak) = forms.iter().find(|f| f.contains(self.canary())) {
                return Err(format!("{at}: the canary leaked: {leak}"));
            }
        }
        match (expect.get("error"), result) {
            (None, Ok(actual)) => {
                if let Some(expected) = expect.get("result") {
                    let expected: Value = serde_json::from_str(&self.substitute(&expected.to_string())).unwrap();
                    matches(&expected, &actual, &self.created).map_err(|e| format!("{at}: {e} in {actual}"))?;
                }
                let min = expect.get("min_elapsed_ms").and_then(Value::as_u64).unwrap_or(0);
                if elapsed < Duration::from_millis(min) {
                    return Err(format!("{at}: took {elapsed:?}, expected at least {min} ms"));
                }
                Ok(())
            }
            (None, Err(error)) => Err(format!("{at}: expected success, got {error}")),
            (Some(_), Ok(actual)) => Err(format!("{at}: expected an error, got {actual}")),
            (Some(expected), Err(error)) => {
                let actual = error_json(&error);
                if let Some(part) = expected.get("message_contains").and_then(Value::as_str) {
                    if !error.to_string().contains(part) {
                        return Err(format!("{at}: message {:?} lacks {part:?}", error.to_string()));
                    }
                }
                let mut expected = expected.clone();
                expected.as_object_mut().unwrap().remove("message_contains");
                matches(&expected, &actual, &Value::Null).map_err(|e| format!("{at}: {e} in {actual} ({error})"))
            }
        }
    }
}

fn credential_json(c: &Credential) -> Value {
    json!({
        "id": c.id, "user_id": c.user_id, "application_id": c.application_id, "type": c.kind.as_str(),
        "token": c.token.as_ref().map(Secret::expose), "username": c.username,
        "password": c.password.as_ref().map(Secret::expose), "host": c.host, "limited_amount": c.limited_amount,
        "used_amount": c.used_amount, "expired_at": c.expired_at, "created_at": c.created_at,
        "updated_at": c.updated_at, "name": c.name,
    })
}

fn application_json(a: &Application) -> Value {
    json!({
        "id": a.id, "user_id": a.user_id, "service_id": a.service_id, "type": a.kind, "scope": a.scope,
        "remaining_amount": a.remaining_amount, "used_amount": a.used_amount, "created_at": a.created_at,
        "updated_at": a.updated_at,
    })
}

/// A step's `call` object as the options of one call.
fn call_options(call: &Value) -> CallOptions {
    let mut options = CallOptions::new();
    if let Some(ms) = call.get("timeout_ms").and_then(Value::as_u64) {
        options = options.with_timeout(Duration::from_millis(ms));
    }
    if let Some(n) = call.get("max_retries").and_then(Value::as_u64) {
        options = options.with_max_retries(n as u32);
    }
    for (name, value) in call.get("headers").and_then(Value::as_object).into_iter().flatten() {
        options = options.with_header(name, value.as_str().unwrap());
    }
    options
}

fn error_json(error: &Error) -> Value {
    let details = error.details();
    json!({
        "kind": details.kind.name(),
        "akool_code": details.akool_code,
        "status": details.status,
        "vendor_code": details.vendor_code,
        "field": details.field,
        "retry_after_seconds": details.retry_after.map(|d| d.as_secs_f64()),
        "webhook_reason": details.webhook_reason.map(|r| r.name()),
        "trace_id": details.trace_id,
    })
}

/// The matching rules of the README.
fn matches(expected: &Value, actual: &Value, created: &Value) -> Result<(), String> {
    match expected {
        Value::Object(fields) => {
            for (key, want) in fields {
                let got = actual.get(key).unwrap_or(&Value::Null);
                match want.as_str() {
                    Some("$absent") if !got.is_null() => return Err(format!("{key}: expected absent, got {got}")),
                    Some("$absent") => {}
                    Some("$changed") if got.is_null() || got == &created[key] => {
                        return Err(format!("{key}: expected a change from {}, got {got}", created[key]))
                    }
                    Some("$changed") => {}
                    _ => matches(want, got, created).map_err(|e| format!("{key}.{e}"))?,
                }
            }
            Ok(())
        }
        Value::Array(items) => {
            let got = actual.as_array().ok_or_else(|| format!("expected a list, got {actual}"))?;
            if got.len() != items.len() {
                return Err(format!("expected {} items, got {}", items.len(), got.len()));
            }
            items.iter().zip(got).try_for_each(|(want, got)| matches(want, got, created))
        }
        Value::String(want) if want == "$present" => {
            if actual.is_null() {
                Err("expected present, got null".into())
            } else {
                Ok(())
            }
        }
        Value::String(want) if want.starts_with("$prefix:") => match actual.as_str() {
            Some(got) if got.starts_with(&want["$prefix:".len()..]) => Ok(()),
            _ => Err(format!("expected {want}, got {actual}")),
        },
        Value::String(want) if want.starts_with('$') => Err(format!("unknown matcher {want}")),
        Value::Number(want) => match actual.as_f64() {
            Some(got) if (got - want.as_f64().unwrap()).abs() < 1e-9 => Ok(()),
            _ => Err(format!("expected {want}, got {actual}")),
        },
        want if want == actual => Ok(()),
        want => Err(format!("expected {want}, got {actual}")),
    }
}

fn run_every_case(mode: Mode) {
    let suite: Value = serde_json::from_str(CASES).expect("cases.json is JSON");
    let mock = MockServer::start().unwrap();
    let mut failures = vec![];
    let cases = suite["cases"].as_array().unwrap();
    for spec in cases {
        let mut case = Case { mode, spec, suite: &suite, mock: &mock, client: None, created: Value::Null };
        if let Err(failure) = case.run() {
            failures.push(format!("{}: {failure}", spec["name"].as_str().unwrap()));
        }
    }
    let count = cases.len();
    assert!(failures.is_empty(), "{mode:?}: {} of {count} cases failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_conformance_case_passes_blocking() {
    run_every_case(Mode::Blocking);
}

#[test]
fn every_conformance_case_passes_async() {
    run_every_case(Mode::Async);
}

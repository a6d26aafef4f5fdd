//! The `tokensmith` binary against the mock (started in-process): JSON on stdout, one clean line on stderr, exit
//! codes, no secrets.

use std::process::{Command, Output, Stdio};

use serde_json::Value;
use tokensmith_mock::{
    MockServer, DEMO_API_KEY, DEMO_APPLICATION_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PLATFORM_TOKEN,
};

const BIN: &str = env!("CARGO_BIN_EXE_tokensmith");

/// The command with an empty environment, but for what Windows needs to open a socket at all (`SYSTEMROOT`;
/// without it Winsock fails with error 10106).
fn bare(command: &mut Command) -> &mut Command {
    command.env_clear();
    if let Some(root) = std::env::var_os("SYSTEMROOT") {
        command.env("SYSTEMROOT", root);
    }
    command
}

/// Runs the binary with exactly these environment variables (nothing inherited, so no real secret leaks in).
fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    bare(Command::new(BIN).args(args)).envs(env.iter().copied()).output().expect("the binary runs")
}

fn stdout_json(output: &Output) -> Value {
    assert!(output.status.success(), "failed: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

fn stderr_line(output: &Output) -> String {
    let text = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(text.trim_end().lines().count(), 1, "one line expected: {text}");
    text
}

#[test]
fn akool_token_headers_and_request() {
    let mock = MockServer::start().unwrap();
    let method2 = [
        ("AKOOL_CLIENT_ID", DEMO_CLIENT_ID),
        ("AKOOL_CLIENT_SECRET", DEMO_CLIENT_SECRET),
        ("AKOOL_BASE_URL", mock.base_url()),
    ];
    let token = stdout_json(&run(&["akool", "token"], &method2))["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("mock-token-"));
    let headers = stdout_json(&run(&["akool", "headers"], &method2));
    // Each process fetches its own token: the CLI keeps no cache on disk.
    assert!(headers["authorization"].as_str().unwrap().starts_with("Bearer mock-token-"));
    assert_eq!(mock.count("POST", "/api/open/v3/getToken"), 2);

    let method1 = [("AKOOL_API_KEY", DEMO_API_KEY), ("AKOOL_BASE_URL", mock.base_url())];
    assert_eq!(stdout_json(&run(&["akool", "headers"], &method1))["x-api-key"], DEMO_API_KEY);
    let data = stdout_json(&run(
        &["akool", "request", "post", "/api/open/v3/faceswap/highquality/specifyimage", "--data", r#"{"a": [1]}"#],
        &method1,
    ));
    assert_eq!((data["auth"].as_str(), &data["body"]["a"][0]), (Some("x-api-key"), &Value::from(1)));
    assert!(data["headers"]["user-agent"].as_str().unwrap().ends_with(" cli"));

    let file = std::env::temp_dir().join(format!("tokensmith-cli-{}.json", std::process::id()));
    std::fs::write(&file, r#"{"from": "file"}"#).unwrap();
    let data = stdout_json(&run(
        &["akool", "request", "POST", "/api/open/v3/x", "--data", &format!("@{}", file.display())],
        &method1,
    ));
    assert_eq!(data["body"]["from"], "file");
    std::fs::remove_file(file).unwrap();
}

#[test]
fn errors_are_one_line_on_stderr_with_exit_codes_and_no_secret() {
    let mock = MockServer::start().unwrap();
    let output = run(&["akool", "token"], &[]);
    assert_eq!(output.status.code(), Some(2));
    let line = stderr_line(&output);
    assert!(line.contains("AKOOL_API_KEY") && line.contains("AKOOL_CLIENT_SECRET"), "{line}");

    let canary = "canary-cli-31337";
    let output = run(
        &["akool", "request", "GET", "/api/open/v3/faceswap/quota/info"],
        &[("AKOOL_API_KEY", canary), ("AKOOL_BASE_URL", mock.base_url())],
    );
    assert_eq!(output.status.code(), Some(3));
    let line = stderr_line(&output);
    assert!(line.starts_with("tokensmith: error: authentication failed") && !line.contains(canary), "{line}");
    assert!(output.stdout.is_empty());

    let output = run(
        &["akool", "request", "GET", "/x", "--data", "{not json"],
        &[("AKOOL_API_KEY", canary), ("AKOOL_BASE_URL", mock.base_url())],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_line(&output).contains("--data"));

    let output = run(&["akool", "headers"], &[("AKOOL_API_KEY", canary), ("AKOOL_BASE_URL", "http://example.com")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_line(&output).contains("base_url"));
}

#[test]
fn acedata_credential_lifecycle() {
    let mock = MockServer::start().unwrap();
    let env = [("ACEDATA_PLATFORM_TOKEN", DEMO_PLATFORM_TOKEN), ("ACEDATA_PLATFORM_BASE_URL", mock.base_url())];
    let cred = |args: &[&str]| {
        let mut all = vec!["acedata", "credentials"];
        all.extend_from_slice(args);
        run(&all, &env)
    };
    let created = stdout_json(&cred(&["create", "--application-id", DEMO_APPLICATION_ID, "--limited-amount", "10"]));
    assert_eq!((created["type"].as_str(), created["limited_amount"].as_f64()), (Some("Token"), Some(10.0)));
    assert!(created["token"].as_str().unwrap().starts_with("sk-mock-"));
    let id = created["id"].as_str().unwrap();

    let listed = stdout_json(&cred(&["list", "--application-id", DEMO_APPLICATION_ID, "--limit", "5"]));
    assert_eq!(listed["count"], 1);
    assert_eq!(stdout_json(&cred(&["get", id]))["id"], id);
    let updated = stdout_json(&cred(&["update", id, "--name", "ci", "--no-limit"]));
    assert_eq!((updated["name"].as_str(), updated["limited_amount"].is_null()), (Some("ci"), true));
    let rotated = stdout_json(&cred(&["rotate", id]));
    assert_ne!(rotated["token"], created["token"]);
    assert_eq!(stdout_json(&cred(&["delete", id]))["deleted"], id);
    let output = cred(&["get", id]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr_line(&output).contains("not found"));

    let output = cred(&["create", "--application-id", "nope"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_line(&output).contains("application_id"));
    assert_eq!(mock.count("POST", "/api/v1/credentials/"), 1, "bad input reached the server");
}

/// Needs `--features demo`.
#[cfg(feature = "demo")]
#[test]
fn demo_trace_prints_each_calls_spans_as_a_tree_and_no_secret() {
    let output = run(&["demo", "--trace"], &[]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "akool.token",
        "└─ akool.get_token",
        "/api/open/v3/getToken",
        "tokensmith.token.cached=true",
        "error.type=AccountBanned",
        "http.response.status_code=503",
        "http.request.resend_count=1",
        "tokensmith.retry.reason=status",
        "acedata.create_credential",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    for secret in [DEMO_API_KEY, DEMO_PLATFORM_TOKEN, "mock-token-", "sk-mock-", "Bearer "] {
        assert!(!text.contains(secret), "secret {secret:?} printed:\n{text}");
    }
}

/// Needs `--features demo` (scripts/test runs `cargo test -p tokensmith-cli --features demo` for it).
#[cfg(feature = "demo")]
#[test]
fn demo_runs_without_network_or_credentials_and_prints_no_secret() {
    let output = run(&["demo"], &[]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    for expected in
        ["x-api-key", "bearer", "getToken requests so far: 2", "account banned", "rotated", "invalid application_id"]
    {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    for secret in [DEMO_API_KEY, DEMO_PLATFORM_TOKEN, "mock-token-", "sk-mock-"] {
        assert!(!text.contains(secret), "secret {secret:?} printed:\n{text}");
    }
}

/// The mock server is the `tokensmith-mock` binary now; `demo` exists only with the cargo feature `demo`, so the
/// installed binary has neither (nor the mock server linked in).
#[test]
fn mock_is_not_a_subcommand_and_demo_needs_the_feature() {
    let absent: &[&str] = if cfg!(feature = "demo") { &["mock"] } else { &["mock", "demo"] };
    for subcommand in absent {
        let output = run(&[subcommand], &[]);
        assert_eq!(output.status.code(), Some(2), "{subcommand}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("unrecognized subcommand"), "{output:?}");
    }
}

#[test]
fn webhook_verify_reads_stdin_and_prints_the_payload() {
    use std::io::Write;
    let verifier = tokensmith::WebhookVerifier::new(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET).unwrap();
    let body = verifier.sign_and_encrypt(&serde_json::json!({"_id": "job-9", "status": 3}), 1_700_000_000_000, "n");
    let env = [("AKOOL_CLIENT_ID", DEMO_CLIENT_ID), ("AKOOL_CLIENT_SECRET", DEMO_CLIENT_SECRET)];
    let verify = |input: &str, extra: &[&str]| {
        let mut args = vec!["akool", "webhook", "verify"];
        args.extend_from_slice(extra);
        let mut child = bare(Command::new(BIN).args(&args))
            .envs(env)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let printed = stdout_json(&verify(&body.to_string(), &["--expect-id", "job-9"]));
    assert_eq!((printed["id"].as_str(), printed["payload"]["status"].as_i64()), (Some("job-9"), Some(3)));
    let mut tampered = body.clone();
    tampered["nonce"] = "other".into();
    let output = verify(&tampered.to_string(), &[]);
    assert_eq!(output.status.code(), Some(4));
    let line = stderr_line(&output);
    assert!(line.contains("BadSignature") && !line.contains(DEMO_CLIENT_SECRET), "{line}");
}

#[test]
fn applications_and_every_credential_across_pages() {
    let mock = MockServer::start().unwrap();
    let env = [("ACEDATA_PLATFORM_TOKEN", DEMO_PLATFORM_TOKEN), ("ACEDATA_PLATFORM_BASE_URL", mock.base_url())];
    let listed = stdout_json(&run(&["acedata", "applications", "list"], &env));
    assert_eq!(listed["count"], 2);
    assert_eq!(listed["items"][0]["id"], DEMO_APPLICATION_ID);
    let one = stdout_json(&run(&["acedata", "applications", "get", DEMO_APPLICATION_ID], &env));
    assert_eq!(one["type"], "Api");

    for _ in 0..3 {
        stdout_json(&run(&["acedata", "credentials", "create", "--application-id", DEMO_APPLICATION_ID], &env));
    }
    let all = stdout_json(&run(&["acedata", "credentials", "list", "--all", "--limit", "2"], &env));
    assert_eq!((all["count"].as_u64(), all["items"].as_array().map(Vec::len)), (Some(3), Some(3)));
    assert_eq!(mock.count("GET", "/api/v1/credentials/"), 2, "two pages of two");
}

#[test]
fn verbose_logs_requests_on_stderr_without_secrets() {
    let mock = MockServer::start().unwrap();
    let env = [
        ("AKOOL_CLIENT_ID", DEMO_CLIENT_ID),
        ("AKOOL_CLIENT_SECRET", DEMO_CLIENT_SECRET),
        ("AKOOL_BASE_URL", mock.base_url()),
    ];
    let quiet = run(&["akool", "request", "GET", "/api/open/v3/faceswap/quota/info"], &env);
    assert!(quiet.status.success() && quiet.stderr.is_empty());
    let output = run(&["-vv", "akool", "request", "GET", "/api/open/v3/faceswap/quota/info"], &env);
    assert!(output.status.success());
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(log.contains("tokensmith: debug: POST /api/open/v3/getToken -> 200"), "{log}");
    assert!(log.contains("GET /api/open/v3/faceswap/quota/info -> 200"), "{log}");
    assert!(!log.contains(DEMO_CLIENT_SECRET), "{log}");
    let output = run(&["-vvv", "akool", "token"], &env);
    let (log, token) = (String::from_utf8_lossy(&output.stderr), stdout_json(&output)["token"].clone());
    assert!(log.contains("fetched a new Akool token") && !log.contains(token.as_str().unwrap()), "{log}");
}

//! The `tokensmith-mock` binary: base URL first on stdout, then serves until killed; `--help`; refused arguments.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};
use tokensmith_mock::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};

const BIN: &str = env!("CARGO_BIN_EXE_tokensmith-mock");

/// The command with an empty environment, but for what Windows needs to open a socket at all (`SYSTEMROOT`;
/// without it Winsock fails with error 10106).
fn bare(command: &mut Command) -> &mut Command {
    command.env_clear();
    if let Some(root) = std::env::var_os("SYSTEMROOT") {
        command.env("SYSTEMROOT", root);
    }
    command
}

/// Kills the server when the test ends, passed or failed.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One HTTP/1.1 request over a fresh connection: the status line and the JSON body of the answer.
fn http(base: &str, method: &str, path: &str, body: &str) -> (String, Value) {
    let mut stream = TcpStream::connect(base.strip_prefix("http://").unwrap()).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nhost: mock\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_owned(), serde_json::from_str(body).unwrap())
}

#[test]
fn prints_its_base_url_first_and_serves_it() {
    let mut child = bare(Command::new(BIN).args(["--addr", "127.0.0.1:0"]))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _running = Running(child);
    let mut first = String::new();
    BufReader::new(stdout).read_line(&mut first).unwrap();
    let base = first.trim();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");

    let credentials = json!({"clientId": DEMO_CLIENT_ID, "clientSecret": DEMO_CLIENT_SECRET}).to_string();
    let (status, answer) = http(base, "POST", "/api/open/v3/getToken", &credentials);
    assert_eq!((status.as_str(), &answer["code"]), ("HTTP/1.1 200 OK", &json!(1000)));
    assert!(answer["token"].as_str().unwrap().starts_with("mock-token-"), "{answer}");
    let (_, state) = http(base, "GET", "/__mock/state", "");
    assert_eq!(state["counts"]["POST /api/open/v3/getToken"], 1, "{state}");
}

#[test]
fn help_and_refused_arguments() {
    let help = Command::new(BIN).arg("--help").output().unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--addr ADDR"));

    let wrong = Command::new(BIN).arg("mock").output().unwrap();
    assert_eq!(wrong.status.code(), Some(2));
    assert!(wrong.stdout.is_empty());
    assert!(String::from_utf8_lossy(&wrong.stderr).starts_with("tokensmith-mock: error: unexpected argument"));

    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let taken = busy.local_addr().unwrap().to_string();
    let refused = Command::new(BIN).args(["--addr", &taken]).output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("cannot listen on"), "{refused:?}");
}

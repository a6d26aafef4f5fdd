//! Faults below HTTP, seen from a plain TCP client: idle close, `close_after`, `reset`, and a restart on the same
//! port that keeps the state and closes the connections it had.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokensmith_mock::MockServer;

/// How long a test waits for the mock to close a connection before calling it open.
const PATIENCE: Duration = Duration::from_secs(5);

fn connect(mock: &MockServer) -> TcpStream {
    TcpStream::connect(mock.base_url().strip_prefix("http://").unwrap()).unwrap()
}

/// One keep-alive request on `stream`: the answer's head, lower-cased, and its JSON body.
fn send(stream: &mut TcpStream, method: &str, path: &str, body: &str) -> (String, Value) {
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nhost: mock\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut head = Vec::new();
    let mut byte = [0; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).unwrap().to_ascii_lowercase();
    let length = head.lines().find_map(|line| line.strip_prefix("content-length: ")).map_or(0, |n| n.parse().unwrap());
    let mut body = vec![0; length];
    stream.read_exact(&mut body).unwrap();
    (head, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

/// A request the mock answers 404 (counted and open to faults, unlike the admin endpoints): the answer's head.
fn ping(stream: &mut TcpStream) -> String {
    let (head, _) = send(stream, "GET", "/ping", "");
    assert!(head.starts_with("http/1.1 404"), "{head}");
    assert!(!head.contains("connection: close"), "{head}");
    head
}

/// What a read sees within `wait`: `Ok(0)` for the end of the stream (a FIN), an error for a reset, `TimedOut`
/// or `WouldBlock` while the connection stays open.
fn read_end(stream: &mut TcpStream, wait: Duration) -> std::io::Result<usize> {
    stream.set_read_timeout(Some(wait)).unwrap();
    stream.read(&mut [0; 1])
}

fn still_open(stream: &mut TcpStream, wait: Duration) -> bool {
    matches!(read_end(stream, wait), Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut))
}

#[test]
fn idle_close_closes_a_keep_alive_connection_idle_that_long_and_not_before() {
    let mock = MockServer::start().unwrap();
    let idle = Duration::from_millis(500);
    mock.set_idle_close(Some(idle));
    let mut stream = connect(&mock);
    ping(&mut stream);
    // Requests within the idle time keep it open: each answer starts the count again. The count of the last
    // starts when the mock wrote its answer, after `sent`: so however slowly the answer is read, the close comes
    // at least `idle` after `sent`.
    let mut sent = Instant::now();
    for _ in 0..3 {
        sleep(idle / 5);
        sent = Instant::now();
        ping(&mut stream);
    }
    assert_eq!(read_end(&mut stream, PATIENCE).unwrap(), 0, "a FIN, not a reset");
    let waited = sent.elapsed();
    assert!(waited >= idle && waited < PATIENCE, "closed after {waited:?}");
    assert_eq!(mock.connections(), 1);
}

#[test]
fn idle_close_is_switched_over_http_applies_to_open_connections_and_ends_with_reset() {
    let mock = MockServer::start().unwrap();
    let mut admin = connect(&mock);
    let mut stream = connect(&mock);
    ping(&mut stream);
    assert!(still_open(&mut stream, Duration::from_millis(300)), "idle close is off by default");

    let (head, _) = send(&mut admin, "POST", "/__mock/connections", r#"{"idle_close_ms": 100}"#);
    assert!(head.starts_with("http/1.1 204"), "{head}");
    assert_eq!(read_end(&mut stream, PATIENCE).unwrap(), 0, "the open connection follows the new setting");

    let (head, _) = send(&mut connect(&mock), "POST", "/__mock/connections", r#"{"idle_close_ms": null}"#);
    assert!(head.starts_with("http/1.1 204"), "{head}");
    let mut stream = connect(&mock);
    ping(&mut stream);
    assert!(still_open(&mut stream, Duration::from_millis(300)), "null turns it off");

    mock.set_idle_close(Some(Duration::from_millis(100)));
    mock.reset();
    ping(&mut stream);
    assert!(still_open(&mut stream, Duration::from_millis(300)), "reset turns it off");

    for refused in [r#"{}"#, r#"{"idle_close_ms": -1}"#, r#"{"idle_close_ms": 1.5}"#, r#"{"idle_close_ms": "1"}"#] {
        let (head, body) = send(&mut stream, "POST", "/__mock/connections", refused);
        assert!(head.starts_with("http/1.1 400"), "{refused}: {head}");
        assert!(body["detail"].as_str().unwrap().contains("idle_close_ms"), "{body}");
    }
}

#[test]
fn idle_close_leaves_a_connection_that_has_not_answered_yet_and_one_busy_with_a_request() {
    let mock = MockServer::start().unwrap();
    mock.set_idle_close(Some(Duration::from_millis(50)));
    let mut fresh = connect(&mock);
    assert!(still_open(&mut fresh, Duration::from_millis(300)));
    // Handled for longer than the idle time, and still answered.
    mock.arm(r#"{"kind": "delay", "ms": 400, "path": "/ping"}"#).unwrap();
    ping(&mut fresh);
    assert_eq!(read_end(&mut fresh, PATIENCE).unwrap(), 0);
}

#[test]
fn close_after_answers_without_saying_so_then_closes() {
    let mock = MockServer::start().unwrap();
    mock.arm(r#"{"kind": "close_after", "path": "/ping"}"#).unwrap();
    let mut stream = connect(&mock);
    ping(&mut stream);
    assert_eq!(read_end(&mut stream, PATIENCE).unwrap(), 0, "a FIN after the whole answer");
    assert_eq!(mock.count("GET", "/ping"), 1);

    // The rule is used up: the next connection stays open after its answer.
    let mut stream = connect(&mock);
    ping(&mut stream);
    assert!(still_open(&mut stream, Duration::from_millis(200)));
}

#[test]
fn close_after_lets_the_request_be_handled() {
    let mock = MockServer::start().unwrap();
    mock.add_tenant("tenant-1", "tenant-1-secret");
    mock.arm(r#"{"kind": "close_after", "path": "/api/open/v3/getToken"}"#).unwrap();
    let mut stream = connect(&mock);
    let credentials = json!({"clientId": "tenant-1", "clientSecret": "tenant-1-secret"}).to_string();
    let (head, body) = send(&mut stream, "POST", "/api/open/v3/getToken", &credentials);
    assert!(!head.contains("connection: close"), "{head}");
    assert_eq!(body["code"], 1000, "{body}");
    assert_eq!(mock.tokens_issued(), 1);
    assert_eq!(read_end(&mut stream, PATIENCE).unwrap(), 0);
}

#[test]
fn reset_closes_with_a_tcp_reset_where_drop_before_closes_with_a_fin() {
    let mock = MockServer::start().unwrap();
    mock.arm(r#"{"kind": "reset", "path": "/ping"}"#).unwrap();
    let mut stream = connect(&mock);
    write!(stream, "GET /ping HTTP/1.1\r\nhost: mock\r\n\r\n").unwrap();
    let error = read_end(&mut stream, PATIENCE).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ConnectionReset, "{error}");
    assert_eq!(mock.count("GET", "/ping"), 1);

    mock.arm(r#"{"kind": "drop_before", "path": "/ping"}"#).unwrap();
    let mut stream = connect(&mock);
    write!(stream, "GET /ping HTTP/1.1\r\nhost: mock\r\n\r\n").unwrap();
    assert_eq!(read_end(&mut stream, PATIENCE).unwrap(), 0);
}

#[test]
fn restart_closes_every_connection_and_serves_the_same_state_on_the_same_port() {
    let mock = MockServer::start().unwrap();
    let base_url = mock.base_url().to_owned();
    mock.add_tenant("tenant-1", "tenant-1-secret");
    let mut idle = connect(&mock);
    ping(&mut idle);
    // A request in flight when the server goes: it never gets an answer.
    mock.arm(r#"{"kind": "delay", "ms": 10000, "path": "/slow"}"#).unwrap();
    let mut busy = connect(&mock);
    write!(busy, "GET /slow HTTP/1.1\r\nhost: mock\r\n\r\n").unwrap();
    let deadline = Instant::now() + PATIENCE;
    while mock.count("GET", "/slow") == 0 && Instant::now() < deadline {
        sleep(Duration::from_millis(10));
    }

    let started = Instant::now();
    mock.restart().unwrap();
    assert!(started.elapsed() < Duration::from_secs(2), "a request in flight does not hold the restart");
    assert_eq!(read_end(&mut idle, Duration::from_millis(100)).unwrap(), 0, "closed by the time restart returned");
    assert_eq!(read_end(&mut busy, PATIENCE).unwrap(), 0);

    assert_eq!(mock.base_url(), base_url);
    let mut stream = connect(&mock);
    ping(&mut stream);
    let credentials = json!({"clientId": "tenant-1", "clientSecret": "tenant-1-secret"}).to_string();
    let (_, body) = send(&mut stream, "POST", "/api/open/v3/getToken", &credentials);
    assert_eq!(body["code"], 1000, "the tenant survived: {body}");
    assert_eq!((mock.count("GET", "/ping"), mock.count("GET", "/slow")), (2, 1), "counts survived");
    assert_eq!(mock.connections(), 3);

    mock.restart().unwrap();
    assert_eq!(read_end(&mut stream, PATIENCE).unwrap(), 0);
    ping(&mut connect(&mock));
    assert_eq!(mock.connections(), 4);
}

//! Webhooks end to end: a job request carrying a `webhookUrl`, the mock's signed and encrypted callback to a
//! receiver on loopback, and the verifier built from the same client.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use common::*;
use serde_json::json;
use tokensmith::{ErrorKind, Method, WebhookRejection};

/// Accepts one HTTP request, answers 200, and returns its body.
fn receive_one(listener: TcpListener) -> Vec<u8> {
    listener.set_nonblocking(false).unwrap();
    let (stream, _) = listener.accept().unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap();
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    reader.get_mut().write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").unwrap();
    body
}

#[test]
fn a_job_webhook_is_delivered_verified_and_decrypted() {
    let mock = mock();
    let akool = akool_with_client_credentials(&mock);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/akool/callback", listener.local_addr().unwrap());
    let receiver = std::thread::spawn(move || receive_one(listener));

    let body =
        json!({"sourceImage": [{"path": "https://x/a.png"}], "modifyImage": "https://x/b.png", "webhookUrl": url});
    let data = akool.request(Method::Post, SPECIFY_IMAGE, Some(&body)).unwrap();
    let job = data["_id"].as_str().expect("the mock answers the job id").to_owned();

    let delivered = receiver.join().unwrap();
    let verifier = akool.webhook_verifier().unwrap();
    let event = verifier.verify_expecting_id(&delivered, &job).unwrap();
    assert_eq!(event.status, Some(3));
    assert_eq!(event.payload["url"], "https://example.invalid/result.mp4");

    let err = verifier.verify_expecting_id(&delivered, "another-job").unwrap_err();
    assert_eq!(err.webhook_rejection(), Some(WebhookRejection::UnexpectedId));
    assert_eq!(akool_with_key(&mock).webhook_verifier().unwrap_err().kind(), ErrorKind::Unsupported);
}

#[test]
fn a_test_can_send_a_signed_webhook_and_read_back_what_the_mock_saw() {
    let mock = mock();
    let akool = akool_with_client_credentials(&mock);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hooks/akool", listener.local_addr().unwrap());
    let receiver = std::thread::spawn(move || receive_one(listener));
    let payload = json!({"_id": "job-7", "status": 3, "type": 1, "url": "https://cdn.example/out.mp4"});
    assert_eq!(mock.send_webhook(&url, &payload), Ok(200));
    let event = akool.webhook_verifier().unwrap().verify_expecting_id(&receiver.join().unwrap(), "job-7").unwrap();
    assert_eq!((event.status, event.payload["url"].as_str()), (Some(3), Some("https://cdn.example/out.mp4")));
    assert!(mock.send_webhook("https://example.com/hook", &payload).unwrap_err().contains("loopback"));

    akool.request(Method::Get, QUOTA, None).unwrap();
    let seen = mock.requests(false);
    assert_eq!((seen.len(), seen[0]["path"].as_str()), (2, Some(GET_TOKEN)));
    assert_eq!(seen[0]["json"]["clientSecret"], "** redacted **");
    assert_eq!(seen[1]["headers"]["authorization"], "** redacted **");
    let revealed = mock.requests(true);
    assert!(revealed[1]["headers"]["authorization"].as_str().unwrap().starts_with("Bearer mock-token-"));
    assert_eq!(mock.tokens_issued(), 1);
    mock.reset();
    assert!(mock.requests(false).is_empty());
}

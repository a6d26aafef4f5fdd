//! Webhook delivery, as Akool does it: after a request that carries a `webhookUrl`, POST the job's result,
//! signed and encrypted with the demo credentials, to that URL (loopback only), retrying until it answers 200.
//!
//! Written from the vendor's description, independently of the client's verifier, so that a mistake on one
//! side shows up as a failed test instead of cancelling out.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use bytes::Bytes;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeEncrypt, KeyIvInit};
use http_body_util::{BodyExt, Full};
use serde_json::{json, Value};
use sha1::{Digest, Sha1};

use crate::demo::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};

/// How long a test's webhook may wait for the receiver's answer.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// How often a delivery is attempted before giving up.
const ATTEMPTS: u32 = 5;

/// The webhook body for `payload`: `{signature, dataEncrypt, timestamp, nonce}`.
pub(crate) fn body_for(payload: &Value) -> Value {
    let mut iv = [b' '; 16];
    let id = DEMO_CLIENT_ID.as_bytes();
    iv[..id.len().min(16)].copy_from_slice(&id[..id.len().min(16)]);
    let encryptor = cbc::Encryptor::<aes::Aes256>::new_from_slices(DEMO_CLIENT_SECRET.as_bytes(), &iv)
        .expect("the demo secret is 32 bytes");
    let data = BASE64.encode(encryptor.encrypt_padded_vec::<Pkcs7>(payload.to_string().as_bytes()));
    let timestamp = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis().to_string();
    let nonce = uuid::Uuid::new_v4().simple().to_string()[..8].to_owned();
    let mut parts = [DEMO_CLIENT_ID, timestamp.as_str(), nonce.as_str(), data.as_str()];
    parts.sort();
    let signature: String = Sha1::digest(parts.concat()).iter().map(|b| format!("{b:02x}")).collect();
    json!({"signature": signature, "dataEncrypt": data, "timestamp": timestamp.parse::<u64>().unwrap_or(0), "nonce": nonce})
}

/// `http://127.0.0.1:PORT/path` split into authority and path; `None` for anything that is not loopback http.
pub(crate) fn loopback_target(url: &str) -> Option<(String, String)> {
    let rest = url.strip_prefix("http://")?;
    let (authority, path) = rest.split_once('/').map(|(a, p)| (a, format!("/{p}"))).unwrap_or((rest, "/".into()));
    let host = authority.rsplit_once(':').map(|(h, _)| h).unwrap_or(authority);
    matches!(host, "127.0.0.1" | "localhost" | "[::1]").then(|| (authority.to_owned(), path))
}

/// Delivers `body` to the target, retrying until it answers 200.
pub(crate) async fn deliver((authority, path): (String, String), body: Value) {
    for attempt in 0..ATTEMPTS {
        if post(&authority, &path, &body).await == Some(200) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100 << attempt)).await;
    }
    log::warn!("webhook to http://{authority}{path} not accepted after {ATTEMPTS} attempts");
}

/// Posts `body` once to the target; the status it answered, or `None` when it could not be reached.
pub(crate) async fn post(authority: &str, path: &str, body: &Value) -> Option<u16> {
    let stream = tokio::net::TcpStream::connect(authority).await.ok()?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await.ok()?;
    tokio::spawn(connection);
    let request = hyper::Request::post(path)
        .header("host", authority)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .ok()?;
    let answer = sender.send_request(request).await.ok()?;
    let status = answer.status().as_u16();
    let _ = answer.into_body().collect().await;
    Some(status)
}

/// Signs and encrypts `payload` as Akool does and posts it once to `url` (loopback `http://` only): the status
/// the receiver answered.
pub(crate) async fn send(url: &str, payload: &Value) -> Result<u16, String> {
    let (authority, path) = loopback_target(url).ok_or_else(|| format!("{url:?} is not a loopback http:// URL"))?;
    // A receiver that accepts and never answers must not hang the test that sent it.
    let answer = tokio::time::timeout(SEND_TIMEOUT, post(&authority, &path, &body_for(payload))).await;
    let answer = answer.map_err(|_| format!("{url} did not answer within {} s", SEND_TIMEOUT.as_secs()))?;
    answer.ok_or_else(|| format!("nothing answered at {url}"))
}

//! Akool webhooks: verify and decrypt the callbacks Akool POSTs to a `webhookUrl`, with the client credentials.
//!
//! The scheme (from the vendor's docs and demo receiver): the body is `{"signature", "dataEncrypt", "timestamp",
//! "nonce"}`; `signature = sha1_hex(join(sorted([clientId, timestamp, nonce, dataEncrypt])))`; `dataEncrypt` is
//! base64 of AES-CBC/PKCS7 with the client secret as key (16, 24 or 32 bytes) and the client id, cut or padded with
//! spaces to 16 bytes, as IV.
//!
//! Its weakness, stated plainly: the signature is a SHA-1 over values that are not secret, so anyone can compute
//! it; it proves integrity, not origin. Authenticity rests on the AES key alone, and CBC without a MAC is
//! malleable. So [`WebhookVerifier::verify`] checks the signature AND decrypts AND requires a JSON object, and
//! [`WebhookVerifier::verify_expecting_id`] also requires the `_id` the caller is waiting for: use it.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use serde_json::{json, Map, Value};
use sha1::{Digest, Sha1};
use subtle::ConstantTimeEq;

use crate::error::{Error, Result, WebhookRejection};
use crate::secret::Secret;

/// A verified, decrypted webhook. Serialises as the documented event object (`id`, `status`, `timestamp_ms`,
/// `nonce`, `payload`), which is how the CLI prints it and how bindings without records pass it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct WebhookEvent {
    /// The decrypted payload (a JSON object).
    pub payload: Value,
    /// The payload's `_id` (the job it reports on), when present.
    pub id: Option<String>,
    /// The payload's `status` (1 queued, 2 processing, 3 done, 4 failed), when present.
    pub status: Option<i64>,
    /// When Akool sent it, in milliseconds since the Unix epoch.
    pub timestamp_ms: i64,
    /// The sender's nonce.
    pub nonce: String,
}

/// Checks and decrypts Akool webhooks with one pair of client credentials.
#[derive(Clone)]
pub struct WebhookVerifier {
    client_id: String,
    client_secret: Secret,
    tolerance: Option<Duration>,
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

impl WebhookVerifier {
    /// A verifier for these credentials. The secret must be 16, 24 or 32 bytes (AES-128/192/256).
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Result<Self> {
        let (client_id, client_secret) = (client_id.into(), client_secret.into());
        if client_id.is_empty() {
            return Err(Error::invalid("client_id", "must not be empty"));
        }
        let length = client_secret.expose().len();
        if ![16, 24, 32].contains(&length) {
            return Err(Error::invalid(
                "client_secret",
                format!("must be 16, 24 or 32 bytes to serve as the webhook's AES key, is {length}"),
            ));
        }
        Ok(Self { client_id, client_secret, tolerance: None })
    }

    /// Also rejects webhooks whose timestamp is further than `tolerance` from now (replays). Off by default: the
    /// vendor does not promise synchronized clocks, and it retries deliveries until it gets HTTP 200.
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = Some(tolerance);
        self
    }

    /// Checks the signature, the timestamp window if set, decrypts, and requires a JSON object.
    pub fn verify(&self, body: &[u8]) -> Result<WebhookEvent> {
        let envelope: Map<String, Value> = match serde_json::from_slice(body) {
            Ok(Value::Object(envelope)) => envelope,
            Ok(_) => return Err(reject(WebhookRejection::MalformedBody, "the body is not a JSON object")),
            Err(e) => return Err(reject(WebhookRejection::MalformedBody, format!("the body is not JSON ({e})"))),
        };
        let text = |name: &str| match envelope.get(name) {
            Some(Value::String(value)) => Ok(value.as_str()),
            Some(_) => Err(reject(WebhookRejection::MalformedBody, format!("`{name}` is not a string"))),
            None => Err(reject(WebhookRejection::MissingField, format!("`{name}` is missing"))),
        };
        let (signature, data, nonce) = (text("signature")?, text("dataEncrypt")?, text("nonce")?);
        let timestamp = match envelope.get("timestamp") {
            Some(Value::Number(n)) => n.as_i64().map(|n| n.to_string()),
            Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => Some(s.clone()),
            Some(_) => None,
            None => return Err(reject(WebhookRejection::MissingField, "`timestamp` is missing")),
        }
        .ok_or_else(|| reject(WebhookRejection::MalformedBody, "`timestamp` is not an integer"))?;
        let timestamp_ms: i64 =
            timestamp.parse().map_err(|_| reject(WebhookRejection::MalformedBody, "`timestamp` is out of range"))?;

        let expected = self.signature(&timestamp, nonce, data);
        if !bool::from(expected.as_bytes().ct_eq(signature.to_ascii_lowercase().as_bytes())) {
            return Err(reject(WebhookRejection::BadSignature, "the signature does not match"));
        }
        if let Some(tolerance) = self.tolerance {
            let now_ms = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis() as i64;
            if now_ms.abs_diff(timestamp_ms) > tolerance.as_millis() as u64 {
                return Err(reject(WebhookRejection::StaleTimestamp, "the timestamp is outside the tolerance window"));
            }
        }
        let payload = self.decrypt(data)?;
        let id = payload.get("_id").and_then(Value::as_str).map(str::to_owned);
        let status = payload.get("status").and_then(Value::as_i64);
        Ok(WebhookEvent { payload, id, status, timestamp_ms, nonce: nonce.to_owned() })
    }

    /// [`WebhookVerifier::verify`], and the payload's `_id` must be `expected_id` (a job this service started).
    pub fn verify_expecting_id(&self, body: &[u8], expected_id: &str) -> Result<WebhookEvent> {
        let event = self.verify(body)?;
        if event.id.as_deref() != Some(expected_id) {
            return Err(reject(WebhookRejection::UnexpectedId, "the payload's `_id` is not the expected one"));
        }
        Ok(event)
    }

    /// The body Akool would send for `payload`: for tests, and for services that relay webhooks.
    pub fn sign_and_encrypt(&self, payload: &Value, timestamp_ms: i64, nonce: &str) -> Value {
        let plaintext = payload.to_string();
        let ciphertext = match self.client_secret.expose().len() {
            16 => encrypt::<aes::Aes128>(self.key(), &self.iv(), plaintext.as_bytes()),
            24 => encrypt::<aes::Aes192>(self.key(), &self.iv(), plaintext.as_bytes()),
            _ => encrypt::<aes::Aes256>(self.key(), &self.iv(), plaintext.as_bytes()),
        };
        let data = BASE64.encode(ciphertext);
        let timestamp = timestamp_ms.to_string();
        json!({
            "signature": self.signature(&timestamp, nonce, &data),
            "dataEncrypt": data,
            "timestamp": timestamp_ms,
            "nonce": nonce,
        })
    }

    fn key(&self) -> &[u8] {
        self.client_secret.expose().as_bytes()
    }

    /// The client id's bytes, cut to 16 or padded to 16 with spaces.
    fn iv(&self) -> [u8; 16] {
        let mut iv = [b' '; 16];
        let id = self.client_id.as_bytes();
        let n = id.len().min(16);
        iv[..n].copy_from_slice(&id[..n]);
        iv
    }

    fn signature(&self, timestamp: &str, nonce: &str, data: &str) -> String {
        let mut parts = [self.client_id.as_str(), timestamp, nonce, data];
        parts.sort_unstable();
        let digest = Sha1::digest(parts.concat().as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn decrypt(&self, data: &str) -> Result<Value> {
        let ciphertext =
            BASE64.decode(data).map_err(|_| reject(WebhookRejection::BadCiphertext, "`dataEncrypt` is not base64"))?;
        let plaintext = match self.key().len() {
            16 => decrypt::<aes::Aes128>(self.key(), &self.iv(), &ciphertext),
            24 => decrypt::<aes::Aes192>(self.key(), &self.iv(), &ciphertext),
            _ => decrypt::<aes::Aes256>(self.key(), &self.iv(), &ciphertext),
        }
        .ok_or_else(|| {
            reject(WebhookRejection::BadCiphertext, "`dataEncrypt` does not decrypt (wrong key or altered)")
        })?;
        match serde_json::from_slice(&plaintext) {
            Ok(Value::Object(payload)) => Ok(Value::Object(payload)),
            _ => Err(reject(WebhookRejection::NotJson, "the decrypted payload is not a JSON object")),
        }
    }
}

fn reject(reason: WebhookRejection, message: impl Into<String>) -> Error {
    Error::WebhookRejected { reason, message: message.into() }
}

fn encrypt<C>(key: &[u8], iv: &[u8; 16], plaintext: &[u8]) -> Vec<u8>
where
    C: cbc::cipher::BlockCipherEncrypt + cbc::cipher::KeyInit,
    cbc::Encryptor<C>: KeyIvInit + BlockModeEncrypt,
{
    cbc::Encryptor::<C>::new_from_slices(key, iv)
        .expect("key length checked in new")
        .encrypt_padded_vec::<Pkcs7>(plaintext)
}

fn decrypt<C>(key: &[u8], iv: &[u8; 16], ciphertext: &[u8]) -> Option<Vec<u8>>
where
    C: cbc::cipher::BlockCipherDecrypt + cbc::cipher::KeyInit,
    cbc::Decryptor<C>: KeyIvInit + BlockModeDecrypt,
{
    cbc::Decryptor::<C>::new_from_slices(key, iv).ok()?.decrypt_padded_vec::<Pkcs7>(ciphertext).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "64db241f6d9e5c4bd136c187";

    fn verifier(secret: &str) -> WebhookVerifier {
        WebhookVerifier::new(ID, secret).unwrap()
    }

    #[test]
    fn round_trips_with_every_key_size() {
        for secret in ["0123456789abcdef", "0123456789abcdef01234567", "0123456789abcdef0123456789abcdef"] {
            let v = verifier(secret);
            let payload = json!({"_id": "job-1", "status": 3, "url": "https://x/y.mp4"});
            let body = v.sign_and_encrypt(&payload, 1_700_000_000_000, "n1");
            let event = v.verify(body.to_string().as_bytes()).unwrap();
            assert_eq!((event.payload, event.id.as_deref(), event.status), (payload, Some("job-1"), Some(3)));
            assert_eq!((event.timestamp_ms, event.nonce.as_str()), (1_700_000_000_000, "n1"));
        }
    }

    #[test]
    fn the_signature_is_the_documented_sha1_over_sorted_values() {
        let v = verifier("0123456789abcdef");
        // sorted(["64db…", "1700000000000", "n1", "abc"]) = ["1700000000000", "64db…", "abc", "n1"]
        let expected = Sha1::digest(format!("1700000000000{ID}abcn1").as_bytes());
        let hex: String = expected.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(v.signature("1700000000000", "n1", "abc"), hex);
    }

    #[test]
    fn every_rejection_has_its_reason() {
        let v = verifier("0123456789abcdef");
        let good = v.sign_and_encrypt(&json!({"_id": "a", "status": 3}), 1, "n");
        let reason = |body: &[u8]| match v.verify(body) {
            Err(Error::WebhookRejected { reason, .. }) => reason,
            other => panic!("expected a rejection, got {other:?}"),
        };
        let mut tampered = good.clone();
        tampered["signature"] = json!("0".repeat(40));
        assert_eq!(reason(tampered.to_string().as_bytes()), WebhookRejection::BadSignature);
        let mut missing = good.clone();
        missing.as_object_mut().unwrap().remove("nonce");
        assert_eq!(reason(missing.to_string().as_bytes()), WebhookRejection::MissingField);
        assert_eq!(reason(b"not json"), WebhookRejection::MalformedBody);
        assert_eq!(reason(b"[1]"), WebhookRejection::MalformedBody);
        // Re-signed after altering the ciphertext: the signature passes, decryption must not.
        let mut altered = good.clone();
        let mut bytes = BASE64.decode(good["dataEncrypt"].as_str().unwrap()).unwrap();
        bytes[0] ^= 1;
        altered["dataEncrypt"] = json!(BASE64.encode(&bytes));
        altered["signature"] = json!(v.signature("1", "n", altered["dataEncrypt"].as_str().unwrap()));
        assert!(matches!(
            reason(altered.to_string().as_bytes()),
            WebhookRejection::BadCiphertext | WebhookRejection::NotJson
        ));
        let other = verifier("fedcba9876543210");
        let foreign = other.sign_and_encrypt(&json!({"_id": "a"}), 1, "n");
        let mut resigned = foreign.clone();
        resigned["signature"] = json!(v.signature("1", "n", foreign["dataEncrypt"].as_str().unwrap()));
        assert!(matches!(
            reason(resigned.to_string().as_bytes()),
            WebhookRejection::BadCiphertext | WebhookRejection::NotJson
        ));
        let stale = verifier("0123456789abcdef").with_tolerance(Duration::from_secs(300));
        assert!(matches!(
            stale.verify(good.to_string().as_bytes()),
            Err(Error::WebhookRejected { reason: WebhookRejection::StaleTimestamp, .. })
        ));
        assert!(matches!(
            v.verify_expecting_id(good.to_string().as_bytes(), "b"),
            Err(Error::WebhookRejected { reason: WebhookRejection::UnexpectedId, .. })
        ));
        let err = v.verify(b"{").unwrap_err();
        assert!(!format!("{err} {err:?} {v:?}").contains("0123456789abcdef"));
    }

    #[test]
    fn keys_of_other_lengths_are_refused() {
        let err = WebhookVerifier::new(ID, "short").unwrap_err();
        assert!(matches!(err, Error::InvalidInput { ref field, .. } if field == "client_secret"), "{err}");
    }
}

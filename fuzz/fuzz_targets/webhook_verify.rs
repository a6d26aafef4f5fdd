//! Any bytes given to the webhook verifier: it may reject them, never panic. Inputs whose first byte is even
//! also become the ciphertext of a correctly signed envelope, so decryption, unpadding and the payload checks
//! are reached too, not only the JSON parser and the signature check.
#![no_main]

use base64::Engine as _;
use libfuzzer_sys::fuzz_target;
use sha1::{Digest, Sha1};
use tokensmith::WebhookVerifier;

const CLIENT_ID: &str = "fuzz-client-id";

fuzz_target!(|data: &[u8]| {
    let verifier = WebhookVerifier::new(CLIENT_ID, "0123456789abcdef0123456789abcdef").unwrap();
    let _ = verifier.verify(data);
    let _ = verifier.verify_expecting_id(data, "job");
    if let Some((&first, ciphertext)) = data.split_first() {
        if first % 2 == 0 {
            let encoded = base64::engine::general_purpose::STANDARD.encode(ciphertext);
            let mut parts = [CLIENT_ID, "1", "n", encoded.as_str()];
            parts.sort_unstable();
            let signature: String = Sha1::digest(parts.concat()).iter().map(|b| format!("{b:02x}")).collect();
            let body = format!(r#"{{"signature":"{signature}","dataEncrypt":"{encoded}","timestamp":1,"nonce":"n"}}"#);
            let _ = verifier.verify(body.as_bytes());
        }
    }
});

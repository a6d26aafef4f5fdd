//! The Akool answer envelope `{code, msg, data}`, and the one function that turns an answer into data or an error.
//!
//! Success is `code == 1000` and nothing else: Akool reports failures under HTTP 200 with another code. Answers
//! that are not envelopes at all (a proxy's HTML error page, a bare 502) are mapped by their HTTP status.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::AkoolCode;
use crate::error::{Error, Result, VendorCode};
use crate::transport::Response;

/// What every Akool answer carries. getToken puts `token` at the top level instead of in `data`.
#[derive(Debug, Deserialize)]
pub(crate) struct Envelope {
    #[serde(deserialize_with = "code_from_number_or_string")]
    code: AkoolCode,
    #[serde(default, alias = "message")]
    msg: Option<String>,
    #[serde(default)]
    pub(crate) data: Value,
    #[serde(default)]
    pub(crate) token: Option<String>,
}

/// The envelope of a successful answer, or the error it (or its HTTP status) stands for.
pub(crate) fn open(response: &Response) -> Result<Envelope> {
    let envelope = match response.json::<Envelope>() {
        Ok(envelope) => envelope,
        Err(_) if !response.is_success() && !(300..400).contains(&response.status) => {
            return Err(Error::from_status(response.failure(None, ""), response.retry_after));
        }
        Err(e) => return Err(e),
    };
    if !envelope.code.is_success() {
        let message = envelope.msg.as_deref().or(envelope.code.meaning()).unwrap_or_default();
        let failure = response.failure(Some(VendorCode::Akool(envelope.code)), message);
        return Err(match Error::from_akool_code(envelope.code, failure) {
            Error::RateLimited { failure, retry_after: None } => {
                Error::RateLimited { failure, retry_after: response.retry_after }
            }
            other => other,
        });
    }
    if !response.is_success() {
        let message = envelope.msg.as_deref().unwrap_or_default();
        return Err(Error::from_status(response.failure(None, message), response.retry_after));
    }
    Ok(envelope)
}

/// Accepts `1000` and `"1000"`: be liberal in what we accept.
fn code_from_number_or_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<AkoolCode, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Code {
        Number(i64),
        Text(String),
    }
    match Code::deserialize(deserializer)? {
        Code::Number(n) => Ok(AkoolCode(n)),
        Code::Text(s) => s.trim().parse().map(AkoolCode).map_err(serde::de::Error::custom),
    }
}

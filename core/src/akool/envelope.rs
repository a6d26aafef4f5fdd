//! The Akool answer envelope `{code, msg, data}`, and the one function that turns an answer into data or an error.
//!
//! Success is `code == 1000` and nothing else: Akool reports failures under HTTP 200 with another code. Answers
//! that are not envelopes at all (a proxy's HTML error page, a bare 502) are mapped by their HTTP status.

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::Value;

use std::time::Duration;

use crate::error::{ApiFailure, Error, Result};
use crate::transport::Response;
use crate::vendor_code::AkoolCode;
use crate::vendor_code::VendorCode;

/// What every Akool answer carries, its `data` read as `D`. getToken puts `token` at the top level instead of in
/// `data`.
#[derive(Debug, Deserialize)]
pub(crate) struct Envelope<D> {
    #[serde(deserialize_with = "code_from_number_or_string")]
    code: AkoolCode,
    #[serde(default, alias = "message")]
    msg: Option<String>,
    #[serde(default)]
    pub(crate) data: D,
    #[serde(default)]
    pub(crate) token: Option<String>,
}

/// The `data` of a successful answer, as values.
pub(crate) fn data(response: &Response) -> Result<Value> {
    open::<Value>(response).map(|envelope| envelope.data)
}

/// The `data` of a successful answer as the JSON text the vendor wrote (`null` when there is none): what bindings
/// hand to their language's JSON parser, with no tree of values built and written out again on the way.
pub(crate) fn data_text(response: &Response) -> Result<String> {
    let envelope = open::<Option<&RawValue>>(response)?;
    Ok(envelope.data.map_or("null", RawValue::get).to_owned())
}

/// The business code of an answer's body, if the body is an Akool envelope.
pub(crate) fn code_of(body: &[u8]) -> Option<AkoolCode> {
    #[derive(Deserialize)]
    struct CodeOnly {
        #[serde(deserialize_with = "code_from_number_or_string")]
        code: AkoolCode,
    }
    serde_json::from_slice::<CodeOnly>(body).ok().map(|envelope| envelope.code)
}

/// Whether an answer is Akool refusing the call before acting on it (1005, "operation too frequent"): safe to
/// repeat after a backoff, even for a call that is not idempotent.
pub(crate) fn is_refused(response: &Response) -> bool {
    // Asked of every answer that is not retried for its status: a body without the digits cannot be a 1005 (as a
    // number or a string), and looking for them costs less than parsing it.
    response.body.windows(4).any(|digits| digits == b"1005") && code_of(&response.body) == Some(AkoolCode::TOO_FREQUENT)
}

/// The envelope of a successful answer, or the error it (or its HTTP status) stands for.
pub(crate) fn open<'a, D: Deserialize<'a> + Default>(response: &'a Response) -> Result<Envelope<D>> {
    let envelope = match response.json::<Envelope<D>>() {
        Ok(envelope) => envelope,
        Err(_) if !response.is_success() && !(300..400).contains(&response.status) => {
            return Err(Error::from_status(response.failure(None, ""), response.retry_after));
        }
        Err(e) => return Err(e),
    };
    if !envelope.code.is_success() {
        let message = envelope.msg.as_deref().or(envelope.code.meaning()).unwrap_or_default();
        let failure = response.failure(Some(VendorCode::Akool(envelope.code)), message);
        return Err(error_for(envelope.code, failure, response.retry_after));
    }
    if !response.is_success() {
        let message = envelope.msg.as_deref().unwrap_or_default();
        return Err(Error::from_status(response.failure(None, message), response.retry_after));
    }
    Ok(envelope)
}

impl Error {
    /// The Akool business code, if this error came from an Akool envelope.
    pub fn akool_code(&self) -> Option<AkoolCode> {
        match self.vendor_code() {
            Some(VendorCode::Akool(code)) => Some(*code),
            _ => None,
        }
    }
}

/// Maps an Akool business code (any code but 1000) to the variant that says what to do.
fn error_for(code: AkoolCode, failure: ApiFailure, retry_after: Option<Duration>) -> Error {
    match code {
        AkoolCode::INVALID_TOKEN | AkoolCode::TOKEN_EMPTY => Error::Authentication(failure),
        AkoolCode::ACCOUNT_BANNED => Error::AccountBanned(failure),
        AkoolCode::TOO_FREQUENT => Error::RateLimited { failure, retry_after },
        AkoolCode::INSUFFICIENT_QUOTA | AkoolCode::PAYMENT_OVERDUE | AkoolCode::INSUFFICIENT_CREDIT => {
            Error::Billing(failure)
        }
        AkoolCode::PARAMETER_ERROR => Error::InvalidRequest(failure),
        AkoolCode::CONTENT_NOT_FOUND | AkoolCode::RESOURCE_NOT_FOUND => Error::NotFound(failure),
        _ => Error::Api(failure),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn error(code: i64, message: &str) -> Error {
        let failure = ApiFailure {
            status: 200,
            code: Some(VendorCode::Akool(AkoolCode(code))),
            message: message.into(),
            trace_id: None,
        };
        error_for(AkoolCode(code), failure, Some(Duration::from_secs(3)))
    }

    #[test]
    fn codes_map_to_kinds_and_keep_the_code() {
        assert_eq!(error(1101, "m").kind(), ErrorKind::Authentication);
        assert_eq!(error(1102, "m").kind(), ErrorKind::Authentication);
        assert_eq!(error(1200, "m").kind(), ErrorKind::AccountBanned);
        assert_eq!(error(1005, "m").kind(), ErrorKind::RateLimited);
        assert_eq!(error(1005, "m").retry_after(), Some(Duration::from_secs(3)));
        assert_eq!(error(1006, "m").kind(), ErrorKind::Billing);
        assert_eq!(error(1104, "m").kind(), ErrorKind::Billing);
        assert_eq!(error(1103, "m").kind(), ErrorKind::Billing);
        assert_eq!(error(1003, "m").kind(), ErrorKind::InvalidRequest);
        assert_eq!(error(1014, "m").kind(), ErrorKind::NotFound);
        assert_eq!(error(4242, "m").kind(), ErrorKind::Api);
        assert_eq!(error(4242, "m").akool_code(), Some(AkoolCode(4242)));
        assert_eq!(error(1200, "m").status(), Some(200));
    }

    #[test]
    fn the_code_of_a_body() {
        assert_eq!(code_of(br#"{"code": 1101, "msg": "expired"}"#), Some(AkoolCode::INVALID_TOKEN));
        assert_eq!(code_of(br#"{"code": "1101"}"#), Some(AkoolCode::INVALID_TOKEN));
        assert_eq!(code_of(br#"{"code": 1000, "data": {}}"#), Some(AkoolCode::SUCCESS));
        assert_eq!(code_of(b"<html>"), None);
        assert_eq!(code_of(br#"{"error": "x"}"#), None);
    }

    #[test]
    fn the_documented_table_is_the_mapping() {
        for row in crate::error::doc_rows("Akool") {
            assert_eq!(error(row.value.parse().unwrap(), "m").kind().name(), row.kind, "{row:?}");
        }
    }

    #[test]
    fn display_names_status_code_and_message() {
        let err = error(1200, "The account has been banned");
        assert_eq!(err.to_string(), "account banned (HTTP 200, Akool code 1200: The account has been banned)");
    }
}

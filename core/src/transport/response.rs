//! [`Response`]: an answer read whole (within the body cap), with the helpers that turn it into errors without
//! ever quoting a secret.

use std::time::Duration;

use http_body_util::BodyExt;
use hyper::body::{Body, Incoming};
use serde::Deserialize;

use crate::error::{ApiFailure, Error};
use crate::secret::{Secret, REDACTED};
use crate::vendor_code::VendorCode;

/// How much of an unexpected body is quoted in a decode error.
const EXCERPT_CHARS: usize = 200;

/// A whole answer: status, body and the headers the clients use.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
    pub(crate) retry_after: Option<Duration>,
    /// How many attempts it took (1 when there was no retry).
    pub(crate) attempts: u32,
    location: Option<String>,
    /// The request id a header named (`x-request-id`, ...), for errors' trace id.
    request_id: Option<String>,
    secrets: Vec<Secret>,
    secret_answer: bool,
}

impl Response {
    pub(super) fn new(
        status: u16,
        body: Vec<u8>,
        retry_after: Option<Duration>,
        location: Option<String>,
        secrets: Vec<Secret>,
        secret_answer: bool,
    ) -> Self {
        Self { status, body, retry_after, attempts: 1, location, request_id: None, secrets, secret_answer }
    }

    /// An answer that no request produced, for the fuzz targets of the parsers and unit tests.
    #[cfg(any(test, feature = "fuzzing"))]
    pub(crate) fn synthetic(status: u16, body: Vec<u8>, secret_answer: bool) -> Self {
        Self {
            status,
            body,
            retry_after: None,
            attempts: 1,
            location: None,
            request_id: None,
            secrets: Vec::new(),
            secret_answer,
        }
    }

    pub(super) fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.request_id = request_id;
        self
    }

    pub(super) fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// `true` for 2xx.
    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body parsed as `T`, or a decode error that names the status and quotes what it safely can.
    pub(crate) fn json<'a, T: Deserialize<'a>>(&'a self) -> Result<T, Error> {
        if (300..400).contains(&self.status) {
            return Err(self.redirect_error());
        }
        serde_json::from_slice(&self.body).map_err(|e| self.decode_error(&format!("not the expected JSON ({e})")))
    }

    /// A decode error for this answer, quoting its start when the answer cannot carry a secret.
    pub(crate) fn decode_error(&self, reason: &str) -> Error {
        let message = if self.secret_answer {
            format!("{reason}; body of {} bytes withheld because this answer carries secrets", self.body.len())
        } else if self.body.is_empty() {
            format!("{reason}; empty body")
        } else {
            format!("{reason}; body starts: {:?}", self.excerpt())
        };
        Error::Decode { status: self.status, message: self.scrub(&message) }
    }

    /// What the vendor said, as an [`ApiFailure`], scrubbed of every secret the request carried.
    pub(crate) fn failure(&self, code: Option<VendorCode>, message: &str) -> ApiFailure {
        let message = if message.trim().is_empty() { self.status_text() } else { self.scrub(message) };
        ApiFailure { status: self.status, code, message, trace_id: self.request_id.clone() }
    }

    /// The error for a redirect that was not followed because it leaves the API's origin.
    fn redirect_error(&self) -> Error {
        let target = self
            .location
            .as_deref()
            .and_then(|l| url::Url::parse(l).ok())
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_else(|| "an unknown location".to_owned());
        Error::Decode {
            status: self.status,
            message: format!(
                "redirected to {target}, which is not the API's origin; not followed so credentials stay with the API host"
            ),
        }
    }

    fn status_text(&self) -> String {
        http::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("no message")
            .to_owned()
    }

    fn excerpt(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let mut excerpt: String = text.chars().take(EXCERPT_CHARS).collect();
        if text.chars().nth(EXCERPT_CHARS).is_some() {
            excerpt.push('…');
        }
        excerpt
    }

    /// Replaces every secret the request carried, in case the server echoed one.
    fn scrub(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for secret in &self.secrets {
            // A bearer header value is "Bearer TOKEN": scrub the token alone too.
            let value = secret.expose();
            for part in [value, value.strip_prefix("Bearer ").unwrap_or("")] {
                if part.len() >= 4 && text.contains(part) {
                    text = text.replace(part, REDACTED);
                }
            }
        }
        text
    }
}

/// Why a body could not be read.
#[derive(Debug)]
pub(super) enum ReadError {
    TooLarge,
    Http(hyper::Error),
}

/// Reads at most `cap` bytes of body; more is [`ReadError::TooLarge`], found out before it is all in memory.
pub(super) async fn read_capped(answer: http::Response<Incoming>, cap: usize) -> Result<Vec<u8>, ReadError> {
    let length = answer.body().size_hint().exact();
    if length.is_some_and(|len| len > cap as u64) {
        return Err(ReadError::TooLarge);
    }
    let mut incoming = answer.into_body();
    let mut body = Vec::with_capacity(length.map_or(0, |len| len as usize));
    while let Some(frame) = incoming.frame().await {
        let Ok(chunk) = frame.map_err(ReadError::Http)?.into_data() else { continue }; // trailers
        if body.len() + chunk.len() > cap {
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

//! Entry points to the parsers of server answers and to the input checks, for the cargo-fuzz targets (`fuzz/`).
//! Compiled only with the `fuzzing` feature; not part of the API.
#![allow(missing_docs)]

use std::time::SystemTime;

use serde_json::Value;

use crate::acedata::{CredentialChanges, CredentialFilter, NewCredential};
use crate::error::Result;
use crate::transport::{BaseUrl, Response};
use crate::{Credential, CredentialPage, Method, Secret};

/// An Akool answer, as `AkoolClient::request` reads it.
pub fn akool_answer(status: u16, body: &[u8]) -> Result<Value> {
    crate::akool::envelope_data(&Response::synthetic(status, body.to_vec(), false))
}

/// A getToken answer.
pub fn get_token_answer(status: u16, body: &[u8]) -> Result<Secret> {
    crate::akool::token_from(&Response::synthetic(status, body.to_vec(), true))
}

/// A credential answer (create, get, update, rotate).
pub fn credential_answer(status: u16, body: &[u8]) -> Result<Credential> {
    crate::acedata::parse(&Response::synthetic(status, body.to_vec(), true))
}

/// A credential list answer.
pub fn list_answer(status: u16, body: &[u8]) -> Result<CredentialPage> {
    crate::acedata::parse(&Response::synthetic(status, body.to_vec(), true))
}

/// Every input check, on text the fuzzer chose.
pub fn inputs(text: &str, number: f64) {
    let _ = NewCredential {
        application_id: text.into(),
        host: Some(text.into()),
        limited_amount: Some(number),
        expired_at: Some(text.into()),
        name: Some(text.into()),
        allowed_api_ids: Some(vec![text.into()]),
        metadata: NewCredential::metadata_from_json(Some(text)).unwrap_or_default(),
    }
    .to_body();
    let _ = NewCredential::new(text).to_body();
    let _ = CredentialFilter { application_id: Some(text.into()), host: Some(text.into()), ..Default::default() }
        .to_query();
    let _ = CredentialChanges { name: Some(text.into()), ..Default::default() }.to_body();
    let _ = text.parse::<Method>();
    if let Ok(base) = BaseUrl::parse(text, "base_url") {
        let _ = base.join(text);
    }
    let _ = BaseUrl::parse("https://example.com/prefix", "base_url").map(|base| base.join(text));
    let _ = crate::transport::parse_retry_after(text, SystemTime::now());
}

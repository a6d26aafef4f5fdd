//! What callers send to the credential endpoints, and the checks that run before any request.
//!
//! Every check names the field and says why, so a caller can fix the input without a round trip.

use serde_json::{Map, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::error::{Error, Result};

/// A credential to create. Only `application_id` is required; unset options are left out of the request.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NewCredential {
    /// The application (a UUID).
    pub application_id: String,
    /// Bind the credential to this domain (a bare host name: no scheme, port or path).
    pub host: Option<String>,
    /// A usage limit (finite, >= 0); `None` is unlimited.
    pub limited_amount: Option<f64>,
    /// When the credential expires (RFC 3339, e.g. `2030-01-01T00:00:00Z`); `None` is never.
    pub expired_at: Option<String>,
    /// A name to tell it apart in the console.
    pub name: Option<String>,
    /// The API ids (UUIDs) the credential may call; `None` leaves the platform's default.
    pub allowed_api_ids: Option<Vec<String>>,
    /// Your own data, kept with the credential (a JSON object), as the vendor's own client sends it.
    pub metadata: Option<Map<String, Value>>,
}

impl NewCredential {
    /// A credential for this application, with no options set.
    pub fn new(application_id: impl Into<String>) -> Self {
        Self { application_id: application_id.into(), ..Self::default() }
    }

    /// Binds the credential to a domain.
    pub fn with_host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// Sets a usage limit.
    pub fn with_limited_amount(mut self, amount: f64) -> Self {
        self.limited_amount = Some(amount);
        self
    }

    /// Sets an expiry (RFC 3339).
    pub fn with_expired_at(mut self, expired_at: impl Into<String>) -> Self {
        self.expired_at = Some(expired_at.into());
        self
    }

    /// Names the credential.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Limits the APIs the credential may call.
    pub fn with_allowed_api_ids(mut self, ids: Vec<String>) -> Self {
        self.allowed_api_ids = Some(ids);
        self
    }

    /// Keeps your own data with the credential.
    pub fn with_metadata(mut self, metadata: Map<String, Value>) -> Self {
        self.metadata = Some(metadata);
        self
    }

    /// `metadata` as bindings pass it, JSON text: it must be an object.
    pub fn metadata_from_json(json: Option<&str>) -> Result<Option<Map<String, Value>>> {
        json.map(|text| match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(Error::invalid("metadata", "must be a JSON object")),
        })
        .transpose()
    }

    /// The JSON body, after checking every field.
    pub(crate) fn to_body(&self) -> Result<Value> {
        let mut body = Map::new();
        body.insert("application_id".into(), uuid_field("application_id", &self.application_id)?.into());
        if let Some(host) = &self.host {
            body.insert("host".into(), host_field(host)?.into());
        }
        if let Some(amount) = self.limited_amount {
            body.insert("limited_amount".into(), amount_field(amount)?);
        }
        if let Some(expired_at) = &self.expired_at {
            body.insert("expired_at".into(), timestamp_field("expired_at", expired_at)?.into());
        }
        if let Some(name) = &self.name {
            if name.trim().is_empty() {
                return Err(Error::invalid("name", "must not be empty"));
            }
            body.insert("name".into(), name.clone().into());
        }
        if let Some(ids) = &self.allowed_api_ids {
            body.insert("allowed_api_ids".into(), api_ids(ids)?);
        }
        if let Some(metadata) = &self.metadata {
            body.insert("metadata".into(), Value::Object(metadata.clone()));
        }
        Ok(Value::Object(body))
    }
}

/// API ids as the body carries them, each checked as a UUID.
fn api_ids(ids: &[String]) -> Result<Value> {
    ids.iter()
        .map(|id| uuid_field("allowed_api_ids", id).map(Value::from))
        .collect::<Result<Vec<_>>>()
        .map(Value::Array)
}

/// One field of an update: leave it, clear it (send `null`), or set it.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Change<T> {
    /// Not sent: the value stays as it is.
    #[default]
    Keep,
    /// Sent as `null`: the value is removed (no limit, no expiry).
    Clear,
    /// Sent: the value is replaced.
    Set(T),
}

impl<T> Change<T> {
    /// The change that bindings express as a value and a "clear" flag; both at once is an input error.
    pub fn from_parts(field: &str, value: Option<T>, clear: bool) -> Result<Self> {
        match (value, clear) {
            (Some(_), true) => Err(Error::invalid(field, "cannot be set and cleared at once")),
            (Some(value), false) => Ok(Self::Set(value)),
            (None, true) => Ok(Self::Clear),
            (None, false) => Ok(Self::Keep),
        }
    }
}

/// Changes to a credential (`PATCH`). At least one field must change.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CredentialChanges {
    /// A new name.
    pub name: Option<String>,
    /// A new usage limit, or `Clear` for unlimited.
    pub limited_amount: Change<f64>,
    /// A new expiry (RFC 3339), or `Clear` for never.
    pub expired_at: Change<String>,
    /// The API ids the credential may call.
    pub allowed_api_ids: Option<Vec<String>>,
}

impl CredentialChanges {
    /// The changes as bindings express them: a value and a "clear" flag per clearable field (both at once is an
    /// input error naming the field).
    pub fn from_flags(
        name: Option<String>,
        (limited_amount, clear_limited_amount): (Option<f64>, bool),
        (expired_at, clear_expired_at): (Option<String>, bool),
        allowed_api_ids: Option<Vec<String>>,
    ) -> Result<Self> {
        Ok(Self {
            name,
            limited_amount: Change::from_parts("limited_amount", limited_amount, clear_limited_amount)?,
            expired_at: Change::from_parts("expired_at", expired_at, clear_expired_at)?,
            allowed_api_ids,
        })
    }

    /// The JSON body, after checking every field.
    pub(crate) fn to_body(&self) -> Result<Value> {
        let mut body = Map::new();
        if let Some(name) = &self.name {
            if name.trim().is_empty() {
                return Err(Error::invalid("name", "must not be empty"));
            }
            body.insert("name".into(), name.clone().into());
        }
        match self.limited_amount {
            Change::Keep => {}
            Change::Clear => {
                body.insert("limited_amount".into(), Value::Null);
            }
            Change::Set(amount) => {
                body.insert("limited_amount".into(), amount_field(amount)?);
            }
        }
        match &self.expired_at {
            Change::Keep => {}
            Change::Clear => {
                body.insert("expired_at".into(), Value::Null);
            }
            Change::Set(ts) => {
                body.insert("expired_at".into(), timestamp_field("expired_at", ts)?.into());
            }
        }
        if let Some(ids) = &self.allowed_api_ids {
            body.insert("allowed_api_ids".into(), api_ids(ids)?);
        }
        if body.is_empty() {
            return Err(Error::invalid("changes", "nothing to update: set at least one field"));
        }
        Ok(Value::Object(body))
    }
}

/// Which credentials to list, and which page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CredentialFilter {
    /// Only this application's credentials (a UUID).
    pub application_id: Option<String>,
    /// Only credentials bound to this host.
    pub host: Option<String>,
    /// Page size (>= 1).
    pub limit: Option<u32>,
    /// How many to skip.
    pub offset: Option<u32>,
}

impl CredentialFilter {
    /// The query string (with its `?`, or empty), after checking every field.
    pub(crate) fn to_query(&self) -> Result<String> {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        if let Some(id) = &self.application_id {
            query.append_pair("application_id", &uuid_field("application_id", id)?);
        }
        if let Some(host) = &self.host {
            query.append_pair("host", &host_field(host)?);
        }
        append_paging(&mut query, self.limit, self.offset)?;
        let query = query.finish();
        Ok(if query.is_empty() { query } else { format!("?{query}") })
    }
}

/// Which page of applications to list. The platform is always asked for the caller's own (`user_id=me`):
/// without it, a normal account is refused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplicationFilter {
    /// Page size (>= 1).
    pub limit: Option<u32>,
    /// How many to skip.
    pub offset: Option<u32>,
}

impl ApplicationFilter {
    /// The query string, after checking every field.
    pub(crate) fn to_query(&self) -> Result<String> {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("user_id", "me");
        append_paging(&mut query, self.limit, self.offset)?;
        Ok(format!("?{}", query.finish()))
    }
}

fn append_paging(
    query: &mut url::form_urlencoded::Serializer<'_, String>,
    limit: Option<u32>,
    offset: Option<u32>,
) -> Result<()> {
    if let Some(limit) = limit {
        if limit == 0 {
            return Err(Error::invalid("limit", "must be at least 1"));
        }
        query.append_pair("limit", &limit.to_string());
    }
    if let Some(offset) = offset {
        query.append_pair("offset", &offset.to_string());
    }
    Ok(())
}

/// A UUID, returned in its canonical lower-case hyphenated form (also what goes into paths).
pub(crate) fn uuid_field(field: &str, value: &str) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid(field, "is required"));
    }
    Uuid::try_parse(value).map(|id| id.hyphenated().to_string()).map_err(|_| {
        Error::invalid(field, format!("must be a UUID such as 107f8d0f-e465-4a7e-a49e-d633d26f7aa2, got {value:?}"))
    })
}

fn host_field(value: &str) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid("host", "must not be empty"));
    }
    if value.contains("://") || value.contains(['/', ':', '?', '#', '@']) {
        return Err(Error::invalid(
            "host",
            format!("must be a bare host name without scheme, port or path, got {value:?}"),
        ));
    }
    match url::Host::parse(value) {
        Ok(_) => Ok(value.to_ascii_lowercase()),
        Err(e) => Err(Error::invalid("host", format!("is not a valid host name ({e})"))),
    }
}

fn amount_field(amount: f64) -> Result<Value> {
    if !amount.is_finite() || amount < 0.0 {
        return Err(Error::invalid("limited_amount", format!("must be a finite number >= 0, got {amount}")));
    }
    Ok(serde_json::Number::from_f64(amount).map(Value::Number).unwrap_or(Value::Null))
}

fn timestamp_field(field: &str, value: &str) -> Result<String> {
    let value = value.trim();
    OffsetDateTime::parse(value, &Rfc3339).map(|_| value.to_owned()).map_err(|e| {
        Error::invalid(
            field,
            format!("must be an RFC 3339 / ISO 8601 timestamp with offset such as 2030-01-01T00:00:00Z ({e})"),
        )
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const APP: &str = "107f8d0f-e465-4a7e-a49e-d633d26f7aa2";

    fn field_of(err: Error) -> String {
        match err {
            Error::InvalidInput { field, .. } => field,
            other => panic!("not an input error: {other}"),
        }
    }

    #[test]
    fn unset_options_are_left_out() {
        assert_eq!(NewCredential::new(APP).to_body().unwrap(), json!({"application_id": APP}));
        let full = NewCredential::new(APP.to_uppercase())
            .with_host("Example.com")
            .with_limited_amount(100.0)
            .with_expired_at("2030-01-01T00:00:00Z");
        assert_eq!(
            full.to_body().unwrap(),
            json!({"application_id": APP, "host": "example.com", "limited_amount": 100.0, "expired_at": "2030-01-01T00:00:00Z"})
        );
    }

    #[test]
    fn every_bad_input_names_its_field() {
        let cases: Vec<(NewCredential, &str)> = vec![
            (NewCredential::new(""), "application_id"),
            (NewCredential::new("not-a-uuid"), "application_id"),
            (NewCredential::new(APP).with_host("https://example.com"), "host"),
            (NewCredential::new(APP).with_host("example.com/path"), "host"),
            (NewCredential::new(APP).with_host("example.com:443"), "host"),
            (NewCredential::new(APP).with_host("exa mple.com"), "host"),
            (NewCredential::new(APP).with_host(" "), "host"),
            (NewCredential::new(APP).with_limited_amount(-1.0), "limited_amount"),
            (NewCredential::new(APP).with_limited_amount(f64::NAN), "limited_amount"),
            (NewCredential::new(APP).with_limited_amount(f64::INFINITY), "limited_amount"),
            (NewCredential::new(APP).with_expired_at("tomorrow"), "expired_at"),
            (NewCredential::new(APP).with_expired_at("2030-01-01"), "expired_at"),
            (NewCredential::new(APP).with_expired_at("2030-13-01T00:00:00Z"), "expired_at"),
        ];
        for (input, field) in cases {
            assert_eq!(field_of(input.to_body().unwrap_err()), field, "{input:?}");
        }
    }

    #[test]
    fn updates_send_nulls_for_clears_and_refuse_empty_changes() {
        let changes = CredentialChanges {
            limited_amount: Change::Clear,
            expired_at: Change::Set("2031-01-01T00:00:00+02:00".into()),
            ..Default::default()
        };
        assert_eq!(
            changes.to_body().unwrap(),
            json!({"limited_amount": null, "expired_at": "2031-01-01T00:00:00+02:00"})
        );
        assert_eq!(field_of(CredentialChanges::default().to_body().unwrap_err()), "changes");
        let bad = CredentialChanges { name: Some(" ".into()), ..Default::default() };
        assert_eq!(field_of(bad.to_body().unwrap_err()), "name");
    }

    #[test]
    fn filters_build_queries() {
        assert_eq!(CredentialFilter::default().to_query().unwrap(), "");
        let f = CredentialFilter { application_id: Some(APP.into()), limit: Some(10), offset: Some(20), host: None };
        assert_eq!(f.to_query().unwrap(), format!("?application_id={APP}&limit=10&offset=20"));
        let f = CredentialFilter { limit: Some(0), ..Default::default() };
        assert_eq!(field_of(f.to_query().unwrap_err()), "limit");
        assert_eq!(ApplicationFilter::default().to_query().unwrap(), "?user_id=me");
        let f = ApplicationFilter { limit: Some(5), offset: Some(10) };
        assert_eq!(f.to_query().unwrap(), "?user_id=me&limit=5&offset=10");
    }
}

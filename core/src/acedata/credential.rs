//! [`Credential`]: an API key of an AceData application, as the platform returns it.

use std::fmt;

use serde::{Deserialize, Deserializer};

use crate::secret::Secret;

/// What kind of credential the platform issued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CredentialKind {
    /// For ordinary API services: use `token` as the bearer.
    Token,
    /// For proxy services: use `username` and `password`.
    Identity,
    /// A kind this version does not know, kept as sent.
    Other(String),
}

impl CredentialKind {
    /// The kind as the platform spells it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Token => "Token",
            Self::Identity => "Identity",
            Self::Other(other) => other,
        }
    }
}

impl<'de> Deserialize<'de> for CredentialKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(match text.to_ascii_lowercase().as_str() {
            "token" => Self::Token,
            "identity" => Self::Identity,
            _ => Self::Other(text),
        })
    }
}

/// A credential. `token` and `password` are [`Secret`]s: redacted in `Debug`, read with `expose()`.
///
/// Timestamps are kept as the ISO 8601 strings the platform sent. Fields the platform adds later are ignored.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Credential {
    /// The credential's id (a UUID).
    pub id: String,
    /// The owning user's id.
    #[serde(default)]
    pub user_id: Option<String>,
    /// The application the credential belongs to.
    pub application_id: String,
    /// `Token` or `Identity`.
    #[serde(rename = "type")]
    pub kind: CredentialKind,
    /// The bearer token, for `Token` credentials.
    #[serde(default)]
    pub token: Option<Secret>,
    /// The user name, for `Identity` credentials.
    #[serde(default)]
    pub username: Option<String>,
    /// The password, for `Identity` credentials.
    #[serde(default)]
    pub password: Option<Secret>,
    /// The domain the credential is bound to, if any.
    #[serde(default)]
    pub host: Option<String>,
    /// The usage limit; `None` is unlimited.
    #[serde(default, deserialize_with = "amount")]
    pub limited_amount: Option<f64>,
    /// The amount used so far.
    #[serde(default, deserialize_with = "amount")]
    pub used_amount: Option<f64>,
    /// When the credential expires; `None` is never.
    #[serde(default)]
    pub expired_at: Option<String>,
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<String>,
    /// When it was last changed.
    #[serde(default)]
    pub updated_at: Option<String>,
    /// Its name, where one was set.
    #[serde(default)]
    pub name: Option<String>,
}

/// One line naming the credential, without its token or password: safe to log.
impl fmt::Display for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Credential {} ({}) of application {}", self.id, self.kind.as_str(), self.application_id)
    }
}

/// Amounts arrive as numbers, or as decimal strings from Django's `DecimalField`: accept both.
pub(crate) fn amount<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Amount {
        Number(f64),
        Text(String),
    }
    match Option::<Amount>::deserialize(deserializer)? {
        None => Ok(None),
        Some(Amount::Number(n)) => Ok(Some(n)),
        Some(Amount::Text(s)) => s.trim().parse().map(Some).map_err(serde::de::Error::custom),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC_EXAMPLE: &str = r#"{
        "id": "c1d2e3f4-a5b6-7890-cdef-1234567890ab",
        "user_id": "b87f67c1-b04f-4332-99a1-7a5e651331c6",
        "application_id": "107f8d0f-e465-4a7e-a49e-d633d26f7aa2",
        "type": "Token",
        "token": "sk-canary-secret",
        "username": null, "password": null, "host": null, "limited_amount": null,
        "used_amount": 0, "expired_at": null,
        "created_at": "2024-08-01T10:00:00.000000Z", "updated_at": "2024-08-01T10:00:00.000000Z",
        "something_new": {"x": 1}
    }"#;

    #[test]
    fn parses_the_documented_example_and_redacts_the_token() {
        let c: Credential = serde_json::from_str(DOC_EXAMPLE).unwrap();
        assert_eq!(c.kind, CredentialKind::Token);
        assert_eq!(c.token.as_ref().unwrap().expose(), "sk-canary-secret");
        assert_eq!(c.used_amount, Some(0.0));
        assert_eq!(c.limited_amount, None);
        assert!(!format!("{c:?}").contains("canary"));
        assert_eq!(
            c.to_string(),
            "Credential c1d2e3f4-a5b6-7890-cdef-1234567890ab (Token) of application 107f8d0f-e465-4a7e-a49e-d633d26f7aa2"
        );
    }

    #[test]
    fn keeps_unknown_kinds_and_decimal_strings() {
        let text = DOC_EXAMPLE
            .replace("\"Token\"", "\"Session\"")
            .replace("\"limited_amount\": null", "\"limited_amount\": \"12.50\"");
        let c: Credential = serde_json::from_str(&text).unwrap();
        assert_eq!(c.kind, CredentialKind::Other("Session".into()));
        assert_eq!(c.limited_amount, Some(12.5));
    }
}

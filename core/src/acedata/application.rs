//! [`Application`]: a subscription of the user to one AceData service; credentials are issued for it.

use std::fmt;

use serde::Deserialize;

use super::credential::amount;

/// An application, as `GET /api/v1/applications/` returns it. Its `id` is the `application_id` a credential
/// is created for. Fields the platform adds later are ignored; timestamps are kept as sent.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Application {
    /// The application's id (a UUID): what `NewCredential::application_id` takes.
    pub id: String,
    /// The owning user's id.
    #[serde(default)]
    pub user_id: Option<String>,
    /// The service the application subscribes to.
    #[serde(default)]
    pub service_id: Option<String>,
    /// Its type as the platform spells it (e.g. `Api`, `Proxy`).
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Its scope as the platform spells it (e.g. `Individual`).
    #[serde(default)]
    pub scope: Option<String>,
    /// What is left of its balance.
    #[serde(default, deserialize_with = "amount")]
    pub remaining_amount: Option<f64>,
    /// What has been used.
    #[serde(default, deserialize_with = "amount")]
    pub used_amount: Option<f64>,
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<String>,
    /// When it was last changed.
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// One line naming the application: safe to log (an application holds no secret).
impl fmt::Display for Application {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Application {}", self.id)?;
        if let Some(kind) = &self.kind {
            write!(f, " ({kind})")?;
        }
        if let Some(service) = &self.service_id {
            write!(f, " of service {service}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_an_application_with_decimal_amounts_and_unknown_fields() {
        let app: Application = serde_json::from_str(
            r#"{"id": "107f8d0f-e465-4a7e-a49e-d633d26f7aa2", "type": "Api", "service_id": "s1",
                "remaining_amount": "12.5", "used_amount": 3, "credentials": [{"x": 1}]}"#,
        )
        .unwrap();
        assert_eq!((app.remaining_amount, app.used_amount), (Some(12.5), Some(3.0)));
        assert_eq!(app.to_string(), "Application 107f8d0f-e465-4a7e-a49e-d633d26f7aa2 (Api) of service s1");
    }
}

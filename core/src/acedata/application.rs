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

/// Calls `callback!` with the fields of [`Application`] as the bindings' records declare them: for each, its doc
/// comment, its name, the name JavaScript gives it where that differs (`as "type"`: the platform's spelling of
/// `kind`) and its type. The bindings generate their records and conversions from it, so a field the platform
/// adds is declared here and in [`Application`] (which the compiler checks against this table) only.
/// (Docs as `#[doc]` strings, for napi-derive: see `for_each_client_setting!`.)
#[macro_export]
macro_rules! for_each_application_field {
    ($callback:ident) => {
        $callback! {
            #[doc = "The application's id (a UUID): the `application_id` a credential is created for."]
            id: String,
            #[doc = "The owning user's id."]
            user_id: Option<String>,
            #[doc = "The service it subscribes to."]
            service_id: Option<String>,
            #[doc = "Its type as the platform spells it (e.g. `Api`, `Proxy`; `type` in the API)."]
            kind as "type": Option<String>,
            #[doc = "Its scope as the platform spells it (e.g. `Individual`)."]
            scope: Option<String>,
            #[doc = "What is left of its balance."]
            remaining_amount: Option<f64>,
            #[doc = "What has been used."]
            used_amount: Option<f64>,
            #[doc = "When it was created (ISO 8601, as sent)."]
            created_at: Option<String>,
            #[doc = "When it was last changed."]
            updated_at: Option<String>,
        }
    };
}

/// The table above names every field of [`Application`] with its type: a field missing from either fails to
/// compile here.
macro_rules! same_fields_as_the_table {
    ($($(#[$doc:meta])* $name:ident $(as $js:literal)?: $ty:ty,)*) => {
        const _: fn(Application) = |application| {
            let Application { $($name),* } = application;
            $(let _: $ty = $name;)*
        };
    };
}
for_each_application_field!(same_fields_as_the_table);

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

//! Configuration from environment variables, in one place for both clients.
//!
//! The functions take a lookup function instead of reading the process environment directly, so tests can
//! pass their own values without mutating global state. An empty or blank variable counts as unset.

use crate::akool::credentials::AkoolCredentials;
use crate::error::{Error, Result};
use crate::secret::Secret;

/// Reads one variable; `None` when unset.
pub(crate) type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Akool's API key (method 1).
pub const AKOOL_API_KEY: &str = "AKOOL_API_KEY";
/// Akool's client id (method 2).
pub const AKOOL_CLIENT_ID: &str = "AKOOL_CLIENT_ID";
/// Akool's client secret (method 2).
pub const AKOOL_CLIENT_SECRET: &str = "AKOOL_CLIENT_SECRET";
/// Overrides Akool's base URL.
pub const AKOOL_BASE_URL: &str = "AKOOL_BASE_URL";
/// The AceData platform token.
pub const ACEDATA_PLATFORM_TOKEN: &str = "ACEDATA_PLATFORM_TOKEN";
/// Overrides the AceData platform's base URL.
pub const ACEDATA_PLATFORM_BASE_URL: &str = "ACEDATA_PLATFORM_BASE_URL";

/// The process environment (blank values are treated as unset by the readers below).
pub(crate) fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

fn get(lookup: Lookup<'_>, name: &str) -> Option<String> {
    lookup(name).filter(|v| !v.trim().is_empty())
}

/// Akool credentials and optional base URL: the API key wins; otherwise both client variables are needed.
pub(crate) fn akool(lookup: Lookup<'_>) -> Result<(AkoolCredentials, Option<String>)> {
    let base_url = get(lookup, AKOOL_BASE_URL);
    if let Some(key) = get(lookup, AKOOL_API_KEY) {
        return Ok((AkoolCredentials::ApiKey(Secret::new(key)), base_url));
    }
    match (get(lookup, AKOOL_CLIENT_ID), get(lookup, AKOOL_CLIENT_SECRET)) {
        (Some(client_id), Some(secret)) => {
            Ok((AkoolCredentials::ClientCredentials { client_id, client_secret: Secret::new(secret) }, base_url))
        }
        (Some(_), None) => {
            Err(Error::MissingConfig(format!("{AKOOL_CLIENT_ID} is set but {AKOOL_CLIENT_SECRET} is not")))
        }
        (None, Some(_)) => {
            Err(Error::MissingConfig(format!("{AKOOL_CLIENT_SECRET} is set but {AKOOL_CLIENT_ID} is not")))
        }
        (None, None) => Err(Error::MissingConfig(format!(
            "set {AKOOL_API_KEY}, or both {AKOOL_CLIENT_ID} and {AKOOL_CLIENT_SECRET}"
        ))),
    }
}

/// The AceData platform token and optional base URL.
pub(crate) fn acedata(lookup: Lookup<'_>) -> Result<(Secret, Option<String>)> {
    let token = get(lookup, ACEDATA_PLATFORM_TOKEN)
        .ok_or_else(|| Error::MissingConfig(format!("set {ACEDATA_PLATFORM_TOKEN} to an AceData platform token")))?;
    Ok((Secret::new(token), get(lookup, ACEDATA_PLATFORM_BASE_URL)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn api_key_wins_over_client_credentials() {
        let lookup = vars(&[(AKOOL_API_KEY, "k"), (AKOOL_CLIENT_ID, "i"), (AKOOL_CLIENT_SECRET, "s")]);
        assert!(matches!(akool(&lookup).unwrap().0, AkoolCredentials::ApiKey(_)));
    }

    #[test]
    fn blank_values_count_as_unset_and_errors_name_the_variables() {
        let lookup = vars(&[(AKOOL_API_KEY, " "), (AKOOL_CLIENT_ID, "i"), (AKOOL_CLIENT_SECRET, "")]);
        let err = akool(&lookup).unwrap_err();
        assert_eq!(err.to_string(), "missing configuration: AKOOL_CLIENT_ID is set but AKOOL_CLIENT_SECRET is not");
        let err = akool(&vars(&[])).unwrap_err().to_string();
        for name in [AKOOL_API_KEY, AKOOL_CLIENT_ID, AKOOL_CLIENT_SECRET] {
            assert!(err.contains(name), "{err}");
        }
        let err = acedata(&vars(&[(ACEDATA_PLATFORM_TOKEN, "")])).unwrap_err().to_string();
        assert!(err.contains(ACEDATA_PLATFORM_TOKEN), "{err}");
    }

    #[test]
    fn base_urls_are_read() {
        let lookup =
            vars(&[(AKOOL_CLIENT_ID, "i"), (AKOOL_CLIENT_SECRET, "s"), (AKOOL_BASE_URL, "http://127.0.0.1:1")]);
        assert_eq!(akool(&lookup).unwrap().1.as_deref(), Some("http://127.0.0.1:1"));
        let lookup = vars(&[(ACEDATA_PLATFORM_TOKEN, "t"), (ACEDATA_PLATFORM_BASE_URL, "https://x")]);
        assert_eq!(acedata(&lookup).unwrap().1.as_deref(), Some("https://x"));
    }
}

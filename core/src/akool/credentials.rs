//! [`AkoolCredentials`]: what an Akool client authenticates with, checked before any request.

use crate::env::{get, Lookup, AKOOL_API_KEY, AKOOL_BASE_URL, AKOOL_CLIENT_ID, AKOOL_CLIENT_SECRET};
use crate::error::{Error, Result};
use crate::secret::Secret;

/// How a client proves who it is. Akool's API key is the same value as the client secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AkoolCredentials {
    /// Method 1 (recommended): every request carries `x-api-key: KEY`.
    ApiKey(Secret),
    /// Method 2 (legacy): a bearer token is fetched from `getToken` with these, then sent as `Authorization`.
    ClientCredentials {
        /// The client id shown next to the API key in Akool's console.
        client_id: String,
        /// The client secret (the API key).
        client_secret: Secret,
    },
}

impl AkoolCredentials {
    pub(super) fn validate(&self) -> Result<()> {
        match self {
            Self::ApiKey(key) if key.is_blank() => Err(Error::invalid("api_key", "must not be empty")),
            Self::ClientCredentials { client_id, .. } if client_id.trim().is_empty() => {
                Err(Error::invalid("client_id", "must not be empty"))
            }
            Self::ClientCredentials { client_secret, .. } if client_secret.is_blank() => {
                Err(Error::invalid("client_secret", "must not be empty"))
            }
            _ => Ok(()),
        }
    }
}

/// Akool credentials and optional base URL from the environment: the API key wins; otherwise both client
/// variables are needed.
pub(super) fn from_env(lookup: Lookup<'_>) -> Result<(AkoolCredentials, Option<String>)> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::tests::vars;

    #[test]
    fn api_key_wins_over_client_credentials() {
        let lookup = vars(&[(AKOOL_API_KEY, "k"), (AKOOL_CLIENT_ID, "i"), (AKOOL_CLIENT_SECRET, "s")]);
        assert!(matches!(from_env(&lookup).unwrap().0, AkoolCredentials::ApiKey(_)));
    }

    #[test]
    fn blank_values_count_as_unset_and_errors_name_the_variables() {
        let lookup = vars(&[(AKOOL_API_KEY, " "), (AKOOL_CLIENT_ID, "i"), (AKOOL_CLIENT_SECRET, "")]);
        let err = from_env(&lookup).unwrap_err();
        assert_eq!(err.to_string(), "missing configuration: AKOOL_CLIENT_ID is set but AKOOL_CLIENT_SECRET is not");
        let err = from_env(&vars(&[])).unwrap_err().to_string();
        for name in [AKOOL_API_KEY, AKOOL_CLIENT_ID, AKOOL_CLIENT_SECRET] {
            assert!(err.contains(name), "{err}");
        }
    }

    #[test]
    fn the_base_url_is_read() {
        let lookup =
            vars(&[(AKOOL_CLIENT_ID, "i"), (AKOOL_CLIENT_SECRET, "s"), (AKOOL_BASE_URL, "http://127.0.0.1:1")]);
        assert_eq!(from_env(&lookup).unwrap().1.as_deref(), Some("http://127.0.0.1:1"));
    }
}

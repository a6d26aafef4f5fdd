//! [`AkoolCredentials`]: what an Akool client authenticates with, checked before any request.

use crate::error::{Error, Result};
use crate::secret::Secret;

/// How a client proves who it is. Akool's API key is the same value as the client secret.
#[derive(Clone, Debug)]
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

//! Process-wide clients: one client per distinct credentials and options, for hosts that rebuild their objects
//! on every request but keep the process (PHP-FPM and `php -S` workers).
//!
//! A client built anew per request would fetch a new Akool token and open new connections every time. Asking
//! here instead returns the client built earlier in this process with equal credentials and options, so the
//! token and the pool outlive the request. Different credentials (a rotated secret) or options get their own
//! client, never another's token. Entries live as long as the process; the number of distinct configurations a
//! process sees is small.

use std::sync::{Mutex, PoisonError};

use crate::acedata::AceDataPlatform;
use crate::akool::{AkoolClient, AkoolCredentials};
use crate::error::Result;
use crate::options::ClientOptions;
use crate::secret::Secret;

static AKOOL: Mutex<Vec<(AkoolCredentials, ClientOptions, AkoolClient)>> = Mutex::new(Vec::new());
static ACEDATA: Mutex<Vec<(Secret, ClientOptions, AceDataPlatform)>> = Mutex::new(Vec::new());

impl AkoolClient {
    /// The client of this process for these credentials and options: built on first use, then the same one
    /// (same token cache, same connection pool) for every later call with equal credentials and options.
    pub fn shared(credentials: AkoolCredentials, options: ClientOptions) -> Result<Self> {
        let mut clients = AKOOL.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, _, client)) = clients.iter().find(|(c, o, _)| *c == credentials && *o == options) {
            return Ok(client.clone());
        }
        let client = Self::new(credentials.clone(), options.clone())?;
        clients.push((credentials, options, client.clone()));
        Ok(client)
    }
}

impl AceDataPlatform {
    /// The client of this process for this platform token and options (see [`AkoolClient::shared`]).
    pub fn shared(platform_token: impl Into<Secret>, options: ClientOptions) -> Result<Self> {
        let token = platform_token.into();
        let mut clients = ACEDATA.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, _, client)) = clients.iter().find(|(t, o, _)| *t == token && *o == options) {
            return Ok(client.clone());
        }
        let client = Self::new(token.clone(), options.clone())?;
        clients.push((token, options, client.clone()));
        Ok(client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_settings_share_a_client_and_others_do_not() {
        let options = ClientOptions::default().with_base_url("http://127.0.0.1:9");
        let id =
            |secret: &str| AkoolCredentials::ClientCredentials { client_id: "i".into(), client_secret: secret.into() };
        let a = AkoolClient::shared(id("secret-one"), options.clone()).unwrap();
        let b = AkoolClient::shared(id("secret-one"), options.clone()).unwrap();
        let c = AkoolClient::shared(id("secret-two"), options.clone()).unwrap();
        let d = AkoolClient::shared(id("secret-one"), options.clone().with_user_agent_suffix("x")).unwrap();
        assert!(a.same_as(&b));
        assert!(!a.same_as(&c) && !a.same_as(&d));
        let p = AceDataPlatform::shared("token-1", options.clone()).unwrap();
        assert!(p.same_as(&AceDataPlatform::shared("token-1", options.clone()).unwrap()));
        assert!(!p.same_as(&AceDataPlatform::shared("token-2", options).unwrap()));
    }
}

//! `Tokensmith\Testing\MockServer`: the mock Akool and AceData APIs in this PHP process, on a free loopback port,
//! for testing your own code offline with PHPUnit (docs/testing.md). Rules and answers are PHP arrays.

use ext_php_rs::prelude::*;
use ext_php_rs::types::Zval;

use crate::acedata::AceDataPlatform;
use crate::akool::AkoolClient;
use crate::call::php;
use crate::json;

/// The mock Akool and AceData APIs in this PHP process, on a free loopback port, for testing your own code
/// offline: start one in `setUpBeforeClass()`, `reset()` it in `setUp()`. Stopped when destroyed
/// (docs/testing.md).
#[php_class]
#[php(name = "Tokensmith\\Testing\\MockServer")]
#[derive(Debug)]
pub struct MockServer(tokensmith_mock::MockServer);

#[php_impl]
impl MockServer {
    /// Starts a mock on a free loopback port.
    pub fn __construct() -> PhpResult<Self> {
        let server = tokensmith_mock::MockServer::start()
            .map_err(|e| tokensmith::Error::Transport(format!("the mock server did not start: {e}")));
        Ok(Self(php(server)?))
    }

    /// Both APIs' base URL, e.g. `http://127.0.0.1:41234`: pass it as `'base_url'`.
    pub fn base_url(&self) -> String {
        self.0.base_url().to_owned()
    }

    /// The credentials and ids the mock accepts: `api_key`, `client_id`, `client_secret`, `platform_token`,
    /// `application_id`, `proxy_application_id`.
    pub fn demo(&self) -> PhpResult<Zval> {
        json::decode(&tokensmith_mock::MockServer::demo_json())
    }

    /// Arms a fault (docs/mock.md): `['kind' => 'status', 'status' => 503, 'times' => 2]`.
    pub fn arm(&self, rule: &Zval) -> PhpResult<()> {
        let rule = json::encode("rule", rule)?;
        php(self.0.arm(&rule).map_err(|reason| tokensmith::Error::invalid("rule", reason)))
    }

    /// The requests seen since the last reset, oldest first, each `['method' => string, 'path' => string,
    /// 'headers' => array<string, string>, 'json' => mixed]`; credentials redacted unless `$reveal`.
    pub fn requests(&self, reveal: Option<bool>) -> PhpResult<Zval> {
        json::decode(&self.0.requests_json(reveal.unwrap_or(false)))
    }

    /// How many requests arrived, by `'METHOD /path'`.
    pub fn counts(&self) -> PhpResult<Zval> {
        json::decode(&self.0.counts_json())
    }

    /// How many TCP connections the mock's API origin accepted since the last reset: clients that share a
    /// connection pool open one and reuse it.
    pub fn connection_count(&self) -> i64 {
        i64::try_from(self.0.connections()).unwrap_or(i64::MAX)
    }

    /// How many tokens Akool's getToken issued.
    pub fn token_count(&self) -> i64 {
        i64::try_from(self.0.tokens_issued()).unwrap_or(i64::MAX)
    }

    /// The AceData credentials the mock holds, as the platform returns them.
    pub fn credentials(&self) -> PhpResult<Zval> {
        json::decode(&self.0.credentials_json())
    }

    /// Adds an Akool account besides the demo one (`$client_secret` is also its API key), for tests of many
    /// tenants; each call's answer names the `client_id` it authenticated as. Forgotten by `reset()`.
    pub fn add_tenant(&self, client_id: String, client_secret: String) {
        self.0.add_tenant(&client_id, &client_secret);
    }

    /// Expires every Akool token issued so far: the next call with one is answered 1101.
    pub fn expire_tokens(&self) {
        self.0.expire_tokens();
    }

    /// Closes a keep-alive connection of the mock once it has had no request in flight for `$ms` milliseconds, as
    /// servers do (nginx's `keepalive_timeout`): with a FIN, and no `Connection: close` on the answer before. A
    /// connection that has not answered yet is left open; open connections follow a change at once. `null` (the
    /// default) turns it off, as `reset()` does.
    pub fn set_idle_close(&self, ms: Option<u64>) {
        self.0.set_idle_close_ms(ms);
    }

    /// Restarts the mock on the same port, as a server process restarting would: every open connection is closed
    /// (a request in flight gets no answer) and a new listener is bound; tenants, tokens, credentials, counts and
    /// faults are kept. Returns once the new listener accepts.
    pub fn restart(&self) -> PhpResult<()> {
        php(self.0.restart().map_err(|e| tokensmith::Error::Transport(format!("the mock did not restart: {e}"))))
    }

    /// Forgets requests, counts, connections, tokens, tenants, credentials, faults and the idle close.
    pub fn reset(&self) {
        self.0.reset();
    }

    /// Posts an Akool webhook of `$payload` to `$url` (loopback http), signed and encrypted with the demo client
    /// id and secret as Akool does: the status the receiver answered.
    pub fn send_webhook(&self, url: String, payload: &Zval) -> PhpResult<i64> {
        let payload = json::encode("payload", payload)?;
        let sent = self.0.send_webhook_json(&url, &payload);
        php(sent.map(i64::from).map_err(|reason| tokensmith::Error::invalid("webhook", reason)))
    }

    /// An Akool client of the mock with client credentials (method 2), not shared with other requests.
    pub fn akool(&self) -> PhpResult<AkoolClient> {
        let credentials = tokensmith::AkoolCredentials::ClientCredentials {
            client_id: tokensmith_mock::DEMO_CLIENT_ID.to_owned(),
            client_secret: tokensmith_mock::DEMO_CLIENT_SECRET.into(),
        };
        let client = tokensmith::AkoolClient::new(credentials, self.options()?);
        Ok(AkoolClient(php(client)?.into()))
    }

    /// An AceData client of the mock, not shared with other requests.
    pub fn platform(&self) -> PhpResult<AceDataPlatform> {
        let client = tokensmith::AceDataPlatform::new(tokensmith_mock::DEMO_PLATFORM_TOKEN, self.options()?);
        Ok(AceDataPlatform(php(client)?.into()))
    }
}

impl MockServer {
    /// Options pointing at this mock, with quick retries.
    fn options(&self) -> PhpResult<tokensmith::ClientOptions> {
        let retry =
            tokensmith::RetryPolicy { initial_backoff: std::time::Duration::from_millis(10), ..Default::default() };
        Ok(tokensmith::ClientOptions::default().with_base_url(self.0.base_url()).with_retry(retry))
    }
}

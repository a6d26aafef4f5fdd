//! [`NativeMockServer`]: the mock Akool and AceData APIs, started in this process on a free loopback port, for the
//! testing kits of Kotlin/Java, Swift and Python (UniFFI build). Rules, requests and state cross as JSON text in
//! the format of `docs/mock.md`; each language's kit turns them into its own types.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use crate::error::Result;

/// The credentials and ids every mock accepts.
#[derive(Clone, Debug, uniffi::Record)]
pub struct MockDemo {
    /// The Akool API key (also the client secret, as at Akool).
    pub api_key: String,
    /// The Akool client id.
    pub client_id: String,
    /// The Akool client secret.
    pub client_secret: String,
    /// The AceData platform token.
    pub platform_token: String,
    /// An application whose credentials are `Token`s.
    pub application_id: String,
    /// An application of a proxy service, whose credentials are `Identity`s.
    pub proxy_application_id: String,
}

/// A request the mock received.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct SeenRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path with its query.
    pub path: String,
    /// The headers, by lower-case name.
    pub headers: HashMap<String, String>,
    /// The JSON body as text, if there was one.
    pub json: Option<String>,
    /// The W3C `traceparent` the request carried, if any.
    pub traceparent: Option<String>,
    /// The W3C `tracestate` the request carried, if any.
    pub tracestate: Option<String>,
}

impl From<&Value> for SeenRequest {
    fn from(seen: &Value) -> Self {
        let text = |key: &str| seen[key].as_str().unwrap_or_default().to_owned();
        let headers = seen["headers"].as_object().into_iter().flatten();
        Self {
            method: text("method"),
            path: text("path"),
            headers: headers
                .map(|(name, value)| (name.clone(), value.as_str().unwrap_or_default().to_owned()))
                .collect(),
            json: Some(&seen["json"]).filter(|json| !json.is_null()).map(Value::to_string),
            traceparent: seen["traceparent"].as_str().map(str::to_owned),
            tracestate: seen["tracestate"].as_str().map(str::to_owned),
        }
    }
}

/// A running mock server, as the language kits wrap it (their `MockServer`); stopped when the last reference goes.
#[derive(Debug, uniffi::Object)]
pub struct NativeMockServer(tokensmith_mock::MockServer);

#[uniffi::export]
impl NativeMockServer {
    /// Starts a mock on a free loopback port.
    #[uniffi::constructor]
    pub fn start() -> Result<Arc<Self>> {
        let server = tokensmith_mock::MockServer::start()
            .map_err(|e| tokensmith::Error::Transport(format!("the mock server did not start: {e}")))?;
        Ok(Arc::new(Self(server)))
    }

    /// Its base URL (both vendors' APIs), e.g. `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> String {
        self.0.base_url().to_owned()
    }

    /// Arms a fault: a rule as JSON text (`{"kind": "status", "status": 503, "times": 2}`, docs/mock.md).
    pub fn arm(&self, rule_json: String) -> Result<()> {
        Ok(self.0.arm(&rule_json).map_err(|reason| tokensmith::Error::invalid("rule", reason))?)
    }

    /// The latest requests as a JSON array of `{method, path, headers, json}`; credentials redacted unless `reveal`.
    pub fn requests_json(&self, reveal: bool) -> String {
        self.0.requests_json(reveal)
    }

    /// The latest requests, oldest first; credentials redacted unless `reveal`.
    pub fn requests(&self, reveal: bool) -> Vec<SeenRequest> {
        self.0.requests(reveal).iter().map(SeenRequest::from).collect()
    }

    /// How many requests arrived, by `"METHOD /path"`.
    pub fn counts(&self) -> HashMap<String, u64> {
        self.0.counts().into_iter().collect()
    }

    /// Counts of requests by `"METHOD /path"`, as a JSON object.
    pub fn counts_json(&self) -> String {
        self.0.counts_json()
    }

    /// The credentials it holds, as a JSON array.
    pub fn credentials_json(&self) -> String {
        self.0.credentials_json()
    }

    /// How many tokens getToken issued.
    pub fn tokens_issued(&self) -> u64 {
        self.0.tokens_issued()
    }

    /// How many TCP connections the API origin accepted since the last reset.
    pub fn connections(&self) -> u64 {
        self.0.connections()
    }

    /// Adds an Akool account (its client secret is also its API key), for tests of many tenants.
    pub fn add_tenant(&self, client_id: String, client_secret: String) {
        self.0.add_tenant(&client_id, &client_secret);
    }

    /// Invalidates every token issued so far (the next call with one gets 1101).
    pub fn expire_tokens(&self) {
        self.0.expire_tokens();
    }

    /// Closes a keep-alive connection once it has had no request in flight for `ms` milliseconds (never when
    /// `None`); open connections follow a change at once, `reset` turns it off.
    pub fn set_idle_close_ms(&self, ms: Option<u64>) {
        self.0.set_idle_close_ms(ms);
    }

    /// Restarts on the same port, as a server process would: every connection closed, the state kept. Returns once
    /// the new listener accepts.
    pub fn restart(&self) -> Result<()> {
        Ok(self.0.restart().map_err(|e| tokensmith::Error::Transport(format!("the mock did not restart: {e}")))?)
    }

    /// Forgets requests, counts, tokens, credentials and faults.
    pub fn reset(&self) {
        self.0.reset();
    }

    /// Posts a signed, encrypted Akool webhook of `payload_json` to `url` (loopback http only): the status it
    /// answered.
    pub fn send_webhook(&self, url: String, payload_json: String) -> Result<u16> {
        Ok(self
            .0
            .send_webhook_json(&url, &payload_json)
            .map_err(|reason| tokensmith::Error::invalid("webhook", reason))?)
    }
}

/// The credentials and ids every mock accepts.
#[uniffi::export]
pub fn mock_demo() -> MockDemo {
    use tokensmith_mock as mock;
    MockDemo {
        api_key: mock::DEMO_API_KEY.to_owned(),
        client_id: mock::DEMO_CLIENT_ID.to_owned(),
        client_secret: mock::DEMO_CLIENT_SECRET.to_owned(),
        platform_token: mock::DEMO_PLATFORM_TOKEN.to_owned(),
        application_id: mock::DEMO_APPLICATION_ID.to_owned(),
        proxy_application_id: mock::DEMO_PROXY_APPLICATION_ID.to_owned(),
    }
}

/// The credentials and ids every mock accepts, as a JSON object (`api_key`, `client_id`, `client_secret`,
/// `platform_token`, `application_id`, `proxy_application_id`).
#[uniffi::export]
pub fn mock_demo_json() -> String {
    tokensmith_mock::MockServer::demo_json()
}

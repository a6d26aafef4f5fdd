//! Shared by the integration tests: a mock per test and clients pointed at it with fast retries.
#![allow(dead_code)] // each test binary uses its own subset

use std::time::Duration;

use tokensmith::{
    blocking::{AceDataPlatform, AkoolClient},
    AkoolCredentials, ClientOptions, RetryPolicy, Secret,
};
use tokensmith_mock::{MockServer, DEMO_API_KEY, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PLATFORM_TOKEN};

pub fn mock() -> MockServer {
    MockServer::start().expect("the mock starts on loopback")
}

/// Default policy, but with millisecond backoff so retry tests stay fast.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
        ..RetryPolicy::default()
    }
}

pub fn options(mock: &MockServer) -> ClientOptions {
    ClientOptions::default().with_base_url(mock.base_url()).with_retry(fast_retry())
}

pub fn akool_with_key(mock: &MockServer) -> AkoolClient {
    AkoolClient::new(AkoolCredentials::ApiKey(Secret::new(DEMO_API_KEY)), options(mock)).unwrap()
}

pub fn akool_with_client_credentials(mock: &MockServer) -> AkoolClient {
    let credentials = AkoolCredentials::ClientCredentials {
        client_id: DEMO_CLIENT_ID.into(),
        client_secret: Secret::new(DEMO_CLIENT_SECRET),
    };
    AkoolClient::new(credentials, options(mock)).unwrap()
}

pub fn platform(mock: &MockServer) -> AceDataPlatform {
    AceDataPlatform::new(DEMO_PLATFORM_TOKEN, options(mock)).unwrap()
}

pub const GET_TOKEN: &str = "/api/open/v3/getToken";
pub const QUOTA: &str = "/api/open/v3/faceswap/quota/info";
pub const SPECIFY_IMAGE: &str = "/api/open/v3/faceswap/highquality/specifyimage";
pub const CREDENTIALS: &str = "/api/v1/credentials/";

//! Proxies from the standard environment variables are used. Its own test binary, because it sets process
//! environment variables that other tests must not see.

mod common;

use std::net::TcpListener;

use tokensmith::{blocking::AkoolClient, Method};
use tokensmith_mock::DEMO_API_KEY;

#[test]
fn http_proxy_from_the_environment_carries_the_request() {
    let proxy = common::mock();
    // A base URL where nothing listens: the call can only succeed through the proxy.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    // SAFETY: this binary has one test and no other threads read the environment while it is set.
    unsafe {
        std::env::set_var("HTTP_PROXY", proxy.base_url());
        std::env::set_var("AKOOL_API_KEY", DEMO_API_KEY);
        std::env::set_var("AKOOL_BASE_URL", format!("http://127.0.0.1:{port}"));
        std::env::remove_var("NO_PROXY");
        std::env::remove_var("no_proxy");
    }
    let akool = AkoolClient::from_env().unwrap();
    let data = akool.request(Method::Get, common::QUOTA, None).unwrap();
    assert_eq!(data["auth"], "x-api-key");
    assert_eq!(data["headers"]["host"], format!("127.0.0.1:{port}"));
    assert_eq!(proxy.count("GET", common::QUOTA), 1);
}

//! Many threads blocked in calls at once share the callers' runtime (one drives the I/O at a time, handing it over),
//! share one token fetch, and make each create once.

mod common;

use common::*;
use tokensmith::Method;

#[test]
fn many_blocked_threads_share_the_callers_runtime_and_a_create_is_made_once() {
    let mock = mock();
    let (akool, platform) = (akool_with_client_credentials(&mock), platform(&mock));
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                for _ in 0..25 {
                    akool.request(Method::Get, QUOTA, None).unwrap();
                }
                platform
                    .create_credential(&tokensmith::NewCredential::new(tokensmith_mock::DEMO_APPLICATION_ID))
                    .unwrap();
            });
        }
    });
    assert_eq!((mock.count("GET", QUOTA), mock.count("POST", CREDENTIALS)), (200, 8));
    assert_eq!(mock.count("POST", GET_TOKEN), 1, "eight threads' first calls share one getToken");
}

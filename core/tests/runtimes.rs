//! Who drives the I/O: a blocked caller drives its own call on its own thread, async callers' calls run on the
//! core's runtime, and connections never cross from one runtime to another, so no runtime's end can hang another's
//! calls. Its own test binary: the first test counts the threads the process has.

mod common;

use std::time::Duration;

use common::*;
use tokensmith::Method;

fn core_threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .flatten()
        .filter(|task| {
            std::fs::read_to_string(task.path().join("comm")).is_ok_and(|name| name.starts_with("tokensmith-io"))
        })
        .count()
}

#[test]
fn blocking_calls_run_on_the_calling_thread_and_mixed_runtimes_never_hang() {
    let mock = mock();
    let blocking = akool_with_key(&mock);
    for _ in 0..20 {
        blocking.request(Method::Get, QUOTA, None).unwrap();
    }
    assert_eq!(core_threads(), 0, "a blocking method-1 call needs no I/O thread of the core's");
    assert_eq!(mock.connections(), 1);

    // Async callers on runtimes of their own: the calls run on the core's runtime, over a pool of its own.
    let client = blocking.as_async().clone();
    let first = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    first.block_on(client.request(Method::Get, QUOTA, None)).unwrap();
    assert!(core_threads() > 0);
    assert_eq!(mock.connections(), 2, "blocked callers and the core's runtime never share a connection");
    drop(first);

    // The first runtime is gone: another runtime, the blocking face, and a blocking call made inside a runtime
    // (which cannot drive a second one) all go on, each within a deadline instead of hanging.
    let second = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    second.block_on(async {
        for _ in 0..5 {
            tokio::time::timeout(Duration::from_secs(5), client.request(Method::Get, QUOTA, None))
                .await
                .expect("no hang after another runtime shut down")
                .unwrap();
        }
        blocking.request(Method::Get, QUOTA, None).expect("a blocking call inside a runtime parks instead");
    });
    blocking.request(Method::Get, QUOTA, None).unwrap();
    assert_eq!(mock.connections(), 2);
}

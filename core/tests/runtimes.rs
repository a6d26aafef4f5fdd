//! Who drives the I/O: a blocked caller drives its own call on its own thread, a multi-thread runtime drives its
//! own calls, other async callers' calls run on the core's runtime, and connections never cross from one runtime
//! to another, so no runtime's end can hang another's calls. Its own test binary: it counts the process's threads.

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

    // An async caller on a multi-thread runtime of its own: the call runs there, on that runtime's own pool.
    let client = blocking.as_async().clone();
    let first = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    first.block_on(client.request(Method::Get, QUOTA, None)).unwrap();
    assert_eq!(core_threads(), 0, "a multi-thread runtime drives its own calls");
    assert_eq!(mock.connections(), 2, "blocked callers and another runtime never share a connection");
    drop(first);

    // The first runtime is gone, its pool with it: another runtime, the blocking face, and a blocking call made
    // inside a runtime (which cannot drive a second one, so parks) all go on, within a deadline, never hanging.
    let second = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
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
    // The second runtime opened its own, and so did the core's runtime for the parked blocking call.
    assert_eq!(mock.connections(), 4);

    // A current-thread runtime (often one per call, gone after it) hands its calls to the core's runtime.
    let current = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    current.block_on(client.request(Method::Get, QUOTA, None)).unwrap();
    assert!(core_threads() > 0);
}

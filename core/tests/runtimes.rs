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

    // An async caller's task on a multi-thread runtime of its own: the call runs there, on that runtime's own pool.
    let client = blocking.as_async().clone();
    let first = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let in_task = client.clone();
    first.block_on(first.spawn(async move { in_task.request(Method::Get, QUOTA, None).await })).unwrap().unwrap();
    assert_eq!(core_threads(), 0, "a multi-thread runtime drives its own tasks' calls");
    assert_eq!(mock.connections(), 2, "blocked callers and another runtime never share a connection");
    drop(first);

    // The first runtime is gone, its pool with it: another runtime, the blocking face, and a blocking call made
    // inside a runtime (which cannot drive a second one, so parks) all go on, within a deadline, never hanging.
    let second = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let (in_task, in_runtime) = (client.clone(), blocking.clone());
    let task = second.spawn(async move {
        for _ in 0..5 {
            tokio::time::timeout(Duration::from_secs(5), in_task.request(Method::Get, QUOTA, None))
                .await
                .expect("no hang after another runtime shut down")
                .unwrap();
        }
        in_runtime.request(Method::Get, QUOTA, None).expect("a blocking call inside a runtime parks instead");
    });
    second.block_on(task).unwrap();
    blocking.request(Method::Get, QUOTA, None).unwrap();
    // The second runtime opened its own, and so did the core's runtime for the parked blocking call.
    assert_eq!(mock.connections(), 4);
    assert!(core_threads() > 0);

    // What no runtime's scheduler polls as a task goes to the core's runtime, over its one warm pool: a runtime
    // built per call (`Runtime::new().block_on(call)`), a current-thread runtime, and a call that another
    // executor blocks on inside a worker (which could never run the connection tasks the call spawns there).
    for _ in 0..3 {
        let per_call = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        per_call.block_on(client.request(Method::Get, QUOTA, None)).unwrap();
    }
    let current = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    current.block_on(client.request(Method::Get, QUOTA, None)).unwrap();
    let one_worker = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let in_task = client.clone();
    let blocked_worker = one_worker
        .spawn(async move { futures_executor::block_on(in_task.request(Method::Get, QUOTA, None)).map(|_| ()) });
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || sender.send(one_worker.block_on(blocked_worker)));
    let outcome = receiver.recv_timeout(Duration::from_secs(5)).expect("futures::executor::block_on on a worker hung");
    outcome.unwrap().unwrap();
    assert_eq!(mock.connections(), 4, "a runtime per call, or blocked on, makes no connection of its own");
}

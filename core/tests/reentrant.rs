//! Calls made from inside other calls: a log sink (or any callback) that calls back into tokensmith, on the
//! caller's own thread or on one of the core's I/O threads. Each either works or fails at once naming the fix;
//! none hangs. Its own test binary: it installs the process's log sink.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use tokensmith::logging::{set_sink, LevelFilter, LogRecord};
use tokensmith::{ErrorKind, Method, NewCredential};
use tokensmith_mock::DEMO_APPLICATION_ID;

/// Set while a nested call runs, so that its own records (on whatever thread) do not nest again.
static IN_SINK: AtomicBool = AtomicBool::new(false);

/// What the nested calls did: the thread's name, and the kind of error (None: it worked), and how long it took.
type Outcomes = Arc<Mutex<Vec<(String, Option<ErrorKind>, Duration)>>>;

#[test]
fn a_sink_that_calls_back_works_on_the_caller_s_thread_and_fails_at_once_on_a_core_thread() {
    let mock = mock();
    let nested = akool_with_key(&mock);
    let nested_platform = platform(&mock);
    let outcomes: Outcomes = Arc::default();
    let into = Arc::clone(&outcomes);
    let sink = move |record: LogRecord| {
        if !record.message.contains("-> 200") || IN_SINK.swap(true, Ordering::SeqCst) {
            return;
        }
        let started = Instant::now();
        let thread = std::thread::current().name().unwrap_or_default().to_owned();
        let outcome = if thread.starts_with("tokensmith-io") {
            // A create that fails at once must not have gone out (checked below): nothing is started for it.
            let create = nested_platform.create_credential(&NewCredential::new(DEMO_APPLICATION_ID));
            assert_eq!(create.unwrap_err().kind(), ErrorKind::Unsupported);
            nested.request(Method::Get, QUOTA, None).err().map(|e| e.kind())
        } else {
            nested.request(Method::Get, QUOTA, None).err().map(|e| e.kind())
        };
        into.lock().unwrap().push((thread, outcome, started.elapsed()));
        IN_SINK.store(false, Ordering::SeqCst);
    };
    assert!(set_sink(Some(Arc::new(sink)), LevelFilter::Debug));

    // A blocking call logs on the thread that drives it: the sink's call runs there too, and works.
    let outer = akool_with_key(&mock);
    outer.request(Method::Get, QUOTA, None).unwrap();
    // An async call from a current-thread runtime runs on the core's runtime and logs there: the sink's
    // blocking call would park the thread its own I/O needs, so it fails at once instead.
    let client = outer.as_async().clone();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        sender.send(runtime.block_on(client.request(Method::Get, QUOTA, None)).map(|_| ()))
    });
    receiver.recv_timeout(Duration::from_secs(5)).expect("the outer async call hung").unwrap();
    set_sink(None, LevelFilter::Off);

    let outcomes = outcomes.lock().unwrap();
    assert_eq!(outcomes.len(), 2, "{outcomes:?}");
    let (thread, outcome, _) = &outcomes[0];
    assert!(!thread.starts_with("tokensmith-io"), "{thread}");
    assert_eq!(*outcome, None, "a call nested on the caller's thread works");
    let (thread, outcome, took) = &outcomes[1];
    assert!(thread.starts_with("tokensmith-io"), "{thread}");
    assert_eq!(*outcome, Some(ErrorKind::Unsupported));
    assert!(*took < Duration::from_secs(1), "it failed at once: {took:?}");
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(mock.count("POST", CREDENTIALS), 0, "the create that failed at once went out");
}

//! Calls polled by a foreign event loop's thread (`tokensmith::loop_executor`, what the Node addon does), with a loop
//! written here as a binding writes one: tasks kept by the loop, polled inside `runtime::on_loop` when woken.
//!
//! What must hold: the connection tasks are the loop's (not a runtime's), the loop's calls share the loop's own
//! pool and nobody else's, and the connection faults every other face survives (a server closing idle connections,
//! a restart) cost no call, not even a create with retries off.

mod common;

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Context, Wake, Waker};
use std::time::{Duration, Instant};

use common::*;
use tokensmith::loop_executor::{LoopExecutor, LoopSpawner};
use tokensmith::{AkoolClient, AkoolCredentials, ClientOptions, Method, RetryPolicy, Secret};
use tokensmith_mock::DEMO_API_KEY;

type Task = Pin<Box<dyn Future<Output = ()> + Send>>;

/// What waits for the loop's thread: tasks handed over, and the ids of tasks whose wakers were called.
#[derive(Default)]
struct Queue {
    waiting: Mutex<(Vec<Task>, Vec<u64>, usize)>,
    ready: Condvar,
}

impl LoopSpawner for Queue {
    fn spawn(&self, task: Task) {
        let mut waiting = self.waiting.lock().unwrap();
        waiting.0.push(task);
        waiting.2 += 1;
        self.ready.notify_one();
    }
}

struct TaskWaker(u64, Arc<Queue>);

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.1.waiting.lock().unwrap().1.push(self.0);
        self.1.ready.notify_one();
    }
}

/// An event loop on the test's thread.
struct TestLoop {
    queue: Arc<Queue>,
    executor: LoopExecutor,
    tasks: HashMap<u64, Task>,
    next: u64,
}

impl TestLoop {
    fn new() -> Self {
        let queue = Arc::new(Queue::default());
        let executor = LoopExecutor::new(Arc::clone(&queue) as Arc<dyn LoopSpawner>);
        Self { queue, executor, tasks: HashMap::new(), next: 0 }
    }

    /// How many tasks the core handed this loop so far.
    fn spawned(&self) -> usize {
        self.queue.waiting.lock().unwrap().2
    }

    /// Runs `call` as a task of the loop until it ends (failing the test after 10 s).
    fn block_on<T: Send + 'static>(&mut self, call: impl Future<Output = T> + Send + 'static) -> T {
        let output = Arc::new(Mutex::new(None));
        let slot = Arc::clone(&output);
        let id = self.add(Box::pin(async move { *slot.lock().unwrap() = Some(call.await) }));
        self.queue.waiting.lock().unwrap().1.push(id);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            self.turn(Duration::from_millis(100));
            if let Some(output) = output.lock().unwrap().take() {
                return output;
            }
            assert!(Instant::now() < deadline, "the call hung on the loop");
        }
    }

    /// Keeps the loop running (polling what is woken) for `period`, as an idle event loop does.
    fn idle(&mut self, period: Duration) {
        let until = Instant::now() + period;
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            self.turn(left);
        }
    }

    fn add(&mut self, task: Task) -> u64 {
        self.next += 1;
        self.tasks.insert(self.next, task);
        self.next
    }

    /// Waits up to `wait` for something to do, then polls everything handed over or woken.
    fn turn(&mut self, wait: Duration) {
        let (spawned, woken) = {
            let waiting = self.queue.waiting.lock().unwrap();
            let (mut waiting, _) =
                self.queue.ready.wait_timeout_while(waiting, wait, |w| w.0.is_empty() && w.1.is_empty()).unwrap();
            (std::mem::take(&mut waiting.0), std::mem::take(&mut waiting.1))
        };
        let ids: Vec<u64> = woken.into_iter().chain(spawned.into_iter().map(|task| self.add(task))).collect();
        let executor = self.executor.clone();
        tokensmith::runtime::on_loop(&executor, || {
            for id in ids {
                let waker = Waker::from(Arc::new(TaskWaker(id, Arc::clone(&self.queue))));
                let Some(task) = self.tasks.get_mut(&id) else { continue };
                if task.as_mut().poll(&mut Context::from_waker(&waker)).is_ready() {
                    self.tasks.remove(&id);
                }
            }
        });
    }
}

fn client(mock: &tokensmith_mock::MockServer) -> AkoolClient {
    let options = ClientOptions::default().with_base_url(mock.base_url()).with_retry(RetryPolicy::none());
    AkoolClient::new(AkoolCredentials::ApiKey(Secret::new(DEMO_API_KEY)), options).unwrap()
}

#[test]
fn a_loop_s_calls_run_its_connection_tasks_and_share_only_its_own_pool() {
    let mock = mock();
    let client = client(&mock);
    let mut event_loop = TestLoop::new();
    for _ in 0..3 {
        let call = client.request_text(Method::Get, QUOTA, None);
        event_loop.block_on(call).unwrap();
    }
    // The pool's watcher (the transport's), and hyper-util's connection task (its pool's idle timer may be a third).
    assert!(event_loop.spawned() >= 2, "the connection's task was handed to the loop: {}", event_loop.spawned());
    assert_eq!(mock.connections(), 1, "the loop's three calls shared one connection");
    // A runtime's call does not take the loop's connection (it could not drive it), nor the loop a runtime's.
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    runtime.block_on(runtime.spawn(client.request_text(Method::Get, QUOTA, None))).unwrap().unwrap();
    assert_eq!(mock.connections(), 2, "the runtime opened its own");
    event_loop.block_on(client.request_text(Method::Get, QUOTA, None)).unwrap();
    assert_eq!(mock.connections(), 2, "the loop kept using its own");
}

#[test]
fn a_loop_s_creates_survive_idle_closes_and_restarts_with_retries_off() {
    let mock = mock();
    let client = client(&mock);
    let mut event_loop = TestLoop::new();
    let body = r#"{"sourceImage":[{"path":"https://x/a.png"}],"modifyImage":"https://x/b.png"}"#;
    event_loop.block_on(client.request_text(Method::Post, SPECIFY_IMAGE, Some(body))).unwrap();
    mock.set_idle_close(Some(Duration::from_millis(30)));
    for round in 0..3 {
        // The loop runs while the server closes the idle connection, as Node's loop runs between requests.
        event_loop.idle(Duration::from_millis(90));
        let posted = event_loop.block_on(client.request_text(Method::Post, SPECIFY_IMAGE, Some(body)));
        assert!(posted.is_ok(), "round {round}, after an idle close: {posted:?}");
    }
    mock.set_idle_close(None);
    mock.restart().unwrap();
    event_loop.idle(Duration::from_millis(50));
    let posted = event_loop.block_on(client.request_text(Method::Post, SPECIFY_IMAGE, Some(body)));
    assert!(posted.is_ok(), "after a restart: {posted:?}");
    assert_eq!(mock.count("POST", SPECIFY_IMAGE), 5, "every create made once");
}

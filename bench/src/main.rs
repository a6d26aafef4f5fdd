//! Benchmark drivers, each printing one JSON line for `bench/run.py` to put in the table:
//!
//! - `core BASE THREADS SECONDS`: the Rust core's blocking `AkoolClient::request` (one client shared by all threads).
//! - `floor BASE THREADS SECONDS`: the same request from a minimal hyper client (one connection per thread), the
//!   loopback floor for this machine and this mock.
//! - `core-async BASE TASKS SECONDS`: the async core's `AkoolClient::request` awaited by TASKS tasks on a
//!   multi-thread tokio runtime of the bench's own (one client shared by all tasks).
//! - `floor-async BASE TASKS SECONDS`: the floor's request from TASKS tasks on such a runtime (one connection per
//!   task), the floor for the async row.
//! - `auth-headers BASE ITERATIONS`: ns per `auth_headers()` call with the token cached.

use std::future::Future;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use tokensmith::{blocking::AkoolClient, AkoolCredentials, ClientOptions, Method, Secret};

const PATH: &str = "/api/open/v3/faceswap/quota/info";
const API_KEY: &str = "mock-api-key-0123456789abcdefghi";
const WARMUP: Duration = Duration::from_millis(300);
const USAGE: &str = "usage: tokensmith-bench core|floor|core-async|floor-async|auth-headers BASE ...";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).unwrap_or_else(|| panic!("{USAGE}"));
    let base = arg(1).clone();
    match arg(0).as_str() {
        "core" => {
            let client = client(&base, AkoolCredentials::ApiKey(Secret::new(API_KEY)));
            report(run(arg(2).parse().unwrap(), arg(3).parse().unwrap(), move || {
                let client = client.clone();
                Box::new(move || {
                    client.request(Method::Get, PATH, None).expect("the mock answers");
                })
            }));
        }
        "floor" => report(run(arg(2).parse().unwrap(), arg(3).parse().unwrap(), move || floor_worker(&base))),
        "core-async" => {
            let client = client(&base, AkoolCredentials::ApiKey(Secret::new(API_KEY))).as_async().clone();
            report(run_async(arg(2).parse().unwrap(), arg(3).parse().unwrap(), || std::future::ready(client.clone())));
        }
        "floor-async" => {
            report(run_async(arg(2).parse().unwrap(), arg(3).parse().unwrap(), || FloorConnection::open(&base)))
        }
        "auth-headers" => {
            let credentials = AkoolCredentials::ClientCredentials {
                client_id: "mock-client-id".into(),
                client_secret: Secret::new(API_KEY),
            };
            let client = client(&base, credentials);
            client.token().expect("the mock issues a token");
            let iterations: u32 = arg(2).parse().unwrap();
            let started = Instant::now();
            for _ in 0..iterations {
                std::hint::black_box(client.auth_headers().unwrap());
            }
            let ns = started.elapsed().as_nanos() as f64 / f64::from(iterations);
            println!("{}", serde_json::json!({ "ns_per_call": ns }));
        }
        other => panic!("unknown mode {other}"),
    }
}

fn client(base: &str, credentials: AkoolCredentials) -> AkoolClient {
    AkoolClient::new(credentials, ClientOptions::default().with_base_url(base)).expect("a valid client")
}

type Call = Box<dyn FnMut()>;

/// Runs `threads` workers (each with its own call from `make`) for `seconds` after a warm-up; all latencies.
fn run(threads: usize, seconds: f64, make: impl Fn() -> Call + Send + Sync + 'static) -> (Vec<u64>, f64) {
    let make = Arc::new(make);
    let barrier = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (make, barrier) = (make.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut call = make();
                barrier.wait();
                let warm_until = Instant::now() + WARMUP;
                while Instant::now() < warm_until {
                    call();
                }
                let mut latencies = Vec::new();
                let end = Instant::now() + Duration::from_secs_f64(seconds);
                while Instant::now() < end {
                    let started = Instant::now();
                    call();
                    latencies.push(started.elapsed().as_nanos() as u64);
                }
                latencies
            })
        })
        .collect();
    let latencies: Vec<u64> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    (latencies, seconds)
}

fn report((mut latencies, seconds): (Vec<u64>, f64)) {
    latencies.sort_unstable();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)] as f64 / 1000.0;
    let line = serde_json::json!({
        "requests": latencies.len(),
        "rps": latencies.len() as f64 / seconds,
        "p50_us": pct(0.50),
        "p99_us": pct(0.99),
    });
    println!("{line}");
}

/// One authenticated quota request, made again and again by a task of [`run_async`].
trait Requester: Send + 'static {
    fn quota(&mut self) -> impl Future<Output = ()> + Send;
}

/// The async core: the request is spawned on the core's own runtime and awaited from the bench's.
impl Requester for tokensmith::AkoolClient {
    fn quota(&mut self) -> impl Future<Output = ()> + Send {
        let request = self.request(Method::Get, PATH, None);
        async move {
            request.await.expect("the mock answers");
        }
    }
}

/// Runs `tasks` tasks, each with its own requester from `make`, for `seconds` after a warm-up; all latencies.
///
/// The tasks run on a multi-thread tokio runtime of the bench's own (one worker per core, tokio's default), as in
/// an async service; a latency includes the task's wait for a worker, which such a service would see.
fn run_async<R: Requester, F: Future<Output = R>>(tasks: usize, seconds: f64, make: impl Fn() -> F) -> (Vec<u64>, f64) {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let mut requesters = Vec::with_capacity(tasks);
        for _ in 0..tasks {
            requesters.push(make().await);
        }
        let warm_until = Instant::now() + WARMUP;
        let end = warm_until + Duration::from_secs_f64(seconds);
        let handles: Vec<_> = requesters.into_iter().map(|r| tokio::spawn(timed(r, warm_until, end))).collect();
        let mut latencies = Vec::new();
        for handle in handles {
            latencies.extend(handle.await.unwrap());
        }
        (latencies, seconds)
    })
}

/// One task of [`run_async`]: requests until `warm_until` unmeasured, then records each latency (ns) until `end`.
async fn timed(mut requester: impl Requester, warm_until: Instant, end: Instant) -> Vec<u64> {
    while Instant::now() < warm_until {
        requester.quota().await;
    }
    let mut latencies = Vec::new();
    loop {
        let started = Instant::now();
        if started >= end {
            return latencies;
        }
        requester.quota().await;
        latencies.push(started.elapsed().as_nanos() as u64);
    }
}

/// The floor: one keep-alive connection driven by hyper's HTTP/1 client, with no envelope parsing, no auth policy
/// and no retries; only a check that the answer is a success.
struct FloorConnection {
    sender: SendRequest<Empty<Bytes>>,
    authority: String,
}

impl FloorConnection {
    /// Connects to the mock; the connection is driven by a task on the current runtime.
    async fn open(base: &str) -> Self {
        let authority = base.trim_start_matches("http://").trim_end_matches('/').to_owned();
        let stream = tokio::net::TcpStream::connect(&authority).await.expect("the mock listens");
        stream.set_nodelay(true).unwrap();
        let (sender, connection) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await.unwrap();
        tokio::spawn(connection);
        Self { sender, authority }
    }
}

impl Requester for FloorConnection {
    async fn quota(&mut self) {
        let request = hyper::Request::get(PATH)
            .header("host", &self.authority)
            .header("x-api-key", API_KEY)
            .header("accept", "application/json")
            .body(Empty::<Bytes>::new())
            .unwrap();
        self.sender.ready().await.expect("the connection stays open");
        let answer = self.sender.send_request(request).await.unwrap();
        let body = answer.into_body().collect().await.unwrap().to_bytes();
        assert!(body.starts_with(b"{\"code\":1000"));
    }
}

/// The blocking floor: one [`FloorConnection`] per thread, on a single-threaded runtime of that thread.
fn floor_worker(base: &str) -> Call {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut connection = runtime.block_on(FloorConnection::open(base));
    Box::new(move || runtime.block_on(connection.quota()))
}

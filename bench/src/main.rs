//! Benchmark drivers, each printing one JSON line for `bench/run.py` to put in the table. Every load mode's line
//! also has `cs` and `cs_involuntary`: the context switches of the whole process (every thread, getrusage's
//! `RUSAGE_SELF`) over the timed section, and `cpu_us`, the process's CPU time (user plus system, µs) over that
//! section; run.py divides both by `requests`. The mock is another process.
//!
//! - `core BASE THREADS SECONDS`: the Rust core's blocking `AkoolClient::request` (one client shared by all threads).
//! - `floor BASE THREADS SECONDS`: the same request from a minimal hyper client (one connection per thread), the
//!   loopback floor for this machine and this mock.
//! - `ureq BASE THREADS SECONDS`: the same request from ureq 3 (blocking sockets, one agent per thread), the
//!   client a blocking face on plain sockets would use.
//! - `socket BASE THREADS SECONDS`: the same request written by hand on a blocking `TcpStream` per thread and its
//!   answer read to the end of its `content-length`: the limit of this machine for a blocking call.
//! - `core-async BASE TASKS SECONDS`: the async core's `AkoolClient::request` awaited by TASKS tasks on a
//!   multi-thread tokio runtime of the bench's own (one client shared by all tasks).
//! - `floor-async BASE TASKS SECONDS`: the floor's request from TASKS tasks on such a runtime (one connection per
//!   task), the floor for the async row.
//! - `reqwest BASE TASKS SECONDS`: the floor's request through one reqwest `Client`, awaited directly by TASKS
//!   tasks of the bench's runtime (reqwest with no hop: its connections belong to that runtime).
//! - `reqwest-hop BASE TASKS SECONDS`: the same, each call spawned onto a second multi-thread runtime (as many
//!   workers as the core's) and awaited through its `JoinHandle`: what one hop to another runtime costs.
//! - `auth-headers BASE ITERATIONS`: ns per `auth_headers()` call with the token cached.
//! - `construct BASE N`: builds N async `AkoolClient`s with distinct API keys and keeps them all: the median
//!   construction and the RSS growth per kept client (after one client built first, so one-time costs are out).
//! - `tenants BASE N`: N tenants in turn (API key [`tenant_key`], which bench/run.py registers with the mock),
//!   each a blocking client built for its one call and dropped: µs per tenant, its build and call p50, and `cs`
//!   over the whole loop; run.py reads how many connections the mock accepted.

use std::future::Future;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use tokensmith::{blocking::AkoolClient, AkoolCredentials, ClientOptions, Method, Secret};

const PATH: &str = "/api/open/v3/faceswap/quota/info";
const API_KEY: &str = "mock-api-key-0123456789abcdefghi";
const WARMUP: Duration = Duration::from_millis(300);
const USAGE: &str =
    "usage: tokensmith-bench core|floor|hyper-util|ureq|socket|core-async|floor-async|hyper-util-async|reqwest|reqwest-hop|auth-headers|construct|tenants BASE ...";

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
        "hyper-util" => report(run(arg(2).parse().unwrap(), arg(3).parse().unwrap(), move || hyper_util_worker(&base))),
        "ureq" => report(run(arg(2).parse().unwrap(), arg(3).parse().unwrap(), move || ureq_worker(&base))),
        "socket" => report(run(arg(2).parse().unwrap(), arg(3).parse().unwrap(), move || socket_worker(&base))),
        "core-async" => {
            let client = client(&base, AkoolCredentials::ApiKey(Secret::new(API_KEY))).as_async().clone();
            report(run_async(arg(2).parse().unwrap(), arg(3).parse().unwrap(), || std::future::ready(client.clone())));
        }
        "floor-async" => {
            report(run_async(arg(2).parse().unwrap(), arg(3).parse().unwrap(), || FloorConnection::open(&base)))
        }
        "hyper-util-async" => {
            let requester = HyperUtil::new(&base);
            report(run_async(arg(2).parse().unwrap(), arg(3).parse().unwrap(), || {
                std::future::ready(requester.clone())
            }));
        }
        "reqwest" => {
            let requester = Reqwest::new(&base, None);
            report(run_async(arg(2).parse().unwrap(), arg(3).parse().unwrap(), || {
                std::future::ready(requester.clone())
            }));
        }
        "reqwest-hop" => {
            // Built like the core's runtime (one worker per core, at most 4); dropped after the bench's own.
            let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
            let second =
                tokio::runtime::Builder::new_multi_thread().worker_threads(workers).enable_all().build().unwrap();
            let requester = Reqwest::new(&base, Some(second.handle().clone()));
            report(run_async(arg(2).parse().unwrap(), arg(3).parse().unwrap(), || {
                std::future::ready(requester.clone())
            }));
        }
        "construct" => construct(&base, arg(2).parse().unwrap()),
        "tenants" => tenants(&base, arg(2).parse().unwrap()),
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
            println!("{}", json!({ "ns_per_call": ns }));
        }
        other => panic!("unknown mode {other}"),
    }
}

fn client(base: &str, credentials: AkoolCredentials) -> AkoolClient {
    AkoolClient::new(credentials, ClientOptions::default().with_base_url(base)).expect("a valid client")
}

type Call = Box<dyn FnMut()>;

/// What a load run measured: every latency (ns), the seconds measured, the context switches in that time.
struct Measured {
    latencies: Vec<u64>,
    seconds: f64,
    switches: Switches,
}

/// Context switches of every thread of this process (getrusage `RUSAGE_SELF`, which on Linux sums all threads,
/// the ended ones included): voluntary (the thread waited) and involuntary (it was preempted); and the CPU time
/// of all of them (user plus system, µs), which moves far less with the machine's load than latency does.
#[derive(Clone, Copy)]
struct Switches {
    voluntary: i64,
    involuntary: i64,
    cpu_us: i64,
}

impl Switches {
    fn now() -> Self {
        // SAFETY: getrusage only writes the struct it is given, which is plain data.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) }, 0, "getrusage");
        // `tv_usec` is an i64 on Linux and an i32 on macOS.
        #[allow(clippy::unnecessary_cast)]
        let micros = |t: libc::timeval| t.tv_sec as i64 * 1_000_000 + t.tv_usec as i64;
        Self {
            voluntary: usage.ru_nvcsw,
            involuntary: usage.ru_nivcsw,
            cpu_us: micros(usage.ru_utime) + micros(usage.ru_stime),
        }
    }

    /// The switches since `self`.
    fn since(self) -> Self {
        let now = Self::now();
        Self {
            voluntary: now.voluntary - self.voluntary,
            involuntary: now.involuntary - self.involuntary,
            cpu_us: now.cpu_us - self.cpu_us,
        }
    }
}

/// Runs `threads` workers (each with its own call from `make`) for `seconds` after a warm-up; all latencies.
/// The context switches are counted from the end of the warm-up until every worker has stopped.
fn run(threads: usize, seconds: f64, make: impl Fn() -> Call + Send + Sync + 'static) -> Measured {
    let make = Arc::new(make);
    // The workers and this thread, which counts the switches from the moment their warm-up ends.
    let barrier = Arc::new(Barrier::new(threads + 1));
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
    barrier.wait();
    std::thread::sleep(WARMUP);
    let before = Switches::now();
    let latencies: Vec<u64> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    Measured { latencies, seconds, switches: before.since() }
}

/// The p-th percentile of sorted latencies (ns), in µs.
fn percentile(sorted: &[u64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)] as f64 / 1000.0
}

fn report(Measured { mut latencies, seconds, switches }: Measured) {
    latencies.sort_unstable();
    let line = json!({
        "requests": latencies.len(),
        "rps": latencies.len() as f64 / seconds,
        "p50_us": percentile(&latencies, 0.50),
        "p99_us": percentile(&latencies, 0.99),
        "cs": switches.voluntary + switches.involuntary,
        "cs_involuntary": switches.involuntary,
        "cpu_us": switches.cpu_us,
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

/// Runs `tasks` tasks, each with its own requester from `make`, for `seconds` after a warm-up; all latencies, and
/// the context switches from the end of the warm-up until every task has stopped.
///
/// The tasks run on a multi-thread tokio runtime of the bench's own (one worker per core, tokio's default), as in
/// an async service; a latency includes the task's wait for a worker, which such a service would see.
fn run_async<R: Requester, F: Future<Output = R>>(tasks: usize, seconds: f64, make: impl Fn() -> F) -> Measured {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let mut requesters = Vec::with_capacity(tasks);
        for _ in 0..tasks {
            requesters.push(make().await);
        }
        let warm_until = Instant::now() + WARMUP;
        let end = warm_until + Duration::from_secs_f64(seconds);
        let handles: Vec<_> = requesters.into_iter().map(|r| tokio::spawn(timed(r, warm_until, end))).collect();
        tokio::time::sleep_until(warm_until.into()).await;
        let before = Switches::now();
        let mut latencies = Vec::new();
        for handle in handles {
            latencies.extend(handle.await.unwrap());
        }
        Measured { latencies, seconds, switches: before.since() }
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

/// hyper-util's pooled client with the floor's request and check, on a current-thread runtime of the calling thread
/// (`block_on` per call, as the floor and the core's blocking face do).
fn hyper_util_worker(base: &str) -> Call {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut requester = runtime.block_on(async { HyperUtil::new(base) });
    Box::new(move || runtime.block_on(requester.quota()))
}

/// ureq 3 with the floor's request and check: a blocking client on plain sockets, its pool in its agent.
fn ureq_worker(base: &str) -> Call {
    let agent = ureq::Agent::new_with_defaults();
    let url = format!("{}{PATH}", base.trim_end_matches('/'));
    Box::new(move || {
        let mut answer = agent
            .get(&url)
            .header("x-api-key", API_KEY)
            .header("accept", "application/json")
            .call()
            .expect("the mock answers");
        let body = answer.body_mut().read_to_vec().unwrap();
        assert!(body.starts_with(b"{\"code\":1000"));
    })
}

/// The floor's request on a blocking socket by hand: write it, read the head, then `content-length` bytes.
fn socket_worker(base: &str) -> Call {
    use std::io::{Read, Write};
    let address = base.trim_start_matches("http://").trim_end_matches('/').to_owned();
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    stream.set_nodelay(true).unwrap();
    let request =
        format!("GET {PATH} HTTP/1.1\r\nhost: {address}\r\nx-api-key: {API_KEY}\r\naccept: application/json\r\n\r\n");
    let mut buffer = vec![0u8; 16 * 1024];
    Box::new(move || {
        stream.write_all(request.as_bytes()).unwrap();
        let mut filled = 0;
        loop {
            filled += stream.read(&mut buffer[filled..]).unwrap();
            let text = &buffer[..filled];
            let Some(end) = text.windows(4).position(|w| w == b"\r\n\r\n") else { continue };
            let head = std::str::from_utf8(&text[..end]).unwrap().to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .map(|v| v.trim().parse().unwrap())
                .unwrap();
            if filled >= end + 4 + length {
                assert!(text[end + 4..].starts_with(b"{\"code\":1000"));
                return;
            }
        }
    })
}

/// reqwest by hand, with the floor's request and check: awaited where the caller runs, or (with `hop`) spawned
/// onto another runtime and awaited through the `JoinHandle`, as the async core does with its own runtime.
#[derive(Clone)]
struct Reqwest {
    client: reqwest::Client,
    url: reqwest::Url,
    hop: Option<tokio::runtime::Handle>,
}

impl Reqwest {
    fn new(base: &str, hop: Option<tokio::runtime::Handle>) -> Self {
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        Self { client, url: format!("{}{PATH}", base.trim_end_matches('/')).parse().unwrap(), hop }
    }
}

impl Requester for Reqwest {
    fn quota(&mut self) -> impl Future<Output = ()> + Send {
        let request =
            self.client.get(self.url.clone()).header("x-api-key", API_KEY).header("accept", "application/json");
        let call = async move {
            let answer = request.send().await.expect("the mock answers");
            let body = answer.bytes().await.unwrap();
            assert!(body.starts_with(b"{\"code\":1000"));
        };
        let hop = self.hop.clone();
        async move {
            match hop {
                None => call.await,
                Some(runtime) => runtime.spawn(call).await.unwrap(),
            }
        }
    }
}

/// hyper-util's pooled client (`client::legacy`, what reqwest is built on) by hand: its connector, pool and the
/// floor's request, without reqwest's layers (redirects, timeouts, proxies, its request and response types).
#[derive(Clone)]
struct HyperUtil {
    client: hyper_util::client::legacy::Client<hyper_util::client::legacy::connect::HttpConnector, Empty<Bytes>>,
    uri: hyper::Uri,
}

impl HyperUtil {
    fn new(base: &str) -> Self {
        let mut connector = hyper_util::client::legacy::connect::HttpConnector::new();
        connector.set_nodelay(true);
        let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .pool_timer(hyper_util::rt::TokioTimer::new())
            .build(connector);
        Self { client, uri: format!("{}{PATH}", base.trim_end_matches('/')).parse().unwrap() }
    }
}

impl Requester for HyperUtil {
    fn quota(&mut self) -> impl Future<Output = ()> + Send {
        let request = hyper::Request::get(self.uri.clone())
            .header("x-api-key", API_KEY)
            .header("accept", "application/json")
            .body(Empty::<Bytes>::new())
            .unwrap();
        let client = self.client.clone();
        async move {
            let answer = client.request(request).await.expect("the mock answers");
            let body = answer.into_body().collect().await.unwrap().to_bytes();
            assert!(body.starts_with(b"{\"code\":1000"));
        }
    }
}

/// Tenant `i`'s API key, as bench/run.py registers it with the mock (the number first: the mock compares keys).
fn tenant_key(i: usize) -> String {
    format!("tenant{i}-key-0123456789abcdef")
}

/// This process's resident set (VmRSS), in KiB.
fn rss_kib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).expect("VmRSS in /proc/self/status");
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn median_us(mut ns: Vec<u64>) -> f64 {
    ns.sort_unstable();
    percentile(&ns, 0.5)
}

/// `construct`: N async clients with distinct keys, all kept; each construction timed.
fn construct(base: &str, n: usize) {
    let options = ClientOptions::default().with_base_url(base);
    let build = |key: String| {
        tokensmith::AkoolClient::new(AkoolCredentials::ApiKey(Secret::new(key)), options.clone())
            .expect("a valid client")
    };
    drop(build("warm-up-key-0123456789abcdef".into()));
    let rss_before = rss_kib();
    let mut kept = Vec::with_capacity(n);
    let mut ns = Vec::with_capacity(n);
    for i in 0..n {
        let key = tenant_key(i);
        let started = Instant::now();
        kept.push(build(key));
        ns.push(started.elapsed().as_nanos() as u64);
    }
    let rss_per_client = (rss_kib() - rss_before) / n as f64;
    println!("{}", json!({ "clients": kept.len(), "median_us": median_us(ns), "rss_kib_per_client": rss_per_client }));
}

/// `tenants`: N tenants in turn, each a new blocking client (the tenant's key) for one call, then dropped.
fn tenants(base: &str, n: usize) {
    let options = ClientOptions::default().with_base_url(base);
    let (mut build_ns, mut call_ns) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let before = Switches::now();
    let started = Instant::now();
    for i in 0..n {
        let t0 = Instant::now();
        let client = AkoolClient::new(AkoolCredentials::ApiKey(Secret::new(tenant_key(i))), options.clone())
            .expect("a valid client");
        let t1 = Instant::now();
        let data: Value = client.request(Method::Get, PATH, None).expect("the mock knows the tenant");
        call_ns.push(t1.elapsed().as_nanos() as u64);
        build_ns.push((t1 - t0).as_nanos() as u64);
        std::hint::black_box(data);
    }
    let total_us = started.elapsed().as_secs_f64() * 1e6;
    let switches = before.since();
    println!(
        "{}",
        json!({
            "tenants": n,
            "us_per_tenant": total_us / n as f64,
            "build_p50_us": median_us(build_ns),
            "call_p50_us": median_us(call_ns),
            "cs": switches.voluntary + switches.involuntary,
            "cs_involuntary": switches.involuntary,
            "cpu_us": switches.cpu_us,
        })
    );
}

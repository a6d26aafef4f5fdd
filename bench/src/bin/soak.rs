//! The fault soak: `cargo run --release -p tokensmith-bench --bin soak -- [CALLS] [THREADS]`.
//!
//! Drives the in-process mock from many threads with random faults (delays past the timeout, 5xx, 429 with
//! Retry-After, connections dropped before and after the request was handled, malformed and oversized bodies,
//! expired tokens, connections closed after an answer or reset, idle connections closed by the server, and the
//! server restarted on its port now and then, mid-call) for a fixed number of calls, then prints a table and
//! checks the invariants: no panic, no credential lost (every create that reported success exists) and none
//! duplicated (each create call carries a unique `host`, which must appear at most once).
//!
//! Then the connection phase: bursts of calls with retries off, between which the server closes every idle
//! connection, and now and then restarts. Nothing a client can save may fail there: not one call.
//! Exits non-zero when an invariant is broken.

use std::collections::{BTreeMap, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use tokensmith::{
    blocking::{AceDataPlatform, AkoolClient},
    AkoolCredentials, ClientOptions, CredentialFilter, Method, NewCredential, RetryPolicy, Secret,
};
use tokensmith_mock::{MockServer, DEMO_APPLICATION_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PLATFORM_TOKEN};

const QUOTA: &str = "/api/open/v3/faceswap/quota/info";
const JOB: &str = "/api/open/v3/faceswap/highquality/specifyimage";

#[derive(Default)]
struct Tally {
    outcomes: BTreeMap<String, u64>,
    created_ok: Vec<String>,
    latencies: Vec<u64>,
    panics: u64,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let calls: usize = args.next().map(|a| a.parse().expect("CALLS is a number")).unwrap_or(100_000);
    let threads: usize = args.next().map(|a| a.parse().expect("THREADS is a number")).unwrap_or(16);
    let mock = Arc::new(MockServer::start().expect("the mock starts"));
    let options = ClientOptions::default()
        .with_base_url(mock.base_url())
        .with_request_timeout(Duration::from_millis(250))
        .with_retry(RetryPolicy {
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(10),
            ..RetryPolicy::default()
        });
    let credentials = AkoolCredentials::ClientCredentials {
        client_id: DEMO_CLIENT_ID.into(),
        client_secret: Secret::new(DEMO_CLIENT_SECRET),
    };
    let akool = AkoolClient::new(credentials, options.clone()).expect("a valid client");
    let platform = AceDataPlatform::new(DEMO_PLATFORM_TOKEN, options).expect("a valid client");
    let next = Arc::new(AtomicUsize::new(0));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let started = Instant::now();
    let done = Arc::new(AtomicBool::new(false));
    let chaos = std::thread::spawn({
        let (mock, done) = (mock.clone(), done.clone());
        move || restart_now_and_then(&mock, &done)
    });

    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (mock, akool, platform, next, tally) =
                (mock.clone(), akool.clone(), platform.clone(), next.clone(), tally.clone());
            std::thread::spawn(move || {
                let mut local = Tally::default();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= calls {
                        break;
                    }
                    let op = fastrand::u8(0..4);
                    if fastrand::u8(0..100) < 35 {
                        arm_random_fault(&mock, op);
                    }
                    let host = format!("c{n}.soak.test");
                    let begun = Instant::now();
                    let outcome = catch_unwind(AssertUnwindSafe(|| match op {
                        0 => akool.request(Method::Get, QUOTA, None).map(|_| ()),
                        1 => akool.request(Method::Post, JOB, Some(&json!({"n": n}))).map(|_| ()),
                        2 => platform
                            .create_credential(&NewCredential::new(DEMO_APPLICATION_ID).with_host(host.clone()))
                            .map(|created| local.created_ok.push(created.host.unwrap_or_default())),
                        _ => platform
                            .list_credentials(&CredentialFilter { limit: Some(5), ..Default::default() })
                            .map(|_| ()),
                    }));
                    local.latencies.push(begun.elapsed().as_micros() as u64);
                    let key = match outcome {
                        Ok(Ok(())) => "success".to_owned(),
                        Ok(Err(error)) => format!("error: {}", error.kind().name()),
                        Err(_) => {
                            local.panics += 1;
                            "panic".to_owned()
                        }
                    };
                    *local.outcomes.entry(key).or_default() += 1;
                    if op == 2 {
                        *local.outcomes.entry("create calls".into()).or_default() += 1;
                    }
                }
                let mut tally = tally.lock().unwrap();
                for (key, count) in local.outcomes {
                    *tally.outcomes.entry(key).or_default() += count;
                }
                tally.created_ok.extend(local.created_ok);
                tally.latencies.extend(local.latencies);
                tally.panics += local.panics;
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("workers do not panic outside catch_unwind");
    }
    done.store(true, Ordering::Relaxed);
    let restarts = chaos.join().expect("the restarts do not panic");
    let elapsed = started.elapsed();
    let mut tally = Arc::try_unwrap(tally).ok().unwrap().into_inner().unwrap();

    let stored = mock.credentials();
    let mut per_host: HashMap<String, usize> = HashMap::new();
    for credential in &stored {
        *per_host.entry(credential["host"].as_str().unwrap_or_default().to_owned()).or_default() += 1;
    }
    let duplicated = per_host.values().filter(|&&n| n > 1).count();
    let lost = tally.created_ok.iter().filter(|host| !per_host.contains_key(*host)).count();
    let counts = mock.counts();
    let requests: u64 = counts.values().sum();
    let get_token = counts.get("POST /api/open/v3/getToken").copied().unwrap_or(0);
    tally.latencies.sort_unstable();
    let p99 = tally.latencies[(tally.latencies.len() * 99 / 100).min(tally.latencies.len() - 1)];

    println!("| fault soak: {calls} calls from {threads} threads, {:.1} s | |", elapsed.as_secs_f64());
    println!("|---|---:|");
    for (key, count) in &tally.outcomes {
        println!("| {key} | {count} |");
    }
    println!("| requests the mock saw (calls + retries + token fetches) | {requests} |");
    println!(
        "| retries and repeats (requests - calls - getToken) | {} |",
        requests.saturating_sub(calls as u64 + get_token)
    );
    println!("| getToken calls | {get_token} |");
    println!("| creates that reported success | {} |", tally.created_ok.len());
    println!("| credentials the server holds | {} |", stored.len());
    println!(
        "| of them from creates whose answer was lost (reported as errors) | {} |",
        stored.len() - (tally.created_ok.len() - lost)
    );
    println!("| lost (reported success, not stored) | {lost} |");
    println!("| duplicated (one create stored twice) | {duplicated} |");
    println!("| panics | {} |", tally.panics);
    println!("| server restarts during the soak | {restarts} |");
    println!("| p99 latency | {:.1} ms |", p99 as f64 / 1000.0);
    if lost > 0 || duplicated > 0 || tally.panics > 0 {
        eprintln!("soak: invariant broken: lost {lost}, duplicated {duplicated}, panics {}", tally.panics);
        std::process::exit(1);
    }
    let failed = connection_phase(calls, threads);
    if failed > 0 {
        eprintln!("soak: {failed} calls failed on connections the server had closed between bursts");
        std::process::exit(1);
    }
    println!("\nsoak: {} passed, 0 failed", calls);
}

/// Until `done`: the server closes idle connections after 5 to 30 ms for a while, then keeps them, and restarts
/// (closing every connection, calls in flight included) every 100 to 300 ms. Returns how often it restarted.
fn restart_now_and_then(mock: &MockServer, done: &AtomicBool) -> u64 {
    let mut restarts = 0;
    while !done.load(Ordering::Relaxed) {
        let idle = (fastrand::u8(0..2) == 0).then(|| Duration::from_millis(fastrand::u64(5..30)));
        mock.set_idle_close(idle);
        std::thread::sleep(Duration::from_millis(fastrand::u64(100..300)));
        mock.restart().expect("the mock restarts on its port");
        restarts += 1;
    }
    restarts
}

/// Bursts of calls from every thread with retries off; between bursts (all threads wait at a barrier) the server's
/// idle close ends every kept connection, and every third pause it restarts. Returns how many calls failed.
fn connection_phase(calls: usize, threads: usize) -> u64 {
    const PER_BURST: usize = 5;
    const IDLE_CLOSE: Duration = Duration::from_millis(100);
    let mock = Arc::new(MockServer::start().expect("the mock starts"));
    // Long enough that no connection is closed within a burst (where a close crossing a request is the race no
    // client can win: docs/retries.md), short enough that the pause between bursts closes them all.
    mock.set_idle_close(Some(IDLE_CLOSE));
    let options = ClientOptions::default().with_base_url(mock.base_url()).with_retry(RetryPolicy::none());
    let credentials = AkoolCredentials::ClientCredentials {
        client_id: DEMO_CLIENT_ID.into(),
        client_secret: Secret::new(DEMO_CLIENT_SECRET),
    };
    let akool = AkoolClient::new(credentials, options.clone()).expect("a valid client");
    let platform = AceDataPlatform::new(DEMO_PLATFORM_TOKEN, options).expect("a valid client");
    let bursts = (calls / threads / PER_BURST / 4).max(3);
    let barrier = Arc::new(Barrier::new(threads + 1));
    let failed = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (akool, platform, barrier, failed) = (akool.clone(), platform.clone(), barrier.clone(), failed.clone());
            std::thread::spawn(move || {
                for _ in 0..bursts {
                    barrier.wait();
                    for call in 0..PER_BURST {
                        let outcome = match call % 3 {
                            0 => akool.request(Method::Get, QUOTA, None).map(|_| ()),
                            1 => akool.request(Method::Post, JOB, Some(&json!({"burst": true}))).map(|_| ()),
                            _ => platform.create_credential(&NewCredential::new(DEMO_APPLICATION_ID)).map(|_| ()),
                        };
                        if let Err(error) = outcome {
                            eprintln!("soak: connection phase: {error}");
                            failed.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    barrier.wait();
                }
            })
        })
        .collect();
    let mut restarts = 0;
    for burst in 0..bursts {
        barrier.wait(); // the burst starts
        barrier.wait(); // every thread is done with it
        std::thread::sleep(IDLE_CLOSE * 3 / 2); // past the idle close: every kept connection is closed
        if burst % 3 == 2 {
            mock.restart().expect("the mock restarts on its port");
            restarts += 1;
        }
    }
    for worker in workers {
        worker.join().expect("the connection phase's workers do not panic");
    }
    let failed = failed.load(Ordering::Relaxed) as u64;
    let calls = (bursts * threads * PER_BURST) as u64;
    println!(
        "| connection phase: {calls} calls in {bursts} bursts from {threads} threads, retries off, idle close {} ms, \
         {restarts} restarts, {:.1} s | {failed} failed |",
        IDLE_CLOSE.as_millis(),
        started.elapsed().as_secs_f64()
    );
    failed
}

/// One random fault, aimed at the endpoint the next call uses (other threads may meet it first: that is fine).
fn arm_random_fault(mock: &MockServer, op: u8) {
    let path = match op {
        0 => QUOTA,
        1 => JOB,
        _ => "/api/v1/credentials/",
    };
    let fault = match fastrand::u8(0..12) {
        0 => json!({"kind": "delay", "ms": fastrand::u64(1..400)}),
        1 => {
            let status = [500, 502, 503, 504][fastrand::usize(0..4)];
            json!({"kind": "status", "status": status})
        }
        2 => json!({"kind": "status", "status": 429, "retry_after": "0"}),
        3 => json!({"kind": "drop_before"}),
        4 => json!({"kind": "drop_after"}),
        5 => json!({"kind": "malformed"}),
        6 if fastrand::u8(0..10) == 0 => json!({"kind": "oversized"}),
        7 => {
            mock.expire_tokens();
            return;
        }
        8 => json!({"kind": "akool_code", "code": 1101}),
        9 => json!({"kind": "status", "status": 503, "retry_after": "0", "times": 3}),
        10 => [json!({"kind": "close_after"}), json!({"kind": "reset"})][fastrand::usize(0..2)].clone(),
        _ => json!({"kind": "delay", "ms": 5}),
    };
    let mut rule = fault;
    rule["path"] = json!(path);
    mock.push_fault(rule).expect("a valid fault");
}

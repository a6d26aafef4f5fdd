"""Python benchmark driver: prints one JSON line for bench/run.py.

  python_bench.py load CLIENT BASE THREADS SECONDS   CLIENT: tokensmith | requests | httpx
  python_bench.py auth-headers BASE ITERATIONS       ns per tokensmith auth_headers() with the token cached
  python_bench.py cold-start BASE                    import + client + first request including getToken
  python_bench.py rss BASE REQUESTS                  peak RSS after that many tokensmith requests

`tokensmith` is whichever backend is installed in the interpreter running this. The hand-written clients do what
the vendor's Python snippet does, with a session: send x-api-key, parse the JSON, check code == 1000.
"""

from __future__ import annotations

import json
import resource
import sys
import threading
import time

PATH = "/api/open/v3/faceswap/quota/info"
API_KEY = "mock-api-key-0123456789abcdefghi"
WARMUP = 0.3


def make_call(kind: str, base: str, shared: object):
    if kind == "tokensmith":
        client = shared
        return lambda: client.request("GET", PATH)
    if kind == "requests":
        import requests

        session = requests.Session()
        url = base + PATH

        def call():
            answer = session.get(url, headers={"x-api-key": API_KEY})
            body = answer.json()
            if body["code"] != 1000:
                raise RuntimeError(body)
            return body["data"]

        return call
    if kind == "httpx":
        import httpx

        http = httpx.Client()
        url = base + PATH

        def call():
            body = http.get(url, headers={"x-api-key": API_KEY}).json()
            if body["code"] != 1000:
                raise RuntimeError(body)
            return body["data"]

        return call
    raise SystemExit(f"unknown client {kind}")


def load(kind: str, base: str, threads: int, seconds: float) -> None:
    shared = None
    if kind == "tokensmith":
        import tokensmith

        shared = tokensmith.AkoolClient.from_api_key(API_KEY, base_url=base)
    barrier = threading.Barrier(threads)
    results: list = []

    def worker() -> None:
        call = make_call(kind, base, shared)
        barrier.wait()
        warm_until = time.perf_counter() + WARMUP
        while time.perf_counter() < warm_until:
            call()
        latencies = []
        end = time.perf_counter() + seconds
        while True:
            started = time.perf_counter_ns()
            if started / 1e9 >= end:
                break
            call()
            latencies.append(time.perf_counter_ns() - started)
        results.append(latencies)

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    latencies = sorted(x for part in results for x in part)
    pct = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))] / 1000
    print(json.dumps({"requests": len(latencies), "rps": len(latencies) / seconds, "p50_us": pct(0.5), "p99_us": pct(0.99)}))


def auth_headers(base: str, iterations: int) -> None:
    import tokensmith

    client = tokensmith.AkoolClient.from_client_credentials("mock-client-id", API_KEY, base_url=base)
    client.token()
    started = time.perf_counter_ns()
    for _ in range(iterations):
        client.auth_headers()
    print(json.dumps({"ns_per_call": (time.perf_counter_ns() - started) / iterations}))


def cold_start(base: str) -> None:
    started = time.perf_counter()
    import tokensmith

    client = tokensmith.AkoolClient.from_client_credentials("mock-client-id", API_KEY, base_url=base)
    client.request("GET", PATH)
    print(json.dumps({"ms": (time.perf_counter() - started) * 1000}))


def rss(base: str, requests: int) -> None:
    import tokensmith

    client = tokensmith.AkoolClient.from_client_credentials("mock-client-id", API_KEY, base_url=base)
    for _ in range(requests):
        client.request("GET", PATH)
    print(json.dumps({"peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    if mode == "load":
        load(args[0], args[1], int(args[2]), float(args[3]))
    elif mode == "auth-headers":
        auth_headers(args[0], int(args[1]))
    elif mode == "cold-start":
        cold_start(args[0])
    elif mode == "rss":
        rss(args[0], int(args[1]))
    else:
        raise SystemExit(f"unknown mode {mode}")

"""Python benchmark driver: prints one JSON line for bench/run.py.

  python_bench.py load CLIENT BASE THREADS SECONDS       CLIENT: tokensmith | requests | httpx, on threads
  python_bench.py async-load CLIENT BASE TASKS SECONDS   CLIENT: tokensmith | httpx | aiohttp, asyncio tasks
  python_bench.py auth-headers BASE ITERATIONS           ns per tokensmith auth_headers() with the token cached
  python_bench.py cold-start BASE                        import + client + first request including getToken
  python_bench.py rss BASE REQUESTS                      peak RSS after that many tokensmith requests
  python_bench.py construct BASE N                       N tokensmith clients with distinct keys, all kept
  python_bench.py tenants BASE N                         N tenants in turn, a new client each for one call

`tokensmith` is whichever backend is installed in the interpreter running this. The hand-written clients do what
the vendor's Python snippet does, with a session: send x-api-key, parse the JSON, check code == 1000.

The load lines carry `cs` and `cs_involuntary`: the context switches of the whole process (every thread, the
core's included: getrusage's RUSAGE_SELF) from the end of the warm-up to the end of the run, and `cpu_us`: the
process's CPU time (user plus system, µs) over the same section.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
import sys
import threading
import time

PATH = "/api/open/v3/faceswap/quota/info"
API_KEY = "mock-api-key-0123456789abcdefghi"
WARMUP = 0.3


def switches() -> tuple:
    """(voluntary, involuntary) context switches and the CPU time (user plus system, µs) so far, summed over every
    thread of this process."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_nvcsw, usage.ru_nivcsw, (usage.ru_utime + usage.ru_stime) * 1e6


def since(before: tuple) -> dict:
    """The JSON keys for the context switches and the CPU time since ``before``."""
    voluntary, involuntary, cpu_us = (now - then for now, then in zip(switches(), before))
    return {"cs": voluntary + involuntary, "cs_involuntary": involuntary, "cpu_us": round(cpu_us)}


def make_call(kind: str, base: str, shared: object):
    if kind == "tokensmith":
        client = shared
        return lambda: client.request("GET", PATH)
    if kind == "requests":
        import requests

        session = requests.Session()
        url = base + PATH

        def call():
            return _data(session.get(url, headers={"x-api-key": API_KEY}).json())

        return call
    if kind == "httpx":
        import httpx

        http = httpx.Client()
        url = base + PATH

        def call():
            return _data(http.get(url, headers={"x-api-key": API_KEY}).json())

        return call
    raise SystemExit(f"unknown client {kind}")


def load(kind: str, base: str, threads: int, seconds: float) -> None:
    """``threads`` threads, each making one blocking request after another for ``seconds`` after a warm-up.

    tokensmith shares one client between threads (it is thread-safe); the hand-written clients get one session per
    thread (`requests.Session` is not thread-safe), as their users would write it.
    """
    shared = None
    if kind == "tokensmith":
        import tokensmith

        shared = tokensmith.AkoolClient.from_api_key(API_KEY, base_url=base)
    barrier = threading.Barrier(threads + 1)  # and this thread, which counts the switches after the warm-up
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
    barrier.wait()
    time.sleep(WARMUP)
    before = switches()
    for w in workers:
        w.join()
    report(results, seconds, since(before))


def report(results: list, seconds: float, extra: dict) -> None:
    """Prints the JSON line of a load run: throughput, p50 and p99 over every worker's latencies (ns) + extra."""
    latencies = sorted(x for part in results for x in part)
    pct = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))] / 1000
    print(json.dumps({"requests": len(latencies), "rps": len(latencies) / seconds, "p50_us": pct(0.5),
                      "p99_us": pct(0.99), **extra}))


def _data(body: dict) -> object:
    """What the vendor's snippet does with an answer: check code == 1000, keep ``data``."""
    if body["code"] != 1000:
        raise RuntimeError(body)
    return body["data"]


@contextlib.asynccontextmanager
async def async_call(kind: str, base: str):
    """Yields a coroutine function making one request, on one client that all tasks share (each library's advice).

    The hand-written clients keep their library's defaults, as their users would: aiohttp pools up to 100
    connections; httpx up to 100 with 20 kept idle, which here beats a pool sized for 64 tasks (with more
    connections, httpcore's pool does more work per request: encode/httpx#3215).
    """
    url = base + PATH
    if kind == "tokensmith":
        import tokensmith

        client = tokensmith.AsyncAkoolClient.from_api_key(API_KEY, base_url=base)
        yield lambda: client.request("GET", PATH)
    elif kind == "httpx":
        import httpx

        async with httpx.AsyncClient() as http:

            async def call():
                return _data((await http.get(url, headers={"x-api-key": API_KEY})).json())

            yield call
    elif kind == "aiohttp":
        import aiohttp

        async with aiohttp.ClientSession() as session:

            async def call():
                async with session.get(url, headers={"x-api-key": API_KEY}) as answer:
                    return _data(await answer.json())

            yield call
    else:
        raise SystemExit(f"unknown async client {kind}")


async def timed_task(call, warm_until: float, end: float) -> list:
    """One task: calls until ``warm_until`` unmeasured, then records each call's latency (ns) until ``end``."""
    while time.perf_counter() < warm_until:
        await call()
    latencies = []
    while True:
        started = time.perf_counter_ns()
        if started / 1e9 >= end:
            return latencies
        await call()
        latencies.append(time.perf_counter_ns() - started)


def async_load(kind: str, base: str, tasks: int, seconds: float) -> None:
    """``tasks`` concurrent asyncio tasks on one event loop (the default loop), each awaiting one request after
    another for ``seconds`` after a warm-up, all through one client object.

    Fair because every client does the same work per call on the same default event loop (send x-api-key, parse
    the JSON, check the code), may open a connection per task, and a call's latency includes its wait for the
    loop, which is what an asyncio application sees. The tokensmith row is whichever backend is installed.
    """

    async def main() -> tuple:
        async with async_call(kind, base) as call:
            warm_until = time.perf_counter() + WARMUP
            end = warm_until + seconds
            everyone = asyncio.gather(*(timed_task(call, warm_until, end) for _ in range(tasks)))
            await asyncio.sleep(warm_until - time.perf_counter())
            before = switches()
            results = await everyone
            return results, since(before)

    results, counted = asyncio.run(main())
    report(results, seconds, counted)


def telemetry_sdk() -> None:
    """BENCH_TELEMETRY=on: OpenTelemetry's SDK configured, its spans dropped by the exporter (what telemetry costs
    the call, not an exporter); unset, the API is installed and no SDK is, telemetry's usual "off"."""
    if os.environ.get("BENCH_TELEMETRY") != "on":
        return
    from opentelemetry import metrics, trace
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult

    class Dropping(SpanExporter):
        def export(self, spans):  # type: ignore[no-untyped-def]
            return SpanExportResult.SUCCESS

    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(Dropping()))
    trace.set_tracer_provider(provider)
    metrics.set_meter_provider(MeterProvider())


def auth_headers(base: str, iterations: int) -> None:
    telemetry_sdk()
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


def tenant_key(i: int) -> str:
    """Tenant ``i``'s API key, as bench/run.py registers it with the mock."""
    return f"tenant{i}-key-0123456789abcdef"


def rss_kib() -> float:
    """This process's resident set (VmRSS), in KiB."""
    with open("/proc/self/status") as status:
        return float(next(line for line in status if line.startswith("VmRSS:")).split()[1])


def median_us(nanos: list) -> float:
    return sorted(nanos)[len(nanos) // 2] / 1000


def construct(base: str, n: int) -> None:
    """N clients with distinct API keys, all kept: the median construction and the RSS growth per client."""
    import tokensmith

    tokensmith.AkoolClient.from_api_key("warm-up-key-0123456789abcdef", base_url=base)
    rss_before = rss_kib()
    kept, nanos = [], []
    for i in range(n):
        key = tenant_key(i)
        started = time.perf_counter_ns()
        kept.append(tokensmith.AkoolClient.from_api_key(key, base_url=base))
        nanos.append(time.perf_counter_ns() - started)
    per_client = (rss_kib() - rss_before) / n
    print(json.dumps({"clients": len(kept), "median_us": median_us(nanos), "rss_kib_per_client": per_client}))


def tenants(base: str, n: int) -> None:
    """N tenants in turn: a new client with the tenant's key for one call, then dropped."""
    import tokensmith

    build, call = [], []
    before = switches()
    started = time.perf_counter_ns()
    for i in range(n):
        t0 = time.perf_counter_ns()
        client = tokensmith.AkoolClient.from_api_key(tenant_key(i), base_url=base)
        t1 = time.perf_counter_ns()
        client.request("GET", PATH)
        call.append(time.perf_counter_ns() - t1)
        build.append(t1 - t0)
        del client
    per_tenant = (time.perf_counter_ns() - started) / 1000 / n
    print(json.dumps({"tenants": n, "us_per_tenant": per_tenant, "build_p50_us": median_us(build),
                      "call_p50_us": median_us(call), **since(before)}))


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    if mode == "load":
        load(args[0], args[1], int(args[2]), float(args[3]))
    elif mode == "async-load":
        async_load(args[0], args[1], int(args[2]), float(args[3]))
    elif mode == "auth-headers":
        auth_headers(args[0], int(args[1]))
    elif mode == "cold-start":
        cold_start(args[0])
    elif mode == "rss":
        rss(args[0], int(args[1]))
    elif mode == "construct":
        construct(args[0], int(args[1]))
    elif mode == "tenants":
        tenants(args[0], int(args[1]))
    else:
        raise SystemExit(f"unknown mode {mode}")

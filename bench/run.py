"""Runs every benchmark side by side against one release-built mock and writes bench/RESULTS.md.

Run it with `bench/run` (which builds and installs what it needs). Each cell is measured in its own process, one
after another, on the same machine in the same run, so ratios between rows are meaningful even where absolute
numbers move between machines.

  bench/run.py [--quick] [--only SECTION,...] [--output FILE]

--quick is a smoke run (short cells, fewer clients and tenants) written to target/bench/RESULTS-quick.md;
--only measures some sections (blocking, async, node, auth, cold, rss, construct, tenants, php) and prints their
tables without writing any file; --output writes the results elsewhere than bench/RESULTS.md.

Every load row also has cs/req and CPU µs/req: the context switches (voluntary + involuntary) and the CPU time
(user plus system) of the client's process over the timed section divided by its requests, which each driver
counts with getrusage(RUSAGE_SELF) (every thread of the process) or, for the PHP pages, from /proc for the PHP
server process. The mock always runs in its own process. CPU time barely moves with this VM's load, unlike
latency, so it is the column to compare across runs.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET = REPO / "target"
SECONDS = float(os.environ.get("BENCH_SECONDS", "2"))
PY_PYO3 = TARGET / "venv-pyo3" / "bin" / "python"
PY_UNIFFI = TARGET / "venv-uniffi" / "bin" / "python"
RUST = TARGET / "release" / "tokensmith-bench"
# The Swift driver, as scripts/swift-bench builds it in the Swift chroot (absent where that chroot cannot be made).
SWIFT_DRIVER = TARGET / "swift-chroot" / "work" / "bench" / "swift-driver" / ".build" / "release" / "AuthHeaders"
RUST_OTEL = TARGET / "release" / "otel-auth-headers"  # the core with its `opentelemetry` feature (bench/run builds it)
PY_BENCH = REPO / "bench" / "python_bench.py"
JVM_DIR = REPO / "bench" / "jvm"
NODE_BENCH = REPO / "bench" / "node_bench.js"
PHP_BENCH = REPO / "bench" / "php_bench.py"
THREADS = (1, 8)  # blocking calls: threads
IN_FLIGHT = (1, 64)  # async calls: concurrent tasks, futures or coroutines
PHP_CLIENTS = (1, 8)  # page views: client threads against one PHP server process
CLIENTS = 2000  # client construction: clients built with distinct keys, all kept
TENANTS = 1000  # many tenants: one call each, a client built per tenant
AUTH_ITERATIONS = {"rust": 1_000_000, "pyo3": 200_000, "uniffi": 20_000, "jvm": 100_000, "node": 50_000}
COLD_RUNS = 3
RSS_REQUESTS = 10_000
SECTIONS = ("blocking", "async", "node", "auth", "telemetry", "cold", "rss", "construct", "tenants", "php")
# Telemetry's cost per call (docs/observability.md), on `auth_headers()` with the token cached (no I/O, so no noise of
# the network), in each language: turned off by the environment, the default (the API installed, no SDK; Rust: the
# `opentelemetry` feature's bridge with the API's no-op provider; PHP and Swift: no hook, no API of ours to find), and
# on (the SDK registered with its spans dropped; PHP and Swift: a hook that returns a traceparent and drops the
# report).
# Median of 3 runs.
TELEMETRY = {
    "off (`TOKENSMITH_TELEMETRY=off`)": {"TOKENSMITH_TELEMETRY": "off"},
    "default (API, no SDK)": {},
    "on (SDK, spans dropped)": {"BENCH_TELEMETRY": "on"},
}
TELEMETRY_ITERATIONS = {"rust": 300_000, "pyo3": 100_000, "node": 50_000, "jvm": 100_000, "php": 100_000, "swift": 100_000}
# The Kotlin jar's blocking p50 against OkHttp, and its two factors, in the last run before the core became async
# (bench/RESULTS.md of 2026-11-27): jar / OkHttp = jar / Rust core x Rust core / OkHttp.
# The async rows that the targets and notes quote.
CORE_ASYNC = "Rust async core (`AkoolClient::request`, tokio tasks)"
PYO3_ASYNC = "Python asyncio, PyO3 backend (`AsyncAkoolClient`)"
UNIFFI_ASYNC = "Python asyncio, UniFFI backend (`AsyncAkoolClient`)"
AIOHTTP = "Python `aiohttp.ClientSession` by hand"
KOTLIN_ASYNC = "Kotlin coroutines, tokensmith jar (`AsyncAkoolClient`)"
OKHTTP_ASYNC = "Java, OkHttp `enqueue` by hand"
OKHTTP_COROUTINES = "Kotlin coroutines awaiting OkHttp `enqueue` by hand"
FLOOR_ASYNC = "Floor: minimal Rust hyper client, tokio tasks"
# The cost of a hop: reqwest by hand with the floor's request, on the bench's runtime or spawned onto another one.
REQWEST_DIRECT = "Rust reqwest by hand, on the caller's runtime (no hop)"
# hyper-util's pooled client by hand (what reqwest is built on): what a transport without reqwest would start from.
HYPER_UTIL = "Rust hyper-util pooled client by hand"
HYPER_UTIL_ASYNC = "Rust hyper-util pooled client by hand, tokio tasks"
REQWEST_HOP = "Rust reqwest spawned onto a second runtime, joined (one hop)"
# The Node rows (bench/node_bench.js) and the PHP page rows (bench/php_bench.py, pages in bench/php/).
NODE_TOKENSMITH = "Node, tokensmith addon (`AkoolClient.request`)"
NODE_FETCH = "Node global `fetch` by hand"
NODE_UNDICI = "Node `undici.request` by hand (keep-alive `Agent`)"
PHP_TOKENSMITH = "tokensmith extension (`AkoolClient::fromClientCredentials` each view)"
PHP_GUZZLE = "Guzzle, the vendor's snippet (getToken each view)"
PHP_GUZZLE_APCU = "Guzzle, token kept in APCu"


def jvm_command(*flags: str) -> list:
    classpath = (JVM_DIR / "target" / "classpath.txt").read_text().strip()
    return ["java", *flags, "-cp", f"{JVM_DIR / 'target' / 'classes'}:{classpath}", "dev.tokensmith.bench.JvmBench"]


def measure(command: list, env: dict = None) -> dict:
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True,
                          env=None if env is None else {**os.environ, **env})
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr, end="")
        raise subprocess.CalledProcessError(done.returncode, done.args)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_rows(rows: list, counts: tuple, unit: str) -> dict:
    """Each row at each count (of threads, or of calls in flight), one process per cell: {(name, count): result}.
    Each result gets `cs_per_request` and `cpu_per_request`: the client process's context switches and CPU time (µs)
    in the timed section per request."""
    results = {}
    for name, command in rows:
        for count in counts:
            result = measure(command(count))
            result["cs_per_request"] = result["cs"] / max(1, result["requests"])
            result["cpu_per_request"] = result["cpu_us"] / max(1, result["requests"])
            results[(name, count)] = result
            print(f"{name:56} {count:2} {unit}: {result}", file=sys.stderr)
    return results


def telemetry_rows(base: str) -> list:
    """(language, command) for the telemetry section: each `auth-headers` harness."""
    n = TELEMETRY_ITERATIONS
    return [
        ("Rust core, `opentelemetry` feature", [RUST_OTEL, base, n["rust"]]),
        ("Python, PyO3", [PY_PYO3, PY_BENCH, "auth-headers", base, n["pyo3"]]),
        ("Node", ["node", NODE_BENCH, "auth-headers", base, n["node"]]),
        ("Kotlin/JVM", jvm_command() + ["auth-headers", base, n["jvm"]]),
        ("PHP (a hook)", [sys.executable, PHP_BENCH, "auth-headers", base, n["php"]]),
    ] + swift_rows(base)


def swift_rows(base: str) -> list:
    """The Swift row of the telemetry section, where its driver could be built."""
    if not SWIFT_DRIVER.exists():
        return []
    return [("Swift (a hook)", [REPO / "scripts" / "swift-bench", "run", base, TELEMETRY_ITERATIONS["swift"]])]


def measure_telemetry(base: str) -> dict:
    """ns per call, by (language, setting): the median of 3 runs, the settings alternating."""
    runs = {}
    for _ in range(3):
        for language, command in telemetry_rows(base):
            for setting, env in TELEMETRY.items():
                runs.setdefault((language, setting), []).append(measure(command, env)["ns_per_call"])
    return {cell: statistics.median(values) for cell, values in runs.items()}


def telemetry_table(results: dict) -> list:
    settings = list(TELEMETRY)
    lines = ["| `auth_headers()`, ns per call | " + " | ".join(settings) + " | on − off | default − off |",
             "|---|" + "---:|" * (len(settings) + 2)]
    for language in dict.fromkeys(language for language, _ in results):
        cells = [results[(language, s)] for s in settings]
        lines.append(f"| {language} | " + " | ".join(f"{c:,.0f}" for c in cells)
                     + f" | {cells[2] - cells[0]:+,.0f} | {cells[1] - cells[0]:+,.0f} |")
    return lines


def mock_admin(base: str, method: str, path: str, body: dict = None) -> dict:
    """A call to the mock's admin API, on a new connection (which the mock counts among its connections)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers={"content-type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        text = answer.read()
    return json.loads(text) if text else {}


def tenant_key(i: int) -> str:
    """Tenant i's API key, as every driver's `tenants` mode spells it (the number first: the mock compares keys)."""
    return f"tenant{i}-key-0123456789abcdef"


def client_rows(base: str, mode: str, n: int) -> list:
    """The rows of the many-clients tables: (name, command) running MODE (construct or tenants) with N clients in
    each language. Each builds its blocking client with an API key, as a page or a request handler would."""
    return [
        ("Rust core (`AkoolClient::new`)", [RUST, mode, base, n]),
        ("Python, PyO3 backend (`AkoolClient.from_api_key`)", [PY_PYO3, PY_BENCH, mode, base, n]),
        ("Python, UniFFI backend (same)", [PY_UNIFFI, PY_BENCH, mode, base, n]),
        ("Node, tokensmith addon (`AkoolClient.fromApiKey`)", ["node", "--expose-gc", NODE_BENCH, mode, base, n]),
        ("PHP extension, CLI (`AkoolClient::fromApiKey`, persistent)", [PY_PYO3, PHP_BENCH, mode, base, n]),
        # A fixed heap touched up front: the JVM's memory then moves with what the clients hold (see JvmBench).
        ("Kotlin/JVM, tokensmith jar (`AkoolClient.fromApiKey`)",
         jvm_command("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch") + [mode, base, n]),
    ]


def measure_tenants(base: str, n: int) -> dict:
    """Each language's `tenants` run against the mock with N tenants registered, and how many TCP connections the
    mock accepted during it (`connections` in its state, where the mock counts them; None from a mock without it).
    Each state read is a new connection of its own, which the count excludes."""
    for i in range(n):
        mock_admin(base, "POST", "/__mock/tenants", {"client_id": f"tenant{i}", "client_secret": tenant_key(i)})
    results = {}
    for name, command in client_rows(base, "tenants", n):
        before = mock_admin(base, "GET", "/__mock/state").get("connections")
        result = measure(command)
        after = mock_admin(base, "GET", "/__mock/state").get("connections")
        result["connections"] = None if before is None else after - before - 1
        results[name] = result
        print(f"{name:56} {n} tenants: {result}", file=sys.stderr)
    return results


def blocking_rows(base: str) -> list:
    """The blocking rows: (name, command for N threads), each client called as its users call it from threads."""
    return [
        ("Rust core (`AkoolClient::request`)", lambda t: [RUST, "core", base, t, SECONDS]),
        ("Python, PyO3 backend", lambda t: [PY_PYO3, PY_BENCH, "load", "tokensmith", base, t, SECONDS]),
        ("Python, UniFFI backend", lambda t: [PY_UNIFFI, PY_BENCH, "load", "tokensmith", base, t, SECONDS]),
        ("Python `requests.Session` by hand", lambda t: [PY_PYO3, PY_BENCH, "load", "requests", base, t, SECONDS]),
        ("Python `httpx.Client` by hand", lambda t: [PY_PYO3, PY_BENCH, "load", "httpx", base, t, SECONDS]),
        ("Kotlin/JVM, tokensmith jar", lambda t: jvm_command() + ["load", "tokensmith", base, t, SECONDS]),
        ("Java, OkHttp by hand", lambda t: jvm_command() + ["load", "okhttp", base, t, SECONDS]),
        (HYPER_UTIL, lambda t: [RUST, "hyper-util", base, t, SECONDS]),
        ("Floor: minimal Rust hyper client", lambda t: [RUST, "floor", base, t, SECONDS]),
    ]


def async_rows(base: str) -> list:
    """The concurrent (async) rows: (name, command for N calls in flight), each client's own way to await."""
    return [
        (CORE_ASYNC, lambda n: [RUST, "core-async", base, n, SECONDS]),
        (PYO3_ASYNC, lambda n: [PY_PYO3, PY_BENCH, "async-load", "tokensmith", base, n, SECONDS]),
        (UNIFFI_ASYNC, lambda n: [PY_UNIFFI, PY_BENCH, "async-load", "tokensmith", base, n, SECONDS]),
        ("Python `httpx.AsyncClient` by hand", lambda n: [PY_PYO3, PY_BENCH, "async-load", "httpx", base, n, SECONDS]),
        (AIOHTTP, lambda n: [PY_PYO3, PY_BENCH, "async-load", "aiohttp", base, n, SECONDS]),
        (KOTLIN_ASYNC, lambda n: jvm_command() + ["async-load", "tokensmith", base, n, SECONDS]),
        (OKHTTP_ASYNC, lambda n: jvm_command() + ["async-load", "okhttp", base, n, SECONDS]),
        (OKHTTP_COROUTINES, lambda n: jvm_command() + ["async-load", "okhttp-coroutines", base, n, SECONDS]),
        (REQWEST_HOP, lambda n: [RUST, "reqwest-hop", base, n, SECONDS]),
        (REQWEST_DIRECT, lambda n: [RUST, "reqwest", base, n, SECONDS]),
        (HYPER_UTIL_ASYNC, lambda n: [RUST, "hyper-util-async", base, n, SECONDS]),
        (FLOOR_ASYNC, lambda n: [RUST, "floor-async", base, n, SECONDS]),
    ]


def node_rows(base: str) -> list:
    """The Node rows: (name, command for N calls in flight), async loops on the one event loop, one client."""
    node = lambda kind: lambda n: ["node", NODE_BENCH, "load", kind, base, n, SECONDS]
    return [(NODE_TOKENSMITH, node("tokensmith")), (NODE_FETCH, node("fetch")), (NODE_UNDICI, node("undici"))]


def php_rows(base: str, apcu: bool) -> list:
    """The PHP page rows: (name, command for N client threads against one `php -S` process serving the page)."""
    page = lambda name: lambda n: [PY_PYO3, PHP_BENCH, "load", name, base, n, SECONDS]
    rows = [(PHP_TOKENSMITH, page("tokensmith")), (PHP_GUZZLE, page("guzzle"))]
    return rows + [(PHP_GUZZLE_APCU, page("guzzle_apcu"))] * apcu


def node_versions() -> dict:
    """What the Node rows ran on, for the text around their table."""
    node, bundled_undici = run("node", "-p", "process.versions.node + ' ' + process.versions.undici").split()
    undici = json.loads((REPO / "bench" / "node_modules" / "undici" / "package.json").read_text())["version"]
    return {"node": node, "fetch_undici": bundled_undici, "undici": undici}


def php_versions() -> dict:
    """What the PHP rows ran on, and what the PHP server had loaded (curl, APCu)."""
    return {"php": run("php", "-r", "echo PHP_VERSION;"), **json.loads(run(str(PY_PYO3), str(PHP_BENCH), "probe"))}


def run(*command) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Runs the benchmarks; see the module's docstring.")
    parser.add_argument("--quick", action="store_true", help="a smoke run: short cells, fewer clients and tenants")
    parser.add_argument("--only", help=f"comma-separated sections of {', '.join(SECTIONS)}: print their tables only")
    parser.add_argument("--output", type=Path, help="the results file (default bench/RESULTS.md)")
    args = parser.parse_args()
    args.sections = SECTIONS if args.only is None else tuple(args.only.split(","))
    unknown = set(args.sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}; the sections are {', '.join(SECTIONS)}")
    return args


def main() -> None:
    global SECONDS, CLIENTS, TENANTS, COLD_RUNS, RSS_REQUESTS
    args = arguments()
    if args.quick:
        SECONDS = float(os.environ.get("BENCH_SECONDS", "0.3"))
        CLIENTS, TENANTS, COLD_RUNS, RSS_REQUESTS = 200, 100, 1, 1000
        for runtime in AUTH_ITERATIONS:
            AUTH_ITERATIONS[runtime] //= 10
    sections = args.sections
    mock = subprocess.Popen([TARGET / "release" / "tokensmith-mock", "--addr", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    base = mock.stdout.readline().strip()
    measured = {}
    try:
        if "blocking" in sections:
            measured["blocking"] = measure_rows(blocking_rows(base), THREADS, "thread(s)")
        if "async" in sections:
            measured["async"] = measure_rows(async_rows(base), IN_FLIGHT, "in flight")
        env = {**(node_versions() if "node" in sections else {}), **(php_versions() if "php" in sections else {})}
        if "node" in sections:
            measured["node"] = measure_rows(node_rows(base), IN_FLIGHT, "in flight")
        if "auth" in sections:
            measured["auth"] = {
                "Rust core": measure([RUST, "auth-headers", base, AUTH_ITERATIONS["rust"]])["ns_per_call"],
                "Python, PyO3": measure([PY_PYO3, PY_BENCH, "auth-headers", base, AUTH_ITERATIONS["pyo3"]])["ns_per_call"],
                "Python, UniFFI": measure([PY_UNIFFI, PY_BENCH, "auth-headers", base, AUTH_ITERATIONS["uniffi"]])[
                    "ns_per_call"],
                # The JVM's two paths to the same call: UniFFI's JNA bindings, and the JNI fast path (the default).
                "Kotlin/JVM, UniFFI over JNA (`-Dtokensmith.jni=false`)": measure(
                    jvm_command("-Dtokensmith.jni=false") + ["auth-headers", base, AUTH_ITERATIONS["jvm"]])["ns_per_call"],
                "Kotlin/JVM, JNI fast path": measure(jvm_command() + ["auth-headers", base, AUTH_ITERATIONS["jvm"]])[
                    "ns_per_call"],
                # An async call that needs no I/O: its Promise settled where it is made, with no thread hop
                # (bindings/node/src/settle.rs; through the completion queue it cost 13-15 µs, bench/RESULTS.md).
                "Node, `await authHeaders()` (a Promise settled on the loop)": measure(
                    ["node", NODE_BENCH, "auth-headers", base, AUTH_ITERATIONS["node"]])["ns_per_call"],
            }
        if "telemetry" in sections:
            measured["telemetry"] = measure_telemetry(base)
        if "cold" in sections:
            measured["cold"] = {
                "Python, PyO3 (import + first request with getToken)": statistics.median(
                    measure([PY_PYO3, PY_BENCH, "cold-start", base])["ms"] for _ in range(COLD_RUNS)),
                "Python, UniFFI (same)": statistics.median(
                    measure([PY_UNIFFI, PY_BENCH, "cold-start", base])["ms"] for _ in range(COLD_RUNS)),
                "Kotlin/JVM (class load + first request with getToken)": statistics.median(
                    measure(jvm_command() + ["cold-start", base])["ms"] for _ in range(COLD_RUNS)),
            }
        if "rss" in sections:
            measured["rss"] = {
                "Python, PyO3": measure([PY_PYO3, PY_BENCH, "rss", base, RSS_REQUESTS])["peak_rss_mib"],
                "Python, UniFFI": measure([PY_UNIFFI, PY_BENCH, "rss", base, RSS_REQUESTS])["peak_rss_mib"],
            }
        if "construct" in sections:
            measured["construct"] = {}
            for name, command in client_rows(base, "construct", CLIENTS):
                measured["construct"][name] = measure(command)
                print(f"{name:56} {CLIENTS} clients: {measured['construct'][name]}", file=sys.stderr)
        if "tenants" in sections:
            measured["tenants"] = measure_tenants(base, TENANTS)
        # Last: each PHP cell resets the mock (which forgets the tenants) to count getToken calls.
        if "php" in sections:
            measured["php"] = measure_rows(php_rows(base, env["apcu"]), PHP_CLIENTS, "client(s)")
    finally:
        mock.kill()
    names = {
        "blocking": [name for name, _ in blocking_rows(base)],
        "async": [name for name, _ in async_rows(base)],
        "node": [name for name, _ in node_rows(base)],
        "php": [name for name, _ in php_rows(base, env.get("apcu", False))],
    }
    if args.only is not None:
        print("\n".join(tables(measured, names, sections)))
        return
    sizes = {
        "wheel (PyO3, abi3)": sum(p.stat().st_size for p in (TARGET / "wheels-pyo3").glob("*.whl")),
        "wheel (UniFFI)": sum(p.stat().st_size for p in (TARGET / "wheels-uniffi").glob("*.whl")),
        "jar (Kotlin + linux-x86-64 library)": next((REPO / "kotlin" / "target").glob("tokensmith-*[0-9].jar")).stat().st_size,
    }
    output = args.output or (TARGET / "bench" / "RESULTS-quick.md" if args.quick else REPO / "bench" / "RESULTS.md")
    write(output, measured["blocking"], measured["auth"], measured["cold"], measured["rss"], sizes, names["blocking"],
          measured["async"], names["async"], measured["node"], names["node"], measured["php"], names["php"], env,
          measured["construct"], measured["tenants"], measured["telemetry"])


def tables(measured: dict, names: dict, sections: tuple) -> list:
    """The tables of the sections measured, without the text around them (for --only)."""
    lines = []
    for section in sections:
        lines.append("")
        if section == "blocking":
            lines += load_table("client", lambda n: f"{n} thread{'s' * (n > 1)}", THREADS, measured[section],
                                names[section])
        elif section in ("async", "node"):
            lines += load_table("concurrent (async)" if section == "async" else "Node", lambda n: f"{n} in flight",
                                IN_FLIGHT, measured[section], names[section])
        elif section == "php":
            lines += php_table(PHP_CLIENTS, measured[section], names[section])
        elif section == "construct":
            lines += construct_table(measured[section])
        elif section == "tenants":
            lines += tenants_table(measured[section])
        elif section == "telemetry":
            lines += telemetry_table(measured[section])
        else:
            lines += [f"| {section} | |", "|---|---:|"]
            lines += [f"| {name} | {value:,.1f} |" for name, value in measured[section].items()]
    return lines


def load_table(title: str, label, counts: tuple, results: dict, names: list) -> list:
    """The lines of a load table: a row per client with req/s, p50, p99 and context switches per request at each
    count."""
    lines = [f"| {title} | "
             + " | ".join(f"req/s, {label(n)} | p50 µs | p99 µs | cs/req | CPU µs/req" for n in counts) + " |",
             "|---|" + "---:|" * (5 * len(counts))]
    for name in names:
        cells = (results[(name, n)] for n in counts)
        lines.append(f"| {name} | " + " | ".join(
            f"{c['rps']:,.0f} | {c['p50_us']:.0f} | {c['p99_us']:.0f} | {c['cs_per_request']:.1f} "
            f"| {c['cpu_per_request']:.1f}" for c in cells) + " |")
    return lines


def php_table(counts: tuple, results: dict, names: list) -> list:
    """The lines of the PHP page-view table: req/s, p50 and the server's context switches per view at each count of
    clients, and getToken per 1000 views over every cell of the row (each cell is a server process of its own, its
    warm-up included)."""
    lines = ["| page, one PHP server process | "
             + " | ".join(f"views/s, {n} client{'s' * (n > 1)} | p50 µs | cs/view | CPU µs/view" for n in counts)
             + " | getToken per 1000 views |",
             "|---|" + "---:|" * (4 * len(counts) + 1)]
    for name in names:
        cells = [results[(name, n)] for n in counts]
        per_1000 = per_1000_views(results, name, counts)
        lines.append(f"| {name} | "
                     + " | ".join(f"{c['rps']:,.0f} | {c['p50_us']:.0f} | {c['cs_per_request']:.1f} "
                                  f"| {c['cpu_per_request']:.0f}" for c in cells)
                     + (f" | {per_1000:,.0f} |" if per_1000 >= 10 else f" | {per_1000:.2f} |"))
    return lines


def construct_table(results: dict) -> list:
    """The lines of the client-construction table: median µs per client, RSS growth per kept client."""
    lines = [f"| {CLIENTS:,} clients, distinct API keys, all kept | µs per client (median) | KiB RSS per kept client |",
             "|---|---:|---:|"]
    for name, c in results.items():
        lines.append(f"| {name} | {c['median_us']:,.1f} | {c['rss_kib_per_client']:,.1f} |")
    return lines


def tenants_table(results: dict) -> list:
    """The lines of the many-tenants table: connections the mock accepted, time per tenant, context switches."""
    lines = [f"| {TENANTS:,} tenants x 1 call, a client each, one after another | connections opened "
             "| µs per tenant (mean) | build p50 µs | call p50 µs | cs/tenant |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, c in results.items():
        connections = "n/a" if c["connections"] is None else f"{c['connections']:,}"
        lines.append(f"| {name} | {connections} | {c['us_per_tenant']:,.0f} | {c['build_p50_us']:,.1f} "
                     f"| {c['call_p50_us']:,.0f} | {c['cs'] / c['tenants']:.1f} |")
    return lines


def per_1000_views(results: dict, name: str, counts: tuple) -> float:
    """getToken calls per 1000 page views of a PHP row, over all its cells."""
    cells = [results[(name, n)] for n in counts]
    return sum(c["get_token"] for c in cells) * 1000 / sum(c["page_views"] for c in cells)


def targets(results, async_results, node_results) -> list:
    """Issue 20's targets, as lines: this run's ratio of each, the target, and whether it is met."""
    from targets import TARGETS, ratio

    cells = {**{(name, f"t{n}"): v for (name, n), v in results.items()},
             **{(name, f"f{n}"): v for (name, n), v in async_results.items()},
             **{(name, f"f{n}"): v for (name, n), v in node_results.items()}}
    return [f"- {t.label}: {ratio(t, cells):.2f} (target {t.goal}){'' if t.met(ratio(t, cells)) else ': missed'}"
            for t in TARGETS]


def write(output, results, auth, cold, rss, sizes, names, async_results, async_names, node_results, node_names,
          php_results, php_names, env, construct, tenants, telemetry) -> None:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    lines = [
        "# Benchmark results",
        "",
        f"{datetime.date.today().isoformat()} · {os.cpu_count()} cores ({cpu}) · {platform.platform()} · "
        f"Python {platform.python_version()} · {SECONDS:g} s per cell after a warm-up · `bench/run`",
        "",
        "An authenticated Akool `GET /api/open/v3/faceswap/quota/info` (x-api-key) against the loopback mock, whose",
        "answer is a small `data` object. Clients and the mock share the machine's cores. The mock is a process of its",
        "own (`tokensmith-mock`) in every row. cs/req: the context switches (voluntary + involuntary) of the client's",
        "process, all its threads (getrusage `RUSAGE_SELF`), from the end of the warm-up to the end of the cell,",
        "per request; CPU µs/req: that process's CPU time (user plus system) over the same section, per request. CPU",
        "time barely moves with the machine's load, unlike latency: it is the column to compare across runs.",
        "",
    ]
    lines += load_table("client", lambda n: f"{n} thread{'s' * (n > 1)}", THREADS, results, names)
    lines += [
        "",
        "The same request from 1 and 64 calls in flight, one client shared by all: tasks of one asyncio event",
        "loop, tasks of a tokio runtime (a worker per core), coroutines on `Dispatchers.Default`, chains of OkHttp",
        "callbacks.",
        "",
    ]
    lines += load_table("concurrent (async)", lambda n: f"{n} in flight", IN_FLIGHT, async_results, async_names)
    lines += [
        "",
        "The two reqwest rows price one hop between runtimes: one `reqwest::Client` doing the floor's request and check,",
        "awaited directly by the bench's tasks, or spawned onto a second multi-thread runtime (as many workers as the",
        "core's) and awaited through its `JoinHandle`, which is what the async core did with every call until it ran",
        "calls awaited on a multi-thread runtime there (docs/architecture.md).",
    ]
    lines += [
        "",
        f"Node {env['node']}: the same request from 1 and 64 async loops on the one event loop, each awaiting one call",
        "after another through one client. By hand, the vendor's JavaScript snippet made efficient: the global `fetch`",
        f"(Node's bundled undici {env['fetch_undici']}, whose one global dispatcher keeps connections alive) and npm's",
        f"undici {env['undici']} (`undici.request` through one keep-alive `Agent`), each with the `x-api-key` header,",
        "parsing the JSON and checking `code`.",
        "",
    ]
    lines += load_table("Node", lambda n: f"{n} in flight", IN_FLIGHT, node_results, node_names)
    lines += [
        "",
        f"A page that calls Akool with method 2 (client id and secret), served by one PHP {env['php']} server process",
        "(`php -S`, `PHP_CLI_SERVER_WORKERS=1`, Debian's php.ini with OPcache on, as one PHP-FPM worker) and viewed",
        "from 1 and 8 client threads, each view on a new connection (`php -S` closes every one). The Guzzle pages use",
        f"Debian's Guzzle on its {'curl handler' if env['curl'] else 'stream handler (no curl extension)'}, one "
        "client per view (the snippet's GET reuses",
        "its getToken's connection). getToken per 1000 views counts the mock's getToken calls over each server",
        "process's life, warm-up included, over both cells of a row. cs/view counts the PHP server process's context",
        "switches (all its threads, read from /proc), not the load generator's, and CPU µs/view its CPU time.",
        "",
    ]
    lines += php_table(PHP_CLIENTS, php_results, php_names)
    lines += [
        "",
        "Many tenants (issue 19). Construction: each language builds clients with distinct API keys and keeps them all,",
        "timing each; the RSS growth (VmRSS, after a GC where there is one) is counted from after a first client, so",
        "one-time costs (the runtime, TLS roots) are out. The PHP extension's clients are persistent by default: each",
        "is also kept by the extension for the worker's later requests.",
        "",
    ]
    lines += construct_table(construct)
    lines += [
        "",
        f"{TENANTS:,} tenants, one after another, each with a client built with its own API key (method 1) for one",
        "call, then dropped: connections opened is what the mock accepted during the run (its `connections`), µs per",
        "tenant is the whole loop (the first client's one-time costs included) divided by the tenants, cs/tenant the",
        "process's context switches over the loop. The mock scans its tenants for each call's key.",
        "",
    ]
    lines += tenants_table(tenants)
    lines += ["", "| `auth_headers()`, token cached | ns per call |", "|---|---:|"]
    lines += [f"| {name} | {ns:,.0f} |" for name, ns in auth.items()]
    lines += ["", "Telemetry's cost per call (docs/observability.md): `auth_headers()` with the token cached, no I/O, in each",
              "language, telemetry turned off by the environment, by default (OpenTelemetry's API installed, no SDK; Rust:",
              "the `opentelemetry` feature with the API's no-op provider; PHP and Swift: no hook set) and on (the SDK",
              "registered, its spans dropped by the exporter; PHP and Swift: a hook that returns a traceparent and drops",
              "the report).",
              "Median of 3 runs, the settings alternating.", ""]
    lines += telemetry_table(telemetry)
    lines += ["", "| cold start | ms |", "|---|---:|"]
    lines += [f"| {name} | {ms:.1f} |" for name, ms in cold.items()]
    lines += ["", f"| peak RSS after {RSS_REQUESTS:,} requests | MiB |".replace(",", " "), "|---|---:|"]
    lines += [f"| {name} | {mib:.1f} |" for name, mib in rss.items()]
    lines += ["", "| artifact | size |", "|---|---:|"]
    lines += [f"| {name} | {size / 1e6:.1f} MB |" for name, size in sizes.items()]
    r = lambda name, t: results[(name, t)]
    pyo3, req, core = "Python, PyO3 backend", "Python `requests.Session` by hand", "Rust core (`AkoolClient::request`)"
    kt, ok = "Kotlin/JVM, tokensmith jar", "Java, OkHttp by hand"
    floor = "Floor: minimal Rust hyper client"
    a = lambda name, n: async_results[(name, n)]
    js = lambda name, n: node_results[(name, n)]
    pv = lambda name, n: php_results[(name, n)]
    kt_ok = r(kt, 1)['p50_us'] / r(ok, 1)['p50_us']
    lines += [
        "",
        "## Targets",
        "",
        "Ratios of this run; `bench/targets.py` prints them for several runs side by side with their median (what",
        "decides a target on this noisy machine).",
        "",
        *targets(results, async_results, node_results),
        "",
        "## Notes",
        "",
        f"- The mock is not the bottleneck of the tokensmith rows: the minimal hyper client gets "
        f"{r(floor, 8)['rps']:,.0f} req/s from it on 8 threads, against {r(core, 8)['rps']:,.0f} for the Rust core. "
        "The floor row is that limit: the mock (2 worker threads) and the client share the machine's cores.",
        "- The blocking Rust core drives its own call on the calling thread (one context switch per request, as the "
        "floor); what keeps it above the floor is reqwest's own work (its pool, its redirect and timeout layers), the "
        "envelope and the auth policy; the floor does none of that.",
        "- Python by hand loses to PyO3 because `requests` and `httpx` do their HTTP work in Python while holding the "
        "GIL, so 8 threads are no faster than 1; PyO3 releases the GIL for the whole call.",
        "- The UniFFI Python backend pays ctypes and RustBuffer serialisation on each call (about 10 µs), which shows "
        "in `auth_headers()`. It also does not scale with threads: one UniFFI call is several ctypes calls (the "
        "call itself, RustBuffer allocation, copy and free), and ctypes releases and re-takes the GIL around each, "
        "so 8 threads queue on the GIL (a convoy) between short native calls. PyO3 releases it once per call.",
        "- The PyO3 row's distance to the Rust core is the Python layer (argument checks, the exception mapping) and "
        "one JSON round trip: the core returns `data` as JSON text, which Python parses into a dict. On this noisy "
        "2-core machine that ratio moved between 1.03x and 1.5x from run to run.",
        f"- The Kotlin jar against OkHttp: {kt_ok:.2f}x at p50. Both do the I/O on the calling thread now (the jar "
        f"{r(kt, 1)['cs_per_request']:.1f} context switches per request, OkHttp {r(ok, 1)['cs_per_request']:.1f}: "
        "Okio's timeout watchdog thread); the jar is "
        f"{r(kt, 1)['p50_us'] / r(core, 1)['p50_us']:.2f}x the Rust core's own p50, which is the binding: JNA "
        "marshalling, one `Structure` per `RustBuffer` passed or returned by value (the per-call `RustCallStatus` is "
        "reused per thread since an earlier profile), and the JSON text crossing.",
        f"- Async, one call in flight: the async core's p50 is {a(CORE_ASYNC, 1)['p50_us']:.0f} µs against "
        f"{r(core, 1)['p50_us']:.0f} µs for the blocking core on one thread; at 64 in flight it makes "
        f"{a(CORE_ASYNC, 64)['rps']:,.0f} req/s, against {r(core, 8)['rps']:,.0f} from 8 blocking threads. The async "
        f"floor makes {a(FLOOR_ASYNC, 64)['rps']:,.0f} req/s at 64 in flight (the async core reaches "
        f"{a(CORE_ASYNC, 64)['rps'] / a(FLOOR_ASYNC, 64)['rps']:.0%} of it).",
        f"- asyncio at 64 tasks: PyO3 {a(PYO3_ASYNC, 64)['rps']:,.0f} req/s, UniFFI {a(UNIFFI_ASYNC, 64)['rps']:,.0f}, "
        f"`aiohttp` {a(AIOHTTP, 64)['rps']:,.0f}; at one task, PyO3's p50 is {a(PYO3_ASYNC, 1)['p50_us']:.0f} µs "
        f"against {a(AIOHTTP, 1)['p50_us']:.0f} µs for `aiohttp`.",
        f"- Kotlin coroutines against OkHttp's `enqueue`: "
        f"{a(KOTLIN_ASYNC, 64)['rps'] / a(OKHTTP_ASYNC, 64)['rps']:.2f}x the throughput at 64 in flight, "
        f"{a(KOTLIN_ASYNC, 1)['p50_us'] / a(OKHTTP_ASYNC, 1)['p50_us']:.2f}x the p50 at one (its callback chain); "
        f"against `enqueue` awaited from coroutines, {a(KOTLIN_ASYNC, 64)['rps'] / a(OKHTTP_COROUTINES, 64)['rps']:.2f}x "
        f"and {a(KOTLIN_ASYNC, 1)['p50_us'] / a(OKHTTP_COROUTINES, 1)['p50_us']:.2f}x.",
        f"- Node at 64 in flight: the tokensmith addon {js(NODE_TOKENSMITH, 64)['rps']:,.0f} req/s, "
        f"`undici.request` {js(NODE_UNDICI, 64)['rps']:,.0f}, global `fetch` {js(NODE_FETCH, 64)['rps']:,.0f} "
        f"(`undici.request` makes {js(NODE_UNDICI, 64)['rps'] / js(NODE_FETCH, 64)['rps']:.1f}x `fetch`'s; both are "
        f"undici underneath, and `fetch` adds the WHATWG `Request`/`Response`/streams layer to each call). At one in "
        f"flight the p50s are {js(NODE_TOKENSMITH, 1)['p50_us']:.0f} µs (tokensmith), "
        f"{js(NODE_UNDICI, 1)['p50_us']:.0f} µs (`undici.request`) and {js(NODE_FETCH, 1)['p50_us']:.0f} µs "
        f"(`fetch`).",
    ]
    t, g = PHP_TOKENSMITH, PHP_GUZZLE
    lines.append(
        f"- PHP, one server process: the tokensmith page serves {pv(t, 1)['rps'] / pv(g, 1)['rps']:.1f}x the views of "
        f"the vendor's Guzzle snippet from 1 client ({pv(t, 1)['rps']:,.0f} against {pv(g, 1)['rps']:,.0f} views/s) "
        f"and {pv(t, 8)['rps'] / pv(g, 8)['rps']:.1f}x from 8, and fetched "
        f"{sum(pv(t, n)['get_token'] for n in PHP_CLIENTS)} token(s) in "
        f"{sum(pv(t, n)['page_views'] for n in PHP_CLIENTS):,} views over {len(PHP_CLIENTS)} server processes "
        f"where the snippet "
        f"fetched {sum(pv(g, n)['get_token'] for n in PHP_CLIENTS):,} in "
        f"{sum(pv(g, n)['page_views'] for n in PHP_CLIENTS):,}."
        f" One process serves one view at a time, so 8 clients mostly queue: tokensmith's throughput grows "
        f"{pv(t, 8)['rps'] / pv(t, 1)['rps']:.2f}x from 1 to 8 clients while its p50 grows "
        f"{pv(t, 8)['p50_us'] / pv(t, 1)['p50_us']:.1f}x.")
    if PHP_GUZZLE_APCU in php_names:
        ga = PHP_GUZZLE_APCU
        lines.append(
            f"- With the token kept in APCu the Guzzle page fetches "
            f"{per_1000_views(php_results, ga, PHP_CLIENTS):.2f} tokens per 1000 views and serves "
            f"{pv(ga, 1)['rps']:,.0f} views/s from 1 client ({pv(ga, 1)['rps'] / pv(g, 1)['rps']:.2f}x the snippet's); "
            f"tokensmith serves {pv(t, 1)['rps'] / pv(ga, 1)['rps']:.1f}x that from 1 client and "
            f"{pv(t, 8)['rps'] / pv(ga, 8)['rps']:.1f}x from 8. What the APCu page still does on every view and the "
            "extension does not: load Guzzle's classes, build a client, and open a new connection to Akool (the "
            "extension keeps its client and connection pool in the worker). APCu also keeps the token in shared "
            "memory that any PHP code of the server can read.")
    else:
        lines.append("- No APCu row: the `apcu` extension was not loadable (Debian's php8.2-apcu).")
    hop, direct = a(REQWEST_HOP, 1), a(REQWEST_DIRECT, 1)
    lines.append(
        f"- One hop between runtimes, at one call in flight: reqwest spawned onto a second runtime has a p50 of "
        f"{hop['p50_us']:.0f} µs and {hop['cs_per_request']:.1f} context switches per request, against "
        f"{direct['p50_us']:.0f} µs and {direct['cs_per_request']:.1f} awaited where the caller runs (the hyper floor: "
        f"{a(FLOOR_ASYNC, 1)['p50_us']:.0f} µs, {a(FLOOR_ASYNC, 1)['cs_per_request']:.1f}); at 64 in flight "
        f"{a(REQWEST_HOP, 64)['rps']:,.0f} against {a(REQWEST_DIRECT, 64)['rps']:,.0f} req/s. The async core: "
        f"{a(CORE_ASYNC, 1)['p50_us']:.0f} µs and {a(CORE_ASYNC, 1)['cs_per_request']:.1f} switches per request.")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"(written to {output})", file=sys.stderr)


if __name__ == "__main__":
    main()

"""Runs every benchmark side by side against one release-built mock and writes bench/RESULTS.md.

Run it with `bench/run` (which builds and installs what it needs). Each cell is measured in its own process, one
after another, on the same machine in the same run, so ratios between rows are meaningful even where absolute
numbers move between machines.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET = REPO / "target"
SECONDS = float(os.environ.get("BENCH_SECONDS", "2"))
PY_PYO3 = TARGET / "venv-pyo3" / "bin" / "python"
PY_UNIFFI = TARGET / "venv-uniffi" / "bin" / "python"
RUST = TARGET / "release" / "tokensmith-bench"
JVM_DIR = REPO / "bench" / "jvm"


def jvm_command() -> list:
    classpath = (JVM_DIR / "target" / "classpath.txt").read_text().strip()
    return ["java", "-cp", f"{JVM_DIR / 'target' / 'classes'}:{classpath}", "dev.tokensmith.bench.JvmBench"]


def measure(command: list) -> dict:
    out = subprocess.run([str(c) for c in command], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    mock = subprocess.Popen([TARGET / "release" / "tokensmith-mock", "--addr", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    base = mock.stdout.readline().strip()
    try:
        rows = [
            ("Rust core (`AkoolClient::request`)", lambda t: [RUST, "core", base, t, SECONDS]),
            ("Python, PyO3 backend", lambda t: [PY_PYO3, REPO / "bench/python_bench.py", "load", "tokensmith", base, t, SECONDS]),
            ("Python, UniFFI backend", lambda t: [PY_UNIFFI, REPO / "bench/python_bench.py", "load", "tokensmith", base, t, SECONDS]),
            ("Python `requests.Session` by hand", lambda t: [PY_PYO3, REPO / "bench/python_bench.py", "load", "requests", base, t, SECONDS]),
            ("Python `httpx.Client` by hand", lambda t: [PY_PYO3, REPO / "bench/python_bench.py", "load", "httpx", base, t, SECONDS]),
            ("Kotlin/JVM, tokensmith jar", lambda t: jvm_command() + ["load", "tokensmith", base, t, SECONDS]),
            ("Java, OkHttp by hand", lambda t: jvm_command() + ["load", "okhttp", base, t, SECONDS]),
            ("Floor: minimal Rust hyper client", lambda t: [RUST, "floor", base, t, SECONDS]),
        ]
        results = {}
        for name, command in rows:
            for threads in (1, 8):
                results[(name, threads)] = measure(command(threads))
                print(f"{name:40} {threads} thread(s): {results[(name, threads)]}", file=sys.stderr)
        auth = {
            "Rust core": measure([RUST, "auth-headers", base, 1_000_000])["ns_per_call"],
            "Python, PyO3": measure([PY_PYO3, REPO / "bench/python_bench.py", "auth-headers", base, 200_000])["ns_per_call"],
            "Python, UniFFI": measure([PY_UNIFFI, REPO / "bench/python_bench.py", "auth-headers", base, 20_000])["ns_per_call"],
            "Kotlin/JVM (UniFFI over JNA)": measure(jvm_command() + ["auth-headers", base, 100_000])["ns_per_call"],
        }
        cold = {
            "Python, PyO3 (import + first request with getToken)": statistics.median(
                measure([PY_PYO3, REPO / "bench/python_bench.py", "cold-start", base])["ms"] for _ in range(3)),
            "Python, UniFFI (same)": statistics.median(
                measure([PY_UNIFFI, REPO / "bench/python_bench.py", "cold-start", base])["ms"] for _ in range(3)),
            "Kotlin/JVM (class load + first request with getToken)": statistics.median(
                measure(jvm_command() + ["cold-start", base])["ms"] for _ in range(3)),
        }
        rss = {
            "Python, PyO3": measure([PY_PYO3, REPO / "bench/python_bench.py", "rss", base, 10_000])["peak_rss_mib"],
            "Python, UniFFI": measure([PY_UNIFFI, REPO / "bench/python_bench.py", "rss", base, 10_000])["peak_rss_mib"],
        }
    finally:
        mock.kill()
    sizes = {
        "wheel (PyO3, abi3)": sum(p.stat().st_size for p in (TARGET / "wheels-pyo3").glob("*.whl")),
        "wheel (UniFFI)": sum(p.stat().st_size for p in (TARGET / "wheels-uniffi").glob("*.whl")),
        "jar (Kotlin + linux-x86-64 library)": (REPO / "kotlin" / "target" / "tokensmith-0.1.0.jar").stat().st_size,
    }
    write(results, auth, cold, rss, sizes, [name for name, _ in rows])


def write(results, auth, cold, rss, sizes, names) -> None:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    lines = [
        "# Benchmark results",
        "",
        f"{datetime.date.today().isoformat()} · {os.cpu_count()} cores ({cpu}) · {platform.platform()} · "
        f"Python {platform.python_version()} · {SECONDS:g} s per cell after a warm-up · `bench/run`",
        "",
        "An authenticated Akool `GET /api/open/v3/faceswap/quota/info` (x-api-key) against the loopback mock, whose",
        "answer is a small `data` object. Clients and the mock share the machine's cores.",
        "",
        "| client | req/s, 1 thread | p50 µs | p99 µs | req/s, 8 threads | p50 µs | p99 µs |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in names:
        one, eight = results[(name, 1)], results[(name, 8)]
        lines.append(f"| {name} | {one['rps']:,.0f} | {one['p50_us']:.0f} | {one['p99_us']:.0f} | "
                     f"{eight['rps']:,.0f} | {eight['p50_us']:.0f} | {eight['p99_us']:.0f} |")
    lines += ["", "| `auth_headers()`, token cached | ns per call |", "|---|---:|"]
    lines += [f"| {name} | {ns:,.0f} |" for name, ns in auth.items()]
    lines += ["", "| cold start | ms |", "|---|---:|"]
    lines += [f"| {name} | {ms:.1f} |" for name, ms in cold.items()]
    lines += ["", "| peak RSS after 10 000 requests | MiB |", "|---|---:|"]
    lines += [f"| {name} | {mib:.1f} |" for name, mib in rss.items()]
    lines += ["", "| artifact | size |", "|---|---:|"]
    lines += [f"| {name} | {size / 1e6:.1f} MB |" for name, size in sizes.items()]
    r = lambda name, t: results[(name, t)]
    pyo3, req, core = "Python, PyO3 backend", "Python `requests.Session` by hand", "Rust core (`AkoolClient::request`)"
    kt, ok = "Kotlin/JVM, tokensmith jar", "Java, OkHttp by hand"
    floor = "Floor: minimal Rust hyper client"
    lines += [
        "",
        "## Targets",
        "",
        f"- PyO3 vs `requests.Session` throughput: {r(pyo3, 1)['rps'] / r(req, 1)['rps']:.1f}x on 1 thread (target 2x), "
        f"{r(pyo3, 8)['rps'] / r(req, 8)['rps']:.1f}x on 8 threads (target 4x).",
        f"- PyO3 `auth_headers()`: {auth['Python, PyO3']:.0f} ns per call (target < 1000 ns).",
        f"- PyO3 p50 latency vs the Rust core: {r(pyo3, 1)['p50_us'] / r(core, 1)['p50_us']:.2f}x (target within 1.5x).",
        f"- Kotlin jar p50 latency vs OkHttp: {r(kt, 1)['p50_us'] / r(ok, 1)['p50_us']:.2f}x (target within 1.3x).",
        "",
        "## Notes",
        "",
        f"- The mock is not the bottleneck of the tokensmith rows: the minimal hyper client gets "
        f"{r(floor, 8)['rps']:,.0f} req/s from it on 8 threads, against {r(core, 8)['rps']:,.0f} for the Rust core. "
        "The floor row is that limit: the mock (2 worker threads) and the client share the machine's cores.",
        "- The Rust core sits above the floor mainly because reqwest's blocking client hands every request to its own "
        "runtime thread and back (two thread wake-ups per call), and because it parses the envelope and checks the "
        "auth policy; the floor does neither.",
        "- Python by hand loses to PyO3 because `requests` and `httpx` do their HTTP work in Python while holding the "
        "GIL, so 8 threads are no faster than 1; PyO3 releases the GIL for the whole call.",
        "- The UniFFI Python backend pays ctypes and RustBuffer serialisation on each call (about 10 µs), which shows "
        "in `auth_headers()`. It also does not scale with threads: one UniFFI call is several ctypes calls (the "
        "call itself, RustBuffer allocation, copy and free), and ctypes releases and re-takes the GIL around each, "
        "so 8 threads queue on the GIL (a convoy) between short native calls. PyO3 releases it once per call.",
        "- The PyO3 row's distance to the Rust core is the Python layer (argument checks, the exception mapping) and "
        "one JSON round trip: the core returns `data` as JSON text, which Python parses into a dict. On this noisy "
        "2-core machine that ratio moved between 1.03x and 1.5x from run to run.",
        f"- **The Kotlin jar loses to OkHttp** ({r(kt, 1)['p50_us'] / r(ok, 1)['p50_us']:.2f}x at p50), and the 1.3x "
        f"target is not met. The gap is part the binding's, part the core's: the jar is "
        f"{r(kt, 1)['p50_us'] / r(core, 1)['p50_us']:.2f}x the Rust core's own p50, and the Rust core is "
        f"{r(core, 1)['p50_us'] / r(ok, 1)['p50_us']:.2f}x OkHttp's. reqwest's blocking client hands each request to "
        "its runtime thread and back, where OkHttp does the I/O on the calling thread; on 2 cores shared with the "
        "mock, those hand-offs cost scheduler time. The binding's own share was worse before: profiling with "
        "`jstack` showed UniFFI's Kotlin code allocating a JNA `Structure` for every call's `RustCallStatus`, each "
        "registering native memory in one global `ConcurrentHashMap` until GC (about 20 µs per call, and a lock "
        "all threads contended on). `scripts/gen-bindings` now reuses one status per thread, which cut "
        "`auth_headers()` from 31.5 µs to the figure above and doubled throughput on 8 threads. What remains is one "
        "JNA `Structure` per `RustBuffer` passed or returned by value; a JNI-based binding would remove it.",
    ]
    (REPO / "bench" / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

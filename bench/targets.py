"""Issue 20's speed targets, defined once: `bench/run.py` prints them for its run, and this script prints them for
several written runs side by side with their median, which is what decides a target on a noisy 2-core machine.

  python3 bench/targets.py RESULTS.md [RESULTS.md ...]
"""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass
from typing import Dict, Tuple

CORE = "Rust core (`AkoolClient::request`)"
FLOOR = "Floor: minimal Rust hyper client"
CORE_ASYNC = "Rust async core (`AkoolClient::request`, tokio tasks)"
FLOOR_ASYNC = "Floor: minimal Rust hyper client, tokio tasks"
JAR, OKHTTP = "Kotlin/JVM, tokensmith jar", "Java, OkHttp by hand"
COROUTINES, ENQUEUE = "Kotlin coroutines, tokensmith jar (`AsyncAkoolClient`)", "Java, OkHttp `enqueue` by hand"
PYO3_ASYNC, AIOHTTP = "Python asyncio, PyO3 backend (`AsyncAkoolClient`)", "Python `aiohttp.ClientSession` by hand"
NODE, UNDICI = "Node, tokensmith addon (`AkoolClient.request`)", "Node `undici.request` by hand (keep-alive `Agent`)"

# A cell: (row name, "t1"/"t8" for 1/8 blocking threads, "f1"/"f64" for 1/64 in flight) -> its measurements.
Cells = Dict[Tuple[str, str], Dict[str, float]]


@dataclass(frozen=True)
class Target:
    label: str
    row: str
    cell: str
    metric: str
    # The row it is compared with (a ratio), or None for the value itself.
    versus: str | None
    at_most: bool
    bound: float

    @property
    def goal(self) -> str:
        unit = "x" if self.versus else " µs"
        return f"{'<=' if self.at_most else '>='} {self.bound:g}{unit}"

    def met(self, value: float) -> bool:
        return value <= self.bound if self.at_most else value >= self.bound


TARGETS = [
    Target("Rust async core at 64 in flight, req/s vs the async floor", CORE_ASYNC, "f64", "rps", FLOOR_ASYNC, False, 0.6),
    Target("Rust async core p50 at 1 in flight vs the async floor", CORE_ASYNC, "f1", "p50_us", FLOOR_ASYNC, True, 1.25),
    Target("Rust blocking core p50 on 1 thread vs the floor", CORE, "t1", "p50_us", FLOOR, True, 1.25),
    Target("Kotlin jar (blocking) p50 vs OkHttp `execute()`", JAR, "t1", "p50_us", OKHTTP, True, 1.25),
    Target("Kotlin coroutines at 64 in flight, req/s vs OkHttp `enqueue`", COROUTINES, "f64", "rps", ENQUEUE, False, 1.0),
    Target("Kotlin coroutines p50 at 1 in flight vs OkHttp `enqueue`", COROUTINES, "f1", "p50_us", ENQUEUE, True, 1.5),
    Target("Kotlin coroutines p99 at 1 in flight", COROUTINES, "f1", "p99_us", None, True, 1000),
    Target("PyO3 asyncio at 64 tasks, req/s vs aiohttp", PYO3_ASYNC, "f64", "rps", AIOHTTP, False, 2.0),
    Target("PyO3 asyncio p50 at 1 task vs aiohttp", PYO3_ASYNC, "f1", "p50_us", AIOHTTP, True, 1.0),
    Target("Node p50 at 1 in flight vs `undici.request`", NODE, "f1", "p50_us", UNDICI, True, 1.3),
    Target("Node at 64 in flight, req/s vs `undici.request`", NODE, "f64", "rps", UNDICI, False, 1.0),
]


def ratio(target: Target, cells: Cells) -> float:
    value = cells[(target.row, target.cell)][target.metric]
    return value / cells[(target.versus, target.cell)][target.metric] if target.versus else value


def read(path: str) -> Cells:
    """The load tables of a RESULTS.md that bench/run.py wrote: columns req/s, p50, p99, cs/req, twice."""
    cells: Cells = {}
    kinds = None
    for line in open(path, encoding="utf-8"):
        if not line.startswith("| ") or line.startswith("|---"):
            continue
        parts = [p.strip() for p in line.strip().strip("|").split("|")]
        if parts[1].startswith("req/s, 1"):
            kinds = ("t1", "t8") if "thread" in parts[1] else ("f1", "f64")
            continue
        if kinds is None or len(parts) != 9:
            kinds = None if len(parts) != 9 else kinds
            continue
        numbers = [float(p.replace(",", "")) for p in parts[1:]]
        for kind, (rps, p50, p99, cs) in zip(kinds, (numbers[:4], numbers[4:])):
            cells[(parts[0], kind)] = {"rps": rps, "p50_us": p50, "p99_us": p99, "cs_per_request": cs}
    return cells


def main(paths: list) -> None:
    runs = [read(path) for path in paths]
    heads = " | ".join(f"run {i + 1}" for i in range(len(runs)))
    print(f"| target | goal | {heads} | median | met |")
    print("|---|---|" + "---:|" * len(runs) + "---:|---|")
    for target in TARGETS:
        values = [ratio(target, cells) for cells in runs]
        median = statistics.median(values)
        shown = " | ".join(f"{v:.2f}" if target.versus else f"{v:.0f}" for v in values)
        middle = f"{median:.2f}" if target.versus else f"{median:.0f}"
        print(f"| {target.label} | {target.goal} | {shown} | {middle} | {'yes' if target.met(median) else 'no'} |")


if __name__ == "__main__":
    main(sys.argv[1:])

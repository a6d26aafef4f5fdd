"""Memory and resources from Python: python bench/resources.py BASE_URL [REQUESTS] [sync|async]

1. One client makes REQUESTS requests (default 100 000): RSS after the first 1 000 and at the end must stay
   flat (grow less than 8 MiB); open file descriptors and threads must not grow.
2. 200 clients are built, used once and dropped: descriptors and threads must come back to where they were
   (each client owns a connection pool on the core's runtime; dropping it must free it).
With `async`, the same through AsyncAkoolClient awaited on one asyncio loop.
Prints a table; exits non-zero if a check fails.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import os
import sys
import threading

import tokensmith

PATH = "/api/open/v3/faceswap/quota/info"


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def os_threads() -> int:
    return len(os.listdir("/proc/self/task"))


async def done(value: object) -> object:
    """The value, awaited when an async client returned an awaitable."""
    return await value if inspect.isawaitable(value) else value


async def measure(base: str, requests: int, akool: type) -> tuple:
    client = akool.from_client_credentials("mock-client-id", "mock-api-key-0123456789abcdefghi", base_url=base)
    # Warm up at the highest concurrency the run uses too, so the thread pools (the core's, and for asyncio its
    # bridge's, capped at 4) reach their working size before the first measurement: a pool that has grown to its
    # cap is not a leak, a count that keeps growing is.
    calls = [client.request("GET", PATH) for _ in range(16)]
    if inspect.isawaitable(calls[0]):
        await asyncio.gather(*calls)
    for _ in range(1_000):
        await done(client.request("GET", PATH))
    first = (rss_mib(), fds(), os_threads())
    for _ in range(requests - 1_000):
        await done(client.request("GET", PATH))
    last = (rss_mib(), fds(), os_threads())
    del client
    gc.collect()

    before = (fds(), os_threads())
    for _ in range(200):
        other = akool.from_api_key("mock-api-key-0123456789abcdefghi", base_url=base)
        await done(other.request("GET", PATH))
        del other
    gc.collect()
    after = (fds(), os_threads())
    return first, last, before, after


def main() -> None:
    base = sys.argv[1]
    requests = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    mode = sys.argv[3] if len(sys.argv) > 3 else "sync"
    akool = tokensmith.AsyncAkoolClient if mode == "async" else tokensmith.AkoolClient
    first, last, before, after = asyncio.run(measure(base, requests, akool))

    checks = [
        (f"RSS after 1 000 / {requests:,} requests (MiB)", f"{first[0]:.1f} / {last[0]:.1f}", last[0] - first[0] < 8),
        ("open file descriptors, same points", f"{first[1]} / {last[1]}", last[1] <= first[1]),
        ("OS threads, same points", f"{first[2]} / {last[2]}", last[2] <= first[2]),
        ("descriptors before / after 200 clients built and dropped", f"{before[0]} / {after[0]}", after[0] <= before[0]),
        ("OS threads before / after 200 clients built and dropped", f"{before[1]} / {after[1]}", after[1] <= before[1]),
    ]
    print(f"| Python resources ({tokensmith.backend}, {mode}) | value | ok |")
    print("|---|---:|---|")
    for name, value, ok in checks:
        print(f"| {name} | {value} | {'yes' if ok else 'NO'} |")
    failed = sum(1 for *_, ok in checks if not ok)
    print(f"\nresources: {len(checks) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

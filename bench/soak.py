"""The fault soak from Python: python bench/soak.py BASE_URL [CALLS] [THREADS] [sync|async]

The same chaos as the Rust soak (bin `soak`), through the Python package against a running mock
(`tokensmith-mock`): random faults armed over the admin API, 16 threads (or, with `async`, 16 asyncio tasks on one
loop, a tenth of whose calls are cancelled by a short timeout) sharing one client per API, each create carrying a
unique host. Prints a table and exits non-zero if a credential that reported success is missing, one create was
stored twice, or anything but a tokensmith.TokensmithError (or, for a cancelled call, a timeout) escaped.
"""

from __future__ import annotations

import asyncio
import collections
import json
import random
import sys
import threading
import time
import urllib.request

import tokensmith

QUOTA = "/api/open/v3/faceswap/quota/info"
JOB = "/api/open/v3/faceswap/highquality/specifyimage"
APP = "107f8d0f-e465-4a7e-a49e-d633d26f7aa2"


def admin(base: str, path: str, body: object = None) -> object:
    data = None if body is None else json.dumps(body).encode()
    with urllib.request.urlopen(urllib.request.Request(base + path, data=data, method="POST" if data or path != "/__mock/state" else "GET")) as answer:
        text = answer.read()
    return json.loads(text) if text else None


def fault(base: str, op: int) -> None:
    path = [QUOTA, JOB, "/api/v1/credentials/", "/api/v1/credentials/"][op]
    choice = random.randrange(9)
    if choice == 6:
        admin(base, "/__mock/expire-tokens", {})
        return
    rule = [
        {"kind": "delay", "ms": random.randrange(1, 400)},
        {"kind": "status", "status": random.choice([500, 502, 503, 504])},
        {"kind": "status", "status": 429, "retry_after": "0"},
        {"kind": "drop_before"},
        {"kind": "drop_after"},
        {"kind": "malformed"},
        None,
        {"kind": "akool_code", "code": 1101},
        {"kind": "delay", "ms": 5},
    ][choice]
    rule["path"] = path
    admin(base, "/__mock/faults", rule)


def main() -> None:
    base = sys.argv[1]
    calls = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 16
    mode = sys.argv[4] if len(sys.argv) > 4 else "sync"
    admin(base, "/__mock/reset", {})
    options = dict(base_url=base, request_timeout=0.25, initial_backoff=0.001)
    akool = tokensmith.AkoolClient.from_client_credentials("mock-client-id", "mock-api-key-0123456789abcdefghi", **options)
    platform = tokensmith.AceDataPlatform("platform-v1-mock-0123456789", **options)
    outcomes: collections.Counter = collections.Counter()
    created_ok: list = []
    escaped: list = []
    counter = iter(range(calls))
    lock = threading.Lock()

    def record(key: str) -> None:
        with lock:
            outcomes[key] += 1

    def worker() -> None:
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            op = random.randrange(4)
            if random.randrange(100) < 35:
                fault(base, op)
            try:
                if op == 0:
                    akool.request("GET", QUOTA)
                elif op == 1:
                    akool.request("POST", JOB, json={"n": n})
                elif op == 2:
                    created_ok.append(platform.create_credential(APP, host=f"p{n}.soak.test").host)
                else:
                    platform.list_credentials(limit=5)
                record("success")
            except tokensmith.TokensmithError as error:
                record(f"error: {error.kind}")
            except BaseException as error:  # anything else is a bug
                escaped.append(repr(error))
                record("escaped")

    aakool = tokensmith.AsyncAkoolClient.from_client_credentials("mock-client-id", "mock-api-key-0123456789abcdefghi", **options)
    aplatform = tokensmith.AsyncAceDataPlatform("platform-v1-mock-0123456789", **options)

    async def task() -> None:
        for n in iter(lambda: next(counter, None), None):
            op = random.randrange(4)
            if random.randrange(100) < 35:
                await asyncio.to_thread(fault, base, op)
            call = [
                lambda: aakool.request("GET", QUOTA),
                lambda: aakool.request("POST", JOB, json={"n": n}),
                lambda: aplatform.create_credential(APP, host=f"p{n}.soak.test"),
                lambda: aplatform.list_credentials(limit=5),
            ][op]
            try:
                if random.randrange(10) == 0:  # cancelled: it may or may not have reached the server
                    await asyncio.wait_for(call(), timeout=random.uniform(0.001, 0.05))
                    record("success (not cancelled in time)")
                    continue
                result = await call()
                if op == 2:
                    created_ok.append(result.host)
                record("success")
            except asyncio.TimeoutError:
                record("cancelled")
            except tokensmith.TokensmithError as error:
                record(f"error: {error.kind}")
            except BaseException as error:  # anything else is a bug
                escaped.append(repr(error))
                record("escaped")

    async def tasks() -> None:
        await asyncio.gather(*(task() for _ in range(threads)))

    started = time.monotonic()
    if mode == "async":
        asyncio.run(tasks())
    else:
        workers = [threading.Thread(target=worker) for _ in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    elapsed = time.monotonic() - started
    hosts = collections.Counter(c.host for c in platform.list_credentials(limit=1_000_000))
    lost = sum(1 for host in created_ok if host not in hosts)
    duplicated = sum(1 for n in hosts.values() if n > 1)
    runners = f"{threads} asyncio tasks" if mode == "async" else f"{threads} threads"
    print(f"| Python fault soak ({tokensmith.backend}, {mode}): {calls} calls from {runners}, {elapsed:.1f} s | |")
    print("|---|---:|")
    for key, count in sorted(outcomes.items()):
        print(f"| {key} | {count} |")
    print(f"| creates that reported success | {len(created_ok)} |")
    print(f"| credentials the server holds | {sum(hosts.values())} |")
    print(f"| lost | {lost} |\n| duplicated | {duplicated} |\n| exceptions that are not TokensmithError | {len(escaped)} |")
    if lost or duplicated or escaped:
        print(f"soak: invariant broken: {escaped[:3]}", file=sys.stderr)
        sys.exit(1)
    print(f"\nsoak: {calls} passed, 0 failed")


if __name__ == "__main__":
    main()

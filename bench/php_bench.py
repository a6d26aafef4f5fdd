"""PHP page-view benchmark driver: prints one JSON line for bench/run.py.

  php_bench.py load PAGE BASE CLIENTS SECONDS    PAGE: tokensmith | guzzle | guzzle_apcu (bench/php/page_PAGE.php)
  php_bench.py probe                             what the PHP server will have: {"curl": bool, "apcu": bool}
  php_bench.py construct|tenants BASE N           bench/php/clients.php in the PHP CLI with the same flags
  php_bench.py auth-headers BASE N               bench/php/auth_headers.php likewise (telemetry's cost per call)

`load` serves the page with PHP's built-in server in one process (PHP_CLI_SERVER_WORKERS=1, as one PHP-FPM
worker), MOCK_BASE_URL pointing at the mock, and hits it from CLIENTS threads, each making one page view after
another (a new connection each: `php -S` closes every connection) for SECONDS after a warm-up. Besides the load
line's keys (requests, rps, p50_us, p99_us) it reports the mock's getToken count over the server's whole life
(the warm-up included, so a token fetched once per worker shows) per 1000 page views, and `cs` and
`cs_involuntary`: the context switches of the PHP server process (every thread of it, the extension's runtime
included; read from /proc after the warm-up and at the end), not of this load generator, and `cpu_us`: that
process's CPU time (user plus system, µs; /proc counts it in clock ticks, so over a cell of seconds) between the
same two moments.

The server is Debian's `php` with its php.ini (OPcache on for `php -S`, the curl extension for Guzzle, APCu), plus
`-d extension=` the tokensmith extension (TOKENSMITH_PHP_EXTENSION, else target/release/libtokensmith_php.so) and
`-d apc.enable_cli=1` (APCu is off under the CLI SAPIs without it). Every page runs on the same server command.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGES = REPO / "bench" / "php"
WARMUP = 0.5
GET_TOKEN = "POST /api/open/v3/getToken"


def report(results: list, seconds: float, extra: dict) -> None:
    """The JSON line: python_bench.report's keys (throughput, p50 and p99 over every client's latencies) + extra."""
    latencies = sorted(x for part in results for x in part)
    pct = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))] / 1000
    print(json.dumps({"requests": len(latencies), "rps": len(latencies) / seconds, "p50_us": pct(0.5),
                      "p99_us": pct(0.99), **extra}))


def extension() -> str:
    return os.environ.get("TOKENSMITH_PHP_EXTENSION") or str(REPO / "target" / "release" / "libtokensmith_php.so")


def php_flags() -> list:
    return ["-d", f"extension={extension()}", "-d", "apc.enable_cli=1"]


def probe() -> None:
    code = ('echo json_encode(["curl" => extension_loaded("curl"),'
            ' "apcu" => function_exists("apcu_fetch") && apcu_enabled()]);')
    print(subprocess.run(["php", *php_flags(), "-r", code], check=True, capture_output=True, text=True).stdout)


def switches(pid: int) -> tuple:
    """(voluntary, involuntary) context switches so far of every live thread of process ``pid``, and the process's
    CPU time (user plus system, µs). `php -S` with one worker serves in that process itself (it forks only for more
    workers), and its threads live as long as it."""
    voluntary = involuntary = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        for line in (task / "status").read_text().splitlines():
            if line.startswith("voluntary_ctxt_switches:"):
                voluntary += int(line.split()[1])
            elif line.startswith("nonvoluntary_ctxt_switches:"):
                involuntary += int(line.split()[1])
    # /proc/PID/stat after the command's closing parenthesis: utime and stime are its 12th and 13th fields.
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu_us = (int(stat[11]) + int(stat[12])) * 1_000_000 / os.sysconf("SC_CLK_TCK")
    return voluntary, involuntary, cpu_us


def mock(base: str, method: str, path: str) -> dict:
    with urllib.request.urlopen(urllib.request.Request(base + path, method=method)) as answer:
        body = answer.read()
    return json.loads(body) if body else {}


def free_address() -> tuple:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return probe_socket.getsockname()


def view(address: tuple, request: bytes) -> bytes:
    """One page view on a new connection (`php -S` answers `Connection: close`): the whole answer."""
    with socket.create_connection(address) as connection:
        connection.sendall(request)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def check(answer: bytes) -> None:
    if not answer.startswith(b"HTTP/1.1 200") or b'"auth":"bearer"' not in answer:
        raise RuntimeError(f"the page answered {answer[:2000]!r}")


def load(page: str, base: str, clients: int, seconds: float) -> None:
    script = PAGES / f"page_{page}.php"
    if not script.is_file():
        raise SystemExit(f"unknown page {page}")
    address = free_address()
    host = f"{address[0]}:{address[1]}"
    request = f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
    mock(base, "POST", "/__mock/reset")
    before = mock(base, "GET", "/__mock/state")["counts"]
    env = {**os.environ, "MOCK_BASE_URL": base, "PHP_CLI_SERVER_WORKERS": "1"}
    log = tempfile.TemporaryFile(mode="w+")  # the server's log (PHP's errors), shown if the run fails
    server = subprocess.Popen(["php", "-q", *php_flags(), "-S", host, str(script)], env=env,
                              stdout=subprocess.DEVNULL, stderr=log, text=True)
    try:
        for _ in range(200):
            try:
                first = view(address, request)
                break
            except ConnectionRefusedError:
                time.sleep(0.025)
        else:
            raise RuntimeError("php -S did not start")
        check(first)
        views = [1]  # every page view the server served, the first and the warm-up ones included
        barrier = threading.Barrier(clients + 1)  # and this thread, which counts the server's switches
        results: list = []
        failures: list = []

        def client() -> None:
            barrier.wait()
            done = 0
            try:
                warm_until = time.perf_counter() + WARMUP
                while time.perf_counter() < warm_until:
                    check(view(address, request))
                    done += 1
                latencies = []
                end = warm_until + seconds
                while True:
                    started = time.perf_counter_ns()
                    if started / 1e9 >= end:
                        break
                    answer = view(address, request)
                    latencies.append(time.perf_counter_ns() - started)
                    done += 1
                    check(answer)
                results.append(latencies)
            except Exception as e:  # noqa: BLE001 - reported after the other threads finish
                failures.append(e)
            finally:
                views.append(done)

        threads = [threading.Thread(target=client) for _ in range(clients)]
        for t in threads:
            t.start()
        barrier.wait()
        time.sleep(WARMUP)
        switches_before = switches(server.pid)
        for t in threads:
            t.join()
        voluntary, involuntary, cpu_us = (now - then for now, then in zip(switches(server.pid), switches_before))
        if failures:
            raise failures[0]
    except BaseException:
        server.terminate()
        server.wait()
        log.seek(0)
        print(log.read(), file=sys.stderr, end="")
        raise
    finally:
        server.terminate()
        server.wait()
        log.close()
    after = mock(base, "GET", "/__mock/state")["counts"]
    counted = lambda key: after.get(key, 0) - before.get(key, 0)
    page_views = sum(views)
    report(results, seconds, {
        "page_views": page_views,
        "get_token": counted(GET_TOKEN),
        "get_token_per_1000_views": counted(GET_TOKEN) * 1000 / page_views,
        "akool_calls": counted("GET /api/open/v3/faceswap/quota/info"),
        "cs": voluntary + involuntary,
        "cs_involuntary": involuntary,
        "cpu_us": round(cpu_us),
    })


def clients(mode: str, base: str, n: int) -> None:
    """bench/php/clients.php MODE BASE N in the PHP CLI with the server's flags; its JSON line as it is."""
    script = PAGES / "clients.php"
    subprocess.run(["php", "-q", *php_flags(), str(script), mode, base, str(n)], check=True)


def auth_headers(base: str, n: int) -> None:
    """bench/php/auth_headers.php BASE N in the PHP CLI with the server's flags; its JSON line as it is."""
    subprocess.run(["php", "-q", *php_flags(), str(PAGES / "auth_headers.php"), base, str(n)], check=True)


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    if mode == "load":
        load(args[0], args[1], int(args[2]), float(args[3]))
    elif mode == "probe":
        probe()
    elif mode in ("construct", "tenants"):
        clients(mode, args[0], int(args[1]))
    elif mode == "auth-headers":
        auth_headers(args[0], int(args[1]))
    else:
        raise SystemExit(f"unknown mode {mode}")

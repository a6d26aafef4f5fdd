"""Connections the server ends between calls (docs/retries.md): closed after sitting idle, as balancers and nginx
do, or all closed by a restart on the same port. No call may fail for it, a create included with retries off, from
the blocking clients (one context switch per call: the calling thread drives its own I/O) or from asyncio; and a
create is never made twice. Also: a blocking call nested in a logging handler on a core thread fails at once, and
the package refuses a sub-interpreter at import.

CI pauses for milliseconds; ``TOKENSMITH_FAULT_IDLE_MS`` and ``TOKENSMITH_FAULT_ROUNDS`` make the long run of
``scripts/test-reliability --long`` (1 s, 100 calls per face)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time

import pytest

import tokensmith
from tokensmith import AceDataPlatform, AkoolClient, AsyncAceDataPlatform, AsyncAkoolClient

from conftest import Mock

QUOTA = "/api/open/v3/faceswap/quota/info"
APP = "107f8d0f-e465-4a7e-a49e-d633d26f7aa2"
PLATFORM_TOKEN = "platform-v1-mock-0123456789"
CLIENT_ID, CLIENT_SECRET = "mock-client-id", "mock-api-key-0123456789abcdefghi"
IDLE_MS = int(os.environ.get("TOKENSMITH_FAULT_IDLE_MS", "50"))
ROUNDS = int(os.environ.get("TOKENSMITH_FAULT_ROUNDS", "5"))


@pytest.fixture
def closing_mock(mock: Mock) -> Mock:
    """The session's mock, closing connections idle for IDLE_MS (turned off again by the next reset), once the
    connections that earlier tests left open are closed: the setting closes them at once, and a request written
    at that very instant is the race no client can win (docs/retries.md)."""
    mock.server.set_idle_close(IDLE_MS)
    time.sleep(2 * IDLE_MS / 1000)
    return mock


def pause_then_maybe_restart(mock: Mock, round_: int) -> None:
    time.sleep(2 * IDLE_MS / 1000)
    if round_ % 2 == 1:
        mock.server.restart()


def test_blocking_calls_survive_idle_closes_and_restarts_without_retries(closing_mock: Mock) -> None:
    platform = AceDataPlatform(PLATFORM_TOKEN, base_url=closing_mock.base_url, max_retries=0)
    akool = AkoolClient.from_client_credentials(CLIENT_ID, CLIENT_SECRET, base_url=closing_mock.base_url, max_retries=0)
    for round_ in range(ROUNDS):
        platform.create_credential(APP)
        assert akool.request("GET", QUOTA)["auth"] == "bearer"
        pause_then_maybe_restart(closing_mock, round_)
    assert len(closing_mock.server.credentials) == ROUNDS, "each create made once"
    # The first round may reuse a connection opened before the reset, which the count does not include.
    assert closing_mock.server.connection_count >= ROUNDS - 1, "the mock closed the idle connections"


def test_asyncio_calls_survive_idle_closes_and_restarts_without_retries(closing_mock: Mock) -> None:
    platform = AsyncAceDataPlatform(PLATFORM_TOKEN, base_url=closing_mock.base_url, max_retries=0)
    akool = AsyncAkoolClient.from_client_credentials(
        CLIENT_ID, CLIENT_SECRET, base_url=closing_mock.base_url, max_retries=0
    )

    async def main() -> None:
        for round_ in range(ROUNDS):
            await platform.create_credential(APP)
            assert (await akool.request("GET", QUOTA))["auth"] == "bearer"
            await asyncio.sleep(2 * IDLE_MS / 1000)
            if round_ % 2 == 1:
                closing_mock.server.restart()

    asyncio.run(main())
    assert len(closing_mock.server.credentials) == ROUNDS, "each create made once"


def test_a_subinterpreter_cannot_import_the_package_and_is_told_why() -> None:
    # Python 3.9 to 3.12 name the module _xxsubinterpreters; it runs code in a new sub-interpreter of a process.
    script = """
import _xxsubinterpreters as interpreters
interp = interpreters.create()
try:
    interpreters.run_string(interp, "import tokensmith; tokensmith.AkoolClient.from_api_key('k' * 32)")
except interpreters.RunFailedError as failure:
    print("refused:", failure)
else:
    print("imported")
"""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "ImportError" in done.stdout and "cannot be imported in a sub-interpreter" in done.stdout, done.stdout
    assert time.monotonic() - started < 30

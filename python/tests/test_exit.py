"""The interpreter exits cleanly after using the clients: the core's threads never call into a finalizing
interpreter (the package stops them at exit). Each case runs in its own interpreter, several times, since a race
at exit shows only sometimes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import Mock

SCRIPT = """
import asyncio, sys, tokensmith
base, mode = sys.argv[1], sys.argv[2]
if mode == "async":
    client = tokensmith.AsyncAkoolClient.from_api_key("mock-api-key-0123456789abcdefghi", base_url=base)
    async def main():
        await asyncio.gather(*(client.request("GET", "/api/open/v3/faceswap/quota/info") for _ in range(50)))
    asyncio.run(main())
else:
    client = tokensmith.AkoolClient.from_api_key("mock-api-key-0123456789abcdefghi", base_url=base)
    for _ in range(50):
        client.request("GET", "/api/open/v3/faceswap/quota/info")
print("done")
"""


@pytest.mark.parametrize("mode", ["async", "sync"])
def test_the_interpreter_exits_cleanly_after_calls(mock: Mock, mode: str) -> None:
    for attempt in range(12):
        run = subprocess.run([sys.executable, "-c", SCRIPT, mock.base_url, mode], capture_output=True, text=True, timeout=60)
        assert (run.returncode, run.stdout.strip()) == (0, "done"), f"attempt {attempt}: {run.returncode} {run.stderr[-500:]}"

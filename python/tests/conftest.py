"""Fixtures: the mock vendor server, started once per session from the workspace's `tokensmith-mock` binary."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import warnings
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict, Iterator

import pytest

REPO = Path(__file__).resolve().parents[2]


class Mock:
    """The running mock: its base URL and its admin endpoints (docs/mock.md)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def _admin(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        with urllib.request.urlopen(request, timeout=10) as answer:
            text = answer.read()
        return json.loads(text) if text else None

    def reset(self) -> None:
        self._admin("POST", "/__mock/reset")

    def fault(self, rule: Dict[str, Any]) -> None:
        self._admin("POST", "/__mock/faults", rule)

    def expire_tokens(self) -> None:
        self._admin("POST", "/__mock/expire-tokens")

    def state(self) -> Dict[str, Any]:
        return self._admin("GET", "/__mock/state")

    def counts(self) -> Dict[str, int]:
        return self.state()["counts"]


def _mock_binary() -> Path:
    path = Path(os.environ.get("TOKENSMITH_MOCK_BIN", REPO / "target" / "debug" / "tokensmith-mock"))
    if not path.exists():
        raise RuntimeError(f"{path} is missing: build it with `cargo build -p tokensmith-mock` (scripts/test does)")
    return path


@pytest.fixture(scope="session")
def mock_server() -> Iterator[Mock]:
    process = subprocess.Popen(
        [str(_mock_binary()), "--addr", "127.0.0.1:0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:"), base_url
        yield Mock(base_url)
    finally:
        process.kill()
        process.wait()


@pytest.fixture
def mock(mock_server: Mock) -> Mock:
    """The session's mock, reset: no counts, tokens, credentials or faults."""
    mock_server.reset()
    return mock_server


def exit_code_in_forked_child(check: Callable[[], bool], what: str) -> int:
    """Runs `check` in a child forked from this process and returns its exit code: 0 when it returned true, 1 when
    false, 2 when it raised. Fails the test if the child hangs (what a client inherited through fork must never do)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Python 3.12 warns about fork with threads
        pid = os.fork()
    if pid == 0:  # the child: must work, or fail at once; never hang
        code = 3
        try:
            code = 0 if check() else 1
        except BaseException:
            code = 2
        finally:
            os._exit(code)
    deadline = time.monotonic() + 20
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail(f"the child hung on {what} inherited through fork")
        time.sleep(0.02)

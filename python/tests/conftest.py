"""Fixtures: the mock vendor server of the package's own testing kit, started in this process once per session."""

from __future__ import annotations

import json
import os
import signal
import time
import warnings
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict

import pytest

from tokensmith.testing import MockServer

REPO = Path(__file__).resolve().parents[2]


class Mock:
    """The testing kit's mock (``tokensmith.testing``, in this process) with the helpers these tests use: faults as
    the rules of docs/mock.md, and the admin endpoints' JSON."""

    def __init__(self, server: MockServer) -> None:
        self.server = server
        self.base_url = server.base_url

    def _admin(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        with urllib.request.urlopen(request, timeout=10) as answer:
            text = answer.read()
        return json.loads(text) if text else None

    def reset(self) -> None:
        self.server.reset()

    def fault(self, rule: Dict[str, Any]) -> None:
        rule = dict(rule)
        self.server.arm(rule.pop("kind"), **rule)

    def expire_tokens(self) -> None:
        self.server.expire_tokens()

    def state(self) -> Dict[str, Any]:
        return self._admin("GET", "/__mock/state")

    def counts(self) -> Dict[str, int]:
        return self.server.counts


@pytest.fixture(scope="session")
def mock_server(tokensmith_mock_server: MockServer) -> Mock:
    """The session's mock: the testing kit's, from the package's own pytest plugin."""
    return Mock(tokensmith_mock_server)


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

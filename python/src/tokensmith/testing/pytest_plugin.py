"""The pytest plugin of ``tokensmith.testing`` (registered through the ``pytest11`` entry point): one mock server
per test session, reset before every test that uses it, so nothing one test sent, armed or created is seen by the
next.

Fixtures: ``tokensmith_mock`` (the :class:`tokensmith.testing.MockServer`), ``tokensmith_akool`` and
``tokensmith_platform`` (clients of it), ``tokensmith_async_akool`` and ``tokensmith_async_platform``.
"""

from __future__ import annotations

from typing import Iterator

import pytest

from .. import AceDataPlatform, AkoolClient, AsyncAceDataPlatform, AsyncAkoolClient
from . import MockServer


@pytest.fixture(scope="session")
def tokensmith_mock_server() -> Iterator[MockServer]:
    """The session's mock server (use ``tokensmith_mock``, which also resets it)."""
    with MockServer() as server:
        yield server


@pytest.fixture
def tokensmith_mock(tokensmith_mock_server: MockServer) -> MockServer:
    """The mock server, with nothing seen, armed or held from earlier tests."""
    tokensmith_mock_server.reset()
    return tokensmith_mock_server


@pytest.fixture
def tokensmith_akool(tokensmith_mock: MockServer) -> AkoolClient:
    """An Akool client of the mock (client credentials: method 2)."""
    return tokensmith_mock.akool()


@pytest.fixture
def tokensmith_platform(tokensmith_mock: MockServer) -> AceDataPlatform:
    """An AceData client of the mock."""
    return tokensmith_mock.platform()


@pytest.fixture
def tokensmith_async_akool(tokensmith_mock: MockServer) -> AsyncAkoolClient:
    """An asyncio Akool client of the mock."""
    return tokensmith_mock.async_akool()


@pytest.fixture
def tokensmith_async_platform(tokensmith_mock: MockServer) -> AsyncAceDataPlatform:
    """An asyncio AceData client of the mock."""
    return tokensmith_mock.async_platform()

"""Many tenants in one process: a client per tenant (or per request) is cheap, shares pooled connections with
the others, and never another tenant's key or token."""

from __future__ import annotations

import asyncio

import tokensmith
from tokensmith.testing import MockServer

QUOTA = "/api/open/v3/faceswap/quota/info"


def tenant(i: int) -> tuple[str, str]:
    return f"tenant-{i}", f"tenant-{i}-secret-0123456789abcdef"


def test_a_client_per_tenant_reuses_one_connection(tokensmith_mock: MockServer) -> None:
    for i in range(40):
        client_id, secret = tenant(i)
        tokensmith_mock.add_tenant(client_id, secret)
        akool = tokensmith.AkoolClient.from_api_key(secret, base_url=tokensmith_mock.base_url)
        assert akool.request("GET", QUOTA)["client_id"] == client_id
    # 40 tenants one after another: one pooled connection (0 when one from an earlier test is still open).
    assert tokensmith_mock.connection_count <= 1


def test_method_2_tenants_fetch_one_token_each_and_use_their_own(tokensmith_mock: MockServer) -> None:
    async def main() -> None:
        clients = []
        for i in range(20):
            client_id, secret = tenant(i)
            tokensmith_mock.add_tenant(client_id, secret)
            clients.append((client_id, tokensmith.AsyncAkoolClient.from_client_credentials(
                client_id, secret, base_url=tokensmith_mock.base_url)))
        calls = [client.request("GET", QUOTA) for _, client in clients for _ in range(5)]
        answers = await asyncio.gather(*calls)
        expected = [client_id for client_id, _ in clients for _ in range(5)]
        assert [(a["auth"], a["client_id"]) for a in answers] == [("bearer", c) for c in expected]

    asyncio.run(main())
    assert tokensmith_mock.token_count == 20


def test_a_pool_idle_timeout_of_zero_keeps_no_connection_between_calls(tokensmith_mock: MockServer) -> None:
    # Its own transport (the setting is part of the transport's key), whose pool keeps nothing idle.
    akool = tokensmith.AkoolClient.from_api_key(tokensmith_mock.api_key, base_url=tokensmith_mock.base_url,
                                                pool_idle_timeout=0)
    for _ in range(3):
        akool.request("GET", QUOTA)
    assert tokensmith_mock.connection_count == 3

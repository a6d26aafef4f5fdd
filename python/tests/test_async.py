"""The asyncio clients: single flight across tasks, cancellation, a responsive event loop, typed errors, fork."""

from __future__ import annotations

import asyncio
import os
import time
from typing import List

import pytest

import tokensmith
from tokensmith import AsyncAceDataPlatform, AsyncAkoolClient

from conftest import Mock, exit_code_in_forked_child

QUOTA = "/api/open/v3/faceswap/quota/info"
GET_TOKEN = "/api/open/v3/getToken"
APP = "107f8d0f-e465-4a7e-a49e-d633d26f7aa2"
API_KEY = "mock-api-key-0123456789abcdefghi"


def akool(mock: Mock) -> AsyncAkoolClient:
    return AsyncAkoolClient.from_client_credentials("mock-client-id", API_KEY, base_url=mock.base_url, initial_backoff=0.01)


def test_sixty_four_first_calls_share_one_token_fetch(mock: Mock) -> None:
    mock.fault({"kind": "delay", "ms": 200, "path": GET_TOKEN})
    client = akool(mock)

    async def main() -> List[object]:
        return list(await asyncio.gather(*(client.request("GET", QUOTA) for _ in range(64))))

    for data in asyncio.run(main()):
        assert data["auth"] == "bearer"  # type: ignore[index]
    assert mock.counts() == {f"POST {GET_TOKEN}": 1, f"GET {QUOTA}": 64}


def test_a_cancelled_call_is_aborted_and_the_client_still_works(mock: Mock) -> None:
    client = AsyncAkoolClient.from_api_key(API_KEY, base_url=mock.base_url)
    mock.fault({"kind": "delay", "ms": 3000, "path": QUOTA})

    async def main() -> object:
        started = time.monotonic()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.request("GET", QUOTA), timeout=0.1)
        assert time.monotonic() - started < 1.0, "cancelling waited for the answer"
        task = asyncio.ensure_future(client.request("GET", QUOTA))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return await client.request("GET", QUOTA)

    mock.fault({"kind": "delay", "ms": 3000, "path": QUOTA})
    assert asyncio.run(main())["auth"] == "x-api-key"  # type: ignore[index]
    assert mock.counts()[f"GET {QUOTA}"] == 3, "cancelled calls are not retried"


def test_the_event_loop_keeps_ticking_while_fifty_calls_wait(mock: Mock) -> None:
    client = AsyncAkoolClient.from_api_key(API_KEY, base_url=mock.base_url)
    mock.fault({"kind": "delay", "ms": 500, "path": QUOTA, "times": 50})

    async def main() -> float:
        worst = 0.0
        done = asyncio.Event()

        async def ticker() -> None:
            nonlocal worst
            last = time.monotonic()
            while not done.is_set():
                await asyncio.sleep(0.01)
                now = time.monotonic()
                worst = max(worst, now - last - 0.01)
                last = now

        tick = asyncio.ensure_future(ticker())
        started = time.monotonic()
        await asyncio.gather(*(client.request("GET", QUOTA) for _ in range(50)))
        elapsed = time.monotonic() - started
        done.set()
        await tick
        assert elapsed < 2.5, f"50 calls of 500 ms did not overlap ({elapsed:.2f} s)"
        return worst

    worst = asyncio.run(main())
    assert worst < 0.05, f"the event loop stalled for {worst * 1000:.0f} ms"


def test_errors_are_the_same_exceptions_as_sync(mock: Mock) -> None:
    platform = AsyncAceDataPlatform("wrong-token", base_url=mock.base_url)

    async def main() -> None:
        with pytest.raises(tokensmith.AuthenticationError) as refused:
            await platform.list_credentials()
        assert refused.value.status == 401 and refused.value.vendor_code == "invalid_token"
        with pytest.raises(tokensmith.InvalidInputError) as bad:
            await platform.create_credential("not-a-uuid")
        assert bad.value.field == "application_id"
        with pytest.raises(tokensmith.UnsupportedError):
            await AsyncAkoolClient.from_api_key(API_KEY, base_url=mock.base_url).token()

    asyncio.run(main())
    assert mock.counts() == {"GET /api/v1/credentials/": 1}


def test_the_credential_lifecycle(mock: Mock) -> None:
    platform = AsyncAceDataPlatform("platform-v1-mock-0123456789", base_url=mock.base_url)

    async def main() -> None:
        created = await platform.create_credential(APP, limited_amount=5)
        assert created.token and created.token not in repr(created)
        rotated = await platform.rotate_credential(created.id)
        assert rotated.token != created.token
        updated = await platform.update_credential(created.id, limited_amount=None)
        assert updated.limited_amount is None
        assert [c.id for c in await platform.list_credentials()] == [created.id]
        await platform.delete_credential(created.id)
        with pytest.raises(tokensmith.NotFoundError):
            await platform.get_credential(created.id)

    asyncio.run(main())


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_an_async_client_used_before_fork_works_in_the_child(mock: Mock) -> None:
    client = akool(mock)
    assert asyncio.run(client.request("GET", QUOTA))["auth"] == "bearer"
    # The child: a new event loop, the inherited client.
    code = exit_code_in_forked_child(lambda: asyncio.run(client.request("GET", QUOTA))["auth"] == "bearer", "an async client")
    assert code == 0
    assert asyncio.run(client.request("GET", QUOTA))["auth"] == "bearer"

"""The asyncio clients: single flight across tasks, cancellation, a responsive event loop, typed errors, fork."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import threading
import time
from typing import Any, Dict, List

import pytest

import tokensmith
from tokensmith import AsyncAceDataPlatform, AsyncAkoolClient
from tokensmith._backend import ffi

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


def test_a_call_that_finishes_after_its_cancellation_is_dropped_silently(mock: Mock) -> None:
    client = AsyncAkoolClient.from_api_key(API_KEY, base_url=mock.base_url)
    reported: List[Dict[str, Any]] = []

    async def main() -> object:
        asyncio.get_running_loop().set_exception_handler(lambda _, context: reported.append(context))
        task = asyncio.ensure_future(client.request("GET", QUOTA))
        await asyncio.sleep(0)  # the call is sent
        time.sleep(0.3)  # blocks the loop: the answer arrives and waits for it
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.sleep(0.05)
        return await client.request("GET", QUOTA)

    unraisable: List[object] = []
    hook, sys.unraisablehook = sys.unraisablehook, unraisable.append
    try:
        assert asyncio.run(main())["auth"] == "x-api-key"  # type: ignore[index]
    finally:
        sys.unraisablehook = hook
    assert reported == [] and unraisable == []


class LoopWithoutReaders(asyncio.SelectorEventLoop):
    """As Windows' ProactorEventLoop: no add_reader."""

    def add_reader(self, *args: Any) -> None:
        raise NotImplementedError


def test_a_loop_without_add_reader_gets_results_and_cancels(mock: Mock) -> None:
    client = AsyncAkoolClient.from_api_key(API_KEY, base_url=mock.base_url)
    mock.fault({"kind": "delay", "ms": 3000, "path": QUOTA, "times": 1})

    async def main() -> List[object]:
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.request("GET", QUOTA), timeout=0.1)
        with pytest.raises(tokensmith.UnsupportedError):
            await client.token()
        return list(await asyncio.gather(*(client.request("GET", QUOTA) for _ in range(20))))

    loop = LoopWithoutReaders()
    try:
        results = loop.run_until_complete(main())
    finally:
        loop.close()
    assert [data["auth"] for data in results] == ["x-api-key"] * 20  # type: ignore[index]


def test_loops_on_several_threads_at_once(mock: Mock) -> None:
    client = AsyncAkoolClient.from_api_key(API_KEY, base_url=mock.base_url)
    mock.fault({"kind": "delay", "ms": 20, "path": QUOTA})
    results: List[List[object]] = []

    def thread() -> None:
        async def main() -> List[object]:
            return list(await asyncio.gather(*(client.request("GET", QUOTA) for _ in range(25))))

        for _ in range(3):
            results.append(asyncio.run(main()))

    threads = [threading.Thread(target=thread) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert [len(r) for r in results] == [25] * 12
    assert mock.counts()[f"GET {QUOTA}"] == 300


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_event_loops_leave_no_descriptors_behind(mock: Mock) -> None:
    client = AsyncAkoolClient.from_api_key(API_KEY, base_url=mock.base_url)

    async def main() -> object:
        return await client.request("GET", QUOTA)

    asyncio.run(main())
    gc.collect()
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(30):
        asyncio.run(main())
    gc.collect()
    assert len(os.listdir("/proc/self/fd")) <= before + 2


def test_a_call_in_flight_when_the_runtime_stops_fails_and_the_next_call_works(mock: Mock) -> None:
    client = AsyncAkoolClient.from_api_key(API_KEY, base_url=mock.base_url)
    mock.fault({"kind": "delay", "ms": 3000, "path": QUOTA, "times": 1})

    async def main() -> object:
        task = asyncio.ensure_future(client.request("GET", QUOTA))
        await asyncio.sleep(0.1)
        ffi.shutdown_runtime()  # what the package does at exit
        with pytest.raises(tokensmith.TransportError):
            await asyncio.wait_for(task, timeout=5)
        return await client.request("GET", QUOTA)

    assert asyncio.run(main())["auth"] == "x-api-key"  # type: ignore[index]


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


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_loop_used_before_fork_works_in_the_child_and_in_the_parent(mock: Mock) -> None:
    client = AsyncAkoolClient.from_api_key(API_KEY, base_url=mock.base_url)
    loop = asyncio.new_event_loop()
    try:
        call = lambda: loop.run_until_complete(client.request("GET", QUOTA))["auth"] == "x-api-key"  # type: ignore[index]
        assert call()
        # The child runs the parent's loop object: its calls come back through a queue of its own.
        assert exit_code_in_forked_child(lambda: call() and call(), "an event loop") == 0
        assert call()
    finally:
        loop.close()

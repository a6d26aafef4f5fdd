"""The asyncio clients: single flight across tasks, cancellation, a responsive event loop, typed errors, fork."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import resource
import select
import sys
import threading
import time
import warnings
from typing import Any, Dict, Iterable, Iterator, List, Tuple

import pytest

import tokensmith
from tokensmith import AkoolClient, AsyncAceDataPlatform, AsyncAkoolClient
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


async def started(client: AsyncAkoolClient) -> "asyncio.Task[Any]":
    """A call of `client`, sent: the loop may stop, and its answer then waits for the loop to run again."""
    task = asyncio.ensure_future(client.request("GET", QUOTA))
    await asyncio.sleep(0)
    return task


def idle_cpu_seconds(loop: asyncio.AbstractEventLoop, seconds: float = 0.2) -> float:
    """The CPU time this process spends while `loop` runs with nothing to do for `seconds`: near 0 unless it spins."""
    cpu = time.process_time()
    loop.run_until_complete(asyncio.sleep(seconds))
    return time.process_time() - cpu


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_child_running_the_parents_loop_does_not_spin_on_a_wake_up_pending_at_fork(mock: Mock) -> None:
    client = AsyncAkoolClient.from_api_key(API_KEY, base_url=mock.base_url)
    loop = asyncio.new_event_loop()
    try:
        pending = loop.run_until_complete(started(client))
        time.sleep(0.3)  # the answer arrives while the loop is stopped: its wake-up is pending when the process forks

        def in_child() -> bool:
            idle = idle_cpu_seconds(loop)
            print(f"the child's idle loop used {idle:.3f} s of CPU in 0.2 s", file=sys.stderr)
            return idle < 0.1 and loop.run_until_complete(client.request("GET", QUOTA))["auth"] == "x-api-key"

        assert exit_code_in_forked_child(in_child, "an event loop with a pending wake-up") == 0
        assert loop.run_until_complete(pending)["auth"] == "x-api-key"  # the parent still gets its answer
        assert loop.run_until_complete(client.request("GET", QUOTA))["auth"] == "x-api-key"
    finally:
        loop.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_child_whose_parent_exited_with_a_wake_up_pending_does_not_spin_on_it(mock: Mock) -> None:
    # The parent forks while a call is in flight (nothing to drain yet), then its answer wakes the parent's loop,
    # which the parent exits without running: only the child, running that loop, is left to see the wake-up.
    mock.fault({"kind": "delay", "ms": 300, "path": QUOTA, "times": 1})
    report, reported = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Python 3.12 warns about fork with threads
        parent = os.fork()
    if parent == 0:  # the loop's owner
        try:
            os.close(report)
            loop = asyncio.new_event_loop()
            loop.run_until_complete(started(AsyncAkoolClient.from_api_key(API_KEY, base_url=mock.base_url)))
            owner = os.getpid()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                child = os.fork()
            if child == 0:  # its child: waits until the owner is gone, then runs the owner's loop idle
                outcome = "the owner did not exit"
                try:
                    deadline = time.monotonic() + 10
                    while time.monotonic() < deadline:
                        try:
                            os.kill(owner, 0)
                        except ProcessLookupError:
                            outcome = f"{idle_cpu_seconds(loop):.3f}"
                            break
                        time.sleep(0.01)
                except BaseException as error:
                    outcome = repr(error)
                finally:
                    os.write(reported, outcome.encode())
                    os._exit(0)
            time.sleep(0.6)  # the answer arrives (at 0.3 s) and wakes the loop, which does not run
        finally:
            os._exit(0)
    os.close(reported)
    try:
        os.waitpid(parent, 0)  # reaped: from now on the child sees its owner gone
        ready, _, _ = select.select([report], [], [], 20)
        outcome = (os.read(report, 200).decode() or "exited without a report") if ready else "no report within 20 s"
    finally:
        os.close(report)
    try:
        idle = float(outcome)
    except ValueError:
        pytest.fail(f"the child: {outcome}")
    assert idle < 0.1, f"the child's idle loop used {idle:.3f} s of CPU in 0.2 s"


class Captured(logging.Handler):
    """Keeps each record's message with the thread that wrote it into `logging`."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: List[Tuple[str, threading.Thread]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.getMessage(), threading.current_thread()))


@contextlib.contextmanager
def debug_logging() -> Iterator[Captured]:
    """The core's records at its most verbose, captured."""
    logger, captured = logging.getLogger("tokensmith"), Captured()
    logger.addHandler(captured)
    logger.setLevel(logging.DEBUG)
    tokensmith.refresh_logging()
    try:
        yield captured
    finally:
        logger.removeHandler(captured)
        logger.setLevel(logging.NOTSET)
        tokensmith.refresh_logging()


def in_order(expected: Iterable[str], messages: Iterable[str]) -> bool:
    """Whether each expected text is in one of the messages, each after the previous one's."""
    rest = iter(messages)
    return all(any(text in message for message in rest) for text in expected)


def hold_the_gil(seconds: float) -> None:
    """Holds the GIL for about `seconds` (at least a few tenths) in one C call, which never lets another thread
    take it: the interpreter only hands the GIL over between bytecodes."""
    n = 1_000_000

    def took() -> float:
        begun = time.perf_counter()
        sum(range(n))
        return time.perf_counter() - begun

    sum(range(int(n * seconds / max(min(took(), took()), 1e-6))))


pyo3_only = pytest.mark.skipif(
    tokensmith.backend != "pyo3", reason="UniFFI calls the UniFFI backend's log sink on the core's threads"
)


@pyo3_only
def test_records_made_on_the_cores_threads_reach_logging_in_order_on_the_calling_thread(mock: Mock) -> None:
    mock.fault({"kind": "status", "status": 503, "path": QUOTA})
    answers: List[Any] = []

    def blocking_call() -> None:
        client = AkoolClient.from_client_credentials("mock-client-id", API_KEY, base_url=mock.base_url, initial_backoff=0.01)
        answers.append(client.request("GET", QUOTA))

    with debug_logging() as captured:
        # A blocking call on a thread of its own: the token fetch runs on the core's threads, the request on this one.
        caller = threading.Thread(target=blocking_call, name="caller")
        caller.start()
        caller.join(30)
        of_caller = list(captured.records)
        # An async call: the token fetch and the request run on the core's threads.
        mock.fault({"kind": "status", "status": 503, "path": QUOTA})
        answers.append(asyncio.run(akool(mock).request("GET", QUOTA)))
        of_loop = captured.records[len(of_caller):]
    assert [data["auth"] for data in answers] == ["bearer", "bearer"]
    expected = [
        f"POST {GET_TOKEN} -> 200",
        "fetched a new Akool token",
        f"GET {QUOTA} -> 503",
        f"retrying GET {QUOTA} in",
        f"GET {QUOTA} -> 200",
    ]
    for records, thread in ((of_caller, caller), (of_loop, threading.main_thread())):
        assert [(message, t.name) for message, t in records if t is not thread] == [], f"not written on {thread.name}"
        assert in_order(expected, [message for message, _ in records]), records


@pyo3_only
def test_a_python_thread_holding_the_gil_does_not_hold_up_a_call_that_logs(mock: Mock) -> None:
    mock.fault({"kind": "status", "status": 503, "path": QUOTA, "times": 1})
    client = AsyncAkoolClient.from_api_key(API_KEY, base_url=mock.base_url, initial_backoff=0.05)

    async def main() -> Tuple[int, Any]:
        task = await started(client)
        # The 503 arrives, is logged and retried (after 25 to 50 ms) while this thread holds the GIL, unless the
        # core's thread waits for the GIL to log it.
        hold_the_gil(0.5)
        sent = mock.counts().get(f"GET {QUOTA}", 0)
        return sent, await task

    with debug_logging() as captured:
        sent, data = asyncio.run(main())
    assert sent == 2, "the retry waited for the GIL"
    assert data["auth"] == "x-api-key"
    assert in_order([f"GET {QUOTA} -> 503", f"GET {QUOTA} -> 200"], [message for message, _ in captured.records])


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


def test_a_call_that_needs_no_io_wakes_no_thread(mock: Mock) -> None:
    """auth_headers with an API key, and with a token fetched once and cached: answered where they are awaited.
    Through the loop's completion queue, each would wake a thread of the core and then the loop: two switches a
    call (2000 here)."""
    method2 = akool(mock)
    api_key = AsyncAkoolClient.from_api_key(API_KEY, base_url=mock.base_url)

    async def switches(client: AsyncAkoolClient) -> int:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_nvcsw
        for _ in range(1000):
            await client.auth_headers()
        return resource.getrusage(resource.RUSAGE_SELF).ru_nvcsw - before

    async def main() -> Dict[str, int]:
        await method2.token()
        return {"api_key": await switches(api_key), "cached_token": await switches(method2)}

    for name, count in asyncio.run(main()).items():
        assert count < 200, f"{name}: {count} context switches in 1000 calls"

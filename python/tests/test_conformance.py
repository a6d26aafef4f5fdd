"""The Python runner of the shared conformance suite (tests/conformance/cases.json; format in its README).

Every case runs twice: with the sync clients (a step's ``threads`` are threads) and with the asyncio clients (its
``threads`` are tasks on one event loop). One dispatcher serves both: it awaits what the async clients return.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import threading
import time
from typing import Any, Dict, List, Optional, Tuple

import pytest

import tokensmith
from tokensmith import (
    KEEP,
    AceDataPlatform,
    AkoolClient,
    AsyncAceDataPlatform,
    AsyncAkoolClient,
    Credential,
    TokensmithError,
    WebhookVerifier,
)

from conftest import REPO, Mock

SUITE = json.loads((REPO / "tests" / "conformance" / "cases.json").read_text(encoding="utf-8"))
CANARY: str = SUITE["canary"]
KIND_NAMES = {
    "InvalidInput", "MissingConfig", "Unsupported", "Authentication", "AccountBanned", "RateLimited", "Billing",
    "InvalidRequest", "NotFound", "Api", "Server", "Timeout", "Transport", "WebhookRejected", "Decode",
}


def credential_json(c: Credential) -> Dict[str, Any]:
    fields = ["id", "user_id", "application_id", "type", "token", "username", "password", "host",
              "limited_amount", "used_amount", "expired_at", "created_at", "updated_at", "name"]
    return {name: getattr(c, name) for name in fields}


def application_json(a: Any) -> Dict[str, Any]:
    fields = ["id", "user_id", "service_id", "type", "scope", "remaining_amount", "used_amount", "created_at",
              "updated_at"]
    return {name: getattr(a, name) for name in fields}


def call_options(call: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """A step's ``call`` object as the keyword arguments of one call (the timeout in seconds)."""
    if call is None:
        return {}
    options = {key: value for key, value in call.items() if key != "timeout_ms"}
    if "timeout_ms" in call:
        options["timeout"] = call["timeout_ms"] / 1000
    return options


async def collected(items: Any) -> List[Any]:
    """The items of a generator or an async generator."""
    if hasattr(items, "__aiter__"):
        return [item async for item in items]
    return list(items)


def error_json(e: TokensmithError) -> Dict[str, Any]:
    return {"kind": e.kind, "akool_code": e.akool_code, "status": e.status, "vendor_code": e.vendor_code,
            "field": e.field, "retry_after_seconds": e.retry_after, "webhook_reason": e.reason, "trace_id": e.trace_id}


async def resolved(value: Any) -> Any:
    """The value, awaited if an async client returned an awaitable."""
    return await value if inspect.isawaitable(value) else value


def matches(expected: Any, actual: Any, created: Dict[str, Any], at: str = "") -> None:
    if isinstance(expected, dict):
        for key, want in expected.items():
            got = actual.get(key) if isinstance(actual, dict) else None
            if want == "$absent":
                assert got is None, f"{at}{key}: expected absent, got {got!r}"
            elif want == "$changed":
                assert got is not None and got != created.get(key), f"{at}{key}: expected a change from {got!r}"
            else:
                matches(want, got, created, f"{at}{key}.")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{at}: expected {expected!r}, got {actual!r}"
        for want, got in zip(expected, actual):
            matches(want, got, created, at)
    elif expected == "$present":
        assert actual is not None, f"{at}: expected present"
    elif isinstance(expected, str) and expected.startswith("$prefix:"):
        prefix = expected[len("$prefix:"):]
        assert isinstance(actual, str) and actual.startswith(prefix), f"{at}: expected {expected}, got {actual!r}"
    elif isinstance(expected, str) and expected.startswith("$"):
        raise AssertionError(f"unknown matcher {expected}")
    elif isinstance(expected, (int, float)) and not isinstance(expected, bool):
        assert isinstance(actual, (int, float)) and abs(actual - expected) < 1e-9, f"{at}: expected {expected}, got {actual!r}"
    else:
        assert expected == actual, f"{at}: expected {expected!r}, got {actual!r}"


Outcome = Tuple[Any, Optional[TokensmithError], float]


class CaseRunner:
    def __init__(self, spec: Dict[str, Any], mock: Mock, mode: str) -> None:
        self.mode = mode
        self.spec = spec
        self.mock = mock
        self.client: Any = None
        self.created: Dict[str, Any] = {}

    def setting(self, key: str) -> str:
        value = self.spec["client"].get(key, SUITE["demo"].get(key))
        return CANARY if value == "$canary" else value

    def build(self) -> Any:
        spec = self.spec["client"]
        timeout = spec.get("request_timeout_ms")
        options = dict(
            base_url=spec.get("base_url", self.mock.base_url),
            initial_backoff=0.01,
            request_timeout=None if timeout is None else timeout / 1000,
        )
        kind = spec["type"]
        akool = AsyncAkoolClient if self.mode == "async" else AkoolClient
        platform = AsyncAceDataPlatform if self.mode == "async" else AceDataPlatform
        if kind == "akool_api_key":
            return akool.from_api_key(self.setting("api_key"), **options)
        if kind == "akool_client_credentials":
            return akool.from_client_credentials(self.setting("client_id"), self.setting("client_secret"), **options)
        if kind == "acedata":
            return platform(self.setting("platform_token"), **options)
        if kind == "webhook":
            return WebhookVerifier(self.setting("client_id"), self.setting("client_secret"))
        raise AssertionError(f"unknown client type {kind}")

    def sub(self, value: Any) -> Any:
        if isinstance(value, str) and "id" in self.created:
            return value.replace("$created.id", self.created["id"])
        return value

    async def call(self, op: str, args: Dict[str, Any]) -> Any:
        a = {key: self.sub(value) for key, value in args.items()}
        o = call_options(a.get("call"))
        c = self.client
        if op == "token":
            return {"token": await resolved(c.token())}
        if op == "auth_headers":
            return await resolved(c.auth_headers())
        if op == "request":
            return await resolved(c.request(a["method"], a["path"], a.get("body"), **o))
        if op == "create_credential":
            return credential_json(await resolved(c.create_credential(
                a["application_id"], host=a.get("host"), limited_amount=a.get("limited_amount"), expired_at=a.get("expired_at"),
                name=a.get("name"), allowed_api_ids=a.get("allowed_api_ids"), metadata=a.get("metadata"), **o)))
        if op == "list_credentials":
            page = await resolved(c.list_credentials(application_id=a.get("application_id"), host=a.get("host"),
                                                     limit=a.get("limit"), offset=a.get("offset"), **o))
            return {"count": page.count, "items": [credential_json(item) for item in page]}
        if op == "iter_credentials":
            items = await collected(c.iter_credentials(application_id=a.get("application_id"), host=a.get("host"),
                                                       limit=a.get("limit"), **o))
            return {"count": len(items), "items": [credential_json(item) for item in items]}
        if op == "list_applications":
            apps = await resolved(c.list_applications(limit=a.get("limit"), offset=a.get("offset"), **o))
            return {"count": apps.count, "items": [application_json(item) for item in apps]}
        if op == "get_application":
            return application_json(await resolved(c.get_application(a["id"], **o)))
        if op == "get_credential":
            return credential_json(await resolved(c.get_credential(a["id"], **o)))
        if op == "update_credential":
            limited = None if a.get("clear_limited_amount") else a.get("limited_amount", KEEP)
            expiry = None if a.get("clear_expired_at") else a.get("expired_at", KEEP)
            return credential_json(await resolved(c.update_credential(a["id"], name=a.get("name"), limited_amount=limited, expired_at=expiry, **o)))
        if op == "rotate_credential":
            return credential_json(await resolved(c.rotate_credential(a["id"], **o)))
        if op == "delete_credential":
            return await resolved(c.delete_credential(a["id"], **o))
        if op == "webhook_verify":
            event = c.verify(a["body"].encode(), expected_id=a.get("expected_id"))
            return {"id": event.id, "status": event.status, "timestamp_ms": event.timestamp_ms, "nonce": event.nonce,
                    "payload": event.payload}
        raise AssertionError(f"unknown op {op}")

    async def timed(self, op: str, args: Dict[str, Any]) -> Tuple[Any, Optional[TokensmithError], float]:
        started = time.monotonic()
        try:
            return await self.call(op, args), None, time.monotonic() - started
        except TokensmithError as error:
            return None, error, time.monotonic() - started

    def check(self, at: str, expect: Dict[str, Any], result: Any, error: Optional[TokensmithError], elapsed: float) -> None:
        if self.spec.get("canary"):
            forms = [] if error is None else [str(error), repr(error), error.message, str(error.args)]
            if self.client is not None:
                forms += [str(self.client), repr(self.client)]
            leaks = [form for form in forms if CANARY in form]
            assert not leaks, f"{at}: the canary leaked: {leaks}"
        wanted_error = expect.get("error")
        if wanted_error is None:
            assert error is None, f"{at}: expected success, got {error!r}"
            if "result" in expect:
                expected = json.loads(self.sub(json.dumps(expect["result"])))
                matches(expected, result, self.created, f"{at}: ")
            assert elapsed * 1000 >= expect.get("min_elapsed_ms", 0), f"{at}: too fast ({elapsed:.3f} s)"
        else:
            assert error is not None, f"{at}: expected an error, got {result!r}"
            assert error.kind in KIND_NAMES, error.kind
            wanted = dict(wanted_error)
            part = wanted.pop("message_contains", None)
            if part is not None:
                assert part in str(error), f"{at}: {str(error)!r} lacks {part!r}"
            matches(wanted, error_json(error), {}, f"{at}: ")

    def on_threads(self, threads: int, op: str, args: Dict[str, Any]) -> List[Outcome]:
        outcomes: List[Outcome] = []
        barrier = threading.Barrier(threads)

        def worker() -> None:
            barrier.wait()
            outcomes.append(asyncio.run(self.timed(op, args)))

        workers = [threading.Thread(target=worker) for _ in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        return outcomes

    def on_tasks(self, tasks: int, op: str, args: Dict[str, Any]) -> List[Outcome]:
        async def all_at_once() -> List[Outcome]:
            return list(await asyncio.gather(*(self.timed(op, args) for _ in range(tasks))))

        return asyncio.run(all_at_once())

    def run(self) -> None:
        for index, step in enumerate(self.spec["steps"]):
            op, args = step["op"], step.get("args", {})
            at = f"step {index} ({op})"
            if op == "fault":
                self.mock.fault(args)
                continue
            if op == "expire_tokens":
                self.mock.expire_tokens()
                continue
            expect = step.get("expect", {"ok": True})
            if self.client is None:
                try:
                    self.client = self.build()
                except TokensmithError as error:
                    self.check(at, expect, None, error, 0.0)
                    return
            if op == "build":
                self.check(at, expect, None, None, 0.0)
                continue
            threads = step.get("threads", 1)
            outcomes = self.on_tasks(threads, op, args) if self.mode == "async" else self.on_threads(threads, op, args)
            assert len(outcomes) == threads
            for result, error, elapsed in outcomes:
                if op == "create_credential" and error is None:
                    self.created = result
                self.check(at, expect, result, error, elapsed)
        expected_counts = {self.sub(k): v for k, v in self.spec["counts"].items()}
        state = self.mock.state()
        assert state["counts"] == expected_counts
        if "state" in self.spec:
            matches(self.spec["state"], state, {})


@pytest.mark.parametrize("mode", ["blocking", "async"])
@pytest.mark.parametrize("spec", SUITE["cases"], ids=[case["name"] for case in SUITE["cases"]])
def test_case(spec: Dict[str, Any], mode: str, mock: Mock) -> None:
    CaseRunner(spec, mock, mode).run()


def test_the_suite_is_not_empty() -> None:
    assert len(SUITE["cases"]) >= 25
    assert tokensmith.__version__

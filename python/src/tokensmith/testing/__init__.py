"""A testing kit: the mock Akool and AceData APIs in this process, for testing your own code offline.

The mock listens on a free loopback port, accepts the demo credentials below, remembers the requests it saw and
the credentials it holds, and can be told to misbehave (faults: statuses, delays, dropped and reset connections,
Akool codes 1101/1005/1200, expired tokens, idle keep-alive connections closed, a restart). It is the server tokensmith's own tests run against; what it reproduces, and what
it does not, is in docs/testing.md.

With pytest, the plugin that comes with the package gives the fixtures ``tokensmith_mock`` (a fresh mock for each
test), ``tokensmith_akool``, ``tokensmith_platform`` and their ``tokensmith_async_*`` twins. Without pytest::

    with MockServer() as mock:
        platform = mock.platform()
        platform.create_credential(mock.application_id)
        assert mock.requests[-1].path == "/api/v1/credentials/"
"""

from __future__ import annotations

import json as _json
from typing import Any, Dict, List, Optional

from .._acedata import AceDataPlatform, AsyncAceDataPlatform
from .._akool import AkoolClient, AsyncAkoolClient
from .._backend import ffi
from .._errors import InvalidInputError, call

_DEMO: Dict[str, str] = _json.loads(ffi.mock_demo_json())


class SeenRequest:
    """A request the mock received: ``method``, ``path`` (with its query), ``headers`` (lower-case names),
    ``json`` (the parsed body, or None), and the W3C trace context it carried, ``traceparent`` and
    ``tracestate`` (None when it carried none)."""

    __slots__ = ("method", "path", "headers", "json", "traceparent", "tracestate")

    def __init__(self, seen: Dict[str, Any]) -> None:
        self.method: str = seen["method"]
        self.path: str = seen["path"]
        self.headers: Dict[str, str] = seen["headers"]
        self.json: Any = seen["json"]
        self.traceparent: Optional[str] = seen.get("traceparent")
        self.tracestate: Optional[str] = seen.get("tracestate")

    def __repr__(self) -> str:
        return f"SeenRequest({self.method} {self.path})"


class MockServer:
    """The mock vendor APIs on a free loopback port, in this process; stopped by :meth:`close` (or ``with``)."""

    #: The Akool API key (and client secret) the mock accepts.
    api_key: str = _DEMO["api_key"]
    #: The Akool client id the mock accepts.
    client_id: str = _DEMO["client_id"]
    #: The Akool client secret the mock accepts (the API key, as at Akool).
    client_secret: str = _DEMO["client_secret"]
    #: The AceData platform token the mock accepts.
    platform_token: str = _DEMO["platform_token"]
    #: An application whose credentials are ``Token`` ones.
    application_id: str = _DEMO["application_id"]
    #: An application of a proxy service, whose credentials are ``Identity`` ones.
    proxy_application_id: str = _DEMO["proxy_application_id"]

    def __init__(self) -> None:
        self._native: Any = call(ffi.NativeMockServer.start)

    @property
    def base_url(self) -> str:
        """Both APIs' base URL, e.g. ``http://127.0.0.1:41234``: pass it as ``base_url=``."""
        return str(self._native.base_url())

    def arm(self, kind: str, **rule: Any) -> None:
        """Arms a fault for the next matching requests, e.g. ``arm("status", status=503, times=2)``,
        ``arm("akool_code", code=1101)``, ``arm("delay", ms=500, path="/api/v1/credentials/")``,
        ``arm("drop_after", method="POST")``, ``arm("close_after")``, ``arm("reset")``; the rules are in
        docs/mock.md."""
        call(self._native.arm, _json.dumps({"kind": kind, **rule}))

    @property
    def requests(self) -> List[SeenRequest]:
        """The requests seen since the last reset, oldest first, with credentials redacted."""
        return self.requests_revealed(False)

    def requests_revealed(self, reveal: bool = True) -> List[SeenRequest]:
        """The requests seen, with credentials shown (``reveal=True``): for tests of what was sent."""
        return [SeenRequest(seen) for seen in _json.loads(self._native.requests_json(reveal))]

    @property
    def counts(self) -> Dict[str, int]:
        """How many requests arrived, by ``"METHOD /path"``."""
        return dict(_json.loads(self._native.counts_json()))

    @property
    def token_count(self) -> int:
        """How many tokens Akool's getToken issued."""
        return int(self._native.tokens_issued())

    @property
    def connection_count(self) -> int:
        """How many TCP connections the mock accepted since the last reset: clients of equal settings share
        pooled connections, so many tenants' sequential calls count one."""
        return int(self._native.connections())

    def add_tenant(self, client_id: str, client_secret: str) -> None:
        """Adds an Akool account besides the demo one (``client_secret`` is also its API key), for tests of many
        tenants; each call's answer names the ``client_id`` it authenticated as."""
        self._native.add_tenant(client_id, client_secret)

    @property
    def credentials(self) -> List[Dict[str, Any]]:
        """The AceData credentials the mock holds, as the platform returns them."""
        return list(_json.loads(self._native.credentials_json()))

    def expire_tokens(self) -> None:
        """Expires every Akool token issued so far: the next call with one is answered 1101."""
        self._native.expire_tokens()

    def send_webhook(self, url: str, payload: Dict[str, Any]) -> int:
        """Posts an Akool webhook of ``payload`` (e.g. ``{"_id": job_id, "status": 3, "url": ...}``) to ``url``
        (loopback ``http://``), signed and encrypted as Akool does with the demo client id and secret; returns
        the status your handler answered."""
        return int(call(self._native.send_webhook, url, _json.dumps(payload)))

    def set_idle_close(self, ms: Optional[int]) -> None:
        """Closes a keep-alive connection once it has had no request in flight for ``ms`` milliseconds (``None``:
        never, the default), as servers do (nginx's ``keepalive_timeout``, Node's ``keepAliveTimeout`` of 5 s): with
        a FIN, and no ``Connection: close`` on the answer before. A connection that has not answered yet is left
        open; open connections follow a change at once; :meth:`reset` turns it off."""
        if ms is not None and ms < 0:
            raise InvalidInputError(f"invalid ms: must not be negative, got {ms}", field="ms")
        self._native.set_idle_close_ms(ms)

    def restart(self) -> None:
        """Restarts the mock on the same port, as a server process restarting would: every open connection is
        closed (a request in flight gets no answer) and a new listener is bound; tenants, tokens, credentials,
        counts and faults are kept. Returns once the new listener accepts."""
        call(self._native.restart)

    def reset(self) -> None:
        """Forgets requests, counts, tokens, credentials, faults and the idle close."""
        self._native.reset()

    def close(self) -> None:
        """Stops the server."""
        self._native = None

    def __enter__(self) -> "MockServer":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def akool(self, **options: Any) -> AkoolClient:
        """A client of the mock with client credentials (method 2); ``options`` as for any client."""
        return AkoolClient.from_client_credentials(self.client_id, self.client_secret, **self._options(options))

    def platform(self, **options: Any) -> AceDataPlatform:
        """An AceData client of the mock."""
        return AceDataPlatform(self.platform_token, **self._options(options))

    def async_akool(self, **options: Any) -> AsyncAkoolClient:
        """:meth:`akool` for asyncio."""
        return AsyncAkoolClient.from_client_credentials(self.client_id, self.client_secret, **self._options(options))

    def async_platform(self, **options: Any) -> AsyncAceDataPlatform:
        """:meth:`platform` for asyncio."""
        return AsyncAceDataPlatform(self.platform_token, **self._options(options))

    def _options(self, options: Dict[str, Any]) -> Dict[str, Any]:
        # Quick retries keep fault tests fast; a caller's own values win.
        return {"base_url": self.base_url, "initial_backoff": 0.01, **options}

    def __repr__(self) -> str:
        return f"MockServer({self.base_url if self._native is not None else 'closed'})"


__all__ = ["MockServer", "SeenRequest"]


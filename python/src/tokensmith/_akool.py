"""``AkoolClient``: authenticated calls to the Akool OpenAPI."""

from __future__ import annotations

import json as _json
from typing import TYPE_CHECKING, Any, ClassVar, Dict, Optional, Union

from ._backend import ffi
from ._config import CallOptions, ClientOptions, call_options, config, text
from ._errors import acall, call

if TYPE_CHECKING:
    from typing_extensions import Self, Unpack


class _Akool:
    """What both clients share: the constructors (methods 1 and 2, or the environment)."""

    __slots__ = ("_inner",)
    _native: ClassVar[str]

    def __init__(self, inner: Any) -> None:
        """Internal: use the ``from_*`` constructors."""
        self._inner = inner

    @classmethod
    def from_api_key(cls, api_key: str, **options: Unpack[ClientOptions]) -> Self:
        """Method 1: every request carries ``x-api-key``."""
        return cls(call(getattr(ffi, cls._native).from_api_key, api_key, config(options)))

    @classmethod
    def from_client_credentials(cls, client_id: str, client_secret: str, **options: Unpack[ClientOptions]) -> Self:
        """Method 2: a bearer token is fetched once with the client id and secret, then sent as Authorization."""
        native = getattr(ffi, cls._native)
        return cls(call(native.from_client_credentials, client_id, client_secret, config(options)))

    @classmethod
    def from_env(cls, **options: Unpack[ClientOptions]) -> Self:
        """From ``AKOOL_API_KEY``, else ``AKOOL_CLIENT_ID`` + ``AKOOL_CLIENT_SECRET``; ``AKOOL_BASE_URL``."""
        return cls(call(getattr(ffi, cls._native).from_env, config(options)))

    def invalidate_token(self, stale: str) -> None:
        """Forgets ``stale``, a token Akool refused (1101) on a call you made with your own HTTP client, so the
        next ``auth_headers()`` fetches a new one. A burst of such reports from many threads or tasks causes one
        fetch; a token that was already replaced is ignored. See :func:`tokensmith.is_token_expired`."""
        self._inner.invalidate_token(stale)

    def __repr__(self) -> str:
        return repr(self._inner)


def is_token_expired(body: Union[bytes, str]) -> bool:
    """Whether an Akool answer's body says the token was refused as invalid or expired (``code`` 1101)."""
    return bool(ffi.is_token_expired(text(body)))


class AkoolClient(_Akool):
    """A client of the Akool OpenAPI. Thread-safe: share one per process.

    Build it with :meth:`from_api_key` (method 1, recommended), :meth:`from_client_credentials` (method 2) or
    :meth:`from_env`. Options are the keywords of :class:`tokensmith.ClientOptions` (durations in seconds);
    ``None`` keeps the default. Calls block (with the GIL released);
    :class:`AsyncAkoolClient` is the asyncio twin.
    """

    __slots__ = ()
    _native = "AkoolClient"

    # The one definition of the methods of both clients: python/tests/generate_async.py writes AsyncAkoolClient's
    # from these, with ``async def`` and each ``call(`` (a native call) as ``await acall(``.

    def token(self) -> str:
        """The bearer token (method 2), fetched once and shared by all threads and tasks. A secret: do not log it."""
        return str(call(self._inner.token))

    def auth_headers(self) -> Dict[str, str]:
        """The auth header(s) to put on a request made with another HTTP library."""
        return dict(call(self._inner.auth_headers))

    def request(self, method: str, path: str, json: Any = None, **options: Unpack[CallOptions]) -> Any:
        """An authenticated call; returns the answer's ``data``, parsed. Any code but 1000 raises. Takes the
        keywords of :class:`tokensmith.CallOptions` (``timeout=`` seconds, ``headers=``, ``max_retries=``)."""
        return _json.loads(call(self._inner.request, method, path, _body(json), call_options(options)))


class AsyncAkoolClient(_Akool):
    """:class:`AkoolClient` for asyncio (FastAPI, Starlette, aiohttp): the same constructors and methods, as
    coroutines that never block the event loop.

    One token fetch serves every task (and every thread of a sync client built alike). Cancelling a call (its
    task, or a timeout around it) aborts its request and leaves the client usable.
    """

    __slots__ = ()
    _native = "AsyncAkoolClient"

    # Below: generated from AkoolClient by python/tests/generate_async.py (edit AkoolClient, then run it).

    async def token(self) -> str:
        """The bearer token (method 2), fetched once and shared by all threads and tasks. A secret: do not log it."""
        return str(await acall(self._inner.token))

    async def auth_headers(self) -> Dict[str, str]:
        """The auth header(s) to put on a request made with another HTTP library."""
        return dict(await acall(self._inner.auth_headers))

    async def request(self, method: str, path: str, json: Any = None, **options: Unpack[CallOptions]) -> Any:
        """An authenticated call; returns the answer's ``data``, parsed. Any code but 1000 raises. Takes the
        keywords of :class:`tokensmith.CallOptions` (``timeout=`` seconds, ``headers=``, ``max_retries=``)."""
        return _json.loads(await acall(self._inner.request, method, path, _body(json), call_options(options)))


def _body(json: Any) -> Optional[str]:
    return None if json is None else _json.dumps(json)

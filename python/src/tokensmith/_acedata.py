"""``AceDataPlatform``: the AceData Cloud credential lifecycle."""

from __future__ import annotations

import datetime as _dt
import json as _json
from typing import TYPE_CHECKING, Any, ClassVar, Iterator, List, Mapping, Optional, Sequence, Union

from ._backend import ffi
from ._config import ClientOptions, config, count
from ._errors import acall, call

if TYPE_CHECKING:
    from typing_extensions import Self, Unpack


class _Keep:
    """The type of :data:`KEEP`."""

    def __repr__(self) -> str:
        return "KEEP"


#: Leaves a field of :meth:`AceDataPlatform.update_credential` unchanged (``None`` clears it).
KEEP = _Keep()

Timestamp = Union[str, _dt.datetime]


def _timestamp(value: Optional[Timestamp]) -> Optional[str]:
    # The core checks the format (RFC 3339 with an offset); a naive datetime is refused there.
    return value.isoformat() if isinstance(value, _dt.datetime) else value


class Credential:
    """A credential. ``token`` and ``password`` are secrets: ``str()`` and ``repr()`` never show them."""

    __slots__ = ("_inner",)

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    @property
    def id(self) -> str:
        return self._inner.id()

    @property
    def user_id(self) -> Optional[str]:
        return self._inner.user_id()

    @property
    def application_id(self) -> str:
        return self._inner.application_id()

    @property
    def type(self) -> str:
        """``"Token"`` or ``"Identity"`` (or a newer kind, as the platform spells it)."""
        return self._inner.kind_name()

    @property
    def token(self) -> Optional[str]:
        """The bearer token of a ``Token`` credential."""
        return self._inner.token()

    @property
    def username(self) -> Optional[str]:
        return self._inner.username()

    @property
    def password(self) -> Optional[str]:
        """The password of an ``Identity`` credential."""
        return self._inner.password()

    @property
    def host(self) -> Optional[str]:
        return self._inner.host()

    @property
    def limited_amount(self) -> Optional[float]:
        return self._inner.limited_amount()

    @property
    def used_amount(self) -> Optional[float]:
        return self._inner.used_amount()

    @property
    def expired_at(self) -> Optional[str]:
        return self._inner.expired_at()

    @property
    def created_at(self) -> Optional[str]:
        return self._inner.created_at()

    @property
    def updated_at(self) -> Optional[str]:
        return self._inner.updated_at()

    @property
    def name(self) -> Optional[str]:
        return self._inner.name()

    def __str__(self) -> str:
        return str(self._inner)

    def __repr__(self) -> str:
        return f"<{self}>"


class CredentialPage:
    """One page of credentials: ``count`` in all, ``items`` on this page. Iterable."""

    __slots__ = ("count", "items")

    def __init__(self, count: int, items: List[Credential]) -> None:
        self.count = count
        self.items = items

    @classmethod
    def _of(cls, page: Any) -> "CredentialPage":
        return cls(page.count, [Credential(item) for item in page.items])

    def __iter__(self) -> Iterator[Credential]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        return f"CredentialPage(count={self.count}, items={self.items!r})"


class _Platform:
    """What both clients share: construction, and turning keyword arguments into the native records."""

    __slots__ = ("_inner",)
    _native: ClassVar[str]

    def __init__(self, platform_token: str, **options: Unpack[ClientOptions]) -> None:
        self._inner = call(getattr(ffi, self._native), platform_token, config(options))

    @classmethod
    def from_env(cls, **options: Unpack[ClientOptions]) -> Self:
        """From ``ACEDATA_PLATFORM_TOKEN``; ``ACEDATA_PLATFORM_BASE_URL`` overrides the base."""
        platform = cls.__new__(cls)
        platform._inner = call(getattr(ffi, cls._native).from_env, config(options))
        return platform

    def __repr__(self) -> str:
        return repr(self._inner)


def _new(
    application_id: str,
    host: Optional[str],
    limited_amount: Optional[float],
    expired_at: Optional[Timestamp],
    name: Optional[str],
    allowed_api_ids: Optional[Sequence[str]],
    metadata: Optional[Mapping[str, Any]],
) -> Any:
    return call(
        ffi.NewCredential,
        application_id=application_id,
        host=host,
        limited_amount=limited_amount,
        expired_at=_timestamp(expired_at),
        name=name,
        allowed_api_ids=None if allowed_api_ids is None else list(allowed_api_ids),
        metadata_json=None if metadata is None else _json.dumps(dict(metadata)),
    )


def _filter(application_id: Optional[str], host: Optional[str], limit: Optional[int], offset: Optional[int]) -> Any:
    return call(
        ffi.CredentialFilter,
        application_id=application_id,
        host=host,
        limit=count("limit", limit),
        offset=count("offset", offset),
    )


def _changes(
    name: Optional[str],
    limited_amount: Union[float, None, _Keep],
    expired_at: Union[Timestamp, None, _Keep],
    allowed_api_ids: Optional[Sequence[str]],
) -> Any:
    return call(
        ffi.CredentialChanges,
        name=name,
        limited_amount=None if isinstance(limited_amount, _Keep) else limited_amount,
        clear_limited_amount=limited_amount is None,
        expired_at=None if isinstance(expired_at, _Keep) else _timestamp(expired_at),
        clear_expired_at=expired_at is None,
        allowed_api_ids=None if allowed_api_ids is None else list(allowed_api_ids),
    )


class AceDataPlatform(_Platform):
    """A client of the AceData Cloud platform API. Thread-safe: share one per process.

    Takes the keyword options of :class:`tokensmith.ClientOptions`, as :class:`AkoolClient` does.
    """

    __slots__ = ()
    _native = "AceDataPlatform"

    def create_credential(
        self,
        application_id: str,
        *,
        host: Optional[str] = None,
        limited_amount: Optional[float] = None,
        expired_at: Optional[Timestamp] = None,
        name: Optional[str] = None,
        allowed_api_ids: Optional[Sequence[str]] = None,
        metadata: Optional[Mapping[str, Any]] = None,
    ) -> Credential:
        """Creates a credential (``metadata``: your own JSON object, kept with it). Never created twice."""
        new = _new(application_id, host, limited_amount, expired_at, name, allowed_api_ids, metadata)
        return Credential(call(self._inner.create_credential, new))

    def list_credentials(
        self,
        *,
        application_id: Optional[str] = None,
        host: Optional[str] = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
    ) -> CredentialPage:
        """One page of credentials, optionally of one application or host."""
        return CredentialPage._of(call(self._inner.list_credentials, _filter(application_id, host, limit, offset)))

    def get_credential(self, id: str) -> Credential:
        return Credential(call(self._inner.get_credential, id))

    def update_credential(
        self,
        id: str,
        *,
        name: Optional[str] = None,
        limited_amount: Union[float, None, _Keep] = KEEP,
        expired_at: Union[Timestamp, None, _Keep] = KEEP,
        allowed_api_ids: Optional[Sequence[str]] = None,
    ) -> Credential:
        """Changes a credential. ``limited_amount=None`` removes the limit, ``expired_at=None`` the expiry."""
        changes = _changes(name, limited_amount, expired_at, allowed_api_ids)
        return Credential(call(self._inner.update_credential, id, changes))

    def rotate_credential(self, id: str) -> Credential:
        """A new token for the same credential; the old one stops working at once. Never retried once sent."""
        return Credential(call(self._inner.rotate_credential, id))

    def delete_credential(self, id: str) -> None:
        """Deletes a credential; it stops working at once."""
        call(self._inner.delete_credential, id)


class AsyncAceDataPlatform(_Platform):
    """:class:`AceDataPlatform` for asyncio: the same constructors and methods, as coroutines.

    Cancelling a call (its task, or a timeout around it) aborts its request and leaves the client usable. A
    cancelled ``create_credential`` or ``rotate_credential`` may or may not have reached the server; it is never
    retried, so list the credentials to find out.
    """

    __slots__ = ()
    _native = "AsyncAceDataPlatform"

    async def create_credential(
        self,
        application_id: str,
        *,
        host: Optional[str] = None,
        limited_amount: Optional[float] = None,
        expired_at: Optional[Timestamp] = None,
        name: Optional[str] = None,
        allowed_api_ids: Optional[Sequence[str]] = None,
        metadata: Optional[Mapping[str, Any]] = None,
    ) -> Credential:
        """Creates a credential (``metadata``: your own JSON object, kept with it). Never created twice."""
        new = _new(application_id, host, limited_amount, expired_at, name, allowed_api_ids, metadata)
        return Credential(await acall(self._inner.create_credential, new))

    async def list_credentials(
        self,
        *,
        application_id: Optional[str] = None,
        host: Optional[str] = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
    ) -> CredentialPage:
        """One page of credentials, optionally of one application or host."""
        flt = _filter(application_id, host, limit, offset)
        return CredentialPage._of(await acall(self._inner.list_credentials, flt))

    async def get_credential(self, id: str) -> Credential:
        return Credential(await acall(self._inner.get_credential, id))

    async def update_credential(
        self,
        id: str,
        *,
        name: Optional[str] = None,
        limited_amount: Union[float, None, _Keep] = KEEP,
        expired_at: Union[Timestamp, None, _Keep] = KEEP,
        allowed_api_ids: Optional[Sequence[str]] = None,
    ) -> Credential:
        """Changes a credential. ``limited_amount=None`` removes the limit, ``expired_at=None`` the expiry."""
        changes = _changes(name, limited_amount, expired_at, allowed_api_ids)
        return Credential(await acall(self._inner.update_credential, id, changes))

    async def rotate_credential(self, id: str) -> Credential:
        """A new token for the same credential; the old one stops working at once. Never retried once sent."""
        return Credential(await acall(self._inner.rotate_credential, id))

    async def delete_credential(self, id: str) -> None:
        """Deletes a credential; it stops working at once."""
        await acall(self._inner.delete_credential, id)

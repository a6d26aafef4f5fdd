"""``AceDataPlatform``: the AceData Cloud credential lifecycle."""

from __future__ import annotations

import datetime as _dt
import json as _json
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    ClassVar,
    Generic,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    TypeVar,
    Union,
)

from ._backend import ffi
from ._config import CallOptions, ClientOptions, call_options, config, count
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


class Application:
    """An application of yours: its ``id`` is the ``application_id`` a credential is created for."""

    __slots__ = (
        "id",
        "user_id",
        "service_id",
        "type",
        "scope",
        "remaining_amount",
        "used_amount",
        "created_at",
        "updated_at",
    )

    def __init__(self, inner: Any) -> None:
        self.id: str = inner.id
        self.user_id: Optional[str] = inner.user_id
        self.service_id: Optional[str] = inner.service_id
        #: The type as the platform spells it (``Api``, ``Proxy``, ...).
        self.type: Optional[str] = inner.kind
        self.scope: Optional[str] = inner.scope
        self.remaining_amount: Optional[float] = inner.remaining_amount
        self.used_amount: Optional[float] = inner.used_amount
        self.created_at: Optional[str] = inner.created_at
        self.updated_at: Optional[str] = inner.updated_at

    def __repr__(self) -> str:
        return f"Application(id={self.id!r}, type={self.type!r}, service_id={self.service_id!r})"


T = TypeVar("T")


class Page(Generic[T]):
    """One page of a list: ``count`` in all, ``items`` on this page. Iterable."""

    __slots__ = ("count", "items")

    def __init__(self, count: int, items: List[T]) -> None:
        self.count = count
        self.items = items

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(count={self.count}, items={self.items!r})"


class CredentialPage(Page[Credential]):
    """One page of credentials."""

    __slots__ = ()

    @classmethod
    def _of(cls, page: Any) -> "CredentialPage":
        return cls(page.count, [Credential(item) for item in page.items])


class ApplicationPage(Page[Application]):
    """One page of applications."""

    __slots__ = ()

    @classmethod
    def _of(cls, page: Any) -> "ApplicationPage":
        return cls(page.count, [Application(item) for item in page.items])


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

    def _pages(self, flt: Any, options: Mapping[str, Any]) -> Any:
        """The native pager of ``iter_credentials``. Building it does no I/O, so the async client does not await it
        (generate_async.py makes each ``call(`` in a method awaited); its pages are fetched."""
        return call(self._inner.credential_pages, flt, call_options(options))

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


def _app_filter(limit: Optional[int], offset: Optional[int]) -> Any:
    return call(ffi.ApplicationFilter, limit=count("limit", limit), offset=count("offset", offset))


class AceDataPlatform(_Platform):
    """A client of the AceData Cloud platform API. Thread-safe: share one per process.

    Takes the keyword options of :class:`tokensmith.ClientOptions`, as :class:`AkoolClient` does. Every call also
    takes the keywords of :class:`tokensmith.CallOptions` (``timeout=`` seconds, ``headers=``, ``max_retries=``)
    for that call alone.
    """

    __slots__ = ()
    _native = "AceDataPlatform"

    # The one definition of the methods of both clients: python/tests/generate_async.py writes AsyncAceDataPlatform's
    # from these, with ``async def``, each ``call(`` (a native call) as ``await acall(`` and ``Iterator`` as
    # ``AsyncIterator``.

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
        **options: Unpack[CallOptions],
    ) -> Credential:
        """Creates a credential (``metadata``: your own JSON object, kept with it). Never created twice."""
        new = _new(application_id, host, limited_amount, expired_at, name, allowed_api_ids, metadata)
        return Credential(call(self._inner.create_credential, new, call_options(options)))

    def list_credentials(
        self,
        *,
        application_id: Optional[str] = None,
        host: Optional[str] = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        **options: Unpack[CallOptions],
    ) -> CredentialPage:
        """One page of credentials, optionally of one application or host."""
        flt = _filter(application_id, host, limit, offset)
        return CredentialPage._of(call(self._inner.list_credentials, flt, call_options(options)))

    def iter_credentials(
        self,
        *,
        application_id: Optional[str] = None,
        host: Optional[str] = None,
        limit: Optional[int] = None,
        **options: Unpack[CallOptions],
    ) -> Iterator[Credential]:
        """Every matching credential, fetching page after page (``limit`` is the page size, default 100)."""
        pages = self._pages(_filter(application_id, host, limit, None), options)
        # Each page is traced as an ``acedata.list_credentials`` call; once the last was listed, none is asked for.
        while not pages.is_done():
            page = call(pages.next_page)
            if page is None:
                return
            for item in page:
                yield Credential(item)

    def get_credential(self, id: str, **options: Unpack[CallOptions]) -> Credential:
        """One credential, by its id."""
        return Credential(call(self._inner.get_credential, id, call_options(options)))

    def update_credential(
        self,
        id: str,
        *,
        name: Optional[str] = None,
        limited_amount: Union[float, None, _Keep] = KEEP,
        expired_at: Union[Timestamp, None, _Keep] = KEEP,
        allowed_api_ids: Optional[Sequence[str]] = None,
        **options: Unpack[CallOptions],
    ) -> Credential:
        """Changes a credential. ``limited_amount=None`` removes the limit, ``expired_at=None`` the expiry."""
        changes = _changes(name, limited_amount, expired_at, allowed_api_ids)
        return Credential(call(self._inner.update_credential, id, changes, call_options(options)))

    def rotate_credential(self, id: str, **options: Unpack[CallOptions]) -> Credential:
        """A new token for the same credential; the old one stops working at once. Never retried once sent."""
        return Credential(call(self._inner.rotate_credential, id, call_options(options)))

    def delete_credential(self, id: str, **options: Unpack[CallOptions]) -> None:
        """Deletes a credential; it stops working at once."""
        call(self._inner.delete_credential, id, call_options(options))

    def list_applications(
        self, *, limit: Optional[int] = None, offset: Optional[int] = None, **options: Unpack[CallOptions]
    ) -> ApplicationPage:
        """One page of your applications: their ids are what credentials are created for."""
        flt = _app_filter(limit, offset)
        return ApplicationPage._of(call(self._inner.list_applications, flt, call_options(options)))

    def get_application(self, id: str, **options: Unpack[CallOptions]) -> Application:
        """One application, by its id."""
        return Application(call(self._inner.get_application, id, call_options(options)))


class AsyncAceDataPlatform(_Platform):
    """:class:`AceDataPlatform` for asyncio: the same constructors and methods, as coroutines
    (``iter_credentials`` is an async generator: ``async for credential in platform.iter_credentials()``).

    Cancelling a call (its task, or a timeout around it) aborts its request and leaves the client usable. A
    cancelled ``create_credential`` or ``rotate_credential`` may or may not have reached the server; it is never
    retried, so list the credentials to find out.
    """

    __slots__ = ()
    _native = "AsyncAceDataPlatform"

    # Below: generated from AceDataPlatform by python/tests/generate_async.py (edit AceDataPlatform, then run it).

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
        **options: Unpack[CallOptions],
    ) -> Credential:
        """Creates a credential (``metadata``: your own JSON object, kept with it). Never created twice."""
        new = _new(application_id, host, limited_amount, expired_at, name, allowed_api_ids, metadata)
        return Credential(await acall(self._inner.create_credential, new, call_options(options)))

    async def list_credentials(
        self,
        *,
        application_id: Optional[str] = None,
        host: Optional[str] = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        **options: Unpack[CallOptions],
    ) -> CredentialPage:
        """One page of credentials, optionally of one application or host."""
        flt = _filter(application_id, host, limit, offset)
        return CredentialPage._of(await acall(self._inner.list_credentials, flt, call_options(options)))

    async def iter_credentials(
        self,
        *,
        application_id: Optional[str] = None,
        host: Optional[str] = None,
        limit: Optional[int] = None,
        **options: Unpack[CallOptions],
    ) -> AsyncIterator[Credential]:
        """Every matching credential, fetching page after page (``limit`` is the page size, default 100)."""
        pages = self._pages(_filter(application_id, host, limit, None), options)
        # Each page is traced as an ``acedata.list_credentials`` call; once the last was listed, none is asked for.
        while not pages.is_done():
            page = await acall(pages.next_page)
            if page is None:
                return
            for item in page:
                yield Credential(item)

    async def get_credential(self, id: str, **options: Unpack[CallOptions]) -> Credential:
        """One credential, by its id."""
        return Credential(await acall(self._inner.get_credential, id, call_options(options)))

    async def update_credential(
        self,
        id: str,
        *,
        name: Optional[str] = None,
        limited_amount: Union[float, None, _Keep] = KEEP,
        expired_at: Union[Timestamp, None, _Keep] = KEEP,
        allowed_api_ids: Optional[Sequence[str]] = None,
        **options: Unpack[CallOptions],
    ) -> Credential:
        """Changes a credential. ``limited_amount=None`` removes the limit, ``expired_at=None`` the expiry."""
        changes = _changes(name, limited_amount, expired_at, allowed_api_ids)
        return Credential(await acall(self._inner.update_credential, id, changes, call_options(options)))

    async def rotate_credential(self, id: str, **options: Unpack[CallOptions]) -> Credential:
        """A new token for the same credential; the old one stops working at once. Never retried once sent."""
        return Credential(await acall(self._inner.rotate_credential, id, call_options(options)))

    async def delete_credential(self, id: str, **options: Unpack[CallOptions]) -> None:
        """Deletes a credential; it stops working at once."""
        await acall(self._inner.delete_credential, id, call_options(options))

    async def list_applications(
        self, *, limit: Optional[int] = None, offset: Optional[int] = None, **options: Unpack[CallOptions]
    ) -> ApplicationPage:
        """One page of your applications: their ids are what credentials are created for."""
        flt = _app_filter(limit, offset)
        return ApplicationPage._of(await acall(self._inner.list_applications, flt, call_options(options)))

    async def get_application(self, id: str, **options: Unpack[CallOptions]) -> Application:
        """One application, by its id."""
        return Application(await acall(self._inner.get_application, id, call_options(options)))

"""Client and call options as keyword arguments, converted to the native records; the layer's conversions.

The options are declared once, as the ``ClientOptions`` and ``CallOptions`` typed dicts that every constructor and
call takes as ``**options`` (PEP 692), so editors and mypy check each keyword. The client settings themselves are
the core's table (``for_each_client_setting!``): a ``ClientOptions`` key is a native setting, a ``float`` one in
seconds for the setting of the same name with ``_ms``, so a new setting is one annotated line here. Values are only
converted here (seconds by the core's :func:`milliseconds`, counts, bodies to text), nowhere else in the layer; the
core checks them, so both backends refuse the same values with the same error.
"""

from __future__ import annotations

import sys
from typing import Any, Mapping, Optional, Sequence, Tuple, TypedDict, Union, get_args, get_origin, get_type_hints

from ._errors import InvalidInputError, call
from ._backend import ffi

#: Appended to the core's User-Agent so the vendor can tell Python callers apart.
USER_AGENT_SUFFIX = f"python/{sys.version_info.major}.{sys.version_info.minor}"

#: The largest count the native layer takes (a 32-bit signed integer, as Java can pass it).
_MAX_COUNT = 2**31 - 1


class ClientOptions(TypedDict, total=False):
    """Keyword options of every client constructor; a missing key or ``None`` keeps the core's default."""

    #: Another base URL (https, or http to loopback).
    base_url: Optional[str]
    #: Seconds to wait for a connection (default 10; must be > 0).
    connect_timeout: Optional[float]
    #: Seconds one attempt may take, body included (default 60; must be > 0).
    request_timeout: Optional[float]
    #: Retries after the first attempt (default 2).
    max_retries: Optional[int]
    #: Seconds before the first retry (default 0.25; doubles per retry, jittered).
    initial_backoff: Optional[float]
    #: Seconds an unused pooled connection is kept for the next call (default 90; 0 closes it after each call).
    pool_idle_timeout: Optional[float]
    #: Appended to the User-Agent after ``python/3.X``, e.g. your service's name.
    user_agent_suffix: Optional[str]
    #: Extra CA certificates (PEM strings) to trust besides the system's.
    root_certificates: Sequence[str]
    #: This client's telemetry (docs/observability.md): ``"on"`` (default), ``"no_propagation"`` (spans, but no
    #: trace context sent to the vendor) or ``"off"`` (no spans, nothing sent).
    telemetry: Optional[str]


def milliseconds(name: str, seconds: Optional[float]) -> Optional[int]:
    """Seconds as whole milliseconds, by the core's conversion (which refuses a number that is not finite); a
    negative value is passed on for the core to refuse, naming ``name``."""
    if seconds is None:
        return None
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, not {type(seconds).__name__}")
    millis: int = call(ffi.millis_from_seconds, name, float(seconds))
    return millis


def count(name: str, value: Optional[int]) -> Optional[int]:
    """A count as the native layer takes it; a negative value is passed on for the core to refuse."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value > _MAX_COUNT:
        raise InvalidInputError(f"invalid {name}: must be at most {_MAX_COUNT}, got {value}", field=name)
    return value


def text(body: Union[bytes, str]) -> str:
    """A body as the native layer takes it: bytes decoded as UTF-8 (a bad byte replaced), a ``str`` as it is."""
    return body.decode("utf-8", errors="replace") if isinstance(body, (bytes, bytearray)) else body


def _refuse_unknown(options: Mapping[str, Any], known: Mapping[str, Any]) -> None:
    """A ``TypeError`` for keywords that are not ``known``, as any Python function raises."""
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise TypeError(f"unexpected keyword argument(s): {', '.join(unknown)}")


class CallOptions(TypedDict, total=False):
    """Keyword options of every call (``request`` and each AceData method), over the client's settings."""

    #: Seconds one attempt of this call may take (must be > 0).
    timeout: Optional[float]
    #: Extra headers for this call; auth headers (``authorization``, ``x-api-key``) cannot be overridden.
    headers: Mapping[str, str]
    #: Retries after the first attempt for this call (0: none).
    max_retries: Optional[int]


def call_options(options: Mapping[str, Any]) -> Any:
    """The native record for a call's ``CallOptions``, or None when none is set; an unknown keyword is a
    ``TypeError``, as for any Python function."""
    if not options:
        return None
    _refuse_unknown(options, CallOptions.__annotations__)
    headers = options.get("headers") or {}
    if not isinstance(headers, Mapping):
        raise TypeError(f"headers must be a mapping of names to values, not {type(headers).__name__}")
    return ffi.CallOptions(
        timeout_ms=milliseconds("timeout", options.get("timeout")),
        headers={str(name): str(value) for name, value in headers.items()},
        max_retries=count("max_retries", options.get("max_retries")),
    )


def _without_none(hint: Any) -> Any:
    """``X`` for ``Optional[X]``, else the hint itself."""
    if get_origin(hint) is Union:
        return next(arg for arg in get_args(hint) if arg is not type(None))
    return hint


#: The type of each ``ClientOptions`` value, which says how it crosses.
_SETTING_TYPES = {name: _without_none(hint) for name, hint in get_type_hints(ClientOptions).items()}


def _setting(name: str, value: Any) -> Tuple[str, Any]:
    """The native setting for one ``ClientOptions`` keyword: seconds as the core's ``*_ms``, counts checked, PEM
    strings as a list."""
    kind = _SETTING_TYPES[name]
    if kind is float:
        return f"{name}_ms", milliseconds(name, value)
    if kind is int:
        return name, count(name, value)
    if kind is str:
        return name, value
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a sequence of PEM strings, not {type(value).__name__}")
    return name, list(value)


def config(options: Mapping[str, Any]) -> Any:
    """The native config record for ``options`` (a ``ClientOptions``); an unknown keyword is a ``TypeError``."""
    _refuse_unknown(options, ClientOptions.__annotations__)
    settings = dict(_setting(name, value) for name, value in options.items() if value is not None)
    settings["user_agent_suffix"] = " ".join(filter(None, (USER_AGENT_SUFFIX, settings.get("user_agent_suffix"))))
    return ffi.ClientConfig(**settings)

"""Client and call options as keyword arguments, converted to the native records; the layer's conversions.

The options are declared once, as the ``ClientOptions`` and ``CallOptions`` typed dicts that every constructor and
call takes as ``**options`` (PEP 692), so editors and mypy check each keyword. Values are only converted here
(seconds to milliseconds in :func:`milliseconds`, counts, bodies to text), nowhere else in the layer; the core
checks them, so both backends refuse the same values with the same error.
"""

from __future__ import annotations

import math
import sys
from typing import Any, Mapping, Optional, Sequence, TypedDict, Union

from ._errors import InvalidInputError
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
    #: Extra CA certificates (PEM strings) to trust besides the system's.
    root_certificates: Sequence[str]


def milliseconds(name: str, seconds: Optional[float]) -> Optional[int]:
    """Seconds as whole milliseconds; a negative value is passed on for the core to refuse, naming ``name``."""
    if seconds is None:
        return None
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, not {type(seconds).__name__}")
    if not math.isfinite(seconds):
        raise InvalidInputError(f"invalid {name}: must be a finite number of seconds", field=name)
    return round(seconds * 1000)


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


def config(options: Mapping[str, Any]) -> Any:
    """The native config record for ``options`` (a ``ClientOptions``); an unknown keyword is a ``TypeError``."""
    _refuse_unknown(options, ClientOptions.__annotations__)
    certificates = options.get("root_certificates") or ()
    if isinstance(certificates, str):
        raise TypeError("root_certificates must be a sequence of PEM strings, not one string")
    return ffi.ClientConfig(
        base_url=options.get("base_url"),
        connect_timeout_ms=milliseconds("connect_timeout", options.get("connect_timeout")),
        request_timeout_ms=milliseconds("request_timeout", options.get("request_timeout")),
        max_retries=count("max_retries", options.get("max_retries")),
        initial_backoff_ms=milliseconds("initial_backoff", options.get("initial_backoff")),
        user_agent_suffix=USER_AGENT_SUFFIX,
        root_certificates_pem=list(certificates),
    )

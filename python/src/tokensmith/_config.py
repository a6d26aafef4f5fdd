"""Client options as keyword arguments, converted to the core's config record."""

from __future__ import annotations

import sys
from typing import Optional, Sequence

from ._backend import ffi

#: Appended to the core's User-Agent so the vendor can tell Python callers apart.
USER_AGENT_SUFFIX = f"python/{sys.version_info.major}.{sys.version_info.minor}"


def _ms(seconds: Optional[float]) -> Optional[int]:
    # Negative values become 0, which the core refuses with an error naming the setting.
    return None if seconds is None else max(0, round(seconds * 1000))


def config(
    base_url: Optional[str] = None,
    connect_timeout: Optional[float] = None,
    request_timeout: Optional[float] = None,
    max_retries: Optional[int] = None,
    initial_backoff: Optional[float] = None,
    root_certificates: Sequence[str] = (),
) -> "ffi.ClientConfig":
    """The config record; ``None`` keeps the core's default (timeouts in seconds)."""
    return ffi.ClientConfig(
        base_url=base_url,
        connect_timeout_ms=_ms(connect_timeout),
        request_timeout_ms=_ms(request_timeout),
        max_retries=max_retries,
        initial_backoff_ms=_ms(initial_backoff),
        user_agent_suffix=USER_AGENT_SUFFIX,
        root_certificates_pem=list(root_certificates),
    )

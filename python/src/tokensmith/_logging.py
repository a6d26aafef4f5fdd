"""The core's log records in Python's ``logging``, under the logger ``tokensmith`` (one child per core module,
e.g. ``tokensmith.transport``), on both backends: the PyO3 extension bridges them with ``pyo3-log``; the UniFFI
one hands them to the sink below. Configure them as any logger: ``logging.getLogger("tokensmith").setLevel(...)``.

The native side asks for a level before formatting a record, and remembers the answer (asking takes the GIL):
after changing the level of a ``tokensmith`` logger at run time, call :func:`refresh_logging`.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from ._backend import ffi

#: Python's level for each native level name.
_LEVELS = {
    "ERROR": logging.ERROR,
    "WARN": logging.WARNING,
    "INFO": logging.INFO,
    "DEBUG": logging.DEBUG,
    "TRACE": 5,
}


def _logger_name(target: str) -> str:
    return target.replace("::", ".")


class _Sink(getattr(ffi, "LogSink", object)):  # type: ignore[misc]
    """The UniFFI backend's ``LogSink``: one record into the logger named for the core module that wrote it."""

    def log(self, level: Any, target: str, message: str, trace_id: Any = None, span_id: Any = None) -> None:
        logger = logging.getLogger(_logger_name(target))
        number = _LEVELS.get(level.name, logging.DEBUG)
        if trace_id is None:
            logger.log(number, message)
        elif logger.isEnabledFor(number):
            # A traced call's ids, under the names OpenTelemetry's logging instrumentation gives them; set on the
            # record, not as `extra`, which raises where that instrumentation's record factory set them already.
            record = logger.makeRecord(logger.name, number, "(unknown file)", 0, message, (), None)
            record.otelTraceID, record.otelSpanID = trace_id, span_id
            logger.handle(record)


def _native_level(level: int) -> Any:
    """The most verbose native level that ``level`` lets through."""
    for name, value in sorted(_LEVELS.items(), key=lambda item: item[1]):
        if value >= level:
            return getattr(ffi.LogLevel, name)
    return ffi.LogLevel.ERROR


def _uniffi_refresh() -> None:
    ffi.set_log_sink(_SINK, _native_level(logging.getLogger("tokensmith").getEffectiveLevel()))


_SINK = _Sink()

#: Makes the native side read the levels of the ``tokensmith`` loggers again.
refresh_logging: Callable[[], None] = getattr(ffi, "refresh_logging", _uniffi_refresh)
refresh_logging()

__all__ = ["refresh_logging"]

"""OpenTelemetry: the spans and metrics of every call, reported through ``opentelemetry-api`` when it is installed
(``pip install tokensmith[otel]``) and the application configured an SDK; nothing to call for it.

How (``docs/observability.md``): the operation span (``akool.request``, ``acedata.create_credential``, ...) starts
here, on the caller's thread, as a child of the current span of the caller's ``contextvars`` context, and is
current while the native call runs (so log records made meanwhile carry its ids). Its context goes into the
propagation headers, through the global propagator, which the core sends on every attempt of the call. When the
call returns, the core's report becomes the attempt spans (children of the operation span, with their recorded
times), the token fetch's span and the metrics; then the operation span ends.

The UniFFI backend takes no trace per call: the core asks ``_Hook`` (its telemetry hook, as on the JVM and in Swift)
to start the operation span, on the caller's thread and in its context, and hands it the same report when the call
ended. The spans are the same; the operation span is not current while the call runs.

Off costs a check or two per call: when ``opentelemetry`` is not installed, when no SDK is configured (the global
tracer provider is still the API's proxy), when ``TOKENSMITH_TELEMETRY=off``, or after ``disable()``.
"""

from __future__ import annotations

import itertools
import os
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from ._backend import ffi

try:
    from opentelemetry import context as _context
    from opentelemetry import metrics as _metrics
    from opentelemetry import propagate as _propagate
    from opentelemetry import trace as _trace
    from opentelemetry.trace import SpanKind, Status, StatusCode
except ImportError:  # the extra is not installed: telemetry stays off
    _trace = None  # type: ignore[assignment]

#: The native module takes a trace per call (the PyO3 backend): this layer starts each operation span.
_NATIVE = hasattr(ffi, "CallTrace")
#: Else the core asks a hook (the UniFFI backend, as on the JVM and in Swift): ``_Hook`` below starts them.
_HOOKED = not _NATIVE and hasattr(ffi, "set_telemetry_hook")

_MISSING = object()
#: A provider named in the environment is loaded by the API on first use: then ask the API each time.
_AUTOLOADED = "OTEL_PYTHON_TRACER_PROVIDER" in os.environ

_state: Dict[str, Any] = {
    "on": _trace is not None and (_NATIVE or _HOOKED) and ffi.telemetry_enabled(),
    "propagate": True,
    "provider": None,
    "tracer": None,
    "meter_provider": None,
    "instruments": {},
}


def disable() -> None:
    """Turns telemetry off in this process (``TOKENSMITH_TELEMETRY=off`` does the same from the environment)."""
    _state["on"] = False
    if _HOOKED:
        ffi.set_telemetry_hook(None)


def enable(*, propagate: bool = True) -> None:
    """Turns telemetry back on, where OpenTelemetry is installed; ``propagate=False`` sends no ``traceparent``
    (the spans, the token fetch's parent and the log records' ids stay).

    With the UniFFI backend it also ends the second in which the core does not ask again after a call found no SDK
    configured: call it after configuring the SDK late, to trace the very next call."""
    _state["on"] = _trace is not None and (_NATIVE or _HOOKED) and ffi.telemetry_enabled()
    _state["propagate"] = propagate
    if _HOOKED:
        ffi.set_telemetry_hook(_Hook() if _state["on"] else None)


def tracer() -> Any:
    """The tracer for this layer to start an operation span with, or None when telemetry is off or the core asks
    the hook instead: the check every call makes."""
    if not _state["on"] or _HOOKED:
        return None
    return _sdk_tracer()


def _sdk_tracer() -> Any:
    """The tokensmith tracer of the configured SDK, or None when none is configured."""
    # The API's global, read directly: get_tracer_provider() reads the environment on every call while no SDK is set
    # (about a microsecond), and this is the check every call makes.
    if getattr(_trace, "_TRACER_PROVIDER", _MISSING) is None and not _AUTOLOADED:
        return None
    provider = _trace.get_tracer_provider()
    if provider is not _state["provider"]:
        _state["provider"] = provider
        configured = not isinstance(provider, (_trace.ProxyTracerProvider, _trace.NoOpTracerProvider))
        _state["tracer"] = provider.get_tracer("tokensmith", ffi.core_version()) if configured else None
    return _state["tracer"]


def operation(function: Callable[..., Any]) -> Optional[str]:
    """The operation a native method performs (``akool.request``), or None for one that is not traced."""
    name = getattr(function, "__name__", "")
    owner = type(getattr(function, "__self__", None)).__name__
    if owner.endswith("CredentialPages") and name == "next_page":
        return "acedata.list_credentials"  # a page of iter_credentials is one list call
    vendor = "akool" if "Akool" in owner else "acedata" if "AceData" in owner else None
    found = f"{vendor}.{name}"
    return found if vendor and found in _OPERATIONS else None


_OPERATIONS = frozenset(ffi.telemetry_operations()) if _NATIVE else frozenset()


class Traced:
    """One traced call: ``start`` before the native call, ``end`` after it, whatever happened."""

    __slots__ = ("span", "native", "token")

    def __init__(self, tracer: Any, name: str) -> None:
        self.span = tracer.start_span(name, kind=SpanKind.INTERNAL)
        context = _trace.set_span_in_context(self.span)
        carrier: Dict[str, str] = {}
        _propagate.inject(carrier, context=context)
        self.native = ffi.CallTrace(name, list(carrier.items()), _state["propagate"])
        self.token = _context.attach(context)

    def arguments(self, args: Sequence[Any]) -> List[Any]:
        """The call's arguments, its options (always the last) carrying the trace."""
        options = args[-1] if args else None
        traced = ffi.CallOptions(trace=self.native) if options is None else options.with_trace(self.native)
        return [*args[:-1], traced] if args else [traced]

    def end(self, error: Optional[BaseException]) -> None:
        """Reports the call; telemetry never fails a call, so what goes wrong here is dropped."""
        try:
            _context.detach(self.token)
            _report(self.span, self.native.report(), error)
        except Exception:  # noqa: BLE001 - an SDK's or exporter's failure is not the call's
            pass
        finally:
            self.span.end()


def start(tracer: Any, function: Callable[..., Any], args: Sequence[Any]) -> Tuple[Optional[Traced], List[Any]]:
    """A traced call of ``function`` if it is an operation, with the arguments to call it with."""
    name = operation(function)
    if name is None or getattr(getattr(function, "__self__", None), "telemetry", "on") == "off":
        return None, list(args)
    try:
        traced = Traced(tracer, name)
    except Exception:  # noqa: BLE001 - telemetry never fails a call: this one goes untraced
        return None, list(args)
    try:
        return traced, traced.arguments(args)
    except Exception:  # noqa: BLE001
        traced.end(None)
        return None, list(args)


def _report(span: Any, report: Dict[str, Any], error: Optional[BaseException]) -> None:
    span.set_attributes(report["attributes"])
    if report["error_type"] is not None:
        span.set_status(Status(StatusCode.ERROR, report["error_type"]))
    elif error is not None:  # not the core's (a cancellation, a KeyboardInterrupt)
        span.set_attribute("error.type", type(error).__name__)
        span.set_status(Status(StatusCode.ERROR, type(error).__name__))
    operation_context = _trace.set_span_in_context(span)
    for attempt in report["attempts"]:
        _finished(attempt, operation_context)
    _record(report["measurements"])
    fetch = report["token_fetch"]
    if fetch is not None:
        link = _token_fetch(fetch, operation_context)
        if link is not None and not fetch["fetch"].is_leader:
            span.add_link(link)


def _token_fetch(fetch: Dict[str, Any], operation_context: Any) -> Any:
    """The span context of the shared token fetch: made here if this call claims it, else the claimant's."""
    shared = fetch["fetch"]
    parent_headers = shared.claim()
    if parent_headers is None:
        headers = shared.wait()
        return None if headers is None else _trace.get_current_span(_propagate.extract(dict(headers))).get_span_context()
    try:
        parent = _propagate.extract(dict(parent_headers)) if parent_headers else operation_context
        span = _finished(fetch["span"], parent, end=False)
        fetch_context = _trace.set_span_in_context(span)
        # Published first: its context is known now, and the other calls wait for nothing else.
        carrier: Dict[str, str] = {}
        _propagate.inject(carrier, context=fetch_context)
        shared.publish(list(carrier.items()))
        for attempt in fetch["attempts"]:
            _finished(attempt, fetch_context)
        span.end(end_time=_nanos(fetch["span"]["end"]))
        _record(fetch["measurements"])
        return span.get_span_context()
    except BaseException:
        shared.abandon()
        raise


def _finished(data: Dict[str, Any], parent: Any, end: bool = True) -> Any:
    kind = SpanKind.CLIENT if data["kind"] == "client" else SpanKind.INTERNAL
    span = _state["tracer"].start_span(
        data["name"], context=parent, kind=kind, attributes=data["attributes"], start_time=_nanos(data["start"])
    )
    if data["error_type"] is not None:
        span.set_status(Status(StatusCode.ERROR, data["error_type"]))
    if end:
        span.end(end_time=_nanos(data["end"]))
    return span


def _nanos(time: Sequence[int]) -> int:
    """A report's ``[seconds, nanoseconds]`` since the epoch as the nanoseconds OpenTelemetry's Python API takes."""
    return time[0] * 1_000_000_000 + time[1]


def _record(measurements: List[Dict[str, Any]]) -> None:
    provider = _metrics.get_meter_provider()
    if type(provider).__module__.startswith("opentelemetry.metrics"):  # the API's proxy or no-op: no SDK
        return
    if provider is not _state["meter_provider"]:
        _state["meter_provider"], _state["instruments"] = provider, {}
    meter = None
    for m in measurements:
        instrument = _state["instruments"].get(m["instrument"])
        if instrument is None:
            meter = meter or provider.get_meter("tokensmith", ffi.core_version())
            if m["kind"] == "histogram":
                instrument = meter.create_histogram(m["instrument"], unit=m["unit"], description=m["description"],
                                                    explicit_bucket_boundaries_advisory=m["boundaries"])
            else:
                instrument = meter.create_counter(m["instrument"], unit=m["unit"], description=m["description"])
            _state["instruments"][m["instrument"]] = instrument
        if m["kind"] == "histogram":
            instrument.record(m["value"], m["attributes"])
        else:
            instrument.add(m["value"], m["attributes"])


class _Hook(ffi.TelemetryHook if _HOOKED else object):  # type: ignore[misc]
    """The core's telemetry hook (UniFFI's ``TelemetryHook``), for the UniFFI backend: ``start`` runs on the
    caller's thread, in its ``contextvars`` context, when a call starts; ``finish`` when it ended, on whichever
    thread ended it. The report is the same data as the PyO3 backend's, so ``_report`` makes the same spans."""

    def __init__(self) -> None:
        self._spans: Dict[int, Any] = {}
        self._handles = itertools.count(1)

    def start(self, operation: str) -> Any:
        tracer = _sdk_tracer()
        if tracer is None:
            return None
        span = tracer.start_span(operation, kind=SpanKind.INTERNAL)
        carrier: Dict[str, str] = {}
        _propagate.inject(carrier, context=_trace.set_span_in_context(span))
        handle = next(self._handles)
        self._spans[handle] = span
        return ffi.TelemetryStart(handle=handle, propagation=carrier, unsent=not _state["propagate"])

    def finish(self, handle: int, report: Any) -> None:
        span = self._spans.pop(handle, None)
        if span is None:
            return
        try:
            _report(span, _data(report), None)
        except Exception:  # noqa: BLE001 - an SDK's or exporter's failure is not the call's
            pass
        finally:
            span.end()


class _SharedFetch:
    """UniFFI's ``TelemetryTokenFetch`` with the PyO3 backend's ``TokenFetch`` interface (headers as pairs)."""

    __slots__ = ("_fetch",)

    def __init__(self, fetch: Any) -> None:
        self._fetch = fetch

    @property
    def is_leader(self) -> bool:
        return bool(self._fetch.is_leader())

    def claim(self) -> Optional[List[Tuple[str, str]]]:
        headers = self._fetch.claim()
        return None if headers is None else list(headers.items())

    def publish(self, headers: List[Tuple[str, str]]) -> None:
        self._fetch.publish(dict(headers))

    def abandon(self) -> None:
        self._fetch.abandon()

    def wait(self) -> Optional[List[Tuple[str, str]]]:
        headers = self._fetch.wait()
        return None if headers is None else list(headers.items())


def _data(report: Any) -> Dict[str, Any]:
    """UniFFI's ``TelemetryReport`` as the PyO3 backend's report data (the core's ``report_serde.rs`` form)."""
    fetch = report.token_fetch
    return {
        "operation": report.operation,
        "attributes": _attributes(report.attributes),
        "error_type": report.error_type,
        "attempts": [_span_data(span) for span in report.attempts],
        "measurements": [_measurement(m) for m in report.measurements],
        "token_fetch": None if fetch is None else {
            "fetch": _SharedFetch(fetch.fetch),
            "span": _span_data(fetch.span),
            "attempts": [_span_data(span) for span in fetch.attempts],
            "measurements": [_measurement(m) for m in fetch.measurements],
        },
    }


def _attributes(attributes: Any) -> Dict[str, Any]:
    return {attribute.key: attribute.value.value for attribute in attributes}


def _span_data(span: Any) -> Dict[str, Any]:
    return {
        "name": span.name,
        "kind": "client" if span.client else "internal",
        "start": divmod(span.start_epoch_nanos, 1_000_000_000),
        "end": divmod(span.end_epoch_nanos, 1_000_000_000),
        "attributes": _attributes(span.attributes),
        "error_type": span.error_type,
    }


def _measurement(m: Any) -> Dict[str, Any]:
    return {
        "instrument": m.instrument,
        "kind": "histogram" if m.histogram else "counter",
        "unit": m.unit,
        "description": m.description,
        "value": m.value,
        "attributes": _attributes(m.attributes),
        "boundaries": m.boundaries,
    }


if _HOOKED and _state["on"]:
    ffi.set_telemetry_hook(_Hook())

__all__ = ["disable", "enable"]

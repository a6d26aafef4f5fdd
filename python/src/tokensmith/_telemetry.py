"""OpenTelemetry: the spans and metrics of every call, reported through ``opentelemetry-api`` when it is installed
(``pip install tokensmith[otel]``) and the application configured an SDK; nothing to call for it.

How (``docs/observability.md``): the operation span (``akool.request``, ``acedata.create_credential``, ...) starts
here, on the caller's thread, as a child of the current span of the caller's ``contextvars`` context, and is
current while the native call runs (so log records made meanwhile carry its ids). Its context goes into the
propagation headers, through the global propagator, which the core sends on every attempt of the call. When the
call returns, the core's report becomes the attempt spans (children of the operation span, with their recorded
times), the token fetch's span and the metrics; then the operation span ends.

Off costs a check or two per call: when ``opentelemetry`` is not installed, when no SDK is configured (the global
tracer provider is still the API's proxy), when ``TOKENSMITH_TELEMETRY=off``, or after ``disable()``.
"""

from __future__ import annotations

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

#: The native module can trace (the PyO3 backend; the UniFFI backend's bindings have no trace yet).
_NATIVE = hasattr(ffi, "CallTrace")

_MISSING = object()
#: A provider named in the environment is loaded by the API on first use: then ask the API each time.
_AUTOLOADED = "OTEL_PYTHON_TRACER_PROVIDER" in os.environ

_state: Dict[str, Any] = {
    "on": _trace is not None and _NATIVE and ffi.telemetry_enabled(),
    "propagate": True,
    "provider": None,
    "tracer": None,
    "meter_provider": None,
    "instruments": {},
}


def disable() -> None:
    """Turns telemetry off in this process (``TOKENSMITH_TELEMETRY=off`` does the same from the environment)."""
    _state["on"] = False


def enable(*, propagate: bool = True) -> None:
    """Turns telemetry back on, where OpenTelemetry is installed; ``propagate=False`` sends no ``traceparent``."""
    _state["on"] = _trace is not None and _NATIVE and ffi.telemetry_enabled()
    _state["propagate"] = propagate


def tracer() -> Any:
    """The tracer to use, or None when telemetry is off: the check every call makes."""
    if not _state["on"]:
        return None
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


__all__ = ["disable", "enable"]

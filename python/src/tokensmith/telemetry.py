"""Switches for tokensmith's OpenTelemetry spans and metrics (docs/observability.md).

Nothing needs calling: with ``opentelemetry-api`` installed (``pip install tokensmith[otel]``) and an SDK configured
by the application, every call is traced. ``disable()`` turns it off for the process, as
``TOKENSMITH_TELEMETRY=off`` does from the environment; ``enable(propagate=False)`` keeps the spans but sends no
``traceparent``/``tracestate`` to the vendors.
"""

from ._telemetry import disable, enable

__all__ = ["disable", "enable"]

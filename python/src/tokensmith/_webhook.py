"""``WebhookVerifier``: check and decrypt the callbacks Akool POSTs to your ``webhookUrl``."""

from __future__ import annotations

import json as _json
from typing import Any, Optional, Union

from ._backend import ffi
from ._config import count, text
from ._errors import call


class WebhookEvent:
    """A verified webhook: ``payload`` (a dict), its ``id`` and ``status``, ``timestamp_ms`` and ``nonce``."""

    __slots__ = ("payload", "id", "status", "timestamp_ms", "nonce")

    def __init__(self, event: Any) -> None:
        self.payload = _json.loads(event.payload_json)
        self.id: Optional[str] = event.id
        self.status: Optional[int] = event.status
        self.timestamp_ms: int = event.timestamp_ms
        self.nonce: str = event.nonce

    def __repr__(self) -> str:
        return f"WebhookEvent(id={self.id!r}, status={self.status!r}, timestamp_ms={self.timestamp_ms})"


class WebhookVerifier:
    """Checks the signature, decrypts with the client secret, and requires a JSON object.

    The signature alone proves nothing about the sender (it is a SHA-1 of values that are not secret): pass
    ``expected_id`` with the ``_id`` of a job you started, so that only webhooks for your own jobs are accepted.
    ``tolerance`` (seconds) rejects timestamps that far from now; off by default.
    """

    __slots__ = ("_inner",)

    def __init__(self, client_id: str, client_secret: str, *, tolerance: Optional[int] = None) -> None:
        self._inner = call(ffi.WebhookVerifier, client_id, client_secret, count("tolerance", tolerance))

    def verify(self, body: Union[bytes, str], *, expected_id: Optional[str] = None) -> WebhookEvent:
        """The event, or :class:`tokensmith.WebhookRejectedError` with its ``reason``."""
        if expected_id is None:
            return WebhookEvent(call(self._inner.verify, text(body)))
        return WebhookEvent(call(self._inner.verify_expecting_id, text(body), expected_id))

    def __repr__(self) -> str:
        return repr(self._inner)

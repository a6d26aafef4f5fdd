"""Exceptions: one base class, one subclass per kind of failure, so callers catch what they can act on."""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Optional, TypeVar, Union

from . import _telemetry
from ._backend import ffi

T = TypeVar("T")


class TokensmithError(Exception):
    """Base of every error raised by tokensmith.

    ``message`` is the full, human-readable message (never containing a secret); ``kind`` names the kind
    (``"Authentication"``, ``"RateLimited"``, ...). Vendor data, when the failure came from an answer:
    ``status`` (HTTP), ``akool_code`` (Akool business code), ``vendor_code`` (AceData error code) and ``code``
    (whichever of the two is set). ``field`` names the bad argument of an input error; ``retry_after`` is the
    wait in seconds a rate-limited answer asked for; ``reason`` says why a webhook was rejected; ``trace_id`` is
    the vendor's id for the failed request, what its support asks for.
    """

    kind: str = "Internal"

    def __init__(
        self,
        message: str,
        *,
        status: Optional[int] = None,
        akool_code: Optional[int] = None,
        vendor_code: Optional[str] = None,
        field: Optional[str] = None,
        retry_after: Optional[float] = None,
        reason: Optional[str] = None,
        trace_id: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.akool_code = akool_code
        self.vendor_code = vendor_code
        self.field = field
        self.retry_after = retry_after
        self.reason = reason
        self.trace_id = trace_id

    @property
    def code(self) -> Union[int, str, None]:
        """The vendor's code: the Akool business code, else the AceData error code, else ``None``."""
        return self.akool_code if self.akool_code is not None else self.vendor_code

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        extras = "".join(
            f", {name}={value!r}"
            for name, value in (("status", self.status), ("code", self.code), ("field", self.field))
            if value is not None
        )
        return f"{type(self).__name__}({self.message!r}{extras})"


class InvalidInputError(TokensmithError, ValueError):
    """An argument or setting was rejected before any request was sent; ``field`` names it."""

    kind = "InvalidInput"


class MissingConfigError(TokensmithError):
    """Required environment variables are not set; the message names them."""

    kind = "MissingConfig"


class UnsupportedError(TokensmithError):
    """The call does not apply to how the client was built (e.g. ``token()`` with an API key)."""

    kind = "Unsupported"


class ApiError(TokensmithError):
    """The vendor refused the call; ``code`` and ``message`` say why. Subclasses name what to do."""

    kind = "Api"


class AuthenticationError(ApiError):
    """The credentials were refused or lack permission (Akool 1101/1102, HTTP 401/403)."""

    kind = "Authentication"


class AccountBannedError(ApiError):
    """The account is banned (Akool 1200)."""

    kind = "AccountBanned"


class RateLimitedError(ApiError):
    """Too many requests (HTTP 429, Akool 1005); wait ``retry_after`` seconds when it is set."""

    kind = "RateLimited"


class BillingError(ApiError):
    """Quota, credit or payment is exhausted (Akool 1006/1103/1104)."""

    kind = "Billing"


class InvalidRequestError(ApiError):
    """The server rejected the request's content (Akool 1003, HTTP 400/422)."""

    kind = "InvalidRequest"


class NotFoundError(ApiError):
    """The addressed resource does not exist (HTTP 404)."""

    kind = "NotFound"


class ServerError(ApiError):
    """The server failed (HTTP 5xx) and the allowed retries did not help."""

    kind = "Server"


class TransportError(TokensmithError):
    """The connection failed or broke after the allowed retries."""

    kind = "Transport"


class RequestTimeoutError(TransportError, TimeoutError):
    """No answer in time after the allowed retries."""

    kind = "Timeout"


class WebhookRejectedError(TokensmithError, ValueError):
    """A webhook body was refused; ``reason`` is one of ``MalformedBody``, ``MissingField``, ``BadSignature``,
    ``StaleTimestamp``, ``BadCiphertext``, ``NotJson``, ``UnexpectedId``. Answer the sender with an error status."""

    kind = "WebhookRejected"


class DecodeError(TokensmithError):
    """The answer was not what the API documents (not JSON, too large, a redirect to another host)."""

    kind = "Decode"


_BY_KIND = {
    cls.kind: cls
    for cls in (
        InvalidInputError,
        MissingConfigError,
        UnsupportedError,
        ApiError,
        AuthenticationError,
        AccountBannedError,
        RateLimitedError,
        BillingError,
        InvalidRequestError,
        NotFoundError,
        ServerError,
        TransportError,
        RequestTimeoutError,
        WebhookRejectedError,
        DecodeError,
    )
}


def _translate(error: Any) -> TokensmithError:
    """Our exception for the native one: the class of its kind, with every field of its ``details``."""
    details = error.details
    cls = _BY_KIND.get(details.kind, TokensmithError)
    return cls(
        details.message,
        status=details.status,
        akool_code=details.akool_code,
        vendor_code=details.vendor_code,
        field=details.field,
        retry_after=details.retry_after_seconds,
        reason=details.webhook_reason,
        trace_id=details.trace_id,
    )


def call(function: Callable[..., T], *args: object, **kwargs: object) -> T:
    """Calls into the core, raising our exceptions instead of the native ones; traced when telemetry is on."""
    tracer = _telemetry.tracer()
    if tracer is None or kwargs:
        return _call(function, *args, **kwargs)
    traced, arguments = _telemetry.start(tracer, function, args)
    if traced is None:
        return _call(function, *arguments)
    try:
        result = _call(function, *arguments)
    except BaseException as error:
        traced.end(error)
        raise
    traced.end(None)
    return result


def _call(function: Callable[..., T], *args: object, **kwargs: object) -> T:
    try:
        return function(*args, **kwargs)
    except ffi.TokensmithError as error:
        raise _translate(error) from None
    except ffi.InternalError as error:
        raise TokensmithError(f"internal error in the native library: {error}") from None


async def acall(function: Callable[..., Awaitable[T]], *args: object) -> T:
    """Awaits a native coroutine or future, raising our exceptions instead of the native ones; traced when
    telemetry is on (the operation span is current in the awaiting task's context)."""
    tracer = _telemetry.tracer()
    traced, arguments = (None, list(args)) if tracer is None else _telemetry.start(tracer, function, args)
    try:
        result = await function(*arguments)
    except ffi.TokensmithError as error:
        translated = _translate(error)
        if traced is not None:
            traced.end(translated)
        raise translated from None
    except ffi.InternalError as error:
        translated = TokensmithError(f"internal error in the native library: {error}")
        if traced is not None:
            traced.end(translated)
        raise translated from None
    except BaseException as error:
        if traced is not None:
            traced.end(error)
        raise
    if traced is not None:
        traced.end(None)
    return result

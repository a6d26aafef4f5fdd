"""tokensmith: Akool OpenAPI and AceData Cloud authentication, backed by one Rust core.

>>> import tokensmith
>>> akool = tokensmith.AkoolClient.from_env()               # doctest: +SKIP
>>> akool.request("GET", "/api/open/v3/faceswap/quota/info")  # doctest: +SKIP

In asyncio code, ``AsyncAkoolClient`` and ``AsyncAceDataPlatform`` have the same constructors and methods, as
coroutines.
"""

from ._acedata import (
    KEEP,
    AceDataPlatform,
    Application,
    ApplicationPage,
    AsyncAceDataPlatform,
    Credential,
    CredentialPage,
    Page,
)
from ._akool import AkoolClient, AsyncAkoolClient, is_token_expired
from ._config import CallOptions, ClientOptions
from ._errors import (
    AccountBannedError,
    ApiError,
    AuthenticationError,
    BillingError,
    DecodeError,
    InvalidInputError,
    InvalidRequestError,
    MissingConfigError,
    NotFoundError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    TokensmithError,
    TransportError,
    UnsupportedError,
    WebhookRejectedError,
)
from ._logging import refresh_logging
from ._webhook import WebhookEvent, WebhookVerifier
from ._backend import BACKEND, ffi as _ffi

__version__: str = _ffi.core_version()
#: The native extension this package was built with: "pyo3" (the default) or "uniffi".
backend: str = BACKEND

__all__ = [
    "KEEP",
    "AccountBannedError",
    "AceDataPlatform",
    "AkoolClient",
    "Application",
    "ApplicationPage",
    "CallOptions",
    "ClientOptions",
    "ApiError",
    "AsyncAceDataPlatform",
    "AsyncAkoolClient",
    "AuthenticationError",
    "BillingError",
    "Credential",
    "CredentialPage",
    "DecodeError",
    "InvalidInputError",
    "InvalidRequestError",
    "MissingConfigError",
    "NotFoundError",
    "Page",
    "RateLimitedError",
    "RequestTimeoutError",
    "ServerError",
    "TokensmithError",
    "TransportError",
    "UnsupportedError",
    "WebhookEvent",
    "WebhookRejectedError",
    "WebhookVerifier",
    "is_token_expired",
    "refresh_logging",
]

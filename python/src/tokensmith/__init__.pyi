# Type stubs of the public API (the implementation is annotated too; these are what editors and mypy read).
import datetime
from typing import Any, Dict, Iterator, List, Optional, Sequence, Union

__version__: str
backend: str

class _Keep: ...

KEEP: _Keep
Timestamp = Union[str, datetime.datetime]

class TokensmithError(Exception):
    kind: str
    message: str
    status: Optional[int]
    akool_code: Optional[int]
    vendor_code: Optional[str]
    field: Optional[str]
    retry_after: Optional[float]
    reason: Optional[str]
    def __init__(
        self,
        message: str,
        *,
        status: Optional[int] = ...,
        akool_code: Optional[int] = ...,
        vendor_code: Optional[str] = ...,
        field: Optional[str] = ...,
        retry_after: Optional[float] = ...,
        reason: Optional[str] = ...,
    ) -> None: ...
    @property
    def code(self) -> Union[int, str, None]: ...

class InvalidInputError(TokensmithError, ValueError): ...
class MissingConfigError(TokensmithError): ...
class UnsupportedError(TokensmithError): ...
class ApiError(TokensmithError): ...
class AuthenticationError(ApiError): ...
class AccountBannedError(ApiError): ...
class RateLimitedError(ApiError): ...
class BillingError(ApiError): ...
class InvalidRequestError(ApiError): ...
class NotFoundError(ApiError): ...
class ServerError(ApiError): ...
class TransportError(TokensmithError): ...
class RequestTimeoutError(TransportError, TimeoutError): ...
class WebhookRejectedError(TokensmithError, ValueError): ...
class DecodeError(TokensmithError): ...

class WebhookEvent:
    payload: Any
    id: Optional[str]
    status: Optional[int]
    timestamp_ms: int
    nonce: str

class WebhookVerifier:
    def __init__(self, client_id: str, client_secret: str, *, tolerance: Optional[int] = ...) -> None: ...
    def verify(self, body: Union[bytes, str], *, expected_id: Optional[str] = ...) -> WebhookEvent: ...

class AkoolClient:
    @classmethod
    def from_api_key(
        cls,
        api_key: str,
        *,
        base_url: Optional[str] = ...,
        connect_timeout: Optional[float] = ...,
        request_timeout: Optional[float] = ...,
        max_retries: Optional[int] = ...,
        initial_backoff: Optional[float] = ...,
        root_certificates: Sequence[str] = ...,
    ) -> AkoolClient: ...
    @classmethod
    def from_client_credentials(
        cls,
        client_id: str,
        client_secret: str,
        *,
        base_url: Optional[str] = ...,
        connect_timeout: Optional[float] = ...,
        request_timeout: Optional[float] = ...,
        max_retries: Optional[int] = ...,
        initial_backoff: Optional[float] = ...,
        root_certificates: Sequence[str] = ...,
    ) -> AkoolClient: ...
    @classmethod
    def from_env(
        cls,
        *,
        base_url: Optional[str] = ...,
        connect_timeout: Optional[float] = ...,
        request_timeout: Optional[float] = ...,
        max_retries: Optional[int] = ...,
        initial_backoff: Optional[float] = ...,
        root_certificates: Sequence[str] = ...,
    ) -> AkoolClient: ...
    def token(self) -> str: ...
    def auth_headers(self) -> Dict[str, str]: ...
    def request(self, method: str, path: str, json: Any = ...) -> Any: ...

class Credential:
    @property
    def id(self) -> str: ...
    @property
    def user_id(self) -> Optional[str]: ...
    @property
    def application_id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def token(self) -> Optional[str]: ...
    @property
    def username(self) -> Optional[str]: ...
    @property
    def password(self) -> Optional[str]: ...
    @property
    def host(self) -> Optional[str]: ...
    @property
    def limited_amount(self) -> Optional[float]: ...
    @property
    def used_amount(self) -> Optional[float]: ...
    @property
    def expired_at(self) -> Optional[str]: ...
    @property
    def created_at(self) -> Optional[str]: ...
    @property
    def updated_at(self) -> Optional[str]: ...
    @property
    def name(self) -> Optional[str]: ...

class CredentialPage:
    count: int
    items: List[Credential]
    def __iter__(self) -> Iterator[Credential]: ...
    def __len__(self) -> int: ...

class AceDataPlatform:
    def __init__(
        self,
        platform_token: str,
        *,
        base_url: Optional[str] = ...,
        connect_timeout: Optional[float] = ...,
        request_timeout: Optional[float] = ...,
        max_retries: Optional[int] = ...,
        initial_backoff: Optional[float] = ...,
        root_certificates: Sequence[str] = ...,
    ) -> None: ...
    @classmethod
    def from_env(
        cls,
        *,
        base_url: Optional[str] = ...,
        connect_timeout: Optional[float] = ...,
        request_timeout: Optional[float] = ...,
        max_retries: Optional[int] = ...,
        initial_backoff: Optional[float] = ...,
        root_certificates: Sequence[str] = ...,
    ) -> AceDataPlatform: ...
    def create_credential(
        self,
        application_id: str,
        *,
        host: Optional[str] = ...,
        limited_amount: Optional[float] = ...,
        expired_at: Optional[Timestamp] = ...,
    ) -> Credential: ...
    def list_credentials(
        self,
        *,
        application_id: Optional[str] = ...,
        host: Optional[str] = ...,
        limit: Optional[int] = ...,
        offset: Optional[int] = ...,
    ) -> CredentialPage: ...
    def get_credential(self, id: str) -> Credential: ...
    def update_credential(
        self,
        id: str,
        *,
        name: Optional[str] = ...,
        limited_amount: Union[float, None, _Keep] = ...,
        expired_at: Union[Timestamp, None, _Keep] = ...,
        allowed_api_ids: Optional[Sequence[str]] = ...,
    ) -> Credential: ...
    def rotate_credential(self, id: str) -> Credential: ...
    def delete_credential(self, id: str) -> None: ...

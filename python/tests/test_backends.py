"""The same calls give the same results and the same exception types on both backends.

scripts/test-python runs this file once per backend (PyO3, then UniFFI) with the same expectations, so a value
that one backend refuses differently from the other fails one of the two runs.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable, Type

import pytest

import tokensmith
from tokensmith import AceDataPlatform, AkoolClient, InvalidInputError, WebhookVerifier
from tokensmith._backend import ffi
from tokensmith._config import _SETTING_TYPES

from conftest import Mock

APP = "107f8d0f-e465-4a7e-a49e-d633d26f7aa2"


def raises(kind: Type[BaseException], call: Callable[[], Any], field: str = "") -> BaseException:
    with pytest.raises(BaseException) as info:
        call()
    assert type(info.value) is kind, f"{type(info.value).__name__}: {info.value}"
    if field:
        assert getattr(info.value, "field") == field
    return info.value


def test_every_kind_of_the_core_has_its_exception_class() -> None:
    classes = {cls.kind for cls in vars(tokensmith).values() if isinstance(cls, type) and issubclass(cls, tokensmith.TokensmithError)}
    assert set(ffi.error_kinds()) == classes - {"Internal"}


def test_client_options_are_the_core_settings_table() -> None:
    # The native ClientConfig is generated from the core's table of settings; ClientOptions must name each of
    # them (a duration in seconds, without the `_ms`), and nothing else.
    python = {f"{name}_ms" if kind is float else name for name, kind in _SETTING_TYPES.items()}
    assert python == set(inspect.signature(ffi.ClientConfig).parameters)


def test_negative_numbers_are_input_errors_naming_the_setting() -> None:
    raises(InvalidInputError, lambda: AkoolClient.from_api_key("k", max_retries=-1), "max_retries")
    raises(InvalidInputError, lambda: AkoolClient.from_api_key("k", initial_backoff=-1), "initial_backoff")
    raises(InvalidInputError, lambda: AkoolClient.from_api_key("k", request_timeout=-0.5), "request_timeout")
    raises(InvalidInputError, lambda: AkoolClient.from_api_key("k", connect_timeout=0), "connect_timeout")
    raises(InvalidInputError, lambda: AceDataPlatform("p", max_retries=2**40), "max_retries")
    raises(InvalidInputError, lambda: AkoolClient.from_api_key("k", request_timeout=float("nan")), "request_timeout")
    raises(InvalidInputError, lambda: WebhookVerifier("id", "0123456789abcdef0123456789abcdef", tolerance=-1), "tolerance_seconds")


def test_negative_counts_are_refused_before_any_request(mock: Mock) -> None:
    platform = AceDataPlatform("p", base_url=mock.base_url)
    raises(InvalidInputError, lambda: platform.list_credentials(limit=-1), "limit")
    raises(InvalidInputError, lambda: platform.list_credentials(offset=-3), "offset")
    raises(InvalidInputError, lambda: platform.update_credential(APP, name=""), "name")
    assert mock.counts() == {}


def test_wrong_types_are_type_errors() -> None:
    raises(TypeError, lambda: AkoolClient.from_api_key("k", max_retries="3"))  # type: ignore[typeddict-item]
    raises(TypeError, lambda: AkoolClient.from_api_key("k", max_retries=1.5))  # type: ignore[typeddict-item]
    raises(TypeError, lambda: AkoolClient.from_api_key("k", request_timeout="1"))  # type: ignore[typeddict-item]
    raises(TypeError, lambda: AkoolClient.from_api_key("k", timeout=1))  # type: ignore[call-arg]
    raises(TypeError, lambda: AkoolClient.from_api_key(123))  # type: ignore[arg-type]
    raises(TypeError, lambda: AceDataPlatform("p").list_credentials(limit="10"))  # type: ignore[arg-type]
    raises(TypeError, lambda: AceDataPlatform("p").create_credential(APP, limited_amount="10"))  # type: ignore[arg-type]


def test_the_same_values_give_the_same_results(mock: Mock) -> None:
    platform = AceDataPlatform("platform-v1-mock-0123456789", base_url=mock.base_url, max_retries=0, initial_backoff=0)
    created = platform.create_credential(APP, limited_amount=10, host="example.com")
    assert (created.limited_amount, created.host, created.type) == (10.0, "example.com", "Token")
    page = platform.list_credentials(limit=1, offset=0)
    assert (page.count, len(page)) == (1, 1)
    with pytest.raises(tokensmith.AuthenticationError) as refused:
        AceDataPlatform("wrong", base_url=mock.base_url).list_credentials()
    assert refused.value.status == 401 and refused.value.vendor_code == "invalid_token"
    assert refused.value.trace_id, "AceData's trace_id reaches the exception"

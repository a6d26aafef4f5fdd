"""What is particular to Python: the exception hierarchy, threads sharing a client, string forms, typing."""

from __future__ import annotations

import datetime as dt
import importlib.resources
import logging
import os
import threading
import time

import pytest

import tokensmith
from tokensmith import KEEP, AceDataPlatform, AkoolClient

from conftest import Mock, exit_code_in_forked_child

APP = "107f8d0f-e465-4a7e-a49e-d633d26f7aa2"
QUOTA = "/api/open/v3/faceswap/quota/info"
CANARY = "canary-py-0badc0de"


def akool(mock: Mock) -> AkoolClient:
    return AkoolClient.from_client_credentials("mock-client-id", "mock-api-key-0123456789abcdefghi", base_url=mock.base_url,
                                              initial_backoff=0.01)


def platform(mock: Mock, token: str = "platform-v1-mock-0123456789") -> AceDataPlatform:
    return AceDataPlatform(token, base_url=mock.base_url, initial_backoff=0.01)


def test_threads_share_one_client_and_one_token(mock: Mock) -> None:
    client = akool(mock)
    results: list = []
    barrier = threading.Barrier(16)

    def work() -> None:
        barrier.wait()
        for _ in range(5):
            results.append(client.request("GET", QUOTA)["auth"])

    threads = [threading.Thread(target=work) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["bearer"] * 80
    assert mock.counts() == {"POST /api/open/v3/getToken": 1, f"GET {QUOTA}": 80}


def test_request_takes_and_returns_python_values(mock: Mock) -> None:
    data = akool(mock).request("post", "/api/open/v3/content/video/createbytalkingphoto",
                               json={"talking_photo_url": "https://x/p.png", "n": [1, 2.5, None, True]})
    assert data["body"] == {"talking_photo_url": "https://x/p.png", "n": [1, 2.5, None, True]}
    assert data["headers"]["user-agent"].endswith("python/%d.%d" % __import__("sys").version_info[:2])
    headers = akool(mock).auth_headers()
    assert isinstance(headers, dict) and headers["authorization"].startswith("Bearer ")


def test_a_user_agent_suffix_follows_the_language(mock: Mock) -> None:
    client = AkoolClient.from_api_key("mock-api-key-0123456789abcdefghi", base_url=mock.base_url,
                                      user_agent_suffix="billing/2")
    agent = client.request("GET", "/api/open/v3/faceswap/quota/info")["headers"]["user-agent"]
    assert agent.endswith("python/%d.%d billing/2" % __import__("sys").version_info[:2]), agent


def test_exceptions_are_catchable_by_kind_and_by_python_base_classes(mock: Mock) -> None:
    with pytest.raises(tokensmith.InvalidInputError) as info:
        akool(mock).request("GET", "no-slash")
    assert isinstance(info.value, ValueError) and info.value.field == "path"

    mock.fault({"kind": "akool_code", "code": 1200})
    with pytest.raises(tokensmith.AccountBannedError) as banned:
        AkoolClient.from_api_key("mock-api-key-0123456789abcdefghi", base_url=mock.base_url).request("GET", QUOTA)
    assert isinstance(banned.value, tokensmith.ApiError)
    assert (banned.value.code, banned.value.status, banned.value.kind) == (1200, 200, "AccountBanned")
    assert "banned" in banned.value.message

    mock.fault({"kind": "delay", "ms": 1000, "times": 3})
    slow = AkoolClient.from_api_key("k", base_url=mock.base_url, request_timeout=0.2, initial_backoff=0.01)
    with pytest.raises(TimeoutError) as timeout:
        slow.request("GET", QUOTA)
    assert isinstance(timeout.value, tokensmith.RequestTimeoutError)
    assert isinstance(timeout.value, tokensmith.TransportError)

    with pytest.raises(tokensmith.InvalidInputError) as zero:
        AkoolClient.from_api_key("k", request_timeout=0)
    assert zero.value.field == "request_timeout"

    mock.fault({"kind": "status", "status": 429, "retry_after": "120"})
    with pytest.raises(tokensmith.RateLimitedError) as limited:
        platform(mock).list_credentials()
    assert limited.value.retry_after == 120.0


def test_updates_keep_clear_and_set_and_accept_datetimes(mock: Mock) -> None:
    p = platform(mock)
    created = p.create_credential(APP, limited_amount=10, expired_at=dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc))
    assert created.expired_at == "2030-01-01T00:00:00+00:00"
    kept = p.update_credential(created.id, name="n")
    assert (kept.limited_amount, kept.expired_at) == (10, "2030-01-01T00:00:00+00:00")
    cleared = p.update_credential(created.id, limited_amount=None, expired_at=KEEP)
    assert cleared.limited_amount is None and cleared.expired_at is not None
    with pytest.raises(tokensmith.InvalidInputError) as naive:
        p.create_credential(APP, expired_at=dt.datetime(2030, 1, 1))
    assert naive.value.field == "expired_at"


def test_no_string_form_or_log_record_shows_a_secret(mock: Mock, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(1)  # the most verbose logging (the core's trace level too), for every logger
    tokensmith.refresh_logging()
    p = platform(mock)
    created = p.create_credential(APP)
    token = created.token
    assert token and token.startswith("sk-mock-")
    for form in (str(created), repr(created), repr(p.list_credentials()), repr(p)):
        assert token not in form
    assert APP in str(created)

    canary_platform = platform(mock, CANARY)
    mock.fault({"kind": "echo_auth"})
    with pytest.raises(tokensmith.AuthenticationError) as refused:
        canary_platform.list_credentials()
    error = refused.value
    for form in (str(error), repr(error), error.message, repr(canary_platform), str(error.args)):
        assert CANARY not in form, form
    client = AkoolClient.from_api_key(CANARY)
    assert CANARY not in repr(client) and CANARY not in str(client)
    with pytest.raises(tokensmith.TransportError):
        AkoolClient.from_api_key(CANARY, base_url="http://127.0.0.1:9", initial_backoff=0.001).request("GET", QUOTA)
    assert CANARY not in caplog.text and token not in caplog.text
    ours = [r for r in caplog.records if r.name.startswith("tokensmith.")]
    assert any("POST /api/v1/credentials/ -> 201" in r.getMessage() and r.levelno == logging.DEBUG for r in ours), ours
    assert any(r.name == "tokensmith.transport" and "failed" in r.getMessage() for r in ours), ours


def test_log_levels_follow_the_logging_configuration(mock: Mock, caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("tokensmith")
    caplog.set_level(logging.DEBUG)
    try:
        logger.setLevel(logging.WARNING)
        tokensmith.refresh_logging()
        platform(mock).list_credentials()
        assert not [r for r in caplog.records if r.name.startswith("tokensmith")]
        logger.setLevel(logging.DEBUG)
        tokensmith.refresh_logging()
        platform(mock).list_credentials()
        assert [r for r in caplog.records if r.name.startswith("tokensmith") and "GET /api/v1/credentials/" in r.getMessage()]
    finally:
        logger.setLevel(logging.NOTSET)
        tokensmith.refresh_logging()


def test_per_call_options_are_checked_keywords(mock: Mock) -> None:
    p = platform(mock)
    with pytest.raises(TypeError, match="timeout_seconds"):
        p.list_credentials(timeout_seconds=1)  # type: ignore[call-arg]
    with pytest.raises(tokensmith.InvalidInputError) as negative:
        p.get_credential(APP, timeout=-1)
    assert negative.value.field == "timeout"
    with pytest.raises(tokensmith.InvalidInputError) as auth:
        p.list_credentials(headers={"Authorization": "Bearer mine"})
    assert auth.value.field == "headers"
    with pytest.raises(TypeError, match="mapping"):
        p.list_credentials(headers=[("x-a", "b")])  # type: ignore[arg-type]
    assert p.list_credentials(headers={"X-Tenant": "acme"}, timeout=5, max_retries=0).count == 0
    seen = mock.state()["requests"][-1]
    assert seen["headers"]["x-tenant"] == "acme" and seen["headers"]["authorization"] == "** redacted **"
    assert mock.counts() == {"GET /api/v1/credentials/": 1}, "refused options reached the server"


def test_iter_credentials_is_a_lazy_generator_and_applications_are_listed(mock: Mock) -> None:
    p = platform(mock)
    for _ in range(3):
        p.create_credential(APP)
    pages = p.iter_credentials(limit=2)
    assert mock.counts().get("GET /api/v1/credentials/") is None, "nothing is fetched before iterating"
    assert len([c.id for c in pages]) == 3
    assert mock.counts()["GET /api/v1/credentials/"] == 2
    apps = p.list_applications()
    assert apps.count == 2 and APP in [a.id for a in apps]
    assert p.get_application(APP).type == "Api"
    assert "Application(id=" in repr(apps.items[0]) and "ApplicationPage(count=2" in repr(apps)


def test_missing_environment_names_the_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AKOOL_API_KEY", "AKOOL_CLIENT_ID", "AKOOL_CLIENT_SECRET", "ACEDATA_PLATFORM_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(tokensmith.MissingConfigError, match="AKOOL_API_KEY"):
        AkoolClient.from_env()
    with pytest.raises(tokensmith.MissingConfigError, match="ACEDATA_PLATFORM_TOKEN"):
        AceDataPlatform.from_env()


def test_from_env_reads_the_variables(mock: Mock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AKOOL_API_KEY", "mock-api-key-0123456789abcdefghi")
    monkeypatch.setenv("AKOOL_BASE_URL", mock.base_url)
    assert AkoolClient.from_env().request("GET", QUOTA)["auth"] == "x-api-key"


def test_the_package_is_typed() -> None:
    files = importlib.resources.files("tokensmith")
    assert files.joinpath("py.typed").is_file()
    # One definition of each signature: the annotated modules themselves, no stub written beside them.
    assert not [f.name for f in files.iterdir() if f.name.endswith(".pyi")]


def test_the_backend_is_the_one_built() -> None:
    expected = os.environ.get("TOKENSMITH_EXPECT_BACKEND")
    assert tokensmith.backend in ("pyo3", "uniffi")
    if expected:
        assert tokensmith.backend == expected


def test_blocking_calls_release_the_gil(mock: Mock) -> None:
    client = AkoolClient.from_api_key("mock-api-key-0123456789abcdefghi", base_url=mock.base_url)
    client.request("GET", QUOTA)  # connect once, so the timing below is only the delayed answers
    mock.fault({"kind": "delay", "ms": 400, "times": 8})
    started = time.monotonic()
    threads = [threading.Thread(target=client.request, args=("GET", QUOTA)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    # Serialised by the GIL, 8 calls of 400 ms would take 3.2 s; released, they overlap.
    assert elapsed < 1.6, f"8 concurrent 400 ms calls took {elapsed:.2f} s"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_client_used_before_fork_works_in_the_child(mock: Mock) -> None:
    client = akool(mock)
    assert client.request("GET", QUOTA)["auth"] == "bearer"  # the parent's pool and runtime thread now exist
    code = exit_code_in_forked_child(lambda: client.request("GET", QUOTA)["auth"] == "bearer", "a client")
    assert code == 0
    assert client.request("GET", QUOTA)["auth"] == "bearer"  # the parent is unaffected
    assert mock.counts()["POST /api/open/v3/getToken"] == 1  # the child reused the inherited token


def test_users_of_their_own_http_client_renew_a_refused_token_once(mock: Mock) -> None:
    import json as json_module
    import urllib.request

    client = AkoolClient.from_client_credentials("mock-client-id", "mock-api-key-0123456789abcdefghi", base_url=mock.base_url)

    def own_call() -> bytes:
        request = urllib.request.Request(mock.base_url + QUOTA, headers=client.auth_headers())
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.read()

    assert json_module.loads(own_call())["code"] == 1000
    stale = client.token()
    mock.expire_tokens()
    refused = own_call()
    assert tokensmith.is_token_expired(refused) and not tokensmith.is_token_expired(b'{"code": 1000}')
    client.invalidate_token(stale)
    client.invalidate_token(stale)  # a second report of the same token fetches nothing more
    assert json_module.loads(own_call())["code"] == 1000
    assert client.token() != stale
    assert mock.counts()["POST /api/open/v3/getToken"] == 2
    tokensmith.AsyncAkoolClient.from_api_key("k", base_url=mock.base_url).invalidate_token("t")  # the async client has it too

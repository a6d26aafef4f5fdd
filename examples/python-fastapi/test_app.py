"""The service's tests, offline: the `tokensmith_mock` fixture comes with the tokensmith package (its pytest plugin),
so this project has no conftest and no mock of its own."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from typing import Iterator

import pytest
import uvicorn
from fastapi.testclient import TestClient

from app import create_app
from tokensmith.testing import MockServer


@pytest.fixture
def app_env(tokensmith_mock: MockServer, monkeypatch: pytest.MonkeyPatch) -> MockServer:
    monkeypatch.setenv("ACEDATA_PLATFORM_TOKEN", tokensmith_mock.platform_token)
    monkeypatch.setenv("ACEDATA_PLATFORM_BASE_URL", tokensmith_mock.base_url)
    monkeypatch.setenv("AKOOL_CLIENT_ID", tokensmith_mock.client_id)
    monkeypatch.setenv("AKOOL_CLIENT_SECRET", tokensmith_mock.client_secret)
    return tokensmith_mock


def test_a_tenant_gets_a_named_key(app_env: MockServer) -> None:
    client = TestClient(create_app())
    answer = client.post("/keys", json={"tenant": "acme", "application_id": app_env.application_id})
    assert answer.status_code == 200 and answer.json()["token"].startswith("sk-")
    (held,) = app_env.credentials
    assert held["name"] == "acme"
    assert app_env.requests[-1].json == {"application_id": app_env.application_id, "name": "acme"}


def test_a_bad_application_id_is_refused_before_any_call(app_env: MockServer) -> None:
    answer = TestClient(create_app()).post("/keys", json={"tenant": "acme", "application_id": "nope"})
    assert answer.status_code == 422 and "application_id" in answer.json()["detail"]
    assert app_env.requests == []


def test_an_outage_becomes_a_502_with_the_vendors_trace_id(app_env: MockServer) -> None:
    app_env.arm("status", status=403, path="/api/v1/credentials/",
                body={"error": {"code": "used_up", "message": "quota used up"}, "trace_id": "t-42"})
    answer = TestClient(create_app()).post("/keys", json={"tenant": "acme", "application_id": app_env.application_id})
    assert answer.status_code == 502 and "t-42" in answer.json()["detail"]


@pytest.fixture
def live_app(app_env: MockServer) -> Iterator[str]:
    """The app on a real port, for the mock to post webhooks to."""
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join()


def test_a_signed_webhook_is_recorded_and_a_forged_one_refused(app_env: MockServer, live_app: str) -> None:
    status = app_env.send_webhook(f"{live_app}/akool/webhook", {"_id": "job-9", "status": 3, "type": 1, "url": "https://x/y"})
    assert status == 200
    import urllib.request, json
    with urllib.request.urlopen(f"{live_app}/jobs/job-9") as answer:
        assert json.load(answer) == {"status": 3}
    forged = urllib.request.Request(f"{live_app}/akool/webhook", data=b'{"signature": "x", "dataEncrypt": "y", "timestamp": 1, "nonce": "n"}', method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(forged)
    assert refused.value.code == 400

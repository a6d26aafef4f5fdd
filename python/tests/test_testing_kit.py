"""The testing kit as a user's test suite meets it: the pytest plugin's fixtures (loaded through the package's
``pytest11`` entry point, not imported), freshness between tests, faults, the requests seen, and webhooks."""

from __future__ import annotations

import asyncio
import http.server
import threading
from typing import Any, Dict, List

import pytest

import tokensmith
from tokensmith.testing import MockServer


def test_the_fixtures_give_clients_of_the_mock(tokensmith_mock: MockServer, tokensmith_akool: tokensmith.AkoolClient,
                                               tokensmith_platform: tokensmith.AceDataPlatform) -> None:
    assert tokensmith_akool.request("GET", "/api/open/v3/faceswap/quota/info")["auth"] == "bearer"
    created = tokensmith_platform.create_credential(tokensmith_mock.application_id, name="first")
    assert [c["id"] for c in tokensmith_mock.credentials] == [created.id]
    assert tokensmith_mock.token_count == 1
    tokensmith_mock.arm("status", status=503, times=5)  # left armed on purpose: the next test must not see it


def test_nothing_leaks_from_the_test_before(tokensmith_mock: MockServer, tokensmith_platform: tokensmith.AceDataPlatform) -> None:
    assert tokensmith_mock.credentials == [] and tokensmith_mock.requests == [] and tokensmith_mock.token_count == 0
    assert tokensmith_platform.list_credentials().count == 0, "a fault armed by another test fired"


def test_requests_are_seen_with_credentials_redacted_unless_revealed(tokensmith_mock: MockServer,
                                                                     tokensmith_akool: tokensmith.AkoolClient) -> None:
    tokensmith_akool.request("POST", "/api/open/v3/faceswap/highquality/specifyimage", json={"modifyImage": "x"})
    get_token, call = tokensmith_mock.requests
    assert (get_token.method, get_token.path) == ("POST", "/api/open/v3/getToken")
    assert get_token.json["clientSecret"] == "** redacted **"
    assert call.json == {"modifyImage": "x"} and call.headers["authorization"] == "** redacted **"
    revealed = tokensmith_mock.requests_revealed()[1]
    assert revealed.headers["authorization"] == "Bearer " + tokensmith_akool.token()
    assert tokensmith_mock.counts == {"POST /api/open/v3/getToken": 1,
                                      "POST /api/open/v3/faceswap/highquality/specifyimage": 1}


def test_faults_and_expired_tokens(tokensmith_mock: MockServer, tokensmith_akool: tokensmith.AkoolClient,
                                   tokensmith_platform: tokensmith.AceDataPlatform) -> None:
    tokensmith_mock.arm("akool_code", code=1200, path="/api/open/v3/faceswap/quota/info")
    with pytest.raises(tokensmith.AccountBannedError):
        tokensmith_akool.request("GET", "/api/open/v3/faceswap/quota/info")
    tokensmith_mock.expire_tokens()
    tokensmith_akool.request("GET", "/api/open/v3/faceswap/quota/info")  # renewed once, transparently
    assert tokensmith_mock.token_count == 2
    tokensmith_mock.arm("status", status=429, retry_after="3600")
    with pytest.raises(tokensmith.RateLimitedError) as limited:
        tokensmith_platform.list_credentials()
    assert limited.value.retry_after == 3600
    with pytest.raises(tokensmith.InvalidInputError) as bad:
        tokensmith_mock.arm("no_such_fault")
    assert bad.value.field == "rule"


def test_a_signed_webhook_reaches_the_users_handler(tokensmith_mock: MockServer) -> None:
    received: List[Dict[str, Any]] = []
    verifier = tokensmith.WebhookVerifier(tokensmith_mock.client_id, tokensmith_mock.client_secret)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
            body = self.rfile.read(int(self.headers["content-length"]))
            try:
                received.append(verifier.verify(body, expected_id="job-1").payload)
                self.send_response(200)
            except tokensmith.WebhookRejectedError:
                self.send_response(400)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/akool"
        assert tokensmith_mock.send_webhook(url, {"_id": "job-1", "status": 3, "url": "https://x/y.mp4"}) == 200
        assert tokensmith_mock.send_webhook(url, {"_id": "job-2", "status": 3}) == 400, "the id check must refuse it"
    finally:
        server.shutdown()
    assert received == [{"_id": "job-1", "status": 3, "url": "https://x/y.mp4"}]
    with pytest.raises(tokensmith.InvalidInputError):
        tokensmith_mock.send_webhook("https://example.com/hook", {})


def test_async_fixtures(tokensmith_mock: MockServer, tokensmith_async_platform: tokensmith.AsyncAceDataPlatform) -> None:
    async def run() -> int:
        await tokensmith_async_platform.create_credential(tokensmith_mock.application_id)
        return len([c async for c in tokensmith_async_platform.iter_credentials()])

    assert asyncio.run(run()) == 1


def test_without_pytest_a_context_manager() -> None:
    with MockServer() as mock:
        platform = mock.platform()
        assert platform.list_applications().count == 2
        assert mock.requests[0].path == "/api/v1/applications/?user_id=me"
    assert "closed" in repr(mock)

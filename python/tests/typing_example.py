"""Checked by mypy --strict in the test run (scripts/test-python): the stubs must describe real usage."""

import tokensmith


def quota(client: tokensmith.AkoolClient) -> object:
    headers: dict[str, str] = client.auth_headers()
    assert headers
    return client.request("GET", "/api/open/v3/faceswap/quota/info", json=None)


def rotate(platform: tokensmith.AceDataPlatform, application_id: str) -> str:
    created = platform.create_credential(application_id, limited_amount=10.0)
    platform.update_credential(created.id, limited_amount=None, expired_at=tokensmith.KEEP)
    try:
        return platform.rotate_credential(created.id).token or ""
    except tokensmith.RateLimitedError as error:
        return str(error.retry_after)


def configured(key: str) -> tokensmith.AkoolClient:
    options: tokensmith.ClientOptions = {"base_url": "http://127.0.0.1:1", "request_timeout": 5.0, "max_retries": 1}
    return tokensmith.AkoolClient.from_api_key(key, **options)

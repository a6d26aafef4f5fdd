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


async def handler(client: tokensmith.AsyncAkoolClient, platform: tokensmith.AsyncAceDataPlatform) -> str:
    headers: dict[str, str] = await client.auth_headers()
    data: object = await client.request("POST", "/api/open/v3/x", json={"a": 1})
    page = await platform.list_credentials(limit=10)
    created = await platform.create_credential("107f8d0f-e465-4a7e-a49e-d633d26f7aa2", limited_amount=1.0)
    return f"{len(headers)} {data} {page.count} {created.id}"


def async_client(key: str) -> tokensmith.AsyncAkoolClient:
    return tokensmith.AsyncAkoolClient.from_api_key(key, request_timeout=5.0)


def every_token(platform: tokensmith.AceDataPlatform) -> list[str]:
    app: tokensmith.Application = platform.list_applications(limit=5).items[0]
    slow = platform.list_credentials(application_id=app.id, timeout=30.0, headers={"x-tenant": "a"}, max_retries=0)
    return [c.token or "" for c in platform.iter_credentials(limit=50, timeout=2.5)] + [str(slow.count)]


async def every_id(platform: tokensmith.AsyncAceDataPlatform) -> list[str]:
    return [c.id async for c in platform.iter_credentials(application_id="x", max_retries=1)]


async def every_async_method(client: tokensmith.AsyncAkoolClient, platform: tokensmith.AsyncAceDataPlatform) -> str:
    token: str = await client.token()
    client.invalidate_token(token)
    created: tokensmith.Credential = await platform.create_credential("x", expired_at=None, metadata={"a": 1})
    got: tokensmith.Credential = await platform.get_credential(created.id, timeout=1.5)
    updated = await platform.update_credential(got.id, name="n", limited_amount=tokensmith.KEEP, headers={"a": "b"})
    rotated = await platform.rotate_credential(updated.id, max_retries=0)
    await platform.delete_credential(rotated.id)
    apps: tokensmith.ApplicationPage = await platform.list_applications(limit=1, offset=0)
    app: tokensmith.Application = await platform.get_application(apps.items[0].id)
    return f"{app.id} {[c.id for c in await platform.list_credentials(host='h')]}"

"""Must FAIL mypy --strict, on exactly the lines marked ``# E: <error code>`` and no other (test_typing.py checks):
a wrong keyword, or a wrong type for an option, is an error on every constructor and method of both clients, sync
and async alike, and an async method's result is a coroutine until awaited."""

from tokensmith import AceDataPlatform, AkoolClient, AsyncAceDataPlatform, AsyncAkoolClient, Credential

APP = "107f8d0f-e465-4a7e-a49e-d633d26f7aa2"


def constructors() -> None:
    AkoolClient.from_api_key("k", base_ulr="http://127.0.0.1:1")  # E: call-arg
    AkoolClient.from_client_credentials("id", "secret", retries=1)  # E: call-arg
    AkoolClient.from_env(request_timeout="5")  # E: arg-type
    AsyncAkoolClient.from_api_key("k", timeout=5.0)  # E: call-arg
    AsyncAkoolClient.from_client_credentials("id", "secret", max_retry=1)  # E: call-arg
    AsyncAkoolClient.from_env(connect_timout=1.0)  # E: call-arg
    AceDataPlatform("token", timeout=1.0)  # E: call-arg
    AceDataPlatform.from_env(root_certificate=["pem"])  # E: call-arg
    AsyncAceDataPlatform("token", base_url=1)  # E: arg-type
    AsyncAceDataPlatform.from_env(initial_backof=0.5)  # E: call-arg


def sync(akool: AkoolClient, platform: AceDataPlatform) -> None:
    akool.token(timeout=1.0)  # E: call-arg
    akool.auth_headers(headers={})  # E: call-arg
    akool.request("GET", "/", jsn={})  # E: call-arg
    akool.request("GET", "/", timeout="1")  # E: arg-type
    akool.invalidate_token(token="t")  # E: call-arg
    platform.create_credential(APP, limited_ammount=1.0)  # E: call-arg
    platform.list_credentials(application=APP)  # E: call-arg
    platform.iter_credentials(offset=1)  # E: call-arg
    platform.get_credential("id", retries=0)  # E: call-arg
    platform.update_credential("id", limit=1.0)  # E: call-arg
    platform.rotate_credential("id", header={})  # E: call-arg
    platform.delete_credential("id", timeout_ms=5)  # E: call-arg
    platform.list_applications(application_id=APP)  # E: call-arg
    platform.get_application("id", max_retries="0")  # E: arg-type


async def asynchronous(akool: AsyncAkoolClient, platform: AsyncAceDataPlatform) -> None:
    await akool.token(timeout=1.0)  # E: call-arg
    await akool.auth_headers(headers={})  # E: call-arg
    await akool.request("GET", "/", jsn={})  # E: call-arg
    await akool.request("GET", "/", timeout="1")  # E: arg-type
    akool.invalidate_token(token="t")  # E: call-arg
    await platform.create_credential(APP, limited_ammount=1.0)  # E: call-arg
    await platform.list_credentials(application=APP)  # E: call-arg
    platform.iter_credentials(offset=1)  # E: call-arg
    await platform.get_credential("id", retries=0)  # E: call-arg
    await platform.update_credential("id", limit=1.0)  # E: call-arg
    await platform.rotate_credential("id", header={})  # E: call-arg
    await platform.delete_credential("id", timeout_ms=5)  # E: call-arg
    await platform.list_applications(application_id=APP)  # E: call-arg
    await platform.get_application("id", max_retries="0")  # E: arg-type
    credential: Credential = platform.get_credential("id")  # E: assignment
    for each in platform.iter_credentials():  # E: attr-defined
        print(each)


async def sync_is_not_awaitable(platform: AceDataPlatform) -> None:
    await platform.get_credential("id")  # E: misc

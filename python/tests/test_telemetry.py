"""OpenTelemetry (docs/observability.md), against the real SDK with in-memory exporters: the spans of every call
join the caller's trace, follow the HTTP client conventions, show retries and the shared token fetch, carry the
error, match the ``traceparent`` the server received, and hold no secret; the metrics are recorded.

The SDK is configured once, for this module (OpenTelemetry allows one global provider per process); the tests
before it in the session run with the API installed and no SDK, telemetry's "off".
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import tokensmith
from tokensmith import AceDataPlatform, AkoolClient, AsyncAceDataPlatform, AsyncAkoolClient, telemetry

from conftest import Mock

otel_trace = pytest.importorskip("opentelemetry.trace")
from opentelemetry import metrics as otel_metrics  # noqa: E402
from opentelemetry.sdk.metrics import MeterProvider  # noqa: E402
from opentelemetry.sdk.metrics.export import InMemoryMetricReader  # noqa: E402
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter  # noqa: E402
from opentelemetry.trace import SpanKind, StatusCode  # noqa: E402

QUOTA = "/api/open/v3/faceswap/quota/info"
GET_TOKEN = "/api/open/v3/getToken"
APP = "107f8d0f-e465-4a7e-a49e-d633d26f7aa2"
CASES = json.loads((__import__("conftest").REPO / "tests" / "conformance" / "cases.json").read_text(encoding="utf-8"))
CANARY = CASES["canary"]

EXPORTER = InMemorySpanExporter()
READER = InMemoryMetricReader()


@pytest.fixture(scope="module", autouse=True)
def sdk() -> Iterator[None]:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(EXPORTER))
    otel_trace.set_tracer_provider(provider)
    otel_metrics.set_meter_provider(MeterProvider(metric_readers=[READER]))
    # The UniFFI backend's hook found no SDK in the earlier modules' calls, and the core would not ask it again for
    # a second: what an application that configures its SDK after its first call does to be traced at once.
    telemetry.enable()
    yield


@pytest.fixture
def spans(mock: Mock) -> None:
    """No span of an earlier test."""
    EXPORTER.clear()


def finished() -> List[ReadableSpan]:
    return list(EXPORTER.get_finished_spans())


def named(spans: List[ReadableSpan], name: str) -> List[ReadableSpan]:
    return [span for span in spans if span.name == name]


def traceparent(span: ReadableSpan) -> str:
    context = span.get_span_context()
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"


def akool(mock: Mock) -> AkoolClient:
    return AkoolClient.from_api_key(mock.server.api_key, base_url=mock.base_url, max_retries=3)


def test_the_operation_span_is_a_child_of_the_callers_and_its_attempts_follow_the_conventions(spans: None, mock: Mock) -> None:
    tracer = otel_trace.get_tracer("test")
    with tracer.start_as_current_span("handler") as handler:
        akool(mock).request("GET", QUOTA + "?page=2")
    done = finished()
    operation = named(done, "akool.request")[0]
    attempt = named(done, "GET")[0]
    assert operation.parent.span_id == handler.get_span_context().span_id
    assert operation.context.trace_id == handler.get_span_context().trace_id
    assert attempt.parent.span_id == operation.context.span_id
    assert attempt.kind == SpanKind.CLIENT
    assert attempt.attributes["http.request.method"] == "GET"
    assert attempt.attributes["http.response.status_code"] == 200
    assert attempt.attributes["server.address"] == "127.0.0.1"
    assert attempt.attributes["url.full"] == mock.base_url + QUOTA, "no query string"
    assert "http.request.resend_count" not in attempt.attributes
    assert operation.attributes["tokensmith.attempts"] == 1
    assert operation.status.status_code == StatusCode.UNSET
    assert operation.start_time <= attempt.start_time <= attempt.end_time <= operation.end_time


def test_a_retried_call_shows_its_attempts_and_each_sent_the_operation_spans_traceparent(spans: None, mock: Mock) -> None:
    mock.fault({"kind": "status", "status": 503, "path": QUOTA, "times": 2, "retry_after": "0"})
    akool(mock).request("GET", QUOTA)
    done = finished()
    operation = named(done, "akool.request")[0]
    attempts = sorted(named(done, "GET"), key=lambda s: s.start_time)
    assert [a.attributes["http.response.status_code"] for a in attempts] == [503, 503, 200]
    assert [a.attributes.get("http.request.resend_count") for a in attempts] == [None, 1, 2]
    assert attempts[0].attributes["error.type"] == "503"
    assert attempts[0].status.status_code == StatusCode.ERROR
    assert attempts[0].attributes["tokensmith.retry.reason"] == "status"
    assert attempts[0].attributes["tokensmith.retry.retry_after"] == 0.0
    assert attempts[2].status.status_code == StatusCode.UNSET
    seen = [r for r in mock.server.requests if r.path == QUOTA]
    # What a retried attempt sends: the operation span's context, the same on every attempt (docs/observability.md).
    assert [r.traceparent for r in seen] == [traceparent(operation)] * 3


def test_sixty_four_concurrent_method_2_calls_show_one_token_fetch_linked_from_all(spans: None, mock: Mock) -> None:
    mock.fault({"kind": "delay", "ms": 200, "path": GET_TOKEN})
    client = AkoolClient.from_client_credentials(mock.server.client_id, mock.server.client_secret, base_url=mock.base_url)
    with ThreadPoolExecutor(64) as pool:
        list(pool.map(lambda _: client.request("GET", QUOTA), range(64)))
    done = finished()
    assert mock.counts().get(f"POST {GET_TOKEN}") == 1
    fetches = named(done, "akool.get_token")
    assert len(fetches) == 1, [s.name for s in done]
    fetch = fetches[0]
    operations = named(done, "akool.request")
    assert len(operations) == 64
    leader = [op for op in operations if op.context.span_id == fetch.parent.span_id]
    assert len(leader) == 1, "the fetch is a child of the call that started it"
    others = [op for op in operations if op is not leader[0]]
    assert all([link.context.span_id for link in op.links] == [fetch.context.span_id] for op in others)
    assert all(op.attributes["tokensmith.token.cached"] is False for op in operations)
    get_token_attempt = [s for s in named(done, "POST") if s.parent.span_id == fetch.context.span_id]
    assert len(get_token_attempt) == 1 and get_token_attempt[0].attributes["url.full"].endswith(GET_TOKEN)
    sent = [r for r in mock.server.requests if r.path == GET_TOKEN][0]
    assert sent.traceparent == traceparent(leader[0]), "getToken carries the leader's context"

    client.request("GET", QUOTA)
    assert finished()[-1].attributes["tokensmith.token.cached"] is True


def test_an_error_sets_the_status_and_error_type_to_its_kind(spans: None, mock: Mock) -> None:
    mock.fault({"kind": "akool_code", "code": 1200, "path": QUOTA})
    with pytest.raises(tokensmith.AccountBannedError):
        akool(mock).request("GET", QUOTA)
    operation = named(finished(), "akool.request")[0]
    assert operation.status.status_code == StatusCode.ERROR
    assert operation.attributes["error.type"] == "AccountBanned"
    assert operation.attributes["tokensmith.akool.code"] == 1200


def test_acedata_calls_and_input_errors_are_traced(spans: None, mock: Mock) -> None:
    platform = AceDataPlatform(mock.server.platform_token, base_url=mock.base_url)
    platform.create_credential(APP, limited_amount=5)
    with pytest.raises(tokensmith.InvalidInputError):
        platform.get_credential("not-a-uuid")
    created, bad = named(finished(), "acedata.create_credential"), named(finished(), "acedata.get_credential")
    assert created[0].attributes["tokensmith.attempts"] == 1
    assert bad[0].attributes["error.type"] == "InvalidInput" and bad[0].attributes["tokensmith.attempts"] == 0


def test_each_page_of_iter_credentials_is_a_list_call_under_the_callers_span(spans: None, mock: Mock) -> None:
    platform = AceDataPlatform(mock.server.platform_token, base_url=mock.base_url)
    for _ in range(3):
        platform.create_credential(APP)
    EXPORTER.clear()
    with otel_trace.get_tracer("test").start_as_current_span("handler") as handler:
        assert len(list(platform.iter_credentials(application_id=APP, limit=2))) == 3
    pages = named(finished(), "acedata.list_credentials")
    assert len(pages) == 2, "two pages, and no span for the end of the iteration"
    assert all(page.parent.span_id == handler.get_span_context().span_id for page in pages)
    attempts = named(finished(), "GET")
    assert sorted(a.parent.span_id for a in attempts) == sorted(p.context.span_id for p in pages), "one GET each"

    EXPORTER.clear()

    async def iterate() -> Tuple[int, Any]:
        paged = AsyncAceDataPlatform(mock.server.platform_token, base_url=mock.base_url)
        with otel_trace.get_tracer("test").start_as_current_span("async handler") as handler:
            return len([c async for c in paged.iter_credentials(application_id=APP, limit=2)]), handler

    count, handler = asyncio.run(iterate())
    assert count == 3
    pages = named(finished(), "acedata.list_credentials")
    assert len(pages) == 2, "the async pager too"
    assert all(page.parent.span_id == handler.get_span_context().span_id for page in pages), "in the task's context"
    EXPORTER.clear()
    quiet = AceDataPlatform(mock.server.platform_token, base_url=mock.base_url, telemetry="off")
    assert len(list(quiet.iter_credentials(application_id=APP, limit=2))) == 3
    assert finished() == [], "a platform whose telemetry is off traces no page"


def test_asyncio_calls_join_the_awaiting_tasks_span(spans: None, mock: Mock) -> None:
    tracer = otel_trace.get_tracer("test")

    async def main() -> Tuple[Any, Any]:
        client = AsyncAkoolClient.from_api_key(mock.server.api_key, base_url=mock.base_url)

        async def one(name: str) -> Any:
            with tracer.start_as_current_span(name) as span:
                await client.request("GET", QUOTA)
                return span

        return await asyncio.gather(one("a"), one("b"))

    a, b = asyncio.run(main())
    operations = named(finished(), "akool.request")
    parents = sorted(op.parent.span_id for op in operations)
    assert parents == sorted([a.get_span_context().span_id, b.get_span_context().span_id])


def test_metrics_record_each_attempts_duration_and_the_retries(spans: None, mock: Mock) -> None:
    READER.get_metrics_data()  # drops what earlier tests recorded (the reader is cumulative: compare counts)
    before = _points()
    mock.fault({"kind": "status", "status": 503, "path": QUOTA, "times": 1, "retry_after": "0"})
    akool(mock).request("GET", QUOTA)
    after = _points()
    assert after["http.client.request.duration"] - before.get("http.client.request.duration", 0) == 2
    assert after["tokensmith.retries"] - before.get("tokensmith.retries", 0) == 1
    by_reason = "tokensmith.retries{tokensmith.retry.reason=status}"
    assert after[by_reason] - before.get(by_reason, 0) == 1, "the retry's reason labels it"
    by_status = "http.client.request.duration{http.response.status_code=503}"
    assert after[by_status] - before.get(by_status, 0) == 1

    AkoolClient.from_client_credentials(mock.server.client_id, mock.server.client_secret, base_url=mock.base_url).token()
    fetched = _points()
    assert fetched["tokensmith.token.fetches"] - after.get("tokensmith.token.fetches", 0) == 1


def _points() -> Dict[str, float]:
    """Each instrument's count (histograms) or sum (counters), in all and by each attribute it has."""
    counts: Dict[str, float] = {}
    data = READER.get_metrics_data()
    for resource in data.resource_metrics if data else []:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                for point in metric.data.data_points:
                    value = getattr(point, "count", getattr(point, "value", 0))
                    for key in [metric.name] + [f"{metric.name}{{{k}={v}}}" for k, v in point.attributes.items()]:
                        counts[key] = counts.get(key, 0) + value
    return counts


def test_no_secret_in_any_span_attribute_link_or_metric(spans: None, mock: Mock) -> None:
    READER.get_metrics_data()
    mock.fault({"kind": "echo_auth", "path": QUOTA})
    client = AkoolClient.from_api_key(CANARY, base_url=mock.base_url, max_retries=1)
    with pytest.raises(tokensmith.TokensmithError):
        client.request("POST", QUOTA, {"secret": CANARY}, headers={"x-tenant": CANARY})
    method2 = AkoolClient.from_client_credentials(mock.server.client_id, mock.server.client_secret, base_url=mock.base_url)
    method2.request("GET", QUOTA)
    method2.token()
    AceDataPlatform(mock.server.platform_token, base_url=mock.base_url).create_credential(APP)
    text = " ".join(span.to_json() for span in finished()) + repr(READER.get_metrics_data())
    for secret in [CANARY, mock.server.api_key, mock.server.client_secret, mock.server.platform_token, "Bearer "]:
        assert secret not in text


def test_off_switches_send_no_traceparent_and_make_no_span(spans: None, mock: Mock) -> None:
    method2 = AkoolClient.from_client_credentials(mock.server.client_id, mock.server.client_secret, base_url=mock.base_url)
    telemetry.enable(propagate=False)
    try:
        method2.request("GET", QUOTA)
    finally:
        telemetry.enable()
    assert [r.traceparent for r in mock.server.requests] == [None, None], "neither getToken nor the call sends it"
    (operation,) = named(finished(), "akool.request")
    (fetch,) = named(finished(), "akool.get_token")
    assert fetch.parent.span_id == operation.context.span_id, "the fetch is still the operation's child"
    EXPORTER.clear()
    telemetry.disable()
    try:
        akool(mock).request("GET", QUOTA)
    finally:
        telemetry.enable()
    assert finished() == []


def test_without_opentelemetry_installed_calls_work_untraced(mock: Mock) -> None:
    script = (
        "import sys; sys.modules['opentelemetry'] = None\n"  # what an install without the otel extra imports
        "import tokensmith; from tokensmith import _telemetry\n"
        "client = tokensmith.AkoolClient.from_api_key(sys.argv[1], base_url=sys.argv[2])\n"
        "client.request('GET', sys.argv[3])\n"
        "print(_telemetry._state['on'])\n"
    )
    run = subprocess.run([sys.executable, "-c", script, mock.server.api_key, mock.base_url, QUOTA],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False"
    assert mock.server.requests[-1].traceparent is None


#: A process that configures an SDK (unless told "no-sdk"), makes a method-2 call and prints how many spans its
#: exporter got.
UNTRACED = """
import sys
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
import tokensmith
exporter = InMemorySpanExporter()
if sys.argv[1] != "no-sdk":
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
client = tokensmith.AkoolClient.from_client_credentials(sys.argv[2], sys.argv[3], base_url=sys.argv[4])
with trace.get_tracer("app").start_as_current_span("handler"):
    client.request("GET", sys.argv[5])
print(len([s for s in exporter.get_finished_spans() if s.name != "handler"]))
"""


@pytest.mark.parametrize("setting", ["TOKENSMITH_TELEMETRY=off", "no-sdk", "on"])
def test_the_environments_off_switch_and_an_api_with_no_sdk_trace_nothing(mock: Mock, setting: str) -> None:
    env = dict(__import__("os").environ)
    env.pop("TOKENSMITH_TELEMETRY", None)
    if setting.startswith("TOKENSMITH_TELEMETRY="):
        env["TOKENSMITH_TELEMETRY"] = "off"
    args = [setting, mock.server.client_id, mock.server.client_secret, mock.base_url, QUOTA]
    run = subprocess.run([sys.executable, "-c", UNTRACED, *args], capture_output=True, text=True, timeout=60, env=env)
    assert run.returncode == 0, run.stderr
    sent = [r.traceparent for r in mock.server.requests]
    if setting == "on":  # the same process traces when nothing turns it off: the two above prove something
        assert run.stdout.strip() == "4" and all(sent), (run.stdout, sent)
    else:
        assert run.stdout.strip() == "0" and sent == [None, None], (run.stdout, sent)


def test_the_clients_telemetry_option(spans: None, mock: Mock) -> None:
    AkoolClient.from_api_key(mock.server.api_key, base_url=mock.base_url, telemetry="no_propagation").request("GET", QUOTA)
    assert mock.server.requests[-1].traceparent is None
    assert len(named(finished(), "akool.request")) == 1, "spans, without the context sent"
    EXPORTER.clear()
    AkoolClient.from_api_key(mock.server.api_key, base_url=mock.base_url, telemetry="off").request("GET", QUOTA)
    assert finished() == [] and mock.server.requests[-1].traceparent is None
    with pytest.raises(tokensmith.InvalidInputError, match="telemetry"):
        AkoolClient.from_api_key(mock.server.api_key, base_url=mock.base_url, telemetry="loud")


def test_a_traced_calls_log_records_carry_its_trace_and_span_ids(spans: None, mock: Mock) -> None:
    import logging

    records: List[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    # As OpenTelemetry's LoggingInstrumentor does: a record factory that sets the ids on every record (with `extra`,
    # the logging module would then refuse ours).
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        record.otelTraceID, record.otelSpanID = "0", "0"
        return record

    logging.setLogRecordFactory(factory)
    logger = logging.getLogger("tokensmith")
    handler, level = Keep(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    tokensmith.refresh_logging()
    try:
        mock.fault({"kind": "status", "status": 503, "path": QUOTA, "times": 1, "retry_after": "0"})
        akool(mock).request("GET", QUOTA)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logging.setLogRecordFactory(previous)
        tokensmith.refresh_logging()
    operation = named(finished(), "akool.request")[0]
    retrying = [r for r in records if r.getMessage().startswith("retrying")]
    assert retrying, [r.getMessage() for r in records]
    assert getattr(retrying[0], "otelTraceID") == f"{operation.context.trace_id:032x}"
    assert getattr(retrying[0], "otelSpanID") == f"{operation.context.span_id:016x}"

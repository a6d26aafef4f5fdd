package dev.tokensmith

import io.opentelemetry.api.GlobalOpenTelemetry
import io.opentelemetry.api.trace.SpanKind
import io.opentelemetry.api.trace.StatusCode
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator
import io.opentelemetry.context.propagation.ContextPropagators
import io.opentelemetry.extension.kotlin.asContextElement
import io.opentelemetry.sdk.OpenTelemetrySdk
import io.opentelemetry.sdk.metrics.SdkMeterProvider
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter
import io.opentelemetry.sdk.trace.SdkTracerProvider
import io.opentelemetry.sdk.trace.data.SpanData
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor
import java.io.File
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.json.JSONObject
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/**
 * OpenTelemetry (docs/observability.md) against the real SDK with in-memory exporters: installed as the library
 * loaded (opentelemetry-api is on the test classpath), the spans of every call join the caller's trace, across
 * coroutines with `asContextElement`, show retries and the shared token fetch, carry the error, match the
 * `traceparent` the server received, and hold no secret; the metrics are recorded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TelemetryTest {
    private val quota = "/api/open/v3/faceswap/quota/info"
    private val getToken = "/api/open/v3/getToken"
    private val spans = InMemorySpanExporter.create()
    private val metrics = InMemoryMetricReader.create()
    private lateinit var sdk: OpenTelemetrySdk

    @BeforeAll
    fun sdk() {
        sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build()
        GlobalOpenTelemetry.resetForTest()
        GlobalOpenTelemetry.set(sdk)
        // The hook declined the earlier classes' calls (no SDK) and would wait out its second before asking again:
        // what an application that registers its SDK after its first call does to be traced at once.
        TokensmithTelemetry.enable()
    }

    /** The classes after this one run without an SDK, as before. */
    @AfterAll
    fun noSdk() {
        GlobalOpenTelemetry.resetForTest()
        sdk.close()
    }

    @BeforeEach
    fun fresh() {
        Mock.reset()
        spans.reset()
    }

    private fun named(name: String): List<SpanData> = spans.finishedSpanItems.filter { it.name == name }

    private fun traceparent(span: SpanData) = "00-${span.traceId}-${span.spanId}-${span.spanContext.traceFlags.asHex()}"

    private fun apiKeyClient() = AkoolClient.fromApiKey(Mock.server.apiKey, ClientConfig(baseUrl = Mock.baseUrl, initialBackoffMs = 10))

    @Test
    fun `the bridge installed itself as the library loaded`() {
        apiKeyClient()
        assertTrue(TokensmithTelemetry.installedAtLoad, "autoInstall ran as the library loaded")
    }

    @Test
    fun `a blocking call is a child of the caller's span, its attempts follow the conventions and send its traceparent`() {
        Mock.fault("""{"kind": "status", "status": 503, "path": "$quota", "times": 1, "retry_after": "0"}""")
        val handler = sdk.getTracer("test").spanBuilder("handler").startSpan()
        handler.makeCurrent().use { apiKeyClient().request("GET", "$quota?page=2") }
        handler.end()
        val operation = named("akool.request").single()
        val attempts = named("GET").sortedBy { it.startEpochNanos }
        assertEquals(handler.spanContext.spanId, operation.parentSpanId)
        assertEquals(listOf(operation.spanId, operation.spanId), attempts.map { it.parentSpanId })
        assertEquals(SpanKind.CLIENT, attempts[0].kind)
        assertEquals(listOf(503L, 200L), attempts.map { it.attributes.asMap().entries.first { e -> e.key.key == "http.response.status_code" }.value })
        assertEquals(StatusCode.ERROR, attempts[0].status.statusCode)
        assertEquals("${Mock.baseUrl}$quota", attempts[0].attributes.asMap().entries.first { it.key.key == "url.full" }.value, "no query")
        assertEquals(1L, attempts[1].attributes.asMap().entries.first { it.key.key == "http.request.resend_count" }.value)
        val sent = Mock.server.requests().filter { it.path.startsWith(quota) }.map { it.traceparent }
        assertEquals(listOf(traceparent(operation), traceparent(operation)), sent, "every attempt sends the operation span's")
    }

    @Test
    fun `a suspend call under withContext(span asContextElement) is a child of that span`() {
        val parent = sdk.getTracer("test").spanBuilder("coroutine").startSpan()
        val client = AsyncAkoolClient.fromApiKey(Mock.server.apiKey, ClientConfig(baseUrl = Mock.baseUrl))
        runBlocking { withContext(parent.asContextElement()) { client.request("GET", quota) } }
        parent.end()
        assertEquals(parent.spanContext.spanId, named("akool.request").single().parentSpanId)
    }

    @Test
    fun `a CompletableFuture call (Java's async API) starts in the caller's context`() {
        val parent = sdk.getTracer("test").spanBuilder("java-caller").startSpan()
        val client = AsyncAkoolClient.fromApiKey(Mock.server.apiKey, ClientConfig(baseUrl = Mock.baseUrl))
        val call = parent.makeCurrent().use { client.requestAsync("GET", quota) }
        call.get(10, TimeUnit.SECONDS)
        parent.end()
        assertEquals(parent.spanContext.spanId, named("akool.request").single().parentSpanId)
    }

    @Test
    fun `64 concurrent method-2 calls show one token fetch, linked from the others`() {
        Mock.fault("""{"kind": "delay", "ms": 200, "path": "$getToken"}""")
        val client = Mock.server.akool()
        val pool = Executors.newFixedThreadPool(64)
        (1..64).map { pool.submit { client.request("GET", quota) } }.forEach { it.get() }
        pool.shutdown()
        pool.awaitTermination(10, TimeUnit.SECONDS)
        assertEquals(1, Mock.counts()["POST $getToken"])
        val fetch = named("akool.get_token").single()
        val operations = named("akool.request")
        assertEquals(64, operations.size)
        val leader = operations.single { it.spanId == fetch.parentSpanId }
        for (op in operations.filter { it !== leader }) {
            assertEquals(listOf(fetch.spanId), op.links.map { it.spanContext.spanId })
        }
        assertEquals(traceparent(leader), Mock.server.requests().first { it.path == getToken }.traceparent)
    }

    @Test
    fun `an error sets the status and error type to its kind, and no secret is recorded`() {
        Mock.fault("""{"kind": "akool_code", "code": 1200, "path": "$quota"}""")
        assertThrows(TokensmithException.AccountBanned::class.java) { apiKeyClient().request("GET", quota) }
        val operation = named("akool.request").single()
        assertEquals(StatusCode.ERROR, operation.status.statusCode)
        assertEquals("AccountBanned", operation.attributes.asMap().entries.first { it.key.key == "error.type" }.value)

        val canary = JSONObject(File(System.getProperty("tokensmith.cases")).readText()).getString("canary")
        Mock.fault("""{"kind": "echo_auth", "path": "$quota"}""")
        val leaky = AkoolClient.fromApiKey(canary, ClientConfig(baseUrl = Mock.baseUrl, maxRetries = 0))
        assertThrows(TokensmithException::class.java) { leaky.request("POST", quota, """{"secret": "$canary"}""") }
        Mock.server.akool().token()
        val text = spans.finishedSpanItems.toString() + metrics.collectAllMetrics().toString()
        for (secret in listOf(canary, Mock.server.apiKey, Mock.server.clientSecret, "Bearer ")) {
            assertFalse(text.contains(secret), "$secret in telemetry")
        }
    }

    @Test
    fun `a traced call's log records carry its trace and span ids in SLF4J's MDC`() {
        val seen = java.util.Collections.synchronizedList(mutableListOf<Pair<String?, String?>>())
        val handler = object : java.util.logging.Handler() {
            override fun publish(record: java.util.logging.LogRecord) {
                if (record.message.startsWith("retrying")) seen += org.slf4j.MDC.get("trace_id") to org.slf4j.MDC.get("span_id")
            }
            override fun flush() {}
            override fun close() {}
        }
        val logger = java.util.logging.Logger.getLogger("tokensmith")
        logger.addHandler(handler)
        logger.level = java.util.logging.Level.FINE
        TokensmithLogging.install()
        try {
            Mock.fault("""{"kind": "status", "status": 503, "path": "$quota", "times": 1, "retry_after": "0"}""")
            apiKeyClient().request("GET", quota)
        } finally {
            setLogSink(null, LogLevel.ERROR)
            logger.removeHandler(handler)
            logger.level = null
        }
        val operation = named("akool.request").single()
        assertEquals(listOf(operation.traceId to operation.spanId), seen.toList())
    }

    @Test
    fun `metrics record each attempt, and disable turns it all off`() {
        metrics.collectAllMetrics()
        apiKeyClient().request("GET", quota)
        val names = metrics.collectAllMetrics().map { it.name }
        assertTrue("http.client.request.duration" in names, "$names")
        TokensmithTelemetry.disable()
        try {
            spans.reset()
            apiKeyClient().request("GET", quota)
            assertTrue(spans.finishedSpanItems.isEmpty())
            assertNull(Mock.server.requests().last().traceparent)
        } finally {
            TokensmithTelemetry.enable()
        }
    }

    @Test
    fun `enable(propagate = false) sends no context, yet the token fetch stays the operation's child`() {
        TokensmithTelemetry.enable(propagate = false)
        try {
            Mock.server.akool().request("GET", quota)
        } finally {
            TokensmithTelemetry.enable()
        }
        assertEquals(listOf(null, null), Mock.server.requests().map { it.traceparent }, "neither getToken nor the call")
        assertEquals(named("akool.request").single().spanId, named("akool.get_token").single().parentSpanId)
    }
}

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
import java.net.URI
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
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
 * `traceparent` the server received, and hold no secret; the metrics are recorded. Credential pages are traced one
 * span per page in the caller's context, and the client's `telemetry` setting turns it off (or its propagation).
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

    private val credentials = "/api/v1/credentials/"

    /** The mock holding [n] credentials; the spans of their creation are forgotten. */
    private fun credentialsOnTheMock(n: Int) {
        val platform = Mock.server.platform()
        repeat(n) { platform.createCredential(NewCredential(Mock.server.applicationId)) }
        spans.reset()
    }

    /** The `traceparent` of each credential listing the mock received, oldest first. */
    private fun listingsSent() = Mock.server.requests().filter { it.method == "GET" && it.path.startsWith(credentials) }.map { it.traceparent }

    /** The page spans, first page first. */
    private fun pageSpans() = named("acedata.list_credentials").sortedBy { it.startEpochNanos }

    /** Each point of a metric's data by its attributes (keys by name): a histogram's count, a counter's value. */
    private fun points(name: String): Map<Map<String, Any>, Long> {
        val data = metrics.collectAllMetrics().filter { it.name == name }
        val histogram = data.flatMap { it.histogramData.points }.associate { it.attributes.asMap().mapKeys { e -> e.key.key } to it.count }
        val sum = data.flatMap { it.longSumData.points }.associate { it.attributes.asMap().mapKeys { e -> e.key.key } to it.value }
        return histogram + sum
    }

    /** What [after] added to [before] (the reader's metrics are cumulative over the class), by attributes. */
    private fun added(before: Map<Map<String, Any>, Long>, after: Map<Map<String, Any>, Long>) =
        after.mapValues { (attributes, value) -> value - (before[attributes] ?: 0L) }.filterValues { it != 0L }

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

    @Test
    fun `each credential page a Sequence fetches is an acedata_list_credentials span, a child of the caller's span`() {
        credentialsOnTheMock(3)
        val handler = sdk.getTracer("test").spanBuilder("handler").startSpan()
        val listed = handler.makeCurrent().use { Mock.server.platform().iterCredentials(CredentialFilter(limit = 2)).toList() }
        handler.end()
        assertEquals(3, listed.size)
        val pages = pageSpans()
        assertEquals(2, pages.size, "one span per page fetched, none for the end of the iteration")
        assertEquals(listOf(handler.spanContext.spanId, handler.spanContext.spanId), pages.map { it.parentSpanId })
        assertEquals(listOf(handler.spanContext.traceId, handler.spanContext.traceId), pages.map { it.traceId })
        assertEquals(listOf(SpanKind.INTERNAL, SpanKind.INTERNAL), pages.map { it.kind })
        for (page in pages) {
            val attempts = named("GET").filter { it.parentSpanId == page.spanId }
            val urls = attempts.map { it.attributes.asMap().entries.first { e -> e.key.key == "url.full" }.value }
            assertEquals(listOf("${Mock.baseUrl}$credentials"), urls, "one attempt per page, its URL without the query")
        }
        assertEquals(pages.map { traceparent(it) }, listingsSent(), "each page's request sends its own span's")
    }

    @Test
    fun `each page of credentialPages is a child of the span current when that page was asked for`() {
        credentialsOnTheMock(3)
        val tracer = sdk.getTracer("test")
        val pager = Mock.server.platform().credentialPages(CredentialFilter(limit = 2), null)
        val (first, second) = tracer.spanBuilder("first").startSpan() to tracer.spanBuilder("second").startSpan()
        assertEquals(2, first.makeCurrent().use { pager.nextPage() }?.size)
        assertEquals(1, second.makeCurrent().use { pager.nextPage() }?.size)
        assertNull(pager.nextPage(), "after the last page")
        first.end()
        second.end()
        assertEquals(listOf(first.spanContext.spanId, second.spanContext.spanId), pageSpans().map { it.parentSpanId })
        assertEquals(2, listingsSent().size, "the end asked for nothing")
    }

    @Test
    fun `each page a Flow collects under withContext(span asContextElement) is a child of that span`() {
        credentialsOnTheMock(3)
        val parent = sdk.getTracer("test").spanBuilder("coroutine").startSpan()
        val platform = Mock.server.asyncPlatform()
        val listed = runBlocking { withContext(parent.asContextElement()) { platform.iterCredentials(CredentialFilter(limit = 2)).toList() } }
        parent.end()
        assertEquals(3, listed.size)
        val pages = pageSpans()
        assertEquals(listOf(parent.spanContext.spanId, parent.spanContext.spanId), pages.map { it.parentSpanId })
        assertEquals(pages.map { traceparent(it) }, listingsSent())
    }

    @Test
    fun `a page that waited for another coroutine's page of the same pager is a child of its own caller's span`() {
        credentialsOnTheMock(3)
        Mock.fault("""{"kind": "delay", "ms": 200, "path": "$credentials"}""")
        val tracer = sdk.getTracer("test")
        val (first, second) = tracer.spanBuilder("first").startSpan() to tracer.spanBuilder("second").startSpan()
        val pager = Mock.server.asyncPlatform().credentialPages(CredentialFilter(limit = 2), null)
        val sizes = runBlocking(Dispatchers.Default) {
            val a = async(first.asContextElement()) { pager.nextPage()?.size }
            withTimeout(5_000) { while (listingsSent().isEmpty()) delay(5) } // the first page's request is out
            // Asks while the first page is in flight (the mock holds it 200 ms): it waits for the cursor, then lists
            // the second page.
            val b = async(second.asContextElement()) { pager.nextPage()?.size }
            listOf(a.await(), b.await())
        }
        first.end()
        second.end()
        assertEquals(setOf(2, 1), sizes.toSet())
        val parents = pageSpans().associate { it.parentSpanId to it.traceId }
        assertEquals(mapOf(first.spanContext.spanId to first.spanContext.traceId, second.spanContext.spanId to second.spanContext.traceId), parents)
        assertEquals(pageSpans().map { traceparent(it) }.toSet(), listingsSent().toSet())
    }

    @Test
    fun `a client built with telemetry = off makes no span, records no metric and sends no traceparent`() {
        val handler = sdk.getTracer("test").spanBuilder("handler").startSpan()
        val config = ClientConfig(baseUrl = Mock.baseUrl, telemetry = "off")
        val durations = points("http.client.request.duration")
        handler.makeCurrent().use {
            AkoolClient.fromClientCredentials(Mock.server.clientId, Mock.server.clientSecret, config).request("GET", quota)
            AceDataPlatform(Mock.server.platformToken, config).iterCredentials(CredentialFilter(limit = 2)).toList()
        }
        assertEquals(emptyList<String>(), spans.finishedSpanItems.map { it.name }, "neither the calls, the fetch nor a page")
        assertEquals(emptyMap<Map<String, Any>, Long>(), added(durations, points("http.client.request.duration")))
        val sent = Mock.server.requests().map { "${it.method} ${it.path.substringBefore('?')}" }
        assertEquals(listOf("POST $getToken", "GET $quota", "GET $credentials"), sent)
        assertEquals(listOf(null, null, null), Mock.server.requests().map { it.traceparent })

        // The same call from a client with the default setting, in the same context, is traced: the option did it.
        handler.makeCurrent().use { AkoolClient.fromApiKey(Mock.server.apiKey, ClientConfig(baseUrl = Mock.baseUrl)).request("GET", quota) }
        handler.end()
        assertEquals(traceparent(named("akool.request").single()), Mock.server.requests().last().traceparent)
    }

    @Test
    fun `a client built with telemetry = no_propagation makes spans but sends no traceparent`() {
        val config = ClientConfig(baseUrl = Mock.baseUrl, telemetry = "no_propagation")
        val handler = sdk.getTracer("test").spanBuilder("handler").startSpan()
        handler.makeCurrent().use {
            AkoolClient.fromClientCredentials(Mock.server.clientId, Mock.server.clientSecret, config).request("GET", quota)
            AceDataPlatform(Mock.server.platformToken, config).listCredentials(null)
        }
        handler.end()
        val operation = named("akool.request").single()
        assertEquals(handler.spanContext.spanId, operation.parentSpanId)
        assertEquals(operation.spanId, named("akool.get_token").single().parentSpanId, "the fetch is still the call's child")
        assertEquals(handler.spanContext.spanId, named("acedata.list_credentials").single().parentSpanId)
        assertEquals(3, named("GET").size + named("POST").size, "an attempt span per request")
        assertEquals(3, Mock.server.requests().size)
        assertEquals(listOf(null, null, null), Mock.server.requests().map { it.traceparent }, "getToken, the call, the listing")
        assertEquals(listOf(null, null, null), Mock.server.requests().map { it.tracestate })
    }

    @Test
    fun `metrics record the attempts' durations, the token fetch and the retry with its reason`() {
        val uri = URI(Mock.baseUrl)
        val server = mapOf<String, Any>("server.address" to uri.host)
        val before = listOf("http.client.request.duration", "tokensmith.token.fetches", "tokensmith.retries").associateWith { points(it) }
        val client = Mock.server.akool()
        client.request("GET", quota)
        Mock.fault("""{"kind": "status", "status": 503, "path": "$quota", "times": 1, "retry_after": "0"}""")
        client.request("GET", quota)
        assertEquals(1, Mock.counts()["POST $getToken"], "one token fetch, then the cached token")

        val attempt = server + mapOf("server.port" to uri.port.toLong())
        assertEquals(
            mapOf(
                attempt + mapOf("http.request.method" to "POST", "http.response.status_code" to 200L) to 1L,
                attempt + mapOf("http.request.method" to "GET", "http.response.status_code" to 200L) to 2L,
                attempt + mapOf("http.request.method" to "GET", "http.response.status_code" to 503L, "error.type" to "503") to 1L,
            ),
            added(before.getValue("http.client.request.duration"), points("http.client.request.duration")),
        )
        assertEquals(mapOf(server to 1L), added(before.getValue("tokensmith.token.fetches"), points("tokensmith.token.fetches")))
        assertEquals(
            mapOf(server + mapOf("tokensmith.retry.reason" to "status") to 1L),
            added(before.getValue("tokensmith.retries"), points("tokensmith.retries")),
        )
        val duration = metrics.collectAllMetrics().single { it.name == "http.client.request.duration" }
        assertEquals("s", duration.unit)
        assertEquals("tokensmith", duration.instrumentationScopeInfo.name)
        assertEquals(
            listOf(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0),
            duration.histogramData.points.first().boundaries,
            "the conventions' boundaries, in seconds",
        )
        assertEquals("{retry}", metrics.collectAllMetrics().single { it.name == "tokensmith.retries" }.unit)
    }
}

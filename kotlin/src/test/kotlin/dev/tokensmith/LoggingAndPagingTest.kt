package dev.tokensmith

import java.util.logging.Handler
import java.util.logging.Level
import java.util.logging.LogRecord
import java.util.logging.Logger
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** Logs into the JVM's logging, per-call options, applications and paging, as Kotlin users call them. */
class LoggingAndPagingTest {
    private val config get() = ClientConfig(baseUrl = Mock.baseUrl, initialBackoffMs = 10)
    private val app = "107f8d0f-e465-4a7e-a49e-d633d26f7aa2"
    private val records = mutableListOf<LogRecord>()
    private val capture = object : Handler() {
        override fun publish(record: LogRecord) { synchronized(records) { records.add(record) } }
        override fun flush() {}
        override fun close() {}
    }
    private val root = Logger.getLogger("tokensmith")

    @BeforeEach
    fun setUp() {
        Mock.reset()
        root.addHandler(capture)
    }

    @AfterEach
    fun tearDown() {
        root.removeHandler(capture)
        root.level = null
        TokensmithLogging.uninstall()
    }

    private fun logged(): List<LogRecord> = synchronized(records) { records.toList() }

    @Test
    fun `records reach SLF4J at the most verbose level, never with a secret`() {
        root.level = Level.ALL
        TokensmithLogging.install()
        assertEquals("slf4j", TokensmithLogging.backend, "slf4j-jdk14 is the tests' SLF4J provider")
        val secret = "mock-api-key-0123456789abcdefghi"
        val akool = AkoolClient.fromClientCredentials("mock-client-id", secret, config)
        akool.request("GET", "/api/open/v3/faceswap/quota/info")
        val token = akool.token()
        val text = logged().joinToString("\n") { "${it.loggerName} ${it.level} ${it.message}" }
        assertTrue(text.contains("tokensmith.transport FINE POST /api/open/v3/getToken -> 200"), text)
        assertTrue(text.contains("GET /api/open/v3/faceswap/quota/info -> 200"), text)
        assertFalse(text.contains(secret) || text.contains(token), text)
    }

    @Test
    fun `java util logging is used without SLF4J, and its level silences the records`() {
        root.level = Level.WARNING
        TokensmithLogging.install(preferSlf4j = false)
        assertEquals("java.util.logging", TokensmithLogging.backend)
        AceDataPlatform("platform-v1-mock-0123456789", config).listCredentials(null)
        assertEquals(emptyList<LogRecord>(), logged())
        root.level = Level.FINE
        TokensmithLogging.install(preferSlf4j = false)
        AceDataPlatform("platform-v1-mock-0123456789", config).listCredentials(null)
        assertTrue(logged().any { it.message.contains("GET /api/v1/credentials/ -> 200") }, logged().toString())
    }

    @Test
    fun `a sink's failing calls on the calling thread leave the outer call's outcome alone`() {
        // A blocking call's I/O runs on the calling thread, so its records reach the sink there, inside the call:
        // each call the sink makes nests in it, and must not leave its failure in the outer call's status
        // (scripts/patch-kotlin-bindings reuses the statuses per thread and depth).
        val caller = Thread.currentThread()
        val nested = mutableListOf<String>()
        setLogSink(object : LogSink {
            override fun log(level: LogLevel, target: String, message: String, traceId: String?, spanId: String?) {
                if (Thread.currentThread() !== caller) return
                // Caught here: a sink that throws fails the call that logged.
                nested += try {
                    "returned ${millisFromSeconds("nested_timeout", Double.NaN)}"
                } catch (refused: TokensmithException.InvalidInput) {
                    refused.details.field ?: "no field"
                }
            }
        }, LogLevel.DEBUG)
        val platform = AceDataPlatform("platform-v1-mock-0123456789", config)
        platform.createCredential(NewCredential(app))
        assertEquals(1L, platform.listCredentials(null).count)
        assertTrue(nested.isNotEmpty(), "the sink ran on the calling thread, inside the calls")
        assertEquals(listOf("nested_timeout"), nested.distinct())
        nested.clear()
        Mock.fault("""{"kind": "status", "status": 503, "method": "GET", "times": 1}""")
        val failed = assertThrows<TokensmithException.Server> {
            platform.listCredentials(null, CallOptions(maxRetries = 0))
        }
        assertEquals(503, failed.details.status)
        assertEquals(listOf("nested_timeout"), nested.distinct(), "the failing call logged, and its sink failed too")
        assertEquals(1L, platform.listCredentials(null).count, "and the next call is unaffected")
    }

    @Test
    fun `per-call options reach one call only, and auth headers cannot be overridden`() {
        val platform = AceDataPlatform("platform-v1-mock-0123456789", config)
        platform.listCredentials(null, CallOptions(headers = mapOf("X-Tenant" to "acme"), timeoutMs = 5_000))
        platform.listCredentials(null)
        val seen = Mock.state().getJSONArray("requests")
        assertEquals("acme", seen.getJSONObject(0).getJSONObject("headers").getString("x-tenant"))
        assertFalse(seen.getJSONObject(1).getJSONObject("headers").has("x-tenant"))
        val refused = assertThrows<TokensmithException.InvalidInput> {
            platform.getCredential(app, CallOptions(headers = mapOf("x-api-key" to "other")))
        }
        assertEquals("headers", refused.details.field)
        Mock.fault("""{"kind": "status", "status": 503, "method": "GET", "times": 1}""")
        assertThrows<TokensmithException.Server> { platform.listCredentials(null, CallOptions(maxRetries = 0)) }
        val options = CallOptions(headers = mapOf("x-tenant-token" to "canary-kt-header-value"), maxRetries = 1)
        assertEquals("CallOptions(timeoutMs=null, headers=[x-tenant-token], maxRetries=1)", options.toString())
    }

    @Test
    fun `credentials page lazily as a Sequence and a Flow, and applications are listed`() {
        val platform = AceDataPlatform("platform-v1-mock-0123456789", config)
        repeat(3) { platform.createCredential(NewCredential(app)) }
        val all = platform.iterCredentials(CredentialFilter(limit = 2))
        assertEquals(null, Mock.counts()["GET /api/v1/credentials/"], "nothing is fetched before iterating")
        assertEquals(3, all.count())
        assertEquals(2, Mock.counts()["GET /api/v1/credentials/"])
        val async = AsyncAceDataPlatform("platform-v1-mock-0123456789", config)
        val first = runBlocking { async.iterCredentials(CredentialFilter(limit = 1)).take(1).toList() }
        assertEquals(1, first.size)
        assertEquals(3, Mock.counts()["GET /api/v1/credentials/"], "take(1) stops after the first page")
        val apps = platform.listApplications(null)
        assertEquals(2L, apps.count)
        assertEquals("Api", platform.getApplication(app).kind)
    }
}

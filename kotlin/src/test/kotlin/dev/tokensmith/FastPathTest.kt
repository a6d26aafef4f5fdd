package dev.tokensmith

import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

/**
 * The JNI fast path (FastPath.kt) against UniFFI's path, on the same client: bound here (the jar's tests, and with
 * them the conformance suite, take it for every call, with call options or without), one runtime and one token
 * cache for both, the same answers, the same exceptions with the same details. Each pair below is the one call made
 * both ways: [viaUniffi] turns the fast path off for a moment.
 */
class FastPathTest {
    private val quota = "/api/open/v3/faceswap/quota/info"
    private val getToken = "POST /api/open/v3/getToken"

    /** [call] on UniFFI's path (the fast path off while it runs; the tests of this class run one at a time). */
    private inline fun <T> viaUniffi(call: () -> T): T {
        val bound = FastPath.available
        FastPath.available = false
        try {
            return call()
        } finally {
            FastPath.available = bound
        }
    }

    @BeforeEach
    fun fresh() = Mock.reset()

    @Test
    fun `the fast path is bound to the library JNA loaded`() {
        assertTrue(FastPath.available, "the JNI entry points did not bind: every call would take UniFFI's path")
    }

    @Test
    fun `both paths share one token cache and give the same answers`() {
        AkoolClient.fromClientCredentials(Mock.server.clientId, Mock.server.clientSecret, Mock.server.config()).use { akool ->
            val token = akool.token() // fast path: fetches it
            assertEquals(token, akool.authHeaders()["authorization"]!!.removePrefix("Bearer "))
            val fast = akool.request("GET", "$quota?page=2")
            val slow = viaUniffi { akool.request("GET", "$quota?page=2") }
            assertEquals(slow, fast)
            assertTrue(fast.contains("\"auth\":\"bearer\""), fast)
            assertEquals(1, Mock.counts()[getToken], "one token fetch for both paths: one runtime, one cache")
            val body = "{\"name\": \"\u00e9t\u00e9 \ud83c\udf1e\"}" // not modified UTF-8: a 4-byte character crosses whole
            val echoed = akool.request("POST", quota, body)
            assertTrue(echoed.contains("\"name\":\"\u00e9t\u00e9 \ud83c\udf1e\""), echoed)
        }
    }

    @Test
    fun `a failure is the same exception with the same details on both paths`() {
        AkoolClient.fromApiKey(Mock.server.apiKey, Mock.server.config()).use { akool ->
            Mock.fault("""{"kind": "akool_code", "code": 1200, "path": "$quota", "times": 2}""")
            val fast = assertThrows(TokensmithException.AccountBanned::class.java) { akool.request("GET", quota) }
            val slow = assertThrows(TokensmithException.AccountBanned::class.java) { viaUniffi { akool.request("GET", quota) } }
            assertEquals(slow.details, fast.details)
            assertEquals(slow.message, fast.message)
            val badFast = assertThrows(TokensmithException.InvalidInput::class.java) { akool.request("FETCH", quota) }
            val badSlow = assertThrows(TokensmithException.InvalidInput::class.java) { viaUniffi { akool.request("FETCH", quota) } }
            assertEquals(badSlow.details, badFast.details)
            val unsupported = assertThrows(TokensmithException.Unsupported::class.java) { akool.token() }
            assertTrue(unsupported.message!!.contains("client credentials"), unsupported.message)
        }
    }

    @Test
    fun `32 threads on the fast path share one token fetch`() {
        Mock.fault("""{"kind": "delay", "ms": 200, "path": "/api/open/v3/getToken"}""")
        AkoolClient.fromClientCredentials(Mock.server.clientId, Mock.server.clientSecret, Mock.server.config()).use { akool ->
            val pool = Executors.newFixedThreadPool(32)
            val answers = (1..32).map { pool.submit<String> { akool.request("GET", quota) } }.map { it.get(10, TimeUnit.SECONDS) }
            pool.shutdown()
            assertTrue(answers.all { it.contains("\"auth\":\"bearer\"") })
            assertEquals(1, Mock.counts()[getToken])
        }
    }

    @Test
    fun `a call with options takes the fast path and its options take effect as on UniFFI's path`() = runBlocking {
        val options = CallOptions(timeoutMs = 5_000, headers = mapOf("x-tenant" to "t-42"), maxRetries = 0)
        AkoolClient.fromApiKey(Mock.server.apiKey, Mock.server.config()).use { akool ->
            assertEquals(viaUniffi { akool.request("GET", quota, null, options) }, akool.request("GET", quota, null, options))
            assertEquals(listOf("t-42", "t-42"), Mock.server.requests().map { it.headers["x-tenant"] }, "both sent the header")
            // No retry with maxRetries = 0, on either path: one 503 each, and the same exception.
            Mock.fault("""{"kind": "status", "status": 503, "path": "$quota", "times": 2, "retry_after": "0"}""")
            val fast = assertThrows(TokensmithException::class.java) { akool.request("GET", quota, null, options) }
            val slow = assertThrows(TokensmithException::class.java) { viaUniffi { akool.request("GET", quota, null, options) } }
            assertEquals(slow.message, fast.message)
            assertEquals(2 + 2, Mock.counts()["GET $quota"], "two answered calls, two unretried 503s")
            // Options the core refuses: the same InvalidInput, before anything is sent.
            val bad = CallOptions(timeoutMs = 0)
            val badFast = assertThrows(TokensmithException.InvalidInput::class.java) { akool.request("GET", quota, null, bad) }
            val badSlow = assertThrows(TokensmithException.InvalidInput::class.java) { viaUniffi { akool.request("GET", quota, null, bad) } }
            assertEquals(badSlow.details, badFast.details)
            assertEquals(4, Mock.counts()["GET $quota"])
        }
        AsyncAkoolClient.fromApiKey(Mock.server.apiKey, Mock.server.config()).use { akool ->
            Mock.reset()
            assertEquals(viaUniffi { akool.request("GET", quota, null, options) }, akool.request("GET", quota, null, options))
            assertEquals(listOf("t-42", "t-42"), Mock.server.requests().map { it.headers["x-tenant"] })
            // The path it took: a fast-path call is completed by the bridge thread, where an unconfined coroutine
            // resumes; UniFFI's by the core's. Each answer is held up a little: an answer faster than the caller's
            // suspension would let the coroutine go on without suspending, on the caller's thread.
            Mock.fault("""{"kind": "delay", "ms": 50, "path": "$quota", "times": 2}""")
            val resumedOn = withContext(Dispatchers.Unconfined) {
                akool.request("GET", quota, null, options)
                Thread.currentThread().name
            }
            assertTrue(resumedOn.startsWith("tokensmith-bridge"), "the fast path resumed on $resumedOn") // + " @coroutine#N" in debug mode
            val viaUniffiOn = withContext(Dispatchers.Unconfined) {
                akool.request("GET", quota, null, options, Cancellation()) // a Cancellation keeps UniFFI's path
                Thread.currentThread().name
            }
            assertFalse(viaUniffiOn.startsWith("tokensmith-bridge"), "UniFFI's path resumed on $viaUniffiOn")
            val bad = runCatching { akool.request("GET", quota, null, CallOptions(timeoutMs = 0)) }.exceptionOrNull()
            assertTrue(bad is TokensmithException.InvalidInput, "$bad")
        }
    }

    @Test
    fun `a closed client refuses the fast path as UniFFI's path does`() {
        val akool = AkoolClient.fromApiKey(Mock.server.apiKey, Mock.server.config())
        akool.close()
        val fast = assertThrows(IllegalStateException::class.java) { akool.request("GET", quota) }
        val slow = assertThrows(IllegalStateException::class.java) { viaUniffi { akool.request("GET", quota) } }
        assertEquals(slow.message, fast.message)
        assertFalse(Mock.counts().containsKey("GET $quota"), "nothing was sent")
    }

    @Test
    fun `a suspend call on the fast path answers and fails as on UniFFI's path`() = runBlocking {
        AsyncAkoolClient.fromApiKey(Mock.server.apiKey, Mock.server.config()).use { akool ->
            assertEquals(viaUniffi { akool.request("GET", "$quota?page=2") }, akool.request("GET", "$quota?page=2"))
            Mock.fault("""{"kind": "akool_code", "code": 1200, "path": "$quota", "times": 2}""")
            val fast = runCatching { akool.request("GET", quota) }.exceptionOrNull() as TokensmithException.AccountBanned
            val slow = runCatching { viaUniffi { akool.request("GET", quota) } }.exceptionOrNull() as TokensmithException.AccountBanned
            assertEquals(slow.details, fast.details)
            val bad = runCatching { akool.request("FETCH", quota) }.exceptionOrNull()
            assertTrue(bad is TokensmithException.InvalidInput, "$bad")
        }
    }

    @Test
    fun `64 coroutines on the fast path share one token fetch, and a cancelled one aborts its request`() = runBlocking {
        Mock.fault("""{"kind": "delay", "ms": 200, "path": "/api/open/v3/getToken"}""")
        AsyncAkoolClient.fromClientCredentials(Mock.server.clientId, Mock.server.clientSecret, Mock.server.config()).use { akool ->
            val answers = (1..64).map { async { akool.request("GET", quota) } }.awaitAll()
            assertTrue(answers.all { it.contains("\"auth\":\"bearer\"") })
            assertEquals(1, Mock.counts()[getToken])

            Mock.fault("""{"kind": "delay", "ms": 2000, "path": "$quota", "times": 1}""")
            val started = System.nanoTime()
            assertThrows(TimeoutCancellationException::class.java) { runBlocking { withTimeout(100) { akool.request("GET", quota) } } }
            assertTrue((System.nanoTime() - started) / 1_000_000 < 1500, "cancelling waited for the answer")
            assertTrue(akool.request("GET", quota).contains("bearer"), "the client goes on working")
            Thread.sleep(2100) // a retry of the cancelled call would have arrived by now
            assertEquals(66, Mock.counts()["GET $quota"], "64, the cancelled one, the last: nothing retried")
        }
    }
}

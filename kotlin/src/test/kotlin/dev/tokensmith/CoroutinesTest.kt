package dev.tokensmith

import java.util.concurrent.Executors
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** The suspend functions of the async clients: one token fetch, cancellation, a dispatcher that keeps running. */
class CoroutinesTest {
    private val config get() = ClientConfig(baseUrl = Mock.baseUrl, initialBackoffMs = 10)
    private val quota = "/api/open/v3/faceswap/quota/info"
    private val getToken = "/api/open/v3/getToken"

    @BeforeEach
    fun reset() {
        Mock.reset()
    }

    @Test
    fun `sixty-four first calls share one token fetch`() = runBlocking {
        Mock.fault("""{"kind": "delay", "ms": 200, "path": "$getToken"}""")
        val akool = AsyncAkoolClient.fromClientCredentials("mock-client-id", "mock-api-key-0123456789abcdefghi", config)
        val answers = (1..64).map { async { akool.request("GET", quota) } }.awaitAll()
        answers.forEach { assertEquals("bearer", JSONObject(it).getString("auth")) }
        assertEquals(mapOf("POST $getToken" to 1, "GET $quota" to 64), Mock.counts())
    }

    @Test
    fun `the core's threads that resume coroutines stay attached to the JVM`() = runBlocking {
        val akool = AsyncAkoolClient.fromApiKey("mock-api-key-0123456789abcdefghi", config)
        // The JNI fast path completes from the bridge thread; UniFFI's path (a call with a Cancellation) from the
        // core's threads.
        repeat(20) { akool.request("GET", quota) }
        repeat(20) { akool.request("GET", quota, cancellation = Cancellation()) }
        // JNA would attach a fresh Thread for each continuation callback and detach it after; kept attached, the
        // core's threads show up as live daemon threads under their own names.
        for (name in listOf("tokensmith-bridge", "tokensmith-io")) {
            val attached = Thread.getAllStackTraces().keys.filter { it.name == name }
            assertTrue(attached.isNotEmpty() && attached.all { it.isDaemon }, "no attached $name thread")
        }
    }

    @Test
    fun `a cancelled coroutine aborts its call and the client keeps working`() = runBlocking {
        val akool = AsyncAkoolClient.fromApiKey("mock-api-key-0123456789abcdefghi", config)
        Mock.fault("""{"kind": "delay", "ms": 3000, "path": "$quota"}""")
        val started = System.nanoTime()
        assertThrows<TimeoutCancellationException> { runBlocking { withTimeout(100) { akool.request("GET", quota) } } }
        assertTrue((System.nanoTime() - started) / 1_000_000 < 1500, "cancelling waited for the answer")
        Mock.fault("""{"kind": "delay", "ms": 3000, "path": "$quota"}""")
        val job = launch { akool.request("GET", quota) }
        delay(50)
        job.cancel()
        job.join()
        assertTrue(job.isCancelled)
        assertEquals("x-api-key", JSONObject(akool.request("GET", quota)).getString("auth"))
        assertEquals(3, Mock.counts()["GET $quota"], "cancelled calls are not retried")
    }

    @Test
    fun `the dispatcher keeps ticking while fifty calls wait`() {
        val akool = AsyncAkoolClient.fromApiKey("mock-api-key-0123456789abcdefghi", config)
        Mock.fault("""{"kind": "delay", "ms": 500, "path": "$quota", "times": 50}""")
        Executors.newSingleThreadExecutor().asCoroutineDispatcher().use { single ->
            runBlocking(single) {
                var worst = 0L
                var running = true
                val ticker = launch {
                    var last = System.nanoTime()
                    while (running) {
                        delay(10)
                        val now = System.nanoTime()
                        worst = maxOf(worst, (now - last) / 1_000_000 - 10)
                        last = now
                    }
                }
                val started = System.nanoTime()
                (1..50).map { async { akool.request("GET", quota) } }.awaitAll()
                val elapsed = (System.nanoTime() - started) / 1_000_000
                running = false
                ticker.join()
                assertTrue(elapsed < 2500, "50 calls of 500 ms did not overlap: $elapsed ms")
                assertTrue(worst < 50, "the dispatcher's only thread stalled for $worst ms")
            }
        }
    }

    @Test
    fun `errors and the credential lifecycle through suspend functions`() = runBlocking {
        val platform = AsyncAceDataPlatform("platform-v1-mock-0123456789", config)
        val created = platform.createCredential(NewCredential("107f8d0f-e465-4a7e-a49e-d633d26f7aa2", limitedAmount = 5.0))
        val token = created.token()!!
        assertTrue(!created.toString().contains(token) && !platform.toString().contains(token))
        val rotated = withContext(kotlinx.coroutines.Dispatchers.IO) { platform.rotateCredential(created.id()) }
        assertTrue(rotated.token() != token)
        platform.deleteCredential(created.id())
        val gone = assertThrows<TokensmithException.NotFound> { runBlocking { platform.getCredential(created.id()) } }
        assertEquals(404, gone.details.status)
        val bad = assertThrows<TokensmithException.InvalidInput> { runBlocking { platform.getCredential("nope") } }
        assertEquals("id", bad.details.field)
    }

    @Test
    fun `a cancellation passed in stops the call`() = runBlocking {
        val akool = AsyncAkoolClient.fromApiKey("mock-api-key-0123456789abcdefghi", config)
        Mock.fault("""{"kind": "delay", "ms": 3000, "path": "$quota"}""")
        val cancellation = Cancellation()
        val call = async { runCatching { akool.request("GET", quota, null, cancellation = cancellation) } }
        delay(50)
        cancellation.cancel()
        val failure = call.await().exceptionOrNull()
        assertTrue(failure is TokensmithException.Transport && failure !is CancellationException, "$failure")
    }
}

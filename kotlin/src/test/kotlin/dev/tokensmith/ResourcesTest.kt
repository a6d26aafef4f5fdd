package dev.tokensmith

import java.io.File
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * Memory and native resources from the JVM, for the blocking and the suspend API: heap after GC stays flat; closed
 * clients give back their threads.
 */
class ResourcesTest {
    private val config get() = ClientConfig(baseUrl = Mock.baseUrl)

    private fun heapAfterGc(): Long {
        repeat(3) { System.gc(); Thread.sleep(50) }
        val runtime = Runtime.getRuntime()
        return runtime.totalMemory() - runtime.freeMemory()
    }

    /** OS threads of this process, native ones (the core's runtime threads) included. */
    private fun osThreads(): Int = File("/proc/self/task").list()!!.size

    @Test
    fun `heap after GC stays flat over thousands of requests`() {
        AkoolClient.fromApiKey("mock-api-key-0123456789abcdefghi", config).use { akool ->
            repeat(500) { akool.request("GET", "/api/open/v3/faceswap/quota/info") }
            val first = heapAfterGc()
            repeat(3_000) { akool.request("GET", "/api/open/v3/faceswap/quota/info") }
            val last = heapAfterGc()
            println("JVM heap after GC: ${first / 1024} KiB after 500 requests, ${last / 1024} KiB after 3 500")
            assertTrue(last - first < 16L * 1024 * 1024, "heap grew from $first to $last bytes")
        }
    }

    @Test
    fun `closed clients give their native threads back`() {
        AkoolClient.fromApiKey("mock-api-key-0123456789abcdefghi", config).use { it.request("GET", "/api/open/v3/x") }
        val before = osThreads()
        repeat(50) {
            AkoolClient.fromApiKey("mock-api-key-0123456789abcdefghi", config).use { akool ->
                akool.request("GET", "/api/open/v3/faceswap/quota/info")
            }
        }
        Thread.sleep(200)
        val after = osThreads()
        println("OS threads: $before before, $after after 50 clients were built, used and closed")
        assertTrue(after <= before + 2, "threads grew from $before to $after")
    }

    @Test
    fun `heap and threads stay flat over thousands of suspend calls`() = runBlocking {
        AsyncAkoolClient.fromApiKey("mock-api-key-0123456789abcdefghi", config).use { akool ->
            suspend fun burst(calls: Int) = (1..calls).chunked(50).forEach { chunk ->
                chunk.map { async { akool.request("GET", "/api/open/v3/faceswap/quota/info") } }.awaitAll()
            }
            burst(500)
            val (firstHeap, firstThreads) = heapAfterGc() to osThreads()
            burst(3_000)
            val (lastHeap, lastThreads) = heapAfterGc() to osThreads()
            println("suspend calls: heap ${firstHeap / 1024} -> ${lastHeap / 1024} KiB, threads $firstThreads -> $lastThreads")
            assertTrue(lastHeap - firstHeap < 16L * 1024 * 1024, "heap grew from $firstHeap to $lastHeap bytes")
            assertTrue(lastThreads <= firstThreads + 2, "threads grew from $firstThreads to $lastThreads")
        }
    }
}

package dev.tokensmith

import java.io.File
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** Memory and native resources from the JVM: heap after GC stays flat; closed clients give back their threads. */
class ResourcesTest {
    private val config get() = ClientConfig(baseUrl = Mock.baseUrl)

    private fun heapAfterGc(): Long {
        repeat(3) { System.gc(); Thread.sleep(50) }
        val runtime = Runtime.getRuntime()
        return runtime.totalMemory() - runtime.freeMemory()
    }

    /** OS threads of this process, native ones (reqwest's runtime threads) included. */
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
}

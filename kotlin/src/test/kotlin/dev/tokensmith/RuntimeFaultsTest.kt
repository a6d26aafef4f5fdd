package dev.tokensmith

import java.lang.ref.WeakReference
import java.lang.reflect.InvocationTargetException
import java.lang.reflect.Method
import java.net.URL
import java.net.URLClassLoader
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.junit.jupiter.api.assertTimeoutPreemptively

/**
 * What the runtime under the JVM API meets in production: servers closing idle connections and restarting, a
 * blocking call made on the core's own thread, and the jar loaded again by a fresh class loader (a redeploy).
 */
class RuntimeFaultsTest {
    // No retries: a closed connection must be survived by noticing it (docs/retries.md), not by retrying.
    private val config get() = ClientConfig(baseUrl = Mock.baseUrl, maxRetries = 0)
    private val apiKey = "mock-api-key-0123456789abcdefghi"
    private val clientId = "mock-client-id"
    private val platformToken = "platform-v1-mock-0123456789"
    private val applicationId = "107f8d0f-e465-4a7e-a49e-d633d26f7aa2"
    private val quota = "/api/open/v3/faceswap/quota/info"

    // Milliseconds in CI; `scripts/test-reliability --long` sets 1 s and 100 rounds.
    private val idleMs = System.getenv("TOKENSMITH_FAULT_IDLE_MS")?.toLong() ?: 50L
    private val rounds = System.getenv("TOKENSMITH_FAULT_ROUNDS")?.toInt() ?: 5

    @BeforeEach
    fun reset() {
        Mock.reset()
    }

    /** Also turns the idle close off, for the test classes that run after this one. */
    @AfterEach
    fun resetAfter() {
        Mock.reset()
    }

    private fun heldCredentials(): Int = JSONArray(Mock.server.credentialsJson()).length()

    /**
     * The blocking runtime is driven only during calls, so it must read the server's idle closes and a restart's
     * closes before reusing a pooled connection: a create (never resent) would fail otherwise.
     */
    @Test
    @Timeout(value = 900, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    fun `blocking clients survive idle closes and restarts`() {
        AceDataPlatform(platformToken, config).use { platform ->
            AkoolClient.fromClientCredentials(clientId, apiKey, config).use { akool ->
                Mock.server.setIdleClose(idleMs)
                // The setting closes at once what earlier tests left open; a request written at that very instant
                // is the race no client can win (docs/retries.md), so the first call comes after.
                Thread.sleep(2 * idleMs)
                for (round in 0 until rounds) {
                    platform.createCredential(NewCredential(applicationId))
                    assertEquals("bearer", JSONObject(akool.request("GET", quota)).getString("auth"), "round $round")
                    // A restart closes the connections just used, before the idle close would.
                    if (round % 2 == 1) Mock.server.restart()
                    Thread.sleep(2 * idleMs)
                }
            }
        }
        assertEquals(rounds, heldCredentials(), Mock.server.credentialsJson())
        assertEquals(rounds, Mock.counts()["GET $quota"], "every GET reached the server once: ${Mock.counts()}")
    }

    /** The same from the suspend clients, whose I/O runs on the core's runtime, which watches its connections. */
    @Test
    @Timeout(value = 900, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    fun `suspend clients survive idle closes and restarts`() = runBlocking {
        AsyncAceDataPlatform(platformToken, config).use { platform ->
            AsyncAkoolClient.fromClientCredentials(clientId, apiKey, config).use { akool ->
                Mock.server.setIdleClose(idleMs)
                delay(2 * idleMs) // see the blocking test
                for (round in 0 until rounds) {
                    platform.createCredential(NewCredential(applicationId))
                    assertEquals("bearer", JSONObject(akool.request("GET", quota)).getString("auth"), "round $round")
                    if (round % 2 == 1) Mock.server.restart()
                    delay(2 * idleMs)
                }
            }
        }
        assertEquals(rounds, heldCredentials(), Mock.server.credentialsJson())
        assertEquals(rounds, Mock.counts()["GET $quota"], "every GET reached the server once: ${Mock.counts()}")
    }

    /**
     * Under Dispatchers.Unconfined a coroutine resumes on the core's thread that completed its call; a blocking
     * call there would park the thread its own I/O needs. It must fail at once naming the cause and the fix (or,
     * on any other thread, work), never hang.
     */
    @Test
    fun `a blocking call from a coroutine resumed on the core's thread fails at once instead of hanging`() {
        val async = AsyncAkoolClient.fromApiKey(apiKey, config)
        val blocking = AkoolClient.fromApiKey(apiKey, config)
        val onCoreThread = (1..8).map { attempt ->
            val (thread, outcome, millis) = assertTimeoutPreemptively(Duration.ofSeconds(5)) {
                runBlocking {
                    withContext(Dispatchers.Unconfined) {
                        async.request("GET", quota)
                        val resumedOn = Thread.currentThread().name
                        val started = System.nanoTime()
                        val result = runCatching { blocking.request("GET", quota) }
                        Triple(resumedOn, result, (System.nanoTime() - started) / 1_000_000)
                    }
                }
            }
            val error = outcome.exceptionOrNull()
            if (error != null) {
                // Resumed on one of the core's threads (JNA may give the attached thread another Java name).
                assertTrue(error is TokensmithException.Unsupported, "attempt $attempt on $thread: $outcome")
                val message = error.message!!
                assertTrue(message.contains("tokensmith-io"), "the cause is not named: $message")
                assertTrue(message.contains("async API") && message.contains("thread of your own"), "no fix named: $message")
                assertTrue(millis < 1000, "it failed after $millis ms, not at once")
            } else {
                assertEquals("x-api-key", JSONObject(outcome.getOrThrow()).getString("auth"), "attempt $attempt on $thread")
            }
            error != null
        }
        // UniFFI resumes the continuation from the thread that woke the Rust future: one of the core's.
        assertTrue(true in onCoreThread, "no coroutine resumed on a core thread in 8 attempts")
        async.close()
        blocking.close()
    }

    /**
     * An application server's redeploy: the package loaded by one class loader, used, closed and dropped, then by
     * a second one, whose calls must work. In a JVM of its own ([ClassLoaderRedeploy]): the native library stays
     * loaded in the process, and a second loader's UniFFI registrations (the log sink's callbacks) replace the
     * process's, which would take the sink from the other test classes.
     */
    @Test
    fun `a second class loader's calls work after the first was closed`() {
        val javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString()
        val process = ProcessBuilder(javaBinary, "-cp", System.getProperty("java.class.path"), ClassLoaderRedeploy::class.java.name, Mock.baseUrl)
            .redirectErrorStream(true)
            .start()
        val finished = process.waitFor(60, TimeUnit.SECONDS)
        val output = process.inputStream.bufferedReader().readText()
        if (!finished) process.destroyForcibly()
        assertTrue(finished, "the redeploy hung: $output")
        assertEquals(0, process.exitValue(), output)
        assertTrue(output.contains("first loader: x-api-key,bearer") && output.contains("second loader: x-api-key,bearer"), output)
    }
}

/**
 * The redeploy of [RuntimeFaultsTest], as a program: its class path's entries loaded by a first [URLClassLoader],
 * which makes method-1 and method-2 calls, is closed and (if the JVM will) collected; then by a second one, whose
 * calls must work within 10 s. This class itself touches the package only by reflection, through those loaders.
 */
object ClassLoaderRedeploy {
    private const val API_KEY = "mock-api-key-0123456789abcdefghi"
    private const val QUOTA = "/api/open/v3/faceswap/quota/info"

    @JvmStatic
    fun main(args: Array<String>) {
        val baseUrl = args[0]
        val classpath = System.getProperty("java.class.path").split(java.io.File.pathSeparator)
            .flatMap { entry -> manifestClassPath(entry) + java.io.File(entry).toURI().toURL() }
            .distinct()
            .toTypedArray()
        val first = usedInOwnLoaderAndClosed(classpath, baseUrl)
        val deadline = System.nanoTime() + 5_000_000_000L
        while (first.get() != null && System.nanoTime() < deadline) {
            System.gc()
            Thread.sleep(100)
        }
        // Collection is up to the JVM (and to the threads the first loader's calls attached): reported only.
        println("first loader ${if (first.get() == null) "collected" else "not collected within 5 s"}")
        var second: List<String>? = null
        val worker = thread(name = "second-class-loader") {
            second = URLClassLoader(classpath, ClassLoader.getPlatformClassLoader()).use { callsThrough(it, baseUrl) }
        }
        worker.join(10_000)
        check(!worker.isAlive) { "the second class loader's calls hung" }
        println("second loader: ${second!!.joinToString(",")}")
        kotlin.system.exitProcess(0)
    }

    /** Surefire may run the tests from a jar whose manifest holds the real class path. */
    private fun manifestClassPath(entry: String): List<URL> {
        if (!entry.endsWith(".jar")) return emptyList()
        val manifest = java.util.jar.JarFile(entry).use { it.manifest } ?: return emptyList()
        val paths = manifest.mainAttributes.getValue("Class-Path") ?: return emptyList()
        val base = java.io.File(entry).toURI()
        return paths.split(" ").filter { it.isNotBlank() }.map { base.resolve(it).toURL() }
    }

    private fun usedInOwnLoaderAndClosed(classpath: Array<URL>, baseUrl: String): WeakReference<ClassLoader> {
        var reference: WeakReference<ClassLoader>? = null
        var outcome: List<String>? = null
        val worker = thread(name = "first-class-loader") {
            URLClassLoader(classpath, ClassLoader.getPlatformClassLoader()).use { loader ->
                reference = WeakReference(loader)
                outcome = callsThrough(loader, baseUrl)
            }
        }
        worker.join(10_000)
        check(!worker.isAlive) { "the first class loader's calls hung" }
        println("first loader: ${outcome!!.joinToString(",")}")
        return reference!!
    }

    /** Method 1 and method 2 requests through the package as [loader] loads it; the answers' `auth`. */
    private fun callsThrough(loader: ClassLoader, baseUrl: String): List<String> {
        val configClass = loader.loadClass("dev.tokensmith.ClientConfig")
        val akoolClass = loader.loadClass("dev.tokensmith.AkoolClient")
        check(akoolClass.classLoader === loader) { "the package came from another loader" }
        val config = configClass.getConstructor(String::class.java).newInstance(baseUrl)
        val byKey = akoolClass.getMethod("fromApiKey", String::class.java, configClass).call(null, API_KEY, config)
        val byCredentials = akoolClass.getMethod("fromClientCredentials", String::class.java, String::class.java, configClass)
            .call(null, "mock-client-id", API_KEY, config)
        val request = akoolClass.getMethod("request", String::class.java, String::class.java)
        return listOf(byKey, byCredentials).map { client ->
            (client as AutoCloseable).use { JSONObject(request.call(it, "GET", QUOTA) as String).getString("auth") }
        }
    }

    /** Invokes, throwing what the method threw instead of its wrapper. */
    private fun Method.call(target: Any?, vararg args: Any?): Any? = try {
        invoke(target, *args)
    } catch (e: InvocationTargetException) {
        throw e.targetException
    }
}

package dev.tokensmith.example

import androidx.test.ext.junit.runners.AndroidJUnit4
import androidx.test.platform.app.InstrumentationRegistry
import dev.tokensmith.AkoolClient
import dev.tokensmith.AsyncAkoolClient
import dev.tokensmith.ClientConfig
import dev.tokensmith.LogLevel
import dev.tokensmith.NewCredential
import dev.tokensmith.Tokensmith
import dev.tokensmith.TokensmithException
import dev.tokensmith.TokensmithLogging
import dev.tokensmith.testing.MockServer
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.json.JSONObject
import org.junit.AfterClass
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotEquals
import org.junit.Assert.assertTrue
import org.junit.Assume.assumeTrue
import org.junit.Before
import org.junit.BeforeClass
import org.junit.Test
import org.junit.runner.RunWith

/**
 * tokensmith on a device (the release workflow's emulator): the AAR's native library for the emulator's ABI, JNA's
 * AAR, auto-init by the ContentProvider, and the testing kit's mock running inside this app's process on loopback.
 */
@RunWith(AndroidJUnit4::class)
class TokensmithOnDeviceTest {
    companion object {
        private const val QUOTA = "/api/open/v3/faceswap/quota/info"
        private const val CANARY = "canary-android-7f3e9b2d1c"
        private lateinit var mock: MockServer

        @BeforeClass
        @JvmStatic
        fun start() {
            TokensmithLogging.install(LogLevel.TRACE)
            mock = MockServer()
        }

        @AfterClass
        @JvmStatic
        fun stop() = mock.close()
    }

    @Before
    fun reset() = mock.reset()

    @Test
    fun theProviderInitialisedTokensmithAtAppStart() {
        assertTrue("auto-init did not run", Tokensmith.isInitialized)
        assertEquals("logcat", TokensmithLogging.backend)
    }

    @Test
    fun akoolMethod1SendsTheApiKey() {
        val akool = AkoolClient.fromApiKey(mock.apiKey, mock.config())
        assertEquals("x-api-key", JSONObject(akool.request("GET", QUOTA)).getString("auth"))
    }

    @Test
    fun akoolMethod2FetchesOneTokenForManyCalls() {
        val akool = mock.akool()
        repeat(3) { assertEquals("bearer", JSONObject(akool.request("GET", QUOTA)).getString("auth")) }
        assertEquals(1L, mock.tokenCount)
    }

    @Test
    fun aceDataCreatesACredential() = runBlocking {
        val created = mock.asyncPlatform().createCredential(NewCredential(mock.applicationId, limitedAmount = 5.0))
        val token = created.token()!!
        assertFalse(created.toString().contains(token))
        assertTrue(mock.credentialsJson().contains(created.id()))
    }

    @Test
    fun aCancelledCoroutineAbortsItsCallAndTheClientKeepsWorking() = runBlocking {
        val akool = mock.asyncAkool()
        akool.request("GET", QUOTA)
        mock.arm("""{"kind": "delay", "ms": 5000, "path": "$QUOTA"}""")
        val started = System.nanoTime()
        val job = launch { akool.request("GET", QUOTA) }
        delay(200)
        job.cancelAndJoin()
        assertTrue(job.isCancelled)
        assertTrue("cancelling waited for the answer", (System.nanoTime() - started) / 1_000_000 < 2_000)
        assertEquals("bearer", JSONObject(akool.request("GET", QUOTA)).getString("auth"))
    }

    @Test
    fun theScreensViewModelShowsTheQuota() = runBlocking {
        val model = QuotaViewModel { AsyncAkoolClient.fromApiKey(mock.apiKey, mock.config()) }
        model.refresh()
        val state = withTimeout(10_000) { model.quota.first { it !is QuotaViewModel.State.Loading } }
        assertTrue("$state", state is QuotaViewModel.State.Quota)
    }

    @Test
    fun noSecretReachesLogcat() {
        val refused = AkoolClient.fromApiKey(CANARY, mock.config())
        val error = runCatching { refused.request("GET", QUOTA) }.exceptionOrNull()
        assertTrue("$error", error is TokensmithException.Authentication)
        mock.akool().request("GET", QUOTA)
        mock.platform().createCredential(NewCredential(mock.applicationId))
        // An app reads its own process's lines without any permission.
        val process = ProcessBuilder("logcat", "-d", "-v", "raw", "-s", "tokensmith:V").redirectErrorStream(true).start()
        val logcat = process.inputStream.bufferedReader().readText()
        process.waitFor()
        assertTrue("no tokensmith record in Logcat:\n$logcat", logcat.contains("transport: "))
        for (secret in listOf(CANARY, mock.apiKey, mock.clientSecret, mock.platformToken)) {
            assertFalse("a secret reached Logcat", logcat.contains(secret))
        }
    }

    /**
     * A real HTTPS handshake, verified by Android's trust manager through the initialised verifier: Akool refuses
     * the made-up key, which it can only do over a verified connection. Needs the internet, so it runs when the
     * workflow passes `-Pandroid.testInstrumentationRunnerArguments.tlsProbe=true`.
     */
    @Test
    fun httpsIsVerifiedByAndroid() {
        assumeTrue(InstrumentationRegistry.getArguments().getString("tlsProbe") == "true")
        val akool = AkoolClient.fromApiKey(CANARY, ClientConfig(maxRetries = 0))
        val error = runCatching { akool.request("GET", QUOTA) }.exceptionOrNull()
        assertTrue("$error", error is TokensmithException)
        assertNotEquals("the TLS handshake failed: ${error?.message}", "Transport", (error as TokensmithException).details().kind)
    }
}

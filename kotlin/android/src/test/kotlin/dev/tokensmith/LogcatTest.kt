package dev.tokensmith

import android.util.Log
import dev.tokensmith.testing.MockServer
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config
import org.robolectric.shadows.ShadowLog

/**
 * The core's records in Logcat (ShadowLog records what android.util.Log is given), from the real native library
 * (this machine's, loaded by JNA as on a device) and the in-process mock.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34], manifest = Config.NONE)
class LogcatTest {
    @Before
    fun clear() = ShadowLog.clear()

    @After
    fun uninstall() = TokensmithLogging.uninstall()

    private fun records() = ShadowLog.getLogsForTag("tokensmith")

    @Test
    fun onAndroidTheBridgeWritesToLogcatAtTheLevelTheAppSets() {
        TokensmithLogging.install(LogLevel.DEBUG)
        assertEquals("logcat", TokensmithLogging.backend)
        MockServer().use { mock ->
            mock.platform().listApplications(null, null)
            val canary = "canary-SECRET-3f9a1c0b7e"
            val akool = AkoolClient.fromApiKey(canary, mock.config())
            mock.arm("""{"kind": "status", "status": 401, "times": 1}""")
            runCatching { akool.request("GET", "/api/open/v3/faceswap/quota/info") }
            val lines = records()
            assertTrue("no debug record: $lines", lines.any { it.type == Log.DEBUG && it.msg.startsWith("transport: ") })
            assertFalse("a secret reached Logcat", lines.any { canary in it.msg || mock.platformToken in it.msg })
        }
    }

    @Test
    fun withoutALevelItTakesLogIsLoggableOfTheTag() {
        ShadowLog.setLoggable("tokensmith", Log.INFO)
        TokensmithLogging.install()
        assertEquals("logcat", TokensmithLogging.backend)
        MockServer().use { mock ->
            mock.arm("""{"kind": "status", "status": 503, "times": 1}""")
            mock.platform().listApplications(null, null)
        }
        val lines = records()
        assertTrue("no retry record at INFO: $lines", lines.any { it.type == Log.INFO && it.msg.startsWith("transport: retrying") })
        assertTrue("records below INFO were sent: $lines", lines.none { it.type < Log.INFO })
    }
}

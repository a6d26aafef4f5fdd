package dev.tokensmith

import android.content.Context
import android.util.Log
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.annotation.Config
import org.robolectric.shadows.ShadowLog

/**
 * Auto-init on the JVM under Robolectric: the ContentProvider Android creates at app start hands the application
 * context over. The JNI hand-over itself needs an Android native library, so it is swapped for a recorder here
 * (the emulator test in the release workflow runs the real one).
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34], manifest = Config.NONE)
class AndroidInitTest {
    private val handedOver = mutableListOf<Context>()
    private lateinit var original: (Context) -> Unit

    @Before
    fun recordTheHandOver() {
        original = Tokensmith.handOver
        Tokensmith.resetForTests()
        Tokensmith.handOver = { handedOver += it }
    }

    @After
    fun restore() {
        Tokensmith.handOver = original
        Tokensmith.resetForTests()
    }

    @Test
    fun theProviderHandsTheApplicationContextOverAtStart() {
        assertFalse(Tokensmith.isInitialized)
        Robolectric.buildContentProvider(TokensmithInitProvider::class.java).create()
        assertTrue(Tokensmith.isInitialized)
        assertEquals(listOf<Context>(RuntimeEnvironment.getApplication()), handedOver)
    }

    @Test
    fun initByHandTakesTheApplicationContextOnceWhateverContextItIsGiven() {
        val app = RuntimeEnvironment.getApplication()
        val activity = Robolectric.buildActivity(android.app.Activity::class.java).create().get()
        Tokensmith.init(activity)
        Tokensmith.init(app)
        assertEquals(listOf<Context>(app), handedOver)
    }

    @Test
    fun aFailedHandOverDoesNotCrashTheAppAndSaysWhatToDo() {
        Tokensmith.handOver = { throw RuntimeException("no JVM for you") }
        ShadowLog.clear()
        Robolectric.buildContentProvider(TokensmithInitProvider::class.java).create()
        assertFalse(Tokensmith.isInitialized)
        val errors = ShadowLog.getLogsForTag("tokensmith").filter { it.type == Log.ERROR }
        assertEquals(1, errors.size)
        assertTrue(errors[0].msg, errors[0].msg.contains("Tokensmith.init(context)"))
    }
}

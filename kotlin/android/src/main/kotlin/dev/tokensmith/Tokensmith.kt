package dev.tokensmith

import android.content.Context

/**
 * Android set-up: hands the app's [Context] to the core's TLS verifier, which asks Android's trust manager
 * through JNI. [TokensmithInitProvider] calls [init] at app start, before `Application.onCreate`, so apps need no
 * code. An app that removes the provider from its manifest calls [init] itself, once, before building a client;
 * until then every client constructor throws [TokensmithException.MissingConfig] naming `Tokensmith.init(context)`.
 */
object Tokensmith {
    @Volatile
    private var initialized = false

    /** Whether [init] has run in this process. */
    @JvmStatic
    val isInitialized: Boolean get() = initialized

    /**
     * Gives the core the application context (taken from [context]); safe to call from any thread, any number of
     * times (the first call wins). Throws [IllegalStateException] if the native library cannot take it.
     */
    @JvmStatic
    fun init(context: Context) {
        if (initialized) return
        synchronized(this) {
            if (initialized) return
            val app = context.applicationContext ?: context
            try {
                handOver(app)
            } catch (e: RuntimeException) {
                throw IllegalStateException("tokensmith: the native library could not take the app's Context: ${e.message}", e)
            }
            initialized = true
        }
    }

    /** How the Context reaches the native library; JVM tests (Robolectric), which have no Android native, swap it. */
    @Volatile
    internal var handOver: (Context) -> Unit = { TokensmithJni.initAndroid(it) }

    /** For tests only: forget that [init] ran. */
    internal fun resetForTests() {
        initialized = false
    }
}

/**
 * The one JNI function of the native library (`bindings/uniffi/src/android.rs`). The generated bindings reach the
 * library through JNA, whose `dlopen` does not make a library's `Java_*` functions visible to the JVM; so the
 * library is also loaded here with [System.loadLibrary] (the same file from the app's native library directory,
 * mapped once).
 */
internal object TokensmithJni {
    init {
        System.loadLibrary("tokensmith_ffi")
    }

    @JvmStatic
    external fun initAndroid(context: Context)
}

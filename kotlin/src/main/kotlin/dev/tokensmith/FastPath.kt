package dev.tokensmith

import com.sun.jna.Native
import com.sun.jna.Platform
import java.io.File
import java.io.IOException
import java.nio.ByteBuffer
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicLong
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.suspendCancellableCoroutine

/**
 * The JVM's JNI fast path for the hot calls (the blocking [AkoolClient]'s `request`, `authHeaders` and `token`;
 * [AsyncAkoolClient]'s `request` without a [Cancellation]; call options cross as UniFFI serializes them): one JNI
 * call each (and one call back for an async one), where UniFFI's JNA path makes several downcalls
 * (bindings/uniffi/src/jni_fast_path.rs and jni_async.rs say what crosses and how). The clients' methods take it
 * when it is [available] (tokensmith's patch of the generated code: scripts/patch-kotlin-bindings) and UniFFI's
 * path otherwise, with the same results, exceptions and logs.
 *
 * It binds to the very library file JNA loads (one runtime and one token cache for both paths): the file is chosen
 * here ([libraryName], which UniFFI's library lookup asks: tokensmith's patch), because JNA deletes a library it
 * extracts from the jar once it has loaded it, where JNI needs a file to load. JNI lets one class loader load a
 * library: a second class loader of the jar (an application server's redeploy) gets `UnsatisfiedLinkError` and
 * stays on UniFFI's path, as does a JVM started with `-Dtokensmith.jni=false`.
 */
internal object FastPath {
    private const val PROTOCOL = 2
    private const val NAME = "tokensmith_ffi"

    /**
     * What JNA loads: the override UniFFI honours if set; else the library's file, extracted from the jar by JNA's
     * own routine and kept until the JVM exits, or the classpath's file as it is (a build tree); else, where the
     * library is no resource (Android, whose loader finds it in the APK), its name.
     */
    @JvmStatic
    val libraryName: String by lazy {
        System.getProperty("uniffi.component.$NAME.libraryOverride") ?: libraryFile()?.absolutePath ?: NAME
    }

    private fun libraryFile(): File? {
        val loader = FastPath::class.java.classLoader
        val resource = loader.getResource("${Platform.RESOURCE_PREFIX}/${System.mapLibraryName(NAME)}") ?: return null
        if (resource.protocol == "file") return File(resource.toURI())
        return try {
            Native.extractFromResourcePath(NAME, loader).also { it.deleteOnExit() }
        } catch (unreadable: IOException) {
            null // JNA will try again, and say why if it fails too
        }
    }

    /**
     * Whether the JNI entry points are bound to the library JNA loaded. Tests turn it off for a moment to make the
     * same call on UniFFI's path (FastPathTest).
     */
    @JvmField
    @Volatile
    internal var available: Boolean = bind()

    private fun bind(): Boolean {
        if (System.getProperty("tokensmith.jni") == "false") return false
        return try {
            val library = libraryName
            if (File(library).isAbsolute) System.load(library) else System.loadLibrary(library)
            nativeProtocol() == PROTOCOL && nativeBindCompletions()
        } catch (unbound: LinkageError) {
            false
        } catch (refused: SecurityException) {
            false
        }
    }

    /** [AkoolClient.request], for the client of [handle] (borrowed for the call). */
    fun request(handle: Long, method: String, path: String, jsonBody: String?, options: CallOptions?): String =
        text(
            nativeRequest(
                handle,
                method.encodeToByteArray(),
                path.encodeToByteArray(),
                jsonBody?.encodeToByteArray(),
                options?.let(::serialized),
            ),
        )

    /** Call options as UniFFI's converter writes them, which the library reads with UniFFI's own. */
    private fun serialized(options: CallOptions): ByteArray {
        val buffer = ByteBuffer.allocate(FfiConverterTypeCallOptions.allocationSize(options).toInt())
        FfiConverterTypeCallOptions.write(options, buffer)
        return buffer.array().copyOf(buffer.position()) // the allocation is an upper bound (strings)
    }

    /** [AkoolClient.authHeaders]. */
    fun authHeaders(handle: Long): Map<String, String> {
        val answer = checked(nativeAuthHeaders(handle))
        // Names and values, each ended by a NUL byte (one or two headers): read in place, no intermediate list.
        val headers = HashMap<String, String>(4)
        var start = 1
        var name: String? = null
        for (index in 1 until answer.size) {
            if (answer[index] != 0.toByte()) continue
            val part = String(answer, start, index - start, Charsets.UTF_8)
            if (name == null) {
                name = part
            } else {
                headers[name] = part
                name = null
            }
            start = index + 1
        }
        return headers
    }

    /** [AkoolClient.token]. */
    fun token(handle: Long): String = text(nativeToken(handle))

    /** The async calls in flight, by id, until the core's thread that ends one calls [complete]. */
    private val calls = ConcurrentHashMap<Long, CancellableContinuation<ByteArray>>()
    private val ids = AtomicLong()

    /**
     * [AsyncAkoolClient.request] without a [Cancellation]: started by one JNI call on the calling thread,
     * completed by one call back from the core's thread that ends it (bindings/uniffi/src/jni_async.rs). Cancelling
     * the coroutine aborts the request, as on UniFFI's path.
     */
    suspend fun requestAsync(
        client: AsyncAkoolClient,
        method: String,
        path: String,
        jsonBody: String?,
        options: CallOptions?,
    ): String {
        val (methodBytes, pathBytes) = method.encodeToByteArray() to path.encodeToByteArray()
        val (body, optionBytes) = jsonBody?.encodeToByteArray() to options?.let(::serialized)
        val answer = suspendCancellableCoroutine { continuation ->
            val id = ids.incrementAndGet()
            calls[id] = continuation
            continuation.invokeOnCancellation { if (calls.remove(id) != null) nativeCancel(id) }
            val started = try {
                client.borrowHandle { nativeRequestAsync(it, id, methodBytes, pathBytes, body, optionBytes) }
            } catch (failure: Throwable) {
                calls.remove(id)
                throw failure
            }
            if (!started) {
                calls.remove(id)
                continuation.resumeWithException(InternalException("tokensmith could not start the call"))
            }
        }
        return text(answer)
    }

    /**
     * Called through JNI by the bridge thread that ended call [id] (attached to the JVM for it). The continuation's
     * dispatcher runs it elsewhere; under `Dispatchers.Unconfined` it runs right here, on the one thread that drives
     * every fast-path async call, so code resumed there should hand long work to a dispatcher of its own (a
     * blocking tokensmith call there fails at once, as on the core's threads).
     */
    @JvmStatic
    @Suppress("unused")
    private fun complete(id: Long, answer: ByteArray) {
        calls.remove(id)?.resume(answer)
    }

    private fun text(answer: ByteArray): String = String(checked(answer), 1, answer.size - 1, Charsets.UTF_8)

    /** The answer, if its tag says it succeeded; else the exception UniFFI's path would throw. */
    private fun checked(answer: ByteArray): ByteArray = when (answer[0].toInt()) {
        0 -> answer
        1 -> throw FfiConverterTypeTokensmithError.read(ByteBuffer.wrap(answer, 1, answer.size - 1))
        else -> throw InternalException(String(answer, 1, answer.size - 1, Charsets.UTF_8))
    }

    @JvmStatic private external fun nativeProtocol(): Int

    /** Readies the async calls' way back ([complete]); false leaves every call on UniFFI's path. */
    @JvmStatic private external fun nativeBindCompletions(): Boolean

    @JvmStatic private external fun nativeRequest(
        handle: Long,
        method: ByteArray,
        path: ByteArray,
        jsonBody: ByteArray?,
        options: ByteArray?,
    ): ByteArray

    @JvmStatic private external fun nativeAuthHeaders(handle: Long): ByteArray

    @JvmStatic private external fun nativeToken(handle: Long): ByteArray

    @JvmStatic private external fun nativeRequestAsync(
        handle: Long,
        id: Long,
        method: ByteArray,
        path: ByteArray,
        jsonBody: ByteArray?,
        options: ByteArray?,
    ): Boolean

    @JvmStatic private external fun nativeCancel(id: Long)
}

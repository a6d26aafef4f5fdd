package dev.tokensmith.bench

import dev.tokensmith.AsyncAkoolClient
import dev.tokensmith.ClientConfig
import java.io.IOException
import java.util.function.Consumer
import java.util.function.Supplier
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.suspendCancellableCoroutine
import okhttp3.Call
import okhttp3.Callback
import okhttp3.Response

/** Latencies in nanoseconds, appended without boxing (by one coroutine or one callback chain at a time). */
class Latencies {
    private var values = LongArray(1024)
    private var size = 0

    fun add(nanos: Long) {
        if (size == values.size) values = values.copyOf(size * 2)
        values[size++] = nanos
    }

    fun toArray(): LongArray = values.copyOf(size)
}

/**
 * The coroutine rows of JvmBench's `async-load`: the jar's suspend functions, from Kotlin as their users call them,
 * and OkHttp's `enqueue` awaited from coroutines the way Kotlin code awaits it.
 */
object Coroutines {
    /**
     * [concurrency] coroutines on `Dispatchers.Default`, sharing one `AsyncAkoolClient`, each awaiting one
     * `request` after another; the latencies of the calls started between [warmUntil] and [end] (`System.nanoTime()`).
     */
    @JvmStatic
    fun load(base: String, apiKey: String, path: String, concurrency: Int, warmUntil: Long, end: Long): List<LongArray> {
        val client = AsyncAkoolClient.fromApiKey(apiKey, ClientConfig(baseUrl = base))
        return chains(concurrency, warmUntil, end) { client.request("GET", path) }
    }

    /**
     * The same chains awaiting OkHttp's `enqueue` ([newCall] makes the call, [check] reads its answer): the callback
     * resumes the coroutine, which `Dispatchers.Default` then runs, as with tokensmith's suspend calls. OkHttp's own
     * row (a callback that starts the next call on OkHttp's thread) has no such hop.
     */
    @JvmStatic
    fun okHttpLoad(newCall: Supplier<Call>, check: Consumer<Response>, concurrency: Int, warmUntil: Long, end: Long): List<LongArray> =
        chains(concurrency, warmUntil, end) { newCall.get().await().use(check::accept) }

    private fun chains(concurrency: Int, warmUntil: Long, end: Long, call: suspend () -> Unit): List<LongArray> =
        runBlocking(Dispatchers.Default) {
            val workers = (1..concurrency).map {
                async {
                    val latencies = Latencies()
                    while (true) {
                        val started = System.nanoTime()
                        if (started >= end) break
                        call()
                        if (started >= warmUntil) latencies.add(System.nanoTime() - started)
                    }
                    latencies.toArray()
                }
            }
            workers.awaitAll()
        }

    /** OkHttp's `enqueue` as a suspend function (what kotlin-coroutines-okhttp's `await` does). */
    private suspend fun Call.await(): Response = suspendCancellableCoroutine { continuation ->
        continuation.invokeOnCancellation { cancel() }
        enqueue(
            object : Callback {
                override fun onResponse(call: Call, response: Response) = continuation.resume(response)

                override fun onFailure(call: Call, e: IOException) = continuation.resumeWithException(e)
            },
        )
    }
}

package dev.tokensmith.bench

import dev.tokensmith.AsyncAkoolClient
import dev.tokensmith.ClientConfig
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking

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

/** The tokensmith side of JvmBench's `async-load`: the jar's suspend functions, from Kotlin as their users call them. */
object Coroutines {
    /**
     * [concurrency] coroutines on `Dispatchers.Default`, sharing one `AsyncAkoolClient`, each awaiting one
     * `request` after another; the latencies of the calls started between [warmUntil] and [end] (`System.nanoTime()`).
     */
    @JvmStatic
    fun load(base: String, apiKey: String, path: String, concurrency: Int, warmUntil: Long, end: Long): List<LongArray> =
        runBlocking(Dispatchers.Default) {
            val client = AsyncAkoolClient.fromApiKey(apiKey, ClientConfig(baseUrl = base))
            val workers = (1..concurrency).map {
                async {
                    val latencies = Latencies()
                    while (true) {
                        val started = System.nanoTime()
                        if (started >= end) break
                        client.request("GET", path)
                        if (started >= warmUntil) latencies.add(System.nanoTime() - started)
                    }
                    latencies.toArray()
                }
            }
            workers.awaitAll()
        }
}

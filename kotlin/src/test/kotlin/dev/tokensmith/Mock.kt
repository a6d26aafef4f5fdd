package dev.tokensmith

import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import org.json.JSONObject

/** The mock vendor server (docs/mock.md), started once per JVM from the workspace's `tokensmith-mock` binary. */
object Mock {
    private val process: Process
    val baseUrl: String
    private val http = HttpClient.newHttpClient()

    init {
        val bin = File(System.getProperty("tokensmith.mock.bin") ?: error("tokensmith.mock.bin is not set"))
        check(bin.exists()) { "$bin is missing: `cargo build -p tokensmith-mock` builds it" }
        process = ProcessBuilder(bin.path, "--addr", "127.0.0.1:0")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start()
        baseUrl = process.inputStream.bufferedReader().readLine()?.trim() ?: error("the mock printed nothing")
        check(baseUrl.startsWith("http://127.0.0.1:")) { baseUrl }
        Runtime.getRuntime().addShutdownHook(Thread { process.destroy() })
    }

    private fun admin(method: String, path: String, body: String? = null): String {
        val publisher = body?.let { HttpRequest.BodyPublishers.ofString(it) } ?: HttpRequest.BodyPublishers.noBody()
        val request = HttpRequest.newBuilder(URI.create(baseUrl + path)).method(method, publisher).build()
        val answer = http.send(request, HttpResponse.BodyHandlers.ofString())
        check(answer.statusCode() in 200..299) { "$method $path: ${answer.statusCode()} ${answer.body()}" }
        return answer.body()
    }

    fun reset() = admin("POST", "/__mock/reset")

    fun fault(rule: String) = admin("POST", "/__mock/faults", rule)

    fun expireTokens() = admin("POST", "/__mock/expire-tokens")

    fun state(): JSONObject = JSONObject(admin("GET", "/__mock/state"))

    fun counts(): Map<String, Int> = state().getJSONObject("counts").let { c -> c.keySet().associateWith { c.getInt(it) } }
}

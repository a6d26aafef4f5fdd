package dev.tokensmith

import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import org.json.JSONObject
import dev.tokensmith.testing.MockServer

/**
 * The mock vendor server (docs/mock.md) of the package's own testing kit, started in this JVM once, with the
 * helpers these tests use: faults as JSON rules, and the admin endpoint's state as JSON.
 */
object Mock {
    val server = MockServer()
    val baseUrl: String = server.baseUrl
    private val http = HttpClient.newHttpClient()

    fun reset() = server.reset()

    fun fault(rule: String) = server.arm(rule)

    fun expireTokens() = server.expireTokens()

    fun state(): JSONObject {
        val request = HttpRequest.newBuilder(URI.create("$baseUrl/__mock/state")).build()
        return JSONObject(http.send(request, HttpResponse.BodyHandlers.ofString()).body())
    }

    fun counts(): Map<String, Int> = server.counts().mapValues { it.value.toInt() }
}

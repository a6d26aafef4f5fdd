package dev.tokensmith

import kotlin.concurrent.thread
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** What is particular to Kotlin: a success and thrown errors, readable messages, toString, threads. */
class KotlinApiTest {
    private val config get() = ClientConfig(baseUrl = Mock.baseUrl, initialBackoffMs = 10)

    @BeforeEach
    fun reset() {
        Mock.reset()
    }

    @Test
    fun `a request succeeds and returns the data as JSON text`() {
        val akool = AkoolClient.fromApiKey("mock-api-key-0123456789abcdefghi", config)
        val data = org.json.JSONObject(akool.request("GET", "/api/open/v3/faceswap/quota/info"))
        assertEquals("x-api-key", data.getString("auth"))
    }

    @Test
    fun `errors are typed and their message is the core's message`() {
        Mock.fault("""{"kind": "akool_code", "code": 1200}""")
        val akool = AkoolClient.fromApiKey("mock-api-key-0123456789abcdefghi", config)
        val banned = assertThrows<TokensmithException.AccountBanned> { akool.request("GET", "/api/open/v3/x") }
        assertEquals(1200L, banned.details.akoolCode)
        assertEquals(200, banned.details.status)
        assertEquals(banned.details, banned.details())
        assertEquals("account banned (HTTP 200, Akool code 1200: The account has been banned)", banned.message)
        assertEquals(banned.message, banned.toString())

        val input = assertThrows<TokensmithException.InvalidInput> { AkoolClient.fromApiKey("k", ClientConfig(requestTimeoutMs = -1)) }
        assertEquals("request_timeout", input.details.field)
        assertTrue(input.message!!.startsWith("invalid request_timeout: must not be negative"), input.message)
    }

    @Test
    fun `threads share one client and one token`() {
        val akool = AkoolClient.fromClientCredentials("mock-client-id", "mock-api-key-0123456789abcdefghi", config)
        (1..16).map { thread { repeat(4) { akool.request("GET", "/api/open/v3/faceswap/quota/info") } } }.forEach { it.join() }
        assertEquals(mapOf("POST /api/open/v3/getToken" to 1, "GET /api/open/v3/faceswap/quota/info" to 64), Mock.counts())
    }

    @Test
    fun `no toString shows a secret`() {
        val platform = AceDataPlatform("platform-v1-mock-0123456789", config)
        val created = platform.createCredential(NewCredential("107f8d0f-e465-4a7e-a49e-d633d26f7aa2"))
        val token = created.token()!!
        val page = platform.listCredentials(null)
        for (form in listOf(created.toString(), page.toString(), platform.toString(), page.items.toString())) {
            assertFalse(form.contains(token), form)
        }
        assertEquals(CredentialKind.Token, created.kind())
        val canary = "canary-kt-feedface"
        assertFalse(AkoolClient.fromApiKey(canary).toString().contains(canary))
    }

    @Test
    fun `users of their own HTTP client renew a refused token once`() {
        val akool = AkoolClient.fromClientCredentials("mock-client-id", "mock-api-key-0123456789abcdefghi", config)
        val http = java.net.http.HttpClient.newHttpClient()
        fun ownCall(): String {
            val request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(Mock.baseUrl + "/api/open/v3/faceswap/quota/info"))
            akool.authHeaders().forEach { (name, value) -> request.header(name, value) }
            return http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body()
        }
        assertEquals(1000, org.json.JSONObject(ownCall()).getInt("code"))
        val stale = akool.token()
        Mock.expireTokens()
        assertTrue(isTokenExpired(ownCall()))
        akool.invalidateToken(stale)
        akool.invalidateToken(stale)
        assertEquals(1000, org.json.JSONObject(ownCall()).getInt("code"))
        assertEquals(2, Mock.counts()["POST /api/open/v3/getToken"])
    }
}

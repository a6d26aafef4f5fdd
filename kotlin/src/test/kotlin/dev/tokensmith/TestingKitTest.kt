package dev.tokensmith

import com.sun.net.httpserver.HttpServer
import dev.tokensmith.testing.MockServer
import dev.tokensmith.testing.TokensmithMockExtension
import java.net.InetSocketAddress
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.MethodOrderer
import org.junit.jupiter.api.Order
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestMethodOrder
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.extension.ExtendWith

/** The JVM testing kit as users meet it: the JUnit 5 extension, freshness between tests, faults, requests, webhooks. */
@ExtendWith(TokensmithMockExtension::class)
@TestMethodOrder(MethodOrderer.OrderAnnotation::class)
class TestingKitTest {
    @Test
    @Order(1)
    fun `the extension gives a mock, and a test may leave it dirty`(mock: MockServer) {
        val created = mock.platform().createCredential(NewCredential(mock.applicationId))
        assertTrue(mock.credentialsJson().contains(created.id()))
        assertEquals("bearer", org.json.JSONObject(mock.akool().request("GET", "/api/open/v3/x", null, null)).getString("auth"))
        assertEquals(1L, mock.tokenCount)
        mock.arm("""{"kind": "status", "status": 503, "times": 5}""")
    }

    @Test
    @Order(2)
    fun `nothing leaks into the next test`(mock: MockServer) {
        assertEquals(emptyList<SeenRequest>(), mock.requests())
        assertEquals(0L, mock.platform().listCredentials(null, null).count, "a fault from the test before fired")
        assertEquals(0L, mock.tokenCount)
    }

    @Test
    @Order(3)
    fun `requests are seen with credentials redacted unless revealed, and faults are typed`(mock: MockServer) {
        val akool = mock.akool()
        akool.request("POST", "/api/open/v3/faceswap/highquality/specifyimage", """{"modifyImage": "x"}""", null)
        val (getToken, call) = mock.requests()
        assertEquals("/api/open/v3/getToken", getToken.path)
        assertEquals("** redacted **", call.headers["authorization"])
        assertEquals("""{"modifyImage":"x"}""", call.json)
        assertEquals("Bearer " + akool.token(), mock.requestsRevealed()[1].headers["authorization"])
        mock.arm("""{"kind": "akool_code", "code": 1200, "path": "/api/open/v3/x"}""")
        assertThrows<TokensmithException.AccountBanned> { akool.request("GET", "/api/open/v3/x", null, null) }
        assertThrows<TokensmithException.InvalidInput> { mock.arm("""{"kind": "no_such_fault"}""") }
    }

    @Test
    @Order(4)
    fun `a signed webhook reaches the user's handler`(mock: MockServer) {
        val verifier = WebhookVerifier(mock.clientId, mock.clientSecret, null)
        val received = mutableListOf<String>()
        val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
        server.createContext("/akool") { exchange ->
            val status = try {
                received += verifier.verifyExpectingId(exchange.requestBody.readAllBytes().decodeToString(), "job-1").payloadJson
                200
            } catch (e: TokensmithException.WebhookRejected) {
                400
            }
            exchange.sendResponseHeaders(status, -1)
            exchange.close()
        }
        server.start()
        try {
            val url = "http://127.0.0.1:${server.address.port}/akool"
            assertEquals(200, mock.sendWebhook(url, """{"_id": "job-1", "status": 3}"""))
            assertEquals(400, mock.sendWebhook(url, """{"_id": "job-2", "status": 3}"""))
        } finally {
            server.stop(0)
        }
        assertEquals(1, received.size)
        assertTrue(received[0].contains("job-1"))
    }
}

package dev.tokensmith.testing

import dev.tokensmith.AceDataPlatform
import dev.tokensmith.AkoolClient
import dev.tokensmith.AsyncAceDataPlatform
import dev.tokensmith.AsyncAkoolClient
import dev.tokensmith.ClientConfig
import dev.tokensmith.SeenRequest
import dev.tokensmith.mockDemo

/**
 * The mock Akool and AceData APIs in this process, on a free loopback port, for testing your own code offline:
 * it accepts the demo credentials below, remembers the requests it saw and the credentials it holds, and can be
 * told to misbehave ([arm]). From JUnit 5, [TokensmithMockExtension] starts one and resets it for every test.
 * What it reproduces faithfully, and what it does not: docs/testing.md.
 */
class MockServer : AutoCloseable {
    private val native = dev.tokensmith.NativeMockServer.start()

    /** Both APIs' base URL, e.g. `http://127.0.0.1:41234`: pass it as `ClientConfig(baseUrl = ...)`. */
    val baseUrl: String = native.baseUrl()

    /** The Akool API key (also the client secret, as at Akool) the mock accepts. */
    val apiKey: String get() = DEMO.apiKey

    /** The Akool client id the mock accepts (method 2). */
    val clientId: String get() = DEMO.clientId

    /** The client secret that goes with [clientId]. */
    val clientSecret: String get() = DEMO.clientSecret

    /** The AceData platform token the mock accepts. */
    val platformToken: String get() = DEMO.platformToken

    /** An application whose credentials are `Token`s. */
    val applicationId: String get() = DEMO.applicationId

    /** An application of a proxy service, whose credentials are `Identity`s. */
    val proxyApplicationId: String get() = DEMO.proxyApplicationId

    /**
     * Arms a fault, a rule as JSON (docs/mock.md): `{"kind": "status", "status": 503, "times": 2}`,
     * `{"kind": "akool_code", "code": 1101}`, `{"kind": "delay", "ms": 500}`, `{"kind": "drop_after", "method": "POST"}`,
     * `{"kind": "close_after"}`, `{"kind": "reset"}`.
     */
    fun arm(ruleJson: String) = native.arm(ruleJson)

    /** The requests seen since the last reset, oldest first, credentials redacted. */
    fun requests(): List<SeenRequest> = native.requests(false)

    /** The requests seen, credentials shown: for tests of exactly what was sent. */
    fun requestsRevealed(): List<SeenRequest> = native.requests(true)

    /** How many requests arrived, by `"METHOD /path"`. */
    fun counts(): Map<String, Long> = native.counts().mapValues { it.value.toLong() }

    /** How many tokens Akool's getToken issued. */
    val tokenCount: Long get() = native.tokensIssued().toLong()

    /** How many TCP connections the mock accepted since the last reset (clients of equal settings share them). */
    val connectionCount: Long get() = native.connections().toLong()

    /** Adds an Akool account besides the demo one ([clientSecret] is also its API key), for tests of many tenants. */
    fun addTenant(clientId: String, clientSecret: String) = native.addTenant(clientId, clientSecret)

    /** The AceData credentials the mock holds, as the platform's JSON array. */
    fun credentialsJson(): String = native.credentialsJson()

    /** Expires every Akool token issued so far: the next call with one is answered 1101. */
    fun expireTokens() = native.expireTokens()

    /**
     * Posts an Akool webhook of [payloadJson] (e.g. `{"_id": "job-1", "status": 3}`) to [url] (loopback http),
     * signed and encrypted with the demo client id and secret as Akool does; returns the status your handler answered.
     */
    fun sendWebhook(url: String, payloadJson: String): Int = native.sendWebhook(url, payloadJson).toInt()

    /**
     * Closes a keep-alive connection once it has had no request in flight for [ms] milliseconds (`null`: never, the
     * default), as servers do (nginx's `keepalive_timeout`, Node's `keepAliveTimeout` of 5 s): with a FIN, and no
     * `Connection: close` on the answer before. A connection that has not answered yet is left open; open
     * connections follow a change at once; [reset] turns it off.
     */
    fun setIdleClose(ms: Long?) {
        require(ms == null || ms >= 0) { "ms must not be negative, got $ms" }
        native.setIdleCloseMs(ms?.toULong())
    }

    /**
     * Restarts the mock on the same port, as a server process restarting would: every open connection is closed (a
     * request in flight gets no answer) and a new listener is bound; tenants, tokens, credentials, counts and faults
     * are kept. Returns once the new listener accepts.
     */
    fun restart() = native.restart()

    /** Forgets requests, counts, tokens, credentials, faults and the idle close. */
    fun reset() = native.reset()

    /** Options pointing a client at this mock, with quick retries. */
    fun config(): ClientConfig = ClientConfig(baseUrl = baseUrl, initialBackoffMs = 10)

    /** An Akool client of the mock with client credentials (method 2). */
    fun akool(): AkoolClient = AkoolClient.fromClientCredentials(clientId, clientSecret, config())

    /** An AceData client of the mock. */
    fun platform(): AceDataPlatform = AceDataPlatform(platformToken, config())

    /** The suspending twin of [akool]. */
    fun asyncAkool(): AsyncAkoolClient = AsyncAkoolClient.fromClientCredentials(clientId, clientSecret, config())

    /** The suspending twin of [platform]. */
    fun asyncPlatform(): AsyncAceDataPlatform = AsyncAceDataPlatform(platformToken, config())

    /** Stops the server. */
    override fun close() = native.close()

    /** Names the mock's address, for test reports. */
    override fun toString() = "MockServer($baseUrl)"

    private companion object {
        val DEMO = mockDemo()
    }
}

package dev.tokensmith

import java.io.File
import java.util.concurrent.CyclicBarrier
import kotlin.concurrent.thread
import org.json.JSONArray
import org.json.JSONObject
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory

/**
 * The Kotlin runner of the shared conformance suite (tests/conformance/cases.json; format in its README), in both
 * modes: the blocking clients on threads, and the async clients' suspend functions as coroutines (a step's
 * `threads` become concurrent coroutines on Dispatchers.Default).
 */
class ConformanceTest {
    /** The Akool calls of either client, so one dispatcher serves both modes. */
    private interface Akool {
        suspend fun token(): String
        suspend fun authHeaders(): Map<String, String>
        suspend fun request(method: String, path: String, body: String?, o: CallOptions?): String
    }

    private class BlockingAkool(val client: AkoolClient) : Akool {
        override suspend fun token() = client.token()
        override suspend fun authHeaders() = client.authHeaders()
        override suspend fun request(method: String, path: String, body: String?, o: CallOptions?) =
            client.request(method, path, body, o)
        override fun toString() = client.toString()
    }

    private class SuspendingAkool(val client: AsyncAkoolClient) : Akool {
        override suspend fun token() = client.token()
        override suspend fun authHeaders() = client.authHeaders()
        override suspend fun request(method: String, path: String, body: String?, o: CallOptions?) =
            client.request(method, path, body, o)
        override fun toString() = client.toString()
    }

    /** The AceData calls of either client. */
    private interface Platform {
        suspend fun create(new: NewCredential, o: CallOptions?): Credential
        suspend fun list(filter: CredentialFilter, o: CallOptions?): CredentialPage
        suspend fun iter(filter: CredentialFilter, o: CallOptions?): List<Credential>
        suspend fun get(id: String, o: CallOptions?): Credential
        suspend fun update(id: String, changes: CredentialChanges, o: CallOptions?): Credential
        suspend fun rotate(id: String, o: CallOptions?): Credential
        suspend fun delete(id: String, o: CallOptions?)
        suspend fun listApplications(filter: ApplicationFilter, o: CallOptions?): ApplicationPage
        suspend fun getApplication(id: String, o: CallOptions?): Application
    }

    private class BlockingPlatform(val client: AceDataPlatform) : Platform {
        override suspend fun create(new: NewCredential, o: CallOptions?) = client.createCredential(new, o)
        override suspend fun list(filter: CredentialFilter, o: CallOptions?) = client.listCredentials(filter, o)
        override suspend fun iter(filter: CredentialFilter, o: CallOptions?) = client.iterCredentials(filter, o).toList()
        override suspend fun get(id: String, o: CallOptions?) = client.getCredential(id, o)
        override suspend fun update(id: String, changes: CredentialChanges, o: CallOptions?) =
            client.updateCredential(id, changes, o)
        override suspend fun rotate(id: String, o: CallOptions?) = client.rotateCredential(id, o)
        override suspend fun delete(id: String, o: CallOptions?) = client.deleteCredential(id, o)
        override suspend fun listApplications(filter: ApplicationFilter, o: CallOptions?) = client.listApplications(filter, o)
        override suspend fun getApplication(id: String, o: CallOptions?) = client.getApplication(id, o)
        override fun toString() = client.toString()
    }

    private class SuspendingPlatform(val client: AsyncAceDataPlatform) : Platform {
        override suspend fun create(new: NewCredential, o: CallOptions?) = client.createCredential(new, o)
        override suspend fun list(filter: CredentialFilter, o: CallOptions?) = client.listCredentials(filter, o)
        override suspend fun iter(filter: CredentialFilter, o: CallOptions?) = client.iterCredentials(filter, o).toList()
        override suspend fun get(id: String, o: CallOptions?) = client.getCredential(id, o)
        override suspend fun update(id: String, changes: CredentialChanges, o: CallOptions?) =
            client.updateCredential(id, changes, o)
        override suspend fun rotate(id: String, o: CallOptions?) = client.rotateCredential(id, o)
        override suspend fun delete(id: String, o: CallOptions?) = client.deleteCredential(id, o)
        override suspend fun listApplications(filter: ApplicationFilter, o: CallOptions?) = client.listApplications(filter, o)
        override suspend fun getApplication(id: String, o: CallOptions?) = client.getApplication(id, o)
        override fun toString() = client.toString()
    }

    private val suite = JSONObject(File(System.getProperty("tokensmith.cases")).readText())
    private val canary = suite.getString("canary")

    @TestFactory
    fun cases(): List<DynamicTest> {
        val cases = suite.getJSONArray("cases")
        check(cases.length() >= 25)
        return listOf(false, true).flatMap { suspending ->
            (0 until cases.length()).map { i ->
                val spec = cases.getJSONObject(i)
                val mode = if (suspending) "suspend" else "blocking"
                DynamicTest.dynamicTest("${spec.getString("name")} [$mode]") { Case(spec, suspending).run() }
            }
        }
    }

    private inner class Case(val spec: JSONObject, val suspending: Boolean) {
        var akool: Akool? = null
        var platform: Platform? = null
        var webhook: WebhookVerifier? = null
        var created: JSONObject = JSONObject()

        fun setting(key: String): String {
            val client = spec.getJSONObject("client")
            val value = if (client.has(key)) client.getString(key) else suite.getJSONObject("demo").getString(key)
            return if (value == "\$canary") canary else value
        }

        fun build() {
            val client = spec.getJSONObject("client")
            val config = ClientConfig(
                baseUrl = client.optString("base_url", Mock.baseUrl),
                initialBackoffMs = 10,
                requestTimeoutMs = if (client.has("request_timeout_ms")) client.getLong("request_timeout_ms") else null,
            )
            when (client.getString("type")) {
                "akool_api_key" -> akool = if (suspending) SuspendingAkool(AsyncAkoolClient.fromApiKey(setting("api_key"), config))
                    else BlockingAkool(AkoolClient.fromApiKey(setting("api_key"), config))
                "akool_client_credentials" -> akool = if (suspending)
                    SuspendingAkool(AsyncAkoolClient.fromClientCredentials(setting("client_id"), setting("client_secret"), config))
                    else BlockingAkool(AkoolClient.fromClientCredentials(setting("client_id"), setting("client_secret"), config))
                "acedata" -> platform = if (suspending) SuspendingPlatform(AsyncAceDataPlatform(setting("platform_token"), config))
                    else BlockingPlatform(AceDataPlatform(setting("platform_token"), config))
                "webhook" -> webhook = WebhookVerifier(setting("client_id"), setting("client_secret"))
                else -> error("unknown client type")
            }
        }

        fun sub(text: String): String = if (created.has("id")) text.replace("\$created.id", created.getString("id")) else text

        fun credentialJson(c: Credential): JSONObject = JSONObject()
            .put("id", c.id()).put("user_id", c.userId()).put("application_id", c.applicationId())
            .put("type", c.kindName()).put("token", c.token()).put("username", c.username())
            .put("password", c.password()).put("host", c.host()).put("limited_amount", c.limitedAmount())
            .put("used_amount", c.usedAmount()).put("expired_at", c.expiredAt()).put("created_at", c.createdAt())
            .put("updated_at", c.updatedAt()).put("name", c.name())

        fun applicationJson(a: Application): JSONObject = JSONObject()
            .put("id", a.id).put("user_id", a.userId).put("service_id", a.serviceId).put("type", a.kind)
            .put("scope", a.scope).put("remaining_amount", a.remainingAmount).put("used_amount", a.usedAmount)
            .put("created_at", a.createdAt).put("updated_at", a.updatedAt)

        /** A step's `call` object as the options of one call. */
        fun callOptions(call: JSONObject?): CallOptions? = call?.let {
            CallOptions(
                timeoutMs = if (it.has("timeout_ms")) it.getLong("timeout_ms") else null,
                headers = it.optJSONObject("headers")?.let { h -> h.keySet().associateWith { k -> h.getString(k) } },
                maxRetries = if (it.has("max_retries")) it.getInt("max_retries") else null,
            )
        }

        suspend fun call(op: String, args: JSONObject): Any? {
            fun text(key: String): String? = if (args.has(key)) sub(args.getString(key)) else null
            fun number(key: String): Double? = if (args.has(key)) args.getDouble(key) else null
            fun int(key: String): Int? = if (args.has(key)) args.getInt(key) else null
            val o = callOptions(args.optJSONObject("call"))
            return when (op) {
                "token" -> JSONObject().put("token", akool!!.token())
                "auth_headers" -> JSONObject(akool!!.authHeaders())
                "request" -> JSONObject(akool!!.request(text("method")!!, text("path")!!, args.opt("body")?.toString(), o))
                "create_credential" -> credentialJson(platform!!.create(
                    NewCredential(text("application_id")!!, text("host"), number("limited_amount"), text("expired_at"), text("name"),
                        args.optJSONArray("allowed_api_ids")?.let { ids -> (0 until ids.length()).map { ids.getString(it) } },
                        args.optJSONObject("metadata")?.toString()), o))
                "list_credentials" -> {
                    val page = platform!!.list(CredentialFilter(text("application_id"), text("host"), int("limit"), int("offset")), o)
                    JSONObject().put("count", page.count).put("items", JSONArray(page.items.map { credentialJson(it) }))
                }
                "iter_credentials" -> {
                    val items = platform!!.iter(CredentialFilter(text("application_id"), text("host"), int("limit")), o)
                    JSONObject().put("count", items.size).put("items", JSONArray(items.map { credentialJson(it) }))
                }
                "list_applications" -> {
                    val page = platform!!.listApplications(ApplicationFilter(int("limit"), int("offset")), o)
                    JSONObject().put("count", page.count).put("items", JSONArray(page.items.map { applicationJson(it) }))
                }
                "get_application" -> applicationJson(platform!!.getApplication(text("id")!!, o))
                "get_credential" -> credentialJson(platform!!.get(text("id")!!, o))
                "update_credential" -> credentialJson(platform!!.update(text("id")!!, CredentialChanges(
                    name = text("name"), limitedAmount = number("limited_amount"),
                    clearLimitedAmount = args.optBoolean("clear_limited_amount"),
                    expiredAt = text("expired_at"), clearExpiredAt = args.optBoolean("clear_expired_at")), o))
                "rotate_credential" -> credentialJson(platform!!.rotate(text("id")!!, o))
                "delete_credential" -> platform!!.delete(text("id")!!, o).let { JSONObject.NULL }
                "webhook_verify" -> {
                    val body = text("body")!!
                    val event = text("expected_id")?.let { webhook!!.verifyExpectingId(body, it) } ?: webhook!!.verify(body)
                    JSONObject().put("id", event.id).put("status", event.status).put("timestamp_ms", event.timestampMs)
                        .put("nonce", event.nonce).put("payload", JSONObject(event.payloadJson))
                }
                else -> error("unknown op $op")
            }
        }

        fun errorJson(e: TokensmithException): JSONObject {
            val d = e.details()
            assertEquals(d.kind, e.javaClass.simpleName, "the exception class is named for its kind")
            return JSONObject().put("kind", d.kind).put("akool_code", d.akoolCode).put("status", d.status)
                .put("vendor_code", d.vendorCode).put("field", d.field).put("retry_after_seconds", d.retryAfterSeconds)
                .put("webhook_reason", d.webhookReason).put("trace_id", d.traceId)
        }

        fun check(at: String, expect: JSONObject, result: Any?, error: TokensmithException?, elapsedMs: Long) {
            if (spec.optBoolean("canary")) {
                val forms = listOfNotNull(error?.message, error?.toString(), error?.localizedMessage, akool?.toString(), platform?.toString(), webhook?.toString())
                forms.forEach { check(!it.contains(canary)) { "$at: the canary leaked: $it" } }
            }
            val wanted = expect.optJSONObject("error")
            if (wanted == null) {
                check(error == null) { "$at: expected success, got $error" }
                if (expect.has("result")) matches(JSONObject("{\"r\":" + sub(expect.get("result").toString()) + "}").get("r"), result, created, at)
                check(elapsedMs >= expect.optLong("min_elapsed_ms", 0)) { "$at: took $elapsedMs ms" }
            } else {
                checkNotNull(error) { "$at: expected an error, got $result" }
                val w = JSONObject(wanted.toString())
                if (w.has("message_contains")) {
                    val part = w.remove("message_contains") as String
                    check(error.message!!.contains(part)) { "$at: ${error.message} lacks $part" }
                }
                matches(w, errorJson(error), JSONObject(), at)
            }
        }

        fun timed(op: String, args: JSONObject): suspend () -> Triple<Any?, TokensmithException?, Long> = {
            val started = System.nanoTime()
            val outcome = try {
                Triple(call(op, args), null, 0L)
            } catch (e: TokensmithException) {
                Triple(null, e, 0L)
            }
            outcome.copy(third = (System.nanoTime() - started) / 1_000_000)
        }

        fun onThreads(threads: Int, op: String, args: JSONObject): List<Triple<Any?, TokensmithException?, Long>> {
            val barrier = CyclicBarrier(threads)
            val outcomes = java.util.Collections.synchronizedList(mutableListOf<Triple<Any?, TokensmithException?, Long>>())
            (1..threads).map {
                thread {
                    barrier.await()
                    outcomes.add(runBlocking { timed(op, args)() })
                }
            }.forEach { it.join() }
            return outcomes
        }

        fun onCoroutines(tasks: Int, op: String, args: JSONObject) = runBlocking(Dispatchers.Default) {
            (1..tasks).map { async { timed(op, args)() } }.awaitAll()
        }

        fun run() {
            Mock.reset()
            val steps = spec.getJSONArray("steps")
            for (i in 0 until steps.length()) {
                val step = steps.getJSONObject(i)
                val op = step.getString("op")
                val at = "step $i ($op)"
                val args = step.optJSONObject("args") ?: JSONObject()
                when (op) {
                    "fault" -> { Mock.fault(args.toString()); continue }
                    "expire_tokens" -> { Mock.expireTokens(); continue }
                }
                val expect = step.optJSONObject("expect") ?: JSONObject("{\"ok\": true}")
                if (akool == null && platform == null && webhook == null) {
                    try {
                        build()
                    } catch (e: TokensmithException) {
                        check(at, expect, null, e, 0)
                        return
                    }
                }
                if (op == "build") { check(at, expect, null, null, 0); continue }
                val threads = step.optInt("threads", 1)
                val outcomes = if (suspending) onCoroutines(threads, op, args) else onThreads(threads, op, args)
                check(outcomes.size == threads)
                for ((result, error, elapsed) in outcomes) {
                    if (op == "create_credential" && error == null) created = result as JSONObject
                    check(at, expect, result, error, elapsed)
                }
            }
            val expected = spec.getJSONObject("counts").let { c -> c.keySet().associate { sub(it) to c.getInt(it) } }
            val state = Mock.state()
            val actual = state.getJSONObject("counts").let { c -> c.keySet().associateWith { c.getInt(it) } }
            check(expected == actual) { "counts: expected $expected, got $actual" }
            if (spec.has("state")) matches(spec.getJSONObject("state"), state, JSONObject(), "state")
        }
    }

    /** The matching rules of the suite's README. */
    private fun matches(expected: Any?, actual: Any?, created: JSONObject, at: String) {
        val got = if (actual == JSONObject.NULL) null else actual
        when {
            expected is JSONObject -> for (key in expected.keySet()) {
                val want = expected.get(key)
                val value = (got as? JSONObject)?.opt(key)?.takeIf { it != JSONObject.NULL }
                when (want) {
                    "\$absent" -> check(value == null) { "$at: $key: expected absent, got $value" }
                    "\$changed" -> check(value != null && value.toString() != created.opt(key)?.toString()) { "$at: $key unchanged" }
                    else -> matches(want, value, created, "$at: $key")
                }
            }
            expected is JSONArray -> {
                val list = got as? JSONArray ?: error("$at: expected a list, got $got")
                check(list.length() == expected.length()) { "$at: expected ${expected.length()} items, got ${list.length()}" }
                for (i in 0 until list.length()) matches(expected.get(i), list.get(i), created, at)
            }
            expected == "\$present" -> check(got != null) { "$at: expected present" }
            expected is String && expected.startsWith("\$prefix:") ->
                check(got is String && got.startsWith(expected.removePrefix("\$prefix:"))) { "$at: expected $expected, got $got" }
            expected is String && expected.startsWith("$") -> error("unknown matcher $expected")
            expected is Number -> check(got is Number && Math.abs(got.toDouble() - expected.toDouble()) < 1e-9) { "$at: expected $expected, got $got" }
            else -> check(expected == got) { "$at: expected $expected, got $got" }
        }
    }
}

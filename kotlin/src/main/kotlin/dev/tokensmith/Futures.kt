@file:JvmName("Futures")

package dev.tokensmith

import java.util.concurrent.CompletableFuture
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.future.future

/*
 * The async clients' calls as `CompletableFuture`s, for Java (Kotlin calls the suspend functions):
 *
 *     import static dev.tokensmith.Futures.requestAsync;
 *     requestAsync(client, "GET", "/api/open/v3/faceswap/quota/info").thenAccept(System.out::println);
 *
 * Each is the suspend function itself, started at once on the calling thread (so the call starts in the caller's
 * OpenTelemetry context) and completed on the thread that ended it, as the suspend function resumes: no executor
 * hop in between. `future.cancel(true)` cancels the call as cancelling a coroutine does: its request is aborted and
 * not retried. A failed call completes the future exceptionally with its `TokensmithException`.
 */

/** Unconfined: a call's future completes where the core ended the call; supervised: one failure ends only its call. */
private val calls = CoroutineScope(SupervisorJob() + Dispatchers.Unconfined + CoroutineName("tokensmith-future"))

private fun <T> started(call: suspend () -> T): CompletableFuture<T> =
    calls.future(start = CoroutineStart.UNDISPATCHED) { call() }

/** [AsyncAkoolClient.request] as a future of the envelope's `data`, JSON text. */
@JvmOverloads
fun AsyncAkoolClient.requestAsync(
    method: String,
    path: String,
    jsonBody: String? = null,
    options: CallOptions? = null,
): CompletableFuture<String> = started { request(method, path, jsonBody, options) }

/** [AsyncAkoolClient.token] as a future (method 2). */
fun AsyncAkoolClient.tokenAsync(): CompletableFuture<String> = started { token() }

/** [AsyncAkoolClient.authHeaders] as a future. */
fun AsyncAkoolClient.authHeadersAsync(): CompletableFuture<Map<String, String>> = started { authHeaders() }

/** [AsyncAceDataPlatform.createCredential] as a future. Never retried once sent, as the suspend function. */
@JvmOverloads
fun AsyncAceDataPlatform.createCredentialAsync(new: NewCredential, options: CallOptions? = null): CompletableFuture<Credential> =
    started { createCredential(new, options) }

/** [AsyncAceDataPlatform.listCredentials] (one page) as a future. */
@JvmOverloads
fun AsyncAceDataPlatform.listCredentialsAsync(
    filter: CredentialFilter? = null,
    options: CallOptions? = null,
): CompletableFuture<CredentialPage> = started { listCredentials(filter, options) }

/** [AsyncAceDataPlatform.getCredential] as a future. */
@JvmOverloads
fun AsyncAceDataPlatform.getCredentialAsync(id: String, options: CallOptions? = null): CompletableFuture<Credential> =
    started { getCredential(id, options) }

/** [AsyncAceDataPlatform.updateCredential] as a future. */
@JvmOverloads
fun AsyncAceDataPlatform.updateCredentialAsync(
    id: String,
    changes: CredentialChanges,
    options: CallOptions? = null,
): CompletableFuture<Credential> = started { updateCredential(id, changes, options) }

/** [AsyncAceDataPlatform.rotateCredential] as a future. */
@JvmOverloads
fun AsyncAceDataPlatform.rotateCredentialAsync(id: String, options: CallOptions? = null): CompletableFuture<Credential> =
    started { rotateCredential(id, options) }

/** [AsyncAceDataPlatform.deleteCredential] as a future that completes with null. */
@JvmOverloads
fun AsyncAceDataPlatform.deleteCredentialAsync(id: String, options: CallOptions? = null): CompletableFuture<Void?> =
    started {
        deleteCredential(id, options)
        null
    }

/** [AsyncAceDataPlatform.listApplications] (one page) as a future. */
@JvmOverloads
fun AsyncAceDataPlatform.listApplicationsAsync(
    filter: ApplicationFilter? = null,
    options: CallOptions? = null,
): CompletableFuture<ApplicationPage> = started { listApplications(filter, options) }

/** [AsyncAceDataPlatform.getApplication] as a future. */
@JvmOverloads
fun AsyncAceDataPlatform.getApplicationAsync(id: String, options: CallOptions? = null): CompletableFuture<Application> =
    started { getApplication(id, options) }

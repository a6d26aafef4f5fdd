@file:JvmName("Credentials")

package dev.tokensmith

import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * Every credential matching [filter], fetching page after page as the sequence is iterated (`limit` of the filter
 * is the page size, default 100). Nothing is fetched before the first element; a failed page throws from the
 * iteration. From Java: `Credentials.iterCredentials(platform, filter, options).iterator()`.
 */
@JvmOverloads
fun AceDataPlatform.iterCredentials(filter: CredentialFilter? = null, options: CallOptions? = null): Sequence<Credential> =
    sequence {
        val pages = credentialPages(filter, options)
        while (true) {
            yieldAll(pages.nextPage() ?: break)
        }
    }

/**
 * Every credential matching [filter] as a cold [Flow]: each collection pages from the start, one request per page
 * as the collector asks for more. Cancelling the collector cancels the request in flight.
 */
fun AsyncAceDataPlatform.iterCredentials(filter: CredentialFilter? = null, options: CallOptions? = null): Flow<Credential> =
    flow {
        val pages = credentialPages(filter, options)
        while (true) {
            for (credential in pages.nextPage() ?: break) emit(credential)
        }
    }

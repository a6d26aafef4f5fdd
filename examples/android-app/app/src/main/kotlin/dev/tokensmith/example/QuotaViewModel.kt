package dev.tokensmith.example

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import dev.tokensmith.AsyncAkoolClient
import dev.tokensmith.TokensmithException
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch

/**
 * The screen's state: Akool's face-swap quota. The client is async: its `suspend` calls never block the thread
 * they are called from, so viewModelScope (the main thread) calls it directly, with no withContext(Dispatchers.IO);
 * leaving the screen cancels the coroutine, which aborts the request. (The blocking AkoolClient must never be called
 * on the main thread.)
 */
class QuotaViewModel(
    private val newClient: () -> AsyncAkoolClient = { AsyncAkoolClient.fromApiKey(BuildConfig.AKOOL_API_KEY) },
) : ViewModel() {
    sealed interface State {
        data object Loading : State
        data class Quota(val json: String) : State
        data class Failed(val kind: String, val message: String) : State
    }

    private val state = MutableStateFlow<State>(State.Loading)
    val quota: StateFlow<State> = state.asStateFlow()

    // Built once per screen; clients are cheap and share the process's connections.
    private val client: Result<AsyncAkoolClient> by lazy { runCatching(newClient) }

    fun refresh() {
        viewModelScope.launch {
            state.value = State.Loading
            state.value = try {
                State.Quota(client.getOrThrow().request("GET", "/api/open/v3/faceswap/quota/info"))
            } catch (e: TokensmithException) {
                // e.g. InvalidInput when no key was configured, Authentication when Akool refuses it.
                State.Failed(e.details().kind, e.message ?: "")
            }
        }
    }
}

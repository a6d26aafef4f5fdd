package dev.tokensmith.example

import android.os.Bundle
import android.util.Log
import android.widget.TextView
import androidx.activity.ComponentActivity
import androidx.activity.viewModels
import androidx.lifecycle.Lifecycle
import androidx.lifecycle.lifecycleScope
import androidx.lifecycle.repeatOnLifecycle
import kotlinx.coroutines.launch

/** One screen: the quota, or why there is none. */
class MainActivity : ComponentActivity() {
    private val model: QuotaViewModel by viewModels()

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val text = TextView(this).apply { setPadding(48, 48, 48, 48) }
        setContentView(text)
        lifecycleScope.launch {
            repeatOnLifecycle(Lifecycle.State.STARTED) {
                model.quota.collect { state ->
                    text.text = state.toString()
                    Log.i("tokensmith-example", "state: $state") // the workflow's smoke test reads this line
                }
            }
        }
        if (savedInstanceState == null) model.refresh()
    }
}

package dev.tokensmith

import android.util.Log

/**
 * The core's records in Logcat under the tag `tokensmith`, one line each: `transport: POST /api/... -> 200`
 * (the core's module, then its text; never a secret). [TokensmithLogging.install] picks it on Android; the level
 * is the one given to `install(level)`, else the most verbose one `Log.isLoggable("tokensmith", ...)` allows
 * (INFO unless `adb shell setprop log.tag.tokensmith DEBUG`).
 */
internal object LogcatSink : TokensmithLogging.LevelAware {
    const val TAG = "tokensmith"

    private fun priority(level: LogLevel) = when (level) {
        LogLevel.ERROR -> Log.ERROR
        LogLevel.WARN -> Log.WARN
        LogLevel.INFO -> Log.INFO
        LogLevel.DEBUG -> Log.DEBUG
        LogLevel.TRACE -> Log.VERBOSE
    }

    /** Logcat has no fields: a traced call's ids end the line. */
    override fun log(level: LogLevel, target: String, message: String, traceId: String?, spanId: String?) {
        val ids = if (traceId != null) " trace_id=$traceId span_id=$spanId" else ""
        Log.println(priority(level), TAG, "${target.removePrefix("tokensmith::")}: $message$ids")
    }

    override fun level(): LogLevel =
        LogLevel.entries.lastOrNull { Log.isLoggable(TAG, priority(it)) } ?: LogLevel.ERROR
}

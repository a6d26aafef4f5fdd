package dev.tokensmith.example

import android.app.Application
import dev.tokensmith.LogLevel
import dev.tokensmith.TokensmithLogging

class ExampleApp : Application() {
    override fun onCreate() {
        super.onCreate()
        // Tokensmith.init(context) already ran (the AAR's ContentProvider runs before this). Logs go to Logcat,
        // tag `tokensmith` (never a secret): requests at DEBUG in debug builds, only warnings in release.
        TokensmithLogging.install(if (BuildConfig.DEBUG) LogLevel.DEBUG else LogLevel.WARN)
    }
}

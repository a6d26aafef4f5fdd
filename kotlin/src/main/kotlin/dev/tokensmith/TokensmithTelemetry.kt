package dev.tokensmith

/**
 * OpenTelemetry spans and metrics of every call (docs/observability.md), through `io.opentelemetry:opentelemetry-api`
 * when it is on the classpath: installed when the native library loads, with no call from the application, and
 * costing nothing until the application registers an SDK (`GlobalOpenTelemetry`). The operation span starts on the
 * caller's thread as a child of `Context.current()` (a coroutine carries it with `opentelemetry-extension-kotlin`'s
 * `asContextElement()`); the attempt spans, the token fetch's span and the metrics follow when the call returns.
 *
 * Off: without the API on the classpath, with no SDK registered, with `TOKENSMITH_TELEMETRY=off`, or after [disable].
 * While no SDK is registered, the bridge is asked at most once a second (an idle bridge costs nothing per call): an
 * application that registers its SDK after its first tokensmith call is traced within a second, or at once after
 * calling [enable].
 */
object TokensmithTelemetry {
    /** The API is on the classpath, recent enough (1.57+: `GlobalOpenTelemetry.getOrNoop`, `Span.addLink`). */
    private val apiPresent: Boolean = try {
        Class.forName("io.opentelemetry.api.GlobalOpenTelemetry", false, TokensmithTelemetry::class.java.classLoader)
            .getMethod("getOrNoop")
        true
    } catch (_: ClassNotFoundException) {
        false
    } catch (_: NoSuchMethodException) {
        false
    } catch (_: LinkageError) {
        false
    }

    /** Whether [autoInstall] installed the bridge as the library loaded. */
    @Volatile
    @JvmStatic
    var installedAtLoad: Boolean = false
        private set

    /** Whether the bridge is installed: the API is present, telemetry is not turned off, and [disable] was not called. */
    @Volatile
    @JvmStatic
    var installed: Boolean = false
        private set

    /** Called as the native library loads (scripts/patch-kotlin-bindings): installs the bridge when it can. */
    @JvmStatic
    fun autoInstall() {
        try {
            installedAtLoad = enable()
        } catch (_: Throwable) {
            // Telemetry never keeps the library from loading.
        }
    }

    /**
     * Installs the OpenTelemetry bridge (again, after [disable]); `propagate = false` keeps the spans but sends no
     * `traceparent`/`tracestate` to the vendors. Returns whether it is installed.
     */
    @JvmStatic
    @JvmOverloads
    fun enable(propagate: Boolean = true): Boolean {
        installed = apiPresent && telemetryEnabled()
        setTelemetryHook(if (installed) OpenTelemetryHook(propagate) else null)
        return installed
    }

    /** Turns telemetry off in this process. */
    @JvmStatic
    fun disable() {
        installed = false
        setTelemetryHook(null)
    }
}

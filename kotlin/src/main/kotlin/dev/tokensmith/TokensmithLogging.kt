package dev.tokensmith

import java.util.logging.Level
import java.util.logging.Logger

/**
 * The core's log records (requests, retries, token fetches; never a secret) in the platform's logging: SLF4J when
 * an SLF4J provider is bound, else `java.util.logging`; on Android (the `tokensmith-android` AAR), Logcat under the
 * tag `tokensmith`. JVM loggers are named for the core's modules under `tokensmith` (`tokensmith.transport`,
 * `tokensmith.akool.client`), so configuring `tokensmith` configures them all.
 *
 * Call [install] once at startup, after configuring logging; the native side asks for the level of `tokensmith`
 * then, so call it again after changing that level at run time. Or give the level in code: `install(level)`.
 */
object TokensmithLogging {
    /** Where the records go after [install]: `"slf4j"`, `"java.util.logging"`, `"logcat"`, or null before. */
    @Volatile
    @JvmStatic
    var backend: String? = null
        private set

    /**
     * Routes the records to Logcat on Android, else to SLF4J (if a provider is bound) or `java.util.logging`, at
     * the level `tokensmith` has there.
     */
    @JvmStatic
    @JvmOverloads
    fun install(preferSlf4j: Boolean = true) {
        val sink = sink(preferSlf4j)
        setLogSink(sink, sink.level())
    }

    /**
     * As [install], sending records up to [level] whatever the logging framework's own setting (which may still
     * drop some): the way an Android app sets it, e.g. `if (BuildConfig.DEBUG) LogLevel.DEBUG else LogLevel.WARN`.
     */
    @JvmStatic
    fun install(level: LogLevel) {
        setLogSink(sink(true), level)
    }

    private fun sink(preferSlf4j: Boolean): LevelAware {
        val sink = androidSink() ?: if (preferSlf4j && Slf4jSink.bound()) Slf4jSink else JulSink
        backend = when (sink) {
            Slf4jSink -> "slf4j"
            JulSink -> "java.util.logging"
            else -> "logcat"
        }
        return sink
    }

    /** The Logcat sink, which only the Android AAR has (its R8 rules keep the name), on Android only. */
    private fun androidSink(): LevelAware? = try {
        Class.forName("android.util.Log")
        Class.forName("dev.tokensmith.LogcatSink").getField("INSTANCE").get(null) as LevelAware
    } catch (_: ClassNotFoundException) {
        null
    }

    /** Stops sending records. */
    @JvmStatic
    fun uninstall() {
        backend = null
        setLogSink(null, LogLevel.ERROR)
    }

    internal fun loggerName(target: String) = target.replace("::", ".")

    internal interface LevelAware : LogSink {
        /** The most verbose level the `tokensmith` logger lets through. */
        fun level(): LogLevel
    }

    private object JulSink : LevelAware {
        private val levels = mapOf(
            LogLevel.ERROR to Level.SEVERE, LogLevel.WARN to Level.WARNING, LogLevel.INFO to Level.INFO,
            LogLevel.DEBUG to Level.FINE, LogLevel.TRACE to Level.FINEST,
        )

        /** A traced call's ids go in the record's parameters (`trace_id`, `span_id`), for handlers that read them. */
        override fun log(level: LogLevel, target: String, message: String, traceId: String?, spanId: String?) {
            val record = java.util.logging.LogRecord(levels.getValue(level), message)
            record.loggerName = loggerName(target)
            if (traceId != null) record.parameters = arrayOf("trace_id=$traceId", "span_id=$spanId")
            Logger.getLogger(loggerName(target)).log(record)
        }

        override fun level(): LogLevel {
            val logger = Logger.getLogger("tokensmith")
            return LogLevel.entries.lastOrNull { logger.isLoggable(levels.getValue(it)) } ?: LogLevel.ERROR
        }
    }

    /** Only loaded when SLF4J is on the classpath: nothing else in this package names its classes. */
    private object Slf4jSink : LevelAware {
        fun bound(): Boolean = try {
            Class.forName("org.slf4j.LoggerFactory")
            org.slf4j.LoggerFactory.getILoggerFactory() !is org.slf4j.helpers.NOPLoggerFactory
        } catch (_: ClassNotFoundException) {
            false
        } catch (_: NoClassDefFoundError) {
            false
        }

        /** A traced call's ids go in the MDC as `trace_id` and `span_id`, the keys OpenTelemetry's appenders use. */
        override fun log(level: LogLevel, target: String, message: String, traceId: String?, spanId: String?) {
            val logger = org.slf4j.LoggerFactory.getLogger(loggerName(target))
            // The application's own values (on its request thread, for a blocking call) come back after.
            val previous = if (traceId != null) org.slf4j.MDC.get("trace_id") to org.slf4j.MDC.get("span_id") else null
            if (traceId != null) {
                org.slf4j.MDC.put("trace_id", traceId)
                org.slf4j.MDC.put("span_id", spanId)
            }
            try {
                when (level) {
                    LogLevel.ERROR -> logger.error(message)
                    LogLevel.WARN -> logger.warn(message)
                    LogLevel.INFO -> logger.info(message)
                    LogLevel.DEBUG -> logger.debug(message)
                    LogLevel.TRACE -> logger.trace(message)
                }
            } finally {
                if (previous != null) {
                    restore("trace_id", previous.first)
                    restore("span_id", previous.second)
                }
            }
        }

        private fun restore(key: String, value: String?) {
            if (value == null) org.slf4j.MDC.remove(key) else org.slf4j.MDC.put(key, value)
        }

        override fun level(): LogLevel {
            val logger = org.slf4j.LoggerFactory.getLogger("tokensmith")
            return when {
                logger.isTraceEnabled -> LogLevel.TRACE
                logger.isDebugEnabled -> LogLevel.DEBUG
                logger.isInfoEnabled -> LogLevel.INFO
                logger.isWarnEnabled -> LogLevel.WARN
                else -> LogLevel.ERROR
            }
        }
    }
}

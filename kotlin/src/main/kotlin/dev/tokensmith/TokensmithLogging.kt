package dev.tokensmith

import java.util.logging.Level
import java.util.logging.Logger

/**
 * The core's log records (requests, retries, token fetches; never a secret) in the JVM's logging: SLF4J when an
 * SLF4J provider is bound, else `java.util.logging`. Loggers are named for the core's modules under `tokensmith`
 * (`tokensmith.transport`, `tokensmith.akool.client`), so configuring `tokensmith` configures them all.
 *
 * Call [install] once at startup, after configuring logging; the native side asks for the level of `tokensmith`
 * then, so call it again after changing that level at run time.
 */
object TokensmithLogging {
    /** Where the records go after [install]: `"slf4j"`, `"java.util.logging"`, or null before. */
    @Volatile
    @JvmStatic
    var backend: String? = null
        private set

    /** Routes the records to SLF4J (if a provider is bound) or `java.util.logging`, at the level `tokensmith` has. */
    @JvmStatic
    @JvmOverloads
    fun install(preferSlf4j: Boolean = true) {
        val sink: LogSink = if (preferSlf4j && Slf4jSink.bound()) Slf4jSink else JulSink
        backend = if (sink === Slf4jSink) "slf4j" else "java.util.logging"
        setLogSink(sink, sink.level())
    }

    /** Stops sending records. */
    @JvmStatic
    fun uninstall() {
        backend = null
        setLogSink(null, LogLevel.ERROR)
    }

    internal fun loggerName(target: String) = target.replace("::", ".")

    private interface LevelAware : LogSink {
        /** The most verbose level the `tokensmith` logger lets through. */
        fun level(): LogLevel
    }

    private fun LogSink.level(): LogLevel = (this as LevelAware).level()

    private object JulSink : LevelAware {
        private val levels = mapOf(
            LogLevel.ERROR to Level.SEVERE, LogLevel.WARN to Level.WARNING, LogLevel.INFO to Level.INFO,
            LogLevel.DEBUG to Level.FINE, LogLevel.TRACE to Level.FINEST,
        )

        override fun log(level: LogLevel, target: String, message: String) {
            Logger.getLogger(loggerName(target)).log(levels.getValue(level), message)
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

        override fun log(level: LogLevel, target: String, message: String) {
            val logger = org.slf4j.LoggerFactory.getLogger(loggerName(target))
            when (level) {
                LogLevel.ERROR -> logger.error(message)
                LogLevel.WARN -> logger.warn(message)
                LogLevel.INFO -> logger.info(message)
                LogLevel.DEBUG -> logger.debug(message)
                LogLevel.TRACE -> logger.trace(message)
            }
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

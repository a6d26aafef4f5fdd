package dev.tokensmith

import io.opentelemetry.api.GlobalOpenTelemetry
import io.opentelemetry.api.OpenTelemetry
import io.opentelemetry.api.common.AttributeKey
import io.opentelemetry.api.common.Attributes
import io.opentelemetry.api.metrics.DoubleHistogram
import io.opentelemetry.api.metrics.LongCounter
import io.opentelemetry.api.metrics.MeterProvider
import io.opentelemetry.api.trace.Span
import io.opentelemetry.api.trace.SpanContext
import io.opentelemetry.api.trace.SpanKind
import io.opentelemetry.api.trace.StatusCode
import io.opentelemetry.api.trace.TracerProvider
import io.opentelemetry.context.Context
import io.opentelemetry.context.propagation.TextMapGetter
import io.opentelemetry.context.propagation.TextMapSetter
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong

/**
 * The telemetry hook, bridged to OpenTelemetry's API (loaded only when the API is on the classpath: see
 * [TokensmithTelemetry]). `start` runs on the caller's thread, in its context; `finish` when the call returned.
 */
internal class OpenTelemetryHook(private val propagate: Boolean) : TelemetryHook {
    private class Started(val span: Span, val context: Context)

    private val calls = ConcurrentHashMap<Long, Started>()
    private val handles = AtomicLong()

    override fun start(operation: String): TelemetryStart? {
        // Never get(): with nothing registered it registers the no-op instance, and the application's own later
        // GlobalOpenTelemetry.set would then throw.
        val otel = GlobalOpenTelemetry.getOrNoop()
        if (otel.tracerProvider === TracerProvider.noop() || otel === OpenTelemetry.noop()) return null
        val parent = Context.current()
        val span = tracer(otel).spanBuilder(operation).setParent(parent).setSpanKind(SpanKind.INTERNAL).startSpan()
        val context = parent.with(span)
        val headers = HashMap<String, String>()
        // Injected either way: the context also parents the token fetch's span and names the log records.
        otel.propagators.textMapPropagator.inject(context, headers, SETTER)
        val handle = handles.incrementAndGet()
        calls[handle] = Started(span, context)
        return TelemetryStart(handle, headers, unsent = !propagate)
    }

    override fun finish(handle: Long, report: TelemetryReport) {
        val started = calls.remove(handle) ?: return
        val otel = GlobalOpenTelemetry.getOrNoop()
        try {
            started.span.setAllAttributes(attributes(report.attributes))
            report.errorType?.let { started.span.setStatus(StatusCode.ERROR, it) }
            report.attempts.forEach { finished(otel, it, started.context) }
            record(otel, report.measurements)
            report.tokenFetch?.let { fetch ->
                val link = tokenFetch(otel, fetch, started.context)
                if (link != null && !fetch.fetch.isLeader()) started.span.addLink(link)
            }
        } finally {
            started.span.end()
        }
    }

    /** The span context of the shared token fetch: made here if this call claims it, else the claimant's. */
    private fun tokenFetch(otel: OpenTelemetry, fetch: TelemetryTokenFetchReport, operation: Context): SpanContext? {
        val propagator = otel.propagators.textMapPropagator
        val parentHeaders = fetch.fetch.claim()
            ?: return fetch.fetch.wait()?.let {
                Span.fromContext(propagator.extract(Context.root(), it, GETTER)).spanContext.takeIf { c -> c.isValid }
            }
        try {
            val parent = if (parentHeaders.isEmpty()) operation else propagator.extract(Context.root(), parentHeaders, GETTER)
            val span = finished(otel, fetch.span, parent, end = false)
            val context = parent.with(span)
            // Published first: its context is known now, and the other calls wait for nothing else.
            val headers = HashMap<String, String>()
            propagator.inject(context, headers, SETTER)
            fetch.fetch.publish(headers)
            fetch.attempts.forEach { finished(otel, it, context) }
            span.end(fetch.span.endEpochNanos, TimeUnit.NANOSECONDS)
            record(otel, fetch.measurements)
            return span.spanContext
        } catch (error: Throwable) {
            fetch.fetch.abandon()
            throw error
        }
    }

    private fun finished(otel: OpenTelemetry, data: TelemetrySpan, parent: Context, end: Boolean = true): Span {
        val span = tracer(otel).spanBuilder(data.name)
            .setParent(parent)
            .setSpanKind(if (data.client) SpanKind.CLIENT else SpanKind.INTERNAL)
            .setAllAttributes(attributes(data.attributes))
            .setStartTimestamp(data.startEpochNanos, TimeUnit.NANOSECONDS)
            .startSpan()
        data.errorType?.let { span.setStatus(StatusCode.ERROR, it) }
        if (end) span.end(data.endEpochNanos, TimeUnit.NANOSECONDS)
        return span
    }

    /** The instruments built for one meter provider: built once each, not per measurement. */
    private class Instruments(val provider: MeterProvider) {
        val histograms = ConcurrentHashMap<String, DoubleHistogram>()
        val counters = ConcurrentHashMap<String, LongCounter>()
    }

    @Volatile private var instruments: Instruments? = null

    private fun record(otel: OpenTelemetry, measurements: List<TelemetryMeasurement>) {
        if (measurements.isEmpty()) return
        val provider = otel.meterProvider
        val built = instruments?.takeIf { it.provider === provider } ?: Instruments(provider).also { instruments = it }
        val meter by lazy { provider.get(INSTRUMENTATION) }
        for (m in measurements) {
            val attributes = attributes(m.attributes)
            if (m.histogram) {
                built.histograms.getOrPut(m.instrument) {
                    val builder = meter.histogramBuilder(m.instrument).setUnit(m.unit).setDescription(m.description)
                    m.boundaries?.let { builder.setExplicitBucketBoundariesAdvice(it) }
                    builder.build()
                }.record(m.value, attributes)
            } else {
                built.counters.getOrPut(m.instrument) {
                    meter.counterBuilder(m.instrument).setUnit(m.unit).setDescription(m.description).build()
                }.add(m.value.toLong(), attributes)
            }
        }
    }

    private fun tracer(otel: OpenTelemetry) = otel.getTracer(INSTRUMENTATION, coreVersion())

    private companion object {
        const val INSTRUMENTATION = "tokensmith"

        val SETTER = TextMapSetter<MutableMap<String, String>> { carrier, key, value -> carrier?.put(key, value) }
        val GETTER = object : TextMapGetter<Map<String, String>> {
            override fun keys(carrier: Map<String, String>) = carrier.keys
            override fun get(carrier: Map<String, String>?, key: String) = carrier?.get(key)
        }

        fun attributes(list: List<TelemetryAttribute>): Attributes {
            val builder = Attributes.builder()
            for (attribute in list) {
                when (val value = attribute.value) {
                    is TelemetryValue.Text -> builder.put(AttributeKey.stringKey(attribute.key), value.value)
                    is TelemetryValue.Integer -> builder.put(AttributeKey.longKey(attribute.key), value.value)
                    is TelemetryValue.Boolean -> builder.put(AttributeKey.booleanKey(attribute.key), value.value)
                    is TelemetryValue.Double -> builder.put(AttributeKey.doubleKey(attribute.key), value.value)
                }
            }
            return builder.build()
        }
    }
}

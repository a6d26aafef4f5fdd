'use strict'
// OpenTelemetry (docs/observability.md): the spans and metrics of every call, reported through
// `@opentelemetry/api` when the application has it (an optional peer dependency) and registered an SDK; nothing to
// call for it. The operation span (`akool.request`, ...) starts here, as a child of the active context
// (AsyncLocalStorage, with `@opentelemetry/context-async-hooks` registered), and is active while the call runs; its
// context goes into the propagation headers through the global propagator, which the core sends on every attempt.
// When the call settles, the core's report becomes the attempt spans, the shared token fetch's span and the
// metrics; then the operation span ends. Off costs a check per call: no API, no SDK registered,
// `TOKENSMITH_TELEMETRY=off`, or `telemetry.disable()`.

let api = null
try {
  api = require('@opentelemetry/api')
} catch {}

const state = { on: false, propagate: true, provider: null, tracer: null, meterProvider: null, instruments: new Map() }
let native = null
let OPERATIONS = new Set()

function init (addon) {
  native = addon
  OPERATIONS = new Set(native.telemetryOperations())
  state.on = api !== null && native.telemetryEnabled()
}

/** Turns telemetry off in this process (`TOKENSMITH_TELEMETRY=off` does the same from the environment). */
function disable () {
  state.on = false
}

/** Turns it back on, where `@opentelemetry/api` is installed; `propagate: false` sends no `traceparent`. */
function enable ({ propagate = true } = {}) {
  state.on = api !== null && native.telemetryEnabled()
  state.propagate = propagate
}

/** The tracer, or null when telemetry is off: the check every call makes. */
function tracer () {
  if (!state.on) return null
  const provider = api.trace.getTracerProvider()
  const delegate = typeof provider.getDelegate === 'function' ? provider.getDelegate() : provider
  if (delegate !== state.provider) {
    state.provider = delegate
    const configured = delegate && delegate.constructor && delegate.constructor.name !== 'NoopTracerProvider'
    state.tracer = configured ? api.trace.getTracer('tokensmith', native.coreVersion()) : null
  }
  return state.tracer
}

/**
 * Runs `run(options)`, the addon call of `operation` on the addon's `client` with its per-call `options` (or
 * undefined), traced when telemetry is on and the client's `telemetry` option is not `off`; resolves or rejects as
 * the call does (`settle` turns addon errors into ours). Untraced, the call's own promise is handed back, with no
 * `async` wrapper around it; an error thrown before the call starts rejects it all the same.
 */
function traced (client, operation, options, run, settle) {
  const active = tracer()
  if (active === null || !OPERATIONS.has(operation) || client.telemetry() === 'off') {
    let call
    try {
      call = run(options)
    } catch (error) {
      call = Promise.reject(error)
    }
    return settle(call)
  }
  return tracedCall(active, client, operation, options, run, settle)
}

/** `traced` with telemetry on: the operation span around the call, and the core's report made into spans. */
async function tracedCall (active, client, operation, options, run, settle) {
  let span, context, id
  try {
    span = active.startSpan(operation, { kind: api.SpanKind.INTERNAL })
    context = api.trace.setSpan(api.context.active(), span)
    const carrier = {}
    api.propagation.inject(context, carrier)
    id = native.startTrace(operation, carrier, state.propagate)
  } catch {
    span?.end() // telemetry never fails a call: this one goes untraced
    return settle(run(options))
  }
  let error = null
  try {
    return await api.context.with(context, () => settle(run({ ...(options ?? {}), traceId: id })))
  } catch (caught) {
    error = caught
    throw caught
  } finally {
    try {
      report(active, span, context, JSON.parse(native.finishTrace(id)), error)
    } catch {
      // An SDK's or exporter's failure is not the call's.
    } finally {
      span.end()
    }
  }
}

function report (active, span, context, report, error) {
  span.setAttributes(report.attributes)
  if (report.error_type !== null) {
    span.setStatus({ code: api.SpanStatusCode.ERROR, message: report.error_type })
  } else if (error !== null) { // not the core's: a TypeError of ours, say
    span.setAttribute('error.type', error.name ?? 'Error')
    span.setStatus({ code: api.SpanStatusCode.ERROR, message: error.name })
  }
  for (const attempt of report.attempts) finished(active, attempt, context)
  record(report.measurements)
  const fetch = report.token_fetch
  if (fetch !== null) {
    const link = tokenFetch(active, fetch, context)
    if (link !== null && !fetch.leader) span.addLink({ context: link })
  }
}

/** The span context of the shared token fetch: made here if this call claims it, else the claimant's. */
function tokenFetch (active, fetch, operationContext) {
  const parentHeaders = native.tokenFetchClaim(fetch.id)
  if (parentHeaders === null) {
    const headers = native.tokenFetchWait(fetch.id)
    return headers === null ? null : api.trace.getSpanContext(api.propagation.extract(api.ROOT_CONTEXT, headers)) ?? null
  }
  try {
    const parent = Object.keys(parentHeaders).length
      ? api.propagation.extract(api.ROOT_CONTEXT, parentHeaders)
      : operationContext
    const span = finished(active, fetch.span, parent, false)
    const fetchContext = api.trace.setSpan(parent, span)
    // Published first: its context is known now, and the other calls wait for nothing else.
    const carrier = {}
    api.propagation.inject(fetchContext, carrier)
    native.tokenFetchPublish(fetch.id, carrier)
    for (const attempt of fetch.attempts) finished(active, attempt, fetchContext)
    span.end(fetch.span.end)
    record(fetch.measurements)
    return span.spanContext()
  } catch (error) {
    native.tokenFetchAbandon(fetch.id)
    throw error
  }
}

function finished (active, data, parent, end = true) {
  const kind = data.kind === 'client' ? api.SpanKind.CLIENT : api.SpanKind.INTERNAL
  const span = active.startSpan(data.name, { kind, attributes: data.attributes, startTime: data.start }, parent)
  if (data.error_type !== null) span.setStatus({ code: api.SpanStatusCode.ERROR, message: data.error_type })
  if (end) span.end(data.end)
  return span
}

function record (measurements) {
  const provider = api.metrics.getMeterProvider()
  if (provider.constructor && provider.constructor.name === 'NoopMeterProvider') return
  if (provider !== state.meterProvider) {
    state.meterProvider = provider
    state.instruments = new Map()
  }
  let meter = null
  for (const m of measurements) {
    let instrument = state.instruments.get(m.instrument)
    if (instrument === undefined) {
      meter ??= provider.getMeter('tokensmith', native.coreVersion())
      const options = { unit: m.unit, description: m.description }
      if (m.boundaries) options.advice = { explicitBucketBoundaries: m.boundaries }
      instrument = m.kind === 'histogram' ? meter.createHistogram(m.instrument, options) : meter.createCounter(m.instrument, options)
      state.instruments.set(m.instrument, instrument)
    }
    if (m.kind === 'histogram') instrument.record(m.value, m.attributes)
    else instrument.add(m.value, m.attributes)
  }
}

module.exports = { init, traced, telemetry: { enable, disable } }

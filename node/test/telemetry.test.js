'use strict'
// OpenTelemetry (docs/observability.md), against the real SDK with in-memory exporters and the AsyncLocalStorage
// context manager (without it, every span's parent would be the root): the spans of every call join the caller's
// trace, follow the HTTP client conventions, show retries and the shared token fetch, carry the error, match the
// `traceparent` the server received, and hold no secret; the metrics are recorded. node --test runs each file in
// its own process, so the SDK registered here is this file's alone.

const { test, before } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const api = require('@opentelemetry/api')
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks')
const { W3CTraceContextPropagator } = require('@opentelemetry/core')
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base')
const { MeterProvider, MetricReader } = require('@opentelemetry/sdk-metrics')
const tokensmith = require('tokensmith')
const { useMockServer } = require('tokensmith/testing')
const { REPO } = require('./support/mock.js')

const mock = useMockServer()
const QUOTA = '/api/open/v3/faceswap/quota/info'
const GET_TOKEN = '/api/open/v3/getToken'
const CANARY = JSON.parse(fs.readFileSync(path.join(REPO, 'tests', 'conformance', 'cases.json'), 'utf8')).canary
const exporter = new InMemorySpanExporter()

class TestReader extends MetricReader {
  async onForceFlush () {}
  async onShutdown () {}
}
const reader = new TestReader()

before(() => {
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  // What the Node SDK registers (NodeTracerProvider.register, NodeSDK): W3C trace context.
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator())
  api.trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }))
  api.metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }))
})

const spans = () => exporter.getFinishedSpans()
const named = (name) => spans().filter((span) => span.name === name)
const parentId = (span) => span.parentSpanContext?.spanId ?? span.parentSpanId
const traceparent = (span) => {
  const { traceId, spanId, traceFlags } = span.spanContext()
  return `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}`
}
const apiKeyClient = (more) => tokensmith.AkoolClient.fromApiKey(mock.apiKey, mock.options({ maxRetries: 3, ...more }))

test('the operation span is a child of the caller\'s, and its attempt follows the conventions', async () => {
  exporter.reset()
  const tracer = api.trace.getTracer('test')
  await tracer.startActiveSpan('handler', async (handler) => {
    await apiKeyClient().request('GET', `${QUOTA}?page=2`)
    handler.end()
  })
  const handler = named('handler')[0]
  const [operation] = named('akool.request')
  const [attempt] = named('GET')
  assert.equal(parentId(operation), handler.spanContext().spanId)
  assert.equal(operation.spanContext().traceId, handler.spanContext().traceId)
  assert.equal(parentId(attempt), operation.spanContext().spanId)
  assert.equal(attempt.kind, api.SpanKind.CLIENT)
  assert.equal(attempt.attributes['http.request.method'], 'GET')
  assert.equal(attempt.attributes['http.response.status_code'], 200)
  assert.equal(attempt.attributes['url.full'], mock.baseUrl + QUOTA, 'no query string')
  assert.equal(operation.attributes['tokensmith.attempts'], 1)
})

test('a retried call shows its attempts, and each sent the operation span\'s traceparent', async () => {
  exporter.reset()
  mock.arm({ kind: 'status', status: 503, path: QUOTA, times: 2, retry_after: '0' })
  await apiKeyClient().request('GET', QUOTA)
  const [operation] = named('akool.request')
  const attempts = named('GET')
  assert.deepEqual(attempts.map((a) => a.attributes['http.response.status_code']), [503, 503, 200])
  assert.deepEqual(attempts.map((a) => a.attributes['http.request.resend_count']), [undefined, 1, 2])
  assert.equal(attempts[0].attributes['error.type'], '503')
  assert.equal(attempts[0].status.code, api.SpanStatusCode.ERROR)
  assert.equal(attempts[0].attributes['tokensmith.retry.reason'], 'status')
  const sent = mock.requests.filter((r) => r.path === QUOTA).map((r) => r.traceparent)
  assert.deepEqual(sent, [traceparent(operation), traceparent(operation), traceparent(operation)])
})

test('64 concurrent method-2 calls show one token fetch, linked from all the others', async () => {
  exporter.reset()
  mock.arm({ kind: 'delay', ms: 200, path: GET_TOKEN })
  const client = mock.akool()
  await Promise.all(Array.from({ length: 64 }, () => client.request('GET', QUOTA)))
  assert.equal(mock.counts[`POST ${GET_TOKEN}`], 1)
  const fetches = named('akool.get_token')
  assert.equal(fetches.length, 1)
  const [fetch] = fetches
  const operations = named('akool.request')
  assert.equal(operations.length, 64)
  const leaders = operations.filter((op) => op.spanContext().spanId === parentId(fetch))
  assert.equal(leaders.length, 1, 'the fetch is a child of the call that started it')
  for (const op of operations.filter((op) => op !== leaders[0])) {
    assert.deepEqual(op.links.map((l) => l.context.spanId), [fetch.spanContext().spanId])
  }
  assert.ok(operations.every((op) => op.attributes['tokensmith.token.cached'] === false))
  const sent = mock.requests.find((r) => r.path === GET_TOKEN)
  assert.equal(sent.traceparent, traceparent(leaders[0]), 'getToken carries the leader\'s context')
})

test('an error sets the status and error.type to its kind', async () => {
  exporter.reset()
  mock.arm({ kind: 'akool_code', code: 1200, path: QUOTA })
  await assert.rejects(apiKeyClient().request('GET', QUOTA), tokensmith.AccountBannedError)
  const [operation] = named('akool.request')
  assert.equal(operation.status.code, api.SpanStatusCode.ERROR)
  assert.equal(operation.attributes['error.type'], 'AccountBanned')
  assert.equal(operation.attributes['tokensmith.akool.code'], 1200)
})

test('AceData calls are traced, and metrics record each attempt\'s duration and the retries', async () => {
  exporter.reset()
  const before = await points()
  mock.arm({ kind: 'status', status: 503, path: QUOTA, times: 1, retry_after: '0' })
  await apiKeyClient().request('GET', QUOTA)
  await mock.platform().createCredential(mock.applicationId)
  assert.equal(named('acedata.create_credential').length, 1)
  const after = await points()
  assert.equal(after['http.client.request.duration'] - (before['http.client.request.duration'] ?? 0), 3)
  assert.equal(after['tokensmith.retries'] - (before['tokensmith.retries'] ?? 0), 1)
  const byReason = 'tokensmith.retries{tokensmith.retry.reason=status}'
  assert.equal(after[byReason] - (before[byReason] ?? 0), 1, 'the retry\'s reason labels it')
  const byStatus = 'http.client.request.duration{http.response.status_code=503}'
  assert.equal(after[byStatus] - (before[byStatus] ?? 0), 1)
  await mock.akool().token()
  const fetched = await points()
  assert.equal(fetched['tokensmith.token.fetches'] - (after['tokensmith.token.fetches'] ?? 0), 1)
})

/** Each instrument's count (histograms) or sum (counters), in all and by each attribute it has. */
async function points () {
  const counts = {}
  const { resourceMetrics } = await reader.collect()
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      for (const point of metric.dataPoints) {
        const value = typeof point.value === 'number' ? point.value : point.value.count
        const name = metric.descriptor.name
        const labelled = Object.entries(point.attributes).map(([key, v]) => `${name}{${key}=${v}}`)
        for (const key of [name, ...labelled]) counts[key] = (counts[key] ?? 0) + value
      }
    }
  }
  return counts
}

test('no secret in any span, attribute, link or metric', async () => {
  exporter.reset()
  mock.arm({ kind: 'echo_auth', path: QUOTA })
  const client = tokensmith.AkoolClient.fromApiKey(CANARY, mock.options({ maxRetries: 1 }))
  await assert.rejects(client.request('POST', QUOTA, { json: { secret: CANARY }, headers: { 'x-tenant': CANARY } }))
  const method2 = mock.akool()
  await method2.request('GET', QUOTA)
  await method2.token()
  await mock.platform().createCredential(mock.applicationId)
  const text = JSON.stringify(spans().map((s) => ({ name: s.name, attributes: s.attributes, links: s.links, events: s.events, status: s.status }))) +
    JSON.stringify((await reader.collect()).resourceMetrics)
  for (const secret of [CANARY, mock.apiKey, mock.clientSecret, mock.platformToken, 'Bearer ']) {
    assert.ok(!text.includes(secret), `${secret} in telemetry`)
  }
})

test('each page of iterCredentials is a list call under the caller\'s span; none after the last', async () => {
  const platform = mock.platform()
  for (let i = 0; i < 3; i++) await platform.createCredential(mock.applicationId)
  exporter.reset()
  const tracer = api.trace.getTracer('test')
  let listed = 0
  await tracer.startActiveSpan('handler', async (handler) => {
    for await (const credential of platform.iterCredentials({ applicationId: mock.applicationId, limit: 2 })) {
      assert.ok(credential.id)
      listed++
    }
    handler.end()
  })
  assert.equal(listed, 3)
  const pages = named('acedata.list_credentials')
  assert.equal(pages.length, 2, 'two pages, and no span for the end of the iteration')
  assert.ok(pages.every((page) => parentId(page) === named('handler')[0].spanContext().spanId))
  assert.deepEqual(named('GET').map(parentId).sort(), pages.map((p) => p.spanContext().spanId).sort(), 'one GET each')
  exporter.reset()
  const quiet = mock.platform({ telemetry: 'off' })
  for await (const credential of quiet.iterCredentials({ applicationId: mock.applicationId, limit: 2 })) assert.ok(credential)
  assert.equal(spans().length, 0, 'a platform whose telemetry is off traces no page')
})

test('the off switches: no traceparent with propagate off, no span when disabled', async () => {
  exporter.reset()
  tokensmith.telemetry.enable({ propagate: false })
  try {
    await mock.akool().request('GET', QUOTA)
  } finally {
    tokensmith.telemetry.enable()
  }
  assert.deepEqual(mock.requests.map((r) => r.traceparent), [null, null], 'neither getToken nor the call sends it')
  const [operation] = named('akool.request')
  const [fetch] = named('akool.get_token')
  assert.equal(parentId(fetch), operation.spanContext().spanId, 'the fetch is still the operation\'s child')
  exporter.reset()
  tokensmith.telemetry.disable()
  try {
    await apiKeyClient().request('GET', QUOTA)
  } finally {
    tokensmith.telemetry.enable()
  }
  assert.equal(spans().length, 0)
})

// A process that sets up as told, makes a method-2 call under a span of its own, and prints how many spans of
// tokensmith's its exporter got.
const CHILD = `
const [setting, clientId, clientSecret, baseUrl, path] = process.argv.slice(1)
const api = require('@opentelemetry/api')
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base')
const Module = require('node:module')
const resolve = Module._resolveFilename
if (setting === 'not-installed') { // what tokensmith resolves in an install without the optional peer dependency
  Module._resolveFilename = function (request, ...rest) {
    if (request === '@opentelemetry/api') throw Object.assign(new Error('not found'), { code: 'MODULE_NOT_FOUND' })
    return resolve.call(this, request, ...rest)
  }
}
const tokensmith = require('tokensmith')
Module._resolveFilename = resolve
const exporter = new InMemorySpanExporter()
if (setting !== 'no-sdk') {
  api.context.setGlobalContextManager(new (require('@opentelemetry/context-async-hooks').AsyncLocalStorageContextManager)().enable())
  api.propagation.setGlobalPropagator(new (require('@opentelemetry/core').W3CTraceContextPropagator)())
  api.trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }))
}
const client = tokensmith.AkoolClient.fromClientCredentials(clientId, clientSecret, { baseUrl })
api.trace.getTracer('app').startActiveSpan('handler', async (span) => {
  await client.request('GET', path)
  span.end()
  console.log(exporter.getFinishedSpans().filter((s) => s.name !== 'handler').length)
})
`

for (const setting of ['TOKENSMITH_TELEMETRY=off', 'no-sdk', 'not-installed', 'on']) {
  test(`with ${setting}, a process ${setting === 'on' ? 'traces its calls' : 'traces nothing and sends no context'}`, () => {
    const env = { ...process.env }
    delete env.TOKENSMITH_TELEMETRY
    if (setting.startsWith('TOKENSMITH_TELEMETRY=')) env.TOKENSMITH_TELEMETRY = 'off'
    const args = [setting, mock.clientId, mock.clientSecret, mock.baseUrl, QUOTA]
    const run = require('node:child_process').spawnSync(process.execPath, ['-e', CHILD, ...args], { cwd: __dirname, env, encoding: 'utf8', timeout: 60_000 })
    assert.equal(run.status, 0, run.stderr)
    const sent = mock.requests.map((r) => r.traceparent)
    if (setting === 'on') { // the same child traces when nothing turns it off: the others prove something
      assert.equal(run.stdout.trim(), '4')
      assert.ok(sent.every(Boolean), sent)
    } else {
      assert.equal(run.stdout.trim(), '0')
      assert.deepEqual(sent, [null, null])
    }
  })
}

test('the client\'s telemetry option: no context sent, or nothing at all', async () => {
  exporter.reset()
  await tokensmith.AkoolClient.fromApiKey(mock.apiKey, mock.options({ telemetry: 'no_propagation' })).request('GET', QUOTA)
  assert.equal(mock.requests.at(-1).traceparent, null)
  assert.equal(named('akool.request').length, 1)
  exporter.reset()
  await tokensmith.AkoolClient.fromApiKey(mock.apiKey, mock.options({ telemetry: 'off' })).request('GET', QUOTA)
  assert.equal(spans().length, 0)
  assert.throws(() => tokensmith.AkoolClient.fromApiKey(mock.apiKey, mock.options({ telemetry: 'loud' })), tokensmith.InvalidInputError)
})

test('a traced call\'s log records carry its trace and operation span ids', async () => {
  exporter.reset()
  const records = []
  const keep = (message, meta) => records.push({ message, ...meta })
  tokensmith.setLogger({ error: keep, warn: keep, info: keep, debug: keep }, { level: 'debug' })
  try {
    mock.arm({ kind: 'status', status: 503, path: QUOTA, times: 1, retry_after: '0' })
    await apiKeyClient().request('GET', QUOTA)
    for (let i = 0; i < 20 && !records.some((r) => r.message.startsWith('retrying')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  } finally {
    tokensmith.setLogger(null)
  }
  const [operation] = named('akool.request')
  const retrying = records.find((r) => r.message.startsWith('retrying'))
  assert.ok(retrying, JSON.stringify(records))
  assert.equal(retrying.traceId, operation.spanContext().traceId)
  assert.equal(retrying.spanId, operation.spanContext().spanId)
})

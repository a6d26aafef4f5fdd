'use strict'
// Node benchmark driver: prints one JSON line for bench/run.py, of the same shape as bench/python_bench.py's.
//
//   node bench/node_bench.js load CLIENT BASE IN_FLIGHT SECONDS
//   node --expose-gc bench/node_bench.js construct BASE N   N tokensmith clients with distinct keys, all kept
//   node bench/node_bench.js tenants BASE N                 N tenants in turn, a new client each for one call
//
// CLIENT: tokensmith | fetch | undici. IN_FLIGHT async loops on the one event loop, all through one client, each
// awaiting one request after another: unmeasured for a warm-up, then measured for SECONDS. The line also has `cs`
// and `cs_involuntary`: the context switches of the whole process (every thread, the addon's included:
// process.resourceUsage() is getrusage's RUSAGE_SELF) from the end of the warm-up to the end of the run, and
// `cpu_us`: the process's CPU time (user plus system, µs) over the same section.
//
// The hand-written clients are the vendor's JavaScript snippet made efficient, as their users would write it:
//   fetch   Node's global fetch with the x-api-key header by hand. Its global dispatcher is one keep-alive undici
//           Agent (Node 20 bundles undici), so connections are reused between calls; no option to tune.
//   undici  npm's undici (bench/package.json, installed by bench/run into bench/node_modules): undici.request
//           through one keep-alive Agent, the body read as JSON.
// Both parse the JSON answer and check code === 1000 as the snippet does; tokensmith does that inside.

const path = require('node:path')

const PATH = '/api/open/v3/faceswap/quota/info'
const API_KEY = 'mock-api-key-0123456789abcdefghi'
const WARMUP_MS = 1000 // V8's JIT needs longer than Python's warm-up, as the JVM's (bench/jvm) does

function data (body) {
  if (body.code !== 1000) throw new Error(`Akool answered ${JSON.stringify(body)}`)
  return body.data
}

function makeCall (kind, base) {
  const url = base + PATH
  if (kind === 'tokensmith') {
    const { AkoolClient } = require(path.join(__dirname, '..', 'node'))
    const client = AkoolClient.fromApiKey(API_KEY, { baseUrl: base })
    return () => client.request('GET', PATH)
  }
  if (kind === 'fetch') {
    const headers = { 'x-api-key': API_KEY }
    return async () => {
      const answer = await fetch(url, { headers })
      return data(await answer.json())
    }
  }
  if (kind === 'undici') {
    const { Agent, request } = require('undici')
    const dispatcher = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000 })
    const headers = { 'x-api-key': API_KEY }
    return async () => {
      const { body } = await request(url, { dispatcher, headers })
      return data(await body.json())
    }
  }
  throw new Error(`unknown client ${kind}`)
}

const nowMs = () => Number(process.hrtime.bigint()) / 1e6

// The context switches and the CPU time (user plus system, µs) so far of every thread of this process:
// [voluntary, involuntary, cpu_us].
function switches () {
  const usage = process.resourceUsage()
  return [usage.voluntaryContextSwitches, usage.involuntaryContextSwitches, usage.userCPUTime + usage.systemCPUTime]
}

// The JSON keys for the context switches and the CPU time since `before`.
function since (before) {
  const [voluntary, involuntary, cpuUs] = switches().map((now, i) => now - before[i])
  return { cs: voluntary + involuntary, cs_involuntary: involuntary, cpu_us: cpuUs }
}

async function timedLoop (call, warmUntil, end) {
  while (nowMs() < warmUntil) await call()
  const latencies = []
  for (;;) {
    const started = process.hrtime.bigint()
    if (Number(started) / 1e6 >= end) return latencies
    await call()
    latencies.push(Number(process.hrtime.bigint() - started))
  }
}

async function load (kind, base, inFlight, seconds) {
  const call = makeCall(kind, base)
  const warmUntil = nowMs() + WARMUP_MS
  const end = warmUntil + seconds * 1000
  const everyone = Promise.all(Array.from({ length: inFlight }, () => timedLoop(call, warmUntil, end)))
  const before = await new Promise((resolve) => setTimeout(() => resolve(switches()), warmUntil - nowMs()))
  const results = await everyone
  report(results, seconds, since(before))
}

// The JSON line of a load run: throughput, p50 and p99 over every loop's latencies (ns), as python_bench.report.
function report (results, seconds, extra) {
  const latencies = results.flat().sort((a, b) => a - b)
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] / 1000
  const rps = latencies.length / seconds
  console.log(JSON.stringify({ requests: latencies.length, rps, p50_us: pct(0.5), p99_us: pct(0.99), ...extra }))
}

// Tenant i's API key, as bench/run.py registers it with the mock.
const tenantKey = (i) => `tenant${i}-key-0123456789abcdef`

// This process's resident set (VmRSS), in KiB, after a full GC when run with --expose-gc.
function rssKib () {
  if (global.gc) global.gc()
  return process.memoryUsage().rss / 1024
}

const medianUs = (nanos) => nanos.sort((a, b) => a - b)[Math.floor(nanos.length / 2)] / 1000

// N clients with distinct API keys, all kept: the median construction and the RSS growth per client.
function construct (base, n) {
  const { AkoolClient } = require(path.join(__dirname, '..', 'node'))
  AkoolClient.fromApiKey('warm-up-key-0123456789abcdef', { baseUrl: base })
  const rssBefore = rssKib()
  const kept = []
  const nanos = []
  for (let i = 0; i < n; i++) {
    const key = tenantKey(i)
    const started = process.hrtime.bigint()
    kept.push(AkoolClient.fromApiKey(key, { baseUrl: base }))
    nanos.push(Number(process.hrtime.bigint() - started))
  }
  const perClient = (rssKib() - rssBefore) / n
  console.log(JSON.stringify({ clients: kept.length, median_us: medianUs(nanos), rss_kib_per_client: perClient }))
}

// N tenants in turn: a new client with the tenant's key for one call, then left to the GC.
async function tenants (base, n) {
  const { AkoolClient } = require(path.join(__dirname, '..', 'node'))
  const build = []
  const call = []
  const before = switches()
  const started = process.hrtime.bigint()
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint()
    const client = AkoolClient.fromApiKey(tenantKey(i), { baseUrl: base })
    const t1 = process.hrtime.bigint()
    await client.request('GET', PATH)
    call.push(Number(process.hrtime.bigint() - t1))
    build.push(Number(t1 - t0))
  }
  const perTenant = Number(process.hrtime.bigint() - started) / 1000 / n
  console.log(JSON.stringify({
    tenants: n, us_per_tenant: perTenant, build_p50_us: medianUs(build), call_p50_us: medianUs(call), ...since(before)
  }))
}

/**
 * ns per `authHeaders()` with the token cached (no I/O). BENCH_TELEMETRY=on registers OpenTelemetry's SDK (spans
 * dropped by the exporter) from the package's own dev dependencies; unset, the API is installed and no SDK is.
 */
async function authHeaders (base, iterations) {
  if (process.env.BENCH_TELEMETRY === 'on') {
    const modules = path.join(__dirname, '..', 'node', 'node_modules', '@opentelemetry')
    const api = require(path.join(modules, 'api'))
    const { BasicTracerProvider, SimpleSpanProcessor } = require(path.join(modules, 'sdk-trace-base'))
    const { W3CTraceContextPropagator } = require(path.join(modules, 'core'))
    const dropping = { export: (spans, done) => done({ code: 0 }), shutdown: async () => {} }
    api.trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(dropping)] }))
    api.propagation.setGlobalPropagator(new W3CTraceContextPropagator())
  }
  const { AkoolClient } = require(path.join(__dirname, '..', 'node'))
  const client = AkoolClient.fromClientCredentials('mock-client-id', API_KEY, { baseUrl: base })
  await client.token()
  for (let i = 0; i < iterations / 10; i++) await client.authHeaders()
  const started = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) await client.authHeaders()
  console.log(JSON.stringify({ ns_per_call: Number(process.hrtime.bigint() - started) / iterations }))
}

const USAGE = 'usage: node bench/node_bench.js load tokensmith|fetch|undici BASE IN_FLIGHT SECONDS | construct BASE N | tenants BASE N | auth-headers BASE N'

async function main () {
  const [mode, ...args] = process.argv.slice(2)
  if (mode === 'load' && args.length === 4) {
    await load(args[0], args[1], parseInt(args[2], 10), parseFloat(args[3]))
  } else if (mode === 'construct' && args.length === 2) {
    construct(args[0], parseInt(args[1], 10))
  } else if (mode === 'tenants' && args.length === 2) {
    await tenants(args[0], parseInt(args[1], 10))
  } else if (mode === 'auth-headers' && args.length === 2) {
    await authHeaders(args[0], parseInt(args[1], 10))
  } else {
    throw new Error(USAGE)
  }
  // The undici Agent and the addon's runtime keep handles open; the measurement is done.
  process.exit(0)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})

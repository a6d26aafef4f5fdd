'use strict'
// Node benchmark driver: prints one JSON line for bench/run.py, of the same shape as bench/python_bench.py's.
//
//   node bench/node_bench.js load CLIENT BASE IN_FLIGHT SECONDS
//
// CLIENT: tokensmith | fetch | undici. IN_FLIGHT async loops on the one event loop, all through one client, each
// awaiting one request after another: unmeasured for a warm-up, then measured for SECONDS.
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
  const results = await Promise.all(Array.from({ length: inFlight }, () => timedLoop(call, warmUntil, end)))
  report(results, seconds)
}

// The JSON line of a load run: throughput, p50 and p99 over every loop's latencies (ns), as python_bench.report.
function report (results, seconds) {
  const latencies = results.flat().sort((a, b) => a - b)
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] / 1000
  const rps = latencies.length / seconds
  console.log(JSON.stringify({ requests: latencies.length, rps, p50_us: pct(0.5), p99_us: pct(0.99) }))
}

async function main () {
  const [mode, ...args] = process.argv.slice(2)
  if (mode !== 'load' || args.length !== 4) {
    throw new Error('usage: node bench/node_bench.js load tokensmith|fetch|undici BASE IN_FLIGHT SECONDS')
  }
  await load(args[0], args[1], parseInt(args[2], 10), parseFloat(args[3]))
  // The undici Agent and the addon's runtime keep handles open; the measurement is done.
  process.exit(0)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})

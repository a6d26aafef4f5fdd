'use strict'
// What is particular to Node: Promises that never block the event loop, one token fetch for 64 concurrent
// first calls, error classes, options checks, and objects that print and serialise without their secrets.

const { test, before, after, beforeEach } = require('node:test')
const assert = require('node:assert/strict')
const { inspect } = require('node:util')
const tokensmith = require('..')
const { startMock } = require('./support/mock.js')

const QUOTA = '/api/open/v3/faceswap/quota/info'
const GET_TOKEN = '/api/open/v3/getToken'
const API_KEY = 'mock-api-key-0123456789abcdefghi'
const APP = '107f8d0f-e465-4a7e-a49e-d633d26f7aa2'
let mock

before(async () => { mock = await startMock() })
after(() => mock.stop())
beforeEach(() => mock.reset())

const options = () => ({ baseUrl: mock.baseUrl, initialBackoffMs: 10 })

test('64 concurrent first calls fetch one token', async () => {
  await mock.fault({ kind: 'delay', ms: 200, path: GET_TOKEN })
  const akool = tokensmith.AkoolClient.fromClientCredentials('mock-client-id', API_KEY, options())
  const answers = await Promise.all(Array.from({ length: 64 }, () => akool.request('GET', QUOTA)))
  assert.ok(answers.every((data) => data.auth === 'bearer'))
  assert.deepEqual(await mock.counts(), { [`POST ${GET_TOKEN}`]: 1, [`GET ${QUOTA}`]: 64 })
})

test('the event loop keeps ticking while 50 calls wait on a slow endpoint', async () => {
  await mock.fault({ kind: 'delay', ms: 500, path: QUOTA, times: 50 })
  const akool = tokensmith.AkoolClient.fromApiKey(API_KEY, options())
  let worst = 0
  let last = performance.now()
  const ticker = setInterval(() => {
    const now = performance.now()
    worst = Math.max(worst, now - last - 10)
    last = now
  }, 10)
  const started = performance.now()
  await Promise.all(Array.from({ length: 50 }, () => akool.request('GET', QUOTA)))
  const elapsed = performance.now() - started
  clearInterval(ticker)
  assert.ok(elapsed < 2500, `50 calls of 500 ms did not overlap: ${elapsed} ms`)
  assert.ok(worst < 50, `the event loop stalled for ${worst} ms`)
})

test('a client survives a failed call', async () => {
  const akool = tokensmith.AkoolClient.fromApiKey(API_KEY, options())
  await mock.fault({ kind: 'akool_code', code: 1200 })
  await assert.rejects(akool.request('GET', QUOTA), (e) => {
    assert.ok(e instanceof tokensmith.AccountBannedError && e instanceof tokensmith.ApiError && e instanceof Error)
    assert.equal(e.code, 1200)
    assert.equal(e.status, 200)
    assert.equal(e.message, 'account banned (HTTP 200, Akool code 1200: The account has been banned)')
    return true
  })
  assert.equal((await akool.request('GET', QUOTA)).auth, 'x-api-key')
})

test('ClientOptions in index.d.ts names every setting of the core\'s table, and nothing else', () => {
  const types = require('node:fs').readFileSync(require.resolve('../index.d.ts'), 'utf8')
  const block = types.match(/export interface ClientOptions \{([^}]*)\}/)[1]
  const typed = [...block.matchAll(/^\s*(\w+)\?:/gm)].map((m) => m[1]).sort()
  assert.deepEqual(typed, [...require('../addon.js').clientOptionNames()].sort())
})

test('a number that is not whole is refused, naming the option, before any request', async () => {
  const isInput = (field) => (e) => e instanceof tokensmith.InvalidInputError && e.field === field
  assert.throws(() => tokensmith.AkoolClient.fromApiKey(API_KEY, { ...options(), maxRetries: NaN }), isInput('maxRetries'))
  assert.throws(() => new tokensmith.AceDataPlatform('platform-x', { poolIdleTimeoutMs: Infinity }), isInput('poolIdleTimeoutMs'))
  const akool = tokensmith.AkoolClient.fromApiKey(API_KEY, options())
  await assert.rejects(akool.request('GET', QUOTA, { timeoutMs: 1.5 }), isInput('timeoutMs'))
  assert.deepEqual(await mock.counts(), {})
})

test('a user agent suffix follows the language', async () => {
  const akool = tokensmith.AkoolClient.fromApiKey(API_KEY, { ...options(), userAgentSuffix: 'billing/2' })
  const data = await akool.request('GET', QUOTA)
  assert.match(data.headers['user-agent'], / node billing\/2$/)
})

test('every kind of the core has its error class', () => {
  for (const kind of tokensmith.errorKinds()) {
    const name = kind === 'Timeout' ? 'RequestTimeoutError' : `${kind}Error`
    assert.ok(tokensmith[name]?.prototype instanceof tokensmith.TokensmithError, `no class for ${kind}`)
  }
})

test('bad input is refused before any request, naming what is wrong', async () => {
  assert.throws(() => tokensmith.AkoolClient.fromApiKey(API_KEY, { timeout: 5 }), TypeError)
  assert.throws(() => tokensmith.AkoolClient.fromApiKey(API_KEY, { maxRetries: -1 }), (e) => e instanceof tokensmith.InvalidInputError && e.field === 'max_retries')
  assert.throws(() => tokensmith.AkoolClient.fromApiKey(''), (e) => e.field === 'api_key')
  const platform = new tokensmith.AceDataPlatform('platform-v1-mock-0123456789', options())
  await assert.rejects(platform.createCredential('not-a-uuid'), (e) => e instanceof tokensmith.InvalidInputError && e.field === 'application_id')
  await assert.rejects(platform.listCredentials({ limit: -1 }), (e) => e.field === 'limit')
  assert.deepEqual(await mock.counts(), {})
})

test('the credential lifecycle, with a readable token that never prints', async () => {
  const platform = new tokensmith.AceDataPlatform('platform-v1-mock-0123456789', options())
  const created = await platform.createCredential(APP, { limitedAmount: 100, expiredAt: new Date('2030-01-01T00:00:00Z') })
  assert.ok(created.token.length > 8)
  assert.equal(created.limitedAmount, 100)
  for (const form of [inspect(created), String(created), JSON.stringify(created), inspect(platform), JSON.stringify(platform)]) {
    assert.ok(!form.includes(created.token), form)
  }
  assert.equal(JSON.parse(JSON.stringify(created)).token, '** redacted **')
  const updated = await platform.updateCredential(created.id, { limitedAmount: null })
  assert.equal(updated.limitedAmount, undefined)
  const rotated = await platform.rotateCredential(created.id)
  assert.notEqual(rotated.token, created.token)
  const page = await platform.listCredentials()
  assert.deepEqual(page.items.map((c) => c.id), [created.id])
  await platform.deleteCredential(created.id)
  await assert.rejects(platform.getCredential(created.id), tokensmith.NotFoundError)
})

test('no client or verifier prints its secret', async () => {
  const canary = 'CANARY-7f3a9c-secret-0123456789abcdef'
  const objects = [
    tokensmith.AkoolClient.fromApiKey(canary, options()),
    tokensmith.AkoolClient.fromClientCredentials('id', canary, options()),
    new tokensmith.AceDataPlatform(canary, options()),
    new tokensmith.WebhookVerifier('id', 'CANARY-7f3a9c-secret-0123456789a')
  ]
  for (const object of objects) {
    for (const form of [inspect(object, { showHidden: true, depth: 9 }), String(object), JSON.stringify(object), `${object}`]) {
      assert.ok(!form.includes('CANARY-7f3a9c'), form)
      assert.ok(form.includes('redacted'), form)
    }
  }
  const refused = await objects[0].request('GET', QUOTA).catch((e) => e)
  assert.ok(refused instanceof tokensmith.AuthenticationError)
  for (const form of [String(refused), inspect(refused), JSON.stringify(refused), refused.stack]) {
    assert.ok(!form.includes('CANARY-7f3a9c'), form)
  }
})

test('a webhook body can be a Buffer or a string', () => {
  const verifier = new tokensmith.WebhookVerifier('mock-client-id', API_KEY)
  assert.throws(() => verifier.verify('{"signature": 1}'), (e) => e instanceof tokensmith.WebhookRejectedError && e.reason === 'MalformedBody')
  assert.throws(() => verifier.verify(Buffer.from('not json')), (e) => e.reason === 'MalformedBody')
})

test('users of fetch renew a refused token once', async () => {
  const akool = tokensmith.AkoolClient.fromClientCredentials('mock-client-id', API_KEY, options())
  const ownCall = async () => (await fetch(mock.baseUrl + QUOTA, { headers: await akool.authHeaders() })).json()
  assert.equal((await ownCall()).code, 1000)
  const stale = await akool.token()
  await mock.expireTokens()
  const refused = await ownCall()
  assert.ok(tokensmith.isTokenExpired(refused) && tokensmith.isTokenExpired(JSON.stringify(refused)))
  assert.ok(!tokensmith.isTokenExpired('{"code": 1000}'))
  akool.invalidateToken(stale)
  akool.invalidateToken(stale)
  assert.equal((await ownCall()).code, 1000)
  assert.equal((await mock.counts())[`POST ${GET_TOKEN}`], 2)
})

test('log records reach a logger at the most verbose level, never with a secret', async () => {
  const lines = []
  const logger = Object.fromEntries(['error', 'warn', 'info', 'debug', 'trace'].map((level) => [level, (message, { target }) => lines.push(`${level} ${target} ${message}`)]))
  tokensmith.setLogger(logger, { level: 'trace' })
  try {
    const secret = 'mock-api-key-0123456789abcdefghi'
    const akool = tokensmith.AkoolClient.fromClientCredentials('mock-client-id', secret, options())
    await akool.request('GET', '/api/open/v3/faceswap/quota/info')
    const token = await akool.token()
    // Records arrive on the event loop, after the calls that wrote them.
    for (let waited = 0; waited < 2000 && !lines.some((l) => l.includes('quota/info -> 200')); waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    const text = lines.join('\n')
    assert.match(text, /debug tokensmith::transport POST \/api\/open\/v3\/getToken -> 200/)
    assert.match(text, /GET \/api\/open\/v3\/faceswap\/quota\/info -> 200/)
    assert.ok(!text.includes(secret) && !text.includes(token), text)
    assert.throws(() => tokensmith.setLogger({ info () {} }), TypeError)
    assert.throws(() => tokensmith.setLogger(logger, { level: 'loud' }), tokensmith.InvalidInputError)
  } finally {
    tokensmith.setLogger(null)
  }
})

test('per-call options reach one call, applications are listed, credentials are iterated lazily', async () => {
  await mock.reset()
  const platform = new tokensmith.AceDataPlatform('platform-v1-mock-0123456789', options())
  for (let i = 0; i < 3; i++) await platform.createCredential(APP)
  const ids = []
  for await (const credential of platform.iterCredentials({ limit: 2, headers: { 'x-tenant': 'acme' } })) ids.push(credential.id)
  assert.equal(ids.length, 3)
  const state = await mock.state()
  const pages = state.requests.filter((r) => r.method === 'GET')
  assert.deepEqual(pages.map((r) => r.headers['x-tenant']), ['acme', 'acme'])
  await assert.rejects(platform.listCredentials({ headers: { 'X-API-Key': 'other' } }), (e) => e instanceof tokensmith.InvalidInputError && e.field === 'headers')
  await assert.rejects(platform.getCredential(APP, { headers: 'x' }), TypeError)
  await mock.fault({ kind: 'status', status: 503, method: 'GET', times: 1 })
  await assert.rejects(platform.listCredentials({ maxRetries: 0 }), tokensmith.ServerError)
  const apps = await platform.listApplications()
  assert.equal(apps.count, 2)
  assert.equal((await platform.getApplication(APP, { timeoutMs: 5000 })).type, 'Api')
})

test('a logger that throws, or has no trace method, loses its records only', async () => {
  const seen = []
  const throwing = { error () {}, warn () {}, info () {}, debug (message) { seen.push(message); throw new Error('logger down') } }
  tokensmith.setLogger(throwing, { level: 'trace' })
  try {
    const akool = tokensmith.AkoolClient.fromApiKey(API_KEY, options())
    assert.equal((await akool.request('GET', QUOTA)).auth, 'x-api-key')
    for (let waited = 0; waited < 2000 && seen.length === 0; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10))
    assert.ok(seen.some((line) => line.includes('-> 200')), 'trace and debug records reached debug')
    assert.equal((await akool.request('GET', QUOTA)).auth, 'x-api-key', 'the process and the client live on')
  } finally {
    tokensmith.setLogger(null)
  }
})

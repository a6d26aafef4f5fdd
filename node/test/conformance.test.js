'use strict'
// The Node runner of the shared conformance suite (tests/conformance/cases.json; format in its README). A step's
// `threads` are that many concurrent calls (Promises) on Node's one event loop.

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { inspect } = require('node:util')
const tokensmith = require('..')
const { REPO, startMock } = require('./support/mock.js')

const SUITE = JSON.parse(fs.readFileSync(path.join(REPO, 'tests', 'conformance', 'cases.json'), 'utf8'))
const CANARY = SUITE.canary
let mock

before(async () => { mock = await startMock() })
after(() => mock.stop())

function credentialJson (c) {
  const fields = ['id', 'userId', 'applicationId', 'type', 'token', 'username', 'password', 'host', 'limitedAmount',
    'usedAmount', 'expiredAt', 'createdAt', 'updatedAt', 'name']
  return Object.fromEntries(fields.map((f) => [f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), c[f] ?? null]))
}

function applicationJson (a) {
  const fields = ['id', 'userId', 'serviceId', 'type', 'scope', 'remainingAmount', 'usedAmount', 'createdAt', 'updatedAt']
  return Object.fromEntries(fields.map((f) => [f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), a[f] ?? null]))
}

function errorJson (e) {
  return {
    kind: e.kind,
    akool_code: typeof e.code === 'number' ? e.code : null,
    vendor_code: typeof e.code === 'string' ? e.code : null,
    status: e.status ?? null,
    field: e.field ?? null,
    retry_after_seconds: e.retryAfter ?? null,
    webhook_reason: e.reason ?? null,
    trace_id: e.traceId ?? null
  }
}

function matches (expected, actual, created, at) {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    for (const [key, want] of Object.entries(expected)) {
      const got = actual?.[key] ?? null
      if (want === '$absent') assert.equal(got, null, `${at}${key}: expected absent`)
      else if (want === '$changed') assert.ok(got !== null && got !== created[key], `${at}${key}: expected a change`)
      else matches(want, got, created, `${at}${key}.`)
    }
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) && actual.length === expected.length, `${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
    expected.forEach((want, i) => matches(want, actual[i], created, at))
  } else if (expected === '$present') {
    assert.ok(actual !== null && actual !== undefined, `${at}: expected present`)
  } else if (typeof expected === 'string' && expected.startsWith('$prefix:')) {
    assert.ok(typeof actual === 'string' && actual.startsWith(expected.slice(8)), `${at}: expected ${expected}, got ${actual}`)
  } else if (typeof expected === 'string' && expected.startsWith('$')) {
    throw new Error(`unknown matcher ${expected}`)
  } else if (typeof expected === 'number') {
    assert.ok(typeof actual === 'number' && Math.abs(actual - expected) < 1e-9, `${at}: expected ${expected}, got ${actual}`)
  } else {
    assert.deepEqual(actual, expected, `${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
  }
}

class Case {
  constructor (spec) {
    this.spec = spec
    this.client = null
    this.created = {}
  }

  setting (key) {
    const value = this.spec.client[key] ?? SUITE.demo[key]
    return value === '$canary' ? CANARY : value
  }

  build () {
    const spec = this.spec.client
    const options = { baseUrl: spec.base_url ?? mock.baseUrl, initialBackoffMs: 10, requestTimeoutMs: spec.request_timeout_ms }
    switch (spec.type) {
      case 'akool_api_key': return tokensmith.AkoolClient.fromApiKey(this.setting('api_key'), options)
      case 'akool_client_credentials':
        return tokensmith.AkoolClient.fromClientCredentials(this.setting('client_id'), this.setting('client_secret'), options)
      case 'acedata': return new tokensmith.AceDataPlatform(this.setting('platform_token'), options)
      case 'webhook': return new tokensmith.WebhookVerifier(this.setting('client_id'), this.setting('client_secret'))
      default: throw new Error(`unknown client type ${spec.type}`)
    }
  }

  sub (value) {
    return typeof value === 'string' && this.created.id ? value.replaceAll('$created.id', this.created.id) : value
  }

  async call (op, args) {
    const a = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, this.sub(v)]))
    const o = a.call ? { timeoutMs: a.call.timeout_ms, headers: a.call.headers, maxRetries: a.call.max_retries } : {}
    const c = this.client
    switch (op) {
      case 'token': return { token: await c.token() }
      case 'auth_headers': return await c.authHeaders()
      case 'request': return await c.request(a.method, a.path, { json: a.body, ...o })
      case 'create_credential':
        return credentialJson(await c.createCredential(a.application_id, {
          host: a.host, limitedAmount: a.limited_amount, expiredAt: a.expired_at, name: a.name, allowedApiIds: a.allowed_api_ids, metadata: a.metadata, ...o
        }))
      case 'list_credentials': {
        const page = await c.listCredentials({ applicationId: a.application_id, host: a.host, limit: a.limit, offset: a.offset, ...o })
        return { count: page.count, items: page.items.map(credentialJson) }
      }
      case 'iter_credentials': {
        const items = []
        for await (const item of c.iterCredentials({ applicationId: a.application_id, host: a.host, limit: a.limit, ...o })) items.push(item)
        return { count: items.length, items: items.map(credentialJson) }
      }
      case 'list_applications': {
        const page = await c.listApplications({ limit: a.limit, offset: a.offset, ...o })
        return { count: page.count, items: page.items.map(applicationJson) }
      }
      case 'get_application': return applicationJson(await c.getApplication(a.id, o))
      case 'get_credential': return credentialJson(await c.getCredential(a.id, o))
      case 'update_credential':
        return credentialJson(await c.updateCredential(a.id, {
          name: a.name,
          limitedAmount: a.clear_limited_amount ? null : a.limited_amount,
          expiredAt: a.clear_expired_at ? null : a.expired_at
        }, o))
      case 'rotate_credential': return credentialJson(await c.rotateCredential(a.id, o))
      case 'delete_credential': return await c.deleteCredential(a.id, o) ?? null
      case 'webhook_verify': {
        const event = c.verify(Buffer.from(a.body), { expectedId: a.expected_id })
        return { id: event.id ?? null, status: event.status ?? null, timestamp_ms: event.timestampMs, nonce: event.nonce, payload: event.payload }
      }
      default: throw new Error(`unknown op ${op}`)
    }
  }

  async timed (op, args) {
    const started = performance.now()
    try {
      return [await this.call(op, args), null, performance.now() - started]
    } catch (error) {
      if (!(error instanceof tokensmith.TokensmithError)) throw error
      return [null, error, performance.now() - started]
    }
  }

  check (at, expect, result, error, elapsedMs) {
    if (this.spec.canary) {
      const forms = error ? [String(error), error.message, inspect(error), JSON.stringify(error), error.stack] : []
      if (this.client) forms.push(String(this.client), inspect(this.client), JSON.stringify(this.client))
      const leak = forms.find((form) => form?.includes(CANARY))
      assert.equal(leak, undefined, `${at}: the canary leaked`)
    }
    if (!expect.error) {
      assert.equal(error, null, `${at}: expected success, got ${error}`)
      if ('result' in expect) matches(JSON.parse(this.sub(JSON.stringify(expect.result))), result, this.created, `${at}: `)
      assert.ok(elapsedMs >= (expect.min_elapsed_ms ?? 0), `${at}: too fast (${elapsedMs} ms)`)
      return
    }
    assert.ok(error, `${at}: expected an error, got ${JSON.stringify(result)}`)
    assert.ok(tokensmith.errorKinds().includes(error.kind), error.kind)
    const { message_contains: part, ...wanted } = expect.error
    if (part !== undefined) assert.ok(error.message.includes(part), `${at}: ${error.message} lacks ${part}`)
    matches(wanted, errorJson(error), {}, `${at}: `)
  }

  async run () {
    await mock.reset()
    for (const [index, step] of this.spec.steps.entries()) {
      const { op, args = {} } = step
      const at = `step ${index} (${op})`
      if (op === 'fault') { await mock.fault(args); continue }
      if (op === 'expire_tokens') { await mock.expireTokens(); continue }
      const expect = step.expect ?? { ok: true }
      if (!this.client) {
        try {
          this.client = this.build()
        } catch (error) {
          if (!(error instanceof tokensmith.TokensmithError)) throw error
          this.check(at, expect, null, error, 0)
          return
        }
      }
      if (op === 'build') { this.check(at, expect, null, null, 0); continue }
      const outcomes = await Promise.all(Array.from({ length: step.threads ?? 1 }, () => this.timed(op, args)))
      for (const [result, error, elapsed] of outcomes) {
        if (op === 'create_credential' && !error) this.created = result
        this.check(at, expect, result, error, elapsed)
      }
    }
    const counts = Object.fromEntries(Object.entries(this.spec.counts).map(([k, v]) => [this.sub(k), v]))
    const state = await mock.state()
    assert.deepEqual(state.counts, counts, 'counts')
    if (this.spec.state) matches(this.spec.state, state, {}, 'state: ')
  }
}

for (const spec of SUITE.cases) {
  test(spec.name, () => new Case(spec).run())
}

test('the suite is not empty', () => {
  assert.ok(SUITE.cases.length >= 25)
})

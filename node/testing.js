'use strict'
// The testing kit: the mock Akool and AceData APIs in this process, on a free loopback port, for testing your own
// code offline (docs/testing.md). `useMockServer()` wires one into node:test: started once, reset before each test.

const native = require('./addon.js')
const tokensmith = require('./index.js')

const DEMO = JSON.parse(native.mockDemoJson())

/** Translates the addon's errors into tokensmith's error classes. */
function call (fn) {
  try {
    return fn()
  } catch (error) {
    throw tokensmith._translate(error)
  }
}

class MockServer {
  #native
  constructor () {
    this.#native = call(() => native.NativeMockServer.start())
    /** Both APIs' base URL, e.g. `http://127.0.0.1:41234`: pass it as `baseUrl`. */
    this.baseUrl = this.#native.baseUrl()
    Object.assign(this, {
      apiKey: DEMO.api_key,
      clientId: DEMO.client_id,
      clientSecret: DEMO.client_secret,
      platformToken: DEMO.platform_token,
      applicationId: DEMO.application_id,
      proxyApplicationId: DEMO.proxy_application_id
    })
  }

  /** Arms a fault (docs/mock.md): `arm({ kind: 'status', status: 503, times: 2 })`, `arm({ kind: 'reset' })`. */
  arm (rule) {
    call(() => this.#native.arm(JSON.stringify(rule)))
  }

  /** The requests seen since the last reset, oldest first: `{ method, path, headers, json }`, credentials redacted. */
  get requests () {
    return JSON.parse(this.#native.requestsJson(false))
  }

  /** The requests seen with credentials shown. */
  requestsRevealed () {
    return JSON.parse(this.#native.requestsJson(true))
  }

  /** How many requests arrived, by `'METHOD /path'`. */
  get counts () {
    return JSON.parse(this.#native.countsJson())
  }

  /** How many tokens Akool's getToken issued. */
  get tokenCount () {
    return this.#native.tokensIssued()
  }

  /** How many TCP connections the mock accepted since the last reset (clients of equal settings share them). */
  get connectionCount () {
    return this.#native.connections()
  }

  /** Adds an Akool account besides the demo one (`clientSecret` is also its API key), for tests of many tenants. */
  addTenant (clientId, clientSecret) {
    this.#native.addTenant(clientId, clientSecret)
  }

  /** The AceData credentials the mock holds. */
  get credentials () {
    return JSON.parse(this.#native.credentialsJson())
  }

  /** Expires every Akool token issued so far: the next call with one is answered 1101. */
  expireTokens () {
    this.#native.expireTokens()
  }

  /**
   * Closes a keep-alive connection once it has had no request in flight for `ms` milliseconds (`null`: never, the
   * default), as servers do (Node's own `keepAliveTimeout` of 5 s, nginx's `keepalive_timeout`): with a FIN, and no
   * `Connection: close` on the answer before. A connection that has not answered yet is left open; open connections
   * follow a change at once; `reset()` turns it off.
   */
  setIdleClose (ms) {
    if (ms != null && !(Number.isSafeInteger(ms) && ms >= 0 && ms <= 0xffffffff)) {
      const message = `invalid ms: must be a whole number of milliseconds from 0 to 2^32 - 1, got ${ms}`
      throw new tokensmith.InvalidInputError({ kind: 'InvalidInput', message, field: 'ms' })
    }
    this.#native.setIdleCloseMs(ms ?? null)
  }

  /**
   * Restarts the mock on the same port, as a server process restarting would: every open connection is closed (a
   * request in flight gets no answer) and a new listener is bound; tenants, tokens, credentials, counts and faults
   * are kept. Returns once the new listener accepts.
   */
  restart () {
    call(() => this.#native.restart())
  }

  /** Forgets requests, counts, tokens, credentials, faults and the idle close. */
  reset () {
    this.#native.reset()
  }

  /**
   * Posts an Akool webhook of `payload` to `url` (loopback http), signed and encrypted with the demo client id and
   * secret as Akool does; resolves to the status your handler answered.
   */
  async sendWebhook (url, payload) {
    try {
      return await this.#native.sendWebhook(url, JSON.stringify(payload))
    } catch (error) {
      throw tokensmith._translate(error)
    }
  }

  /** Stops the server. */
  stop () {
    this.#native.stop()
  }

  /** Client options pointing at this mock, with quick retries. */
  options (more = {}) {
    return { baseUrl: this.baseUrl, initialBackoffMs: 10, ...more }
  }

  /** An Akool client of the mock with client credentials (method 2). */
  akool (options) {
    return tokensmith.AkoolClient.fromClientCredentials(this.clientId, this.clientSecret, this.options(options))
  }

  /** An AceData client of the mock. */
  platform (options) {
    return new tokensmith.AceDataPlatform(this.platformToken, this.options(options))
  }
}

/** A mock for the tests of this file (node:test): reset before each test, stopped after the last. */
function useMockServer () {
  const { after, beforeEach } = require('node:test')
  const mock = new MockServer()
  beforeEach(() => mock.reset())
  after(() => mock.stop())
  return mock
}

module.exports = { MockServer, useMockServer }

'use strict'
// tokensmith for Node: the addon (native.js, built by napi-rs from bindings/node) with a thin JavaScript layer
// that only does what the addon cannot: throw the error class of each kind, take and give JavaScript values
// (JSON, Buffers, Dates, options objects), and keep secrets out of `util.inspect` and `JSON.stringify`.

const { debuglog, inspect } = require('node:util')
const native = require('./addon.js')
const { init: initTelemetry, traced, telemetry } = require('./telemetry.js')

initTelemetry(native)

const MARKER = 'tokensmith-error:'
const REDACTED = '** redacted **'

/** Every failure of tokensmith; `kind` says which, the subclass lets you catch what you can act on. */
class TokensmithError extends Error {
  constructor (details) {
    super(details.message)
    this.name = this.constructor.name
    this.kind = details.kind
    /** The HTTP status of the answer, when there was one. */
    this.status = details.status ?? undefined
    /** The vendor's code: the Akool business code (a number), else the AceData error code (a string). */
    this.code = details.akoolCode ?? details.vendorCode ?? undefined
    /** The argument or setting an input error names. */
    this.field = details.field ?? undefined
    /** Seconds a rate-limited answer asked you to wait. */
    this.retryAfter = details.retryAfter ?? undefined
    /** Why a webhook was refused (`BadSignature`, ...). */
    this.reason = details.reason ?? undefined
    /** The vendor's id for the failed request (AceData's `trace_id`), for its support. */
    this.traceId = details.traceId ?? undefined
  }
}

// One class per kind of the core, named `<Kind>Error` (`Timeout`: `RequestTimeoutError`, as in Python), under
// the parent the core gives it (refusals under `ApiError`, a timeout under `TransportError`).
const classes = { TokensmithError }
const byKind = {}
const parents = native.errorKindParents()
function classOf (kind) {
  if (!byKind[kind]) {
    const base = parents[kind] ? classOf(parents[kind]) : TokensmithError
    const name = `${kind === 'Timeout' ? 'RequestTimeout' : kind}Error`
    byKind[kind] = classes[name] = { [name]: class extends base {} }[name]
  }
  return byKind[kind]
}
native.errorKinds().forEach(classOf)

/** Our error for an addon error (or the error itself, if it is not one of ours). */
function translate (error) {
  if (!(error instanceof Error) || !error.message.startsWith(MARKER)) return error
  const details = JSON.parse(error.message.slice(MARKER.length))
  return new (byKind[details.kind] ?? TokensmithError)(details)
}

/** Calls the addon, throwing our errors. */
function call (fn) {
  try {
    return fn()
  } catch (error) {
    throw translate(error)
  }
}

/**
 * The addon's promise, rejecting with our errors. Not an `async` function: one wrapper less for every call's
 * promise to resolve through (each costs the event loop microtask turns; measured in bench/RESULTS.md).
 */
function settle (promise) {
  return promise.catch(rethrow)
}

function rethrow (error) {
  throw translate(error)
}

/** The client options' names, from the core's table of settings. */
const CLIENT_OPTION_NAMES = native.clientOptionNames()

/** The addon's options from ours (`requestTimeoutMs`, ...); unknown keys are refused. */
function clientOptions (options = {}) {
  const known = CLIENT_OPTION_NAMES
  const unknown = Object.keys(options).filter((key) => !known.includes(key))
  if (unknown.length) throw new TypeError(`unknown option(s): ${unknown.join(', ')} (known: ${known.join(', ')})`)
  return wholeNumbers(options)
}

/**
 * The options, after refusing a number that is not whole (the addon's integers would turn NaN, Infinity or 1.5
 * into another number silently): an input error naming the option, as the core refuses a negative one.
 */
function wholeNumbers (options) {
  for (const [key, value] of Object.entries(options)) {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) {
      const message = `invalid ${key}: must be a whole number, got ${value}`
      throw new byKind.InvalidInput({ kind: 'InvalidInput', message, field: key })
    }
  }
  return options
}

const CALL_OPTIONS = ['timeoutMs', 'headers', 'maxRetries']

/**
 * The per-call options (`timeoutMs`, `headers`, `maxRetries`) in an options object, for the addon; the other
 * keys are the method's own. The core checks the values (auth headers cannot be overridden).
 */
function callOptions (options = {}) {
  const picked = Object.fromEntries(CALL_OPTIONS.filter((key) => options[key] !== undefined).map((key) => [key, options[key]]))
  if (picked.headers !== undefined && (typeof picked.headers !== 'object' || picked.headers === null || Array.isArray(picked.headers))) {
    throw new TypeError('headers must be an object of header names to values')
  }
  return Object.keys(picked).length ? wholeNumbers(picked) : undefined
}

/** An ISO 8601 string for a Date; strings pass as they are (the core checks them). */
const timestamp = (value) => (value instanceof Date ? value.toISOString() : value)

/** Redacted forms for objects that hold secrets: `util.inspect`/`console.log`, `String()`, `JSON.stringify`. */
function redacted (target, describe, toJSON = describe) {
  Object.defineProperty(target, inspect.custom, { value: describe })
  Object.defineProperty(target, 'toString', { value: describe })
  Object.defineProperty(target, 'toJSON', { value: toJSON })
}

class AkoolClient {
  #native
  constructor (nativeClient) {
    this.#native = nativeClient
    redacted(this, () => `AkoolClient ${nativeClient.describe()}`)
  }

  /** Method 1 (recommended): every request carries `x-api-key`. */
  static fromApiKey (apiKey, options) {
    return new AkoolClient(call(() => native.AkoolClient.fromApiKey(apiKey, clientOptions(options))))
  }

  /** Method 2: a bearer token is fetched once with the client id and secret, then sent as `Authorization`. */
  static fromClientCredentials (clientId, clientSecret, options) {
    return new AkoolClient(call(() => native.AkoolClient.fromClientCredentials(clientId, clientSecret, clientOptions(options))))
  }

  /** From `AKOOL_API_KEY`, else `AKOOL_CLIENT_ID` + `AKOOL_CLIENT_SECRET`; `AKOOL_BASE_URL` overrides the base. */
  static fromEnv (options) {
    return new AkoolClient(call(() => native.AkoolClient.fromEnv(clientOptions(options))))
  }

  /** The bearer token (method 2), fetched once and shared by every caller. A secret: do not log it. */
  token () {
    return traced(this.#native, 'akool.token', undefined, (o) => this.#native.token(o), settle)
  }

  /** The auth header(s) for `fetch`/axios, as a plain object. */
  authHeaders () {
    return traced(this.#native, 'akool.auth_headers', undefined, (o) => this.#native.authHeaders(o), settle)
  }

  /**
   * Forgets `stale`, a token Akool refused (1101) on a call you made with fetch/axios, so the next
   * `authHeaders()` fetches a new one; a burst of such reports causes one fetch.
   */
  invalidateToken (stale) {
    this.#native.invalidateToken(stale)
  }

  /**
   * An authenticated call; resolves to the answer's `data`, parsed. Any code but 1000 rejects. Options: `json`
   * (the body), and for this call only `timeoutMs`, `headers`, `maxRetries`.
   */
  async request (method, path, options = {}) {
    const body = options.json === undefined ? undefined : JSON.stringify(options.json)
    return JSON.parse(await traced(this.#native, 'akool.request', callOptions(options), (o) => this.#native.request(method, path, body, o), settle))
  }
}

class Credential {
  #token
  #password
  constructor (data) {
    const { token, password, ...fields } = data
    Object.assign(this, fields)
    this.#token = token ?? undefined
    this.#password = password ?? undefined
    const describe = () => `Credential ${this.id} (${this.type}${this.host ? `, host ${this.host}` : ''})`
    const hidden = { token: token && REDACTED, password: password && REDACTED }
    redacted(this, describe, () => ({ ...fields, ...hidden }))
  }

  /** The bearer token of a `Token` credential. A secret. */
  get token () { return this.#token }
  /** The password of an `Identity` credential. A secret. */
  get password () { return this.#password }
}

class AceDataPlatform {
  #native
  constructor (platformToken, options) {
    this.#native = platformToken instanceof native.AceDataPlatform
      ? platformToken
      : call(() => new native.AceDataPlatform(platformToken, clientOptions(options)))
    const nativeClient = this.#native
    redacted(this, () => `AceDataPlatform ${nativeClient.describe()}`)
  }

  /** From `ACEDATA_PLATFORM_TOKEN`; `ACEDATA_PLATFORM_BASE_URL` overrides the base. */
  static fromEnv (options) {
    return new AceDataPlatform(call(() => native.AceDataPlatform.fromEnv(clientOptions(options))))
  }

  // Every method's last argument may carry per-call options: `timeoutMs`, `headers`, `maxRetries`.

  /** Creates a credential. Never retried once sent, so never created twice. */
  async createCredential (applicationId, options = {}) {
    const { host, limitedAmount, expiredAt, name, allowedApiIds, metadata } = options
    const metadataJson = metadata === undefined ? undefined : JSON.stringify(metadata)
    const credential = { applicationId, host, limitedAmount, expiredAt: timestamp(expiredAt), name, allowedApiIds, metadataJson }
    return new Credential(await traced(this.#native, 'acedata.create_credential', callOptions(options), (o) => this.#native.createCredential(credential, o), settle))
  }

  /** One page of credentials: `{ count, items }`. */
  async listCredentials (options = {}) {
    const { applicationId, host, limit, offset } = options
    const page = await traced(this.#native, 'acedata.list_credentials', callOptions(options), (o) => this.#native.listCredentials({ applicationId, host, limit, offset }, o), settle)
    return { count: page.count, items: page.items.map((item) => new Credential(item)) }
  }

  /**
   * Every matching credential, fetched page after page as the loop asks (`limit` is the page size):
   * `for await (const credential of platform.iterCredentials()) { ... }`.
   */
  async * iterCredentials (options = {}) {
    const { applicationId, host, limit } = options
    const pages = call(() => this.#native.credentialPages({ applicationId, host, limit }, callOptions(options)))
    // Each page is traced as an `acedata.list_credentials` call; once the last was listed, none is asked for.
    while (!pages.isDone()) {
      const page = await traced(pages, 'acedata.list_credentials', undefined, (o) => pages.nextPage(o), settle)
      if (page === null) return
      for (const item of page) yield new Credential(item)
    }
  }

  async getCredential (id, options) {
    return new Credential(await traced(this.#native, 'acedata.get_credential', callOptions(options), (o) => this.#native.getCredential(id, o), settle))
  }

  /** Changes a credential: `limitedAmount: null` removes the limit, `expiredAt: null` the expiry. */
  async updateCredential (id, { name, limitedAmount, expiredAt, allowedApiIds } = {}, options) {
    const changes = {
      name,
      limitedAmount: limitedAmount ?? undefined,
      clearLimitedAmount: limitedAmount === null,
      expiredAt: expiredAt === null ? undefined : timestamp(expiredAt),
      clearExpiredAt: expiredAt === null,
      allowedApiIds
    }
    return new Credential(await traced(this.#native, 'acedata.update_credential', callOptions(options), (o) => this.#native.updateCredential(id, changes, o), settle))
  }

  /** A new token for the same credential; the old one stops working at once. Never retried once sent. */
  async rotateCredential (id, options) {
    return new Credential(await traced(this.#native, 'acedata.rotate_credential', callOptions(options), (o) => this.#native.rotateCredential(id, o), settle))
  }

  async deleteCredential (id, options) {
    await traced(this.#native, 'acedata.delete_credential', callOptions(options), (o) => this.#native.deleteCredential(id, o), settle)
  }

  /** One page of your applications, `{ count, items }`: their ids are what credentials are created for. */
  async listApplications (options = {}) {
    const { limit, offset } = options
    return traced(this.#native, 'acedata.list_applications', callOptions(options), (o) => this.#native.listApplications({ limit, offset }, o), settle)
  }

  async getApplication (id, options) {
    return traced(this.#native, 'acedata.get_application', callOptions(options), (o) => this.#native.getApplication(id, o), settle)
  }
}

class WebhookVerifier {
  #native
  /** Checks Akool webhooks with the client id and secret; `toleranceSeconds` bounds the timestamp's age. */
  constructor (clientId, clientSecret, { toleranceSeconds } = {}) {
    this.#native = call(() => new native.WebhookVerifier(clientId, clientSecret, toleranceSeconds))
    const nativeVerifier = this.#native
    redacted(this, () => `WebhookVerifier ${nativeVerifier.describe()}`)
  }

  /** The verified event for a raw body (a Buffer, as Express's `raw()` gives, or a string); synchronous. */
  verify (body, { expectedId } = {}) {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body
    const event = JSON.parse(call(() => this.#native.verify(bytes, expectedId)))
    return { id: event.id ?? undefined, status: event.status ?? undefined, timestampMs: event.timestamp_ms, nonce: event.nonce, payload: event.payload }
  }
}

const LEVELS = ['error', 'warn', 'info', 'debug']

/**
 * Sends the core's log records (requests, retries, token fetches; never a secret) to `logger`: any object with
 * `error`/`warn`/`info`/`debug` methods, and `trace` if it has one (`console`, pino, winston), called as
 * `logger[level](message, { target })`, for records up to `level` (default `debug`); trace records go to `debug`
 * on a logger without `trace`. A logger that throws loses that record only. `setLogger(null)` stops them. Without
 * a logger, `NODE_DEBUG=tokensmith` prints them through `util.debuglog`, as Node's own modules do.
 */
function setLogger (logger, { level = 'debug' } = {}) {
  if (logger !== null && LEVELS.some((name) => typeof logger[name] !== 'function')) {
    throw new TypeError(`logger must have the methods ${LEVELS.join(', ')} (and trace, optionally)`)
  }
  const sink = logger === null
    ? null
    : (recordLevel, target, message, traceId, spanId) => {
        const method = recordLevel === 'trace' && typeof logger.trace !== 'function' ? 'debug' : recordLevel
        // A traced call's records carry its trace and operation span ids, for log correlation.
        const meta = traceId ? { target, traceId, spanId } : { target }
        try {
          logger[method](message, meta)
        } catch {
          // A throw here would reach Node as an uncaught exception from a native callback: drop the record.
        }
      }
  call(() => native.setLogSink(sink, level))
}

const debug = debuglog('tokensmith')
if (debug.enabled) {
  native.setLogSink((level, target, message) => debug('%s %s: %s', level, target, message), 'trace')
}

/** Whether an Akool answer's body (text, a Buffer or the parsed object) says the token was refused (1101). */
function isTokenExpired (body) {
  const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body)
  return native.isTokenExpired(text)
}

module.exports = {
  isTokenExpired,
  setLogger,
  telemetry,
  AkoolClient,
  AceDataPlatform,
  Credential,
  WebhookVerifier,
  ...classes,
  coreVersion: native.coreVersion,
  errorKinds: native.errorKinds,
  /** For the testing kit (`tokensmith/testing`): our error for an addon error. */
  _translate: translate
}

/**
 * The `tokensmith` package: Akool OpenAPI and AceData Cloud authentication, backed by the tokensmith Rust core.
 *
 * @packageDocumentation
 */
// Types of the tokensmith package (index.js). Checked with `tsc --strict` over test/typed-example.ts.
/// <reference types="node" />

/** Client options; a missing key keeps the core's default (10 s connect, 60 s request, 2 retries). */
export interface ClientOptions {
  /** Another base URL (https, or http to loopback). */
  baseUrl?: string
  connectTimeoutMs?: number
  requestTimeoutMs?: number
  maxRetries?: number
  initialBackoffMs?: number
  /** How long an unused pooled connection is kept for the next call, in milliseconds (default 90 000; 0 closes it after each call). */
  poolIdleTimeoutMs?: number
  /** Appended to the User-Agent after `node`, e.g. your service's name. */
  userAgentSuffix?: string
  /** Extra CA certificates (PEM) to trust besides the system's. */
  rootCertificates?: string[]
  /** This client's telemetry (docs/observability.md): `on` (default), `no_propagation` (no trace context sent) or `off`. */
  telemetry?: 'on' | 'no_propagation' | 'off'
}

/** Settings for one call over the client's. */
export interface CallOptions {
  /** This call's timeout per attempt, in milliseconds (> 0). */
  timeoutMs?: number
  /** Extra headers; auth headers (`authorization`, `x-api-key`) cannot be overridden. */
  headers?: Record<string, string>
  /** Retries after the first attempt for this call (0: none). */
  maxRetries?: number
}

/** A client of the Akool OpenAPI (method 1 or 2); share one per process. */
export declare class AkoolClient {
  private constructor ()
  /** Method 1 (recommended): every request carries `x-api-key`. */
  static fromApiKey (apiKey: string, options?: ClientOptions): AkoolClient
  /** Method 2: a bearer token is fetched once with the client id and secret. */
  static fromClientCredentials (clientId: string, clientSecret: string, options?: ClientOptions): AkoolClient
  /** From `AKOOL_API_KEY`, else `AKOOL_CLIENT_ID` + `AKOOL_CLIENT_SECRET`; `AKOOL_BASE_URL`. */
  static fromEnv (options?: ClientOptions): AkoolClient
  /** The bearer token (method 2), fetched once and shared. A secret. */
  token (): Promise<string>
  /** The auth header(s) for `fetch`/axios. */
  authHeaders (): Promise<Record<string, string>>
  /** Forgets `stale`, a token Akool refused (1101) on your own call; a burst of reports causes one fetch. */
  invalidateToken (stale: string): void
  /** An authenticated call; resolves to the answer's `data`. Any code but 1000 rejects. */
  request<T = unknown> (method: string, path: string, options?: { json?: unknown } & CallOptions): Promise<T>
}

/** An AceData credential; `token` and `password` are secrets. */
export declare class Credential {
  private constructor ()
  readonly id: string
  readonly userId?: string
  readonly applicationId: string
  /** `Token` or `Identity` (or a newer kind). */
  readonly type: string
  /** The bearer token of a `Token` credential. A secret: hidden from inspect and JSON. */
  readonly token?: string
  readonly username?: string
  /** The password of an `Identity` credential. A secret. */
  readonly password?: string
  readonly host?: string
  readonly limitedAmount?: number
  readonly usedAmount?: number
  readonly expiredAt?: string
  readonly createdAt?: string
  readonly updatedAt?: string
  readonly name?: string
}

/** One page of credentials: `count` in all, `items` on this page. */
export interface CredentialPage {
  count: number
  items: Credential[]
}

/** An application of yours: `id` is what a credential is created for. */
export interface Application {
  id: string
  userId?: string
  serviceId?: string
  /** The type as the platform spells it (`Api`, `Proxy`, ...). */
  type?: string
  scope?: string
  remainingAmount?: number
  usedAmount?: number
  createdAt?: string
  updatedAt?: string
}

/** One page of applications: `count` in all, `items` on this page. */
export interface ApplicationPage {
  count: number
  items: Application[]
}

/** Which credentials to list: those of one application or host. */
export interface CredentialFilter {
  applicationId?: string
  host?: string
  /** Page size (>= 1). */
  limit?: number
}

/** A client of the AceData Cloud platform API (the credential lifecycle), with a platform token. */
export declare class AceDataPlatform {
  constructor (platformToken: string, options?: ClientOptions)
  /** From `ACEDATA_PLATFORM_TOKEN`; `ACEDATA_PLATFORM_BASE_URL` overrides the base. */
  static fromEnv (options?: ClientOptions): AceDataPlatform
  /** Never retried once sent, so never created twice. */
  createCredential (applicationId: string, options?: {
    host?: string, limitedAmount?: number, expiredAt?: string | Date,
    name?: string, allowedApiIds?: string[], metadata?: Record<string, unknown>
  } & CallOptions): Promise<Credential>
  /** One page of credentials, optionally of one application or host. */
  listCredentials (options?: CredentialFilter & { offset?: number } & CallOptions): Promise<CredentialPage>
  /** Every matching credential, page after page (`limit` is the page size): `for await (const c of ...)`. */
  iterCredentials (options?: CredentialFilter & CallOptions): AsyncGenerator<Credential, void, undefined>
  /** One credential, by its id. */
  getCredential (id: string, options?: CallOptions): Promise<Credential>
  /** `null` clears the limit or the expiry; a missing key keeps it. */
  updateCredential (id: string, changes: { name?: string, limitedAmount?: number | null, expiredAt?: string | Date | null, allowedApiIds?: string[] }, options?: CallOptions): Promise<Credential>
  /** A new token for the same credential; the old one stops working at once. Never retried once sent. */
  rotateCredential (id: string, options?: CallOptions): Promise<Credential>
  /** Deletes a credential; it stops working at once. */
  deleteCredential (id: string, options?: CallOptions): Promise<void>
  /** One page of your applications: their ids are what credentials are created for. */
  listApplications (options?: { limit?: number, offset?: number } & CallOptions): Promise<ApplicationPage>
  /** One application, by its id. */
  getApplication (id: string, options?: CallOptions): Promise<Application>
}

/** A verified webhook: its payload, `id` and `status`, `timestampMs` and `nonce`. */
export interface WebhookEvent {
  /** The decrypted payload. */
  payload: Record<string, unknown>
  id?: string
  status?: number
  timestampMs: number
  nonce: string
}

/**
 * Checks an Akool webhook's signature, decrypts it with the client secret, and requires a JSON object. The
 * signature alone proves nothing about the sender: pass `expectedId`, the `_id` of a job you started.
 */
export declare class WebhookVerifier {
  constructor (clientId: string, clientSecret: string, options?: { toleranceSeconds?: number })
  /** Synchronous: no I/O. Throws `WebhookRejectedError` with a `reason`. */
  verify (body: Buffer | string, options?: { expectedId?: string }): WebhookEvent
}

/** Every failure of tokensmith. */
export declare class TokensmithError extends Error {
  readonly kind: string
  readonly status?: number
  /** The Akool business code (number) or the AceData error code (string). */
  readonly code?: number | string
  readonly field?: string
  readonly retryAfter?: number
  readonly reason?: string
  readonly traceId?: string
}
export declare class InvalidInputError extends TokensmithError {}
export declare class MissingConfigError extends TokensmithError {}
export declare class UnsupportedError extends TokensmithError {}
export declare class ApiError extends TokensmithError {}
export declare class AuthenticationError extends ApiError {}
export declare class AccountBannedError extends ApiError {}
export declare class RateLimitedError extends ApiError {}
export declare class BillingError extends ApiError {}
export declare class InvalidRequestError extends ApiError {}
export declare class NotFoundError extends ApiError {}
export declare class ServerError extends ApiError {}
export declare class TransportError extends TokensmithError {}
export declare class RequestTimeoutError extends TransportError {}
export declare class WebhookRejectedError extends TokensmithError {}
export declare class DecodeError extends TokensmithError {}

/** Whether an Akool answer's body says the token was refused as invalid or expired (code 1101). */
export declare function isTokenExpired (body: string | Buffer | object): boolean
/** What `setLogger` takes: `console`, pino, winston and most loggers have these methods. */
export interface Logger {
  /** Takes error records. */
  error (message: string, meta: { target: string, traceId?: string, spanId?: string }): unknown
  /** Takes warning records. */
  warn (message: string, meta: { target: string, traceId?: string, spanId?: string }): unknown
  /** Takes info records. */
  info (message: string, meta: { target: string, traceId?: string, spanId?: string }): unknown
  /** Takes debug records (and trace records, without `trace`). */
  debug (message: string, meta: { target: string, traceId?: string, spanId?: string }): unknown
  /** Optional: trace records go to `debug` without it. */
  trace? (message: string, meta: { target: string, traceId?: string, spanId?: string }): unknown
}
/** Sends the core's log records up to `level` (default `debug`) to `logger`; `null` stops them. */
export declare function setLogger (logger: Logger | null, options?: { level?: 'error' | 'warn' | 'info' | 'debug' | 'trace' }): void
/**
 * Switches for the OpenTelemetry spans and metrics of every call (docs/observability.md). Nothing needs calling:
 * with `@opentelemetry/api` installed and an SDK registered, calls are traced. `disable()` turns it off for the
 * process, as `TOKENSMITH_TELEMETRY=off` does; `enable({ propagate: false })` keeps the spans but sends no
 * `traceparent`/`tracestate` to the vendors.
 */
export declare const telemetry: {
  /** Turns telemetry off in this process. */
  disable (): void
  /** Turns it back on (where `@opentelemetry/api` is installed); `propagate: false` sends no trace context. */
  enable (options?: { propagate?: boolean }): void
}
/** The core's version, to check that the package loaded the addon it was built with. */
export declare function coreVersion (): string
/** The core's error kinds (`Authentication`, `RateLimited`, ...), one `<Kind>Error` class each. */
export declare function errorKinds (): string[]

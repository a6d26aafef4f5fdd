// Types of the testing kit (testing.js): `require('tokensmith/testing')`.
/**
 * `tokensmith/testing`: the mock Akool and AceData APIs in this process, for testing your own code offline.
 *
 * @packageDocumentation
 */
import { AceDataPlatform, AkoolClient, ClientOptions } from './index'

/** A request the mock received. */
export interface SeenRequest {
  method: string
  /** The path with its query. */
  path: string
  /** By lower-case name; credentials are `** redacted **` unless revealed. */
  headers: Record<string, string>
  json: unknown
}

/** The mock Akool and AceData APIs in this process, on a free loopback port. */
export declare class MockServer {
  constructor ()
  readonly baseUrl: string
  readonly apiKey: string
  readonly clientId: string
  readonly clientSecret: string
  readonly platformToken: string
  /** An application whose credentials are `Token`s. */
  readonly applicationId: string
  /** An application of a proxy service, whose credentials are `Identity`s. */
  readonly proxyApplicationId: string
  /** Arms a fault (docs/mock.md): `{ kind: 'status', status: 503, times: 2 }`, `{ kind: 'close_after' }`, `{ kind: 'reset' }`. */
  arm (rule: { kind: string, [key: string]: unknown }): void
  readonly requests: SeenRequest[]
  /** The requests seen, with credentials shown: for tests of what was sent. */
  requestsRevealed (): SeenRequest[]
  readonly counts: Record<string, number>
  readonly tokenCount: number
  /** TCP connections the mock accepted since the last reset: clients of equal settings share them. */
  readonly connectionCount: number
  /** Adds an Akool account (`clientSecret` is also its API key); answers name the `client_id` they authenticated as. */
  addTenant (clientId: string, clientSecret: string): void
  readonly credentials: Array<Record<string, unknown>>
  /** Expires every Akool token issued so far: the next call with one is answered 1101. */
  expireTokens (): void
  /**
   * Closes a keep-alive connection once it has had no request in flight for `ms` milliseconds (`null`: never, the
   * default), with a FIN and no `Connection: close` on the answer before; a connection that has not answered yet is
   * left open. Open connections follow a change at once; `reset()` turns it off.
   */
  setIdleClose (ms: number | null): void
  /**
   * Restarts the mock on the same port: every open connection is closed (a request in flight gets no answer), a
   * new listener is bound, and tenants, tokens, credentials, counts and faults are kept. Returns once it accepts.
   */
  restart (): void
  /** Forgets requests, counts, tokens, credentials, faults and the idle close. */
  reset (): void
  /** Resolves to the status your handler answered. */
  sendWebhook (url: string, payload: Record<string, unknown>): Promise<number>
  /** Stops the server. */
  stop (): void
  /** Client options pointing at this mock, with quick retries (`more` on top). */
  options (more?: ClientOptions): ClientOptions
  /** An Akool client of the mock with client credentials (method 2). */
  akool (options?: ClientOptions): AkoolClient
  /** An AceData client of the mock. */
  platform (options?: ClientOptions): AceDataPlatform
}

/** A mock for the tests of this file (node:test): reset before each test, stopped after the last. */
export declare function useMockServer (): MockServer

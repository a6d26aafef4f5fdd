// Compiled by `tsc --strict` in `npm test`: the declarations in index.d.ts must describe real usage.
import {
  setLogger,
  AceDataPlatform,
  AkoolClient,
  AuthenticationError,
  RateLimitedError,
  TokensmithError,
  WebhookVerifier,
  type ClientOptions,
  type Credential,
} from '..'
import { MockServer, SeenRequest } from '../testing'

const options: ClientOptions = { baseUrl: 'http://127.0.0.1:8080', requestTimeoutMs: 5_000, maxRetries: 1 }

export async function quota (akool: AkoolClient): Promise<number> {
  const headers: Record<string, string> = await akool.authHeaders()
  const data = await akool.request<{ remaining: number }>('POST', '/api/open/v3/x', { json: { a: 1 } })
  return data.remaining + Object.keys(headers).length
}

export async function newKey (platform: AceDataPlatform, applicationId: string): Promise<string> {
  try {
    const credential: Credential = await platform.createCredential(applicationId, { limitedAmount: 100, expiredAt: new Date() })
    await platform.updateCredential(credential.id, { limitedAmount: null })
    const page = await platform.listCredentials({ limit: 10 })
    return `${page.count} ${credential.token ?? ''}`
  } catch (error) {
    if (error instanceof RateLimitedError) return String(error.retryAfter ?? 1)
    if (error instanceof AuthenticationError) return String(error.code ?? error.status)
    if (error instanceof TokensmithError) return `${error.kind}: ${error.message} (${error.traceId ?? ''})`
    throw error
  }
}

export function webhook (body: Buffer, jobId: string): number | undefined {
  const verifier = new WebhookVerifier('client-id', 'client-secret-of-32-bytes-000000', { toleranceSeconds: 300 })
  return verifier.verify(body, { expectedId: jobId }).status
}

export const clients = [AkoolClient.fromApiKey('key', options), AkoolClient.fromEnv(), new AceDataPlatform('token', options)]

export async function everyToken (platform: AceDataPlatform): Promise<string[]> {
  const apps = await platform.listApplications({ limit: 5, timeoutMs: 10_000 })
  const tokens: string[] = []
  for await (const credential of platform.iterCredentials({ applicationId: apps.items[0]?.id, limit: 50, headers: { 'x-tenant': 'a' } })) {
    tokens.push(credential.token ?? '')
  }
  return tokens
}

setLogger(console, { level: 'info' })
setLogger(null)

export async function keyForTenant (mock: MockServer, tenant: string): Promise<number> {
  await mock.platform().createCredential(mock.applicationId, { name: tenant })
  mock.arm({ kind: 'status', status: 503, times: 1 })
  const seen: SeenRequest[] = mock.requests
  return seen.length + (await mock.sendWebhook('http://127.0.0.1:9/x', { _id: 'j' }))
}

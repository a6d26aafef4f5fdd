'use strict'
// The Node testing kit as users meet it: `useMockServer()` in node:test, freshness between tests, faults, the
// requests seen, and a signed webhook to a handler on this process's own event loop.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const http = require('node:http')
const tokensmith = require('tokensmith')
const { useMockServer } = require('tokensmith/testing')

const mock = useMockServer()

test('clients of the mock, and what it saw', async () => {
  const akool = mock.akool()
  await akool.request('POST', '/api/open/v3/faceswap/highquality/specifyimage', { json: { a: 1 } })
  const [getToken, call] = mock.requests
  assert.equal(getToken.path, '/api/open/v3/getToken')
  assert.equal(getToken.json.clientSecret, '** redacted **')
  assert.deepEqual(call.json, { a: 1 })
  assert.equal(mock.requestsRevealed()[1].headers.authorization, `Bearer ${await akool.token()}`)
  assert.equal(mock.tokenCount, 1)
  await mock.platform().createCredential(mock.applicationId)
  mock.arm({ kind: 'status', status: 503, times: 5 }) // left armed: the next test must not see it
})

test('nothing leaks from the test before', async () => {
  assert.deepEqual(mock.requests, [])
  assert.deepEqual(mock.credentials, [])
  assert.equal((await mock.platform().listCredentials()).count, 0)
  assert.throws(() => mock.arm({ kind: 'no_such_fault' }), tokensmith.InvalidInputError)
})

test('a signed webhook reaches a handler on this event loop', async () => {
  const verifier = new tokensmith.WebhookVerifier(mock.clientId, mock.clientSecret)
  const received = []
  const server = http.createServer((request, response) => {
    const chunks = []
    request.on('data', (chunk) => chunks.push(chunk))
    request.on('end', () => {
      try {
        received.push(verifier.verify(Buffer.concat(chunks), { expectedId: 'job-1' }).payload)
        response.writeHead(200).end()
      } catch {
        response.writeHead(400).end()
      }
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const url = `http://127.0.0.1:${server.address().port}/akool`
    assert.equal(await mock.sendWebhook(url, { _id: 'job-1', status: 3 }), 200)
    assert.equal(await mock.sendWebhook(url, { _id: 'job-2', status: 3 }), 400)
    await assert.rejects(mock.sendWebhook('https://example.com/x', {}), tokensmith.InvalidInputError)
  } finally {
    server.close()
  }
  assert.deepEqual(received, [{ _id: 'job-1', status: 3 }])
})

'use strict'
// Many tenants in one process: a client per tenant (or per request) is cheap, shares pooled connections with the
// others, and never another tenant's key or token.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const { AkoolClient } = require('tokensmith')
const { useMockServer } = require('tokensmith/testing')

const mock = useMockServer()
const QUOTA = '/api/open/v3/faceswap/quota/info'
const tenant = (i) => [`tenant-${i}`, `tenant-${i}-secret-0123456789abcdef`]

test('a client per tenant reuses one connection', async () => {
  for (let i = 0; i < 40; i++) {
    const [clientId, secret] = tenant(i)
    mock.addTenant(clientId, secret)
    const akool = AkoolClient.fromApiKey(secret, { baseUrl: mock.baseUrl })
    assert.equal((await akool.request('GET', QUOTA)).client_id, clientId)
  }
  // 40 tenants one after another: one pooled connection (0 when one from an earlier test is still open).
  assert.ok(mock.connectionCount <= 1, `${mock.connectionCount} connections`)
})

test('method-2 tenants fetch one token each and use their own', async () => {
  const clients = Array.from({ length: 20 }, (_, i) => {
    const [clientId, secret] = tenant(i)
    mock.addTenant(clientId, secret)
    return [clientId, AkoolClient.fromClientCredentials(clientId, secret, { baseUrl: mock.baseUrl })]
  })
  const calls = clients.flatMap(([clientId, client]) =>
    Array.from({ length: 5 }, async () => [clientId, await client.request('GET', QUOTA)]))
  for (const [clientId, answer] of await Promise.all(calls)) {
    assert.deepEqual([answer.auth, answer.client_id], ['bearer', clientId])
  }
  assert.equal(mock.tokenCount, 20)
})

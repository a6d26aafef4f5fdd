'use strict'
// Connections the server ends between calls (docs/retries.md): closed after sitting idle, as balancers and Node's
// own servers do (keepAliveTimeout, 5 s), or all closed by a restart on the same port. No call may fail for it, a
// create included with retries off, and a create is never made twice.
// TOKENSMITH_FAULT_IDLE_MS and TOKENSMITH_FAULT_ROUNDS make the long run of `scripts/test-reliability --long`.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const { setTimeout: sleep } = require('node:timers/promises')
const { useMockServer } = require('tokensmith/testing')

const mock = useMockServer()
const QUOTA = '/api/open/v3/faceswap/quota/info'
const IDLE_MS = Number(process.env.TOKENSMITH_FAULT_IDLE_MS || 50)
const ROUNDS = Number(process.env.TOKENSMITH_FAULT_ROUNDS || 5)

test('calls survive idle closes and restarts with retries off, and a create is made once', async () => {
  mock.setIdleClose(IDLE_MS)
  const platform = mock.platform({ maxRetries: 0 })
  const akool = mock.akool({ maxRetries: 0 })
  for (let round = 0; round < ROUNDS; round++) {
    await platform.createCredential(mock.applicationId)
    assert.equal((await akool.request('GET', QUOTA)).auth, 'bearer')
    await sleep(2 * IDLE_MS)
    if (round % 2 === 1) mock.restart()
  }
  assert.equal(mock.credentials.length, ROUNDS)
  assert.ok(mock.connectionCount >= ROUNDS, `the mock closed the idle connections (${mock.connectionCount})`)
})

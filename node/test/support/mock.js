'use strict'
// The mock vendor server (docs/mock.md) of the package's own testing kit, in this process, with the helpers these
// tests use (faults as rules, the admin endpoint's state).

const path = require('node:path')
const { MockServer } = require('../../testing.js')

const REPO = path.resolve(__dirname, '..', '..', '..')

async function startMock () {
  const server = new MockServer()
  return {
    baseUrl: server.baseUrl,
    server,
    reset: async () => server.reset(),
    fault: async (rule) => server.arm(rule),
    expireTokens: async () => server.expireTokens(),
    state: async () => (await fetch(`${server.baseUrl}/__mock/state`)).json(),
    counts: async () => server.counts,
    stop: () => server.stop()
  }
}

module.exports = { REPO, startMock }

'use strict'
// The mock vendor server (docs/mock.md), started once per test file from the workspace's `tokensmith-mock`.

const { spawn } = require('node:child_process')
const path = require('node:path')
const readline = require('node:readline')

const REPO = path.resolve(__dirname, '..', '..', '..')

async function startMock () {
  const bin = process.env.TOKENSMITH_MOCK_BIN ?? path.join(REPO, 'target', 'debug', 'tokensmith-mock')
  const child = spawn(bin, ['--addr', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'ignore'] })
  const [baseUrl] = await readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]().next().then((r) => [r.value])
  if (!baseUrl?.startsWith('http://127.0.0.1:')) throw new Error(`the mock printed ${baseUrl}`)
  const admin = async (method, adminPath, body) => {
    const answer = await fetch(baseUrl + adminPath, { method, body: body === undefined ? undefined : JSON.stringify(body) })
    if (!answer.ok) throw new Error(`${method} ${adminPath}: ${answer.status}`)
    const text = await answer.text()
    return text ? JSON.parse(text) : null
  }
  return {
    baseUrl,
    reset: () => admin('POST', '/__mock/reset'),
    fault: (rule) => admin('POST', '/__mock/faults', rule),
    expireTokens: () => admin('POST', '/__mock/expire-tokens'),
    state: () => admin('GET', '/__mock/state'),
    counts: async () => (await admin('GET', '/__mock/state')).counts,
    stop: () => child.kill()
  }
}

module.exports = { REPO, startMock }

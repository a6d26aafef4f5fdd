'use strict'
// Host lifecycles: worker threads that load the package come and go (worker pools that scale down, test runners
// that run files in workers), and the main thread may load it only after they have exited. Each environment's
// completion queue ends with it (bindings/node/src/settle.rs); the core's runtime, which runs the calls and fetches
// tokens, belongs to no environment. So every method-2 call (one token fetch on the core's runtime, then the request) succeeds in each of them.
// This file does not load the package in the main thread until the workers are done.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const { Worker } = require('node:worker_threads')

/** In the thread it runs in: a mock of its own, a method-2 client, one call; resolves to how it was authorized. */
async function methodTwoCall () {
  const QUOTA = '/api/open/v3/faceswap/quota/info'
  const { AkoolClient } = require('tokensmith')
  const { MockServer } = require('tokensmith/testing')
  const mock = new MockServer()
  try {
    const akool = AkoolClient.fromClientCredentials(mock.clientId, mock.clientSecret, { baseUrl: mock.baseUrl })
    const answer = await akool.request('GET', QUOTA)
    return `${answer.auth} after ${mock.tokenCount} token fetch`
  } finally {
    mock.stop()
  }
}

function inWorker () {
  const source = `
    const { parentPort } = require('node:worker_threads')
    ${methodTwoCall.toString()}
    methodTwoCall().then((outcome) => parentPort.postMessage({ outcome }),
      (error) => parentPort.postMessage({ error: String(error && error.stack || error) }))`
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true })
    let message
    worker.on('message', (m) => { message = m })
    worker.on('error', reject)
    worker.on('exit', () => (message && message.outcome ? resolve(message.outcome) : reject(new Error(message ? message.error : 'the worker sent nothing'))))
  })
}

test('three workers one after another, then the main thread, each make a method-2 call', async () => {
  for (let i = 0; i < 3; i++) {
    assert.equal(await inWorker(), 'bearer after 1 token fetch', `worker ${i + 1}`)
  }
  assert.equal(await methodTwoCall(), 'bearer after 1 token fetch', 'the main thread, after the workers exited')
})

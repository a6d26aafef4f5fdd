'use strict'
// How calls are settled (bindings/node/src/settle.rs): from one completion queue per environment, whose one
// threadsafe function keeps Node alive while a call is pending and not a moment longer. Each case runs in a
// process of its own, so that what keeps it alive, or ends it, is only what the case does.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const path = require('node:path')

const PACKAGE = path.resolve(__dirname, '..')
const QUOTA = '/api/open/v3/faceswap/quota/info'

/** Runs `source` in a new Node process (the package resolvable) and returns what happened. */
function run (source, timeout = 20_000) {
  const started = Date.now()
  const child = spawnSync(process.execPath, ['-e', source], {
    cwd: PACKAGE,
    env: { ...process.env, NODE_PATH: path.dirname(PACKAGE) },
    encoding: 'utf8',
    timeout
  })
  return { status: child.status, signal: child.signal, stdout: child.stdout, stderr: child.stderr, ms: Date.now() - started }
}

const prelude = `
  const { AkoolClient } = require('./index.js')
  const { MockServer } = require('./testing.js')
  const mock = new MockServer()
  const akool = AkoolClient.fromApiKey(mock.apiKey, { baseUrl: mock.baseUrl })
`

test('a pending call keeps Node alive until it settles, with nothing else on the loop', () => {
  // The mock answers after 1.5 s and holds no handle of the loop; only the pending call can keep Node running.
  const child = run(`${prelude}
    mock.arm({ kind: 'delay', ms: 1500, path: '${QUOTA}' })
    akool.request('GET', '${QUOTA}').then((data) => console.log('settled', data.path))`)
  assert.equal(child.status, 0, child.stderr)
  assert.match(child.stdout, /settled \/api\/open\/v3\/faceswap\/quota\/info/)
  assert.ok(child.ms >= 1400, `exited after ${child.ms} ms, before the answer`)
})

test('once its calls settled, an idle client does not keep Node alive', () => {
  const child = run(`${prelude}
    Promise.all([akool.request('GET', '${QUOTA}'), akool.authHeaders()]).then(() => console.log('done'))`, 15_000)
  assert.equal(child.signal, null, 'Node was still running when the test gave up on it')
  assert.equal(child.status, 0, child.stderr)
  assert.match(child.stdout, /done/)
})

test('64 calls in flight settle, and a rejected one rejects with its error class', () => {
  const child = run(`${prelude}
    const tokensmith = require('./index.js')
    const calls = Array.from({ length: 64 }, () => akool.request('GET', '${QUOTA}'))
    mock.arm({ kind: 'akool_code', code: 1200, path: '/api/open/v3/content/video/infobymodelid' })
    const banned = akool.request('GET', '/api/open/v3/content/video/infobymodelid').then(
      () => 'resolved', (e) => e instanceof tokensmith.AccountBannedError ? 'AccountBannedError' : String(e))
    Promise.all([Promise.all(calls), banned]).then(([answers, outcome]) => console.log(answers.length, outcome))`)
  assert.equal(child.status, 0, child.stderr)
  assert.equal(child.stdout.trim(), '64 AccountBannedError')
})

test('a worker terminated with a call in flight exits at once, and the process goes on calling', () => {
  const child = run(`${prelude}
    const { Worker } = require('node:worker_threads')
    const worker = new Worker(\`
      const { AkoolClient } = require('./index.js')
      const { parentPort, workerData } = require('node:worker_threads')
      const akool = AkoolClient.fromApiKey(workerData.apiKey, { baseUrl: workerData.baseUrl })
      akool.request('GET', '${QUOTA}').then(() => parentPort.postMessage('answered'))
      parentPort.postMessage('calling')\`, { eval: true, workerData: { apiKey: mock.apiKey, baseUrl: mock.baseUrl } })
    mock.arm({ kind: 'delay', ms: 3000, path: '${QUOTA}', times: 1 })
    worker.on('message', async (message) => {
      if (message !== 'calling') return console.log('unexpected', message)
      const stopping = Date.now()
      await worker.terminate()
      const stopped = Date.now() - stopping
      const data = await akool.request('GET', '${QUOTA}')
      console.log('terminated in', stopped < 1000 ? 'time' : stopped + ' ms', 'then', data.auth)
    })`)
  assert.equal(child.status, 0, child.stderr)
  assert.equal(child.stdout.trim(), 'terminated in time then x-api-key')
})

test('a call that needs no I/O is settled on the loop, waking no thread', () => {
  // authHeaders with an API key, and with a token fetched once and cached: settled where they are called. Through
  // the queue, each would wake the addon's thread and then the loop, two switches a call (2000 here).
  const child = run(`${prelude}
    const method2 = mock.akool()
    ;(async () => {
      await method2.token()
      const switches = {}
      for (const [name, client] of Object.entries({ apiKey: akool, cachedToken: method2 })) {
        const before = process.resourceUsage().voluntaryContextSwitches
        for (let i = 0; i < 1000; i++) await client.authHeaders()
        switches[name] = process.resourceUsage().voluntaryContextSwitches - before
      }
      console.log(JSON.stringify(switches))
    })()`)
  assert.equal(child.status, 0, child.stderr)
  const switches = JSON.parse(child.stdout)
  for (const [name, count] of Object.entries(switches)) {
    assert.ok(count < 200, `${name}: ${count} context switches in 1000 calls`)
  }
})
